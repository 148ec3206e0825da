"""Properties of the outbox protocol under random input.

Random batches mix valid sign-ups, cancels and check-ins with broken actions (missing fields,
wrong types, unknown types, bad ids, nonsense values). Each batch goes to `POST /sync` in one
random order and then again in another: the server never fails, answers one well-formed result
per action, applies each action id at most once, and answers a replay with the stored result.
A second property drives the services directly: however sign-ups and cancels interleave, no
event is overbooked and the waiting list keeps the order of arrival.

Ids are drawn as slots and turned into fresh UUIDs for each example, because the database
lives as long as the test, across all its examples.
"""
import datetime as dt
import json
import uuid
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerm.core import clock
from peerm.core.db import db
from peerm.events import services
from peerm.events.models import CODE_ALPHABET, Event, Signup
from peerm.events.services import EventError
from peerm.initiatives.models import Initiative
from peerm.outbox.models import SyncRecord
from peerm.outbox.protocol import body_hash

STATUSES = {"applied", "duplicate", "conflict", "rejected", "unauthorized"}
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
SLOTS = 32
# Examples stay few: each one makes an event and sends two batches, on both databases.
PROPERTY = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

# Nonsense that a broken or hostile phone might send in place of any value.
nonsense = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2 ** 63),
    st.integers(max_value=-(2 ** 63)), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.sampled_from(["", " ", "<b>", "💥" * 90, "1; DROP TABLE signup"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                          max_size=2))
good_names = st.sampled_from(["Fatima", "Kees", "Mo", "Oma Truus", "Zoë", "José María"])
good_sizes = st.integers(min_value=1, max_value=4)
names = st.one_of(good_names, st.text(max_size=90), nonsense)
party_sizes = st.one_of(good_sizes, nonsense)
codes = st.one_of(st.text(alphabet=CODE_ALPHABET + "01OIL", min_size=6, max_size=6), nonsense)
# How the phone's clock may be off: fine, ahead, too old, without offset, unreadable.
clocks = st.sampled_from(["now", "now", "now", "now", "ahead", "old", "naive", "garbage"])
slots = st.integers(min_value=0, max_value=SLOTS - 1)
action_fields = ["id", "type", "at", "data"]

now = st.just("now")
specs = st.one_of(
    # Valid actions, drawn more often so that sign-ups, cancels and check-ins really happen.
    st.tuples(st.just("signup"), slots, now, good_names, good_sizes),
    st.tuples(st.just("signup"), slots, now, good_names, good_sizes),
    st.tuples(st.just("cancel_ref"), slots, now, slots),
    st.tuples(st.just("signup_and_cancel"), slots, now, good_names, good_sizes, slots),
    st.tuples(st.just("attend_name"), slots, now, good_names),
    # Anything else.
    st.tuples(st.just("signup"), slots, clocks, names, party_sizes),
    st.tuples(st.just("cancel_ref"), slots, clocks, slots),
    st.tuples(st.just("cancel_code"), slots, clocks, codes),
    st.tuples(st.just("attend_name"), slots, clocks, names),
    st.tuples(st.just("data_nonsense"), slots, st.sampled_from(["event.signup", "event.cancel",
                                                                "event.attend"]),
              st.dictionaries(st.sampled_from(["event", "name", "party_size", "contact",
                                               "code", "signup"]), nonsense, max_size=4)),
    st.tuples(st.just("drop_field"), slots, st.sampled_from(action_fields)),
    st.tuples(st.just("field_nonsense"), slots, st.sampled_from(action_fields), nonsense),
    st.tuples(st.just("unknown_type"), slots, st.text(max_size=50)),
    st.tuples(st.just("not_an_object"), nonsense),
)


def phone_clock(kind):
    now = dt.datetime.now(clock.NETWORK_TZ).replace(microsecond=0)
    return {"now": now.isoformat(), "ahead": (now + 10 * dt.timedelta(minutes=1)).isoformat(),
            "old": (now - 40 * DAY).isoformat(),
            "naive": now.replace(tzinfo=None).isoformat(), "garbage": "gisteren"}[kind]


