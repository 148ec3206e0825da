"""The database: one peewee `DatabaseProxy`, bound at start-up from `DATABASE_URL`, and the
transactions every write runs in.

SQLite (the default) runs in WAL mode with a busy timeout and foreign keys on; PostgreSQL
URLs give a pooled connection for installs with several app processes. A connection is
opened for each request and closed after it (the web layer does that).

Every write runs in `write_transaction()`, which takes its locks when it begins: on SQLite
the write lock (`BEGIN IMMEDIATE`), so that two writers queue up instead of one failing
when it tries to upgrade its read lock; on PostgreSQL the rows a check counts are locked
with `locked(query)` (`SELECT … FOR UPDATE`) before they are counted.
"""
import threading
from contextlib import contextmanager
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


def bind(url: str):
    """Bind the proxy to the database at `url` (freeing the pool of an earlier binding)."""
    if db.obj is not None and hasattr(db.obj, "close_all"):
        db.obj.close_all()
    db.initialize(open_database(url))


def is_sqlite():
    return isinstance(db.obj, SqliteDatabase)


# SQLite has one writer at a time. The threads of this process queue for it here, where a
# waiting thread sleeps until its turn, instead of in SQLite's busy handler, which polls and
# is not fair: under a burst of writers one could wait past the busy timeout.
_sqlite_writer = threading.Lock()


@contextmanager
def write_transaction():
    """A transaction for read-then-write work that takes its locks when it begins (inside
    another transaction: a savepoint of it)."""
    if not is_sqlite() or db.in_transaction():
        with db.atomic():
            yield
        return
    with _sqlite_writer, db.atomic("IMMEDIATE"):
        yield


def locked(query):
    """The query's rows locked until the transaction ends (SQLite locks the whole file)."""
    return query if is_sqlite() else query.for_update()
