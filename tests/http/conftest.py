"""Fixtures of the HTTP suite: parsed pages, a browser-like client, the walk over every route."""
import pytest
from flask import url_for
from html_pages import ADMINISTRATOR, NOT_WALKED, ROUTE_ARGUMENTS, Page, Route
from part_tables import tables

from peerm.accounts.models import Person
from peerm.core.db import db
from peerm.toolshed.models import Tool
from peerm.volunteering.models import WorkingGroup


@pytest.fixture
def fetch(client):
    """GET a path with the test client and read the answer as a page."""
    def fetch(path, **kwargs):
        return Page.of(client.get(path, **kwargs))
    return fetch


@pytest.fixture
def visitor(app):
    """A client that sees what a browser sees: a crash gives the 500 page, not an exception."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


@pytest.fixture
def walk_world(app):
    """What the walk fills URLs with: a co-operative with tools and working groups, and what
    each part adds to it (tests/http/part_tables/)."""
    with app.test_request_context(), db.connection_context():
        admin = Person.by_email(ADMINISTRATOR)
        group = (WorkingGroup.select().join(Tool, on=(Tool.initiative == WorkingGroup.initiative))
                 .first())
        base = {"admin": admin, "initiative": group.initiative, "slug": group.initiative.slug}
        world = dict(base)
        for module in tables():
            if hasattr(module, "walk_world"):
                world.update(module.walk_world(base))
    return world


@pytest.fixture
def routes(app, walk_world):
    """Every GET route of the app with its arguments filled; fails on a route it cannot fill."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in NOT_WALKED or "GET" not in rule.methods:
                continue
            if rule.arguments and rule.endpoint not in ROUTE_ARGUMENTS:
                pytest.fail(f"GET {rule.rule} takes {sorted(rule.arguments)}, which the walk "
                            f"cannot fill: add {rule.endpoint!r} to ROUTE_ARGUMENTS of its "
                            f"part in tests/http/part_tables/")
            values = ROUTE_ARGUMENTS[rule.endpoint](walk_world) if rule.arguments else {}
            found.append(Route(rule.endpoint, url_for(rule.endpoint, **values)))
    return found


@pytest.fixture
def html_routes(routes):
    """The routes that answer a whole HTML page (or its htmx partial)."""
    return [route for route in routes if route.is_whole_page and route.is_filled]


@pytest.fixture
def administrator(log_in):
    """A client logged in as the demo administrator, who may open every page."""
    return log_in(ADMINISTRATOR)
