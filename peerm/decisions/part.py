"""Decisions as a part: proposals, their discussion, ballots (cast offline too) and outcomes."""
import datetime as dt

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core import clock
from ..core.db import write_transaction
from ..core.part import Card, Exported, NavItem, Part
from ..initiatives.models import Initiative
from ..permissions import may_see_proposal
from . import demo, services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import Ballot, Comment, DecisionSettings, Option, Proposal, Voter
from .views import bp

# Closed proposals stay on the phone this long after their result became final.
KEEP_CLOSED = dt.timedelta(days=30)


def _kept_pages(person):
    """The list, and every proposal the person may see that is open or closed lately, so that
    they can read it, discuss it and vote without signal."""
    if person is None:
        return []
    pages = [(1, url_for("decisions.index"))]
    now = clock.now()
    ids = ([m.initiative_id for m in person.memberships] if not person.is_admin
           else [i.id for i in Initiative.select(Initiative.id)])
    for proposal in Proposal.listed(ids):
        if proposal.grace_ends_at < now - KEEP_CLOSED or not may_see_proposal(person, proposal):
            continue
        rank = 1 if proposal.phase(now) == "voting" else 3
        pages.append((rank, url_for("decisions.detail", proposal_id=proposal.id)))
    return pages


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
    kept_pages=_kept_pages,
    exported={
        "proposal": Exported(about=("author",), acted=("approved_by",), drop=("approved_by",)),
        "voter": Exported(about=("person",)),
        "ballot": Exported(about=("person",)),
        "comment": Exported(about=("person",)),
    },
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    today=_today,
    nav=(NavItem("decisions.index", _l("Decisions"), icon="", place="menu", order=60,
                 active="decisions",
                 shown=lambda person: person is not None),),
)
