"""`make run` (app.py) says where Peer'M is, once the server listens."""
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_app_py_prints_the_address_when_the_server_is_up(tmp_path):
    env = {**os.environ, "PEERM_PORT": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
           "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = ""
        for line in server.stdout:
            if "is running at" in line:
                break
        found = re.search(r"Peer'M is running at (http://localhost:(\d+)/)", line)
        assert found, line
        assert f"process {server.pid}" in line
        # The address answers: the server was up when it was printed.
        url = f"http://127.0.0.1:{found.group(2)}/static/icons/favicon.svg"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
