"""The event actions of the outbox protocol: each turns an action's data into one service call
and says the outcome in the person's words."""
from flask_babel import gettext as _

from ..permissions import can
from ..sync import NeedsLogin, Result, action, stored_ref
from . import services
from .services import EventError


def signup_result(signup):
    """How a sign-up turned out, for the page and for the phone's outbox."""
    if signup.status == "confirmed":
        message = _("You are signed up. Your code is %(code)s: keep it to cancel.",
                    code=signup.code)
        return Result("applied", "confirmed", message, signup.code)
    message = _("The event is full: you are on the waiting list (place %(place)d). Your code is "
                "%(code)s.", place=signup.waitlist_place(), code=signup.code)
    return Result("applied", "waitlisted", message, signup.code)


@action("event.signup")
def apply_signup(data, at, person, action_id=None):
    event = services.find_event(data.get("event"), lock=True)
    signup = services.sign_up(event, data.get("name"), data.get("party_size"),
                              data.get("contact", ""), person=person)
    return signup_result(signup)


@action("event.cancel")
def apply_cancel(data, at, person, action_id=None):
    code = data.get("code")
    if not code and data.get("signup"):
        # The sign-up was made on the phone too: find its code by the sign-up's action id.
        code = stored_ref(data["signup"])
        if not code:
            raise EventError(_("The sign-up to cancel was not made."), "signup_unknown")
    signup = services.cancel(code)
    return Result("applied", "cancelled",
                  _("Your sign-up %(code)s is cancelled.", code=signup.code), signup.code)


@action("event.attend", needs_person=True)
def apply_attend(data, at, person, action_id=None):
    event = services.find_event(data.get("event"), lock=True)
    if not may_check_in(person, event):
        if person is None:
            raise NeedsLogin()
        raise EventError(_("Only volunteers and coordinators can check people in."),
                         "not_allowed")
    code, name = data.get("code"), data.get("name")
    if not code and not name:
        raise EventError(_("Fill in a sign-up code or the name of the person who came."),
                         "attend_empty")
    signup = services.attend(event, code=code, name=None if code else name, at=at)
    return Result("applied", "attended",
                  _("%(name)s is checked in.", name=signup.name), signup.code)


def may_check_in(person, event):
    """Volunteers and coordinators of the event's co-operative (any, for network events)."""
    if person is None:
        return False
    if event.initiative_id is not None:
        return can(person, "events.door", event.initiative)
    return person.is_admin or any(can(person, "events.door", m.initiative)
                                  for m in person.memberships)
