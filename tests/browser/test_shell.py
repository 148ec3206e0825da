"""The app around the parts, in a real browser: refusals are seen where the answer goes, the
header leaves room on a small screen (a compact top bar and a bottom bar), online and offline.
"""
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@contextmanager
def database():
    """A connection of this thread to the database the proxy is bound to (the live server's)."""
    from peerm.core import db

    with db.db.connection_context():
        yield


def upcoming_event_id():
    """A coming event of the demo data that still takes sign-ups (not online, not full)."""
    from peerm.events.models import Event

    with database():
        for event in Event.upcoming(limit=20):
            if event.kind != "social_talk":
                return event.id
    raise AssertionError("the demo data has no coming event")


def page_without_worker(make_context, lang="nl", **options):
    context = make_context(service_workers="block", **options)
    return context.new_page()


# --- 1. refusals are seen --------------------------------------------------------------------

def test_a_refused_cancel_shows_its_message_where_the_answer_goes(make_context):
    """A wrong sign-up code answers 400 with a message; htmx swaps it into the result box."""
    page = page_without_worker(make_context)
    page.goto(f"/events/{upcoming_event_id()}")
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    form = page.locator("form[data-offline='event.cancel']")
    form.locator("input[name=code]").fill("ZZZZZZ")
    form.locator("input[name=name]").fill("Niemand")
    with page.expect_response(lambda r: r.url.endswith("/events/cancel")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 400
    shown = page.locator("#cancel-result [data-status=rejected]")
    expect(shown).to_be_visible()
    expect(shown).not_to_be_empty()
    # Still on the event page: htmx swapped the answer, the browser did not navigate.
    assert "/events/" in page.url and not page.url.endswith("/cancel")


def test_a_refusal_replaces_the_previous_answer(make_context):
    """The second answer replaces the first in the same box: no stale message stays."""
    page = page_without_worker(make_context)
    page.goto(f"/events/{upcoming_event_id()}")
    form = page.locator("form[data-offline='event.cancel']")
    box = page.locator("#cancel-result")
    for code in ("ZZZZZZ", "YYYYYY"):
        form.locator("input[name=code]").fill(code)
        form.locator("input[name=name]").fill("Niemand")
        with page.expect_response(lambda r: r.url.endswith("/events/cancel")):
            form.locator("button[type=submit]").click()
        expect(box.locator("[data-status]")).to_have_count(1)


# --- 12. the header leaves room ------------------------------------------------------------

HEADER_HEIGHTS = """
() => ({top: document.querySelector('header.top').getBoundingClientRect().height,
        bar: document.querySelector('nav.bar').getBoundingClientRect().height,
        barTop: document.querySelector('nav.bar').getBoundingClientRect().top,
        innerHeight: window.innerHeight,
        width: document.documentElement.scrollWidth})
"""
FIRST_EVENT_BOX = """
() => { const card = document.querySelector('#event-list li, .events li');
        const box = card.getBoundingClientRect(); return {top: box.top, bottom: box.bottom}; }
"""


def log_in(page, email):
    from peerm.accounts.demo import DEMO_PASSWORD

    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("who", [None, "fatima@peerm.example"])
def test_header_and_bar_leave_room_for_an_event(make_context, base_url, width, lang, who):
    """Top bar and bottom bar together take at most 120 px, online and offline, logged in or
    not, and the first event on /events shows without scrolling."""
    context = make_context(service_workers="block", viewport={"width": width, "height": 740})
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    page = context.new_page()
    if who:
        log_in(page, who)
    page.goto("/events")
    status = page.locator("#net-status")
    expect(status).to_be_visible()
    for offline in (False, True):
        context.set_offline(offline)
        expect(status).to_have_class(re.compile("net--offline") if offline
                                     else re.compile(r"^net$"))
        heights = page.evaluate(HEADER_HEIGHTS)
        assert heights["top"] + heights["bar"] <= 120, (offline, heights)
        assert heights["width"] <= width, heights
        card = page.evaluate(FIRST_EVENT_BOX)
        # Some of the first event is on the screen, between the top bar and the bottom bar.
        assert card["top"] < heights["barTop"] - 40, (card, heights)
    context.set_offline(False)
    # Every place of the bottom bar is a target of at least 44 × 44 px, with its label.
    for link in page.locator("nav.bar a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        assert link.inner_text().strip()


def test_the_menu_opens_without_javascript_and_holds_the_language_switch(make_context):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/")
    english = page.get_by_role("button", name="English")
    expect(english).to_be_hidden()
    page.locator(".menu summary").click()
    expect(english).to_be_visible()
    expect(page.locator(".menu").get_by_role("link", name="Te versturen")).to_be_visible()
    with page.expect_navigation():
        english.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Events")


# --- 10. the outbox speaks in words -----------------------------------------------------------

def test_an_offline_signup_is_told_once_and_in_words(context, page, sw, outbox):
    """Offline, the sign-up answers once, saying what it was ("Aanmelding · <event>"); the
    outbox page names it in words, never by its code name."""
    from peerm.events.models import Event

    event_id = upcoming_event_id()
    with database():
        title = Event.get_by_id(event_id).title
    path = f"/events/{event_id}"
    page.goto(path)
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", "/outbox", path])
    context.set_offline(True)
    form = page.locator("form[data-offline='event.signup']")
    form.locator("input[name=name]").fill("Woorden Wim")
    form.locator("button[type=submit]").click()
    saved = page.locator("#signup-result [data-outcome=queued]")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text(f"Aanmelding · {title}")
    expect(saved).to_contain_text("Bewaard op deze telefoon")
    outbox.settle(page)
    # One notice says it was saved, not two.
    expect(page.locator("main", has_text="Bewaard op deze telefoon")
           .locator(":text('Bewaard op deze telefoon')")).to_have_count(1)
    page.goto("/outbox")
    item = page.locator(".outbox__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"Aanmelding · {title}")
    expect(item).not_to_contain_text("event.signup")
    # Throw it away again: nothing of this test is sent.
    page.once("dialog", lambda dialog: dialog.accept())
    item.locator("button[data-action=discard]").click()
    expect(item).to_have_count(0)
    context.set_offline(False)


# --- 15. targets of 44 px on the shared pages ---------------------------------------------

TARGETS = """
() => Array.from(document.querySelectorAll(
    'footer a, nav.bar a, .menu summary, .today__card, .cards a, .card__title a, .plain li > a,'
    + ' main .button, .crumb a'))
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const box = el.getBoundingClientRect();
                 return {text: el.textContent.trim().slice(0, 40), height: box.height,
                         width: box.width}; })
  .filter((box) => box.height < 44 || box.width < 44)
"""


@pytest.mark.parametrize("who", [None, "fatima@peerm.example"])
def test_targets_on_the_shared_pages_are_44_px(make_context, who):
    page = page_without_worker(make_context, viewport={"width": 320, "height": 740})
    if who:
        log_in(page, who)
    for path in ["/", "/privacy"] + (["/account", "/initiatives/lucas-community/members"]
                                     if who else ["/login"]):
        page.goto(path)
        assert page.evaluate(TARGETS) == [], path


# --- 18. invites: shared from the phone ----------------------------------------------------

def test_an_invite_link_is_shared_or_copied_and_a_reload_sends_nothing(make_context,
                                                                      live_server):
    context = make_context(service_workers="block")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, "fatima@peerm.example")
    page.goto("/initiatives/lucas-community/members")
    with page.expect_navigation():
        page.get_by_role("button", name="Maak een uitnodigingslink").click()
    assert re.search(r"/initiatives/lucas-community/links/\d+$", page.url), page.url
    link = page.locator(".link-box a").get_attribute("href")
    share = page.get_by_role("button", name="Deel de link")
    expect(share).to_be_visible()
    share.click()  # headless Chromium has no share sheet: the link is copied
    expect(page.locator("#share-status")).to_have_text(
        "De link is gekopieerd: plak hem in een bericht.")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    live_server.clear()
    page.reload()
    assert page.locator(".link-box a").get_attribute("href") == link
    assert not any(path.endswith("/invites") for path in live_server.requests)
