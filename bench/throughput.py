"""Server throughput: Peer'M's pages against a bare Flask "hello world", in one run, on the
same waitress settings and with the same load generator (Debian's wrk, loopback only, a fixed
duration).

    .venv/bin/python bench/throughput.py [--seconds 10] [--connections 32]

Asks as a phone's browser does (Chromium's Accept-Encoding, the cookies the site gave) for the
pages residents open most: home, the directory, the events list, an event and the needs board.
Prints requests per second, p50 and p99 latency and the ratios to bare Flask, and the resident
memory of the Peer'M process after the run; writes them to bench/results/throughput.json.
Goal: every page at least half of bare Flask's throughput, with a p99 at most twice bare
Flask's p99 in the same run and at most 50 ms at 32 connections on 2 cores; memory ≤ 150 MB.
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import THREADS, bare_flask, peerm_sqlite, resident_mb  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_RATIO = 0.5
GOAL_P99_MS = 50.0
GOAL_P99_RATIO = 2.0
GOAL_MEMORY_MB = 150
# What Chromium on a phone sends.
ACCEPT_ENCODING = "Accept-Encoding: gzip, deflate, br, zstd"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds, connections, headers=()):
    """Run wrk and read requests/s, p50, p99 and errors from its report."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"url": url, "rps": rps, "p50_ms": percentile(50), "p99_ms": percentile(99),
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    results = {"machine": {"cores": os.cpu_count(), "arch": platform.machine(),
                           "python": platform.python_version(), "waitress_threads": THREADS},
               "connections": args.connections, "seconds": args.seconds, "runs": []}
    with bare_flask() as flask_base, peerm_sqlite() as (peerm_base, _db):
        kept = json.load(urllib.request.urlopen(peerm_base + "/offline-pages.json"))["pages"]
        event_page = next(p for p in kept if p.startswith("/events/") and p[8:].isdigit())
        # A phone's request: compressed, with whatever cookie the site gave it (none, for a
        # visitor who is not logged in).
        first = urllib.request.urlopen(peerm_base + "/initiatives")
        cookie = first.headers.get("Set-Cookie", "").split(";")[0]
        headers = [ACCEPT_ENCODING] + ([f"Cookie: {cookie}"] if cookie else [])
        pages = ["/", "/initiatives", "/events", event_page, "/needs"]
        targets = [("bare Flask /", flask_base + "/")]
        for page in pages:
            try:
                urllib.request.urlopen(peerm_base + page)
            except OSError:
                continue    # a part this version does not have
            targets.append((f"Peer'M {page}", peerm_base + page))
        for name, url in targets:
            wrk(url, 2, args.connections, headers)  # warm up
            run = wrk(url, args.seconds, args.connections, headers)
            run["name"] = name
            results["runs"].append(run)
        results["memory_mb"] = resident_mb(peerm_base)
    baseline = results["runs"][0]
    print(f"{'server':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'p99 ×':>6}  goal")
    for run in results["runs"]:
        run["ratio"] = run["rps"] / baseline["rps"]
        run["p99_ratio"] = run["p99_ms"] / baseline["p99_ms"]
        peerm = run["name"].startswith("Peer'M")
        ok = (run["ratio"] >= GOAL_RATIO and run["p99_ratio"] <= GOAL_P99_RATIO
              and run["p99_ms"] <= GOAL_P99_MS) if peerm else True
        run["meets_goal"] = ok
        print(f"{run['name']:32} {run['rps']:9.0f} {run['p50_ms']:8.1f} {run['p99_ms']:8.1f} "
              f"{run['ratio']:6.2f} {run['p99_ratio']:6.2f}  {'PASS' if ok else 'FAIL'}"
              f"{'  non-2xx: ' + str(run['non_2xx']) if run['non_2xx'] else ''}")
    memory_ok = results["memory_mb"] <= GOAL_MEMORY_MB
    print(f"Peer'M resident memory after the run: {results['memory_mb']:.0f} MB "
          f"(goal ≤ {GOAL_MEMORY_MB} MB: {'PASS' if memory_ok else 'FAIL'})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "throughput.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
