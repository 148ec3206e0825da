"""The network's events: the national day, seasonal picnics, SocialLabs, Social Talks and local
activities. For now the home page lists what is coming up; sign-ups come with the outbox.

Times are wall-clock times in the Netherlands (Europe/Amsterdam), as people read them on a
poster; they are stored without an offset.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, TextField

from .db import BaseModel
from .initiatives import Initiative
from .web import localized

# The network's clock: events happen in the Netherlands.
NETWORK_TZ = ZoneInfo("Europe/Amsterdam")

EVENT_KINDS = {
    "national_day": _l("National day"),
    "picnic": _l("Seasonal picnic"),
    "sociallab": _l("SocialLab start-up day"),
    "social_talk": _l("Social Talk (online)"),
    "local": _l("Local activity"),
}


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

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def kind_label(self):
        return EVENT_KINDS.get(self.kind, self.kind)

    @classmethod
    def upcoming(cls, now=None, limit=None):
        """Events that have not ended yet, soonest first."""
        now = now or local_now()
        query = (cls.select(cls, Initiative).join(Initiative, join_type=JOIN.LEFT_OUTER)
                 .where(cls.ends_at >= now).order_by(cls.starts_at))
        return query.limit(limit) if limit else query


def local_now():
    """The wall-clock time in the Netherlands now, without an offset, as events are stored."""
    return dt.datetime.now(NETWORK_TZ).replace(tzinfo=None, microsecond=0)
