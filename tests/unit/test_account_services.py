"""Account services: logging in and its rate limit, invites, resets, erasure and export."""
import datetime as dt

import pytest

from peerm.accounts import services
from peerm.accounts.demo import DEMO_PASSWORD
from peerm.accounts.models import Invite, LoginFailure, Membership, Person
from peerm.accounts.services import AccountError
from peerm.core import clock
from peerm.core import db as database
from peerm.initiatives.models import Initiative
from peerm.parts import all_models


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
    start = clock.now()
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
    now = clock.now()
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
    made = clock.now() - dt.timedelta(days=services.INVITE_DAYS, seconds=1)
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
    LoginFailure.create(key="account:fatima@peerm.example", at=clock.now())
    services.erase_account(fatima)
    row = Person.get_by_id(fatima.id)
    assert (row.display_name, row.email, row.phone, row.password_hash) == ("", None, None, None)
    assert row.erased_at is not None and not row.is_admin
    assert Membership.select().where(Membership.person == row).count() == 0
    assert Invite.select().where(Invite.created_by == row).count() == 0
    assert LoginFailure.select().where(LoginFailure.key.contains("fatima")).count() == 0
    # Nothing in any table still holds her address or name.
    for model in all_models():
        for field in model._meta.fields.values():
            if field.field_type in ("VARCHAR", "TEXT"):
                assert not model.select().where(field.contains("fatima@peerm.example")).exists()


def test_export_holds_my_own_rows_without_secrets(fatima, lucas):
    services.create_invite(lucas, "member", fatima)
    data = services.export_data(fatima)
    assert data["person"]["email"] == "fatima@peerm.example"
    assert "password_hash" not in data["person"] and "pin_hash" not in data["person"]
    assert [m["role"] for m in data["membership"]] == ["coordinator"]
    # The invite she made is someone else's: counted, not listed.
    assert data["invite"] == [] and data["acted_for_others"]["invite.created_by"] == 1


# --- who may make a new-password link ------------------------------------------------------

def by_email(name):
    return Person.by_email(f"{name}@peerm.example")


@pytest.mark.parametrize("actor, target, allowed", [
    ("fatima", "mohammed", True),    # a member of her co-operative alone
    ("fatima", "kees", False),       # a volunteer at Soesterkwartier too, where she is nobody
    ("peter", "kees", False),        # the same, seen from Soesterkwartier
    ("peter", "els", False),         # a member at Talent in Actie too
    ("fatima", "beheer", False),     # an administrator
    ("fatima", "jan", False),        # a coordinator elsewhere
    ("fatima", "fatima", False),     # a coordinator is reset by an administrator
    ("kees", "mohammed", False),     # a volunteer manages nobody
    ("beheer", "kees", True),        # an administrator resets anyone
    ("beheer", "fatima", True),
])
def test_who_may_make_a_new_password_link(ctx, actor, target, allowed):
    from peerm.permissions import may_reset_password

    assert may_reset_password(by_email(actor), by_email(target)) is allowed


def test_a_coordinator_may_not_reset_a_fellow_coordinator(lucas, fatima):
    from peerm.permissions import may_reset_password

    nadia = Person.create(display_name="Nadia", email="nadia@peerm.example")
    Membership.create(person=nadia, initiative=lucas, role="coordinator")
    assert not may_reset_password(fatima, nadia)


def test_a_reset_link_stops_working_when_its_maker_may_no_longer_make_it(lucas, fatima):
    mohammed = by_email("mohammed")
    _, token = services.create_reset(mohammed, fatima)
    # Before Mohammed uses it, he becomes a volunteer elsewhere, where Fatima is nobody.
    Membership.create(person=mohammed, initiative=Initiative.get(slug="talent-in-actie"),
                      role="volunteer")
    with pytest.raises(AccountError) as error:
        services.reset_password(token, "een heel nieuw wachtwoord")
    assert error.value.code == "invite_void"
    assert services.password_matches(Person.get_by_id(mohammed.id), DEMO_PASSWORD)


def test_a_newer_reset_link_makes_older_ones_invalid(fatima):
    mohammed = by_email("mohammed")
    _, older = services.create_reset(mohammed, fatima)
    _, newer = services.create_reset(mohammed, fatima)
    with pytest.raises(AccountError) as error:
        services.reset_password(older, "een heel nieuw wachtwoord")
    assert error.value.code == "invite_expired"
    assert services.reset_password(newer, "een heel nieuw wachtwoord") == mohammed


