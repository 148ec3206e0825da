"""The one place that answers "may this person do this to that co-operative's thing".

Members are equal in what they decide together; roles only say who may manage what. Every
action names the least role it needs in the co-operative the thing belongs to. Network
administrators may do everything, everywhere; coordinators only in their own co-operative.
"""
from flask import abort, redirect, request, url_for

from .accounts.models import Membership
from .accounts.session import current_person

ROLE_RANK = {"member": 1, "volunteer": 2, "coordinator": 3}

# Each action, and the least role in the co-operative that it needs.
ACTIONS = {
    "members.view": "coordinator",
    "members.manage": "coordinator",
    "members.invite": "coordinator",
    "members.reset_password": "coordinator",
    "events.door": "volunteer",
    "events.contacts": "coordinator",
    "events.manage": "coordinator",
    "shifts.work": "volunteer",
    "shifts.approve": "coordinator",
    "claims.approve": "coordinator",
    "groups.manage": "coordinator",
    "tools.counter": "volunteer",
    "tools.manage": "coordinator",
}


def role_in(person, initiative):
    """The person's role in a co-operative, or None."""
    if person is None or initiative is None:
        return None
    membership = Membership.get_or_none(person=person, initiative=initiative)
    return membership.role if membership else None


def can(person, action, initiative):
    """Whether the person may do this action to the co-operative's things."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to permissions.ACTIONS")
    if person is None or person.is_erased:
        return False
    if person.is_admin:
        return True
    role = role_in(person, initiative)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[ACTIONS[action]]


def can_for_event(person, action, event):
    """Whether the person may do this action to an event (its door list, its sign-ups, its
    settings). A co-operative's event follows the roles in that co-operative. An event of the
    whole network belongs to no co-operative: the network's administrators organise it, so
    they alone may; a role in some co-operative gives no say over it."""
    if event.initiative_id is None:
        return person is not None and not person.is_erased and person.is_admin
    return can(person, action, event.initiative)


def managed_initiatives(person):
    """The co-operatives whose members this person manages."""
    from .initiatives import Initiative

    if person is None:
        return []
    if person.is_admin:
        return list(Initiative.listed())
    return [m.initiative for m in person.memberships if m.role == "coordinator"]


def logged_in():
    """The current person; anyone else is sent to log in first, and comes back here after."""
    person = current_person()
    if person is None:
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?")), 303))
    return person


def require(action, initiative):
    """Stop the request unless the current person may do this: log in first, or 403."""
    person = logged_in()
    if not can(person, action, initiative):
        abort(403)
    return person
