"""Volunteering's routes."""
import datetime as dt
import hashlib
import secrets
import uuid

from peerm.volunteering import services
from peerm.volunteering.models import (
    ExpenseClaim,
    KioskLink,
    PinRefusal,
    Shift,
    WorkingGroup,
)

from . import COORDINATORS, EVERYONE, LOGGED_IN, WORKERS

ROUTE_ARGUMENTS = {
    "volunteering.manage": lambda world: {"slug": world["slug"]},
    "volunteering.export": lambda world: {"slug": world["slug"]},
    "volunteering.kiosk": lambda world: {"token": world["kiosk"]},
    "volunteering.receipt": lambda world: {"claim_id": 0},
}
# A receipt needs a photo on disk (the volunteering tests upload one).
NOT_FILLED = {"volunteering.receipt": 404}
LOGGED_IN_ONLY = {"volunteering.index", "volunteering.claims", "volunteering.claim_check",
                  "volunteering.receipt", "volunteering.manage", "volunteering.export"}
NOT_HTML = {"volunteering.export": "text/csv", "volunteering.receipt": "image/jpeg"}
FRAGMENTS = {"volunteering.claim_check"}
MATRIX = {
    "volunteering.checkin": (WORKERS, {"group": "{group}"}),
    "volunteering.checkout": ({"volunteer"}, {"checkin": "{checkin}"}),
    "volunteering.confirm": ({"volunteer"}, {"end": ""}),
    "volunteering.pin": (LOGGED_IN, {"pin": "1234"}),
    "volunteering.claim": (WORKERS, {"initiative": "{lucas}", "kind": "allowance",
                                     "amount": "10", "date": "{today}"}),
    "volunteering.add_group": (COORDINATORS, {"name": "Nieuwe groep"}),
    "volunteering.settings": (COORDINATORS, {"mode": "hourly", "hourly": "4,50"}),
    "volunteering.approve_shift": (COORDINATORS, {"end": ""}),
    "volunteering.reject_shift": (COORDINATORS, {"reason": "Dubbel"}),
    "volunteering.keep_refused": (COORDINATORS, {}),
    "volunteering.stop_kiosk": (COORDINATORS, {}),
    "volunteering.decide_claim": (COORDINATORS, {}),
    "volunteering.make_kiosk": (COORDINATORS, {}),
    "volunteering.kiosk_action": (EVERYONE, {"person": "", "pin": ""}),
}


def walk_world(base):
    """A shared-phone link of the walk's co-operative, made just now."""
    group = WorkingGroup.select().where(WorkingGroup.initiative == base["initiative"]).first()
    return {"kiosk": services.open_kiosk(base["admin"], group)}


def permission_world(person, lucas, now):
    group = WorkingGroup.select().where(WorkingGroup.initiative == lucas).first()
    open_shift = Shift.create(person=person["volunteer"], group=group,
                              checkin_action=str(uuid.uuid4()),
                              checkin_at=now - dt.timedelta(hours=1), state="open")
    to_confirm = Shift.create(person=person["volunteer"], group=group,
                              checkin_action=str(uuid.uuid4()),
                              checkin_at=now - dt.timedelta(days=1, hours=3),
                              checkout_at=now - dt.timedelta(days=1), state="to_confirm")
    claim = ExpenseClaim.create(person=person["volunteer"], initiative=lucas, kind="travel_km",
                                amount_cents=230, km=10, date=now.date())
    token = secrets.token_urlsafe(8)
    link = KioskLink.create(token_hash=hashlib.sha256(token.encode()).hexdigest(),
                            group=group, expires_at=now + dt.timedelta(days=1))
    refusal = PinRefusal.create(action_id=str(uuid.uuid4()), person=person["volunteer"],
                                group=group, kind="checkin", at=now - dt.timedelta(hours=2),
                                arrived_at=now)
    values = {"group_id": group.id, "shift_id": to_confirm.id, "claim_id": claim.id,
              "decision": "approve", "token": token, "kiosk_what": "checkin",
              "link_id": link.id, "refusal_id": refusal.id}
    form = {"group": str(group.id), "checkin": open_shift.checkin_action,
            "lucas": str(lucas.id), "today": now.date().isoformat()}
    return values, form
