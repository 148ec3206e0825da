"""Server throughput: Peer'M's pages against a bare Flask "hello world", in one run, on the
same waitress settings and with the same load generator (Debian's wrk, loopback only, a fixed
duration).

    .venv/bin/python bench/throughput.py [--seconds 10] [--connections 32]

Prints requests per second, p50 and p99 latency and the ratio to bare Flask, and writes them
to bench/results/throughput.json. Goal: Peer'M at least half of bare Flask's throughput, p99 at
most 50 ms at 32 connections on 2 cores.
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
from servers import THREADS, bare_flask, peerm_sqlite  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_RATIO = 0.5
GOAL_P99_MS = 50.0
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
    # A phone's request: compressed, with a session cookie it already has.
    results = {"machine": {"cores": os.cpu_count(), "arch": platform.machine(),
                           "python": platform.python_version(), "waitress_threads": THREADS},
               "connections": args.connections, "seconds": args.seconds, "runs": []}
    with bare_flask() as flask_base, peerm_sqlite() as (peerm_base, _db):
        event_id = json.load(urllib.request.urlopen(peerm_base + "/offline-pages.json"))
        event_page = next(p for p in event_id["pages"] if p.startswith("/events/")
                          and p[8:].isdigit())
        opener = urllib.request.urlopen(peerm_base + "/initiatives")
        cookie = opener.headers.get("Set-Cookie", "").split(";")[0]
        headers = ["Accept-Encoding: gzip, br", f"Cookie: {cookie}"]
        targets = [("bare Flask /", flask_base + "/", headers),
                   ("Peer'M /initiatives", peerm_base + "/initiatives", headers),
                   (f"Peer'M {event_page}", peerm_base + event_page, headers)]
        for name, url, hdrs in targets:
            wrk(url, 2, args.connections, hdrs)  # warm up
            run = wrk(url, args.seconds, args.connections, hdrs)
            run["name"] = name
            results["runs"].append(run)
    baseline = results["runs"][0]["rps"]
    print(f"{'server':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  goal")
    for run in results["runs"]:
        run["ratio"] = run["rps"] / baseline
        peerm = run["name"].startswith("Peer'M")
        ok = (run["ratio"] >= GOAL_RATIO and run["p99_ms"] <= GOAL_P99_MS) if peerm else True
        run["meets_goal"] = ok
        print(f"{run['name']:32} {run['rps']:9.0f} {run['p50_ms']:8.1f} {run['p99_ms']:8.1f} "
              f"{run['ratio']:6.2f}  {'PASS' if ok else 'FAIL'}"
              f"{'  non-2xx: ' + str(run['non_2xx']) if run['non_2xx'] else ''}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "throughput.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
