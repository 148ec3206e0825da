"""Page weight of Peer'M: what a phone downloads, measured in Chromium against the real app.

Run from the project folder:

    .venv/bin/python bench/page_weight.py [--json bench/results/page_weight.json]

The app runs as in the browser tests: a temporary SQLite file with the demo data, served by
waitress in a thread on a free port of 127.0.0.1. Two meters run side by side:

- the browser's: CDP `Network.loadingFinished.encodedDataLength` of the page's own requests
  (the compressed body plus the response headers, as they came over the wire);
- the server's: a WSGI middleware that adds up, per request, the status line, the headers
  (with the `Date` and `Server` lines waitress adds) and the body bytes it sends. This is
  how the service worker's own fetches are measured (its script, the Workbox files it
  imports, the precache and the kept pages): Chromium does not report reliable sizes for
  requests of a worker target (bodies from its script cache come out as 0 or negative).

Figures (see bench/README.md): (a) cold first visit of `/`, the page alone; (b) what the
worker fetches in the background until it reports "kept"; (c) the HTML + CSS of the first
screen against 14 KB; (d) warm revisits with the worker in control; (e) cold visits of the
list and of one co-operative; (f) what "keep on this phone" downloads for the library's
collection of guides (no budget: the person asks for it). Exit status 1 when a budget is
exceeded.
"""
import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KB = 1024
BUDGETS = {
    "cold_home_page": 60 * KB,
    "cold_home_background": 150 * KB,
    "first_screen_html_css": 14 * KB,
    "warm": 5 * KB,
}
CHROME_PATH = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
WARM_PAGES = ["/", "/initiatives", "/initiatives/lucas-community"]
COLD_PAGES = ["/initiatives", "/initiatives/lucas-community"]
# The library collection kept on request in (f), and the text its page shows once kept.
KEPT_COLLECTION = "/library?kind=guide"
KEPT_DONE = "() => /[0-9]/.test((document.querySelector('#library-list .keep__status') || {}).textContent || '')"
# Lines waitress adds to every answer, as long as these.
WAITRESS_LINES = len("Server: waitress\r\n") + len("Date: Fri, 27 Nov 2026 07:00:00 GMT\r\n")
KEPT_LISTENER = """
navigator.serviceWorker && navigator.serviceWorker.addEventListener("message", (event) => {
  if (event.data && event.data.type === "kept") window.__peermKept = event.data;
});
"""


class ByteMeter:
    """WSGI middleware: per request, the path, status, header bytes and body bytes sent."""

    def __init__(self, app):
        self.app = app
        self.records = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        record = {"path": environ.get("PATH_INFO", "") + ("?" + query if query else ""),
                  "dest": environ.get("HTTP_SEC_FETCH_DEST", ""),
                  "status": None, "headers": 0, "body": 0}
        with self.lock:
            self.records.append(record)

        def counting_start_response(status, headers, exc_info=None):
            record["status"] = int(status.split()[0])
            record["headers"] = (len(f"HTTP/1.1 {status}\r\n") + WAITRESS_LINES + 2
                                 + sum(len(name) + len(value) + 4 for name, value in headers))
            return start_response(status, headers, exc_info)

        body = self.app(environ, counting_start_response)
        try:
            for chunk in body:
                record["body"] += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()

    def take(self):
        """The records since the last call, and forget them."""
        with self.lock:
            records, self.records = self.records, []
        return records


def start_server(folder: Path):
    import waitress

    from peerm import create_app
    from peerm.cli import set_up_demo

    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'peerm.sqlite3'}",
                      "SECRET_KEY": "page-weight-bench-only"})
    set_up_demo(app)
    meter = ByteMeter(app.wsgi_app)
    app.wsgi_app = meter
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread, meter, f"http://127.0.0.1:{server.effective_port}"


def stop_server(server, thread):
    server.task_dispatcher.shutdown(timeout=5)
    for channel in list(server._map.values()):
        try:
            channel.close()
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass
    thread.join(timeout=10)


