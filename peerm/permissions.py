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


# --- a co-operative's own page, and its needs -------------------------------------------------
# Its coordinators edit its page and partners, post and manage its needs, and alone see the
# contact details of the people who answer a need.
ACTIONS.update({
    "initiatives.edit": "coordinator",
    "needs.manage": "coordinator",
})


def can_for_need(person, action, need):
    """Whether the person may do this to a need: the rules of the co-operative holding it now
    (once passed on, the new one decides, and sees who answered)."""
    return can(person, action, need.initiative)


def may_see_need(person, need):
    """Whether the person may see a need: a need for the whole network everyone, a
    co-operative's own need its members, and the coordinators of a co-operative that passed
    it on (they share its history)."""
    if need.visibility == "network":
        return True
    if person is None or person.is_erased:
        return False
    if person.is_admin or role_in(person, need.initiative) is not None:
        return True

    return any(can(person, "needs.manage", step.from_initiative) for step in need.steps)


# --- decisions ------------------------------------------------------------------------------
# Every member proposes in their co-operative; its coordinators approve proposals (when the
# co-operative wants that), enter paper ballots and set how the co-operative decides. A
# proposal of the whole network belongs to no co-operative: its administrators propose and
# manage it, and every member of every co-operative takes part.
ACTIONS.update({
    "decisions.propose": "member",
    "decisions.manage": "coordinator",
})


def _is_admin(person):
    return person is not None and not person.is_erased and person.is_admin


def may_see_proposal(person, proposal):
    """Whether the person may read a proposal and its discussion: the co-operative's members
    (the network's: every member of any co-operative); a draft only its author and those who
    manage it."""
    if person is None or person.is_erased:
        return False
    if proposal.status == "draft" and proposal.author_id != person.id:
        return may_manage_proposal(person, proposal)
    if _is_admin(person):
        return True
    if proposal.initiative_id is None:
        return Membership.select().where(Membership.person == person).exists()
    return role_in(person, proposal.initiative) is not None


def may_propose(person, initiative):
    """Whether the person may write a proposal for a co-operative (None: the network)."""
    if initiative is None:
        return _is_admin(person)
    return can(person, "decisions.propose", initiative)


def may_manage_proposal(person, proposal):
    """Whether the person approves the proposal, enters paper ballots for it and edits it."""
    if proposal.initiative_id is None:
        return _is_admin(person)
    return can(person, "decisions.manage", proposal.initiative)


def may_edit_proposal(person, proposal):
    """Its author (while still a member) or whoever manages it."""
    if person is None or person.is_erased:
        return False
    if proposal.author_id == person.id and may_propose(person, proposal.initiative):
        return True
    return may_manage_proposal(person, proposal)


# --- the give-away shop -----------------------------------------------------------------------
# Volunteers of a co-operative run its shop's counter (things brought in and handed over, today's
# pick-ups); its coordinators place or refuse new members' posts, handle reports, see no-shows
# and set the pick-up point's rules. Offering and asking need only a login.
ACTIONS.update({
    "giveaway.counter": "volunteer",
    "giveaway.moderate": "coordinator",
})


# --- the library ---------------------------------------------------------------------------
# A co-operative's coordinators write, publish and archive its documents; everybody reads
# what is published (and what was archived, marked as such); a draft is read only by those
# who may write it.
ACTIONS["library.write"] = "coordinator"


def may_read_document(person, document):
    """Whether the person may read a document (and its revisions and files)."""
    return document.status != "draft" or can(person, "library.write", document.initiative)


def library_initiatives(person):
    """The co-operatives for which this person may write documents."""
    from .initiatives.models import Initiative

    if person is None or person.is_erased:
        return []
    if person.is_admin:
        return list(Initiative.listed())
    return [m.initiative for m in person.memberships
            if ROLE_RANK[m.role] >= ROLE_RANK[ACTIONS["library.write"]]]


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


# --- skills: "someone knows someone" ----------------------------------------------------------
# A member's skills (opt-in, on her account) are seen only by the coordinators of her own
# co-operatives, beside their knowledge needs: not by other members, not by the coordinators of
# other co-operatives, and not by administrators for being administrators.

def may_see_skills(person, initiative):
    """Whether the person may see the skills of the members of this co-operative."""
    return (person is not None and not person.is_erased
            and role_in(person, initiative) == "coordinator")
