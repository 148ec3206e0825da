"""Events as a part: the events and their sign-ups, the sign-up, cancel and door actions."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.part import Exported, NavItem, Part
from ..permissions import can_for_event
from . import demo, services
from .actions import ACTIONS
from .migrations import MIGRATIONS
from .models import Event, Signup
from .today import today
from .views import bp


def _kept_pages(person):
    upcoming = list(Event.upcoming())
    pages = [(0, url_for("events.index")), (0, url_for("events.mine"))]
    # The pages of the events of the coming months (the list itself holds every event).
    pages += [(1, url_for("events.detail", event_id=event.id)) for event in Event.kept()]
    if person is not None:
        # What this person needs at a door with no signal (only door lists in use: of an
        # event at a place, around its day).
        pages += [(2, url_for("events.door", event_id=event.id)) for event in upcoming
                  if event.door_open() and can_for_event(person, "events.door", event)]
    return pages


def _housekeeping(now):
    return {"old contact details": services.forget_old_contacts(now)}


PART = Part(
    name="events",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(Event, Signup),
    actions=ACTIONS,
    kept_pages=_kept_pages,
    exported={"signup": Exported(about=("person",))},
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    today=today,
    nav=(NavItem("events.index", _l("Events"), icon="calendar", place="bar", order=30,
                 active="events"),),
    scripts=("events.js",),
    styles=("events.css",),
)
