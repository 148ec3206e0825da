"""Decisions as a part: proposals, their discussion, ballots (cast offline too) and outcomes."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.db import write_transaction
from ..core.part import Card, Exported, NavItem, Part
from . import services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import Ballot, Comment, DecisionSettings, Option, Proposal, Voter
from .views import bp


def _housekeeping(now):
    """Fix the electorates of proposals whose voting opened, and keep the outcomes of those
    whose grace period ended (the pages count without this; it makes them stored)."""
    fixed = finalised = 0
    for row in services.due_proposals(now):
        with write_transaction():
            proposal = services.find_proposal(row.id, lock=True)
            fixed += services.fix_electorate(proposal, now)
            finalised += services.finalise(proposal, now)
    return {"electorates fixed": fixed, "outcomes kept": finalised}


def _today(person):
    waiting = services.votes_waiting(person)
    if not waiting:
        return []
    url = (url_for("decisions.detail", proposal_id=waiting[0].id) if len(waiting) == 1
           else url_for("decisions.index"))
    return [Card(ngettext("%(num)d vote waiting for you", "%(num)d votes waiting for you",
                          len(waiting)),
                 url, text=", ".join(p.title for p in waiting[:3]), count=len(waiting), rank=1)]


PART = Part(
    name="decisions",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(DecisionSettings, Proposal, Option, Voter, Ballot, Comment),
    actions=ACTIONS,
    exported={
        "proposal": Exported(about=("author",), acted=("approved_by",), drop=("approved_by",)),
        "voter": Exported(about=("person",)),
        "ballot": Exported(about=("person",)),
        "comment": Exported(about=("person",)),
    },
    erase=services.erase_person,
    housekeeping=_housekeeping,
    today=_today,
    nav=(NavItem("decisions.index", _l("Decisions"), icon="", place="menu", order=60,
                 active="decisions",
                 shown=lambda person: person is not None),),
)
