"""Events' routes."""
from peerm.events.models import Event
from peerm.events.services import sign_up

from . import COORDINATORS, EVERYONE, WORKERS

ROUTE_ARGUMENTS = {
    "events.detail": lambda world: {"event_id": world["event_id"]},
    "events.door": lambda world: {"event_id": world["event_id"]},
    "events.signups": lambda world: {"event_id": world["event_id"]},
    "events.ics": lambda world: {"event_id": world["event_id"]},
    "events.edit": lambda world: {"event_id": world["event_id"]},
    "events.cancel_event": lambda world: {"event_id": world["event_id"]},
}
LOGGED_IN_ONLY = {"events.door", "events.signups", "events.new", "events.edit",
                  "events.cancel_event"}
NOT_HTML = {"events.ics": "text/calendar", "events.feed": "text/calendar",
            "events.codes": "application/json"}
MATRIX = {
    "events.signup": (EVERYONE, {"name": "Fatima", "party_size": "1"}),
    "events.cancel": (EVERYONE, {"code": "{code}"}),
    "events.attend": (WORKERS, {"name": "Binnenloper"}),
    "events.recording": (COORDINATORS, {"recording_url": "https://example.org/opname"}),
    "events.new": (COORDINATORS, {"initiative": "lucas-community", "kind": "local",
                                  "title_nl": "Buurtsoep", "summary_nl": "Soep voor iedereen.",
                                  "place": "Rotterdam", "starts_at": "2099-05-01T12:00",
                                  "ends_at": "2099-05-01T14:00"}),
    "events.edit": (COORDINATORS, {"kind": "local", "title_nl": "Samen koken",
                                   "summary_nl": "Koken en eten.", "place": "Rotterdam",
                                   "starts_at": "2099-05-01T12:00",
                                   "ends_at": "2099-05-01T14:00", "capacity": "40"}),
    "events.cancel_event": (COORDINATORS, {}),
}


def walk_world(base):
    return {"event_id": Event.upcoming().first().id}


def permission_world(person, lucas, now):
    event = Event.get(Event.seed_key == "lucas-samen-koken")
    signup = sign_up(event, "Iemand", 1)
    return {"event_id": event.id}, {"code": signup.code}
