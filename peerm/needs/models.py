"""Needs and the answers to them (pledges).

A need belongs to one co-operative: a kind, what is needed in two languages, an optional
quantity and unit, "needed by" and "list until" (Dutch calendar days), a status (open →
enough offers → fulfilled, or withdrawn / expired) and who sees it (the co-operative's own
members, or the whole network). A pledge is one answer, "I can help": what the person offers,
an optional amount in the need's unit, and who they are — a person logged in, or a name and a
way to reach them, which only the co-operative's coordinators see. A pledge goes offered →
accepted → fulfilled, or withdrawn / expired. Passing a need on to a sister co-operative is
kept as a step of its history, which both co-operatives see.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from peewee import (
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    TextField,
    fn,
)

from ..accounts.models import Membership, Person
from ..core import clock
from ..core.db import BaseModel
from ..core.text import localized
from ..initiatives.models import Initiative

# Labels of the coded values, in the order the pages show them.
NEED_KINDS = {
    "volunteers": _l("Volunteers"),
    "money": _l("Money"),
    "material": _l("Material"),
    "knowledge": _l("Knowledge"),
    "space": _l("Space"),
}
NEED_STATUSES = {
    "open": _l("Open"),
    "enough": _l("Enough offers"),
    "fulfilled": _l("Fulfilled"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
# Needs that are still listed and may be answered (more offers are welcome while open only).
LISTED = ("open", "enough")
VISIBILITIES = {
    "network": _l("The whole network"),
    "own": _l("Our own co-operative only"),
}
PLEDGE_STATUSES = {
    "offered": _l("Offered"),
    "accepted": _l("Accepted"),
    "fulfilled": _l("Fulfilled"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
# Pledges that still count as promised.
PROMISED = ("offered", "accepted", "fulfilled")
# Answers a coordinator may thank for: taken up or received.
THANKABLE = ("accepted", "fulfilled")


class Need(BaseModel):
    initiative = ForeignKeyField(Initiative, backref="needs", on_delete="CASCADE")
    kind = CharField(max_length=20, index=True, choices=list(NEED_KINDS.items()))
    # What is needed; the English text is optional (the Dutch one is shown instead).
    text_nl = TextField()
    text_en = TextField()
    # How much of it, in its unit ("volunteers", "laptops"; euros for money); None: not
    # counted.
    quantity = DecimalField(max_digits=12, decimal_places=2, null=True)
    unit_nl = CharField(max_length=40, default="")
    unit_en = CharField(max_length=40, default="")
    needed_by = DateField(null=True)
    # No index on the columns added to the first release's table: SQLite would take the
    # name of a column it does not have yet for a string, and index that.
    list_until = DateField(null=True)
    status = CharField(max_length=12, default="open", choices=list(NEED_STATUSES.items()))
    visibility = CharField(max_length=10, default="network", choices=list(VISIBILITIES.items()))
    created_at = DateTimeField(default=clock.now)
    closed_at = DateTimeField(null=True)

    @property
    def text(self):
        return localized(self, "text")

    @property
    def unit(self):
        return localized(self, "unit")

    @property
    def kind_label(self):
        return NEED_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return NEED_STATUSES.get(self.status, self.status)

    @property
    def visibility_label(self):
        return VISIBILITIES.get(self.visibility, self.visibility)

    @property
    def is_listed(self):
        return self.status in LISTED

    @property
    def is_money(self):
        return self.kind == "money"

    def totals(self):
        """(pledged, fulfilled): the amounts promised (fulfilled ones included) and received."""
        pledged = fulfilled = Decimal(0)
        for status, amount in (Pledge.select(Pledge.status, Pledge.amount)
                               .where((Pledge.need == self) & Pledge.status.in_(PROMISED)
                                      & Pledge.amount.is_null(False)).tuples()):
            amount = Decimal(amount)
            pledged += amount
            if status == "fulfilled":
                fulfilled += amount
        return pledged, fulfilled

    def answer_counts(self):
        """How many answers there are in each state."""
        rows = (Pledge.select(Pledge.status, fn.COUNT(Pledge.id))
                .where(Pledge.need == self).group_by(Pledge.status).tuples())
        return dict(rows)

    @classmethod
    def visible_to(cls, person):
        """The condition under which a need is shown to this person: network needs to everyone,
        a co-operative's own needs to its members (and the network's administrators)."""
        condition = cls.visibility == "network"
        if person is None:
            return condition
        if person.is_admin:
            return cls.id.is_null(False)
        own = Membership.select(Membership.initiative).where(Membership.person == person)
        return condition | cls.initiative.in_(own)

    @classmethod
    def board(cls, person=None, kind=None, city=None, initiative=None):
        """The listed needs this person may see, most urgent first, then the newest."""
        query = (cls.select(cls, Initiative).join(Initiative)
                 .where(cls.status.in_(LISTED) & cls.visible_to(person)))
        if kind:
            query = query.where(cls.kind == kind)
        if city:
            query = query.where(Initiative.city == city)
        if initiative is not None:
            query = query.where(cls.initiative == initiative)
        # Needs without a date come after those with one (NULL sorts differently per database).
        no_date = fn.COALESCE(cls.needed_by, "9999-12-31")
        return query.order_by(no_date, cls.created_at.desc(), cls.id.desc())


class Pledge(BaseModel):
    need = ForeignKeyField(Need, backref="pledges", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="pledges", on_delete="SET NULL")
    # Who answered, as they want to be called, and how to reach them (coordinators only).
    name = CharField(max_length=80)
    contact = CharField(max_length=254, default="")
    offer = TextField()
    amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    status = CharField(max_length=12, default="offered", index=True,
                       choices=list(PLEDGE_STATUSES.items()))
    # The phone's id of the `need.respond` action that made it.
    action_id = CharField(max_length=36, null=True, unique=True)
    created_at = DateTimeField(default=clock.now)
    decided_at = DateTimeField(null=True)
    # A coordinator's thanks, once: when, and a short message for the person who answered.
    thanked_at = DateTimeField(null=True)
    thanks = TextField(default="")

    @property
    def status_label(self):
        return PLEDGE_STATUSES.get(self.status, self.status)

    @property
    def may_be_thanked(self):
        return self.status in THANKABLE and self.thanked_at is None

    @classmethod
    def to_answer(cls, initiatives):
        """Answers that nobody of these co-operatives has taken up yet, oldest first."""
        return (cls.select(cls, Need).join(Need)
                .where(Need.initiative.in_(initiatives) & (cls.status == "offered"))
                .order_by(cls.created_at))


class NeedStep(BaseModel):
    """One step of a need's history that two co-operatives share: passed on from one to the
    other, with a note for the new one."""
    need = ForeignKeyField(Need, backref="steps", on_delete="CASCADE")
    from_initiative = ForeignKeyField(Initiative, backref="needs_passed_on",
                                      on_delete="CASCADE")
    to_initiative = ForeignKeyField(Initiative, backref="needs_passed_to", on_delete="CASCADE")
    note = TextField(default="")
    by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    at = DateTimeField(default=clock.now)
