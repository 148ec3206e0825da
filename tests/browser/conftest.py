"""Fixtures of the browser suite: Peer'M served by waitress, and Chromium driven by Playwright.

- `live_server`: the app on a temporary SQLite file with the demo data, served by waitress in
  a thread of the test process on 127.0.0.1 (a secure context, so service workers run). It
  records the path (and query) of every request it sees in `live_server.requests`, so that a
  test can assert that the server saw nothing (`live_server.clear()`, then `.requests == []`),
  and `(path, status)` of every answer in `live_server.answers` (with the bytes sent in
  `answers_with_bytes`). `slow_down(prefix, seconds)` holds answers back for one test, to act
  while the worker is busy.
- pytest-playwright's `browser_type_launch_args`, `base_url` and `browser_context_args` are
  overridden: Chromium from `CHROME_PATH` or `/usr/bin/chromium`, a 360×740 phone screen,
  Dutch (`nl-NL`). Without Chromium the browser tests are skipped, under `CI=true` they fail.
- `sw`: helpers that wait until the service worker controls a page, until it has kept the
  pages listed at `/offline-pages.json` (every page gets an init script that records the
  worker's `{type: "kept"}` messages in `window.__peermKept`), and until the page and its
  worker have no work under way (`wait_until_idle`: the page's `PeermWork.idle()`, which
  counts what the page asked of the worker and not yet heard back about, and the work the
  worker says it has under way). Every wait is for a condition, never for a time.
- `make_context(**options)`: more contexts (another viewport, no JavaScript, no worker).

`__init__.py` makes this folder a package, so that its module names (`test_pwa`,
`test_directory`) do not clash with the HTTP suite's.
"""
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

IN_CI = os.environ.get("CI", "") == "true"
CHROME_PATH = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
# The flags checked on this machine (see /work/shared/TESTING.md): without the
# background-networking ones Chromium keeps calling hosts this closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# A small phone, the kind most people of the network use.
PHONE = {"width": 360, "height": 740}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

# Lines waitress adds to every answer (`Server`, `Date`), as long as these.
WAITRESS_LINES = len("Server: waitress\r\n") + len("Date: Fri, 27 Nov 2026 07:00:00 GMT\r\n")

# Set up in every page before its own scripts: remembers the worker's "kept" message
# (`window.__peermKept`) and how many arrived, so that no message is missed however early it
# comes (the page's message queue only opens at DOMContentLoaded).
KEPT_LISTENER = """
(() => {
  window.__peermKeptCount = 0;
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "kept") {
      window.__peermKept = event.data;
      window.__peermKeptCount += 1;
    }
  });
})();
"""

WAIT_FOR_CONTROL = """
async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener("controllerchange", resolve, {once: true}));
  }
  return {scope: registration.scope, scriptURL: navigator.serviceWorker.controller.scriptURL,
          state: navigator.serviceWorker.controller.state};
}
"""

# Started in the page: checks the pages cache until every URL is in it, then says so in
# `window.__peermKeptAll` (for `wait_for_function`, which does not await a promise).
WATCH_KEPT = """
(urls) => {
  window.__peermKeptAll = false;
  const missing = async () => {
    const cache = await caches.open("peerm-pages");
    const out = [];
    for (const url of urls) if (!(await cache.match(url, {ignoreVary: true}))) out.push(url);
    return out;
  };
  const watch = async () => {
    window.__peermMissing = await missing();
    if (window.__peermMissing.length === 0) window.__peermKeptAll = true;
    else setTimeout(watch, 50);  // checked again soon: a polling interval, not a wait
  };
  watch();
}
"""
# Whether the page and its worker are done: see `PeermWork` in static/js/app.js.
IDLE = "() => Boolean(window.PeermWork) && window.PeermWork.idle()"

KEPT_URLS = """
async (urls) => {
  const cache = await caches.open("peerm-pages");
  const missing = [];
  for (const url of urls) {
    if (!(await cache.match(url, {ignoreVary: true}))) missing.push(url);
  }
  return missing;
}
"""


def _chromium_or_skip():
    if Path(CHROME_PATH).exists():
        return
    message = (f"Chromium is not installed at {CHROME_PATH} (set CHROME_PATH, or "
               "apt-get install chromium): the browser tests cannot run")
    if IN_CI:
        pytest.fail(message + " — and CI requires them", pytrace=False)
    pytest.skip(message)


