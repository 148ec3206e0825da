"""Volunteering as a part: groups, shifts and their history, claims, shared phones."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.part import Exported, NavItem, Part
from . import demo, services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import (
    AllowanceSetting,
    ExpenseClaim,
    KioskLink,
    PinRefusal,
    Shift,
    ShiftChange,
    WorkingGroup,
)
from .today import today
from .views import bp


def _volunteers(person):
    return person is not None and any(m.role != "member" for m in person.memberships)


def _kept_pages(person):
    if not _volunteers(person):
        return []
    # What a volunteer needs with no signal: checking in and out, and claiming. Among the
    # first pages (rank 0, with every part's own page), not after the network's many events
    # and door lists, so that a tight budget never leaves a volunteer without them.
    return [(0, url_for("volunteering.index")), (0, url_for("volunteering.claims"))]


def _housekeeping(now):
    return {"forgotten check-outs closed": len(services.close_forgotten(now))}


PART = Part(
    name="volunteering",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(WorkingGroup, AllowanceSetting, Shift, ShiftChange, ExpenseClaim, KioskLink,
            PinRefusal),
    actions=ACTIONS,
    kept_pages=_kept_pages,
    exported={
        "shift": Exported(about=("person",), acted=("approved_by",), drop=("approved_by",)),
        "shiftchange": Exported(through=("shift.person",), acted=("changed_by",),
                                drop=("changed_by",)),
        "expenseclaim": Exported(about=("person",), acted=("decided_by",),
                                 drop=("decided_by",)),
        "kiosklink": Exported(acted=("created_by",)),
        "pinrefusal": Exported(about=("person",), acted=("kept_by",), drop=("kept_by",)),
    },
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    today=today,
    nav=(NavItem("volunteering.index", _l("Volunteering"), icon="hands", place="menu",
                 order=40, shown=_volunteers, active="volunteering"),),
    scripts=("volunteering.js",),
    styles=("volunteering.css",),
    page_config={"receiptMaxBytes": services.MAX_RECEIPT_BYTES},
)
