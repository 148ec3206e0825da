"""The give-away shop's nouns: posts (a thing offered or wanted), the requests for an offered
thing, reports of posts, and each co-operative's pick-up point with its rules.

A post is handed over at a co-operative's pick-up point, never at a home address: the post names
the co-operative, and its pick-up point says where and when.
"""
from flask_babel import lazy_gettext as _l
from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ..accounts.models import Person
from ..core import clock
from ..core.db import BaseModel
from ..core.text import localized
from ..initiatives.models import Initiative

CATEGORIES = {
    "furniture": _l("Furniture"),
    "clothing": _l("Clothing and shoes"),
    "children": _l("Baby and children"),
    "kitchen": _l("Kitchen and household"),
    "electronics": _l("Electronics"),
    "books_games": _l("Books, toys and games"),
    "garden": _l("Garden and tools"),
    "other": _l("Other"),
}
KINDS = {"offered": _l("Offered"), "wanted": _l("Wanted")}
ALLOCATIONS = {
    "draw": _l("A draw at the deadline"),
    "first": _l("First come, first served"),
}
GIFT_STATES = {
    "pending": _l("Waits for a coordinator"),
    "open": _l("Open"),
    "promised": _l("Promised"),
    "collected": _l("Handed over"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Deadline passed"),
    "refused": _l("Not placed"),
}
REQUEST_STATES = {
    "requested": _l("In the draw"),
    "waiting": _l("Next in line"),
    "promised": _l("Yours: collect it"),
    "collected": _l("Collected"),
    "no_show": _l("Not collected in time"),
    "lost": _l("Gone to someone else"),
    "closed": _l("Post closed"),
}
# States in which a post is seen by everyone.
PUBLIC_STATES = ("open", "promised", "collected", "expired")
# A request that still hopes for the thing.
HOPING = ("requested", "waiting", "promised")


class PickupPoint(BaseModel):
    """Where a co-operative hands give-away things over, and its rules for them."""
    initiative = ForeignKeyField(Initiative, backref="pickup_points", on_delete="CASCADE",
                                 unique=True)
    place_nl = CharField(max_length=200)
    place_en = CharField(max_length=200, default="")
    hours_nl = CharField(max_length=200, default="")
    hours_en = CharField(max_length=200, default="")
    # Things one person may ask for here per calendar month (0: no limit).
    quota_per_month = IntegerField(default=0)
    # How long the one who got a thing has to collect it.
    pickup_days = IntegerField(default=3)

    @property
    def place(self):
        return localized(self, "place")

    @property
    def hours(self):
        return localized(self, "hours")


class Gift(BaseModel):
    """A post: a thing offered for free, or a thing someone is looking for."""
    kind = CharField(max_length=10, default="offered", index=True, choices=list(KINDS.items()))
    initiative = ForeignKeyField(Initiative, backref="gifts", on_delete="CASCADE")
    giver = ForeignKeyField(Person, backref="gifts", on_delete="CASCADE", null=True)
    title = CharField(max_length=80)
    description = TextField(default="")
    # The language the post is written in (the page's, when it was posted), for `lang`.
    lang = CharField(max_length=2, default="nl")
    category = CharField(max_length=20, choices=list(CATEGORIES.items()))
    allocation = CharField(max_length=10, default="draw", choices=list(ALLOCATIONS.items()))
    # The reply deadline: the draw is made then, and the post closes.
    until = DateTimeField(index=True)
    state = CharField(max_length=10, default="open", index=True,
                      choices=list(GIFT_STATES.items()))
    # Brought in at the shop's counter: the shop has it on its shelves.
    at_shop = BooleanField(default=False)
    photo = BlobField(null=True)
    photo_type = CharField(max_length=20, default="")
    created_at = DateTimeField(default=clock.now)
    drawn_at = DateTimeField(null=True)
    renewals = IntegerField(default=0)
    # Why a coordinator did not place it, for the giver.
    refusal = TextField(default="")
    action_id = CharField(max_length=36, unique=True, null=True)

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)

    @property
    def state_label(self):
        return GIFT_STATES.get(self.state, self.state)

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def allocation_label(self):
        return ALLOCATIONS.get(self.allocation, self.allocation)

    def past_deadline(self, now=None):
        return self.until <= (now or clock.now())

    def shown_state(self, now=None):
        """The state as a page shows it now: an open post past its deadline is closed, even
        before the draw or the expiry is written (a page never writes)."""
        if self.state == "open" and self.past_deadline(now):
            return "closing"
        return self.state

    @classmethod
    def listed(cls, kind=None, category=None, city=None, now=None):
        """What everyone sees on the board: open posts, soonest deadline first."""
        query = (cls.select(cls, Initiative).join(Initiative)
                 .where((cls.state == "open") & (cls.until > (now or clock.now())))
                 .order_by(cls.until, cls.id))
        if kind:
            query = query.where(cls.kind == kind)
        if category:
            query = query.where(cls.category == category)
        if city:
            query = query.where(Initiative.city == city)
        return query

    @classmethod
    def due(cls, now):
        """Open offers past their deadline: drawn or expired by the next write."""
        return cls.select().where((cls.state == "open") & (cls.until <= now)).order_by(cls.until)


class GiftRequest(BaseModel):
    """Someone asks for an offered thing. `position` is their place after the draw."""
    gift = ForeignKeyField(Gift, backref="requests", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="gift_requests", on_delete="CASCADE")
    note = CharField(max_length=300, default="")
    state = CharField(max_length=10, default="requested", index=True,
                      choices=list(REQUEST_STATES.items()))
    created_at = DateTimeField(default=clock.now)
    position = IntegerField(null=True)
    promised_at = DateTimeField(null=True)
    collect_until = DateTimeField(null=True)
    collected_at = DateTimeField(null=True)
    action_id = CharField(max_length=36, unique=True, null=True)

    class Meta:
        indexes = ((("gift", "person"), True),)

    @property
    def state_label(self):
        return REQUEST_STATES.get(self.state, self.state)

    def lapsed(self, now=None):
        """A promise whose pick-up window passed (passed on by the next write)."""
        return self.state == "promised" and self.collect_until <= (now or clock.now())


class GiftReport(BaseModel):
    """Someone says a post does not belong here."""
    gift = ForeignKeyField(Gift, backref="reports", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    reason = CharField(max_length=300, default="")
    created_at = DateTimeField(default=clock.now)
    handled_at = DateTimeField(null=True)
