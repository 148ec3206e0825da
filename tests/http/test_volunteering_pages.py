"""The pages of volunteering through the test client: my volunteering with its check-in and
check-out forms, the coordinators' page and who may open it, approving hours and deciding
claims through the forms, the bookkeeper's CSV, receipts, and the shared phone at a venue
(kiosk link, name + PIN, no session).

Outcomes are read from the database, from status codes and from `data-outcome`; page text only
in the one test that checks the Dutch and the English message of a refusal.
"""
import base64
import csv
import datetime as dt
import io
import re
import uuid
from urllib.parse import urlsplit

from PIL import Image

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.volunteering import services
from peerm.volunteering.models import ExpenseClaim, Shift, WorkingGroup

HOUR = dt.timedelta(hours=1)
HTMX = {"HX-Request": "true"}
MANAGE = "/volunteering/lucas-community/manage"


def in_db(app, query):
    """Run `query()` against the test's database (in a request context) and return its value."""
    with app.test_request_context(), db.connection_context():
        return query()


def email(name):
    return f"{name}@peerm.example"


def person_id(app, name):
    return in_db(app, lambda: Person.by_email(email(name)).id)


def group_ids(app, slug):
    return in_db(app, lambda: [g.id for g in WorkingGroup.of(Initiative.get(slug=slug))])


def text(response):
    return response.get_data(as_text=True)


def path_of(response):
    return urlsplit(response.headers["Location"]).path


def this_month():
    return clock.today().replace(day=1)


def add_claim(app, name="kees", slug="lucas-community", amount_cents=5000, state="submitted",
              date=None, kind="allowance", note=""):
    """A claim stored as the services leave it; its id."""
    return in_db(app, lambda: ExpenseClaim.create(
        person=Person.by_email(email(name)), initiative=Initiative.get(slug=slug), kind=kind,
        amount_cents=amount_cents, date=date or this_month(), state=state, note=note).id)


def dutch_time(days_ago, at):
    """A Dutch wall-clock time that many days ago, as it is stored (UTC)."""
    return clock.from_local(dt.datetime.combine(clock.today() - dt.timedelta(days=days_ago), at))


def add_shift(app, name="kees", slug="lucas-community", start=None, hours=8, state="closed"):
    def create():
        begin = start or dutch_time(days_ago=1, at=dt.time(9))
        return Shift.create(person=Person.by_email(email(name)),
                            group=WorkingGroup.of(Initiative.get(slug=slug)).first(),
                            checkin_action=str(uuid.uuid4()), checkin_at=begin,
                            checkout_at=None if state == "open" else begin + hours * HOUR,
                            state=state).id
    return in_db(app, create)


def reload(app, model, row_id):
    return in_db(app, lambda: model.get_by_id(row_id))


def outcome(response):
    found = re.search(r'data-outcome="([^"]*)"', text(response))
    return found.group(1) if found else None


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (6, 6), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


# My volunteering ---------------------------------------------------------------------------

def test_volunteering_index_offers_check_in_per_group_and_forms_make_a_shift(app, log_in,
                                                                           form_token, client):
    kees = log_in(email("kees"))
    response = kees.get("/volunteering")
    assert response.status_code == 200
    offered = re.findall(r'data-offline="shift\.checkin".*?name="group" value="(\d+)"',
                         text(response), re.DOTALL)
    expected = group_ids(app, "lucas-community") + group_ids(app, "duurzaam-soesterkwartier")
    assert sorted(map(int, offered)) == sorted(expected)
    assert len(expected) == 4
    anonymous = client.get("/volunteering")
    assert anonymous.status_code == 303
    assert path_of(anonymous) == "/login"
    # Checking in and out through those forms makes one shift.
    token = form_token(kees, "/volunteering")
    group = group_ids(app, "lucas-community")[0]
    action_id = str(uuid.uuid4())
    checked_in = kees.post("/volunteering/checkin", data={
        "csrf_token": token, "action_id": action_id, "group": str(group)})
    assert (checked_in.status_code, path_of(checked_in)) == (303, "/volunteering")
    shift = in_db(app, lambda: Shift.get(Shift.checkin_action == action_id))
    assert (shift.state, shift.group_id, shift.person_id) == ("open", group,
                                                              person_id(app, "kees"))
    # The page now offers the check-out of exactly that check-in.
    page = text(kees.get("/volunteering"))
    assert re.search(r'data-offline="shift\.checkout".*?name="checkin" value="'
                     + action_id + '"', page, re.DOTALL)
    shift.checkin_at -= 2 * HOUR
    in_db(app, shift.save)
    checked_out = kees.post("/volunteering/checkout", data={
        "csrf_token": token, "action_id": str(uuid.uuid4()), "checkin": action_id},
        headers=HTMX)
    assert (checked_out.status_code, outcome(checked_out)) == (200, "checked_out")
    closed = reload(app, Shift, shift.id)
    assert closed.state == "closed" and 119 <= closed.minutes <= 121


