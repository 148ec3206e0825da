"""Fixtures shared by every suite: an app on a fresh database with the demo data.

The unit and HTTP suites run twice, on SQLite (a temporary file, never `:memory:`, which dies
with its connection) and on PostgreSQL. Each test run makes its own PostgreSQL database from
`TEST_DATABASE_URL` and drops it at the end, so leftovers of an earlier run never decide a
result. Without a server the PostgreSQL run is skipped with a message; under `CI=true` it is
required.
"""
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from peerm import create_app
from peerm import db as database
from peerm.cli import load_demo

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def postgresql_url():
    """A PostgreSQL database of this test run's own, or a skip when no server answers."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set: the PostgreSQL run is required under CI")
        pytest.skip("TEST_DATABASE_URL is not set: skipping the PostgreSQL run")
    import psycopg2

    name = f"peerm_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(admin_url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {admin_url} does not answer, but CI requires it: {error}")
        pytest.skip(f"PostgreSQL at {admin_url} does not answer: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    if hasattr(database.db.obj, "close_all"):
        database.db.obj.close_all()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'peerm.sqlite3'}"
    return request.getfixturevalue("postgresql_url")


@pytest.fixture
def app(database_url):
    """The app on a database holding the demo data and nothing else."""
    # Tests change the database behind the app's back: no cached pages (one test turns it on).
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "ARGON2_PROFILE": "CHEAPEST", "PAGE_CACHE_SECONDS": 0})
    if database_url.startswith("postgresql"):
        # One database serves the whole run: start each test from empty tables.
        with database.db.connection_context():
            database.db.drop_tables(database.all_models(), safe=True, cascade=True)
    database.create_tables()
    with app.app_context(), database.db.connection_context():
        load_demo()
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
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def form_token():
    """`form_token(client, path="/")`: the form token of the client's session."""
    return read_form_token


@pytest.fixture
def log_in(app):
    """Make a test client logged in as the demo person with this e-mail address."""
    from peerm.cli import DEMO_PASSWORD

    def _log_in(email, client=None):
        client = client or app.test_client()
        response = client.post("/login", data={
            "csrf_token": read_form_token(client, "/login"), "email": email,
            "password": DEMO_PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)
        return client
    return _log_in
