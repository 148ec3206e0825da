"""Events as a person sees them in a real browser: a sign-up clears its form and changes the
places left without a reload (online and kept offline); "my sign-ups on this phone" without an
account, with cancel and with a cancelled event shown as such; filtering the event list without
signal; the offline page listing the kept events; and a coordinator's new event that a resident
then finds offline."""
import datetime as dt
import uuid

import pytest
from playwright.sync_api import expect

from .test_outbox import database, make_event, open_offline_ready, unique

pytestmark = pytest.mark.browser

SIGNUP_FORM = "form[data-offline='event.signup']"


@pytest.fixture
def event_maker(live_server):
    """Upcoming events made for a test, removed after it (the kept pages stay as the demo
    makes them for the other suites)."""
    from peerm.events.models import Event

    made = []

    def make(title, capacity=None, **fields):
        event = make_event(title, capacity)
        if fields:
            with database():
                Event.update(**fields).where(Event.id == event.id).execute()
        made.append(event.id)
        return event

    yield make
    live_server.rebind_database()
    with database():
        Event.delete().where(Event.id.in_(made)).execute()


def sign_up(page, name, party_size="1"):
    form = page.locator(SIGNUP_FORM)
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=party_size]").fill(party_size)
    form.locator("button[type=submit]").click()


def test_signup_clears_the_form_and_updates_places_without_reload(page, sw, outbox,
                                                                   event_maker):
    event = event_maker(unique("Soepavond"), capacity=5)
    page.goto(f"/events/{event.id}")
    page.evaluate("() => { window.__sameDocument = true; }")
    expect(page.locator("#seats-left")).to_have_text("Nog 5 plekken vrij")
    sign_up(page, "Fatima", "2")
    expect(page.locator("#signup-result [data-outcome=confirmed]")).to_be_visible()
    expect(page.locator("#seats-left")).to_have_text("Nog 3 plekken vrij")
    expect(page.locator(f"{SIGNUP_FORM} input[name=name]")).to_have_value("")
    expect(page.locator(f"{SIGNUP_FORM} input[name=party_size]")).to_have_value("1")
    assert page.evaluate("() => window.__sameDocument") is True  # no reload
    code = page.locator("#signup-result [data-outcome=confirmed]").get_attribute("data-ref")
    # After a reload the phone still shows that it signed up (the code is on "my sign-ups",
    # not on the event page that the next person on a shared phone opens too).
    page.reload()
    state = page.locator("#phone-event-signups [data-state=confirmed]")
    expect(state).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(code)
    state.locator("a[href='/events/mine']").click()
    expect(page.locator("#phone-signups .phone-signup")).to_contain_text(code)


def test_offline_signup_clears_the_form_and_says_the_count_waits(context, page, sw, outbox,
                                                                event_maker):
    event = event_maker(unique("Buurtlunch"), capacity=5)
    open_offline_ready(page, sw, outbox, f"/events/{event.id}")
    context.set_offline(True)
    sign_up(page, unique("Olga"))
    expect(page.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator(f"{SIGNUP_FORM} input[name=name]")).to_have_value("")
    expect(page.locator("#seats-left")).to_have_attribute("data-state", "queued")
    context.set_offline(False)
    outbox.wait_for_records(page, "(all) => all.length === 1 && all[0].state === 'done'")