def test_check_out_says_how_long_in_plain_words_with_proper_plurals(app, log_in, form_token):
    kees = log_in(email("kees"))
    token = form_token(kees, "/volunteering")
    group = group_ids(app, "lucas-community")[0]
    said = {}
    for language, minutes in (("nl", 1), ("nl", 61), ("nl", 120), ("en", 1), ("en", 62)):
        kees.set_cookie("lang", language)
        action_id = str(uuid.uuid4())
        kees.post("/volunteering/checkin", data={"csrf_token": token, "action_id": action_id,
                                                 "group": str(group)})
        shift = in_db(app, lambda: Shift.get(Shift.checkin_action == action_id))
        shift.checkin_at -= dt.timedelta(minutes=minutes, seconds=10)
        in_db(app, shift.save)
        out = kees.post("/volunteering/checkout", headers=HTMX, data={
            "csrf_token": token, "action_id": str(uuid.uuid4()), "checkin": action_id})
        assert outcome(out) == "checked_out"
        said[language, minutes] = re.search(r"(?:na|after) ([^<]*)\.<", text(out)).group(1)
    assert said == {("nl", 1): "1 minuut", ("nl", 61): "1 uur en 1 minuut",
                    ("nl", 120): "2 uur", ("en", 1): "1 minute",
                    ("en", 62): "1 hour and 2 minutes"}
    kees.set_cookie("lang", "nl")
    page = text(kees.get("/volunteering"))
    assert "Inchecken" in page and "Binnen melden" not in page


# The coordinators' page --------------------------------------------------------------------

def test_manage_page_opens_only_for_own_coordinator_and_admin(log_in, client):
    statuses = {name: log_in(email(name)).get(MANAGE).status_code
                for name in ("fatima", "beheer", "kees", "peter")}
    assert statuses == {"fatima": 200, "beheer": 200, "kees": 403, "peter": 403}
    anonymous = client.get(MANAGE)
    assert (anonymous.status_code, path_of(anonymous)) == (303, "/login")


def test_coordinator_approves_hours_and_decides_claims_through_forms(app, log_in, form_token):
    plain = add_shift(app)
    corrected = add_shift(app, start=dutch_time(days_ago=2, at=dt.time(9)))
    approve, reject, pay = (add_claim(app, amount_cents=c) for c in (1500, 1000, 500))
    in_db(app, lambda: ExpenseClaim.update(state="approved").where(ExpenseClaim.id == pay)
          .execute())
    fatima = log_in(email("fatima"))
    token = form_token(fatima, MANAGE)

    def post(path, **fields):
        response = fatima.post(path, data={"csrf_token": token, **fields})
        assert (response.status_code, path_of(response)) == (303, MANAGE)

    post(f"/volunteering/shifts/{plain}/approve", end="", reason="")
    assert reload(app, Shift, plain).state == "approved"
    post(f"/volunteering/shifts/{corrected}/approve", end="15:00", reason="")
    assert reload(app, Shift, corrected).state == "closed"          # a correction needs a reason
    post(f"/volunteering/shifts/{corrected}/approve", end="15:00", reason="Eerder weg")
    shift = reload(app, Shift, corrected)
    assert (shift.state, clock.local(shift.checkout_at).time(), shift.minutes) == (
        "approved", dt.time(15), 360)
    post(f"/volunteering/claims/{approve}/approve")
    post(f"/volunteering/claims/{reject}/reject", reason="")
    assert reload(app, ExpenseClaim, reject).state == "submitted"
    post(f"/volunteering/claims/{reject}/reject", reason="Dubbel ingediend")
    post(f"/volunteering/claims/{pay}/paid")
    over = add_claim(app, amount_cents=30000)
    post(f"/volunteering/claims/{over}/approve", over_cap_reason="")
    assert reload(app, ExpenseClaim, over).state == "submitted"     # over the cap: a reason first
    post(f"/volunteering/claims/{over}/approve", over_cap_reason="Afgesproken met bestuur")
    states = {claim_id: reload(app, ExpenseClaim, claim_id) for claim_id in
              (approve, reject, pay, over)}
    assert [states[c].state for c in (approve, reject, pay, over)] == [
        "approved", "rejected", "paid", "approved"]
    assert states[reject].reason == "Dubbel ingediend"
    assert "month" in states[over].over_cap.split(",")
    assert states[over].over_cap_reason == "Afgesproken met bestuur"
    # Neither a volunteer nor the coordinator of another co-operative may decide.
    waiting = add_claim(app)
    for name in ("kees", "peter"):
        other = log_in(email(name))
        refused = other.post(f"/volunteering/claims/{waiting}/approve",
                             data={"csrf_token": form_token(other, "/volunteering")})
        assert refused.status_code == 403
    assert reload(app, ExpenseClaim, waiting).state == "submitted"


