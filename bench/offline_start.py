"""Offline start: how soon a page kept on the phone shows while the phone has no signal.

    .venv/bin/python bench/offline_start.py [--runs 10]

Chromium visits the app online once (the worker installs and keeps the pages), goes offline,
and then opens each page `--runs` times: the time from navigation start to the first
contentful paint (`performance` paint entry), median and worst. Writes
bench/results/offline_start.json. Goal: median at most 300 ms on this machine.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import CHROME_PATH, CHROMIUM_ARGS, PHONE, start_server, stop_server  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_MS = 300
PAGES = ["/", "/initiatives", "/initiatives/lucas-community", "/events"]
FCP = """() => new Promise((resolve) => {
  const found = () => performance.getEntriesByName("first-contentful-paint")[0];
  if (found()) return resolve(found().startTime);
  new PerformanceObserver((list, observer) => {
    observer.disconnect();
    resolve(found() ? found().startTime : list.getEntries()[0].startTime);
  }).observe({type: "paint", buffered: true});
})"""
READY = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r));
  }
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server, thread, _meter, base = start_server(Path(folder))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROME_PATH, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport=PHONE, locale="nl-NL")
                page = context.new_page()
                page.goto(base + "/")
                page.evaluate(READY)
                # Wait until every page of the list is kept.
                page.wait_for_function("""async (pages) => {
                  const cache = await caches.open("peerm-pages");
                  for (const p of pages) if (!(await cache.match(p, {ignoreVary: true}))) return false;
                  return true;
                }""", arg=PAGES, timeout=60000, polling=250)
                context.set_offline(True)
                figures = {}
                for path in PAGES:
                    times = []
                    for _ in range(args.runs):
                        response = page.goto(base + path)
                        assert response and response.from_service_worker, path
                        times.append(page.evaluate(FCP))
                    figures[path] = {"median_ms": round(statistics.median(times), 1),
                                     "worst_ms": round(max(times), 1), "runs": args.runs}
                version = browser.version
                browser.close()
        finally:
            stop_server(server, thread)
    ok = all(f["median_ms"] <= GOAL_MS for f in figures.values())
    print(f"{'page (offline)':36} {'median ms':>10} {'worst ms':>9}  goal ≤ {GOAL_MS} ms")
    for path, f in figures.items():
        print(f"{path:36} {f['median_ms']:10.1f} {f['worst_ms']:9.1f}  "
              f"{'PASS' if f['median_ms'] <= GOAL_MS else 'FAIL'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "offline_start.json").write_text(json.dumps(
        {"chromium": version, "cores": os.cpu_count(), "pages": figures}, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
