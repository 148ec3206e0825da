"""Thanks, skills that fit a knowledge need ("someone knows someone"), and library documents
beside a knowledge need: the rules of each, as services and queries."""
import datetime as dt

import pytest

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.needs import services
from peerm.needs.models import Need, Pledge
from peerm.needs.part import PART
from peerm.needs.services import NeedError

DAY = dt.timedelta(days=1)


@pytest.fixture
def ctx(app):
    with app.app_context(), app.test_request_context(), db.connection_context():
        yield


@pytest.fixture
def lucas(ctx):
    return Initiative.get(slug="lucas-community")


def need_of(initiative, kind="material", text_nl="Twee ladders", text_en="Two ladders"):
    return Need.create(initiative=initiative, kind=kind, text_nl=text_nl, text_en=text_en,
                       status="open", visibility="network",
                       list_until=clock.today() + 30 * DAY, created_at=clock.now())


def error_code(call, *args, **kwargs):
    with pytest.raises(NeedError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# Thanks --------------------------------------------------------------------------------------

def test_thanks_are_recorded_once_with_the_message(lucas):
    need = need_of(lucas)
    mohammed = Person.by_email("mohammed@peerm.example")
    pledge = services.respond(need.id, "Ik breng een ladder", person=mohammed)
    services.move_pledge(need, pledge.id, "accepted")
    services.thank(need, pledge.id, "  Heel fijn, dank je!  ")
    stored = Pledge.get_by_id(pledge.id)
    assert stored.thanked_at is not None and stored.thanks == "Heel fijn, dank je!"
    assert error_code(services.thank, need, pledge.id, "Nog eens") == "thanked_already"
    assert Pledge.get_by_id(pledge.id).thanks == "Heel fijn, dank je!"


def test_thanks_without_a_message_are_fine_for_a_received_answer(lucas):
    need = need_of(lucas)
    pledge = services.respond(need.id, "Ladder", name="Ria", contact="ria@example.org")
    services.move_pledge(need, pledge.id, "fulfilled")
    services.thank(need, pledge.id, "")
    stored = Pledge.get_by_id(pledge.id)
    assert stored.thanked_at is not None and stored.thanks == ""


@pytest.mark.parametrize("status", ["offered", "withdrawn", "expired"])
def test_thanks_wait_until_an_answer_is_taken_up(lucas, status):
    need = need_of(lucas)
    pledge = services.respond(need.id, "Ladder", name="Ria", contact="ria@example.org")
    Pledge.update(status=status).where(Pledge.id == pledge.id).execute()
    assert error_code(services.thank, need, pledge.id, "Dank") == "not_thankable"
    assert Pledge.get_by_id(pledge.id).thanked_at is None


def test_thanks_refuse_a_long_message_and_an_answer_of_another_need(lucas):
    need, other = need_of(lucas), need_of(lucas)
    pledge = services.respond(need.id, "Ladder", name="Ria", contact="ria@example.org")
    services.move_pledge(need, pledge.id, "accepted")
    assert error_code(services.thank, need, pledge.id, "x" * 301) == "too_long"
    assert error_code(services.thank, other, pledge.id, "Dank") == "pledge_unknown"
    assert Pledge.get_by_id(pledge.id).thanked_at is None


def test_the_person_thanked_sees_it_on_their_home_for_two_weeks(lucas):
    need = need_of(lucas)
    mohammed = Person.by_email("mohammed@peerm.example")
    pledge = services.respond(need.id, "Ik breng een ladder", person=mohammed)
    services.move_pledge(need, pledge.id, "accepted")
    services.thank(need, pledge.id, "Top!")
    cards = [card for card in PART.today(mohammed) if "Lucas" in str(card.title)]
    assert [card.text for card in cards] == ["Top!"]
    assert not [c for c in PART.today(Person.by_email("jan@peerm.example"))
                if "Top!" in str(c.text)]
    Pledge.update(thanked_at=clock.now() - 15 * DAY).where(Pledge.id == pledge.id).execute()
    assert not [card for card in PART.today(mohammed) if card.text == "Top!"]
