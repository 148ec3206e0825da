"""The needs board's routes."""
import datetime as dt
from decimal import Decimal

from peerm.needs.models import Need, Pledge

from . import COORDINATORS, EVERYONE


def _need_id(world):
    return {"need_id": world["need_id"]}


ROUTE_ARGUMENTS = {
    "needs.detail": _need_id,
    "needs.edit": _need_id,
    "needs.answers": _need_id,
}
LOGGED_IN_ONLY = {"needs.new", "needs.edit", "needs.answers"}
MATRIX = {
    "needs.respond": (EVERYONE, {"offer": "Twee uur per week", "name": "Sanne",
                                 "contact": "06 12345678"}),
    "needs.new": (COORDINATORS, {"initiative": "{initiative_id}", "kind": "volunteers",
                                 "visibility": "network", "text_nl": "Hulp bij de kookclub",
                                 "list_until": "{list_until}"}),
    "needs.edit": (COORDINATORS, {"kind": "money", "visibility": "network",
                                  "text_nl": "Geld voor de kookclub", "quantity": "300",
                                  "list_until": "{list_until}"}),
    "needs.status": (COORDINATORS, {"status": "enough"}),
    "needs.pass_on": (COORDINATORS, {"to": "amargi", "note": "Dit past beter bij jullie."}),
    "needs.move": (COORDINATORS, {"to": "accepted"}),
    "needs.thank": (COORDINATORS, {"message": "Dank je wel!"}),
    # Only the person who answered (nobody of the matrix: the answer was given logged out).
    "needs.withdraw": (frozenset(), {}),
}


def walk_world(base):
    need = (Need.select().where(Need.initiative == base["initiative"]).first()
            or Need.select().first())
    return {"need_id": need.id}


def permission_world(person, lucas, now):
    need = Need.create(initiative=lucas, kind="volunteers", text_nl="Koks voor de buurtmaaltijd",
                       text_en="Cooks for the neighbourhood meal", quantity=Decimal(4),
                       unit_nl="koks", unit_en="cooks", status="open", visibility="network",
                       list_until=now.date() + dt.timedelta(days=30), created_at=now)
    pledge = Pledge.create(need=need, name="Ria", contact="ria@example.org", offer="Ik kook mee",
                           amount=Decimal(1), status="offered", created_at=now)
    list_until = (now.date() + dt.timedelta(days=40)).isoformat()
    return ({"need_id": need.id, "pledge_id": pledge.id},
            {"initiative_id": str(lucas.id), "list_until": list_until})
