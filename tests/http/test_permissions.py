"""The permission matrix: every route that changes something, for every kind of visitor.

A route added later fails `test_every_changing_route_is_classified` until it is listed in
`MATRIX` with who may use it.
"""
import pytest

from peerm.accounts.models import Membership, Person
from peerm.initiatives import Initiative

VISITORS = {
    "anonymous": None,
    "member": "mohammed@peerm.example",                 # member of lucas-community
    "volunteer": "kees@peerm.example",                  # volunteer at lucas-community
    "coordinator_elsewhere": "jan@peerm.example",       # coordinates talent-in-actie
    "coordinator": "fatima@peerm.example",              # coordinates lucas-community
    "administrator": "beheer@peerm.example",
}
EVERYONE = set(VISITORS)
LOGGED_IN = EVERYONE - {"anonymous"}
COORDINATORS = {"coordinator", "administrator"}

# Each route that changes something: who may use it, and the form it is sent.
MATRIX = {
    "home.choose_language": (EVERYONE, {"lang": "en", "next": "/"}),
    "accounts.login": (EVERYONE, {"email": "nobody@peerm.example", "password": "x"}),
    "accounts.logout": (EVERYONE, {}),
    "accounts.account": (LOGGED_IN, {"display_name": "Naam", "phone": "", "language": "nl"}),
    "accounts.delete": (LOGGED_IN, {"password": "not-the-password"}),
    "accounts.invite": (EVERYONE, {"display_name": "Nieuw", "email": "x@peerm.example",
                                   "password": "lang-genoeg-wachtwoord"}),
    "accounts.reset": (EVERYONE, {"password": "lang-genoeg-wachtwoord"}),
    "accounts.change_role": (COORDINATORS, {"role": "volunteer"}),
    "accounts.remove_member": (COORDINATORS, {}),
    "accounts.create_invite": (COORDINATORS, {"role": "member"}),
    "accounts.create_reset": (COORDINATORS, {}),
}


def changing_endpoints(app):
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}


def test_every_changing_route_is_classified(app):
    assert changing_endpoints(app) == set(MATRIX)


def url_for_endpoint(app, endpoint):
    """A real URL for the endpoint: the lucas-community co-operative and its member Mohammed."""
    from flask import url_for

    with app.test_request_context():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        values = {}
        if "slug" in rule.arguments:
            values["slug"] = "lucas-community"
        if "membership_id" in rule.arguments:
            with app.app_context():
                from peerm.db import db
                with db.connection_context():
                    values["membership_id"] = Membership.get(
                        Membership.person == Person.by_email("mohammed@peerm.example"),
                        Membership.initiative == Initiative.get(slug="lucas-community")).id
        if "token" in rule.arguments:
            values["token"] = "no-such-token"
        return url_for(endpoint, **values)


def refused(response):
    """Whether the permission check turned the request away (403, or 'log in first')."""
    if response.status_code == 403:
        return True
    return response.status_code == 303 and "/login" in response.headers.get("Location", "")


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("visitor", list(VISITORS))
def test_permission_matrix(app, log_in, form_token, endpoint, visitor):
    email = VISITORS[visitor]
    client = log_in(email) if email else app.test_client()
    allowed, form = MATRIX[endpoint]
    url = url_for_endpoint(app, endpoint)
    response = client.post(url, data={"csrf_token": form_token(client), **form})
    assert response.status_code < 500
    assert refused(response) is (visitor not in allowed), (visitor, endpoint,
                                                           response.status_code)


def test_refused_change_changes_nothing(app, log_in, form_token):
    client = log_in("jan@peerm.example")
    url = url_for_endpoint(app, "accounts.change_role")
    response = client.post(url, data={"csrf_token": form_token(client), "role": "coordinator"})
    assert response.status_code == 403
    from peerm.db import db
    with db.connection_context():
        mohammed = Person.by_email("mohammed@peerm.example")
        assert Membership.get(person=mohammed).role == "member"
