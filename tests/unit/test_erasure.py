"""Erasing an account: afterwards no table holds the person's name, e-mail address or phone
number — not in sign-ups made while logged out, walk-ins at the door, notes, the idempotency
records' messages or what coordinators wrote — while the facts (seats, hours, loans, paid
claims) stay, anonymous.

A person with a name found nowhere else builds a history through the same services and
actions the app uses, then erases her account; the check searches every text column of every
table for each of her identifiers.
"""
import datetime as dt
import uuid

import pytest

from peerm.accounts import services
from peerm.accounts.models import LoginFailure, Membership, Person
from peerm.core import clock
from peerm.core import db as database
from peerm.events.models import Event, Signup
from peerm.initiatives.models import Initiative
from peerm.outbox.models import SyncRecord
from peerm.outbox.protocol import apply
from peerm.parts import all_models
from peerm.toolshed.models import Loan, Tool
from peerm.volunteering import services as volunteering
from peerm.volunteering.models import ExpenseClaim, Shift, WorkingGroup

NAME = "Wilhelmina Zwaantjes"
EMAIL = "w.zwaantjes@voorbeeld.nl"
PHONE = "06 98765432"
# How she wrote her number when she signed up without an account.
PHONE_ON_SIGNUP = "+31 6 9876 5432"


def act(action_type, data, at=None):
    at = at or dt.datetime.now(clock.NETWORK_TZ)
    return {"id": str(uuid.uuid4()), "type": action_type,
            "at": at.replace(microsecond=0).isoformat(), "data": data}


def by_email(email):
    return Person.get(Person.email == email)


@pytest.fixture
def wilhelmina(app, tmp_path):
    """A volunteer at Lucas Community and a member of Talent in Actie's tool library."""
    app.config["RECEIPTS_FOLDER"] = str(tmp_path / "receipts")
    with app.test_request_context(), database.db.connection_context():
        yield _make_wilhelmina()


def _make_wilhelmina():
    person = Person.create(display_name=NAME, email=EMAIL, phone=PHONE,
                           password_hash=services.hash_password("een goed wachtwoord"))
    Membership.create(person=person, initiative=Initiative.get(slug="lucas-community"),
                      role="volunteer")
    Membership.create(person=person, initiative=Initiative.get(slug="talent-in-actie"),
                      role="member")
    return person


def texts_naming(needle):
    """Every (table, column, row id) whose text holds the needle, in the whole database."""
    found = []
    for model in all_models():
        for field in model._meta.fields.values():
            if field.field_type in ("VARCHAR", "TEXT"):
                for row in model.select().where(field.contains(needle)):
                    found.append((model._meta.table_name, field.name, row.get_id()))
    return found


def build_history(wilhelmina):
    """What a year in Peer'M leaves behind of her, made the way the app makes it."""
    lucas = Initiative.get(slug="lucas-community")
    fatima = by_email("fatima@peerm.example")
    event = Event.upcoming(initiative=lucas).first()
    # Later today: its door list is open (see Event.door_open).
    event.starts_at = clock.now() + dt.timedelta(hours=2)
    event.ends_at = event.starts_at + dt.timedelta(hours=2)
    event.save()
    now = dt.datetime.now(clock.NETWORK_TZ)
    results = [
        # Signed up while logged in, and once from a phone without logging in.
        apply(act("event.signup", {"event": event.id, "name": NAME, "party_size": 2}),
              wilhelmina),
        apply(act("event.signup", {"event": event.id, "name": "Mina", "party_size": 1,
                                   "contact": PHONE_ON_SIGNUP})),
        # Came to the door once without signing up: a volunteer typed her name.
        apply(act("event.attend", {"event": event.id, "name": NAME.lower()}), fatima),
    ]
    group = WorkingGroup.get(WorkingGroup.initiative == lucas)
    checkin = act("shift.checkin", {"group": group.id, "note": f"{NAME} deed de kassa"},
                  at=now - dt.timedelta(hours=3))
    results += [apply(checkin, wilhelmina),
                apply(act("shift.checkout", {"checkin": checkin["id"]},
                          at=now - dt.timedelta(hours=1)), wilhelmina)]
    shift = Shift.get(Shift.checkin_action == checkin["id"])
    volunteering.approve_shift(fatima, shift, shift.checkout_at - dt.timedelta(minutes=30),
                               reason=f"{NAME} ging een half uur eerder weg")
    today = dt.date.today()
    paid, _check = volunteering.submit_claim(wilhelmina, lucas, "travel_km", today, km=12,
                                             note=f"Bus van {NAME} naar de markt")
    volunteering.approve_claim(fatima, paid)
    volunteering.mark_paid(fatima, ExpenseClaim.get_by_id(paid.id))
    volunteering.submit_claim(wilhelmina, lucas, "travel_km", today, km=3,
                              note="nog niet beslist")
    talent = Initiative.get(slug="talent-in-actie")
    ladder = Tool.get((Tool.initiative == talent) & (Tool.name == "Ladder"))
    results.append(apply(act("tool.lend", {"tool": ladder.code, "borrower": wilhelmina.id,
                                           "rules": 1}), by_email("anouk@peerm.example")))
    LoginFailure.create(key=f"account:{EMAIL}", at=clock.now())
    services.create_reset(wilhelmina, fatima)
    assert all(result.status == "applied" for result in results), results
    return event


def test_history_names_her_before_erasure(wilhelmina):
    build_history(wilhelmina)
    # The search finds what it is meant to find: her name in sign-ups, notes and messages.
    tables = {table for table, _field, _row in texts_naming(NAME)}
    assert {"person", "signup", "shift", "shiftchange", "expenseclaim", "syncrecord"} <= tables
    assert {table for table, _f, _r in texts_naming(PHONE_ON_SIGNUP)} == {"signup"}


def test_erasure_leaves_her_name_address_and_phone_nowhere(wilhelmina):
    event = build_history(wilhelmina)
    seats_before = event.seats_taken()
    services.erase_account(wilhelmina)
    for needle in (NAME, EMAIL, PHONE, PHONE_ON_SIGNUP, "zwaantjes"):
        assert texts_naming(needle) == [], needle
    # The facts stay, anonymous: seats taken, hours worked, the paid claim, the loan.
    assert Event.get_by_id(event.id).seats_taken() == seats_before
    assert Shift.select().where(Shift.person == wilhelmina).count() == 1
    claims = list(ExpenseClaim.select().where(ExpenseClaim.person == wilhelmina))
    assert [(claim.state, claim.km) for claim in claims] == [("paid", 12)]
    assert claims[0].note == "Bus van \u2014 naar de markt"
    assert Loan.select().where(Loan.borrower == wilhelmina).count() == 1
    # A phone may still send an action again: its record stays, without words about her.
    assert SyncRecord.select().where(SyncRecord.person == wilhelmina).count() == 3


def test_erasure_leaves_other_people_alone(wilhelmina):
    event = build_history(wilhelmina)
    kees = by_email("kees@peerm.example")
    other = apply(act("event.signup", {"event": event.id, "name": "Mina de Vries",
                                       "contact": "06 11122233", "party_size": 1}), None)
    services.erase_account(wilhelmina)
    assert Signup.get(Signup.code == other.ref).name == "Mina de Vries"
    assert Person.get_by_id(kees.id).display_name == "Kees"
