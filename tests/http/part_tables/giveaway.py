"""The give-away shop's routes."""
import datetime as dt

from peerm.accounts.models import Person
from peerm.giveaway.demo import drawing
from peerm.giveaway.models import Gift, GiftRequest, PickupPoint

from . import COORDINATORS, LOGGED_IN, WORKERS

ROUTE_ARGUMENTS = {
    "giveaway.detail": lambda world: {"gift_id": world["gift_id"]},
    "giveaway.photo": lambda world: {"gift_id": world["gift_id"]},
    "giveaway.edit": lambda world: {"gift_id": world["gift_id"]},
    "giveaway.counter": lambda world: {"slug": world["slug"]},
    "giveaway.manage": lambda world: {"slug": world["slug"]},
}
LOGGED_IN_ONLY = {"giveaway.new", "giveaway.edit", "giveaway.mine", "giveaway.counter",
                  "giveaway.manage"}
NOT_HTML = {"giveaway.photo": "image/png"}
# The post in the matrix is Mohammed's (the member), waiting for a coordinator; Mohammed also
# asked for Els's thing, which is promised to him.
GIVER = frozenset({"member"})
MATRIX = {
    "giveaway.offer": (LOGGED_IN, {"initiative": "{lucas}", "title": "Kinderfiets",
                                   "description": "", "category": "children"}),
    "giveaway.post_wanted": (LOGGED_IN, {"initiative": "{lucas}", "title": "Gezocht: stoel",
                                         "category": "furniture"}),
    "giveaway.claim": (LOGGED_IN, {"note": ""}),
    "giveaway.collect": (WORKERS, {"gift": "{promised}"}),
    "giveaway.edit": (GIVER, {"title": "Kinderfiets 20 inch", "description": "",
                              "category": "children"}),
    "giveaway.withdraw": (GIVER | COORDINATORS, {}),
    "giveaway.renew": (GIVER, {}),
    # A waiting post is seen by its giver and the coordinators only: others find nothing.
    "giveaway.report": (GIVER | COORDINATORS, {"reason": "dubbel"}),
    "giveaway.approve": (COORDINATORS, {}),
    "giveaway.refuse": (COORDINATORS, {"reason": "Past niet bij de winkel"}),
    "giveaway.cancel_request": (GIVER, {}),
    "giveaway.save_pickup": (COORDINATORS, {"place_nl": "Buurtkantoor", "quota": "2",
                                            "pickup_days": "3"}),
}


def walk_world(base):
    """A post of the administrator, with a photo, at the walk's co-operative."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    assert PickupPoint.get_or_none(PickupPoint.initiative == base["initiative"])
    gift = Gift.create(initiative=base["initiative"], giver=base["admin"], title="Fietspomp",
                       category="other", until=now + dt.timedelta(days=2),
                       photo=drawing((10, 100, 90), 16, 12), photo_type="image/png")
    return {"gift_id": gift.id}


def permission_world(person, lucas, now):
    els = Person.by_email("els@peerm.example")
    waiting = Gift.create(initiative=lucas, giver=person["member"], title="Kinderfiets",
                          category="children", until=now + dt.timedelta(days=2), state="pending")
    promised = Gift.create(initiative=lucas, giver=els, title="Wasmand", category="kitchen",
                           until=now + dt.timedelta(days=2), allocation="first",
                           state="promised")
    request = GiftRequest.create(gift=promised, person=person["member"], state="promised",
                                 promised_at=now, collect_until=now + dt.timedelta(days=3))
    return ({"gift_id": waiting.id, "request_id": request.id},
            {"lucas": str(lucas.id), "promised": str(promised.id)})
