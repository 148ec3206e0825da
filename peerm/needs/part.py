"""The needs board as a part: needs, the answers to them, and "I can help" offline."""
import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core import clock
from ..core.db import write_transaction
from ..core.part import Card, Exported, NavItem, Part
from ..initiatives.models import Initiative
from ..permissions import managed_initiatives
from . import demo, services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import Need, NeedStep, Pledge
from .views import bp

# An answer nobody took up for this long is told on the coordinator's home as overdue.
FOLLOW_UP = dt.timedelta(days=14)


def _kept_pages(person):
    """The board, and the needs of the person's own co-operatives with the other parts' items.
    The rest of the network's needs are on the board; each is kept once it has been opened
    (keeping them all would take the background budget again on every visit)."""
    own = {membership.initiative_id for membership in person.memberships} if person else set()
    return [(0, url_for("needs.index"))] + [
        (1, url_for("needs.detail", need_id=need.id))
        for need in Need.board(person) if need.initiative_id in own]


def _today(person):
    """A coordinator's answers to take up, and the thanks this person had for an answer in
    the last two weeks."""
    if person is None:
        return []
    return _to_take_up(person) + _thanked(person)


def _thanked(person):
    """"Thanked by <co-operative>": the person's own answers thanked for, lately."""
    rows = (Pledge.select(Pledge, Need, Initiative).join(Need).join(Initiative)
            .where((Pledge.person == person) & (Pledge.thanked_at >= clock.now() - FOLLOW_UP))
            .order_by(Pledge.thanked_at.desc()))
    return [Card(title=_("Thanked by %(name)s", name=pledge.need.initiative.name),
                 url=url_for("needs.detail", need_id=pledge.need_id),
                 text=pledge.thanks or pledge.need.text, rank=2) for pledge in rows]


def _to_take_up(person):
    """A coordinator's answers to take up: new ones, and those waiting two weeks or more."""
    initiatives = [initiative.id for initiative in managed_initiatives(person)]
    if not initiatives:
        return []
    waiting = list(Pledge.to_answer(initiatives))
    if not waiting:
        return []
    late = [p for p in waiting if p.created_at <= clock.now() - FOLLOW_UP]
    first = waiting[0]
    text = (ngettext("%(num)d answer is waiting two weeks or more.",
                     "%(num)d answers are waiting two weeks or more.", len(late))
            if late else first.need.text)
    return [Card(title=ngettext("%(num)d answer to a need to take up",
                                "%(num)d answers to needs to take up", len(waiting)),
                 url=url_for("needs.answers", need_id=first.need_id), text=text,
                 count=len(waiting), rank=1)]


def _housekeeping(now):
    with write_transaction():
        expired = services.expire_needs(now)
        forgotten = services.forget_old_contacts(now)
    return {"needs expired": expired, "answer contacts forgotten": forgotten}


PART = Part(
    name="needs",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(Need, Pledge, NeedStep),
    actions=ACTIONS,
    kept_pages=_kept_pages,
    exported={"pledge": Exported(about=("person",)), "needstep": Exported(acted=("by",))},
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    nav=(NavItem("needs.index", _l("Needs board"), icon="hands", place="bar", order=25,
                 active="needs"),),
    today=_today,
    scripts=("needs.js",),
    styles=("needs.css",),
)
