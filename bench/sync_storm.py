"""The sync storm of an event day: 300 phones come back online at once and each flushes 20
queued actions (sign-ups, shift check-ins and check-outs, loans and returns at a counter),
then all of them flush again (every action a duplicate).

    .venv/bin/python bench/sync_storm.py [--phones 300] [--actions 20] [--postgresql URL]

Run once against one waitress process on SQLite and, when PostgreSQL answers, once against two
waitress processes sharing a PostgreSQL database. Reports actions per second, the time to
drain, the 5xx answers (goal: 0) and checks in the database that every action was applied
exactly once; then writes the same rows with peewee alone, for the ratio. Writes
bench/results/sync_storm.json. Goal: the first flush of 6,000 actions drains in at most 30 s
on SQLite. Loopback only; every phone sends one request per flush, so the load is bounded.
"""
import argparse
import concurrent.futures
import contextlib
import datetime as dt
import http.client
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import PEERM, free_port, prepare_database, server  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_DRAIN_S = 30.0
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
ENV = {"PEERM_ARGON2_PROFILE": "CHEAPEST", "PEERM_PAGE_CACHE_SECONDS": "0"}


def build_world(database_url, phones):
    """A volunteer, a tool and the places each phone needs, written straight into the database."""
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = database_url
    from peerm import create_app
    from peerm.accounts.models import Membership, Person
    from peerm.accounts.services import hash_password
    from peerm.core import db as database
    from peerm.events.models import Event
    from peerm.initiatives.models import Initiative
    from peerm.toolshed.models import Category, Tool
    from peerm.volunteering.models import WorkingGroup

    app = create_app({"DATABASE_URL": database_url, "ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context(), database.db.connection_context(), database.db.atomic():
        lucas = Initiative.get(slug="lucas-community")
        group = WorkingGroup.select().where(WorkingGroup.initiative == lucas).first()
        category = Category.select().where(Category.initiative == lucas).first()
        events = list(Event.upcoming())
        for event in events:
            event.capacity = None  # an event day: everyone gets in
            event.save()
        pw = hash_password("storm-password")
        world = {"group": group.id, "events": [e.id for e in events], "phones": []}
        for n in range(phones):
            person = Person.create(display_name=f"Vrijwilliger {n}",
                                   email=f"storm{n}@peerm.example", password_hash=pw)
            Membership.create(person=person, initiative=lucas, role="volunteer")
            borrower = Person.create(display_name=f"Lener {n}", email=f"lener{n}@peerm.example")
            Membership.create(person=borrower, initiative=lucas, role="member")
            tools = [Tool.create(initiative=lucas, category=category, code=f"S{n:03d}{k}",
                                 name=f"Storm {n}/{k}") for k in range(2)]
            world["phones"].append({"email": person.email, "borrower": borrower.id,
                                    "tools": [t.id for t in tools]})
    return world


def phone_actions(world, phone, count):
    """A phone's queue: sign-ups, two shifts (check-in, check-out), two loans and returns."""
    now = dt.datetime.now(dt.timezone.utc)
    at = lambda minutes: (now - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
    actions = []
    for k, tool in enumerate(phone["tools"]):
        actions.append({"id": str(uuid.uuid4()), "type": "tool.lend", "at": at(200 - k),
                        "data": {"tool": tool, "borrower": phone["borrower"], "rules": "1"}})
        actions.append({"id": str(uuid.uuid4()), "type": "tool.return", "at": at(150 - k),
                        "data": {"tool": tool, "condition": "good"}})
    for k in range(2):
        checkin = str(uuid.uuid4())
        actions.append({"id": checkin, "type": "shift.checkin", "at": at(120 - 50 * k),
                        "data": {"group": world["group"]}})
        actions.append({"id": str(uuid.uuid4()), "type": "shift.checkout", "at": at(90 - 50 * k),
                        "data": {"checkin": checkin}})
    n = 0
    while len(actions) < count:
        event = world["events"][n % len(world["events"])]
        actions.append({"id": str(uuid.uuid4()), "type": "event.signup", "at": at(30),
                        "data": {"event": event, "name": f"Gast {n}", "party_size": 1}})
        n += 1
    return actions[:count]


def log_in(port, email):
    """Log a phone in as a browser does (a visitor has no cookie and no form token yet)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = f"email={email}&password=storm-password"
    connection.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                "Sec-Fetch-Site": "same-origin"})
    response = connection.getresponse()
    response.read()
    cookie = next(c.split(";")[0] for c in response.msg.get_all("Set-Cookie")
                  if c.startswith("peerm="))
    connection.close()
    return cookie


def flush(port, cookie, actions):
    """One phone's flush: POST /sync, like the worker. Returns (status, results, seconds)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/sync", json.dumps({"actions": actions}),
                       {"Content-Type": "application/json", "Cookie": cookie,
                        "Origin": f"http://127.0.0.1:{port}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    results = json.loads(body)["results"] if response.status == 200 else []
    return response.status, results, time.monotonic() - started


def storm(ports, phones_cookies, queues):
    """Every phone flushes at once; returns the figures of this flush."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(queues)) as pool:
        futures = [pool.submit(flush, ports[n % len(ports)], phones_cookies[n], queue)
                   for n, queue in enumerate(queues)]
        answers = [f.result() for f in futures]
    seconds = time.monotonic() - started
    statuses = {}
    for status, results, _s in answers:
        for result in results:
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    actions = sum(len(q) for q in queues)
    return {"seconds": round(seconds, 2), "actions": actions,
            "actions_per_second": round(actions / seconds, 1),
            "http_5xx": sum(1 for status, _r, _s in answers if status >= 500),
            "http_other_errors": sum(1 for status, _r, _s in answers if 400 <= status < 500),
            "statuses": statuses,
            "slowest_phone_s": round(max(s for _st, _r, s in answers), 2)}


def check_database(database_url, queues):
    """Every action id applied exactly once, and the rows it made."""
    from peerm import create_app
    from peerm.core import db as database
    from peerm.events.models import Signup
    from peerm.outbox.models import SyncRecord
    from peerm.toolshed.models import Loan
    from peerm.volunteering.models import Shift

    app = create_app({"DATABASE_URL": database_url})
    ids = [a["id"] for q in queues for a in q]
    with app.app_context(), database.db.connection_context():
        records = SyncRecord.select(SyncRecord.action_id).tuples()
        seen = [r[0] for r in records]
        wanted = {t: sum(1 for q in queues for a in q if a["type"] == t)
                  for t in ("event.signup", "shift.checkin", "tool.lend")}
        return {
            "records": len(seen), "distinct": len(set(seen)),
            "every_action_once": sorted(seen) == sorted(ids) and len(seen) == len(set(seen)),
            "signups": Signup.select().where(Signup.name.startswith("Gast")).count(),
            "signups_expected": wanted["event.signup"],
            "shifts": Shift.select().count(), "shifts_expected": wanted["shift.checkin"],
            "loans": Loan.select().count(), "loans_expected": wanted["tool.lend"],
            "open_loans": Loan.select().where(Loan.returned_at.is_null()).count(),
        }


def peewee_alone(database_url, count):
    """The same kinds of rows written with peewee alone, one transaction per action."""
    from peerm import create_app
    from peerm.accounts.models import Person
    from peerm.core import db as database
    from peerm.events.models import Event, Signup
    from peerm.outbox.models import SyncRecord

    app = create_app({"DATABASE_URL": database_url})
    with app.app_context(), database.db.connection_context():
        event = Event.select().first()
        person = Person.select().first()
        started = time.monotonic()
        for n in range(count):
            with database.write_transaction():
                signup = Signup.create(event=event, code=f"P{n:05d}"[:6], name="Peewee",
                                       party_size=1, status="confirmed",
                                       created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
                SyncRecord.create(action_id=str(uuid.uuid4()), type="event.signup",
                                  body_hash="x" * 64, status="applied", outcome="confirmed",
                                  ref=signup.code, person=person, at=dt.datetime.now())
        seconds = time.monotonic() - started
    return {"rows_per_action": 2, "actions": count, "seconds": round(seconds, 2),
            "actions_per_second": round(count / seconds, 1)}


@contextlib.contextmanager
def postgresql_database(admin_url):
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2

    name = f"peerm_storm_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(admin_url, connect_timeout=5)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(label, database_url, processes, phones, count):
    prepare_database(database_url)
    world = build_world(database_url, phones)
    ports = [free_port() for _ in range(processes)]
    env = {**ENV, "DATABASE_URL": database_url}
    with contextlib.ExitStack() as stack:
        for port in ports:
            stack.enter_context(server(PEERM, env, port=port))
        cookies = [log_in(ports[n % len(ports)], p["email"]) for n, p in enumerate(world["phones"])]
        queues = [phone_actions(world, p, count) for p in world["phones"]]
        first = storm(ports, cookies, queues)
        again = storm(ports, cookies, queues)
    database = check_database(database_url, queues)
    alone = peewee_alone(database_url, 2000)
    result = {"label": label, "processes": processes, "phones": phones,
              "actions_per_phone": count, "first_flush": first, "second_flush": again,
              "database": database, "peewee_alone": alone,
              "ratio_to_peewee": round(first["actions_per_second"] / alone["actions_per_second"], 3)}
    ok = (first["http_5xx"] == 0 and again["http_5xx"] == 0 and database["every_action_once"]
          and database["signups"] == database["signups_expected"]
          and database["shifts"] == database["shifts_expected"]
          and database["loans"] == database["loans_expected"])
    if label.startswith("SQLite"):
        ok = ok and first["seconds"] <= GOAL_DRAIN_S
    result["meets_goal"] = ok
    print(f"\n{label}: {phones} phones × {count} actions, {processes} waitress process(es)")
    for name, flush_ in (("first flush", first), ("again (duplicates)", again)):
        print(f"  {name:20} {flush_['seconds']:7.2f} s  {flush_['actions_per_second']:8.1f} actions/s"
              f"  5xx: {flush_['http_5xx']}  statuses: {flush_['statuses']}")
    print(f"  database: {database['records']} records, each action once: "
          f"{database['every_action_once']}; sign-ups {database['signups']}/"
          f"{database['signups_expected']}, shifts {database['shifts']}/"
          f"{database['shifts_expected']}, loans {database['loans']}/{database['loans_expected']}")
    print(f"  peewee alone: {alone['actions_per_second']} actions/s; "
          f"ratio {result['ratio_to_peewee']}; goal: {'PASS' if ok else 'FAIL'}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--postgresql", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        runs.append(run("SQLite, 1 process", f"sqlite:///{folder}/storm.sqlite3", 1,
                        args.phones, args.actions))
    try:
        with postgresql_database(args.postgresql) as url:
            runs.append(run("PostgreSQL, 2 processes", url, 2, args.phones, args.actions))
    except Exception as error:  # no server: say so, the SQLite figures stand
        print(f"\nPostgreSQL run skipped: {error}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sync_storm.json").write_text(json.dumps({"runs": runs,
                                                         "cores": os.cpu_count()}, indent=2))
    sys.exit(0 if all(r["meets_goal"] for r in runs) else 1)


if __name__ == "__main__":
    main()
