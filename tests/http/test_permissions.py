"""The permission matrix: every route that changes something, for every kind of visitor.

A route added later fails `test_every_changing_route_is_classified` until its part's table
(`tests/http/part_tables/<part>.py`) lists it in `MATRIX` with who may use it. The world: the co-operative Lucas Community, where Mohammed is
a member, Kees a volunteer and Fatima the coordinator; Jan coordinates another co-operative.
Permissions do not depend on the database, so the matrix runs on SQLite alone.
"""
import uuid

import pytest
from part_tables import VISITORS, merged, tables

from peerm.accounts.models import Membership, Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative

# Each changing route: who may use it, and the form it is sent (values from the world), from
# every part's table (tests/http/part_tables/).
MATRIX = merged("MATRIX", {})
# Outcomes by which an action's own permission check turns a visitor away.
REFUSALS = {"not_allowed", "not_volunteer", "not_member", "no_checkin", "login_needed"}


@pytest.fixture
def database_url(sqlite_url):
    """The matrix is about rules, not databases: SQLite alone."""
    return sqlite_url


def test_every_changing_route_is_classified(app):
    changing = {rule.endpoint for rule in app.url_map.iter_rules()
                if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}
    assert changing == set(MATRIX)


@pytest.fixture
def world(app):
    """What the routes act on, in Lucas Community, made by each part's table."""
    with app.app_context(), db.connection_context():
        lucas = Initiative.get(slug="lucas-community")
        person = {key: Person.by_email(email) for key, email in VISITORS.items() if email}
        values, form = {"slug": "lucas-community"}, {}
        for module in tables():
            if hasattr(module, "permission_world"):
                more_values, more_form = module.permission_world(person, lucas, clock.now())
                values.update(more_values)
                form.update(more_form)
        values["form"] = form
        return values


def url_of(app, endpoint, world):
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        if name == "what":
            values[name] = world["kiosk_what"] if endpoint.endswith("kiosk_action") else world["what"]
        elif name == "token":
            values[name] = world["token"] if "kiosk" in endpoint else "no-such-token"
        else:
            values[name] = world[name]
    with app.test_request_context():
        return url_for(endpoint, **values)


def refused(response):
    """Whether the visitor was turned away: 403, 'log in first', not theirs (404), or the
    action's own permission check."""
    if response.status_code in (403, 404):
        return True
    if response.status_code == 303 and "/login" in response.headers.get("Location", ""):
        return True
    body = response.get_data(as_text=True)
    return any(f'data-outcome="{code}"' in body for code in REFUSALS)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("visitor", list(VISITORS))
def test_permission_matrix(app, world, log_in, form_token, endpoint, visitor):
    email = VISITORS[visitor]
    client = log_in(email) if email else app.test_client()
    allowed, form = MATRIX[endpoint]
    url = url_of(app, endpoint, world)
    if form is None:
        response = client.post(url, json={"actions": []})
    else:
        data = {key: value.format(**world["form"]) for key, value in form.items()}
        response = client.post(url, data={"csrf_token": form_token(client), "action_id":
                                          str(uuid.uuid4()), **data},
                               headers={"HX-Request": "true"})
    assert response.status_code < 500
    assert refused(response) is (visitor not in allowed), (
        visitor, endpoint, response.status_code, response.get_data(as_text=True)[:300])


def test_refused_change_changes_nothing(app, world, log_in, form_token):
    client = log_in("jan@peerm.example")
    url = url_of(app, "accounts.change_role", world)
    response = client.post(url, data={"csrf_token": form_token(client), "role": "coordinator"})
    assert response.status_code == 403
    with db.connection_context():
        mohammed = Person.by_email("mohammed@peerm.example")
        assert Membership.get(person=mohammed).role == "member"
