"""Account services: logging in and its rate limit, invites, resets, erasure and export."""
import datetime as dt

import pytest

from peerm import db as database
from peerm.accounts import services
from peerm.accounts.models import Invite, LoginFailure, Membership, Person, utcnow
from peerm.accounts.services import AccountError
from peerm.cli import DEMO_PASSWORD
from peerm.initiatives import Initiative


@pytest.fixture
def ctx(app):
    """An app context with an open connection, for calling services directly."""
    with app.app_context(), database.db.connection_context():
        yield


@pytest.fixture
def lucas(ctx):
    return Initiative.get(slug="lucas-community")


@pytest.fixture
def fatima(ctx):
    return Person.by_email("fatima@peerm.example")


def test_log_in_with_right_password_returns_the_person(fatima):
    assert services.log_in("Fatima@PeerM.example ", DEMO_PASSWORD, "10.0.0.1") == fatima


def test_log_in_with_wrong_password_counts_a_failure(ctx):
    with pytest.raises(AccountError) as error:
        services.log_in("fatima@peerm.example", "wrong", "10.0.0.1")
    assert error.value.code == "login_failed"
    assert LoginFailure.select().where(LoginFailure.key == "account:fatima@peerm.example").count() == 1


def test_rate_limit_triggers_after_five_failures_and_releases_after_the_window(ctx):
    start = utcnow()
    for minute in range(services.ACCOUNT_FAILURES):
        with pytest.raises(AccountError):
            services.log_in("fatima@peerm.example", "wrong", "10.0.0.1",
                            now=start + dt.timedelta(minutes=minute))
    # Now even the right password is refused, with the time to wait.
    with pytest.raises(AccountError) as error:
        services.log_in("fatima@peerm.example", DEMO_PASSWORD, "10.0.0.2",
                        now=start + dt.timedelta(minutes=5))
    assert error.value.code == "rate_limited"
    # After the window of the first failure, one attempt is free again.
    later = start + services.LOGIN_WINDOW + dt.timedelta(seconds=1)
    assert services.log_in("fatima@peerm.example", DEMO_PASSWORD, "10.0.0.2", now=later)


def test_rate_limit_per_address_covers_every_account(ctx):
    now = utcnow()
    for n in range(services.ADDRESS_FAILURES):
        LoginFailure.create(key="address:10.9.9.9", at=now)
    with pytest.raises(AccountError) as error:
        services.log_in("jan@peerm.example", DEMO_PASSWORD, "10.9.9.9", now=now)
    assert error.value.code == "rate_limited"
    assert services.log_in("jan@peerm.example", DEMO_PASSWORD, "10.9.9.8", now=now)


def test_invite_is_single_use(lucas, fatima):
    _, token = services.create_invite(lucas, "volunteer", fatima)
    person = services.accept_invite(token, "Nadia", "nadia@peerm.example", "een-lang-wachtwoord")
    assert Membership.get(person=person, initiative=lucas).role == "volunteer"
    with pytest.raises(AccountError) as error:
        services.accept_invite(token, "Other", "other@peerm.example", "een-lang-wachtwoord")
    assert error.value.code == "invite_used"
    assert Person.by_email("other@peerm.example") is None


def test_invite_expires(lucas, fatima):
    made = utcnow() - dt.timedelta(days=services.INVITE_DAYS, seconds=1)
    _, token = services.create_invite(lucas, "member", fatima, now=made)
    with pytest.raises(AccountError) as error:
        services.accept_invite(token, "Late", "late@peerm.example", "een-lang-wachtwoord")
    assert error.value.code == "invite_expired"
    assert Person.by_email("late@peerm.example") is None


def test_unknown_invite_is_refused(ctx):
    with pytest.raises(AccountError) as error:
        services.find_invite("made-up", "join")
    assert error.value.code == "invite_unknown"


@pytest.mark.parametrize("name, code", [
    ("x" * 10_000, "name_too_long"),
    ("<script>alert(1)</script>", "name_invalid"),
    ("   ", "name_missing"),
])
def test_bad_names_are_refused_and_nothing_is_stored(lucas, fatima, name, code):
    invite, token = services.create_invite(lucas, "member", fatima)
    people = Person.select().count()
    with pytest.raises(AccountError) as error:
        services.accept_invite(token, name, "new@peerm.example", "een-lang-wachtwoord")
    assert error.value.code == code
    assert Person.select().count() == people
    assert Invite.get_by_id(invite.id).used_at is None


def test_reset_sets_a_new_password_and_ends_older_sessions(fatima):
    epoch = fatima.session_epoch
    _, token = services.create_reset(fatima, None)
    services.reset_password(token, "nieuw-wachtwoord-123")
    fresh = Person.get_by_id(fatima.id)
    assert services.password_matches(fresh, "nieuw-wachtwoord-123")
    assert not services.password_matches(fresh, DEMO_PASSWORD)
    assert fresh.session_epoch == epoch + 1
    with pytest.raises(AccountError):
        services.reset_password(token, "nog-een-wachtwoord")


def test_passwords_are_hashed_with_argon2id(fatima):
    assert fatima.password_hash.startswith("$argon2id$")


def test_erasure_leaves_no_personal_field(fatima, lucas):
    services.create_invite(lucas, "member", fatima)
    LoginFailure.create(key="account:fatima@peerm.example", at=utcnow())
    services.erase_account(fatima)
    row = Person.get_by_id(fatima.id)
    assert (row.display_name, row.email, row.phone, row.password_hash) == ("", None, None, None)
    assert row.erased_at is not None and not row.is_admin
    assert Membership.select().where(Membership.person == row).count() == 0
    assert Invite.select().where(Invite.created_by == row).count() == 0
    assert LoginFailure.select().where(LoginFailure.key.contains("fatima")).count() == 0
    # Nothing in any table still holds her address or name.
    for model in database.all_models():
        for field in model._meta.fields.values():
            if field.field_type in ("VARCHAR", "TEXT"):
                assert not model.select().where(field.contains("fatima@peerm.example")).exists()


def test_export_covers_every_table_that_holds_the_person(fatima, lucas):
    services.create_invite(lucas, "member", fatima)
    data = services.export_data(fatima)
    assert data["person"]["email"] == "fatima@peerm.example"
    assert "password_hash" not in data["person"] and "pin_hash" not in data["person"]
    assert [m["role"] for m in data["membership"]] == ["coordinator"]
    assert len(data["invite"]) == 1 and "token_hash" not in data["invite"][0]
    # Every table with a reference to a person appears in the export.
    for model in database.all_models():
        if any(getattr(f, "rel_model", None) is Person for f in model._meta.fields.values()):
            assert model._meta.table_name in data, f"{model.__name__} is missing from the export"
