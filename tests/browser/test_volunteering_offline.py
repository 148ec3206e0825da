"""Volunteering without signal, in a real browser: a shift checked in and out offline, an
expense claim with a receipt photo queued offline, and the shared phone at a venue, which keeps
nothing of a volunteer once their check-in or check-out is through. Each test checks the
database as well as the page.
"""
import base64
import datetime as dt
import io
import json
import os
import re
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

KEES = "kees@peerm.example"
PIN = "4826"


@contextmanager
def database():
    """A connection of this thread to the database the proxy is bound to (the live server's)."""
    from peerm.core import db

    with db.db.connection_context():
        yield


def person(email):
    from peerm.accounts.models import Person

    with database():
        return Person.get(Person.email == email)


def group(name):
    from peerm.volunteering.models import WorkingGroup

    with database():
        return WorkingGroup.get(WorkingGroup.name == name)


def sync_record(action_id):
    from peerm.outbox.models import SyncRecord

    with database():
        return SyncRecord.get_or_none(SyncRecord.action_id == action_id)


def open_ready(page, sw, outbox, path):
    """`path` is open, the worker controls it and keeps the "saved on this phone" answer."""
    assert urlsplit(page.url).path == path
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", path])


# Moves a kept action's time back, as if the phone's clock had said so: same wall-clock format
# and offset as the page writes ("2026-11-27T10:15:00+01:00").
MOVE_BACK = """
async ([type, minutes]) => {
  const all = await PeermStore.all();
  const record = all.find((r) => r.type === type);
  const match = /^(.*?)([+-])(\\d\\d):(\\d\\d)$/.exec(record.at);
  const offset = (match[2] === "-" ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
  const when = new Date(Date.parse(record.at) - minutes * 60000);
  const wall = new Date(when.getTime() + offset * 60000).toISOString().slice(0, 19);
  record.at = wall + match[2] + match[3] + ":" + match[4];
  await PeermStore.put(record);
  return record.at;
}
"""


# --- 7. a shift checked in and out offline ---------------------------------------------------