def test_phone_shows_its_signups_without_account_with_cancel_and_cancelled_event(
        context, page, sw, outbox, event_maker):
    from peerm.events import authoring
    from peerm.events.models import Signup

    keep = event_maker(unique("Kookles"), capacity=10)
    called_off = event_maker(unique("Fietstocht"), capacity=10)
    for event in (keep, called_off):
        page.goto(f"/events/{event.id}")
        sign_up(page, "Ans")
        expect(page.locator("#signup-result [data-outcome=confirmed]")).to_be_visible()
    from peerm.core.db import write_transaction

    with database(), write_transaction():
        authoring.cancel_event(called_off.id)

    page.goto("/events/mine")
    box = page.locator("#phone-signups")
    kept_item = box.locator(".phone-signup", has_text=keep.title_nl)
    gone_item = box.locator(".phone-signup", has_text=called_off.title_nl)
    expect(kept_item.locator("[data-state=confirmed]")).to_be_visible()
    expect(gone_item.locator("[data-state=event_cancelled]")).to_have_text(
        "De activiteit gaat niet door")
    expect(gone_item.locator("form")).to_have_count(0)

    # Without signal the phone still shows what it knew, and cancelling is kept and sent.
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", "/events/mine"])
    context.set_offline(True)
    page.reload()
    expect(kept_item.locator("[data-state=confirmed]")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    kept_item.locator("form button").click()
    expect(kept_item.locator("[data-outcome=queued]")).to_be_visible()
    context.set_offline(False)
    outbox.wait_for_records(page, "(all) => all.some((r) => r.type === 'event.cancel' "
                                  "&& r.state === 'done')")
    with database():
        states = {s.event_id: s.status for s in Signup.select().where(
            Signup.event.in_([keep.id, called_off.id]))}
    assert states == {keep.id: "cancelled", called_off.id: "confirmed"}


def _events_pages(sw, page):
    """The events list and the event pages among what the worker keeps (the other parts'
    pages come after them, as far as the budget goes)."""
    return ["/events", *[url for url in sw.offline_pages(page)["pages"]
                         if url.startswith("/events/") and url.rsplit("/", 1)[1].isdigit()]]


def test_filtering_events_offline_shows_kept_events_not_the_offline_page(context, page, sw,
                                                                         outbox):
    page.goto("/events")
    sw.wait_for_kept(page, _events_pages(sw, page))
    all_count = page.locator("#event-list li.event").count()
    kept_events = [url for url in sw.offline_pages(page)["pages"]
                   if url.startswith("/events/") and url.rsplit("/", 1)[1].isdigit()]
    context.set_offline(True)
    # The filter form (htmx) filters on the phone.
    page.select_option("#kind", "picnic")
    expect(page.locator("#event-list li.event:visible")).to_have_count(4)
    expect(page.locator("#event-list .events-offline")).to_be_visible()
    expect(page.locator("#event-list .count")).to_have_text("4 activiteiten")
    # A filtered address typed or opened from elsewhere: the kept list, filtered.
    response = page.goto("/events?kind=social_talk")
    assert response.from_service_worker
    expect(page.locator("h1")).to_have_text("Wat er komt")
    expect(page.locator("#kind")).to_have_value("social_talk")
    visible = page.locator("#event-list li.event:visible")
    assert 0 < visible.count() < all_count
    for i in range(visible.count()):
        assert visible.nth(i).get_attribute("data-kind") == "social_talk"
    # The offline page (a page never kept) lists the kept events.
    page.goto("/volunteering/nergens-" + uuid.uuid4().hex[:6])
    expect(page.locator(".offline-events a").first).to_be_visible()
    links = page.locator(".offline-events a")
    shown = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert shown == ["/events", *kept_events]
    # Each of them opens without signal.
    page.goto(kept_events[-1])
    expect(page.locator(".facts")).to_be_visible()


def test_coordinator_creates_event_that_resident_finds_offline(make_context, outbox, sw,
                                                               live_server):
    from peerm.events.models import Event

    title = unique("Klusdag in de Pier")
    coordinator = make_context().new_page()
    outbox.log_in(coordinator, "fatima@peerm.example", "/events/new")
    start = dt.datetime.now() + dt.timedelta(days=3)
    coordinator.fill("#ev-title-nl", title)
    coordinator.fill("#ev-summary-nl", "Samen kleine klussen doen in het buurthuis.")
    coordinator.fill("#ev-starts", start.strftime("%Y-%m-%dT10:00"))
    coordinator.fill("#ev-ends", start.strftime("%Y-%m-%dT13:00"))
    coordinator.fill("#ev-place", "Pier 80, Rotterdam")
    coordinator.fill("#ev-capacity", "12")
    coordinator.locator("main form.event-form button[type=submit]").click()
    expect(coordinator.locator("h1")).to_have_text(title)
    made = int(coordinator.url.rsplit("/", 1)[1])
    expect(coordinator.locator(".event-place__map")).to_have_attribute(
        "href", "geo:0,0?q=Pier%2080%2C%20Rotterdam")
    try:
        resident_context = make_context()
        resident = resident_context.new_page()
        resident.goto("/events")
        sw.wait_for_kept(resident, _events_pages(sw, resident))
        assert f"/events/{made}" in sw.offline_pages(resident)["pages"]
        resident_context.set_offline(True)
        resident.goto("/events")
        link = resident.locator("#event-list a", has_text=title)
        expect(link).to_be_visible()
        link.click()
        expect(resident.locator("h1")).to_have_text(title)
        expect(resident.locator("#seats-left")).to_have_text("Nog 12 plekken vrij")
    finally:
        live_server.rebind_database()
        with database():
            Event.delete().where(Event.title_nl == title).execute()


# --- the events pages with axe-core, at 320 px -----------------------------------------------

EVENT_PAGES = ["/events", "/events/talks", "/events/mine", "/events/new", "{event}",
               "{event}/cancel", "{event}/edit"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_event_pages_have_no_axe_violations_and_fit_320_px(make_context, base_url, lang):
    from .test_accessibility import axe, describe, is_status_contrast

    with database():
        from peerm.events.models import Event

        event = f"/events/{Event.get(Event.seed_key == 'lucas-samen-koken').id}"
    context = make_context(service_workers="block", viewport={"width": 320, "height": 740})
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    page = context.new_page()
    from peerm.accounts.demo import DEMO_PASSWORD

    page.goto("/login?next=/events")
    page.fill("#email", "fatima@peerm.example")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    for path in EVENT_PAGES:
        page.goto(path.format(event=event))
        expect(page.locator("#net-status")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth <= 320"), path
        violations = [v for v in axe.run(page).response["violations"]
                      if not is_status_contrast(v)]
        assert violations == [], f"{path}: {describe(violations)}"
