"""The give-away actions of the outbox protocol: offer a thing (`gift.offer`), ask for one
(`gift.claim`), and record a hand-over at the pick-up point (`gift.collect`). Before each, the
posts that are due are settled, each in a transaction of its own (see `services`)."""
import babel.dates
from flask_babel import get_locale
from flask_babel import gettext as _

from ..core import clock
from ..outbox.protocol import Actions, Result
from . import services
from .models import PickupPoint

ACTIONS = Actions()


def when(moment):
    """A stored moment as the person reads it: "zaterdag 5 december 18:00"."""
    return babel.dates.format_datetime(clock.local(moment), "EEEE d MMMM HH:mm",
                                       locale=get_locale() or "nl")


def _settle_due(data, at, person, action_id=None):
    services.settle_due()
    return {}


def offer_result(gift):
    """What became of an offer, for the page and the phone's outbox."""
    if gift.state == "pending":
        message = _("Thank you! Your post \"%(title)s\" waits for a coordinator of %(name)s and "
                    "is shown when it is placed.", title=gift.title, name=gift.initiative.name)
    elif gift.kind == "wanted":
        message = _("Your wanted post \"%(title)s\" is placed until %(until)s.",
                    title=gift.title, until=when(gift.until))
    else:
        message = _("Thank you! \"%(title)s\" is offered until %(until)s.", title=gift.title,
                    until=when(gift.until))
    return Result("applied", "offered", message, str(gift.id))


def claim_result(request):
    """What became of a request: in the draw, next in line, or the thing is yours."""
    gift = request.gift
    if request.state == "promised":
        point = PickupPoint.get_or_none(PickupPoint.initiative == gift.initiative_id)
        place = point.place if point else gift.initiative.name
        return Result("applied", "promised",
                      _("It is yours: collect \"%(title)s\" at %(place)s before %(until)s.",
                        title=gift.title, place=place, until=when(request.collect_until)),
                      str(request.id))
    if request.state == "waiting":
        return Result("applied", "requested",
                      _("You are number %(place)d in line for \"%(title)s\".",
                        place=request.position, title=gift.title), str(request.id))
    return Result("applied", "requested",
                  _("You are in the draw for \"%(title)s\" on %(when)s. Who received least "
                    "recently comes first.", title=gift.title, when=when(gift.until)),
                  str(request.id))


@ACTIONS.handles("gift.offer", needs_person=True, before=_settle_due)
def apply_offer(data, at, person, action_id=None):
    gift = services.offer(person, data.get("initiative"), data.get("title"),
                          data.get("description", ""), data.get("category"),
                          photo=data.get("photo"), allocation=data.get("allocation"),
                          until=data.get("until"), action_id=action_id)
    return offer_result(gift)


@ACTIONS.handles("gift.claim", needs_person=True, before=_settle_due)
def apply_claim(data, at, person, action_id=None):
    gift = services.find_gift(data.get("gift"))
    request = services.claim(person, gift, data.get("note", ""), action_id=action_id)
    return claim_result(request)


@ACTIONS.handles("gift.collect", needs_person=True, before=_settle_due)
def apply_collect(data, at, person, action_id=None):
    gift = services.find_gift(data.get("gift"))
    gift, request, already = services.collect(person, gift, at)
    if already:
        return Result("conflict", "already_collected",
                      _("\"%(title)s\" was already handed over.", title=gift.title), str(gift.id))
    if request is not None:
        message = _("\"%(title)s\" is handed over to %(name)s.", title=gift.title,
                    name=request.person.display_name)
    else:
        message = _("\"%(title)s\" is handed over.", title=gift.title)
    return Result("applied", "collected", message, str(gift.id))
