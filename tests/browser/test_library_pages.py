"""The library's pages in Chromium on a phone: axe-core finds nothing on the list, a guide,
its print view and the edit page, in both languages, and nothing scrolls sideways at 320 px;
without JavaScript the list's filters still work as a plain form and no keep button shows."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from peerm.accounts.demo import DEMO_PASSWORD
from peerm.core.db import db
from peerm.library.models import Document

pytestmark = pytest.mark.browser
LANGUAGES = ["nl", "en"]
axe = Axe()


def paths(live_server):
    live_server.rebind_database()
    with live_server.app.app_context(), db.connection_context():
        guide = Document.get(Document.seed_key == "sociale-onderneming-vrijwilligers").id
        council = Document.get(Document.seed_key == "wijkraad-starten").id
    return {"list": "/library", "collection": "/library?tag=volunteers",
            "guide": f"/library/{guide}", "print": f"/library/{guide}/print",
            "behind": f"/library/{council}", "history": f"/library/{council}/history",
            "edit": f"/library/{council}/edit"}


def in_language(make_context, base_url, lang, **kwargs):
    context = make_context(service_workers="block", **kwargs)
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    return context.new_page()


def log_in(page, base_url, lang):
    page.goto("/login")
    page.fill("#email", "fatima@peerm.example")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])


def known_badge_bug(violation):
    """The header's online badge (see test_accessibility.py), not the library's."""
    return violation["id"] == "color-contrast" and all(
        node["target"] == ["#net-status"] for node in violation["nodes"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_library_pages_have_no_axe_violations(make_context, base_url, live_server, screenshots,
                                              lang):
    page = in_language(make_context, base_url, lang)
    log_in(page, base_url, lang)
    found = {}
    for name, path in paths(live_server).items():
        page.goto(path)
        assert page.evaluate("() => document.documentElement.lang") == lang
        page.screenshot(path=screenshots / f"library-{name}-{lang}.png", full_page=True)
        violations = [v for v in axe.run(page).response["violations"] if not known_badge_bug(v)]
        if violations:
            found[name] = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
                           for v in violations]
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width} px wide"
    assert found == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_library_fits_320_px(make_context, base_url, live_server, lang):
    page = in_language(make_context, base_url, lang, viewport={"width": 320, "height": 640})
    for name, path in paths(live_server).items():
        if name == "edit":
            continue
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{name} ({lang}) is {width} px wide at 320 px"


def test_library_filters_work_without_javascript(make_context, live_server):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/library")
    expect(page.get_by_role("button", name="Bewaar", exact=False)).to_have_count(0)
    page.get_by_label("Onderwerp").select_option("volunteers")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    expect(page).to_have_url(re.compile(r"/library\?q=&kind=&tag=volunteers$"))
    expect(page.locator(".card__title")).to_have_count(3)
    # Keeping needs the page's script: without it, nothing pretends it can.
    expect(page.locator("[data-keep-collection]")).to_be_hidden()
