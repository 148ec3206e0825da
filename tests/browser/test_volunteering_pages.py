"""Volunteering's pages on a small phone, in a real browser: the claim form at 320 px wide
cuts no text and every control is a 44 px target."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}

# Elements that run past the screen's right edge, or whose text is cut inside them.
CUT = """
(selector) => Array.from(document.querySelectorAll(selector)).filter((el) => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && (box.right > document.documentElement.clientWidth + 0.5 ||
                           el.scrollWidth > el.clientWidth + 1);
}).map((el) => el.textContent.trim().replace(/\\s+/g, " "))
"""
# Controls in the page's main part smaller than a 44 px tap target.
SMALL = """
() => Array.from(document.querySelectorAll(
    "main button, main select, main label.choice, main a.button, " +
    "main input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file])"))
  .filter((el) => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
  .map((el) => el.outerHTML.slice(0, 80))
"""


def test_claim_form_fits_a_320_px_screen(make_context, live_server, outbox):
    context = make_context(viewport=NARROW)
    page = context.new_page()
    outbox.log_in(page, "kees@peerm.example", "/volunteering/claims")
    choices = page.locator("#initiative label.choice")
    expect(choices).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.evaluate(CUT, "main label, main legend, main select, main h1, main h2") == []
    assert page.evaluate(SMALL) == []
    # Choosing a co-operative is a tap on its name.
    choices.last.click()
    expect(page.locator("#initiative input[type=radio]").last).to_be_checked()


def logged_in_page(make_context, base_url, email, lang, **options):
    """A page logged in as `email`, in `lang`, with no worker working while axe looks."""
    from urllib.parse import quote

    from peerm.accounts.demo import DEMO_PASSWORD

    context = make_context(service_workers="block", **options)
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    page = context.new_page()
    if email:
        page.goto("/login?next=" + quote("/"))
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    return page


def axe_violations(page):
    """What axe-core finds, less the header's known network-badge contrast (not this part's)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in found if not (v["id"] == "color-contrast" and all(
                n["target"] == ["#net-status"] for n in v["nodes"]))]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", ["/volunteering", "/volunteering/claims"])
def test_volunteering_pages_have_no_axe_violations(make_context, base_url, live_server, path,
                                                   lang):
    page = logged_in_page(make_context, base_url, "kees@peerm.example", lang)
    page.goto(path)
    assert page.evaluate("() => document.documentElement.lang") == lang
    assert axe_violations(page) == []
