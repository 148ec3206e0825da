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