def build(spec, ids, event_id):
    """The raw actions a spec stands for, with this example's ids and event."""
    if spec[0] == "signup_and_cancel":
        _kind, made, clock, name, size, cancel = spec
        return [build_one(("signup", made, clock, name, size), ids, event_id),
                build_one(("cancel_ref", cancel, clock, made), ids, event_id)]
    return [build_one(spec, ids, event_id)]


def build_one(spec, ids, event_id):
    kind = spec[0]
    if kind == "not_an_object":
        return spec[1]
    action_id = ids[spec[1]]
    if kind == "signup":
        return {"id": action_id, "type": "event.signup", "at": phone_clock(spec[2]),
                "data": {"event": event_id, "name": spec[3], "party_size": spec[4]}}
    if kind == "cancel_ref":
        return {"id": action_id, "type": "event.cancel", "at": phone_clock(spec[2]),
                "data": {"signup": ids[spec[3]]}}
    if kind == "cancel_code":
        return {"id": action_id, "type": "event.cancel", "at": phone_clock(spec[2]),
                "data": {"code": spec[3]}}
    if kind == "attend_name":
        return {"id": action_id, "type": "event.attend", "at": phone_clock(spec[2]),
                "data": {"event": event_id, "name": spec[3]}}
    if kind == "data_nonsense":
        return {"id": action_id, "type": spec[2], "at": phone_clock("now"),
                "data": {"event": event_id, **spec[3]}}
    if kind == "unknown_type":
        return {"id": action_id, "type": "x." + spec[2], "at": phone_clock("now"), "data": {}}
    valid = {"id": action_id, "type": "event.signup", "at": phone_clock("now"),
             "data": {"event": event_id, "name": "Fatima", "party_size": 1}}
    if kind == "drop_field":
        del valid[spec[2]]
        return valid
    valid[spec[2]] = spec[3]  # field_nonsense
    return valid


def well_shaped(raw):
    """Whether the action passes the shape check, so that the idempotency record decides."""
    if not isinstance(raw, dict):
        return False
    try:
        ok_id = str(uuid.UUID(raw.get("id"))) == raw.get("id")
    except (TypeError, ValueError, AttributeError):
        ok_id = False
    return (ok_id and isinstance(raw.get("type"), str) and isinstance(raw.get("at"), str)
            and isinstance(raw.get("data"), dict))


def expected_id(raw):
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"][:36]
    return ""


def key(raw):
    return json.dumps(raw, sort_keys=True, default=str)


@pytest.fixture
def clients(app, log_in):
    """An anonymous client and one logged in as Kees, a volunteer of lucas-community."""
    return {"anonymous": app.test_client(), "volunteer": log_in("kees@peerm.example")}


def new_event(app, capacity=3):
    with app.app_context(), db.connection_context():
        starts_at = clock.now() + DAY
        return Event.create(kind="local", initiative=Initiative.get(slug="lucas-community"),
                            title_nl="Samen koken", title_en="Cooking together",
                            summary_nl="…", summary_en="…", place="Rotterdam",
                            starts_at=starts_at, ends_at=starts_at + 2 * HOUR,
                            capacity=capacity).id


