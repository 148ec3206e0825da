"""Servers for the benchmarks: Peer'M on a fresh database with the demo data, and a bare Flask
"hello world", each in its own waitress process on a free loopback port, with the same
waitress settings. Used by throughput.py and sync_storm.py."""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The same waitress settings for every server measured.
THREADS = 8

PEERM = """
import os, sys
sys.path.insert(0, {root!r})
from waitress import serve
from peerm import create_app
app = create_app({{"DATABASE_URL": os.environ["DATABASE_URL"]}})
serve(app, host="127.0.0.1", port=int(os.environ["PORT"]), threads={threads}, _quiet=True)
"""
BARE_FLASK = """
import os
from flask import Flask
from waitress import serve
app = Flask(__name__)

@app.get("/")
def hello():
    return "Hello, World!"

serve(app, host="127.0.0.1", port=int(os.environ["PORT"]), threads={threads}, _quiet=True)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port} after {timeout} s")


def prepare_database(url):
    """Create the tables and the demo data in a fresh database."""
    subprocess.run([PYTHON, "-m", "flask", "--app", "app", "load-demo"], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": url}, capture_output=True)


# The process behind each running server, by base URL (to read its memory).
PROCESSES = {}


def resident_mb(base):
    """The resident memory of the process serving `base`, in MB (Linux's VmRSS)."""
    status = Path(f"/proc/{PROCESSES[base].pid}/status").read_text()
    kilobytes = int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])
    return kilobytes / 1024


@contextlib.contextmanager
def server(code, env=None, port=None):
    """Run a server script in its own process; yields its base URL."""
    port = port or free_port()
    process = subprocess.Popen([PYTHON, "-c", code.format(root=str(ROOT), threads=THREADS)],
                               cwd=ROOT, env={**os.environ, **(env or {}), "PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    PROCESSES[base] = process
    try:
        wait_until_up(port)
        yield base
    finally:
        PROCESSES.pop(base, None)
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def peerm_sqlite():
    """Peer'M on a temporary SQLite file with the demo data; yields (base URL, database URL)."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/peerm.sqlite3"
        prepare_database(url)
        with server(PEERM, {"DATABASE_URL": url}) as base:
            yield base, url


@contextlib.contextmanager
def bare_flask():
    with server(BARE_FLASK) as base:
        yield base
