"""The tool library as a part: catalogue, holds, loans, lending rules."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.db import write_transaction
from ..core.part import Exported, NavItem, Part
from ..permissions import can
from . import demo, services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import Category, Hold, LendingRules, Loan, RulesAcceptance, Tool
from .today import today
from .views import bp


def _kept_pages(person):
    # The catalogue as last seen; a tool's own page is kept once opened.
    pages = [(0, url_for("toolshed.index"))]
    if person is not None:
        # The counter, for who lends tools with no signal.
        pages += [(2, url_for("toolshed.counter", slug=m.initiative.slug))
                  for m in person.memberships if can(person, "tools.counter", m.initiative)
                  and Tool.select().where(Tool.initiative == m.initiative).exists()]
    return pages


def _housekeeping(now):
    with write_transaction():
        return {"pickups expired": len(services.expire_holds(now))}


PART = Part(
    name="toolshed",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(Category, Tool, Hold, Loan, LendingRules, RulesAcceptance),
    actions=ACTIONS,
    kept_pages=_kept_pages,
    exported={
        "hold": Exported(about=("person",)),
        "loan": Exported(about=("borrower",), acted=("lent_by",), drop=("lent_by",)),
        "rulesacceptance": Exported(about=("person",)),
    },
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    today=today,
    nav=(NavItem("toolshed.index", _l("Tools"), icon="tools", place="bar", order=50,
                 active="toolshed"),),
    scripts=("toolshed.js",),
    styles=("toolshed.css",),
)
