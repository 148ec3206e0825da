"""Accessibility: axe-core finds nothing on the main pages, in both languages, on a phone.

Every page is also saved as a full-page screenshot in test-artifacts/screenshots/.
"""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "list": "/initiatives",
    "co-operative": "/initiatives/lucas-community",
    "offline": "/offline",
}
LANGUAGES = ["nl", "en"]
OFFLINE_STATUS = {"nl": "Geen verbinding", "en": "Offline"}
axe = Axe()


def in_language(make_context, base_url, lang, **kwargs):
    # The pages alone: no worker working in the background while axe looks.
    context = make_context(service_workers="block", **kwargs)
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    return context.new_page()


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{' '.join(n['target'])}: {n.get('failureSummary', '')}"
                    for n in v["nodes"][:5])
        for v in violations)


def is_status_contrast(violation):
    """The known bug: white on the lightened teal of the header's network badge (4.18:1)."""
    return violation["id"] == "color-contrast" and all(
        node["target"] == ["#net-status"] for node in violation["nodes"])


# The online badge only: offline it is dark orange on white, which passes.


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", [
    pytest.param(name)
    for name in PAGES])
def test_no_axe_violations(make_context, base_url, screenshots, name, lang):
    page = in_language(make_context, base_url, lang)
    page.goto(PAGES[name])
    assert page.evaluate("() => document.documentElement.lang") == lang
    status = page.locator("#net-status")
    expect(status).to_be_visible()  # the page's script has run
    if name == "offline":
        # As people see it: without signal, the header says so.
        page.context.set_offline(True)
        expect(status).to_have_text(OFFLINE_STATUS[lang])
    page.screenshot(path=screenshots / f"{name}-{lang}.png", full_page=True)
    violations = axe.run(page).response["violations"]
    page.context.set_offline(False)
    others = [v for v in violations if not is_status_contrast(v)]
    if others:  # anything but the known bug is a plain failure, not an expected one
        pytest.fail(describe(others), pytrace=False)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_horizontal_scrolling_at_320_px(make_context, base_url, lang):
    page = in_language(make_context, base_url, lang, viewport={"width": 320, "height": 640})
    for name, path in PAGES.items():
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{name} ({lang}) is {width} px wide at 320 px"


HEADER_OVERLAPS = """
() => {
  const parts = {brand: ".brand span", status: "#net-status", language: ".lang button"};
  const boxes = Object.entries(parts).map(([name, selector]) =>
    [name, document.querySelector(selector).getBoundingClientRect()]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i][1], boxes[j][1]];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 0.5 && y > 0.5) overlaps.push(`${boxes[i][0]}/${boxes[j][0]} by ${x.toFixed(0)} px`);
    }
  }
  return overlaps;
}
"""


@pytest.mark.parametrize(("width", "lang"), [
    pytest.param(320, "nl"),
    pytest.param(320, "en"),
    pytest.param(360, "nl"),
    (360, "en"),
])
def test_header_fits_online_and_offline(make_context, base_url, width, lang):
    page = in_language(make_context, base_url, lang, viewport={"width": width, "height": 640})
    page.goto("/")
    status = page.locator("#net-status")
    expect(status).to_be_visible()
    found = {}
    for offline in (False, True):
        page.context.set_offline(offline)
        expect(status).to_have_text(OFFLINE_STATUS[lang] if offline else "Online")
        state = "offline" if offline else "online"
        found[state] = page.evaluate(HEADER_OVERLAPS)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            found[state].append(f"page is {scroll_width} px wide")
    page.context.set_offline(False)
    assert found == {"online": [], "offline": []}
