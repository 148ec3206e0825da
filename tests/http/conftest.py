"""Fixtures of the HTTP suite: parsed pages, a browser-like client, the walk over every route."""
import pytest
from flask import url_for
from html_pages import ADMINISTRATOR, NOT_WALKED, ROUTE_ARGUMENTS, Page, Route

from peerm.accounts import services
from peerm.accounts.models import Membership, Person
from peerm.core.db import db
from peerm.events.models import Event
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
def walk_world(app, administrator, form_token):
    """What the walk fills URLs with: a co-operative with tools and working groups, one of its
    tools, a coming event, and an invite, a reset link and a kiosk link made just now."""
    with app.app_context(), db.connection_context():
        admin = Person.by_email(ADMINISTRATOR)
        group = (WorkingGroup.select().join(Tool, on=(Tool.initiative == WorkingGroup.initiative))
                 .first())
        initiative = group.initiative
        tool = Tool.select().where(Tool.initiative == initiative).first()
        member = Membership.select().where(Membership.initiative == initiative).first()
        _, invite = services.create_invite(initiative, "member", admin)
        _, reset = services.create_reset(member.person, admin)
        event = Event.upcoming().first()
    kiosk = administrator.post(f"/volunteering/groups/{group.id}/kiosk",
                               data={"csrf_token": form_token(administrator)})
    assert kiosk.status_code == 303, "the administrator could not make a kiosk link"
    return {"slug": initiative.slug, "tool_id": tool.id, "event_id": event.id, "invite": invite,
            "reset": reset, "kiosk": kiosk.headers["Location"].rsplit("/", 1)[1]}


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
                            f"cannot fill: add {rule.endpoint!r} to ROUTE_ARGUMENTS in "
                            f"tests/http/html_pages.py")
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
