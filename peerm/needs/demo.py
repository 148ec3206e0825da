"""The needs' demo data: the needs of the twelve co-operatives, with a few answers, added for
each co-operative that has no needs at all (so that loading the demo data again adds nothing,
and keeps what coordinators changed)."""
import datetime as dt
from decimal import Decimal

from ..core import clock
from ..initiatives.demo import by_slug
from .models import Need, Pledge
from .seed import NEEDS


def load(today=None):
    """Add the demo needs of each co-operative that has none; returns how many were added."""
    today = today or clock.today()
    now = clock.now()
    added = 0
    for slug, initiative in by_slug().items():
        if slug not in NEEDS or Need.select().where(Need.initiative == initiative).exists():
            continue
        for age, item in enumerate(NEEDS[slug]):
            need = Need.create(
                initiative=initiative, kind=item["kind"], text_nl=item["nl"], text_en=item["en"],
                quantity=Decimal(item["quantity"]) if "quantity" in item else None,
                unit_nl=item.get("unit_nl", ""), unit_en=item.get("unit_en", ""),
                needed_by=(today + dt.timedelta(days=item["needed_in"])
                           if item["needed_in"] is not None else None),
                list_until=today + dt.timedelta(days=item["listed_for"]),
                visibility=item.get("visibility", "network"), status="open",
                created_at=now - dt.timedelta(days=age + 1))
            for pledge in item.get("pledges", []):
                Pledge.create(need=need, name=pledge["name"], contact=pledge.get("contact", ""),
                              offer=pledge["offer"],
                              amount=Decimal(pledge["amount"]), status=pledge["status"],
                              created_at=now - dt.timedelta(hours=2),
                              decided_at=None if pledge["status"] == "offered" else now)
            added += 1
    return {"needs": added}
