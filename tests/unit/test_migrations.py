"""Migrations: a database made by the first release (commit 2860b78, its demo data and a little
of everything people do: `tests/fixtures/release1/`) is brought to the current schema with
every row intact, on SQLite and on PostgreSQL; it ends with the same tables and columns as a
new database; its Dutch wall-clock times become UTC; and running the migrations again changes
nothing."""
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from peerm import create_app
from peerm.core import clock
from peerm.core import db as database
from peerm.core.migrations import SchemaVersion, migrate, pending

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "release1"
# Tables of the first release that were never used, and go.
DROPPED = {"plannedshift", "shiftsignup"}
# Columns that go with them.
DROPPED_COLUMNS = {("shift", "planned_id"), ("tool", "photo"), ("hold", "seen"),
                   ("signup", "promotion_seen")}
# Columns that held Dutch wall-clock time and hold UTC after the migration.
TO_UTC = {("event", "starts_at"), ("event", "ends_at"), ("signup", "created_at"),
          ("signup", "attended_at"), ("signup", "cancelled_at"), ("shift", "checkin_at"),
          ("shift", "checkout_at"), ("loan", "lent_at"), ("syncrecord", "at")}


@pytest.fixture(params=["sqlite", "postgresql"])
def release1(request, tmp_path):
    """The URL of a database as the first release left it."""
    if request.param == "sqlite":
        path = tmp_path / "release1.sqlite3"
        connection = sqlite3.connect(path)
        connection.executescript((FIXTURES / "release1.sqlite.sql").read_text())
        connection.close()
        yield f"sqlite:///{path}"
        return
    databases = request.getfixturevalue("postgresql_databases")
    name = databases.create()
    import psycopg2

    connection = psycopg2.connect(databases.url(name))
    connection.autocommit = True
    with connection.cursor() as cursor:
        # pg_dump writes psql's own commands (`\restrict`) that only psql understands.
        dump = (FIXTURES / "release1.postgresql.sql").read_text().splitlines()
        cursor.execute("\n".join(line for line in dump if not line.startswith("\\")))
    connection.close()
    yield databases.url(name)
    if hasattr(database.db.obj, "close_all"):
        database.db.obj.close_all()
    databases.drop(name)


def snapshot():
    """Every table's columns and rows, as plain values."""
    tables = {}
    for table in database.db.get_tables():
        cursor = database.db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1')
        names = [column[0] for column in cursor.description]
        tables[table] = {"columns": names,
                         "rows": [dict(zip(names, row)) for row in cursor.fetchall()]}
    return tables


def moment(value):
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def applied_names(applied):
    return [(name, m.number) for name, m in applied]


def test_release1_database_migrates_with_every_row_intact(release1, sqlite_url):
    app = create_app({"TESTING": True, "DATABASE_URL": release1})
    parts = app.extensions["peerm.parts"]
    with database.db.connection_context():
        before = snapshot()
    assert "schema_version" not in before and before["signup"]["rows"]

    applied = migrate(parts)

    assert [(name, m.number) for name, m in applied] == [
        (part.name, m.number) for part in parts for m in part.migrations]
    assert ("needs", 1) in applied_names(applied) and ("toolshed", 4) in applied_names(applied)
    with database.db.connection_context():
        after = snapshot()
        assert pending(parts) == []
        assert SchemaVersion.select().count() == len(applied)
    assert migrate(parts) == []
    for table, old in before.items():
        if table in DROPPED:
            assert table not in after
            continue
        new = after[table]
        assert len(new["rows"]) == len(old["rows"]), table
        for old_row, new_row in zip(old["rows"], new["rows"]):
            for column, value in old_row.items():
                if (table, column) in DROPPED_COLUMNS:
                    assert column not in new_row
                elif (table, column) in TO_UTC and value is not None:
                    assert moment(new_row[column]) == clock.from_local(moment(value)), \
                        (table, column)
                else:
                    assert new_row[column] == value, (table, column)
    # The same tables and columns as a database made new by this release.
    fresh_app = create_app({"TESTING": True, "DATABASE_URL": sqlite_url})
    with database.db.connection_context():
        fresh = {table: set(database.db.get_columns(table) and
                            [c.name for c in database.db.get_columns(table)])
                 for table in database.db.get_tables()}
    assert fresh_app is not None
    assert {table: set(value["columns"]) for table, value in after.items()} == fresh


def test_release1_database_serves_pages_after_migrating(release1):
    app = create_app({"TESTING": True, "DATABASE_URL": release1, "PAGE_CACHE_SECONDS": 0})
    migrate(app.extensions["peerm.parts"])
    client = app.test_client()
    for path in ("/", "/initiatives", "/events", "/toolshed", "/events/1", "/needs", "/needs/1",
                 "/initiatives/lucas-community"):
        assert client.get(path).status_code == 200, path


def test_new_database_gets_every_table_and_needs_no_migration(sqlite_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"})
    parts = app.extensions["peerm.parts"]
    assert migrate(parts) == []
    with database.db.connection_context():
        assert pending(parts) == []
        tables = set(database.db.get_tables())
    assert {model._meta.table_name for part in parts for model in part.models} <= tables


def test_release1_needs_become_open_needs_of_the_whole_network(release1):
    app = create_app({"TESTING": True, "DATABASE_URL": release1, "PAGE_CACHE_SECONDS": 0})
    with database.db.connection_context():
        before = database.db.execute_sql(
            'SELECT "id", "initiative_id", "kind", "text_nl", "text_en" FROM "need" ORDER BY 1'
        ).fetchall()
    migrate(app.extensions["peerm.parts"])
    from peerm.needs.models import Need, Pledge

    with database.db.connection_context():
        needs = list(Need.select().order_by(Need.id))
        assert [(n.id, n.initiative_id, n.kind, n.text_nl, n.text_en) for n in needs] == \
            [tuple(row) for row in before]
        assert {(n.status, n.visibility, n.quantity, n.list_until) for n in needs} == {
            ("open", "network", None, None)}
        assert Pledge.select().count() == 0
    page = app.test_client().get(f"/needs/{before[0][0]}").get_data(as_text=True)
    assert before[0][3].replace("'", "&#39;") in page


def test_release1_database_has_every_column_of_the_models_after_migrating(release1):
    """A field added to a model without its migration fails here: the upgraded database must
    hold exactly the columns a new database gets."""
    app = create_app({"TESTING": True, "DATABASE_URL": release1})
    parts = app.extensions["peerm.parts"]
    migrate(parts)
    with database.db.connection_context():
        differing = {}
        for part in parts:
            for model in part.models:
                table = model._meta.table_name
                have = {c.name for c in database.db.get_columns(table)}
                want = {f.column_name for f in model._meta.sorted_fields}
                if have != want:
                    differing[table] = (sorted(want - have), sorted(have - want))
    assert differing == {}, "missing / extra columns after migrating: %r" % differing