def test_shift_checked_in_and_out_offline_counts_its_hours(context, page, sw, live_server,
                                                            outbox):
    from peerm.volunteering.models import Shift

    kees = person(KEES)
    rides = group("Ziekenhuisritten")
    outbox.log_in(page, KEES, "/volunteering")
    open_ready(page, sw, outbox, "/volunteering")

    context.set_offline(True)
    checkin_form = page.locator("form[data-offline='shift.checkin']").filter(
        has=page.locator(f"input[name=group][value='{rides.id}']"))
    checkin_form.locator("button[type=submit]").click()
    expect(page.locator("#shift-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1")
    # The check-in is on the phone only, and the page offers its check-out.
    offline_shift = page.locator("#offline-shifts form[data-offline='shift.checkout']")
    expect(offline_shift).to_have_count(1)
    [checkin] = outbox.records(page)
    assert checkin["type"] == "shift.checkin" and checkin["data"]["group"] == rides.id
    assert offline_shift.locator("input[name=checkin]").input_value() == checkin["id"]

    # The check-in happened two hours ago, by the phone's clock.
    moved = page.evaluate(MOVE_BACK, ["shift.checkin", 120])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", moved)
    assert moved[-6:] == checkin["at"][-6:]
    offline_shift.locator("button[type=submit]").click()
    expect(page.locator("#outbox-count")).to_have_text("2")
    kept = outbox.records(page)
    checkout = next(r for r in kept if r["type"] == "shift.checkout")
    assert checkout["data"] == {"checkin": checkin["id"]}
    assert checkout["seq"] > checkin["seq"]
    with database():
        assert not Shift.select().where(Shift.checkin_action == checkin["id"]).exists()

    context.set_offline(False)
    done = outbox.wait_for_records(
        page, "(all) => all.length === 2 && all.every((r) => r.state === 'done')")
    outcomes = {r["type"]: r["result"]["outcome"] for r in done}
    assert outcomes == {"shift.checkin": "checked_in", "shift.checkout": "checked_out"}
    expect(page.locator("#outbox-count")).to_be_hidden()
    expect(page.locator("#offline-shifts form")).to_have_count(0)

    with database():
        [shift] = Shift.select().where(Shift.checkin_action == checkin["id"])
    assert shift.person_id == kees.id and shift.group_id == rides.id
    assert shift.state == "closed"
    length = shift.checkout_at - shift.checkin_at
    assert abs(length - dt.timedelta(hours=2)) <= dt.timedelta(minutes=1), length
    assert sync_record(checkin["id"]).status == "applied"
    assert sync_record(checkout["id"]).status == "applied"


def test_an_action_waiting_for_login_is_not_sent_as_someone_else(context, page, sw, live_server,
                                                                 outbox):
    from peerm.accounts.models import Person
    from peerm.volunteering.models import Shift

    kees = person(KEES)
    rides = group("Ziekenhuisritten")
    outbox.log_in(page, KEES, "/volunteering")
    open_ready(page, sw, outbox, "/volunteering")
    context.set_offline(True)
    page.locator("form[data-offline='shift.checkin']").filter(
        has=page.locator(f"input[name=group][value='{rides.id}']")).locator(
        "button[type=submit]").click()
    expect(page.locator("#shift-result [data-outcome=queued]")).to_be_visible()
    # Meanwhile Kees's session ends (it expired, or he logged out everywhere).
    with database():
        Person.update(session_epoch=Person.session_epoch + 1).where(
            Person.id == kees.id).execute()
    context.set_offline(False)
    [waiting] = outbox.wait_for_records(page, "(all) => all.length === 1 && "
                                              "all[0].state === 'login'")

    # Fatima logs in on this phone, and the outbox is sent.
    live_server.clear()
    outbox.log_in(page, "fatima@peerm.example", "/volunteering")
    outbox.flush(page)

    def sent_as_fatima():
        answers = live_server.answers
        logged_in = answers.index(("/login", 303))
        return ("/sync", 200) in answers[logged_in:]

    deadline = time.monotonic() + 15
    while not sent_as_fatima():
        assert time.monotonic() < deadline, live_server.answers
        page.wait_for_timeout(100)
    with database():
        shifts = list(Shift.select().where(Shift.checkin_action == waiting["id"]))
    assert [s.person_id for s in shifts if s.person_id != kees.id] == [], \
        "Kees's check-in was applied as Fatima's"
    [still] = outbox.records(page)
    assert still["state"] == "login"


# --- 8. a claim with a receipt photo, offline ------------------------------------------------

def receipt_photo(path):
    """A small JPEG, as a phone's camera would give (only much smaller)."""
    image = Image.new("RGB", (640, 480), (230, 225, 210))
    for x in range(40, 600, 40):
        for y in range(60, 420):
            image.putpixel((x, y), (40, 40, 40))
    image.save(path, "JPEG", quality=85)
    return path


def fill_claim(page, tmp_path):
    """Travel ticket, € 4,50, with a photo of the receipt, which the page makes a data URL."""
    page.select_option("#kind", "travel_ticket")
    # The amount asks the server what it does to the tax-free caps: let that be done online.
    with page.expect_response(lambda r: "/volunteering/claims/check" in r.url):
        page.fill("#amount", "4,50")
    page.fill("#note", "Bus naar de Lucaskerk")
    page.set_input_files("#receipt-photo", str(receipt_photo(tmp_path / "bon.jpg")))
    page.wait_for_function(
        "() => document.getElementById('receipt').value.startsWith('data:image/jpeg;base64,')")
    expect(page.locator("#receipt-status")).to_contain_text("KB")


def test_claim_with_a_receipt_photo_made_offline(context, page, sw, live_server, outbox,
                                                 tmp_path, monkeypatch):
    from peerm.volunteering.models import ExpenseClaim

    receipts = tmp_path / "receipts"
    monkeypatch.setitem(live_server.app.config, "RECEIPTS_FOLDER", str(receipts))
    kees = person(KEES)
    outbox.log_in(page, KEES, "/volunteering/claims")
    open_ready(page, sw, outbox, "/volunteering/claims")
    fill_claim(page, tmp_path)
    outbox.settle(page)
    with database():
        before = ExpenseClaim.select().where(ExpenseClaim.person == kees).count()

    context.set_offline(True)
    page.locator("form[data-offline='expense.claim'] button[type=submit]").click()
    expect(page.locator("#claim-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1")
    [kept] = outbox.records(page)
    assert kept["type"] == "expense.claim"
    assert kept["data"]["kind"] == "travel_ticket" and kept["data"]["amount"] == "4,50"
    assert kept["data"]["receipt"].startswith("data:image/jpeg;base64,")
    # It fits in a batch with room to spare.
    assert len(json.dumps(kept["data"])) < 300 * 1024

    context.set_offline(False)
    [done] = outbox.wait_for_records(page, "(all) => all.length === 1 && all[0].state === 'done'")
    assert done["result"]["status"] == "applied", done["result"]
    assert done["result"]["outcome"].startswith("submitted")

    with database():
        claims = list(ExpenseClaim.select().where(ExpenseClaim.person == kees))
    assert len(claims) == before + 1
    [claim] = [c for c in claims if str(c.id) == done["result"]["ref"]]
    assert (claim.kind, claim.amount_cents, claim.state) == ("travel_ticket", 450, "submitted")
    assert claim.receipt
    photo = receipts / claim.receipt
    assert photo.is_file()
    data = photo.read_bytes()
    assert data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (640, 480)


def test_typing_an_amount_offline_keeps_the_claim_form(context, page, sw, live_server, outbox):
    outbox.log_in(page, KEES, "/volunteering/claims")
    open_ready(page, sw, outbox, "/volunteering/claims")

    context.set_offline(True)
    page.select_option("#kind", "travel_ticket")
    # Record whether the page starts to leave (the Navigation API tells at once) and when the
    # page's own handling of the failed request is done (its listener runs before this one).
    page.evaluate("""() => {
      window.__leavingFor = null;
      navigation.addEventListener("navigate", (event) => { window.__leavingFor = event.destination.url; });
      document.addEventListener("htmx:sendError", () => { window.__sendErrorHandled = true; });
    }""")
    # The amount field, once left, asks for the cap check; without signal that request fails.
    with page.expect_event("requestfailed",
                           lambda request: "/volunteering/claims/check" in request.url):
        page.fill("#amount", "4,50")
        page.locator("#amount").press("Tab")
    page.wait_for_function("() => window.__sendErrorHandled === true")
    assert page.evaluate("() => window.__leavingFor") is None
    assert urlsplit(page.url).path == "/volunteering/claims", f"the form was left for {page.url}"
    expect(page.locator("#amount")).to_have_value("4,50")


def test_the_cap_check_works_after_choosing_a_receipt_photo(context, page, sw, live_server,
                                                            outbox, tmp_path):
    outbox.log_in(page, KEES, "/volunteering/claims")
    sw.wait_for_control(page)
    # A photo with much detail: a few hundred KB, even made smaller by the page.
    photo = tmp_path / "detail.jpg"
    Image.frombytes("RGB", (1000, 750), os.urandom(1000 * 750 * 3)).save(photo, "JPEG",
                                                                         quality=90)
    page.set_input_files("#receipt-photo", str(photo))
    page.wait_for_function("() => document.getElementById('receipt').value.length > 0")
    with page.expect_response(lambda r: "/volunteering/claims/check" in r.url) as answer:
        page.fill("#amount", "300")
        page.locator("#amount").press("Tab")
    assert answer.value.status == 200, f"the cap check was answered {answer.value.status}"
    assert "csrf_token=" not in answer.value.url and "receipt=data" not in answer.value.url


# --- 9. the shared phone at a venue ----------------------------------------------------------

def set_pin(live_server, email, pin):
    from peerm.accounts.models import Person
    from peerm.volunteering.services import set_pin as save_pin

    with live_server.app.app_context(), database():
        save_pin(Person.get(Person.email == email), pin)


def kiosk_link(page, outbox, group_name):
    """Fatima, coordinator of the Lucas Community, opens the shared phone for a group."""
    outbox.log_in(page, "fatima@peerm.example", "/volunteering/lucas-community/manage")
    row = page.locator("main li").filter(has_text=group_name)
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/volunteering/kiosk/[\w-]+", path), path
    return path


def use_kiosk(page, who, pin, what):
    page.select_option("#person", str(who.id))
    page.fill("#kiosk-pin", pin)
    if what == "checkin":
        page.locator("form[data-kiosk] .actions button:not([data-offline-type])").click()
    else:
        page.locator("form[data-kiosk] button[data-offline-type='shift.checkout']").click()


CACHED_PAGES = """
async () => {
  const pages = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const type = response.headers.get("Content-Type") || "";
      pages.push({cache: name, url: request.url,
                  body: type.startsWith("text/html") ? await response.text() : ""});
    }
  }
  return pages;
}
"""


def test_shared_phone_keeps_nothing_of_the_volunteer(page, make_context, sw, live_server,
                                                     outbox):
    from peerm.volunteering.models import Shift

    kees = person(KEES)
    rides = group("Ziekenhuisritten")
    set_pin(live_server, KEES, PIN)
    path = kiosk_link(page, outbox, "Ziekenhuisritten")

    phone = make_context().new_page()  # the venue's phone: nobody logged in
    phone.goto(path)
    sw.wait_for_control(phone)
    # Only a visit under the worker is kept (see test_shared_phone_opens_offline_after_one_visit).
    phone.reload()
    open_ready(phone, sw, outbox, path)
    expect(phone.locator("h1")).to_have_text("Ziekenhuisritten")
    expect(phone.locator("#person option", has_text="Kees")).to_have_count(1)

    result = phone.locator("#kiosk-result")
    for what, outcome in [("checkin", "checked_in"), ("checkout", "checked_out")]:
        use_kiosk(phone, kees, PIN, what)
        expect(result.locator(f"[data-outcome={outcome}]")).to_contain_text("Kees",
                                                                         timeout=15_000)
        # The form forgets him at once; a moment later the phone shows nothing of Kees but
        # his name in the list.
        expect(phone.locator("#kiosk-pin")).to_have_value("")
        expect(phone.locator("#person")).to_have_value("")
        expect(result).to_have_text("", timeout=15_000)
    with database():
        shift = (Shift.select().where((Shift.person == kees) & (Shift.group == rides))
                 .order_by(Shift.id.desc()).first())
    assert shift.state == "closed"

    assert "Kees" not in phone.locator("main").inner_text().replace(
        phone.locator("#person").inner_text(), "")
    assert outbox.records(phone) == []
    outbox.settle(phone)
    kept = phone.evaluate(CACHED_PAGES)
    assert kept, "the worker keeps pages"
    for entry in kept:
        entry_path = urlsplit(entry["url"]).path
        assert PIN not in entry["body"], entry["url"]
        assert not entry_path.startswith(("/volunteering", "/account")) or entry_path == path, \
            entry["url"]
        if entry_path == path:
            # The kiosk page itself: the names to choose from, no result of anyone.
            assert entry["body"].count("Kees") == 1
        else:
            assert "Kees" not in entry["body"], entry["url"]

    # Without signal the phone keeps the check-in just until the server has it.
    phone.context.set_offline(True)
    use_kiosk(phone, kees, PIN, "checkin")
    expect(result.locator("[data-outcome=queued]")).to_be_visible()
    expect(phone.locator("#kiosk-pin")).to_have_value("")
    [queued] = outbox.records(phone)
    assert queued["transient"] is True and queued["type"] == "shift.checkin"
    assert int(queued["data"]["person"]) == kees.id and queued["data"]["pin"] == PIN
    phone.context.set_offline(False)
    outbox.wait_for_records(phone, "(all) => all.length === 0")
    with database():
        [shift] = Shift.select().where(Shift.checkin_action == queued["id"])
    assert (shift.person_id, shift.group_id, shift.state) == (kees.id, rides.id, "open")
    assert sync_record(queued["id"]).status == "applied"
    expect(phone.locator("#outbox-count")).to_be_hidden()
    stored = json.dumps(phone.evaluate(
        "() => ({local: {...localStorage}, session: {...sessionStorage}})"))
    assert PIN not in stored and "Kees" not in stored


def test_shared_phone_opens_offline_after_one_visit(page, make_context, sw, live_server,
                                                    outbox):
    path = kiosk_link(page, outbox, "Samen koken")
    phone = make_context().new_page()
    phone.goto(path)
    sw.wait_for_control(phone)
    sw.wait_for_kept_message(phone)

    phone.context.set_offline(True)
    response = phone.reload()
    assert response.from_service_worker
    expect(phone.locator("h1")).to_have_text("Samen koken")
    expect(phone.locator("form[data-kiosk]")).to_be_visible()


def test_shared_phone_keeps_a_check_in_made_offline_while_the_pin_is_locked(
        page, make_context, sw, live_server, outbox):
    from peerm.accounts.models import LoginFailure
    from peerm.core import clock
    from peerm.volunteering.models import Shift

    kees = person(KEES)
    set_pin(live_server, KEES, PIN)
    path = kiosk_link(page, outbox, "Ziekenhuisritten")
    phone = make_context().new_page()
    phone.goto(path)
    sw.wait_for_control(phone)
    phone.reload()
    open_ready(phone, sw, outbox, path)

    # Without signal, Kees checks in with his right PIN; meanwhile someone typed five wrong
    # PINs for him on another shared phone.
    phone.context.set_offline(True)
    use_kiosk(phone, kees, PIN, "checkin")
    expect(phone.locator("#kiosk-result [data-outcome=queued]")).to_be_visible()
    [queued] = outbox.records(phone)
    with database():
        for _ in range(5):
            LoginFailure.create(key=f"pin:{kees.id}", at=clock.now())
    phone.context.set_offline(False)
    outbox.flush(phone)
    # The server cannot check his PIN now, and refuses nothing for good: the phone keeps the
    # check-in to send it again.
    [waiting] = outbox.wait_for_records(
        phone, "(all) => all.length === 1 && all[0].result && "
               "all[0].result.outcome === 'pin_limited'")
    assert (waiting["id"], waiting["state"]) == (queued["id"], "login")
    assert sync_record(queued["id"]) is None
    # Once the lock has passed, the next round brings it through, and the phone forgets it.
    with database():
        LoginFailure.delete().where(LoginFailure.key == f"pin:{kees.id}").execute()
    outbox.flush(phone)
    outbox.wait_for_records(phone, "(all) => all.length === 0")
    with database():
        [shift] = Shift.select().where(Shift.checkin_action == queued["id"])
    assert (shift.person_id, shift.state) == (kees.id, "open")
    assert sync_record(queued["id"]).status == "applied"


# --- 13. a claim too large to send does not hold up what comes behind it -----------------------

@pytest.fixture
def event_path(live_server):
    """The page of an upcoming event made for the test (removed afterwards, with its
    sign-ups, so that the other tests' list of kept pages stays as the demo data makes it)."""
    from peerm.events.models import Event

    from .test_outbox import make_event

    event = make_event(f"Buurtsoep {os.urandom(3).hex()}")
    yield f"/events/{event.id}"
    live_server.rebind_database()
    with database():
        Event.delete().where(Event.id == event.id).execute()


def queue_claim_and_signup(context, page, sw, outbox, event_path, receipt):
    """Kees, offline, claims a travel ticket with `receipt` as the form's photo (as a page that
    did not make it smaller would send it), then signs up for the event."""
    outbox.log_in(page, KEES, event_path)
    open_ready(page, sw, outbox, event_path)
    page.goto("/volunteering/claims")
    open_ready(page, sw, outbox, "/volunteering/claims")
    page.select_option("#kind", "travel_ticket")
    with page.expect_response(lambda r: "/volunteering/claims/check" in r.url):
        page.fill("#amount", "4,50")
    page.evaluate("(photo) => { document.getElementById('receipt').value = photo; }", receipt)
    outbox.settle(page)

    context.set_offline(True)
    page.locator("form[data-offline='expense.claim'] button[type=submit]").click()
    expect(page.locator("#claim-result [data-outcome=queued]")).to_be_visible()
    response = page.goto(event_path)
    assert response.from_service_worker
    form = page.locator("form[data-offline='event.signup']")
    form.locator("input[name=name]").fill("Kees")
    form.locator("button[type=submit]").click()
    expect(page.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("2")
    claim, signup = sorted(outbox.records(page), key=lambda r: r["seq"])
    assert (claim["type"], signup["type"]) == ("expense.claim", "event.signup")
    return claim, signup


REFUSED_AND_SENT = """(all) => all.length === 2
  && all.some((r) => r.type === "expense.claim" && r.state === "refused")
  && all.some((r) => r.type === "event.signup" && r.state === "done")"""


def detailed_photo(path, size):
    """A JPEG of random pixels (which no JPEG makes small), `size` pixels wide and high."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, "JPEG",
                                                                        quality=95)
    return path.read_bytes()


def test_a_claim_too_large_to_send_is_refused_alone_and_the_signup_behind_it_arrives(
        context, page, sw, live_server, outbox, event_path, tmp_path, monkeypatch):
    from peerm.events.models import Signup
    from peerm.volunteering.models import ExpenseClaim
    from peerm.volunteering.services import MAX_RECEIPT_BYTES

    receipts = tmp_path / "receipts"
    monkeypatch.setitem(live_server.app.config, "RECEIPTS_FOLDER", str(receipts))
    kees = person(KEES)
    photo = detailed_photo(tmp_path / "bon.jpg", (1000, 700))
    assert len(photo) > 600 * 1024, len(photo)  # with base64, more than the server's 1 MB
    receipt = "data:image/jpeg;base64," + base64.b64encode(photo).decode()
    with database():
        before = ExpenseClaim.select().where(ExpenseClaim.person == kees).count()
    claim, signup = queue_claim_and_signup(context, page, sw, outbox, event_path, receipt)

    live_server.clear()
    context.set_offline(False)
    records = outbox.wait_for_records(page, REFUSED_AND_SENT)
    [refused] = [r for r in records if r["type"] == "expense.claim"]
    [sent] = [r for r in records if r["type"] == "event.signup"]
    assert refused["id"] == claim["id"] and refused["result"]["outcome"] == "too_large"
    assert sent["id"] == signup["id"] and sent["result"]["outcome"] == "confirmed"
    # The claim went alone and was refused for its size; the sign-up went after it.
    syncs = [status for path, status in live_server.answers if path == "/sync"]
    assert syncs[:2] == [413, 200], live_server.answers
    with database():
        assert Signup.select().where(Signup.code == sent["result"]["ref"]).count() == 1
        assert ExpenseClaim.select().where(ExpenseClaim.person == kees).count() == before
    expect(page.locator("#outbox-count")).to_be_hidden()

    # The outbox page says so and offers a way out; it stays until Kees chooses.
    page.goto("/outbox")
    item = page.locator("#outbox li[data-state=refused][data-outcome=too_large]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("te groot")
    for action in ("send-smaller", "send-without-photo", "discard"):
        expect(item.locator(f"button[data-action={action}]")).to_be_visible()
    page.reload()
    expect(item).to_have_count(1)

    item.locator("button[data-action=send-smaller]").click()
    [again] = outbox.wait_for_records(
        page, "(all) => all.length === 1 && all[0].type === 'expense.claim' "
              "&& all[0].state === 'done'")
    assert again["id"] != claim["id"] and again["result"]["status"] == "applied", again
    expect(page.locator("#outbox li[data-state=refused]")).to_have_count(0)
    with database():
        made = ExpenseClaim.get_by_id(int(again["result"]["ref"]))
    assert (made.person_id, made.amount_cents, made.kind) == (kees.id, 450, "travel_ticket")
    stored = (receipts / made.receipt).read_bytes()
    assert stored[:3] == b"\xff\xd8\xff" and len(stored) <= MAX_RECEIPT_BYTES


def test_a_claim_whose_photo_cannot_be_made_smaller_is_sent_again_without_it(
        context, page, sw, live_server, outbox, event_path, monkeypatch, tmp_path):
    from peerm.volunteering.models import ExpenseClaim

    monkeypatch.setitem(live_server.app.config, "RECEIPTS_FOLDER", str(tmp_path / "receipts"))
    # Not a picture a browser can draw: only its first bytes say JPEG.
    receipt = "data:image/jpeg;base64," + base64.b64encode(
        b"\xff\xd8\xff\xe0" + os.urandom(400 * 1024)).decode()
    claim, _signup = queue_claim_and_signup(context, page, sw, outbox, event_path, receipt)

    context.set_offline(False)
    outbox.wait_for_records(page, REFUSED_AND_SENT)
    page.goto("/outbox")
    item = page.locator("#outbox li[data-state=refused]")
    item.locator("button[data-action=send-smaller]").click()
    expect(item.locator("[role=status]")).to_contain_text("kan niet kleiner")
    item.locator("button[data-action=send-without-photo]").click()
    [again] = outbox.wait_for_records(
        page, "(all) => all.length === 1 && all[0].type === 'expense.claim' "
              "&& all[0].state === 'done'")
    assert again["id"] != claim["id"] and again["result"]["status"] == "applied", again
    assert "receipt" not in again["data"]
    with database():
        made = ExpenseClaim.get_by_id(int(again["result"]["ref"]))
    assert (made.receipt, made.amount_cents) == ("", 450)


# --- claims without signal, never opened before ---------------------------------------------

def test_claims_open_offline_without_having_been_opened(context, page, sw, live_server, outbox,
                                                         monkeypatch):
    """A volunteer who only ever opened their volunteering page still has the claim form on
    the phone: the worker keeps it for them among the first pages, before the network's many
    events, so that a tight budget does not leave it out."""
    monkeypatch.setitem(live_server.app.config, "OFFLINE_BUDGET_BYTES", 80 * 1024)
    outbox.log_in(page, KEES, "/volunteering")
    sw.wait_for_control(page)
    sw.wait_for_kept_message(page)
    outbox.settle(page)
    assert sw.missing_pages(page, ["/volunteering", "/volunteering/claims"]) == []

    live_server.clear()
    context.set_offline(True)
    response = page.goto("/volunteering/claims")
    assert response.from_service_worker
    expect(page.locator("form[data-offline='expense.claim']")).to_be_visible()
    assert [seen for seen in live_server.requests if seen != "/sw.js"] == []
    context.set_offline(False)


# --- the check-out card after a check-out, online and offline ----------------------------------

def test_check_out_card_goes_away_after_checking_out_online_or_offline(context, page, sw,
                                                                        live_server, outbox):
    from peerm.volunteering.models import Shift

    kees = person(KEES)
    outbox.log_in(page, KEES, "/volunteering")
    open_ready(page, sw, outbox, "/volunteering")

    def check_in(name):
        form = page.locator("form[data-offline='shift.checkin']").filter(
            has=page.locator(f"input[name=group][value='{group(name).id}']"))
        form.locator("button[type=submit]").click()
        expect(page.locator("#shift-result [data-outcome=checked_in]")).to_be_visible()
        card = page.locator("#open-shifts .shift-open", has_text=name)
        # Checked in online: its card is there at once, without a reload.
        expect(card).to_be_visible()
        # An hour ago, so that the check-out comes well after it.
        with database():
            for shift in Shift.select().where((Shift.person == kees.id)
                                              & (Shift.state == "open")):
                shift.checkin_at -= dt.timedelta(hours=1)
                shift.save()
        return card

    solar = check_in("Zon op School")
    context.set_offline(True)
    solar.locator("button[type=submit]").click()
    expect(page.locator("#shift-result [data-outcome=queued]")).to_be_visible()
    expect(solar).to_be_hidden()
    context.set_offline(False)
    [done] = outbox.wait_for_records(page,
                                     "(all) => all.length === 1 && all[0].state === 'done'")
    assert done["result"]["outcome"] == "checked_out"
    expect(solar).to_be_hidden()
    with database():
        assert not Shift.select().where((Shift.person == kees.id)
                                        & (Shift.state == "open")).exists()

    workshop = check_in("Werkplaats")
    workshop.locator("button[type=submit]").click()
    expect(page.locator("#shift-result [data-outcome=checked_out]")).to_be_visible()
    expect(page.locator("#open-shifts .shift-open")).to_have_count(0)