def test_coordinator_approves_hours_as_shown_when_phone_times_have_seconds(app, log_in,
                                                                         form_token):
    start = dutch_time(days_ago=1, at=dt.time(9, 0, 13))
    shift_id = add_shift(app, start=start)
    in_db(app, lambda: Shift.update(checkout_at=start + 8 * HOUR + dt.timedelta(seconds=14))
          .where(Shift.id == shift_id).execute())
    fatima = log_in(email("fatima"))
    page = text(fatima.get(MANAGE))
    shown = re.search(rf'id="end-{shift_id}" name="end" type="time" value="([^"]*)"',
                      page).group(1)
    assert shown == "17:00"
    fatima.post(f"/volunteering/shifts/{shift_id}/approve", data={
        "csrf_token": form_token(fatima, MANAGE), "end": shown, "reason": ""})
    assert reload(app, Shift, shift_id).state == "approved"


def test_coordinator_approves_hours_unchanged_when_check_in_and_out_share_a_minute(
        app, log_in, form_token):
    start = dutch_time(days_ago=1, at=dt.time(9, 0, 13))
    shift_id = add_shift(app, start=start)
    in_db(app, lambda: Shift.update(checkout_at=start + dt.timedelta(seconds=30))
          .where(Shift.id == shift_id).execute())
    fatima = log_in(email("fatima"))
    page = text(fatima.get(MANAGE))
    shown = re.search(rf'id="end-{shift_id}" name="end" type="time" value="([^"]*)"',
                      page).group(1)
    assert shown == "09:00"
    fatima.post(f"/volunteering/shifts/{shift_id}/approve", data={
        "csrf_token": form_token(fatima, MANAGE), "end": shown, "reason": ""})
    shift = reload(app, Shift, shift_id)
    # Approved as it was: the end stays on the same day, not a day later.
    assert (shift.state, shift.checkout_at) == ("approved", start + dt.timedelta(seconds=30))


