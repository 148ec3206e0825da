"""The database: one peewee `DatabaseProxy`, bound at start-up from `DATABASE_URL`.

SQLite (the default) runs in WAL mode with a busy timeout and foreign keys on; PostgreSQL
URLs give a pooled connection for installs with several app processes. A connection is
opened for each request and closed after it.
"""
from pathlib import Path

from peewee import DatabaseProxy, Model, SqliteDatabase
from playhouse.db_url import connect

db = DatabaseProxy()

# How long a writer waits for SQLite's lock before giving up, in seconds.
SQLITE_BUSY_TIMEOUT = 10
# Connections one app process keeps open (more than waitress has threads).
POOL_SIZE = 32


class BaseModel(Model):
    class Meta:
        database = db


def open_database(url: str):
    """Make the peewee database for a URL, with the settings Peer'M relies on."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Pooled: the pragmas run once per connection, not once per request.
        return connect(
            url.replace("sqlite:///", "sqlite+pool:///", 1),
            max_connections=POOL_SIZE,
            stale_timeout=300,
            # A pooled connection serves one request at a time, in whichever thread.
            check_same_thread=False,
            timeout=SQLITE_BUSY_TIMEOUT,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": SQLITE_BUSY_TIMEOUT * 1000,
                "synchronous": "normal",
            },
        )
    if url.startswith(("postgres://", "postgresql://")):
        scheme, rest = url.split("://", 1)
        return connect(f"{scheme}+pool://{rest}", max_connections=POOL_SIZE, stale_timeout=300)
    return connect(url)


def is_sqlite():
    return isinstance(db.obj, SqliteDatabase)


def write_transaction():
    """A transaction for read-then-write work: on SQLite it takes the write lock at once, so
    that two writers queue up instead of failing; PostgreSQL rows are locked with `locked`."""
    return db.atomic("IMMEDIATE") if is_sqlite() else db.atomic()


def locked(query):
    """The query's rows locked until the transaction ends (SQLite locks the whole file)."""
    return query if is_sqlite() else query.for_update()


def all_models():
    """Every table of the app, in an order that creates referenced tables first."""
    from .accounts.models import Invite, LoginFailure, LoginSession, Membership, Person
    from .events.models import Event, Signup
    from .initiatives import Initiative, Need, Partner
    from .sync import SyncRecord
    from .toolshed.models import Category, Hold, LendingRules, Loan, RulesAcceptance, Tool
    from .volunteering.models import (AllowanceSetting, ExpenseClaim, KioskLink, PlannedShift,
                                      Shift, ShiftChange, ShiftSignup, WorkingGroup)
    from .volunteering.models import PinRefusal

    return [Initiative, Need, Partner, Event, Person, Membership, Invite, LoginFailure, Signup,
            SyncRecord, WorkingGroup, AllowanceSetting, PlannedShift, ShiftSignup, Shift,
            ShiftChange, ExpenseClaim, KioskLink, Category, Tool, Hold, Loan, LendingRules,
            RulesAcceptance, LoginSession, PinRefusal]


def create_tables():
    """Create any missing table; existing tables and their rows are left alone."""
    with db.connection_context():
        db.create_tables(all_models(), safe=True)


def init_app(app):
    """Bind the proxy to the configured database and open a connection per request."""
    if db.obj is not None and hasattr(db.obj, "close_all"):
        # Rebinding (a second app in one process, as in the tests): free the old pool.
        db.obj.close_all()
    db.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()
