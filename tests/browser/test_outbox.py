"""The outbox in a real browser: actions made without signal are kept on the phone (IndexedDB,
by the service worker), counted in the header, survive a reload, and are sent to /sync exactly
once — with two tabs flushing at the same time, with a full event, at the door, and with the
server killed in the middle of a flush. Every test checks the database as well as the page.
"""
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

SIGNUP_FORM = "form[data-offline='event.signup']"


# --- helpers --------------------------------------------------------------------------------

@contextmanager
def database():
    """A connection of this thread to the database the proxy is bound to (the live server's)."""
    from peerm.core import db

    with db.db.connection_context():
        yield


def make_event(title, capacity=None, initiative="lucas-community", start=None):
    """An upcoming local event of a co-operative (in five days unless told), made in the
    database."""
    from peerm.core import clock
    from peerm.events.models import Event
    from peerm.initiatives.models import Initiative

    start = start or (clock.now() + dt.timedelta(days=5)).replace(hour=14, minute=0, second=0)
    with database():
        return Event.create(
            kind="local", initiative=Initiative.get(Initiative.slug == initiative),
            title_nl=title, title_en=title, summary_nl="Een test.", summary_en="A test.",
            place="Utrecht", starts_at=start, ends_at=start + dt.timedelta(hours=2),
            capacity=capacity)


@pytest.fixture
def new_event(live_server):
    """Make upcoming events on the live server; they go again after the test, so that the
    other suites' list of pages to keep (and its byte budget) stays as the demo data makes
    it."""
    from peerm.events.models import Event

    made = []

    def make(title, capacity=None, start=None):
        event = make_event(title, capacity, start=start)
        made.append(event.id)
        return event

    yield make
    live_server.rebind_database()
    with database():
        Event.delete().where(Event.id.in_(made)).execute()  # their sign-ups go with them


def add_signups(event, names):
    from peerm.core import clock
    from peerm.events.models import Signup, new_code

    with database():
        return [Signup.create(event=event, code=new_code(), name=name, party_size=1,
                              status="confirmed", created_at=clock.now()) for name in names]


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def all_done(count):
    """The outbox predicate: `count` records, every one sent and answered."""
    return f"(all) => all.length === {count} && all.every((r) => r.state === 'done')"


def sign_up_offline(page, name):
    """Fill in the sign-up form and send it; the worker keeps it."""
    form = page.locator(SIGNUP_FORM)
    form.locator("input[name=name]").fill(name)
    form.locator("button[type=submit]").click()


def open_offline_ready(page, sw, outbox, path):
    """Open `path`, wait until the worker controls it and has kept the "saved" answer."""
    page.goto(path)
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", path])


def signups_named(names):
    from peerm.events.models import Signup

    with database():
        return list(Signup.select().where(Signup.name.in_(list(names))))


def sync_records(ids):
    from peerm.outbox.models import SyncRecord

    with database():
        return list(SyncRecord.select().where(SyncRecord.action_id.in_(list(ids))))


# --- 1. one sign-up, offline, through a reload ----------------------------------------------

def test_offline_signup_survives_a_reload_and_is_sent_once(context, page, sw, live_server,
                                                           outbox, new_event):
    event = new_event(unique("Buurtlunch"))
    name = unique("Offline Olga")
    path = f"/events/{event.id}"
    open_offline_ready(page, sw, outbox, path)

    context.set_offline(True)
    sign_up_offline(page, name)
    result = page.locator("#signup-result")
    expect(result.locator("[data-outcome=queued]")).to_be_visible()
    expect(result).to_contain_text("Bewaard op deze telefoon")
    count = page.locator("#outbox-count")
    expect(count).to_have_text("1")
    expect(count).to_be_visible()
    # Once the page has drawn its outbox too, the message is there once: one writer per box.
    outbox.settle(page)
    expect(page.locator("main [data-outcome=queued]")).to_have_count(1)
    assert signups_named([name]) == []

    live_server.clear()
    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("h1")).to_have_text(event.title_nl)
    expect(page.locator("#outbox-count")).to_have_text("1")
    # After the reload the answer to the form is gone; the page's outbox line tells.
    expect(page.locator("#signup-outbox [data-outcome=queued]")).to_contain_text(name)
    expect(page.locator("#signup-result")).to_be_empty()
    [kept] = outbox.records(page)
    assert kept["state"] == "waiting"
    assert kept["type"] == "event.signup"
    assert kept["data"]["name"] == name and kept["data"]["party_size"] == 1
    assert int(kept["data"]["event"]) == event.id
    # (The browser may check the worker script for an update after a navigation: no page.)
    assert [seen for seen in live_server.requests if seen != "/sw.js"] == []

    context.set_offline(False)
    [done] = outbox.wait_for_records(page, all_done(1))
    assert done["id"] == kept["id"]
    assert done["result"]["status"] == "applied"
    expect(page.locator("#signup-outbox [data-outcome=confirmed]")).to_be_visible()
    expect(page.locator("#signup-outbox")).to_contain_text(done["result"]["ref"])
    expect(page.locator("#outbox-count")).to_be_hidden()

    [signup] = signups_named([name])
    assert signup.event_id == event.id and signup.status == "confirmed"
    assert signup.code == done["result"]["ref"]
    [record] = sync_records([kept["id"]])
    assert record.type == "event.signup" and record.status == "applied"


