"""Events and sign-ups.

Times are stored in UTC, as every moment in Peer'M is, and shown as Dutch wall-clock time
(`peerm.core.clock`). A sign-up holds the name the person wants to be
called, the size of their party and, only if they want, a way to reach them.
"""
import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from ..accounts.models import Person
from ..core import clock
from ..core.db import BaseModel
from ..core.text import localized
from ..initiatives.models import Initiative

EVENT_KINDS = {
    "national_day": _l("National day"),
    "picnic": _l("Seasonal picnic"),
    "sociallab": _l("SocialLab start-up day"),
    "social_talk": _l("Social Talk (online)"),
    "local": _l("Local activity"),
}
SIGNUP_STATUSES = {
    "confirmed": _l("Confirmed"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}
# Sign-up codes: six characters without look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Those signed up for an online talk see the link to join from this long before the start.
JOIN_LINK_BEFORE = dt.timedelta(hours=1)
# A door list opens a day before the start, so that a volunteer's phone keeps it while there
# is still signal (a community centre's basement often has none), and closes a while after
# the end (a late check-in, a walk-in noted afterwards).
DOOR_BEFORE_START = dt.timedelta(hours=24)
# How far ahead the phone keeps each event's own page (the list holds every coming event),
# within the byte budget it shares with every part.
KEEP_AHEAD = dt.timedelta(days=183)
DOOR_AFTER_END = dt.timedelta(hours=3)



def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Event(BaseModel):
    # Set for the demo events so that loading the demo data twice adds nothing.
    seed_key = CharField(max_length=80, unique=True, null=True)
    kind = CharField(max_length=20, index=True, choices=list(EVENT_KINDS.items()))
    initiative = ForeignKeyField(Initiative, null=True, backref="events", on_delete="CASCADE")
    title_nl = CharField(max_length=200)
    title_en = CharField(max_length=200)
    summary_nl = TextField()
    summary_en = TextField()
    place = CharField(max_length=160)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    # Seats, counted in people; None: no limit (an online talk).
    capacity = IntegerField(null=True)
    # Social Talks: the theme, who speaks, where to join, and the recording afterwards.
    theme_nl = CharField(max_length=200, default="")
    theme_en = CharField(max_length=200, default="")
    speakers = TextField(default="")
    online_url = CharField(max_length=500, default="")
    recording_url = CharField(max_length=500, default="")
    # Written by coordinators (migration 3): whether people may sign up, the series a date
    # was made in (every date stays editable on its own), and when the event was called off.
    signup_open = BooleanField(default=True)
    series = CharField(max_length=40, null=True)
    cancelled_at = DateTimeField(null=True)

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def theme(self):
        return localized(self, "theme")

    @property
    def kind_label(self):
        return EVENT_KINDS.get(self.kind, self.kind)

    @property
    def is_online(self):
        return self.kind == "social_talk"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def map_uri(self):
        """A link that opens the phone's own maps app at the address (no map tiles here)."""
        from urllib.parse import quote

        return "geo:0,0?q=" + quote(self.place, safe="")

    def join_link_open(self, now=None):
        """Whether those signed up see the link to join online: from an hour before the start
        until the end."""
        now = now or clock.now()
        return (bool(self.online_url) and not self.is_cancelled
                and self.starts_at - JOIN_LINK_BEFORE <= now <= self.ends_at)

    def door_open(self, now=None):
        """Whether a door list may be used: only at a place (not an online talk), from a day
        before the start until a while after the end."""
        now = now or clock.now()
        if self.is_online or self.is_cancelled:
            return False
        return self.starts_at - DOOR_BEFORE_START <= now <= self.ends_at + DOOR_AFTER_END

    def seats_taken(self):
        """People with a confirmed place."""
        return (Signup.select(fn.COALESCE(fn.SUM(Signup.party_size), 0))
                .where((Signup.event == self) & (Signup.status == "confirmed")).scalar())

    def seats_left(self):
        """Free places, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken())

    def has_ended(self, now=None):
        return self.ends_at < (now or clock.now())

    @classmethod
    def upcoming(cls, now=None, limit=None, initiative=None, kind=None):
        """Events that have not ended yet, soonest first, optionally of one co-operative or kind."""
        now = now or clock.now()
        query = (cls.select(cls, Initiative).join(Initiative, join_type=JOIN.LEFT_OUTER)
                 .where(cls.ends_at >= now).order_by(cls.starts_at, cls.id))
        if initiative is not None:
            query = query.where(cls.initiative == initiative)
        if kind:
            query = query.where(cls.kind == kind)
        return query.limit(limit) if limit else query

    @classmethod
    def talks_archive(cls, now=None):
        """Social Talks that took place, newest first."""
        now = now or clock.now()
        return (cls.select().where((cls.kind == "social_talk") & (cls.ends_at < now)
                                   & cls.cancelled_at.is_null())
                .order_by(cls.starts_at.desc()))

    @classmethod
    def kept(cls, now=None):
        """The coming events whose own pages the phone keeps, soonest first."""
        now = now or clock.now()
        return cls.upcoming(now).where(cls.starts_at <= now + KEEP_AHEAD)

    @classmethod
    def in_series(cls, series):
        """The dates of a series, in order."""
        return cls.select().where(cls.series == series).order_by(cls.starts_at)


class Signup(BaseModel):
    event = ForeignKeyField(Event, backref="signups", on_delete="CASCADE")
    code = CharField(max_length=CODE_LENGTH, unique=True)
    name = CharField(max_length=80)
    party_size = IntegerField(default=1)
    # Only if the person wants to be told about changes; removed a month after the event.
    contact = CharField(max_length=254, default="")
    person = ForeignKeyField(Person, null=True, backref="signups", on_delete="SET NULL")
    status = CharField(max_length=12, index=True, choices=list(SIGNUP_STATUSES.items()))
    walk_in = BooleanField(default=False)
    created_at = DateTimeField()
    # Set when a cancellation moved this sign-up up from the waiting list.
    promoted_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    # When the person arrived, by the door phone's clock.
    attended_at = DateTimeField(null=True)

    @property
    def status_label(self):
        return SIGNUP_STATUSES.get(self.status, self.status)

    def waitlist_place(self):
        """1 for the first on the waiting list; None when not waiting."""
        if self.status != "waitlisted":
            return None
        return Signup.select().where((Signup.event == self.event_id)
                                     & (Signup.status == "waitlisted")
                                     & (Signup.id < self.id)).count() + 1

    @classmethod
    def waiting(cls, event):
        """The waiting list of an event, first come first."""
        return cls.select().where((cls.event == event) & (cls.status == "waitlisted")).order_by(cls.id)

    @classmethod
    def door_list(cls, event):
        """Who is coming (or came), by name."""
        return (cls.select().where((cls.event == event) & (cls.status == "confirmed"))
                .order_by(fn.LOWER(cls.name), cls.id))
