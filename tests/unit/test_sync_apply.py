"""`protocol.apply`, called directly: exactly once per action id, the record written with the
effect, the phone's clock checked, actions that refer to earlier ones, and who may check in.

Handlers say their outcome with gettext, so each test runs in a request context; results are
judged by `status`, `outcome` and `ref`, never by the (translated) message.
"""
import datetime as dt
import uuid

import pytest

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.events.models import Event, Signup
from peerm.initiatives.models import Initiative
from peerm.outbox import protocol
from peerm.outbox.models import SyncRecord
from peerm.outbox.protocol import ActionRejected, apply, parse_at

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
UTC = dt.timezone.utc


@pytest.fixture
def ctx(app):
    """A request context (for gettext) with an open connection."""
    with app.test_request_context(), db.connection_context():
        yield


@pytest.fixture
def event(ctx):
    """A local event of lucas-community tomorrow, with room for three people."""
    starts_at = clock.now() + DAY
    return Event.create(kind="local", initiative=Initiative.get(slug="lucas-community"),
                        title_nl="Samen koken", title_en="Cooking together", summary_nl="…",
                        summary_en="…", place="Rotterdam", starts_at=starts_at,
                        ends_at=starts_at + 2 * HOUR, capacity=3)


def person(email):
    return Person.by_email(email)


def phone_now(offset=dt.timedelta()):
    """The phone's clock as it sends it: ISO 8601 with the Dutch offset."""
    return (dt.datetime.now(clock.NETWORK_TZ) + offset).replace(microsecond=0).isoformat()


def action(action_type, data, at=None, action_id=None):
    return {"id": action_id or str(uuid.uuid4()), "type": action_type,
            "at": at or phone_now(), "data": data}


def signup_action(event, name="Fatima", party_size=1, **kwargs):
    return action("event.signup", {"event": event.id, "name": name, "party_size": party_size},
                  **kwargs)


def signups_of(event):
    return Signup.select().where(Signup.event == event).count()


def records(action_id):
    return SyncRecord.select().where(SyncRecord.action_id == action_id).count()


# Exactly once -----------------------------------------------------------------------------

def test_apply_signup_is_applied_and_recorded_when_new(event):
    sent = signup_action(event, party_size=2)
    result = apply(sent)
    assert (result.status, result.outcome, result.id) == ("applied", "confirmed", sent["id"])
    signup = Signup.get(Signup.event == event)
    assert result.ref == signup.code
    assert result.message
    record = SyncRecord.get(SyncRecord.action_id == sent["id"])
    assert (record.type, record.status, record.outcome, record.ref) == (
        "event.signup", "applied", "confirmed", signup.code)


def test_apply_same_id_again_is_duplicate_when_body_is_the_same(event):
    sent = signup_action(event, party_size=3)
    first = apply(sent)
    again = apply(dict(sent))
    assert again.status == "duplicate"
    assert (again.id, again.outcome, again.ref, again.message) == (
        first.id, first.outcome, first.ref, first.message)
    assert signups_of(event) == 1
    assert records(sent["id"]) == 1
    # The duplicate is not a second claim on a seat.
    assert Event.get_by_id(event.id).seats_left() == 0


def test_apply_same_id_is_rejected_id_reused_when_body_differs(event):
    sent = signup_action(event, name="Fatima")
    apply(sent)
    other = signup_action(event, name="Kees", action_id=sent["id"])
    result = apply(other)
    assert (result.status, result.outcome, result.id) == ("rejected", "id_reused", sent["id"])
    assert [s.name for s in Signup.select().where(Signup.event == event)] == ["Fatima"]


def test_apply_keeps_rejection_when_same_action_comes_again(event):
    sent = signup_action(event, party_size=11)
    first = apply(sent)
    again = apply(sent)
    assert (first.status, first.outcome) == ("rejected", "party_size_invalid")
    assert (again.status, again.outcome, again.id) == ("rejected", "party_size_invalid",
                                                       sent["id"])
    assert SyncRecord.get(SyncRecord.action_id == sent["id"]).status == "rejected"
    assert signups_of(event) == 0