def test_resets_of_the_last_days_are_told_with_who_and_when(fatima):
    mohammed = by_email("mohammed")
    _, token = services.create_reset(mohammed, fatima)
    services.reset_password(token, "een heel nieuw wachtwoord")
    [(maker, at)] = services.recent_resets(mohammed)
    assert maker == "Fatima" and at is not None
    later = clock.now() + services.RESET_NOTICE + dt.timedelta(minutes=1)
    assert services.recent_resets(mohammed, now=later) == []


# --- logging in: what is checked -----------------------------------------------------------

@pytest.fixture
def verify_calls(monkeypatch):
    """How often the password hasher verified a password, counted."""
    from argon2 import PasswordHasher

    calls = []
    real = PasswordHasher.verify

    def spy(self, hash, password):
        calls.append(hash)
        return real(self, hash, password)
    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return calls


@pytest.mark.parametrize("email", ["nobody@peerm.example", ""])
def test_log_in_without_an_account_still_verifies_a_hash(ctx, verify_calls, email):
    with pytest.raises(AccountError) as error:
        services.log_in(email, "some password", "10.0.0.1")
    assert error.value.code == "login_failed"
    assert len(verify_calls) == 1


def test_log_in_to_an_account_without_password_still_verifies_a_hash(ctx, verify_calls):
    Person.create(display_name="Zonder", email="zonder@peerm.example")
    with pytest.raises(AccountError):
        services.log_in("zonder@peerm.example", "some password", "10.0.0.1")
    assert len(verify_calls) == 1


def test_a_refused_attempt_checks_no_password_and_is_not_counted(ctx, verify_calls):
    now = clock.now()
    for _ in range(services.ACCOUNT_FAILURES):
        LoginFailure.create(key="account:kees@peerm.example", at=now)
    with pytest.raises(AccountError) as error:
        services.log_in("kees@peerm.example", DEMO_PASSWORD, "10.0.0.1", now=now)
    assert error.value.code == "rate_limited"
    assert verify_calls == []
    # Refusals do not stretch the lock-out: it ends a window after the real failures.
    assert LoginFailure.select().where(LoginFailure.key.endswith("kees@peerm.example")).count() \
        == services.ACCOUNT_FAILURES


def test_a_password_reset_lifts_the_lock_out(fatima):
    now = clock.now()
    for _ in range(services.ACCOUNT_FAILURES):
        LoginFailure.create(key="account:fatima@peerm.example", at=now)
    _, token = services.create_reset(fatima, None)
    services.reset_password(token, "een heel nieuw wachtwoord")
    assert services.log_in("fatima@peerm.example", "een heel nieuw wachtwoord", "10.0.0.1")


def test_a_login_that_needs_a_new_hash_keeps_the_password(fatima):
    from argon2 import PasswordHasher, profiles

    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    weaker = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    Person.update(password_hash=weaker.hash(DEMO_PASSWORD)).where(Person.id == fatima.id).execute()
    services.log_in("fatima@peerm.example", DEMO_PASSWORD, "10.0.0.1")
    stored = Person.get_by_id(fatima.id).password_hash
    assert not cheap.check_needs_rehash(stored) and cheap.verify(stored, DEMO_PASSWORD)


# --- sessions -------------------------------------------------------------------------------

def test_ending_every_session_ends_each_one(fatima):
    from peerm.accounts import sessions

    first = sessions.open_session(fatima, "Mozilla/5.0 (Android 14) Firefox/140.0")
    second = sessions.open_session(fatima, "")
    assert sessions.person_of(first) == fatima and sessions.person_of(second) == fatima
    sessions.end_session(first)
    assert sessions.person_of(first) is None and sessions.person_of(second) == fatima
    sessions.end_all_sessions(Person.get_by_id(fatima.id))
    assert sessions.person_of(second) is None
    assert [s.device for s in sessions.open_sessions(fatima)] == []


def test_a_session_lasts_thirty_days_at_most(fatima):
    from peerm.accounts import sessions

    token = sessions.open_session(fatima, "", now=clock.now() - dt.timedelta(days=30, minutes=1))
    assert sessions.person_of(token) is None


def test_last_seen_is_written_once_an_hour_at_most(fatima):
    from peerm.accounts import sessions
    from peerm.accounts.models import LoginSession

    start = clock.now()
    token = sessions.open_session(fatima, "", now=start)
    sessions.person_of(token, now=start + dt.timedelta(minutes=30))
    assert LoginSession.get(LoginSession.person == fatima).last_seen_at == start
    sessions.person_of(token, now=start + dt.timedelta(minutes=61))
    assert LoginSession.get(LoginSession.person == fatima).last_seen_at > start


