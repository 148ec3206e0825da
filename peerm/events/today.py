"""What of the events needs a person today, on their home: the door lists of the events they
help run that are on today or soon, and their own coming sign-ups."""
import datetime as dt

from flask import url_for
from flask_babel import gettext as _

from ..core import clock
from ..core.part import Card
from ..permissions import can_for_event
from ..web import format_clock, format_day
from .models import Event, Signup

# How far ahead a door list is offered on the home: today and the next day.
DOOR_AHEAD = dt.timedelta(hours=36)
# How many of one's coming sign-ups the card names.
NAMED_SIGNUPS = 2


def today(person):
    if person is None:
        return []
    now = clock.now()
    cards = []
    coming = (Event.select().where((Event.starts_at <= now + DOOR_AHEAD)
                                   & (Event.ends_at >= now) & (Event.kind != "social_talk"))
              .order_by(Event.starts_at))
    for event in coming:
        # Only door lists that may be used now (at a place, not called off, in their window).
        if not event.door_open(now) or not can_for_event(person, "events.door", event):
            continue
        expected = len(list(Signup.door_list(event)))
        cards.append(Card(
            title=_("Door list: %(title)s", title=event.title),
            text=_("%(day)s at %(time)s, %(place)s",
                   day=format_day(event.starts_at, "short"), time=format_clock(event.starts_at),
                   place=event.place),
            url=url_for("events.door", event_id=event.id), count=expected,
            rank=0 if event.starts_at <= now + dt.timedelta(hours=12) else 1))
    mine = list(Signup.select(Signup, Event).join(Event)
                .where((Signup.person == person) & (Signup.status != "cancelled")
                       & (Event.ends_at >= now))
                .order_by(Event.starts_at))
    if mine:
        names = ", ".join(f"{s.event.title} ({format_day(s.event.starts_at, 'short')})"
                          for s in mine[:NAMED_SIGNUPS])
        cards.append(Card(title=_("My sign-ups"), text=names, url=url_for("events.mine"),
                          count=len(mine), rank=2))
    else:
        cards.append(Card(title=_("My sign-ups"),
                          text=_("Nothing coming yet: sign up for an activity."),
                          url=url_for("events.mine"), rank=4))
    return cards
