"""The outbox as a part: its pages, its records, and what housekeeping and erasure mean for
them."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.part import Exported, NavItem, Part
from . import protocol
from .migrations import MIGRATIONS
from .models import SyncRecord
from .views import bp, sync_bp


def _kept_pages(person):
    # The outbox page, and the answer the worker gives when it keeps an action: both must open
    # with no signal, before anything else.
    return [(0, url_for("outbox.index")), (0, url_for("outbox.saved"))]


def _housekeeping(now):
    return {"old sync records": protocol.forget_old_records(now)}


PART = Part(
    name="outbox",
    blueprints=(sync_bp, bp),
    migrations=MIGRATIONS,
    models=(SyncRecord,),
    # The message and reference of an action may name the person it was done for (a tool
    # lent to someone): only the action itself and its outcome are the person's.
    exported={"syncrecord": Exported(about=("person",), drop=("message", "ref"))},
    kept_pages=_kept_pages,
    erase=protocol.erase_person,
    housekeeping=_housekeeping,
    nav=(NavItem("outbox.index", _l("Outbox"), icon="outbox", place="menu", order=60,
                 active="outbox", badge="outbox-count"),),
    csrf_exempt=("sync",),
)
