"""`POST /sync` through the test client: the contract's shapes, the batch's limits, the origin
check, per-action rejections that never break the batch, and who may check people in.

Results are judged by `status`, `outcome` and `ref`; the message text only where the language is
what is tested.
"""
import datetime as dt
import json
import re
import uuid

import pytest

from peerm.core import clock
from peerm.core.db import db
from peerm.events.models import Event, Signup
from peerm.initiatives.models import Initiative
from peerm.outbox.models import SyncRecord
from peerm.outbox.protocol import MAX_ACTION_BYTES, MAX_ACTIONS, MAX_BATCH_BYTES

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
STATUSES = {"applied", "duplicate", "conflict", "rejected", "unauthorized"}
RESULT_KEYS = {"id", "status", "outcome", "message", "ref"}


@pytest.fixture
def event(app):
    """A local event of lucas-community tomorrow, with room for three people; its id."""
    with app.app_context(), db.connection_context():
        starts_at = clock.now() + DAY
        return Event.create(kind="local", initiative=Initiative.get(slug="lucas-community"),
                            title_nl="Samen koken", title_en="Cooking together",
                            summary_nl="…", summary_en="…", place="Rotterdam",
                            starts_at=starts_at, ends_at=starts_at + 2 * HOUR, capacity=3).id


def in_db(app, query):
    """Run `query()` against the test's database and return its value."""
    with app.app_context(), db.connection_context():
        return query()


def signups(app, event_id):
    return in_db(app, lambda: list(Signup.select().where(Signup.event == event_id)
                                   .order_by(Signup.id)))


def action(action_type, data, action_id=None, at=None):
    at = at or dt.datetime.now(clock.NETWORK_TZ).replace(microsecond=0).isoformat()
    return {"id": action_id or str(uuid.uuid4()), "type": action_type, "at": at, "data": data}


def signup(event_id, name="Fatima", party_size=1, **data):
    return action("event.signup", {"event": event_id, "name": name, "party_size": party_size,
                                   **data})


def post(client, body, **headers):
    """POST a batch (a dict is sent as JSON, a str or bytes as it is)."""
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return client.post("/sync", data=body, content_type=headers.pop(
        "content_type", "application/json"), headers=headers)


def results(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["results"]


# The contract's shapes --------------------------------------------------------------------

def test_sync_answers_one_result_per_action_in_order_when_batch_is_mixed(app, client, event):
    made = signup(event, party_size=2)
    batch = [made,
             action("event.cancel", {"signup": made["id"]}),     # refers to the one before
             action("event.teleport", {}),
             action("event.attend", {"event": event, "name": "Oma Truus"})]
    response = post(client, {"actions": batch})
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"results"}
    assert [set(result) for result in body["results"]] == [RESULT_KEYS] * 4
    assert [r["id"] for r in body["results"]] == [a["id"] for a in batch]
    assert [(r["status"], r["outcome"]) for r in body["results"]] == [
        ("applied", "confirmed"), ("applied", "cancelled"), ("rejected", "unknown_type"),
        ("unauthorized", "login_needed")]
    assert all(isinstance(r[key], str) for r in body["results"] for key in RESULT_KEYS)
    assert all(r["message"] for r in body["results"])
    code = body["results"][0]["ref"]
    assert body["results"][1]["ref"] == code
    assert [(s.code, s.status) for s in signups(app, event)] == [(code, "cancelled")]