class PageMeter:
    """The page's own requests, from CDP Network events."""

    def __init__(self, context, page):
        self.requests = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)

    def _entry(self, request_id):
        return self.requests.setdefault(request_id, {"url": None, "status": None,
                                                     "from_worker": False, "from_cache": False,
                                                     "bytes": 0, "done": False})

    def _sent(self, event):
        self._entry(event["requestId"])["url"] = event["request"]["url"]

    def _received(self, event):
        entry, response = self._entry(event["requestId"]), event["response"]
        entry["status"] = response["status"]
        entry["from_worker"] = bool(response.get("fromServiceWorker"))
        entry["from_cache"] = bool(response.get("fromDiskCache") or
                                   response.get("fromPrefetchCache"))

    def _finished(self, event):
        entry = self._entry(event["requestId"])
        entry["bytes"] = event["encodedDataLength"]
        entry["done"] = True

    def take(self):
        """The finished requests since the last call (URL as a path), and forget them."""
        done = [r for r in self.requests.values() if r["done"] and r["url"]]
        self.requests = {key: r for key, r in self.requests.items() if not r["done"]}
        for record in done:
            parts = urlsplit(record["url"])
            record["path"] = parts.path + ("?" + parts.query if parts.query else "")
        return done


def wait_quiet(meter, page, seconds=0.5):
    """Wait until the server has seen no request for `seconds`."""
    last = -1
    while True:
        count = len(meter.records)
        if count == last:
            return
        last = count
        page.wait_for_timeout(seconds * 1000)


def split_by_page(server_records, page_records):
    """Split the server's records into the page's own (one per network request the page
    made) and the rest (the worker's)."""
    wanted = [r["path"] for r in page_records if r["bytes"] > 0 and not r["from_worker"]]
    own, rest = [], []
    for record in server_records:
        if record["path"] in wanted:
            wanted.remove(record["path"])
            own.append(record)
        else:
            rest.append(record)
    return own, rest


def total(records):
    return sum(r["headers"] + r["body"] for r in records)


def rows(records):
    return [{"path": r["path"], "status": r["status"], "bytes": r["headers"] + r["body"],
             "body": r["body"]} for r in records]


def measure(chromium):
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory(prefix="peerm-bench-") as folder:
        server, thread, meter, base = start_server(Path(folder))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium,
                                                     args=CHROMIUM_ARGS)
                results["chromium"] = browser.version

                # (a) (b) (c) (d): one phone, first visit then revisits.
                context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=base)
                context.add_init_script(KEPT_LISTENER)
                page = context.new_page()
                page_meter = PageMeter(context, page)
                meter.take()
                page.goto("/", wait_until="load")
                page.wait_for_function("() => window.__peermKept", timeout=60_000)
                wait_quiet(meter, page)
                page_records = page_meter.take()
                own, background = split_by_page(meter.take(), page_records)
                network = [r for r in page_records if r["bytes"] > 0]
                results["cold_home_page"] = {
                    "bytes": sum(r["bytes"] for r in network),
                    "server_bytes": total(own),
                    "requests": [{"path": r["path"], "status": r["status"],
                                  "bytes": r["bytes"]} for r in network],
                }
                results["cold_home_background"] = {
                    "bytes": total(background),
                    "kept": page.evaluate("() => window.__peermKept"),
                    "requests": rows(background),
                }
                first = {r["path"]: r for r in network}
                css = next(path for path in first if path.endswith(".css"))
                html_css = [first["/"], first[css]]
                own_by_path = {r["path"]: r for r in own}
                results["first_screen_html_css"] = {
                    "bytes": sum(r["bytes"] for r in html_css),
                    "bodies": own_by_path["/"]["body"] + own_by_path[css]["body"],
                    "html": first["/"]["bytes"], "css": first[css]["bytes"],
                }

                results["warm"] = {}
                for path in WARM_PAGES:
                    page.goto(path, wait_until="load")
                    page.wait_for_function("() => window.__peermKept", timeout=60_000)
                    wait_quiet(meter, page)
                    page_records = page_meter.take()
                    records = meter.take()
                    results["warm"][path] = {
                        "bytes": total(records),
                        "page_network_bytes": sum(r["bytes"] for r in page_records
                                                  if not r["from_worker"]),
                        "requests": rows(records),
                    }
                context.close()

                # (e) cold visits of other pages, each on a fresh phone: the page alone.
                results["cold_other"] = {}
                for path in COLD_PAGES:
                    context = browser.new_context(viewport=PHONE, locale="nl-NL",
                                                  base_url=base)
                    context.add_init_script(KEPT_LISTENER)
                    page = context.new_page()
                    page_meter = PageMeter(context, page)
                    meter.take()
                    page.goto(path, wait_until="load")
                    page.wait_for_function("() => window.__peermKept", timeout=60_000)
                    wait_quiet(meter, page)
                    network = [r for r in page_meter.take() if r["bytes"] > 0]
                    own, background = split_by_page(meter.take(), network)
                    results["cold_other"][path] = {
                        "bytes": sum(r["bytes"] for r in network),
                        "server_bytes": total(own),
                        "background_bytes": total(background),
                        "requests": [{"path": r["path"], "status": r["status"],
                                      "bytes": r["bytes"]} for r in network],
                    }
                    context.close()

                # (f) the library's collection of guides, kept on request on a fresh phone.
                context = browser.new_context(viewport=PHONE, locale="nl-NL", base_url=base)
                context.add_init_script(KEPT_LISTENER)
                page = context.new_page()
                page.goto(KEPT_COLLECTION, wait_until="load")
                page.wait_for_function("() => window.__peermKept", timeout=60_000)
                wait_quiet(meter, page)
                meter.take()
                page.locator("#library-list [data-action=keep-collection]").click()
                page.wait_for_function(KEPT_DONE, timeout=60_000)
                page.wait_for_function("() => window.PeermWork.idle()", timeout=60_000)
                wait_quiet(meter, page)
                records = meter.take()
                results["library_kept"] = {
                    "path": KEPT_COLLECTION,
                    "documents": page.evaluate(
                        "() => JSON.parse(document.querySelector('#library-list "
                        "[data-keep-collection]').dataset.keepCollection).docs.length"),
                    "bytes": total(records),
                    "status": page.locator("#library-list .keep__status").text_content(),
                    "requests": rows(records),
                }
                context.close()
                browser.close()
        finally:
            stop_server(server, thread)
    return results