def export_rows(client, slug="lucas-community", month=None):
    month = month or f"{this_month():%Y-%m}"
    response = client.get(f"/volunteering/{slug}/export.csv?month={month}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(text(response)), delimiter=";"))


def test_export_csv_lists_month_approved_claims_for_coordinators_only(app, log_in):
    last_month = this_month() - dt.timedelta(days=1)
    add_claim(app, amount_cents=4500, state="approved", note="Koken")
    add_claim(app, amount_cents=1234, state="paid", kind="other")
    add_claim(app, amount_cents=999, state="submitted")
    add_claim(app, amount_cents=888, state="rejected")
    add_claim(app, amount_cents=777, state="approved", date=last_month)
    add_claim(app, amount_cents=666, state="approved", slug="duurzaam-soesterkwartier")
    rows = export_rows(log_in(email("fatima")))
    assert rows[0][:5] == ["type", "date", "volunteer", "kind", "amount_eur"]
    body = rows[1:]
    assert sorted((r[0], r[2], r[4], r[7]) for r in body) == [
        ("claim", "Kees", "12,34", "paid"), ("claim", "Kees", "45,00", "approved")]
    assert len(export_rows(log_in(email("fatima")), month=f"{last_month:%Y-%m}")) == 2
    for name in ("kees", "peter"):
        refused = log_in(email(name)).get("/volunteering/lucas-community/export.csv")
        assert refused.status_code == 403


def test_export_csv_neutralises_formulas_when_note_starts_with_equals(app, log_in):
    add_claim(app, state="approved", note='=HYPERLINK("http://evil.example","Bon")')
    rows = export_rows(log_in(email("fatima")))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


# Receipts ----------------------------------------------------------------------------------

def test_receipt_is_served_to_claimant_and_coordinator_only(app, log_in, form_token, client,
                                                            tmp_path):
    app.config["RECEIPTS_FOLDER"] = str(tmp_path / "receipts")
    photo = png_bytes()
    kees = log_in(email("kees"))
    lucas = in_db(app, lambda: Initiative.get(slug="lucas-community").id)
    response = kees.post("/volunteering/claims", data={
        "csrf_token": form_token(kees, "/volunteering/claims"), "action_id": str(uuid.uuid4()),
        "initiative": str(lucas), "kind": "other", "amount": "12,50", "km": "",
        "date": clock.today().isoformat(), "note": "Boodschappen",
        "receipt": "data:image/png;base64," + base64.b64encode(photo).decode(),
        "over_21": "yes"})
    assert (response.status_code, path_of(response)) == (303, "/volunteering/claims")
    claim = in_db(app, lambda: ExpenseClaim.get(ExpenseClaim.person
                                                == Person.by_email(email("kees"))))
    assert (claim.amount_cents, claim.kind) == (1250, "other")
    assert (tmp_path / "receipts" / claim.receipt).read_bytes() == photo
    url = f"/volunteering/claims/{claim.id}/receipt"
    for viewer in (kees, log_in(email("fatima"))):
        served = viewer.get(url)
        assert (served.status_code, served.mimetype, served.data) == (200, "image/png", photo)
    for name in ("anouk", "peter"):
        assert log_in(email(name)).get(url).status_code == 403
    assert client.get(url).status_code == 303


# The shared phone at a venue ---------------------------------------------------------------

def test_kiosk_link_checks_volunteers_in_by_name_and_pin_without_session(app, log_in,
                                                                        form_token, client):
    group = group_ids(app, "lucas-community")[0]
    fatima = log_in(email("fatima"))
    made = fatima.post(f"/volunteering/groups/{group}/kiosk",
                       data={"csrf_token": form_token(fatima, MANAGE)})
    assert made.status_code == 303
    kiosk = path_of(made)
    assert re.fullmatch(r"/volunteering/kiosk/[\w-]+", kiosk)
    kees = log_in(email("kees"))
    refused = kees.post(f"/volunteering/groups/{group}/kiosk",
                        data={"csrf_token": form_token(kees, "/volunteering")})
    assert refused.status_code == 403
    # The phone at the venue has no session: it lists the co-operative's volunteers.
    page = client.get(kiosk)
    assert page.status_code == 200
    names = re.search(r'<select id="person".*?</select>', text(page), re.DOTALL).group(0)
    listed = {int(value) for value in re.findall(r'<option value="(\d+)">', names)}
    assert listed == {person_id(app, "kees"), person_id(app, "fatima")}
    kees_id = person_id(app, "kees")
    in_db(app, lambda: services.set_pin(Person.get_by_id(kees_id), "4321"))
    token = form_token(client, kiosk)
    form = {"csrf_token": token, "group": str(group), "person": str(kees_id)}
    wrong = client.post(f"{kiosk}/checkin", data={**form, "action_id": str(uuid.uuid4()),
                                                  "pin": "1111"}, headers=HTMX)
    assert (wrong.status_code, outcome(wrong)) == (400, "pin_wrong")
    done = client.post(f"{kiosk}/checkin", data={**form, "action_id": str(uuid.uuid4()),
                                                 "pin": "4321"})
    assert (done.status_code, path_of(done)) == (303, kiosk)
    shift = in_db(app, lambda: Shift.get(Shift.person == kees_id))
    assert (shift.group_id, shift.state) == (group, "open")
    assert client.get("/volunteering/kiosk/not-a-real-token").status_code == 404
    assert client.post("/volunteering/kiosk/not-a-real-token/checkin",
                       data={**form, "pin": "4321"}).status_code == 404


def test_kiosk_refusal_speaks_dutch_by_default_and_english_on_request(app, log_in, form_token,
                                                                     client):
    group = group_ids(app, "lucas-community")[0]
    fatima = log_in(email("fatima"))
    kiosk = path_of(fatima.post(f"/volunteering/groups/{group}/kiosk",
                                data={"csrf_token": form_token(fatima, MANAGE)}))
    form = {"csrf_token": form_token(client, kiosk), "person": str(person_id(app, "kees")),
            "pin": "0000"}
    dutch = client.post(f"{kiosk}/checkin", data={**form, "action_id": str(uuid.uuid4())},
                        headers=HTMX)
    assert (dutch.status_code, outcome(dutch)) == (400, "pin_wrong")
    assert "Deze naam en pincode horen niet bij elkaar." in text(dutch)
    client.set_cookie("lang", "en")
    english = client.post(f"{kiosk}/checkin", data={**form, "action_id": str(uuid.uuid4())},
                          headers=HTMX)
    assert "This name and PIN do not match." in text(english)
    assert "pincode" not in text(english)


def open_kiosk_page(app, log_in, form_token, slug="lucas-community"):
    """The coordinator opens the shared phone of the first group: the kiosk page's path."""
    group = group_ids(app, slug)[0]
    coordinator = log_in(email("fatima" if slug == "lucas-community" else "peter"))
    made = coordinator.post(f"/volunteering/groups/{group}/kiosk",
                            data={"csrf_token": form_token(coordinator, MANAGE)})
    assert made.status_code == 303
    return path_of(made)


def kiosk_form_fields(page_html):
    """The fields of the kiosk page's offline form, as the worker turns them into data."""
    form = re.search(r'<form[^>]*data-kiosk.*?</form>', page_html, re.DOTALL).group(0)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def sync(client, actions):
    response = client.post("/sync", json={"actions": actions})
    assert response.status_code == 200
    return response.get_json()["results"]


def shared_phone_action(kind, fields, who, pin, at=None):
    data = {key: value for key, value in fields.items()
            if key not in ("csrf_token", "action_id")}
    at = at or dt.datetime.now(dt.timezone.utc)
    return {"id": str(uuid.uuid4()), "type": f"shift.{kind}", "at": at.isoformat(),
            "data": {**data, "person": who, "pin": pin}}


def test_kiosk_page_carries_its_token_into_offline_actions_until_it_is_stopped(
        app, log_in, form_token, client):
    kiosk = open_kiosk_page(app, log_in, form_token)
    kees_id = person_id(app, "kees")
    in_db(app, lambda: services.set_pin(Person.get_by_id(kees_id), "4321"))
    fields = kiosk_form_fields(text(client.get(kiosk)))
    assert fields["kiosk"] == kiosk.rsplit("/", 1)[1]
    # What the worker sends from that form, once the phone is online again, is applied.
    [result] = sync(client, [shared_phone_action("checkin", fields, kees_id, "4321")])
    assert (result["status"], result["outcome"]) == ("applied", "checked_in")
    # The same action without the shared phone's token is refused, whoever sends it.
    bare = {k: v for k, v in fields.items() if k != "kiosk"}
    [refused] = sync(client, [shared_phone_action("checkout", bare, kees_id, "4321")])
    assert (refused["status"], refused["outcome"]) == ("rejected", "kiosk_required")
    # The coordinator stops the shared phone: its page and its token open nothing any more.
    fatima = log_in(email("fatima"))
    page = text(fatima.get(MANAGE))
    [link_id] = re.findall(r'data-kiosk-link="(\d+)"', page)
    stopped = fatima.post(f"/volunteering/kiosk-links/{link_id}/stop",
                          data={"csrf_token": form_token(fatima, MANAGE)})
    assert (stopped.status_code, path_of(stopped)) == (303, MANAGE)
    assert 'data-kiosk-link="' not in text(fatima.get(MANAGE))
    assert client.get(kiosk).status_code == 404
    [late] = sync(client, [shared_phone_action("checkout", fields, kees_id, "4321")])
    assert (late["status"], late["outcome"]) == ("rejected", "kiosk_required")
    assert reload(app, Shift, int(result["ref"])).state == "open"
    # Only the co-operative's coordinators may stop one.
    peter = log_in(email("peter"))
    assert peter.post(f"/volunteering/kiosk-links/{link_id}/stop",
                      data={"csrf_token": form_token(peter, "/volunteering")}).status_code == 403


def test_kiosk_form_without_the_link_token_cannot_check_in(app, log_in, form_token, client):
    kiosk = open_kiosk_page(app, log_in, form_token)
    kees_id = person_id(app, "kees")
    in_db(app, lambda: services.set_pin(Person.get_by_id(kees_id), "4321"))
    other = open_kiosk_page(app, log_in, form_token, "duurzaam-soesterkwartier")
    # A shared phone of another co-operative is no shared phone of this group.
    fields = kiosk_form_fields(text(client.get(kiosk)))
    fields["kiosk"] = other.rsplit("/", 1)[1]
    [refused] = sync(client, [shared_phone_action("checkin", fields, kees_id, "4321")])
    assert (refused["status"], refused["outcome"]) == ("rejected", "kiosk_required")
    assert in_db(app, lambda: Shift.select().count()) == 0


def own_cards(page):
    return re.findall(r'data-flag="own"', page)


def test_manage_page_keeps_own_hours_and_claims_for_another_coordinator(app, log_in,
                                                                        form_token):
    own_shift = add_shift(app, name="fatima")
    own_claim = add_claim(app, name="fatima")
    kees_shift = add_shift(app, start=dutch_time(days_ago=3, at=dt.time(9)))
    fatima = log_in(email("fatima"))
    page = text(fatima.get(MANAGE))
    assert len(own_cards(page)) == 2
    assert f"/volunteering/shifts/{own_shift}/approve" not in page
    assert f"/volunteering/claims/{own_claim}/approve" not in page
    assert f"/volunteering/shifts/{kees_shift}/approve" in page
    # Posting the decision anyway changes nothing.
    token = form_token(fatima, MANAGE)
    for path in (f"/volunteering/shifts/{own_shift}/approve",
                 f"/volunteering/shifts/{own_shift}/reject",
                 f"/volunteering/claims/{own_claim}/approve"):
        response = fatima.post(path, data={"csrf_token": token, "end": "", "reason": "Klopt"})
        assert (response.status_code, path_of(response)) == (303, MANAGE)
    assert reload(app, Shift, own_shift).state == "closed"
    assert reload(app, ExpenseClaim, own_claim).state == "submitted"
    # The administrator decides on them: Fatima is the only coordinator of Lucas.
    beheer = log_in(email("beheer"))
    admin_page = text(beheer.get(MANAGE))
    assert f"/volunteering/shifts/{own_shift}/approve" in admin_page
    beheer.post(f"/volunteering/shifts/{own_shift}/approve",
                data={"csrf_token": form_token(beheer, MANAGE), "end": "", "reason": ""})
    approved = reload(app, Shift, own_shift)
    assert (approved.state, approved.approved_by_id) == ("approved", person_id(app, "beheer"))


def test_manage_page_flags_overlap_and_late_check_in_and_rejects_hours(app, log_in, form_token):
    day = dutch_time(days_ago=2, at=dt.time(9))
    lucas = add_shift(app, start=day, hours=8)
    soester = add_shift(app, slug="duurzaam-soesterkwartier", start=day + HOUR, hours=4)
    kees = log_in(email("kees"))
    backdated = {"id": str(uuid.uuid4()), "type": "shift.checkin",
                 "at": (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=20)).isoformat(),
                 "data": {"group": group_ids(app, "lucas-community")[0]}}
    [result] = sync(kees, [backdated])
    late = reload(app, Shift, int(result["ref"]))
    late.checkout_at, late.state = late.checkin_at + 2 * HOUR, "closed"
    in_db(app, late.save)
    late = late.id
    fatima = log_in(email("fatima"))
    page = text(fatima.get(MANAGE))
    card = re.search(rf'<div class="card">(?:(?!<div class="card">).)*?/shifts/{lucas}/approve',
                     page, re.DOTALL).group(0)
    assert 'data-flag="overlap"' in card
    late_card = re.search(rf'<div class="card">(?:(?!<div class="card">).)*?/shifts/{late}/approve',
                          page, re.DOTALL).group(0)
    assert 'data-flag="late"' in late_card and "20" in late_card
    assert 'data-flag="overlap"' not in late_card
    # The volunteer sees the overlap on his own page.
    assert text(kees.get("/volunteering")).count('data-flag="overlap"') == 1
    # Approving one of two overlapping shifts is refused until one is rejected.
    token = form_token(fatima, MANAGE)
    fatima.post(f"/volunteering/shifts/{lucas}/approve",
                data={"csrf_token": token, "end": "", "reason": ""})
    assert reload(app, Shift, lucas).state == "closed"
    peter = log_in(email("peter"))
    peter_token = form_token(peter, "/volunteering/duurzaam-soesterkwartier/manage")
    refused = peter.post(f"/volunteering/shifts/{soester}/reject",
                         data={"csrf_token": peter_token, "reason": ""})
    assert refused.status_code == 303 and reload(app, Shift, soester).state == "closed"
    peter.post(f"/volunteering/shifts/{soester}/reject",
               data={"csrf_token": peter_token, "reason": "Dubbel"})
    assert reload(app, Shift, soester).state == "rejected"
    assert peter.post(f"/volunteering/shifts/{lucas}/reject",
                      data={"csrf_token": peter_token, "reason": "x"}).status_code == 403
    fatima.post(f"/volunteering/shifts/{lucas}/approve",
                data={"csrf_token": token, "end": "", "reason": ""})
    assert reload(app, Shift, lucas).state == "approved"
    assert 'data-flag="overlap"' not in text(kees.get("/volunteering"))