def test_a_reset_and_erasure_end_every_session(fatima):
    from peerm.accounts import sessions

    token = sessions.open_session(fatima, "")
    _, link = services.create_reset(fatima, None)
    services.reset_password(link, "een heel nieuw wachtwoord")
    assert sessions.person_of(token) is None
    token = sessions.open_session(Person.get_by_id(fatima.id), "")
    services.erase_account(Person.get_by_id(fatima.id))
    assert sessions.person_of(token) is None


# --- the person's own data ------------------------------------------------------------------

def test_every_reference_to_a_person_says_what_it_means_for_the_export(app, ctx):
    """A new table that points to a person fails here until its part classifies the
    reference (`Part.exported`)."""
    from peerm.accounts.export import references_to_people

    for part in app.extensions["peerm.parts"]:
        for model in part.models:
            links = references_to_people(model)
            if not links:
                continue
            rule = part.exported.get(model._meta.table_name)
            assert rule is not None, \
                f"{model.__name__} points to a person: add it to {part.name}'s Part.exported"
            assert set(rule.about) | set(rule.acted) == links, \
                f"classify every reference of {model.__name__} to a person in Part.exported"


def test_a_coordinators_export_holds_nobody_elses_data(ctx, lucas, fatima):
    from peerm.toolshed.models import Loan, Tool
    from peerm.volunteering.models import ExpenseClaim, Shift, ShiftChange, WorkingGroup

    kees, mohammed = by_email("kees"), by_email("mohammed")
    _, invite_token = services.create_invite(lucas, "member", fatima)
    _, reset_token = services.create_reset(mohammed, fatima)
    group = WorkingGroup.select().where(WorkingGroup.initiative == lucas).first()
    now = clock.now()
    shift = Shift.create(person=kees, group=group, checkin_action="a" * 36, checkin_at=now,
                         checkout_at=now, state="approved", approved_by=fatima, approved_at=now,
                         note="Kees reed naar het ziekenhuis")
    ShiftChange.create(shift=shift, changed_by=fatima, what="end", old="", new="", reason="x",
                       at=now)
    ExpenseClaim.create(person=kees, initiative=lucas, kind="travel_km", amount_cents=4242,
                        km=20, date=now.date(), note="Ritje van Kees", decided_by=fatima,
                        state="approved")
    tool = Tool.select().where(Tool.initiative == lucas).first()
    Loan.create(tool=tool, borrower=mohammed, lent_by=fatima, lent_at=now,
                due=now.date(), resolution="Mohammed bracht hem schoon terug")
    data = services.export_data(fatima)
    text = str(data)
    hashes = [services._token_hash(token) for token in (invite_token, reset_token)]
    for secret in ("Kees", "Mohammed", "4242", invite_token, reset_token, *hashes):
        assert secret not in text, f"{secret!r} is in Fatima's export"
    own_ids = {fatima.id}
    for table, rows in data.items():
        if isinstance(rows, list):
            for row in rows:
                for field in ("person", "borrower", "created_by", "approved_by", "decided_by",
                              "lent_by", "changed_by"):
                    assert row.get(field) in (None, *own_ids), (table, row)
    assert data["acted_for_others"]["invite.created_by"] == 2
    assert data["acted_for_others"]["loan.lent_by"] == 1


def test_a_volunteers_export_holds_their_own_rows(ctx, lucas, fatima):
    from peerm.volunteering.models import ExpenseClaim

    kees = by_email("kees")
    ExpenseClaim.create(person=kees, initiative=lucas, kind="travel_km", amount_cents=4242,
                        km=20, date=clock.now().date(), note="Ritje", decided_by=fatima,
                        state="approved")
    data = services.export_data(kees)
    [claim] = data["expenseclaim"]
    assert claim["amount_cents"] == 4242 and "decided_by" not in claim
    assert len(data["membership"]) == 2


def test_a_lock_out_says_how_many_minutes_are_left(ctx):
    start = clock.now()
    for _ in range(services.ACCOUNT_FAILURES):
        LoginFailure.create(key="account:kees@peerm.example", at=start)
    with pytest.raises(AccountError) as error:
        services.log_in("kees@peerm.example", DEMO_PASSWORD, "10.0.0.1",
                        now=start + dt.timedelta(minutes=5))
    assert "10" in error.value.message
