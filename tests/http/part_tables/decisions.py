"""Decisions' routes. The matrix acts on the demo proposal of Lucas Community, whose voting
is open: Mohammed, Kees and Fatima may vote on it; its text is frozen, so an allowed edit or
publish answers 400 (refused for the rule, not for the person)."""
from peerm.decisions.models import Option, Proposal

from . import COORDINATORS, LOGGED_IN, LUCAS_MEMBERS

LUCAS_PROPOSAL = "lucas-koken-twee-avonden"
ROUTE_ARGUMENTS = {
    "decisions.detail": lambda world: {"proposal_id": world["proposal_id"]},
    "decisions.edit": lambda world: {"proposal_id": world["proposal_id"]},
    "decisions.paper": lambda world: {"proposal_id": world["proposal_id"]},
}
LOGGED_IN_ONLY = {"decisions.index", "decisions.new", "decisions.detail", "decisions.edit",
                  "decisions.paper"}
MATRIX = {
    "decisions.new": (LOGGED_IN, {"initiative": "lucas-community", "title_nl": "Voorstel",
                                  "text_nl": "Tekst", "quorum_percent": "50",
                                  "majority": "half", "discussion_days": "1",
                                  "closes_at": "2099-01-01T20:00"}),
    "decisions.edit": (COORDINATORS, {"title_nl": "Anders"}),
    "decisions.publish": (COORDINATORS, {}),
    "decisions.approve": (COORDINATORS, {}),
    "decisions.vote": (LUCAS_MEMBERS, {"proposal": "{proposal_id}",
                                       "choice": "{decisions_choice}"}),
    "decisions.comment": (LUCAS_MEMBERS | {"administrator"}, {"body": "Mee eens"}),
    "decisions.paper": (COORDINATORS, {"voter": "{decisions_voter}",
                                       "choice": "{decisions_choice}"}),
    "decisions.settings": (COORDINATORS, {"require_approval": "1"}),
}


def walk_world(base):
    return {"proposal_id": Proposal.get(Proposal.seed_key == LUCAS_PROPOSAL).id}


def permission_world(person, lucas, now):
    proposal = Proposal.get(Proposal.seed_key == LUCAS_PROPOSAL)
    agree = Option.get((Option.proposal == proposal) & (Option.kind == "agree"))
    return ({"proposal_id": proposal.id},
            {"proposal_id": str(proposal.id), "decisions_choice": str(agree.id),
             "decisions_voter": str(person["member"].id)})