class RequestLog:
    """WSGI middleware that records `PATH?QUERY` of every request the server sees.

    It can also hold back the answers to paths under a prefix (`delays`), to make the
    service worker's background work slow enough to act while it runs.
    """

    def __init__(self, app):
        self.app = app
        self.requests = []
        self.answers = []  # {path, status, bytes sent}, in the order they were answered
        self.delays = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        with self._lock:
            self.requests.append(path + ("?" + query if query else ""))
        for prefix, seconds in list(self.delays.items()):
            if path.startswith(prefix):
                time.sleep(seconds)

        answer = {"path": path + ("?" + query if query else ""), "status": None, "bytes": 0}

        def recording_start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            # The status line and headers, with the Date and Server lines waitress adds.
            answer["bytes"] += (len(status) + 11 + WAITRESS_LINES + 2
                                + sum(len(name) + len(value) + 4 for name, value in headers))
            with self._lock:
                self.answers.append(answer)
            return start_response(status, headers, exc_info)

        body = self.app(environ, recording_start_response)
        try:
            for chunk in body:
                answer["bytes"] += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()


class LiveServer:
    """Peer'M on a temporary SQLite file with the demo data, served by waitress in a thread."""

    def __init__(self, folder: Path):
        import waitress

        from peerm import create_app
        from peerm.cli import set_up_demo
        from peerm.core import db as database

        self.database_url = f"sqlite:///{folder / 'peerm.sqlite3'}"
        self.app = create_app({"DATABASE_URL": self.database_url,
                               "SECRET_KEY": "browser-tests-only", "PAGE_CACHE_SECONDS": 0})
        set_up_demo(self.app)
        self.database = database.db.obj
        self.log = RequestLog(self.app.wsgi_app)
        self.app.wsgi_app = self.log
        self.server = waitress.create_server(self.app, host="127.0.0.1", port=0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, name="peerm-live-server",
                                       daemon=True)
        self.thread.start()

    @property
    def requests(self):
        return list(self.log.requests)

    @property
    def answers(self):
        """`(path?query, status)` of every answer since the last `clear()`."""
        return [(answer["path"], answer["status"]) for answer in list(self.log.answers)]

    @property
    def answers_with_bytes(self):
        """Every answer since the last `clear()`: path, status and bytes sent (with headers)."""
        return [dict(answer) for answer in list(self.log.answers)]

    def clear(self):
        with self.log._lock:
            self.log.requests.clear()
            self.log.answers.clear()

    def slow_down(self, prefix, seconds):
        """Answer every path under `prefix` `seconds` late (until the test ends)."""
        self.log.delays[prefix] = seconds

    def rebind_database(self):
        """Bind the app's database proxy to this server's database again.

        The proxy is global: another suite's `app` fixture in the same run rebinds it.
        """
        from peerm.core import db as database

        if database.db.obj is not self.database:
            database.db.initialize(self.database)

    def stop(self):
        self.server.task_dispatcher.shutdown(timeout=5)
        # The server's own thread closes its sockets (closing them from here could pull one from
        # under the select() it is in); the loop ends once none is left.
        self.server.trigger.pull_trigger(lambda: [channel.close() for channel in list(self.server._map.values())])
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server():
    """The app with the demo data, served on 127.0.0.1 for the whole browser session."""
    with tempfile.TemporaryDirectory(prefix="peerm-browser-") as folder:
        server = LiveServer(Path(folder))
        try:
            yield server
        finally:
            server.stop()
            if hasattr(server.database, "close"):
                server.database.close()


