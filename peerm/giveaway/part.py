"""The give-away shop as a part: posts offered and wanted, requests and the draw, the shop's
counter and moderation."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core import clock
from ..core.part import Card, Exported, NavItem, Part
from . import demo, services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import Gift, GiftReport, GiftRequest, PickupPoint
from .views import bp


def _kept_pages(person):
    # The board and the offer form, for who can ask or offer (a logged-in person): a visitor
    # can do nothing with them offline, and the anonymous list of kept pages is at its byte
    # budget with the demo data. The counter, for who hands things over with no signal.
    pages = []
    if person is not None:
        pages += [(0, url_for("giveaway.index")), (1, url_for("giveaway.new"))]
        pages += [(2, url_for("giveaway.counter", slug=m.initiative.slug))
                  for m in person.memberships
                  if services.may_counter(person, m.initiative)
                  and PickupPoint.select().where(PickupPoint.initiative == m.initiative).exists()]
    return pages


def _housekeeping(now):
    return {"give-away posts settled": services.settle_due(now, limit=10_000)}


def _today(person):
    """A promise to collect, offers that fit a wanted post, posts to renew, and for volunteers
    and coordinators today's pick-ups and the posts that wait for them."""
    if person is None:
        return []
    now = clock.now()
    cards = []
    promised = list(GiftRequest.select(GiftRequest, Gift).join(Gift)
                    .where((GiftRequest.person == person) & (GiftRequest.state == "promised")
                           & (GiftRequest.collect_until > now)))
    for request in promised:
        cards.append(Card(_l("Collect: %(title)s", title=request.gift.title),
                          url_for("giveaway.detail", gift_id=request.gift_id),
                          request.gift.initiative.name, rank=0))
    fitting = services.matching_offers(person, now)
    if fitting:
        cards.append(Card(_l("A new offer fits your wanted post"),
                          url_for("giveaway.index", kind="offered",
                                  category=fitting[0].category),
                          ", ".join(g.title for g in fitting[:3]), count=len(fitting), rank=1))
    to_renew = Gift.select().where((Gift.giver == person) & (
        (Gift.state == "expired") | ((Gift.state == "open") & (Gift.until <= now)))).count()
    if to_renew:
        cards.append(Card(_l("Renew or withdraw your post"), url_for("giveaway.mine"),
                          ngettext("%(num)d post passed its deadline",
                                   "%(num)d posts passed their deadline", to_renew), rank=1))
    for membership in person.memberships:
        initiative = membership.initiative
        if not PickupPoint.select().where(PickupPoint.initiative == initiative).exists():
            continue
        if services.may_counter(person, initiative):
            pickups = (GiftRequest.select().join(Gift)
                       .where((Gift.initiative == initiative) & (GiftRequest.state == "promised")
                              & (GiftRequest.collect_until > now)).count())
            cards.append(Card(_l("Give-away counter"),
                              url_for("giveaway.counter", slug=initiative.slug),
                              initiative.name, count=pickups, rank=0))
        if services.may_moderate(person, initiative):
            waiting = Gift.select().where((Gift.initiative == initiative)
                                          & (Gift.state == "pending")).count()
            if waiting:
                cards.append(Card(_l("Posts wait for your decision"),
                                  url_for("giveaway.manage", slug=initiative.slug),
                                  initiative.name, count=waiting, rank=1))
    return cards


PART = Part(
    name="giveaway",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(PickupPoint, Gift, GiftRequest, GiftReport),
    actions=ACTIONS,
    kept_pages=_kept_pages,
    exported={
        "gift": Exported(about=("giver",), drop=("photo",)),
        "giftrequest": Exported(about=("person",)),
        "giftreport": Exported(about=("person",)),
    },
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    # For who is logged in: asking and offering need an account. (The anonymous pages kept on
    # the phone are at their byte budget with the demo data: a link on each costs ~1 KB.)
    nav=(NavItem("giveaway.index", _l("Give away"), icon="gift", place="menu", order=55,
                 active="giveaway"),),
    today=_today,
    scripts=("giveaway.js",),
    styles=("giveaway.css",),
)