def test_apply_leaves_no_effect_when_record_cannot_be_written(event, monkeypatch):
    def broken_record(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(protocol, "_record", broken_record)
    sent = signup_action(event)
    with pytest.raises(RuntimeError):
        apply(sent)
    assert signups_of(event) == 0
    assert records(sent["id"]) == 0
    monkeypatch.undo()
    # Sent again once the database works: applied now, and only once.
    assert apply(sent).status == "applied"
    assert signups_of(event) == 1


def test_a_batch_applies_each_action_alone_when_one_fails_midway(event, monkeypatch):
    """One commit for a batch on SQLite, a transaction per action on PostgreSQL: either way an
    action that fails after writing leaves nothing, and the actions around it are applied."""
    real = protocol._record
    broken = {"calls": 0}

    def record_failing_the_second_time(*args, **kwargs):
        broken["calls"] += 1
        if broken["calls"] == 2:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(protocol, "_record", record_failing_the_second_time)
    batch = [signup_action(event, name=name) for name in ("Anna", "Bram", "Cor")]
    results = protocol.apply_batch(batch)
    assert [(r.status, r.outcome) for r in results] == [
        ("applied", "confirmed"), ("rejected", "server_error"), ("applied", "confirmed")]
    assert [r.id for r in results] == [sent["id"] for sent in batch]
    # Bram's sign-up was written before its record failed: it went with it.
    assert sorted(s.name for s in Signup.select().where(Signup.event == event)) == ["Anna", "Cor"]
    assert records(batch[1]["id"]) == 0


def test_apply_rejects_unknown_type_without_recording_it(event):
    sent = action("event.teleport", {"event": event.id})
    result = apply(sent)
    assert (result.status, result.outcome, result.id) == ("rejected", "unknown_type", sent["id"])
    assert records(sent["id"]) == 0


# The phone's clock ------------------------------------------------------------------------

def test_apply_rejects_time_when_impossible(event):
    cases = {
        "at_future": phone_now(dt.timedelta(minutes=6)),
        "at_too_old": phone_now(-dt.timedelta(days=31)),
        "at_invalid": clock.now().isoformat(),  # no offset
    }
    for code, at in cases.items():
        sent = signup_action(event, at=at)
        result = apply(sent)
        assert (result.status, result.outcome, result.id) == ("rejected", code, sent["id"]), at
    assert apply(signup_action(event, at="gisteren")).outcome == "at_invalid"
    assert signups_of(event) == 0


def test_apply_accepts_action_when_sent_again_after_clock_caught_up(event):
    now = dt.datetime.now(UTC)
    sent = signup_action(event, at=(now + dt.timedelta(minutes=10)).isoformat())
    assert apply(sent, now=now).outcome == "at_future"
    later = apply(sent, now=now + dt.timedelta(minutes=11))
    assert later.status == "applied"
    assert signups_of(event) == 1


@pytest.mark.parametrize("offset, accepted", [
    (dt.timedelta(minutes=4, seconds=59), True), (dt.timedelta(minutes=5, seconds=1), False),
    (-dt.timedelta(days=29, hours=23), True), (-dt.timedelta(days=30, seconds=1), False),
])
def test_parse_at_allows_five_minutes_ahead_and_thirty_days_back(offset, accepted):
    now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    raw = (now + offset).isoformat()
    if accepted:
        assert parse_at(raw, now) == (now + offset).astimezone(UTC).replace(tzinfo=None)
    else:
        with pytest.raises(ActionRejected):
            parse_at(raw, now)


@pytest.mark.parametrize("raw, wall_clock", [
    ("2026-01-15T10:15:00+00:00", dt.datetime(2026, 1, 15, 11, 15)),   # winter: UTC+1
    ("2026-07-15T10:15:00+00:00", dt.datetime(2026, 7, 15, 12, 15)),   # summer: UTC+2
    ("2026-07-15T12:15:00+02:00", dt.datetime(2026, 7, 15, 12, 15)),
    ("2026-07-15T06:15:00-04:00", dt.datetime(2026, 7, 15, 12, 15)),
])
def test_parse_at_stores_utc_shown_as_dutch_wall_clock_when_phone_sends_any_offset(raw,
                                                                                  wall_clock):
    now = dt.datetime.fromisoformat(raw) + HOUR
    stored = parse_at(raw, now)
    assert stored == dt.datetime.fromisoformat(raw).astimezone(UTC).replace(tzinfo=None)
    assert clock.local(stored) == wall_clock


# Actions that refer to earlier ones -------------------------------------------------------

def test_apply_cancel_by_signup_action_id_cancels_that_signup(event):
    made = signup_action(event)
    code = apply(made).ref
    result = apply(action("event.cancel", {"signup": made["id"]}))
    assert (result.status, result.outcome, result.ref) == ("applied", "cancelled", code)
    assert Signup.get(Signup.code == code).status == "cancelled"


def test_apply_cancel_by_signup_action_id_is_rejected_when_signup_was_not_made(event):
    refused = signup_action(event, party_size=0)
    apply(refused)
    for missing in (refused["id"], str(uuid.uuid4())):
        result = apply(action("event.cancel", {"signup": missing}))
        assert (result.status, result.outcome) == ("rejected", "signup_unknown")


# Check-in at the door ---------------------------------------------------------------------

def test_apply_attend_is_unauthorized_and_not_recorded_when_nobody_is_logged_in(event):
    code = apply(signup_action(event)).ref
    sent = action("event.attend", {"event": event.id, "code": code})
    result = apply(sent, person=None)
    assert (result.status, result.id) == ("unauthorized", sent["id"])
    assert records(sent["id"]) == 0
    assert Signup.get(Signup.code == code).attended_at is None
    # Kept on the phone, it is sent again once a volunteer has logged in.
    later = apply(sent, person=person("kees@peerm.example"))
    assert (later.status, later.outcome, later.ref) == ("applied", "attended", code)
    assert Signup.get(Signup.code == code).attended_at is not None


def test_apply_attend_is_rejected_not_allowed_when_person_is_only_a_member(event):
    code = apply(signup_action(event)).ref
    sent = action("event.attend", {"event": event.id, "code": code})
    result = apply(sent, person=person("mohammed@peerm.example"))
    assert (result.status, result.outcome) == ("rejected", "not_allowed")
    assert Signup.get(Signup.code == code).attended_at is None


def test_apply_attend_stores_phone_time_in_utc(event):
    code = apply(signup_action(event)).ref
    # The check-in happened at the door, so the event was that morning.
    Event.update(starts_at=dt.datetime(2026, 1, 15, 10, 0), ends_at=dt.datetime(2026, 1, 15, 12, 0)
                 ).where(Event.id == event.id).execute()
    now = dt.datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
    sent = action("event.attend", {"event": event.id, "code": code},
                  at="2026-01-15T10:15:00+00:00")
    result = apply(sent, person=person("fatima@peerm.example"), now=now)
    assert result.status == "applied"
    assert Signup.get(Signup.code == code).attended_at == dt.datetime(2026, 1, 15, 10, 15)
    assert SyncRecord.get(SyncRecord.action_id == sent["id"]).at == dt.datetime(
        2026, 1, 15, 10, 15)


def test_apply_attend_walk_in_by_name_is_applied_when_event_is_full(event):
    apply(signup_action(event, party_size=3))
    sent = action("event.attend", {"event": event.id, "name": "Oma Truus"})
    result = apply(sent, person=person("kees@peerm.example"))
    assert (result.status, result.outcome) == ("applied", "attended")
    walk_in = Signup.get(Signup.code == result.ref)
    assert (walk_in.name, walk_in.walk_in, walk_in.status) == ("Oma Truus", True, "confirmed")
