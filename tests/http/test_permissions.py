"""The permission matrix: every route that changes something, for every kind of visitor.

A route added later fails `test_every_changing_route_is_classified` until it is listed in
`MATRIX` with who may use it. The world: the co-operative Lucas Community, where Mohammed is
a member, Kees a volunteer and Fatima the coordinator; Jan coordinates another co-operative.
Permissions do not depend on the database, so the matrix runs on SQLite alone.
"""
import datetime as dt
import secrets
import uuid

import pytest

from peerm.accounts.models import Membership, Person
from peerm.core import clock
from peerm.core.db import db
from peerm.events.models import Event
from peerm.initiatives.models import Initiative
from peerm.toolshed.models import Hold, LendingRules, Loan, Tool
from peerm.volunteering.models import (
    ExpenseClaim,
    KioskLink,
    PinRefusal,
    Shift,
    WorkingGroup,
)

VISITORS = {
    "anonymous": None,
    "member": "mohammed@peerm.example",
    "volunteer": "kees@peerm.example",
    "coordinator_elsewhere": "jan@peerm.example",
    "coordinator": "fatima@peerm.example",
    "administrator": "beheer@peerm.example",
}
EVERYONE = set(VISITORS)
LOGGED_IN = EVERYONE - {"anonymous"}
COORDINATORS = {"coordinator", "administrator"}
WORKERS = {"volunteer", "coordinator", "administrator"}
LUCAS_MEMBERS = {"member", "volunteer", "coordinator"}