def test_sync_returns_stored_results_when_batch_is_sent_again(app, client, event):
    batch = [signup(event, party_size=3), signup(event, name="Kees"), signup(event, name="")]
    first = results(post(client, {"actions": batch}))
    again = results(post(client, {"actions": batch}))
    assert [r["outcome"] for r in first] == ["confirmed", "waitlisted", "name_missing"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate", "rejected"]
    for before, after in zip(first, again):
        assert (after["id"], after["outcome"], after["ref"]) == (
            before["id"], before["outcome"], before["ref"])
    assert len(signups(app, event)) == 2


MALFORMED = [
    ('{"actions": [', "application/json"),
    ("actions=[]", "application/x-www-form-urlencoded"),
    ('{"actions": []}', "text/plain"),
    ("", "application/json"),
    ("{}", "application/json"),
    ('{"actions": {"id": 1}}', "application/json"),
    ('{"actions": "all"}', "application/json"),
    ('{"actions": null}', "application/json"),
    ('[{"id": "x"}]', "application/json"),
    ("null", "application/json"),
]


def test_sync_refuses_batch_with_400_when_malformed(client):
    for body, content_type in MALFORMED:
        response = post(client, body, content_type=content_type)
        assert response.status_code == 400, body
        assert isinstance(response.get_json()["error"], str), body
        assert response.get_json()["error"], body


def test_sync_refuses_batch_with_400_when_json_is_nested_too_deep(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # see the 500 a phone would see
    client = app.test_client()
    response = post(client, '{"actions": [' + "[" * 5000 + "]" * 5000 + "]}")
    assert response.status_code == 400


# Origin, size and the form token ----------------------------------------------------------

def test_sync_refuses_with_403_when_request_comes_from_another_site(app, client, event):
    refused = [{"Origin": "https://evil.example"}, {"Origin": "null"},
               {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
               {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"}]
    for headers in refused:
        response = post(client, {"actions": [signup(event)]}, **headers)
        assert response.status_code == 403, headers
        assert response.get_json()["error"]
    assert signups(app, event) == []
    accepted = [{"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"},
                {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}, {}]
    for headers in accepted:
        assert results(post(client, {"actions": [signup(event)]}, **headers))[0][
            "status"] == "applied", headers
    assert len(signups(app, event)) == 4


def test_sync_refuses_with_413_when_batch_is_too_large(client):
    unknown = [action("event.unknown", {}) for _ in range(MAX_ACTIONS + 1)]
    response = post(client, {"actions": unknown})
    assert response.status_code == 413
    assert response.get_json()["error"]
    assert len(results(post(client, {"actions": unknown[:MAX_ACTIONS]}))) == MAX_ACTIONS
    big = {"actions": [action("event.unknown", {"note": "x" * (1024 * 1024)})]}
    response = post(client, big)
    assert response.status_code == 413
    assert response.get_json()["error"]


def test_sync_refuses_one_action_over_its_limit_and_applies_those_behind_it(app, client,
                                                                            event):
    large = signup(event, name="Groot", note="x" * (MAX_ACTION_BYTES + 1))
    # Bytes, not characters: "€" is three bytes in UTF-8.
    wide = signup(event, name="Breed", note="€" * (MAX_ACTION_BYTES // 3 + 1))
    behind = [signup(event, name="Erachter"), signup(event, name="Daarna")]
    answered = []
    for batch in ([large, behind[0]], [wide, behind[1]]):
        body = json.dumps({"actions": batch}, ensure_ascii=False).encode()
        assert len(body) < MAX_BATCH_BYTES
        answered += results(post(client, body))
    assert [(r["id"], r["status"], r["outcome"]) for r in answered] == [
        (large["id"], "rejected", "too_large"), (behind[0]["id"], "applied", "confirmed"),
        (wide["id"], "rejected", "too_large"), (behind[1]["id"], "applied", "confirmed")]
    assert answered[0]["message"]
    assert [s.name for s in signups(app, event)] == ["Erachter", "Daarna"]
    # Refused before anything was stored: the phone may send it again, made smaller, as new.
    assert in_db(app, lambda: SyncRecord.select().where(
        SyncRecord.action_id.in_([large["id"], wide["id"]])).count()) == 0


def test_sync_keeps_an_action_just_within_its_limit(app, client, event):
    data = {"event": event, "name": "Precies", "party_size": 1, "note": ""}
    room = MAX_ACTION_BYTES - len(json.dumps({**data}, ensure_ascii=False).encode())
    data["note"] = "x" * room
    assert len(json.dumps(data, ensure_ascii=False).encode()) == MAX_ACTION_BYTES
    [result] = results(post(client, {"actions": [action("event.signup", data)]}))
    assert (result["status"], result["outcome"]) == ("applied", "confirmed")


def test_worker_and_claim_form_are_told_the_limits_of_the_server(app, client, log_in):
    from peerm.volunteering.services import MAX_RECEIPT_BYTES

    worker = client.get("/sw.js").get_data(as_text=True)
    config = json.loads(worker.split("self.PEERM = ", 1)[1].split(";\n", 1)[0])
    assert (config["syncMaxActions"], config["syncMaxBytes"], config["actionMaxBytes"]) == (
        MAX_ACTIONS, MAX_BATCH_BYTES, MAX_ACTION_BYTES)
    # A claim with the largest receipt the page lets through fits in one action.
    assert (MAX_RECEIPT_BYTES + 2) // 3 * 4 + len("data:image/jpeg;base64,") + 2048 \
        < MAX_ACTION_BYTES
    page = log_in("kees@peerm.example").get("/volunteering/claims").get_data(as_text=True)
    assert f'data-max-bytes="{MAX_RECEIPT_BYTES}"' in page


def _jpeg_of(size):
    """The bytes of a "photo" of exactly `size` bytes: a JPEG's first bytes, then padding."""
    return b"\xff\xd8\xff\xe0" + b"\0" * (size - 4)


def test_sync_refuses_a_receipt_over_the_limit_that_the_form_and_worker_share(app, log_in):
    import base64

    from peerm.volunteering.models import ExpenseClaim
    from peerm.volunteering.services import MAX_RECEIPT_BYTES

    kees = log_in("kees@peerm.example")
    initiative = in_db(app, lambda: Initiative.get(slug="lucas-community").id)

    def claim(size):
        receipt = "data:image/jpeg;base64," + base64.b64encode(_jpeg_of(size)).decode()
        return action("expense.claim", {"initiative": initiative, "kind": "travel_ticket",
                                        "amount": "4,50", "date": dt.date.today().isoformat(),
                                        "receipt": receipt})
    sent = [claim(MAX_RECEIPT_BYTES + 1), claim(400 * 1024), claim(MAX_RECEIPT_BYTES)]
    answered = [results(post(kees, {"actions": [one]}))[0] for one in sent]
    assert [(r["status"], r["outcome"]) for r in answered] == [
        ("rejected", "receipt_too_large"), ("rejected", "too_large"), ("applied", "submitted")]
    # A receipt of 800 KB makes any batch it is in larger than 1 MB: that batch is a 413.
    assert post(kees, {"actions": [claim(800 * 1024)]}).status_code == 413
    assert in_db(app, lambda: ExpenseClaim.select().count()) == 1


def test_sync_needs_no_form_token_when_every_other_post_of_a_session_does(app, log_in, event):
    kees = log_in("kees@peerm.example")
    assert results(post(kees, {"actions": [signup(event)]}))[0]["status"] == "applied"
    form = {"name": "Kees", "party_size": "1", "action_id": str(uuid.uuid4())}
    assert kees.post(f"/events/{event}/signup", data=form).status_code == 400
    assert kees.post("/language", data={"lang": "en", "next": "/"}).status_code == 400
    assert [s.name for s in signups(app, event)] == ["Fatima"]
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      kees.get(f"/events/{event}").get_data(as_text=True)).group(1)
    assert kees.post(f"/events/{event}/signup",
                     data={**form, "csrf_token": token}).status_code == 303
    assert [s.name for s in signups(app, event)] == ["Fatima", "Kees"]

def test_sync_rejects_each_bad_action_when_the_rest_of_the_batch_is_fine(app, client, event):
    good = signup(event)
    no_type = {key: value for key, value in signup(event).items() if key != "type"}
    no_at = {key: value for key, value in signup(event).items() if key != "at"}
    no_data = {key: value for key, value in signup(event).items() if key != "data"}
    no_id = {key: value for key, value in signup(event).items() if key != "id"}
    cases = [
        (no_type, "type_missing"), (no_at, "at_missing"), (no_data, "data_missing"),
        (no_id, "id_invalid"), ({**signup(event), "id": "not-a-uuid"}, "id_invalid"),
        ({**signup(event), "id": 12}, "id_invalid"), ({**signup(event), "data": [1]},
                                                      "data_missing"),
        ({**signup(event), "at": 1700000000}, "at_missing"),
        ({**signup(event), "at": "29 september"}, "at_invalid"),
        (action("shift.teleport", {}), "unknown_type"),
        (signup("abc"), "event_unknown"), (signup(None), "event_unknown"),
        (signup(10 ** 30), "event_unknown"), (signup(-1), "event_unknown"),
        (signup([event]), "event_unknown"),
        (signup(event, party_size=[2]), "party_size_invalid"),
        (signup(event, party_size=10 ** 30), "party_size_invalid"),
        (signup(event, party_size=None), "party_size_invalid"),
        (signup(event, name=None), "name_missing"),
        (signup(event, name="💥" * 81), "name_too_long"),
        (signup(event, contact={"phone": 1}), "contact_invalid"),
        (action("event.cancel", {"code": 123456}), "code_invalid"),
        (action("event.cancel", {}), "code_invalid"),
        ("just a string", "malformed"), (None, "malformed"), ([1, 2], "malformed"),
    ]
    batch = [raw for raw, _ in cases] + [good]
    answered = results(post(client, {"actions": batch}))
    assert len(answered) == len(batch)
    for (raw, code), result in zip(cases, answered):
        assert (result["status"], result["outcome"]) == ("rejected", code), raw
        expected_id = raw.get("id") if isinstance(raw, dict) else None
        assert result["id"] == (expected_id if isinstance(expected_id, str) else ""), raw
    assert (answered[-1]["status"], answered[-1]["outcome"]) == ("applied", "confirmed")
    assert [s.code for s in signups(app, event)] == [answered[-1]["ref"]]


def test_sync_rejects_action_when_text_is_not_encodable(client, event):
    # A lone surrogate is valid JSON ("\ud800") but cannot be stored or hashed as UTF-8.
    body = json.dumps({"actions": [signup(event, name="\ud800")]})
    result = results(post(client, body))[0]
    assert result["status"] == "rejected"


def test_sync_rejects_signup_when_values_are_not_of_their_type(app, client, event):
    cases = [signup(event, name=["Fatima"]), signup(event, name=12345),
             signup(event, name={"first": "Fatima"}), signup(True),
             signup(event, party_size=True)]
    answered = results(post(client, {"actions": cases}))
    assert [r["status"] for r in answered] == ["rejected"] * len(cases)
    assert in_db(app, lambda: Signup.select().count()) == 0


def test_sync_rejects_contact_when_it_holds_control_characters(app, client, event):
    result = results(post(client, {"actions": [signup(event, contact="a\x07b@example.org")]}))
    assert (result[0]["status"], result[0]["outcome"]) == ("rejected", "contact_invalid")
    assert signups(app, event) == []


# Who may check in, and the person's language ----------------------------------------------

def test_sync_applies_attend_when_volunteer_is_logged_in_and_not_when_anonymous(
        app, client, event, log_in):
    code = results(post(client, {"actions": [signup(event)]}))[0]["ref"]
    attend = action("event.attend", {"event": event, "code": code})
    anonymous = results(post(client, {"actions": [attend]}))[0]
    assert (anonymous["status"], anonymous["id"]) == ("unauthorized", attend["id"])
    assert in_db(app, lambda: SyncRecord.select().where(
        SyncRecord.action_id == attend["id"]).count()) == 0
    volunteer = log_in("kees@peerm.example")
    applied = results(post(volunteer, {"actions": [attend]}))[0]
    assert (applied["status"], applied["outcome"], applied["ref"]) == ("applied", "attended",
                                                                       code)
    assert signups(app, event)[0].attended_at is not None
    member = log_in("mohammed@peerm.example")
    other = action("event.attend", {"event": event, "name": "Oma Truus"})
    assert results(post(member, {"actions": [other]}))[0]["outcome"] == "not_allowed"


def test_sync_message_follows_language_cookie(client, event):
    dutch = results(post(client, {"actions": [signup(event)]}))[0]
    assert dutch["message"] == f"Je bent aangemeld. Je code is {dutch['ref']}: bewaar hem om " \
                               "af te melden."
    client.set_cookie("lang", "en")
    english = results(post(client, {"actions": [signup(event, name="Kees")]}))[0]
    assert english["message"] == (f"You are signed up. Your code is {english['ref']}: keep it "
                                  "to cancel.")


# Numbers that are no numbers, and NUL ------------------------------------------------------
# "²" is a digit to Python's `isdigit()` but not to `int()`; "١٢" and "٣" are Arabic-Indic
# digits that `int()` reads as 12 and 3; no database integer holds 30 digits.
BAD_NUMBERS = ["²", "١٢", "٣", "1" * 30, 10 ** 30]


@pytest.fixture
def world(app, event):
    """The ids the actions below name: an event, a working group, a co-operative, a tool and a
    member of its co-operative to lend it to."""
    from peerm.accounts.models import Person
    from peerm.toolshed.models import LendingRules, Tool
    from peerm.volunteering.models import WorkingGroup

    def ids():
        tool = Tool.select().join(Initiative).where(Initiative.slug == "talent-in-actie").first()
        rules = LendingRules.current(tool.initiative)
        return {"event": event, "tool": tool.id, "initiative": tool.initiative_id,
                "borrower": Person.by_email("els@peerm.example").id,
                "rules": rules.version if rules else "", "group": WorkingGroup.select().first().id}
    return in_db(app, ids)


def numeric_actions(world):
    """(type, good data, the numeric key, the code a bad number there is refused with), for the
    administrator to send (who is no member, so a reservation is Els's)."""
    today = dt.date.today().isoformat()
    claim = {"initiative": world["initiative"], "date": today, "note": "Bus"}
    return [
        ("event.signup", {"event": world["event"], "name": "Fatima", "party_size": 2},
         "party_size", "party_size_invalid"),
        ("event.signup", {"event": world["event"], "name": "Fatima", "party_size": 1},
         "event", "event_unknown"),
        ("event.attend", {"event": world["event"], "name": "Oma Truus"}, "event",
         "event_unknown"),
        ("shift.checkin", {"group": world["group"]}, "group", "group_unknown"),
        ("expense.claim", {**claim, "kind": "travel_km", "km": 12}, "km", "km_invalid"),
        ("expense.claim", {**claim, "kind": "travel_ticket", "amount": "12"}, "amount",
         "amount_invalid"),
        ("expense.claim", {**claim, "kind": "travel_ticket", "amount": "4,50"}, "initiative",
         "initiative_unknown"),
        ("tool.lend", {"tool": world["tool"], "borrower": world["borrower"],
                       "rules": world["rules"]}, "borrower", "borrower_unknown"),
        ("tool.lend", {"tool": world["tool"], "borrower": world["borrower"],
                       "rules": world["rules"]}, "tool", "tool_unknown"),
    ]


def test_sync_refuses_numbers_that_are_no_ascii_digits_when_any_action_carries_them(
        app, administrator, log_in, world):
    cases = numeric_actions(world)
    batch, expected = [], []
    for action_type, data, key, code in cases:
        for bad in BAD_NUMBERS:
            batch.append(action(action_type, {**data, key: bad}))
            expected.append(("rejected", code))
    answered = results(post(administrator, {"actions": batch}))
    wrong = [(sent["type"], sent["data"], answer["status"], answer["outcome"])
             for sent, answer, wanted in zip(batch, answered, expected)
             if (answer["status"], answer["outcome"]) != wanted]
    assert wrong == []
    # The same actions with good numbers are applied: each key above is really read.
    good = results(post(administrator, {"actions": [action(t, d) for t, d, _k, _c in cases]}))
    assert [(r["status"], r["outcome"]) for r in good if r["status"] == "rejected"] == []
    member = log_in("els@peerm.example")
    reserve = [action("tool.reserve", {"tool": bad}) for bad in BAD_NUMBERS]
    assert {(r["status"], r["outcome"]) for r in results(post(member, {"actions": reserve}))} \
        == {("rejected", "tool_unknown")}


def test_sync_refuses_nul_in_any_text_before_storing_anything(app, administrator, world):
    from peerm.volunteering.models import Shift

    cases = [
        signup(world["event"], name="Fa\x00tima"),
        signup(world["event"], contact="a\x00b@example.org"),
        action("event.attend", {"event": world["event"], "name": "Oma\x00"}),
        action("shift.checkin", {"group": world["group"], "note": "koffie\x00"}),
        action("shift.checkin", {"group": world["group"], "note": ["\x00"]}),
        action("shift.checkin", {"group": world["group"], "\x00": "a key"}),
        action("tool.return", {"tool": world["tool"], "condition": "good\x00"}),
        {**action("event.signup\x00", {"event": world["event"]})},
        {**signup(world["event"]), "at": "2026-01-01T10:00:00+01:00\x00"},
        {**signup(world["event"]), "person": "1\x00"},
    ]
    answered = results(post(administrator, {"actions": cases}))
    assert [(r["status"], r["outcome"]) for r in answered] == [("rejected", "text_invalid")] * len(
        cases)
    assert [r["id"] for r in answered] == [a["id"] for a in cases]
    assert signups(app, world["event"]) == []
    assert in_db(app, lambda: Shift.select().count()) == 0
    assert in_db(app, lambda: SyncRecord.select().count()) == 0