@pytest.fixture(autouse=True)
def _live_server_per_test(request):
    """Before each test that serves pages: the server on its own data, answering at full speed."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    server.rebind_database()
    yield
    server.log.delays.clear()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _chromium_or_skip()
    return {**browser_type_launch_args, "executable_path": CHROME_PATH,
            "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": dict(PHONE), "locale": "nl-NL"}


@pytest.fixture
def context(new_context):
    """A fresh browser profile (no worker, no caches, no cookies) with the kept-listener."""
    context = new_context()
    context.add_init_script(KEPT_LISTENER)
    return context


@pytest.fixture
def make_context(browser, browser_context_args):
    """Make more contexts, e.g. in another language or on another screen (closed at the end)."""
    made = []

    def make(**kwargs):
        context = browser.new_context(**{**browser_context_args, **kwargs})
        context.add_init_script(KEPT_LISTENER)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


class WorkerHelpers:
    """Waiting for the service worker, from a page."""

    def __init__(self, base_url):
        self.base_url = base_url

    def wait_for_control(self, page, timeout=15_000):
        """Wait until the worker is active and controls `page`; return its scope and script."""
        page.wait_for_function("() => 'serviceWorker' in navigator", timeout=timeout)
        return page.evaluate(
            f"() => Promise.race([({WAIT_FOR_CONTROL})(), new Promise((_, reject) => "
            f"setTimeout(() => reject(new Error('no controlling worker')), {timeout}))])"
        )

    def wait_for_kept_message(self, page, count=1, timeout=30_000):
        """Wait for the `count`-th {type: "kept"} message of this page load; return it."""
        page.wait_for_function(f"() => window.__peermKeptCount >= {count}", timeout=timeout)
        return page.evaluate("() => window.__peermKept")

    def offline_pages(self, page):
        """The list the worker keeps (`/offline-pages.json`), fetched by the page."""
        return page.evaluate("() => fetch('/offline-pages.json').then((r) => r.json())")

    def missing_pages(self, page, urls):
        """Which of `urls` the worker has not kept (yet)."""
        return page.evaluate(KEPT_URLS, urls)

    def wait_for_kept(self, page, urls=None, timeout=30_000):
        """Wait until the worker has kept the pages: its answer, no work under way, then every
        URL in the cache."""
        self.wait_for_control(page)
        self.wait_for_kept_message(page, timeout=timeout)
        self.wait_until_idle(page, timeout=timeout)
        urls = urls if urls is not None else ["/offline", *self.offline_pages(page)["pages"]]
        page.evaluate(WATCH_KEPT, list(urls))
        try:
            page.wait_for_function("() => window.__peermKeptAll === true", timeout=timeout)
        except PlaywrightTimeout:
            missing = page.evaluate("() => window.__peermMissing")
            raise AssertionError(f"the worker did not keep {missing}") from None
        return urls

    @staticmethod
    def wait_until_idle(page, timeout=60_000):
        """Wait until the page's round of keeping is answered and neither the page nor the
        worker has work under way (flushes, rounds of keeping, drawing the outbox)."""
        page.wait_for_function(IDLE, timeout=timeout)


@pytest.fixture
def sw(base_url):
    return WorkerHelpers(base_url)


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- the outbox (added for test_outbox, test_volunteering_offline, test_counter_offline) -------

OUTBOX_KEPT = """
async (urls) => {
  const cache = await caches.open("peerm-pages");
  for (const url of urls) if (!(await cache.match(url, {ignoreVary: true}))) return false;
  return true;
}
"""


class OutboxHelpers:
    """Logging in, waiting until the page and its worker are done, and reading the phone's
    outbox (IndexedDB) and pages cache, and waiting on them."""

    def __init__(self, live_server):
        self.live_server = live_server

    @staticmethod
    def settle(page, timeout=60_000):
        """Wait until the page and its worker are done: the page's round of keeping answered,
        no flush or round of keeping under way in the worker, the page's outbox drawn."""
        WorkerHelpers.wait_until_idle(page, timeout=timeout)

    def log_in(self, page, email, next_path, password=None):
        """Log in through the login form and land on `next_path`.

        The worker's background keeping is let to finish before and after: a request under way
        while the session changes answers with the old session cookie and undoes the change
        (see test_outbox.py). The landing page is loaded once more, so that its form token is
        the one the session cookie holds.
        """
        from urllib.parse import quote, urlsplit

        from peerm.accounts.demo import DEMO_PASSWORD

        page.goto("/login?next=" + quote(next_path))
        self.settle(page)
        page.fill("#email", email)
        page.fill("#password", password or DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert urlsplit(page.url).path == next_path, page.url
        self.settle(page)
        page.reload()
        assert urlsplit(page.url).path == next_path, page.url

    @staticmethod
    def poll(page, script, arg=None, timeout=30_000, interval=200):
        """Evaluate `script` (it may be async) until it returns something truthy; return that.

        Playwright's `wait_for_function` does not await a promise: an async predicate passes at
        once. This evaluates it (awaited) again and again, `interval` apart, until it holds."""
        deadline = time.monotonic() + timeout / 1000
        while True:
            value = page.evaluate(script, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"still not true after {timeout} ms: {script}")
            page.wait_for_timeout(interval)

    @staticmethod
    def records(page):
        """Every action this phone keeps (the outbox records, in IndexedDB)."""
        return page.evaluate("() => PeermStore.all()")

    def wait_for_records(self, page, predicate, timeout=30_000):
        """Wait until `predicate` (JS, given the outbox records) is true; return the records."""
        found = self.poll(page, f"async () => {{ const all = await PeermStore.all(); "
                                f"return ({predicate})(all) ? {{all}} : null; }}", timeout=timeout)
        return found["all"]

    def wait_until_kept(self, page, urls, timeout=30_000):
        """Wait until the worker has every one of `urls` in its pages cache."""
        self.poll(page, OUTBOX_KEPT, list(urls), timeout=timeout)

    @staticmethod
    def flush(page):
        """Ask the worker to send what waits, as the page's own triggers do."""
        assert page.evaluate("() => PeermWork.ask({type: 'flush'})"), "no worker controls the page"


@pytest.fixture
def outbox(live_server):
    """Helpers for the outbox tests."""
    return OutboxHelpers(live_server)
