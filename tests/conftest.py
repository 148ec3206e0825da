"""Fixtures shared by every suite: an app on a fresh copy of one built world.

The unit and HTTP suites run twice, on SQLite (a temporary file, never `:memory:`, which dies
with its connection) and on PostgreSQL. The world — the schema and the demo data — is built
once per run and database. Each SQLite test gets a copy of the world's file. PostgreSQL gets
one database for the run, whose rows are put back to the world's before each test (every
table emptied and copied in again, sequences set back: about 10 ms, against about 120 ms for
`CREATE DATABASE … TEMPLATE` and over a second for building the world). The
app is made once per database and given back its settings before each test. Each test run
makes its own PostgreSQL databases from `TEST_DATABASE_URL` and drops them at the end, so
leftovers of an earlier run never decide a result. Without a server the PostgreSQL run is
skipped with a message; under `CI=true` it is required.
"""
import io
import os
import shutil
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from peerm import create_app
from peerm.cli import set_up_demo
from peerm.core import db as database

IN_CI = os.environ.get("CI", "").lower() == "true"
# What every test's app is made with. Tests change the database behind the app's back: no
# cached pages (one test turns the cache on).
TEST_SETTINGS = {"TESTING": True, "ARGON2_PROFILE": "CHEAPEST", "PAGE_CACHE_SECONDS": 0}


def build_world(url):
    """The schema and the demo data in the database at `url`; its connections closed after."""
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": url})
    set_up_demo(app)
    _close_pool()


def _close_pool():
    if database.db.obj is not None and hasattr(database.db.obj, "close_all"):
        database.db.obj.close_all()


def with_database(url, name):
    """The URL of another database on the same server."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgresql_admin():
    """An autocommit connection to the PostgreSQL server of `TEST_DATABASE_URL` and its URL,
    or a skip when no server answers."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set: the PostgreSQL run is required under CI")
        pytest.skip("TEST_DATABASE_URL is not set: skipping the PostgreSQL run")
    import psycopg2

    try:
        admin = psycopg2.connect(admin_url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {admin_url} does not answer, but CI requires it: {error}")
        pytest.skip(f"PostgreSQL at {admin_url} does not answer: {error}")
    admin.autocommit = True
    yield admin, admin_url
    admin.close()


class PostgresqlDatabases:
    """Databases of this run on the PostgreSQL server, dropped when the run ends."""

    def __init__(self, admin, admin_url):
        self.admin = admin
        self.admin_url = admin_url
        self.prefix = f"peerm_test_{uuid.uuid4().hex[:8]}"
        self.made = []

    def create(self, template=None):
        name = f"{self.prefix}_{len(self.made)}"
        sql = f'CREATE DATABASE "{name}"'
        if template:
            # Copied block by block through the WAL: no checkpoint for each copy.
            sql += f' TEMPLATE "{template}" STRATEGY WAL_LOG'
        with self.admin.cursor() as cursor:
            cursor.execute(sql)
        self.made.append(name)
        return name

    def drop(self, name):
        with self.admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.made:
            self.made.remove(name)

    def url(self, name):
        return with_database(self.admin_url, name)

    def drop_all(self):
        for name in list(self.made):
            self.drop(name)


@pytest.fixture(scope="session")
def postgresql_databases(postgresql_admin):
    databases = PostgresqlDatabases(*postgresql_admin)
    yield databases
    _close_pool()
    databases.drop_all()


class PostgresqlWorld:
    """The world in a template database, and one database of this run that is put back to
    the world's rows before each test."""

    def __init__(self, databases):
        self.databases = databases
        self.template = databases.create()
        build_world(databases.url(self.template))
        self.name = None
        self.connection = None
        import psycopg2

        with psycopg2.connect(databases.url(self.template)) as template:
            with template.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                self.tables = [row[0] for row in cursor.fetchall()]
                self.rows = {}
                for table in self.tables:
                    buffer = io.BytesIO()
                    cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
                    self.rows[table] = buffer.getvalue()
                cursor.execute("SELECT sequencename, last_value FROM pg_sequences "
                               "WHERE schemaname = 'public'")
                self.sequences = cursor.fetchall()
        template.close()

    def fresh(self):
        """The URL of the run's database holding the world's rows and nothing else."""
        if self.name is None:
            self._copy_template()
        else:
            try:
                self._put_back()
            except Exception:
                # A test left a lock behind: start again from the template.
                self.connection.close()
                self.databases.drop(self.name)
                self._copy_template()
        return self.databases.url(self.name)

    def _copy_template(self):
        import psycopg2

        self.name = self.databases.create(template=self.template)
        self.connection = psycopg2.connect(self.databases.url(self.name))

    def _put_back(self):
        with self.connection, self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '10s'")
            # No foreign-key triggers while the rows go back in, in whatever order.
            cursor.execute("SET LOCAL session_replication_role = replica")
            # DELETE, not TRUNCATE: for a few rows it is ten times quicker (TRUNCATE makes
            # every table's files anew).
            cursor.execute("".join(f'DELETE FROM "{table}";' for table in self.tables))
            for table in self.tables:
                if self.rows[table]:
                    cursor.copy_expert(f'COPY "{table}" FROM STDIN',
                                       io.BytesIO(self.rows[table]))
            for sequence, value in self.sequences:
                if value is None:
                    cursor.execute("SELECT setval(%s, 1, false)", (sequence,))
                else:
                    cursor.execute("SELECT setval(%s, %s)", (sequence, value))


@pytest.fixture(scope="session")
def postgresql_world(postgresql_databases):
    """This run's PostgreSQL world: its template database and the database tests run on."""
    world = PostgresqlWorld(postgresql_databases)
    yield world
    if world.connection is not None:
        world.connection.close()


@pytest.fixture(scope="session")
def sqlite_world(tmp_path_factory):
    """This run's SQLite file holding the world."""
    path = tmp_path_factory.mktemp("world") / "world.sqlite3"
    build_world(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_world, tmp_path):
    """The URL of a fresh SQLite copy of the world."""
    path = tmp_path / "peerm.sqlite3"
    shutil.copyfile(sqlite_world, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgresql_url(postgresql_world):
    """The URL of a PostgreSQL database holding the world and nothing else."""
    _close_pool()
    yield postgresql_world.fresh()
    _close_pool()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """The URL of a fresh copy of the world, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


# The app of each kind of database, made by the first test on it: building the app (every
# part's routes compiled) costs more than most tests.
_apps = {}


@pytest.fixture
def app(database_url):
    """The app on a database holding the demo data and nothing else, with the test settings."""
    kind = database_url.split(":", 1)[0]
    if kind not in _apps:
        made = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url})
        _apps[kind] = (made, dict(made.config))
    app, settings = _apps[kind]
    app.config.clear()
    app.config.update(settings, DATABASE_URL=database_url)
    database.bind(database_url)
    yield app
    if not database.db.is_closed():
        database.db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_connection(app):
    """An open connection for tests that call models and services directly."""
    with database.db.connection_context():
        yield database.db


def read_form_token(client, path="/"):
    """The form token of the client's session, read from a page's hidden input."""
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


@pytest.fixture
def form_token():
    """`form_token(client, path="/")`: the form token of the client's session."""
    return read_form_token


@pytest.fixture
def log_in(app):
    """Make a test client logged in as the demo person with this e-mail address."""
    from peerm.accounts.demo import DEMO_PASSWORD

    def _log_in(email, client=None):
        client = client or app.test_client()
        response = client.post("/login", data={
            "csrf_token": read_form_token(client, "/login"), "email": email,
            "password": DEMO_PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)
        return client
    return _log_in