def send(client, batch):
    response = client.post("/sync", data=json.dumps({"actions": batch}),
                           content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    answered = response.get_json()["results"]
    assert len(answered) == len(batch)
    for raw, result in zip(batch, answered):
        assert set(result) == {"id", "status", "outcome", "message", "ref"}
        assert result["status"] in STATUSES, result
        assert result["id"] == expected_id(raw), (raw, result)
        assert result["message"], result
    return answered


@PROPERTY
@given(specs=st.lists(specs, min_size=1, max_size=12), data=st.data(),
       who=st.sampled_from(["anonymous", "volunteer"]))
def test_sync_applies_each_action_once_when_batch_is_replayed_in_another_order(
        app, clients, specs, data, who):
    client = clients[who]
    event_id = new_event(app)
    ids = [str(uuid.uuid4()) for _ in range(SLOTS)]
    batch = [raw for spec in specs for raw in build(spec, ids, event_id)]
    first_order = data.draw(st.permutations(batch), label="first order")
    first = send(client, first_order)

    applied = Counter(r["id"] for r in first if r["status"] == "applied")
    assert all(count == 1 for count in applied.values()), applied
    well = [raw for raw in batch if well_shaped(raw)]
    with app.app_context(), db.connection_context():
        stored = {r.action_id: r for r in SyncRecord.select().where(
            SyncRecord.action_id.in_(ids))}
        per_id = Counter(r.action_id for r in SyncRecord.select().where(
            SyncRecord.action_id.in_(ids)))
        made = list(Signup.select().where(Signup.event == event_id))
    assert all(count <= 1 for count in per_id.values()), per_id
    signup_ids = {raw["id"] for raw in well if raw["type"] == "event.signup"}
    attend_ids = {raw["id"] for raw in well if raw["type"] == "event.attend"}
    assert len([s for s in made if not s.walk_in]) <= len(signup_ids)
    assert len([s for s in made if s.walk_in]) <= len(attend_ids)
    if who == "anonymous":
        assert not any(s.walk_in for s in made)
    refs = [result["ref"] for raw, result in zip(first_order, first)
            if result["status"] == "applied" and raw["type"] == "event.signup"]
    with app.app_context(), db.connection_context():
        # Nonsense event numbers may name a demo event: look for the codes everywhere.
        assert Signup.select().where(Signup.code.in_(refs)).count() == len(refs)

    second_order = data.draw(st.permutations(batch), label="second order")
    second = send(client, second_order)
    first_by_action = {key(raw): result for raw, result in zip(first_order, first)}
    for raw, result in zip(second_order, second):
        assert result["status"] != "applied", (raw, result)
        record = stored.get(raw["id"]) if well_shaped(raw) else None
        if record is None:
            before = first_by_action[key(raw)]
            assert (result["status"], result["outcome"]) == (before["status"],
                                                             before["outcome"]), raw
        elif record.body_hash != body_hash(raw["type"], raw["data"]):
            assert (result["status"], result["outcome"]) == ("rejected", "id_reused"), raw
        else:
            replayed = "rejected" if record.status == "rejected" else "duplicate"
            assert (result["status"], result["outcome"], result["ref"]) == (
                replayed, record.outcome, record.ref), raw
    with app.app_context(), db.connection_context():
        assert Signup.select().where(Signup.event == event_id).count() == len(made)
        assert SyncRecord.select().where(SyncRecord.action_id.in_(ids)).count() == len(stored)


# The services under random sign-ups and cancels -----------------------------------------

steps = st.lists(st.one_of(
    st.tuples(st.just("sign_up"), st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=20)),
), min_size=1, max_size=25)


@PROPERTY
@given(steps=steps, capacity=st.integers(min_value=1, max_value=6))
def test_event_is_never_overbooked_when_sign_ups_and_cancels_interleave(app, steps, capacity):
    with app.app_context(), db.connection_context():
        starts_at = clock.now() + DAY
        event = Event.create(kind="local", title_nl="t", title_en="t", summary_nl="…",
                             summary_en="…", place="Breda", starts_at=starts_at,
                             ends_at=starts_at + HOUR, capacity=capacity)
        made = []
        for step, value in steps:
            if step == "sign_up":
                made.append(services.sign_up(event, f"Gast {len(made)}", value))
            elif made:
                try:
                    services.cancel(made[value % len(made)].code)
                except EventError as error:
                    assert error.code == "already_cancelled"
            rows = {s.id: s for s in Signup.select().where(Signup.event == event)}
            confirmed = sum(s.party_size for s in rows.values() if s.status == "confirmed")
            assert confirmed <= capacity
            waiting = list(Signup.waiting(event))
            assert [s.waitlist_place() for s in waiting] == list(range(1, len(waiting) + 1))
            assert [s.id for s in waiting] == sorted(s.id for s in waiting)
        assert len({s.code for s in made}) == len(made)
