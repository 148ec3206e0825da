"""Fixtures of the race suite: Peer'M served for real, and many clients hitting it at once.

A race is found by racing. `servers` serves the app with the demo data the way it runs in
production, once per database:

- SQLite: one waitress server with 8 threads in this process (a real file, WAL mode);
- PostgreSQL: two app processes, each a waitress server with 8 threads, on one database —
  two processes share no memory, so only the database can keep them honest.

`servers.client(i)` is a cookie-keeping HTTP client for server `i % len(servers.urls)`, which
reads form tokens and logs in like a browser would. `at_once(n, fn)` runs `fn(0..n-1)` in `n`
threads released together by a barrier and returns their results in order (an exception is
returned, not raised, so that a test can count the 500s).

Tests use `servers.app` to look into the database (inside `servers.database()`). Each test
gets a fresh copy of the world (tests/conftest.py), the PostgreSQL one dropped after it.
"""
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "race-tests-only"
# What the served app is configured with, in both databases. The password hash is the real
# one (the race of the first release hid behind it); the page cache is off, as in the tests.
SETTINGS = {"SECRET_KEY": SECRET, "PAGE_CACHE_SECONDS": 0}

# The app process of the PostgreSQL run: serves on a free port and prints it.
SERVE = """
import sys, waitress
from peerm import create_app
app = create_app({"SECRET_KEY": %(secret)r, "PAGE_CACHE_SECONDS": 0})
server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
print(server.effective_port, flush=True)
server.run()
"""


class Answer:
    """What a request got: status, headers, body text."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body

    def json(self):
        return json.loads(self.text)

    def __repr__(self):
        return f"<Answer {self.status} {self.text[:120]!r}>"


class Client:
    """A browser-like HTTP client: keeps cookies, never follows redirects."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects())

    def request(self, method, path, data=None, json_body=None, headers=None):
        headers = dict(headers or {})
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
            headers.setdefault("Origin", self.base_url)
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            headers.setdefault("Origin", self.base_url)
        req = urllib.request.Request(self.base_url + path, data=body, method=method,
                                     headers=headers)
        try:
            # An upper bound, not a wait: thirty real password hashes queued behind each other on
            # a loaded 2-core machine took more than a minute.
            with self.opener.open(req, timeout=300) as response:
                return Answer(response.status, dict(response.headers),
                              response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers),
                          error.read().decode("utf-8", "replace"))

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def form_token(self, path="/"):
        """This client's form token, read from a page (the session is made on the way)."""
        page = self.get(path).text
        return re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)

    def post_form(self, path, data, token_from=None):
        """Post a form as the page at `token_from` (or `path`) would, with the form token."""
        token = self.form_token(token_from or path)
        return self.post(path, {"csrf_token": token, **data})

    def log_in(self, email, password=None):
        from peerm.accounts.demo import DEMO_PASSWORD

        answer = self.post_form("/login", {"email": email,
                                           "password": password or DEMO_PASSWORD})
        assert answer.status == 303, answer
        return self

    def sync(self, actions):
        return self.post("/sync", json_body={"actions": actions})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def at_once(count, work):
    """Run `work(i)` for i in 0..count-1 in threads that start together; results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the test counts failures
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def action(action_type, data, **extra):
    """An action as a phone queues it, stamped now."""
    import datetime as dt

    return {"id": str(uuid.uuid4()), "type": action_type,
            "at": dt.datetime.now(dt.timezone.utc).isoformat(), "data": data, **extra}


class Servers:
    """The app served on one database: `urls` (one per process), `app` to look into it."""

    def __init__(self, kind, urls, app):
        self.kind = kind
        self.urls = urls
        self.app = app

    def client(self, i=0):
        return Client(self.urls[i % len(self.urls)])

    @contextmanager
    def database(self):
        """An app context with an open connection, to read what the race left behind."""
        from peerm.core import db as database

        with self.app.app_context(), database.db.connection_context():
            yield database.db


def _serve_in_thread(app):
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, name="peerm-race-server", daemon=True)
    thread.start()
    return server, thread


def _stop_server(server, thread):
    server.task_dispatcher.shutdown(timeout=5)
    # The server's own thread closes its sockets (closing them from here could pull one from
    # under the select() it is in); the loop ends once none is left.
    def close_all():
        for channel in list(server._map.values()):
            channel.close()

    try:
        server.trigger.pull_trigger(close_all)
    except OSError:
        # Seen once in seven runs: the trigger's pipe was already gone (EBADF), so the loop
        # cannot be woken. Its sockets are closed from here instead; it ends without them.
        close_all()
    thread.join(timeout=10)


def _start_process(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", SERVE % {"secret": SECRET}], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    if not line.isdigit():
        process.kill()
        raise RuntimeError(f"the app process did not start (it printed {line!r})")
    return process, f"http://127.0.0.1:{line}"


@pytest.fixture(params=["sqlite", "postgresql"])
def servers(request):
    """The app with the demo data: one server on SQLite, two processes on PostgreSQL."""
    from peerm import create_app
    from peerm.core import db as database

    url = request.getfixturevalue(f"{request.param}_url")
    app = create_app({"DATABASE_URL": url, **SETTINGS})
    if request.param == "sqlite":
        server, thread = _serve_in_thread(app)
        try:
            yield Servers("sqlite", [f"http://127.0.0.1:{server.effective_port}"], app)
        finally:
            _stop_server(server, thread)
            database.db.obj.close_all()
        return
    processes = []
    try:
        processes = [_start_process(url) for _ in range(2)]
        yield Servers("postgresql", [address for _process, address in processes], app)
    finally:
        for process, _address in processes:
            process.terminate()
        for process, _address in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