def test_wrong_pin_on_shared_phone_is_shown_to_coordinator_and_volunteer(app, log_in,
                                                                       form_token, client):
    from peerm.volunteering.models import PinRefusal

    kiosk = open_kiosk_page(app, log_in, form_token)
    kees_id = person_id(app, "kees")
    in_db(app, lambda: services.set_pin(Person.get_by_id(kees_id), "4321"))
    fields = kiosk_form_fields(text(client.get(kiosk)))
    made_at = dt.datetime.now(dt.timezone.utc) - 2 * HOUR
    [refused] = sync(client, [shared_phone_action("checkin", fields, kees_id, "4312",
                                                  at=made_at)])
    assert (refused["status"], refused["outcome"]) == ("rejected", "pin_wrong")
    refusal = in_db(app, lambda: PinRefusal.get(PinRefusal.person == kees_id).id)
    kees = log_in(email("kees"))
    assert text(kees.get("/volunteering")).count('data-flag="pin_wrong"') == 1
    fatima = log_in(email("fatima"))
    page = text(fatima.get(MANAGE))
    assert f'data-refusal="{refusal}"' in page
    kept = fatima.post(f"/volunteering/pin-refusals/{refusal}/keep",
                       data={"csrf_token": form_token(fatima, MANAGE)})
    assert (kept.status_code, path_of(kept)) == (303, MANAGE)
    shift = in_db(app, lambda: Shift.get(Shift.person == kees_id))
    assert (shift.state, shift.checkin_action) == ("open", refused["id"])
    assert abs(shift.checkin_at - (clock.now() - 2 * HOUR)) < dt.timedelta(minutes=1)
    assert f"/volunteering/pin-refusals/{refusal}/keep" not in text(fatima.get(MANAGE))
    assert 'data-flag="pin_wrong"' not in text(kees.get("/volunteering"))
    assert kees.post(f"/volunteering/pin-refusals/{refusal}/keep",
                     data={"csrf_token": form_token(kees, "/volunteering")}).status_code == 403


def test_working_groups_show_in_english_where_written_and_dutch_marked_with_lang(
        app, log_in, form_token):
    fatima = log_in(email("fatima"))
    fatima.post("/volunteering/lucas-community/groups", data={
        "csrf_token": form_token(fatima, MANAGE), "name": "Taalcafé",
        "description": "Samen Nederlands oefenen."})
    fatima.post("/volunteering/lucas-community/groups", data={
        "csrf_token": form_token(fatima, MANAGE), "name": "Fietsenmaker",
        "name_en": "Bike repairs", "description": "Fietsen maken.",
        "description_en": "Mending bikes."})
    kees = log_in(email("kees"))
    kees.set_cookie("lang", "en")
    page = text(kees.get("/volunteering"))
    assert "<strong>Hospital rides</strong>" in page and "Ziekenhuisritten" not in page
    assert "<strong>Bike repairs</strong>" in page and "Mending bikes." in page
    assert '<strong lang="nl">Taalcafé</strong>' in page
    kees.set_cookie("lang", "nl")
    page = text(kees.get("/volunteering"))
    assert "<strong>Ziekenhuisritten</strong>" in page and "<strong>Fietsenmaker</strong>" in page
