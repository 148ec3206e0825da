"""Lighthouse 12 (mobile) on the home page, the directory and an event page: performance,
accessibility and best practices.

    .venv/bin/python bench/lighthouse.py

Installs lighthouse@12.2.3 from the npm registry into bench/.node the first time (Lighthouse 13
wants Node 22), serves the app on a temporary SQLite file with the demo data, and runs
Lighthouse against Debian's Chromium. Writes bench/results/lighthouse.json. Goal: 100 each.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import CHROME_PATH, start_server, stop_server  # noqa: E402

HERE = Path(__file__).resolve().parent
NODE = HERE / ".node"
RESULTS = HERE / "results"
VERSION = "12.2.3"
CATEGORIES = ["performance", "accessibility", "best-practices"]
GOAL = 100


def lighthouse_bin():
    binary = NODE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        NODE.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund",
                        "--silent", f"lighthouse@{VERSION}"], check=True)
    return binary


def run(binary, url):
    out = subprocess.run(
        [str(binary), url, "--quiet", "--output=json", "--form-factor=mobile",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
         "--disable-background-networking --disable-component-update --disable-sync"],
        capture_output=True, text=True, check=True, env={**os.environ, "CHROME_PATH": CHROME_PATH})
    report = json.loads(out.stdout)
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = {name: [audit_id for audit_id, audit in report["audits"].items()
                      if audit.get("score") is not None and audit["score"] < 1
                      and audit_id in {ref["id"] for ref in report["categories"][name]["auditRefs"]
                                       if ref.get("weight", 0) > 0}]
               for name in CATEGORIES}
    return scores, failing


def main():
    binary = lighthouse_bin()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        server, thread, _meter, base = start_server(Path(folder))
        try:
            pages = json.loads(subprocess.run(["curl", "-s", base + "/offline-pages.json"],
                                              capture_output=True, text=True).stdout)["pages"]
            event = next(p for p in pages if p.startswith("/events/") and p[8:].isdigit())
            for path in ["/", "/initiatives", event]:
                scores, failing = run(binary, base + path)
                results[path] = {"scores": scores, "below_100": failing}
        finally:
            stop_server(server, thread)
    ok = all(score >= GOAL for r in results.values() for score in r["scores"].values())
    print(f"{'page':28} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for path, r in results.items():
        print(f"{path:28} " + " ".join(f"{r['scores'][c]:>15}" for c in CATEGORIES))
        for c, audits in r["below_100"].items():
            if audits:
                print(f"    {c}: {', '.join(audits)}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(json.dumps(results, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
