"""The directory's filters in the browser: swapped by htmx with JavaScript, a plain form without."""
import re

import pytest
from playwright.sync_api import expect

from peerm.initiatives.seed import INITIATIVES

pytestmark = pytest.mark.browser

CITY = "Breda"
IN_CITY = [item["name"] for item in INITIATIVES if item["city"] == CITY]


def test_choosing_a_city_swaps_the_list_without_reloading(page, live_server):
    page.goto("/initiatives")
    page.wait_for_function("() => window.htmx && document.documentElement.classList.contains('js')")
    expect(page.locator(".card")).to_have_count(len(INITIATIVES))
    # With JavaScript the list follows the select at once: no button needed.
    expect(page.get_by_role("button", name="Toon")).to_be_hidden()
    page.evaluate("() => { window.__sameDocument = true; }")
    live_server.clear()

    page.get_by_label("Plaats").select_option(CITY)

    expect(page).to_have_url(re.compile(rf"/initiatives\?city={CITY}(&|$)"))
    expect(page.locator(".card__title")).to_have_text(IN_CITY)
    expect(page.locator("#initiative-list .count")).to_have_text(f"{len(IN_CITY)} coöperaties")
    assert page.evaluate("() => window.__sameDocument") is True
    # One request for the list alone (the worker may be keeping pages meanwhile).
    assert [path for path in live_server.requests if "city=" in path] == [
        f"/initiatives?city={CITY}&need="]
    # Back to every city, still in the same page.
    page.get_by_label("Plaats").select_option("")
    expect(page.locator(".card")).to_have_count(len(INITIATIVES))
    assert page.evaluate("() => window.__sameDocument") is True


def test_filters_work_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/initiatives")
    submit = page.get_by_role("button", name="Toon")
    expect(submit).to_be_visible()
    page.get_by_label("Plaats").select_option(CITY)
    expect(page).to_have_url(re.compile(r"/initiatives$"))  # nothing happens by itself
    with page.expect_navigation():
        submit.click()
    expect(page).to_have_url(re.compile(rf"/initiatives\?city={CITY}&need=$"))
    expect(page.locator(".card__title")).to_have_text(IN_CITY)
    expect(page.get_by_label("Plaats")).to_have_value(CITY)
