"""Peer'M as an app: the service worker, installing, working offline, updates, languages."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from peerm.pwa import views as pwa

pytestmark = pytest.mark.browser

OFFLINE_TITLE = "Je hebt geen verbinding"


def visit_home_and_keep(page, sw):
    """Open the home page (and nothing else), wait until the worker controls it and kept."""
    page.goto("/")
    sw.wait_for_control(page)
    return sw.wait_for_kept(page, directory_pages(sw, page))


def directory_pages(sw, page):
    """The pages kept first of all, which every phone holds: the offline page, every part's
    own page up to the directory, and every co-operative. (The list goes on with what the
    byte budget may hold, as much as fits: the demo data holds more than that.)"""
    listed = sw.offline_pages(page)["pages"]
    return ["/offline", "/", "/initiatives"] + [
        url for url in listed if url.startswith("/initiatives/")]


def test_worker_installs_and_controls_the_page(page, sw, base_url):
    page.goto("/")
    worker = sw.wait_for_control(page)
    assert worker["scope"] == base_url + "/"
    assert worker["scriptURL"] == base_url + "/sw.js"
    # It claims the page while activating; activation then finishes.
    assert worker["state"] in ("activating", "activated")
    page.wait_for_function("() => navigator.serviceWorker.controller.state === 'activated'")
    registrations = page.evaluate(
        "() => navigator.serviceWorker.getRegistrations().then((all) => all.map((r) => r.scope))")
    assert registrations == [base_url + "/"]


def test_a_page_the_worker_does_not_control_is_still_answered(context, page, sw):
    """A page opened while the worker was being activated, or by a hard reload, is not
    controlled by it; the page still asks the active worker to keep, and is answered."""
    visit_home_and_keep(page, sw)
    cdp = context.new_cdp_session(page)
    with page.expect_navigation():
        cdp.send("Page.reload", {"ignoreCache": True})
    assert page.evaluate("() => navigator.serviceWorker.controller") is None
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    sw.wait_until_idle(page, timeout=20_000)


def test_app_is_installable(browser_type, browser_type_launch_args, browser_context_args,
                            tmp_path):
    # Installability needs a real profile, not the incognito-like contexts of the other tests.
    context = browser_type.launch_persistent_context(
        str(tmp_path / "profile"), **browser_type_launch_args, **browser_context_args)
    base_url = browser_context_args["base_url"]
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/")
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == base_url + "/manifest.webmanifest"
        assert manifest["errors"] == []
        errors = None
        for _ in range(20):  # the manifest and icons load after the page
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            if not errors:
                break
            page.wait_for_timeout(250)
        assert errors == []
    finally:
        context.close()


def test_every_kept_page_opens_offline_after_visiting_only_home(context, page, sw,
                                                                 live_server):
    page.goto("/")
    sw.wait_for_control(page)
    listed = sw.offline_pages(page)["pages"]
    slugs = [url.rsplit("/", 1)[1] for url in listed if url.startswith("/initiatives/")]
    assert len(slugs) == 12
    sw.wait_for_kept(page, directory_pages(sw, page))
    status = page.locator("#net-status")
    expect(status).to_have_text("Online")
    sw.wait_until_idle(page)  # a first visit may ask for a second, short round

    live_server.clear()
    context.set_offline(True)
    expect(status).to_have_text("Geen verbinding")

    names = {}
    for path in ["/", "/initiatives"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert response.from_service_worker, path
        expect(page.locator("h1")).not_to_have_text(OFFLINE_TITLE)
        expect(page.locator("#net-status")).to_have_text("Geen verbinding")
        if path == "/initiatives":
            for link in page.locator("#initiative-list .card__title a").all():
                names[link.get_attribute("href").rsplit("/", 1)[1]] = link.inner_text()
    assert sorted(names) == sorted(slugs)
    for slug in slugs:
        response = page.goto(f"/initiatives/{slug}")
        assert response.from_service_worker, slug
        expect(page.locator("h1")).to_have_text(names[slug])
        # The kept page comes with its styles: the precached bundle.
        assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px"

    # The rest of the list (events, the needs board, the outbox) is kept in its order, as far
    # as the byte budget goes: every part's own page at least.
    missing = set(sw.missing_pages(page, listed))
    kept = [path for path in listed if path not in missing]
    assert kept == listed[:len(kept)], f"kept out of order: {sorted(missing)}"
    assert {"/events", "/needs", "/toolshed", "/outbox"} <= set(kept)
    for path in kept:
        if path in ("/", "/initiatives") or path.startswith("/initiatives/"):
            continue
        response = page.goto(path)
        assert response.from_service_worker, path
        expect(page.locator("h1", has_text=OFFLINE_TITLE)).to_have_count(0)

    for path in ["/initiatives?city=Breda", "/nope"]:
        response = page.goto(path)
        assert response.from_service_worker, path
        expect(page.locator("h1")).to_have_text(OFFLINE_TITLE)
    # No page reached the server. (The browser may check the worker script for an update after
    # a navigation, and on a busy machine that check may arrive late: it is no page.)
    assert [seen for seen in live_server.requests if seen != "/sw.js"] == []

    context.set_offline(False)
    expect(page.locator("#net-status")).to_have_text("Online")


def test_language_switch_refreshes_the_kept_pages(context, page, sw):
    visit_home_and_keep(page, sw)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.locator(".menu summary").click()  # the language switch is in the menu
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Co-operatives")
    page.locator(".menu summary").click()
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    # The English page asks the worker to keep everything again, in English.
    sw.wait_for_control(page)
    sw.wait_for_kept_message(page)

    context.set_offline(True)
    response = page.goto("/initiatives/lucas-community")
    assert response.from_service_worker
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="What they need")).to_be_visible()
    page.goto("/initiatives")
    expect(page.locator("h1")).to_have_text("The co-operatives")
    page.goto("/nope")
    expect(page.locator("h1")).to_have_text("You are offline")
    context.set_offline(False)


def test_a_new_worker_offers_the_update_and_reloads(page, sw, monkeypatch):
    page.goto("/")
    sw.wait_for_control(page)
    original = pwa.worker_source
    marker = """
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "which") event.source.postMessage({type: "which", worker: "new"});
});
"""
    monkeypatch.setattr(pwa, "worker_source", lambda: original() + marker)
    page.evaluate("() => { window.__beforeUpdate = true; }")
    notice = page.locator("#update-notice")
    expect(notice).to_be_hidden()
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_contain_text("Er is een nieuwe versie van Peer'M.")

    with page.expect_navigation():
        notice.get_by_role("button", name="Opnieuw laden").click()
    assert page.evaluate("() => window.__beforeUpdate") is None
    sw.wait_for_control(page)
    answer = page.evaluate("""() => new Promise((resolve) => {
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data.type === "which") resolve(event.data.worker);
      });
      navigator.serviceWorker.controller.postMessage({type: "which"});
      setTimeout(() => resolve("old"), 3000);
    })""")
    assert answer == "new"
    expect(page.locator("#update-notice")).to_be_hidden()


def test_no_request_leaves_the_site(context, page, sw, base_url):
    seen = []
    context.on("request", lambda request: seen.append(request.url))
    page.goto("/")
    urls = sw.wait_for_kept(page, directory_pages(sw, page))
    for path in ["/initiatives", "/initiatives?city=Breda", "/initiatives/free-exit",
                 "/manifest.webmanifest"]:
        page.goto(path)
    hosts = {urlsplit(url).netloc for url in seen if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(base_url).netloc}
    # The worker's own fetches are among them: it fetched every page it keeps.
    for url in urls:
        assert base_url + url in seen, url


def test_language_switch_while_keeping_refreshes_every_kept_page(context, page, sw,
                                                                  live_server):
    """A switch during the first round of keeping still leaves every kept page in English."""
    first = "/initiatives/vrije-expeditie"
    # Each co-operative page takes a while: the worker's first round of keeping runs for seconds.
    live_server.slow_down("/initiatives/", 0.15)
    page.goto("/")
    sw.wait_for_control(page)
    for _ in range(100):  # until the worker fetches the first co-operative, in Dutch
        if first in live_server.requests:
            break
        page.wait_for_timeout(50)
    assert first in live_server.requests
    page.locator(".menu summary").click()  # the language switch is in the menu
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    sw.wait_for_kept_message(page)  # the worker answers the English page: "kept"
    live_server.log.delays.clear()

    context.set_offline(True)
    page.goto(first)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.set_offline(False)


def test_losing_signal_while_keeping_anew_keeps_what_was_kept(context, page, sw,
                                                             live_server):
    visit_home_and_keep(page, sw)
    sw.wait_until_idle(page)
    live_server.slow_down("/offline-pages.json", 2)
    live_server.clear()
    page.locator(".menu summary").click()  # the language switch is in the menu
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    for _ in range(100):  # until the worker starts its new round of keeping, in English
        if "/offline-pages.json" in live_server.requests:
            break
        page.wait_for_timeout(50)
    assert "/offline-pages.json" in live_server.requests
    context.set_offline(True)  # the signal drops while the worker keeps anew

    for path, title in [("/initiatives/free-exit", "The Free Exit"), ("/nope", None)]:
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            raise AssertionError(f"{path} does not open offline any more: {error}") from None
        assert response.from_service_worker
        if title:  # a kept copy, in either language
            expect(page.locator("h1")).to_have_text(title)
        else:
            expect(page.locator("h1")).to_have_text(re.compile("You are offline|" + OFFLINE_TITLE))
    context.set_offline(False)


def test_a_revisit_is_revalidated_not_downloaded_again(page, sw, live_server):
    """A page that did not change costs a 304 (its ETag must not change with the form token)."""
    path = "/initiatives/lucas-community"
    page.goto(path)
    sw.wait_for_kept(page, directory_pages(sw, page))
    page.wait_for_timeout(1100)  # a revisit a little later than the first visit
    live_server.clear()
    page.reload()
    sw.wait_for_kept_message(page)
    assert (path, 304) in live_server.answers, live_server.answers


def test_background_keeping_stays_within_the_budget(context, page, sw, live_server,
                                                    monkeypatch):
    # A budget the demo data exceeds, so that the worker must stop early.
    budget = 64 * 1024
    monkeypatch.setitem(live_server.app.config, "OFFLINE_BUDGET_BYTES", budget)
    own = []  # the page's own requests; the worker's carry `service_worker`

    def note(request):
        if request.service_worker is None:
            parts = urlsplit(request.url)
            own.append(parts.path + (f"?{parts.query}" if parts.query else ""))

    context.on("request", note)
    live_server.clear()
    page.goto("/")
    sw.wait_for_control(page)
    sw.wait_for_kept_message(page)
    sw.wait_until_idle(page)
    background = []
    for answer in live_server.answers_with_bytes:
        if answer["path"] in own:
            own.remove(answer["path"])
        else:
            background.append(answer)
    spent = sum(answer["bytes"] for answer in background)
    assert spent <= budget, (
        f"{spent} bytes in the background for a budget of {budget}: "
        + ", ".join(f"{a['path']} {a['bytes']}" for a in background))