# --- 2. two tabs flush at once ----------------------------------------------------------------

def test_two_tabs_flushing_at_once_send_each_action_once(context, page, sw, live_server,
                                                         outbox, new_event):
    event = new_event(unique("Picknick"))
    path = f"/events/{event.id}"
    open_offline_ready(page, sw, outbox, path)
    other = context.new_page()
    other.goto(path)
    sw.wait_for_control(other)

    context.set_offline(True)
    names = [unique("Tab Anna"), unique("Tab Bob")]
    for tab, name in zip([page, other], names):
        sign_up_offline(tab, name)
        expect(tab.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    for tab in (page, other):
        expect(tab.locator("#outbox-count")).to_have_text("2")
    ids = [r["id"] for r in outbox.records(page)]
    assert len(set(ids)) == 2

    # Each /sync answer comes late, so that every trigger lands while a flush is under way.
    live_server.slow_down("/sync", 0.4)
    context.set_offline(False)
    script = "() => navigator.serviceWorker.controller.postMessage({type: 'flush'})"
    page.evaluate(script)
    other.evaluate(script)
    page.evaluate(script)
    for tab in (page, other):
        outbox.wait_for_records(tab, all_done(2))
        expect(tab.locator("#signup-outbox [data-outcome=confirmed]")).to_have_count(2)

    signups = signups_named(names)
    assert sorted(s.name for s in signups) == sorted(names)
    stored = sync_records(ids)
    assert sorted(r.action_id for r in stored) == sorted(ids)
    assert {r.status for r in stored} == {"applied"}


# --- 3. a full event: the waiting list --------------------------------------------------------

def test_offline_signup_for_a_full_event_ends_on_the_waiting_list(context, page, sw, outbox,
                                                                  new_event):
    event = new_event(unique("Kookles"), capacity=1)
    add_signups(event, [unique("Eerste")])
    name = unique("Laatkomer")
    open_offline_ready(page, sw, outbox, f"/events/{event.id}")

    context.set_offline(True)
    sign_up_offline(page, name)
    expect(page.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    context.set_offline(False)

    waitlisted = page.locator('#signup-outbox [data-outcome="waitlisted"]')
    expect(waitlisted).to_be_visible(timeout=20_000)
    expect(waitlisted).to_contain_text("wachtlijst")
    [signup] = signups_named([name])
    assert signup.status == "waitlisted"
    [record] = outbox.records(page)
    assert record["result"]["outcome"] == "waitlisted"
    assert record["result"]["ref"] == signup.code


def test_a_phone_hears_when_its_signups_move_up_by_their_action_ids(context, page, sw, outbox,
                                                                   new_event):
    from peerm.events import services

    event = new_event(unique("Taalcafe"), capacity=1)
    [first] = add_signups(event, [unique("Eerste")])
    open_offline_ready(page, sw, outbox, f"/events/{event.id}")
    # One sign-up online (the answer comes through htmx), one offline (through the outbox).
    with page.expect_response(lambda r: r.url.endswith(f"/events/{event.id}/signup")):
        sign_up_offline(page, unique("Online Wachter"))
    waitlisted = page.locator("#signup-result [data-outcome=waitlisted][data-action]")
    expect(waitlisted).to_have_count(1)
    answered = waitlisted.get_attribute("data-action")
    context.set_offline(True)
    sign_up_offline(page, unique("Offline Wachter"))
    expect(page.locator("#signup-result [data-outcome=queued]").first).to_be_visible()
    context.set_offline(False)
    [sent] = outbox.wait_for_records(page, all_done(1))
    # What the outbox sent is shown in the page's outbox box (htmx's box holds the "saved").
    expect(page.locator("#signup-outbox [data-outcome=waitlisted]")).to_have_count(1)
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('peerm-signups') || '[]')")
    assert sorted(kept) == sorted([answered, sent["id"]])
    assert page.evaluate("() => localStorage.getItem('peerm-codes')") is None

    # A place comes free for one of them; the next page this phone opens says so.
    with database():
        services.cancel(first.code)
    page.goto("/events")
    notice = page.locator("#promotion-notice")
    expect(notice).to_be_visible()
    expect(notice.locator(f"a[href='/events/{event.id}']")).to_have_count(1)


# --- 4. the door list ------------------------------------------------------------------------

def test_door_list_checks_in_ten_people_offline(context, page, sw, live_server, outbox,
                                                new_event):
    # A door list is open from a day before the event (see Event.door_open).
    from peerm.core import clock
    from peerm.events.models import Signup
    from peerm.outbox.models import SyncRecord

    event = new_event(unique("Buurtfeest"), capacity=50, start=clock.now() + dt.timedelta(hours=2))
    people = add_signups(event, [f"Gast {n:02d} {uuid.uuid4().hex[:4]}" for n in range(10)])
    path = f"/events/{event.id}/door"
    outbox.log_in(page, "fatima@peerm.example", path)
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", path])
    arrived = page.locator("form[data-offline='event.attend'] input[name=code]")
    expect(arrived).to_have_count(10)

    context.set_offline(True)
    for signup in people:
        page.locator(f"#attend-{signup.id} button[type=submit]").click()
        expect(page.locator(f"#attend-{signup.id} [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("10")
    kept = outbox.records(page)
    assert len(kept) == 10 and {r["type"] for r in kept} == {"event.attend"}
    assert sorted(r["data"]["code"] for r in kept) == sorted(s.code for s in people)
    ids = [r["id"] for r in kept]
    assert len(set(ids)) == 10
    with database():
        assert Signup.select().where((Signup.event == event)
                                     & Signup.attended_at.is_null(False)).count() == 0

    context.set_offline(False)
    done = outbox.wait_for_records(page, all_done(10))
    assert {r["result"]["outcome"] for r in done} == {"attended"}
    expect(page.locator("#outbox-count")).to_be_hidden()

    with database():
        rows = list(Signup.select().where(Signup.event == event))
        assert len(rows) == 10  # no walk-ins made by mistake
        assert all(row.attended_at is not None for row in rows)
        stored = list(SyncRecord.select().where(SyncRecord.action_id.in_(ids)))
    assert len(stored) == 10
    assert sorted(r.action_id for r in stored) == sorted(ids)
    assert {r.type for r in stored} == {"event.attend"}
    assert sorted(r.ref for r in stored) == sorted(s.code for s in people)


# --- 5. the server killed in the middle of a flush -------------------------------------------

SERVER_SCRIPT = r"""
import os, sys, time
import waitress
from peerm.core import db
from peerm import create_app
from peerm.cli import set_up_demo

app = create_app({"DATABASE_URL": os.environ["PEERM_TEST_DB"],
                  "SECRET_KEY": "browser-tests-only", "PAGE_CACHE_SECONDS": 0})
if os.environ.get("PEERM_TEST_SEED") == "1":
    set_up_demo(app)

# Test harness only: each sign-up holds its transaction open a while after its effect, so that
# a flush of many actions takes seconds and can be killed in the middle.
delay = float(os.environ.get("PEERM_TEST_SIGNUP_DELAY") or 0)
if delay:
    from peerm.outbox import protocol as sync
    handler = sync.HANDLERS["event.signup"]
    original = handler.apply

    def slow(data, at, person, action_id=None):
        result = original(data, at, person, action_id=action_id)
        log.write("APPLYING " + str(action_id) + "\n")
        time.sleep(delay)
        return result

    import dataclasses
    sync.HANDLERS["event.signup"] = dataclasses.replace(handler, apply=slow)

# Test harness only: answers to paths ending so are held back after the work is done (and
# committed), so that the server can be killed before the phone hears the answer.
hold = os.environ.get("PEERM_TEST_HOLD_SUFFIX") or ""
log = open(os.environ["PEERM_TEST_LOG"], "a", buffering=1)
inner = app.wsgi_app

def logged(environ, start_response):
    path = environ.get("PATH_INFO", "")
    log.write(environ.get("REQUEST_METHOD", "") + " " + path + "\n")
    if hold and path.endswith(hold):
        body = b"".join(inner(environ, start_response))
        log.write("HELD " + path + "\n")
        time.sleep(60)
        return [body]
    return inner(environ, start_response)

app.wsgi_app = logged
print("peerm-server", os.getpid(), flush=True)
waitress.serve(app, host="127.0.0.1", port=int(os.environ["PEERM_TEST_PORT"]), threads=4,
               _quiet=True)
"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """Peer'M in a process of its own (waitress), on its own SQLite file, which a test can kill
    with SIGKILL and start again on the same port and database."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{folder / 'peerm.sqlite3'}"
        self.log_path = folder / "requests.log"
        self.proc = None
        self.starts = 0

    def start(self, signup_delay=0.0, hold_suffix="", timeout=90):
        env = {**os.environ, "PEERM_TEST_DB": self.database_url, "PEERM_TEST_PORT": str(self.port),
               "PEERM_TEST_LOG": str(self.log_path),
               "PEERM_TEST_SEED": "1" if self.starts == 0 else "0",
               "PEERM_TEST_SIGNUP_DELAY": str(signup_delay), "PEERM_TEST_HOLD_SUFFIX": hold_suffix}
        env.pop("DATABASE_URL", None)
        deadline = time.monotonic() + timeout
        while True:
            with open(self.folder / f"server-{self.starts}.out", "w") as output:
                self.proc = subprocess.Popen([sys.executable, "-c", SERVER_SCRIPT], cwd=ROOT,
                                             env=env, stdout=output, stderr=subprocess.STDOUT)
            self.starts += 1
            if self._wait_until_up(deadline):
                return self
            # The port may still be held by the killed process for a moment: try again.
            if self.proc.poll() is None:
                self.kill()
            if time.monotonic() > deadline:
                raise AssertionError("the server process did not start: "
                                     + (self.folder / f"server-{self.starts - 1}.out").read_text())

    def _wait_until_up(self, deadline):
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "/offline", timeout=5) as answer:
                    if answer.status == 200:
                        return True
            except OSError:
                time.sleep(0.2)
        return False

    @property
    def pid(self):
        return self.proc.pid

    def kill(self):
        """SIGKILL, as a crash or an out-of-memory kill would: no clean-up of any kind."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def requests(self):
        return self.log_path.read_text().splitlines() if self.log_path.exists() else []

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server_process(tmp_path):
    """Peer'M in its own process; the database proxy of the test process is bound to its file
    for the test (and bound back afterwards)."""
    from peerm.core import db

    server = ServerProcess(tmp_path)
    previous = db.db.obj
    own = None
    try:
        yield server
    finally:
        server.stop()
        if db.db.obj is not previous and previous is not None:
            own = db.db.obj
            db.db.initialize(previous)
        if own is not None and hasattr(own, "close_all"):
            own.close_all()


def bind_to(server):
    from peerm.core import db
    from peerm.core.db import open_database

    db.db.initialize(open_database(server.database_url))


QUEUE_ACTIONS = """
async (actions) => {
  for (const action of actions) {
    await PeermStore.add({...action, person: "", transient: false, state: "waiting",
                          result: null, queuedAt: Date.now(), shownAt: null});
  }
  return (await PeermStore.all()).length;
}
"""


def test_kill_9_during_a_flush_applies_every_action_exactly_once(server_process, make_context,
                                                                 sw, outbox):
    from peerm.events.models import Signup
    from peerm.outbox.models import SyncRecord

    server_process.start(signup_delay=0.4)
    bind_to(server_process)
    event = make_event(unique("Stroomstoring"), capacity=100)
    names = [f"Kill {n:02d} {uuid.uuid4().hex[:4]}" for n in range(20)]
    at = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    actions = [{"id": str(uuid.uuid4()), "type": "event.signup", "at": at,
                "data": {"event": event.id, "name": name, "party_size": 1, "contact": ""}}
               for name in names]
    ids = [a["id"] for a in actions]

    context = make_context(base_url=server_process.url)
    page = context.new_page()
    page.goto(f"/events/{event.id}")
    sw.wait_for_control(page)
    assert page.evaluate(QUEUE_ACTIONS, actions) == 20
    first_pid = server_process.pid
    outbox.flush(page)

    # Kill the server as soon as the flush is applying its first action (whether its work is
    # committed per action or per batch, the kill lands in the middle of the flush).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
            line.startswith("APPLYING") for line in server_process.requests()):
        time.sleep(0.02)
    assert "POST /sync" in server_process.requests(), "the flush never reached the server"
    server_process.kill()

    with database():
        applied_before = SyncRecord.select().where(SyncRecord.action_id.in_(ids)).count()
        made_before = Signup.select().where(Signup.name.in_(names)).count()
    assert applied_before < 20, "the kill came too late to land in the middle of the flush"
    # Each action's effect and its record were written together, or not at all.
    assert made_before == applied_before
    # The phone got no answer: everything still waits.
    assert {r["state"] for r in outbox.records(page)} == {"waiting"}

    server_process.start()
    assert server_process.pid != first_pid
    outbox.flush(page)
    done = outbox.wait_for_records(page, all_done(20), timeout=60_000)
    statuses = [r["result"]["status"] for r in sorted(done, key=lambda r: r["seq"])]
    assert statuses.count("duplicate") == applied_before
    assert statuses.count("applied") == 20 - applied_before
    assert all(r["result"]["outcome"] == "confirmed" for r in done)

    with database():
        rows = list(Signup.select().where(Signup.name.in_(names)))
        stored = list(SyncRecord.select().where(SyncRecord.action_id.in_(ids)))
    assert sorted(r.name for r in rows) == sorted(names)
    assert sorted(r.action_id for r in stored) == sorted(ids)
    assert {r.ref for r in stored} == {r.code for r in rows}

    page.goto("/outbox")
    # Nothing waits or was refused; results already shown on the event page have left the phone.
    expect(page.locator("#outbox li[data-state=waiting]")).to_have_count(0)
    expect(page.locator("#outbox li[data-state=refused]")).to_have_count(0)
    expect(page.locator("#outbox-count")).to_be_hidden()


# --- 6. logging out with something unsent -----------------------------------------------------

def test_logging_out_with_an_unsent_action_asks_first(context, page, sw, live_server,
                                                      outbox, new_event):
    from peerm.accounts.models import Person

    event = new_event(unique("Taalcafe"))
    name = unique("Kees offline")
    outbox.log_in(page, "kees@peerm.example", "/account")
    sw.wait_for_control(page)
    open_offline_ready(page, sw, outbox, f"/events/{event.id}")

    context.set_offline(True)
    sign_up_offline(page, name)
    expect(page.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    response = page.goto("/account")
    assert response.from_service_worker
    expect(page.locator("#outbox-count")).to_have_text("1")

    asked = []

    def dismiss(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", dismiss)
    logout = page.locator("form[data-logout]")
    expected = logout.get_attribute("data-logout").replace("%d", "1")
    logout.locator("button[type=submit]").click()
    deadline = time.monotonic() + 10
    while not asked and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert asked == [("confirm", expected)]
    assert expected.startswith("Er staan nog 1 dingen op deze telefoon die niet verstuurd zijn")
    assert urlsplit(page.url).path == "/account"
    expect(page.locator("form[data-logout]")).to_be_visible()
    [kept] = outbox.records(page)
    assert kept["state"] == "waiting" and kept["data"]["name"] == name

    # Still logged in: back online, the action goes out under Kees's session.
    context.set_offline(False)
    outbox.wait_for_records(page, all_done(1))
    [signup] = signups_named([name])
    with database():
        assert signup.person_id == Person.get(Person.email == "kees@peerm.example").id
    page.goto("/account")
    assert urlsplit(page.url).path == "/account"

    # Nothing waits any more: logging out asks nothing. (Once the worker's background work is
    # over: see the next test for a logout in the middle of it.)
    outbox.settle(page)
    page.locator("form[data-logout] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^[^?#]*://[^/]+/$"))
    assert len(asked) == 1
    page.goto("/account")
    assert urlsplit(page.url).path == "/login"


def test_logging_out_while_the_worker_keeps_pages_stays_logged_out(context, page, sw,
                                                                    live_server, outbox):
    outbox.log_in(page, "kees@peerm.example", "/account")
    sw.wait_for_control(page)

    # The worker's next round of keeping is slow: its requests are under way at the logout.
    live_server.slow_down("/initiatives/", 2.5)
    live_server.clear()
    page.evaluate("() => navigator.serviceWorker.controller.postMessage("
                  "{type: 'keep', refresh: true})")
    deadline = time.monotonic() + 15
    while not [path for path in live_server.requests if path.startswith("/initiatives/")]:
        assert time.monotonic() < deadline, live_server.requests
        page.wait_for_timeout(50)
    [under_way] = [path for path in live_server.requests if path.startswith("/initiatives/")]
    page.locator("form[data-logout] button[type=submit]").click()
    deadline = time.monotonic() + 15
    while not [status for path, status in live_server.answers if path == "/logout"]:
        assert time.monotonic() < deadline, "the logout never reached the server"
        page.wait_for_timeout(50)
    [logout] = [status for path, status in live_server.answers if path == "/logout"]
    live_server.log.delays.clear()
    # The request that was under way at the logout is answered; then the worker's work ends
    # (the new page's round of keeping comes after the slow one).
    outbox.settle(page)
    assert under_way in [path for path, _status in live_server.answers]

    assert logout == 303, "the logout was refused: its form token was no longer the session's"
    page.goto("/account")
    assert urlsplit(page.url).path == "/login", "still logged in after logging out"


# --- an answer lost on the way back ---------------------------------------------------------

def test_a_signup_whose_answer_was_lost_is_a_duplicate_when_sent_again(server_process,
                                                                        make_context, sw,
                                                                        outbox):
    server_process.start(hold_suffix="/signup")
    bind_to(server_process)
    event = make_event(unique("Repaircafe"))
    name = unique("Verloren Vera")
    path = f"/events/{event.id}"
    context = make_context(base_url=server_process.url)
    page = context.new_page()
    open_offline_ready(page, sw, outbox, path)

    # The sign-up is applied and committed; the server dies before its answer leaves.
    sign_up_offline(page, name)
    deadline = time.monotonic() + 30
    while f"HELD {path}/signup" not in server_process.requests():
        assert time.monotonic() < deadline, server_process.requests()[-5:]
        time.sleep(0.05)
    assert len(signups_named([name])) == 1
    server_process.kill()
    # The worker heard nothing back: it kept the action, as if made offline.
    expect(page.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    [kept] = outbox.records(page)
    assert kept["state"] == "waiting"
    [record] = sync_records([kept["id"]])
    assert record.status == "applied"

    server_process.start()
    outbox.flush(page)
    [sent] = outbox.wait_for_records(page,
                                     "(all) => all.length === 1 && all[0].state !== 'waiting'")
    assert len(signups_named([name])) == 1
    assert len(sync_records([kept["id"]])) == 1
    assert (sent["state"], sent["result"]["status"]) == ("done", "duplicate"), sent["result"]
    expect(page.locator("#signup-outbox [data-outcome=confirmed]")).to_be_visible()



# --- what the event page shows, and for how long -----------------------------------------------

def test_an_online_signup_keeps_its_code_on_the_screen(context, page, sw, live_server,
                                                       outbox, new_event):
    event = new_event(unique("Inloopochtend"))
    name = unique("Online Otto")
    open_offline_ready(page, sw, outbox, f"/events/{event.id}")
    with page.expect_response(lambda r: r.url.endswith(f"/events/{event.id}/signup")):
        sign_up_offline(page, name)
    [signup] = signups_named([name])
    outbox.settle(page)
    answer = page.locator("#signup-result [data-outcome=confirmed]")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(signup.code)
    # Sent online, it never waited on the phone: the page's outbox line has nothing to say.
    expect(page.locator("#signup-outbox")).to_be_empty()


def test_a_shown_signup_result_is_forgotten_by_the_phone(context, page, sw, live_server,
                                                        outbox, new_event):
    event = new_event(unique("Spreekuur"))
    name = unique("Gedeelde Gerda")
    path = f"/events/{event.id}"
    open_offline_ready(page, sw, outbox, path)
    context.set_offline(True)
    form = page.locator(SIGNUP_FORM)
    form.locator("input[name=contact]").fill("06-12345678")
    sign_up_offline(page, name)
    expect(page.locator("#signup-result [data-outcome=queued]")).to_be_visible()
    context.set_offline(False)
    [done] = outbox.wait_for_records(page, all_done(1))
    shown = page.locator("#signup-outbox [data-outcome=confirmed]")
    expect(shown).to_contain_text(done["result"]["ref"])
    outbox.wait_for_records(page, "(all) => all.length === 0 || all[0].shownAt")

    # The next person opens the event page on this phone.
    page.reload()
    outbox.settle(page)
    expect(page.locator("main")).not_to_contain_text(done["result"]["ref"])
    kept = json.dumps(outbox.records(page))
    assert "06-12345678" not in kept and name not in kept


def test_logging_out_forgets_personal_pages_at_once(context, page, sw, live_server, outbox):
    outbox.log_in(page, "kees@peerm.example", "/account")
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/account"])
    expect(page.locator("main")).to_contain_text("kees@peerm.example")
    outbox.settle(page)

    # A slow connection: the round of keeping after the logout takes a while.
    live_server.slow_down("/initiatives/", 0.5)
    page.locator("form[data-logout] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^[^?#]*://[^/]+/$"))
    context.set_offline(True)
    live_server.log.delays.clear()

    response = page.goto("/account")
    assert response.from_service_worker
    expect(page.locator("main")).not_to_contain_text("kees@peerm.example")


# --- batches are sized in bytes, and one action too large never holds up the rest -------------

def test_actions_too_large_in_bytes_go_alone_and_the_rest_is_sent(context, page, sw,
                                                                  live_server, outbox,
                                                                  new_event):
    from peerm.outbox.protocol import MAX_ACTION_BYTES, MAX_BATCH_BYTES

    event = new_event(unique("Ruilmarkt"))
    open_offline_ready(page, sw, outbox, f"/events/{event.id}")
    at = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()

    def signup(name, note=""):
        data = {"event": event.id, "name": name, "party_size": 1}
        return {"id": str(uuid.uuid4()), "type": "event.signup", "at": at,
                "data": {**data, "note": note} if note else data}

    # "€" is one character and three bytes: counted in characters, all three fit in one batch
    # of about 600 K characters, which is 1.8 MB; in bytes each is larger than one action may be.
    wide = [signup(unique("Breed"), "€" * (MAX_ACTION_BYTES // 3 + 1000)) for _ in range(3)]
    assert all(len(json.dumps(a, ensure_ascii=False)) < MAX_BATCH_BYTES // 3 for a in wide)
    names = [unique("Gewoon"), unique("Ook")]
    queued = [wide[0], signup(names[0]), *wide[1:], signup(names[1])]
    assert page.evaluate(QUEUE_ACTIONS, queued) == 5
    live_server.clear()
    outbox.flush(page)
    done = outbox.wait_for_records(page, "(all) => all.every((r) => r.state !== 'waiting')")
    outcomes = {r["id"]: (r["state"], r["result"]["outcome"]) for r in done}
    assert [outcomes[a["id"]] for a in queued] == [
        ("refused", "too_large"), ("done", "confirmed"), ("refused", "too_large"),
        ("refused", "too_large"), ("done", "confirmed")]
    assert sorted(s.name for s in signups_named(names)) == sorted(names)
    # Each large one went alone, and the server never had to refuse a batch.
    assert [status for path, status in live_server.answers if path == "/sync"] == [200] * 5
    outbox.settle(page)
    page.goto("/outbox")
    expect(page.locator("#outbox li[data-outcome=too_large]")).to_have_count(3)
