"""The one place that answers "may this person do this to that co-operative's thing".

Members are equal in what they decide together; roles only say who may manage what. Every
action names the least role it needs in the co-operative the thing belongs to. Network
administrators may do everything, everywhere; coordinators only in their own co-operative.

A new-password link is different: whoever sets a person's password can log in as that person,
in every co-operative they belong to. So a coordinator may make one only for someone she has
authority over everywhere — a member or volunteer of her own co-operatives and of no other —
and never for an administrator or a coordinator; an administrator makes those.
"""
from .accounts.models import Membership

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


def may_reset_password(person, target):
    """Whether the person may make a new-password link for the target."""
    return target is not None and target.id in resettable_people(person, [target])


def resettable_people(person, people):
    """The ids of those among `people` for whom the person may make a new-password link."""
    people = [p for p in people if p is not None and not p.is_erased]
    if person is None or person.is_erased or not people:
        return set()
    if person.is_admin:
        return {p.id for p in people}
    coordinated = {m.initiative_id for m in Membership.select().where(
        (Membership.person == person.id) & (Membership.role == "coordinator"))}
    memberships = {p.id: [] for p in people if not p.is_admin}
    for membership in Membership.select().where(Membership.person.in_(list(memberships))):
        memberships[membership.person_id].append(membership)
    return {person_id for person_id, theirs in memberships.items() if theirs and all(
        m.initiative_id in coordinated and ROLE_RANK[m.role] < ROLE_RANK["coordinator"]
        for m in theirs)}

# Deciding on someone's hours or claims: approving, correcting, rejecting, marking paid.
DECISIONS = ("shifts.approve", "claims.approve")


def may_decide_on(person, subject, initiative, action):
    """Whether the person may decide on the hours or claims of `subject` in a co-operative:
    never on their own. Another coordinator of the co-operative decides, or a network
    administrator (who may not decide on their own either)."""
    if action not in DECISIONS:
        raise KeyError(f"{action!r} is not a decision: see permissions.DECISIONS")
    if person is None or subject is None or person.id == subject.id:
        return False
    return can(person, action, initiative)


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
    from .initiatives.models import Initiative

    if person is None:
        return []
    if person.is_admin:
        return list(Initiative.listed())
    return [m.initiative for m in person.memberships if m.role == "coordinator"]


# --- events written by coordinators -------------------------------------------------------

def may_write_event(person, initiative):
    """Whether the person may write (and change, and cancel) events organised by this
    co-operative; `None` stands for the whole network, whose events its administrators write."""
    if person is None or person.is_erased:
        return False
    if initiative is None:
        return person.is_admin
    return can(person, "events.manage", initiative)


def event_organisers(person):
    """The co-operatives for which this person may write events, and whether they may write
    events of the whole network (administrators)."""
    from .initiatives.models import Initiative

    if person is None or person.is_erased:
        return [], False
    if person.is_admin:
        return list(Initiative.listed()), True
    return [m.initiative for m in person.memberships if m.role == "coordinator"], False
