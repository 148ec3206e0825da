"""Volunteering: working groups, the hours people put in, the allowance each
co-operative pays and the expenses volunteers claim.

Times are stored in UTC, as every moment in Peer'M is; a check-in or check-out keeps the time
of the phone it was made on.
"""
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from peewee import (
    CharField,
    DateField,
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

SHIFT_STATES = {
    "open": _l("Checked in"),
    "closed": _l("Waiting for approval"),
    "to_confirm": _l("Check-out forgotten: to confirm"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
# Shifts that count as hours worked or waiting to be approved.
COUNTED_STATES = ("closed", "to_confirm", "approved")
CLAIM_KINDS = {
    "allowance": _l("Volunteer allowance"),
    "travel_km": _l("Travel by kilometre"),
    "travel_ticket": _l("Public transport ticket"),
    "other": _l("Other costs"),
}
CLAIM_STATES = {
    "submitted": _l("Submitted"),
    "approved": _l("Approved"),
    "paid": _l("Paid"),
    "rejected": _l("Rejected"),
}
ALLOWANCE_MODES = {
    "none": _l("No allowance"),
    "hourly": _l("Per hour"),
    "monthly": _l("Per month"),
}


def in_two_languages(dutch, english):
    """A text kept as a Dutch column and a nullable English one, in the page's language where
    there is one (a `Localized` string, which knows the language it fell back to)."""
    return localized(SimpleNamespace(text_nl=dutch, text_en=english), "text")


class WorkingGroup(BaseModel):
    initiative = ForeignKeyField(Initiative, backref="working_groups", on_delete="CASCADE")
    # Name and description in Dutch, and in English where someone wrote them.
    name = CharField(max_length=120)
    name_en = CharField(max_length=120, null=True)
    description = TextField(default="")
    description_en = TextField(null=True)

    @property
    def local_name(self):
        return in_two_languages(self.name, self.name_en)

    @property
    def local_description(self):
        return in_two_languages(self.description, self.description_en)

    @classmethod
    def of(cls, initiative):
        return cls.select().where(cls.initiative == initiative).order_by(cls.name)


class AllowanceSetting(BaseModel):
    """How a co-operative pays its volunteers, and when an open shift counts as forgotten."""
    initiative = ForeignKeyField(Initiative, unique=True, on_delete="CASCADE")
    mode = CharField(max_length=10, default="none", choices=list(ALLOWANCE_MODES.items()))
    hourly_cents = IntegerField(default=0)
    monthly_cents = IntegerField(default=0)
    km_rate_cents = IntegerField(default=23)
    # An open shift is closed "to confirm" after this many hours.
    checkout_limit_hours = IntegerField(default=8)

    @classmethod
    def for_initiative(cls, initiative):
        setting = cls.get_or_none(cls.initiative == initiative)
        return setting or cls(initiative=initiative)


class Shift(BaseModel):
    """Hours actually worked: from a check-in to a check-out, by the phones' clocks."""
    person = ForeignKeyField(Person, backref="shifts", on_delete="CASCADE")
    group = ForeignKeyField(WorkingGroup, backref="shifts", on_delete="CASCADE")
    # The phone's id for the check-in action, which the check-out names.
    checkin_action = CharField(max_length=36, unique=True)
    checkin_at = DateTimeField(index=True)
    checkout_at = DateTimeField(null=True)
    state = CharField(max_length=12, index=True, choices=list(SHIFT_STATES.items()))
    note = TextField(default="")
    approved_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    approved_at = DateTimeField(null=True)

    @property
    def minutes(self):
        if self.checkout_at is None:
            return 0
        return max(0, int((self.checkout_at - self.checkin_at).total_seconds() // 60))

    @property
    def state_label(self):
        return SHIFT_STATES.get(self.state, self.state)

    @classmethod
    def open_of(cls, person):
        return (cls.select().where((cls.person == person) & (cls.state == "open"))
                .order_by(cls.checkin_at.desc()))


class KioskLink(BaseModel):
    """A link that turns a phone at a venue into a shared check-in phone for one group.
    Stopping it sets `expires_at` to the moment it was stopped."""
    token_hash = CharField(max_length=64, unique=True)
    group = ForeignKeyField(WorkingGroup, backref="kiosk_links", on_delete="CASCADE")
    created_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=clock.now)
    expires_at = DateTimeField()


class PinRefusal(BaseModel):
    """A check-in or check-out on a shared phone refused for a wrong PIN, kept for the
    coordinators and the volunteer: made offline, the shift may be real and the PIN mistyped."""
    action_id = CharField(max_length=36, unique=True)
    person = ForeignKeyField(Person, backref="pin_refusals", on_delete="CASCADE")
    group = ForeignKeyField(WorkingGroup, backref="pin_refusals", on_delete="CASCADE")
    kiosk = ForeignKeyField(KioskLink, null=True, on_delete="SET NULL", backref="+")
    kind = CharField(max_length=8)  # "checkin" or "checkout"
    # The phone's time of the action, and when it reached the server.
    at = DateTimeField()
    arrived_at = DateTimeField(index=True)
    # When a coordinator kept the shift after all, and who.
    kept_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    kept_at = DateTimeField(null=True)


class ShiftChange(BaseModel):
    """The history of a shift: who changed what, when and why."""
    shift = ForeignKeyField(Shift, backref="changes", on_delete="CASCADE")
    changed_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    what = CharField(max_length=40)
    old = CharField(max_length=80, default="")
    new = CharField(max_length=80, default="")
    reason = TextField(default="")
    at = DateTimeField(default=clock.now)


class ExpenseClaim(BaseModel):
    person = ForeignKeyField(Person, backref="claims", on_delete="CASCADE")
    initiative = ForeignKeyField(Initiative, backref="claims", on_delete="CASCADE")
    kind = CharField(max_length=14, choices=list(CLAIM_KINDS.items()))
    amount_cents = IntegerField()
    km = IntegerField(null=True)
    date = DateField(index=True)
    note = TextField(default="")
    # The receipt's file name in the receipts folder, when a photo came with the claim.
    receipt = CharField(max_length=80, default="")
    state = CharField(max_length=10, index=True, default="submitted",
                      choices=list(CLAIM_STATES.items()))
    reason = TextField(default="")
    over_cap = CharField(max_length=40, default="")
    over_cap_reason = TextField(default="")
    decided_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    decided_at = DateTimeField(null=True)
    paid_at = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.now)

    @property
    def kind_label(self):
        return CLAIM_KINDS.get(self.kind, self.kind)

    @property
    def state_label(self):
        return CLAIM_STATES.get(self.state, self.state)

    @property
    def counts_toward_caps(self):
        """Allowances and flat cost payments count; itemised costs (a receipt, a km log) do not."""
        if self.kind == "allowance":
            return True
        if self.kind == "travel_km":
            return False
        return not self.receipt

    @classmethod
    def counting(cls, person, start, end):
        """Claims of a person that count toward the caps, dated start ≤ date < end, not refused."""
        return cls.select().where((cls.person == person) & (cls.date >= start) & (cls.date < end)
                                  & (cls.state != "rejected"))


def minutes_worked(person, start, end):
    """Minutes of closed and approved shifts checked in between start and end, all groups."""
    shifts = Shift.select().where((Shift.person == person) & (Shift.checkin_at >= start)
                                  & (Shift.checkin_at < end)
                                  & Shift.state.in_(COUNTED_STATES))
    return sum(shift.minutes for shift in shifts)

