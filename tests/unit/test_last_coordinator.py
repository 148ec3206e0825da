"""A co-operative always keeps a coordinator: the last one can neither leave, be removed, nor
be given another role (error code `last_coordinator`); with two, one may go."""
import pytest

from peerm.accounts import services
from peerm.accounts.models import Membership, Person
from peerm.accounts.services import AccountError
from peerm.core import db as database
from peerm.initiatives.models import Initiative


@pytest.fixture
def ctx(app):
    with app.app_context(), database.db.connection_context():
        yield


@pytest.fixture
def lucas(ctx):
    return Initiative.get(slug="lucas-community")


def membership(email, initiative):
    return Membership.get(person=Person.by_email(email), initiative=initiative)


def test_the_last_coordinator_cannot_be_removed(lucas):
    fatima = membership("fatima@peerm.example", lucas)
    with pytest.raises(AccountError) as error:
        services.remove_membership(fatima)
    assert error.value.code == "last_coordinator"
    assert Membership.get_or_none(Membership.id == fatima.id) is not None


def test_the_last_coordinator_cannot_step_down(lucas):
    fatima = membership("fatima@peerm.example", lucas)
    with pytest.raises(AccountError) as error:
        services.change_role(fatima, "member")
    assert error.value.code == "last_coordinator"
    assert Membership.get_by_id(fatima.id).role == "coordinator"


def test_with_a_second_coordinator_one_may_leave(lucas):
    services.change_role(membership("kees@peerm.example", lucas), "coordinator")
    fatima = membership("fatima@peerm.example", lucas)
    services.remove_membership(fatima)
    assert Membership.get_or_none(Membership.id == fatima.id) is None
    # Now Kees is the last: he stays.
    with pytest.raises(AccountError) as error:
        services.remove_membership(membership("kees@peerm.example", lucas))
    assert error.value.code == "last_coordinator"


def test_an_erased_coordinator_does_not_count(lucas):
    kees = membership("kees@peerm.example", lucas)
    services.change_role(kees, "coordinator")
    services.erase_account(Person.by_email("kees@peerm.example"))
    with pytest.raises(AccountError) as error:
        services.change_role(membership("fatima@peerm.example", lucas), "volunteer")
    assert error.value.code == "last_coordinator"


def test_other_members_come_and_go_freely(lucas):
    mohammed = membership("mohammed@peerm.example", lucas)
    services.change_role(mohammed, "volunteer")
    services.remove_membership(mohammed)
    assert Membership.get_or_none(Membership.id == mohammed.id) is None
