"""Fixtures shared by every suite: an app on a fresh copy of one built world.

The unit and HTTP suites run twice, on SQLite (a temporary file, never `:memory:`, which dies
with its connection) and on PostgreSQL. The world — the schema and the demo data — is built
once per run and database: a SQLite file that each test gets a copy of, and a PostgreSQL
template database that each test gets a `CREATE DATABASE … TEMPLATE` copy of (a few tens of
milliseconds, against building the world again for every test). Each test run makes its own
PostgreSQL databases from `TEST_DATABASE_URL` and drops them at the end, so leftovers of an
earlier run never decide a result. Without a server the PostgreSQL run is skipped with a
message; under `CI=true` it is required.
"""
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


@pytest.fixture(scope="session")
def postgresql_world(postgresql_databases):
    """The name of this run's PostgreSQL template database holding the world."""
    name = postgresql_databases.create()
    build_world(postgresql_databases.url(name))
    return name


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
def postgresql_url(postgresql_databases, postgresql_world):
    """The URL of a fresh PostgreSQL copy of the world, dropped after the test."""
    _close_pool()
    name = postgresql_databases.create(template=postgresql_world)
    yield postgresql_databases.url(name)
    _close_pool()
    postgresql_databases.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """The URL of a fresh copy of the world, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def app(database_url):
    """The app on a database holding the demo data and nothing else."""
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url})
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