# Each changing route: who may use it, and the form it is sent (values from the world).
MATRIX = {
    "home.choose_language": (EVERYONE, {"lang": "en", "next": "/"}),
    "accounts.login": (EVERYONE, {"email": "nobody@peerm.example", "password": "x"}),
    "accounts.logout": (EVERYONE, {}),
    "accounts.end_sessions": (LOGGED_IN, {}),
    "accounts.account": (LOGGED_IN, {"display_name": "Naam", "phone": "", "language": "nl"}),
    "accounts.delete": (LOGGED_IN, {"password": "not-the-password"}),
    "accounts.invite": (EVERYONE, {"display_name": "Nieuw", "email": "x@peerm.example",
                                   "password": "lang-genoeg-wachtwoord"}),
    "accounts.reset": (EVERYONE, {"password": "lang-genoeg-wachtwoord"}),
    "accounts.change_role": (COORDINATORS, {"role": "volunteer"}),
    "accounts.remove_member": (COORDINATORS, {}),
    "accounts.create_invite": (COORDINATORS, {"role": "member"}),
    "accounts.create_reset": (COORDINATORS, {}),
    "events.signup": (EVERYONE, {"name": "Fatima", "party_size": "1"}),
    "events.cancel": (EVERYONE, {"code": "{code}"}),
    "events.attend": (WORKERS, {"name": "Binnenloper"}),
    "events.recording": (COORDINATORS, {"recording_url": "https://example.org/opname"}),
    "sync.sync": (EVERYONE, None),
    "volunteering.checkin": (WORKERS, {"group": "{group}"}),
    "volunteering.checkout": ({"volunteer"}, {"checkin": "{checkin}"}),
    "volunteering.confirm": ({"volunteer"}, {"end": ""}),
    "volunteering.pin": (LOGGED_IN, {"pin": "1234"}),
    "volunteering.claim": (WORKERS, {"initiative": "{lucas}", "kind": "allowance",
                                     "amount": "10", "date": "{today}"}),
    "volunteering.add_group": (COORDINATORS, {"name": "Nieuwe groep"}),
    "volunteering.settings": (COORDINATORS, {"mode": "hourly", "hourly": "4,50"}),
    "volunteering.approve_shift": (COORDINATORS, {"end": ""}),
    "volunteering.reject_shift": (COORDINATORS, {"reason": "Dubbel"}),
    "volunteering.keep_refused": (COORDINATORS, {}),
    "volunteering.stop_kiosk": (COORDINATORS, {}),
    "volunteering.decide_claim": (COORDINATORS, {}),
    "volunteering.make_kiosk": (COORDINATORS, {}),
    "volunteering.kiosk_action": (EVERYONE, {"person": "", "pin": ""}),
    "toolshed.reserve": (LUCAS_MEMBERS, {"tool": "{free_tool}"}),
    "toolshed.renew": ({"member"}, {}),
    "toolshed.cancel_hold": ({"member"}, {}),
    "toolshed.lend": (WORKERS, {"tool": "{free_code}", "borrower": "{mohammed}",
                                "rules": "1"}),
    "toolshed.take_back": (WORKERS, {"tool": "{lent_code}"}),
    "toolshed.add_tool": (COORDINATORS, {"name": "Zaag", "category": "{category}"}),
    "toolshed.add_category": (COORDINATORS, {"name": "Keuken", "loan_days": "7"}),
    "toolshed.maintain": (COORDINATORS, {"note": "stuk"}),
    "toolshed.resolve": (COORDINATORS, {"note": "opgelost"}),
    "toolshed.publish_rules": (COORDINATORS, {"text_nl": "Nieuwe regels"}),
    "toolshed.accept_rules": (LOGGED_IN, {}),
}
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
    """What the routes act on, in Lucas Community."""
    with app.app_context(), db.connection_context():
        lucas = Initiative.get(slug="lucas-community")
        person = {key: Person.by_email(email) for key, email in VISITORS.items() if email}
        group = WorkingGroup.select().where(WorkingGroup.initiative == lucas).first()
        now = clock.now()
        open_shift = Shift.create(person=person["volunteer"], group=group,
                                  checkin_action=str(uuid.uuid4()),
                                  checkin_at=now - dt.timedelta(hours=1), state="open")
        to_confirm = Shift.create(person=person["volunteer"], group=group,
                                  checkin_action=str(uuid.uuid4()),
                                  checkin_at=now - dt.timedelta(days=1, hours=3),
                                  checkout_at=now - dt.timedelta(days=1), state="to_confirm")
        claim = ExpenseClaim.create(person=person["volunteer"], initiative=lucas, kind="travel_km",
                                    amount_cents=230, km=10, date=now.date())
        tools = list(Tool.select().where(Tool.initiative == lucas).order_by(Tool.id))
        lent, free, held = tools[0], tools[1], tools[2]
        rules = LendingRules.current(lucas)
        from peerm.toolshed.models import RulesAcceptance
        RulesAcceptance.create(person=person["member"], rules=rules)
        loan = Loan.create(tool=lent, borrower=person["member"], lent_at=now,
                           due=now.date() + dt.timedelta(days=2))
        lent.status = "on_loan"
        lent.save()
        hold = Hold.create(tool=held, person=person["member"])
        token = secrets.token_urlsafe(8)
        import hashlib
        link = KioskLink.create(token_hash=hashlib.sha256(token.encode()).hexdigest(),
                                group=group, expires_at=dt.datetime.now() + dt.timedelta(days=1))
        refusal = PinRefusal.create(action_id=str(uuid.uuid4()), person=person["volunteer"],
                                    group=group, kind="checkin", at=now - dt.timedelta(hours=2),
                                    arrived_at=now)
        event = Event.get(Event.seed_key == "lucas-samen-koken")
        from peerm.events.services import sign_up
        signup = sign_up(event, "Iemand", 1)
        return {
            "slug": "lucas-community", "event_id": event.id, "group_id": group.id,
            "shift_confirm": to_confirm.id, "shift_approve": to_confirm.id,
            "claim_id": claim.id, "decision": "approve", "tool_id": held.id, "what": "repair",
            "loan_renew": loan.id, "loan_resolve": loan.id, "hold_id": hold.id,
            "membership_id": Membership.get(person=person["member"], initiative=lucas).id,
            "token": token, "kiosk_what": "checkin", "link_id": link.id,
            "refusal_id": refusal.id,
            "form": {"code": signup.code, "group": str(group.id), "checkin": open_shift.checkin_action,
                     "lucas": str(lucas.id), "today": now.date().isoformat(),
                     "free_tool": str(free.id), "free_code": free.code, "lent_code": lent.code,
                     "mohammed": str(person["member"].id),
                     "category": str(free.category_id)},
        }


def url_of(app, endpoint, world):
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        if name == "shift_id":
            values[name] = world["shift_confirm"]
        elif name == "loan_id":
            values[name] = world["loan_renew"]
        elif name == "what":
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