def verdicts(results):
    """(label, bytes, budget or None) for every figure, in the table's order."""
    lines = [
        ("(a) cold / — the page itself", results["cold_home_page"]["bytes"],
         BUDGETS["cold_home_page"]),
        ("(b) cold / — worker in the background", results["cold_home_background"]["bytes"],
         BUDGETS["cold_home_background"]),
        ("(c) first screen: / HTML + CSS", results["first_screen_html_css"]["bytes"],
         BUDGETS["first_screen_html_css"]),
    ]
    for path, figure in results["warm"].items():
        lines.append((f"(d) warm {path}", figure["bytes"], BUDGETS["warm"]))
    for path, figure in results["cold_other"].items():
        lines.append((f"(e) cold {path} — the page itself", figure["bytes"], None))
    kept = results.get("library_kept")
    if kept:
        lines.append((f"(f) kept on request: {kept['path']} ({kept['documents']} documents)",
                      kept["bytes"], None))
    return lines


def print_table(results):
    lines = verdicts(results)
    width = max(len(label) for label, _, _ in lines)
    print(f"Peer'M page weight — Chromium {results['chromium']}")
    print(f"{'figure'.ljust(width)}  {'bytes':>8}  {'KB':>6}  {'budget':>8}  result")
    failed = False
    for label, size, budget in lines:
        verdict = "—"
        if budget is not None:
            verdict = "PASS" if size <= budget else "FAIL"
            failed |= verdict == "FAIL"
        budget_text = f"{budget / KB:.0f} KB" if budget else ""
        print(f"{label.ljust(width)}  {size:>8}  {size / KB:>6.1f}  {budget_text:>8}  {verdict}")
    html_css = results["first_screen_html_css"]
    print(f"\n(c) in detail: HTML {html_css['html']} B + CSS {html_css['css']} B with headers; "
          f"compressed bodies alone {html_css['bodies']} B.")
    for path, figure in results["warm"].items():
        answers = ", ".join(f"{r['path']} {r['status']} {r['bytes']} B"
                            for r in figure["requests"])
        print(f"(d) {path}: {answers or 'nothing over the network'}")
    kept = results.get("library_kept")
    if kept:
        print(f"(f) {kept['path']}: " + ", ".join(f"{r['path']} {r['bytes']} B"
                                               for r in kept["requests"]))
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "page_weight.json"),
                        help="where to write the figures (default: %(default)s)")
    parser.add_argument("--chromium", default=CHROME_PATH,
                        help="the Chromium binary (default: CHROME_PATH or /usr/bin/chromium)")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        sys.exit(f"Chromium not found at {args.chromium}: set CHROME_PATH or --chromium")

    started = time.monotonic()
    results = measure(args.chromium)
    failed = print_table(results)
    results["budgets"] = BUDGETS
    results["verdicts"] = [
        {"figure": label, "bytes": size, "budget": budget,
         "pass": None if budget is None else size <= budget}
        for label, size, budget in verdicts(results)]
    results["machine"] = {"nproc": os.cpu_count(), "arch": platform.machine(),
                          "python": platform.python_version()}
    results["measured_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    results["seconds"] = round(time.monotonic() - started, 1)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {out} in {results['seconds']} s.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
