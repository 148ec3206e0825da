"""The event actions of the outbox protocol: each turns an action's data into one service call
and says the outcome in the person's words."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..outbox.protocol import Actions, NeedsLogin, Result
from ..permissions import can_for_event
from . import services
from .services import EventError

ACTIONS = Actions()


def signup_result(signup):
    """How a sign-up turned out, for the page and for the phone's outbox."""
    if signup.status == "confirmed":
        message = _("You are signed up. Your code is %(code)s: keep it to cancel.",
                    code=signup.code)
        return Result("applied", "confirmed", message, signup.code)
    message = _("The event is full: you are on the waiting list (place %(place)d). Your code is "
                "%(code)s.", place=signup.waitlist_place(), code=signup.code)
    return Result("applied", "waitlisted", message, signup.code)


@ACTIONS.handles("event.signup")
def apply_signup(data, at, person, action_id=None):
    event = services.find_event(data.get("event"), lock=True)
    signup = services.sign_up(event, data.get("name"), data.get("party_size"),
                              data.get("contact", ""), person=person)
    return signup_result(signup)


@ACTIONS.handles("event.cancel")
def apply_cancel(data, at, person, action_id=None):
    if not data.get("code") and data.get("signup"):
        # The sign-up was made on this phone, which names it by the action id it gave it.
        signup = services.signup_of_action(data["signup"])
        if signup is None:
            raise EventError(_("The sign-up to cancel was not made."), "signup_unknown")
        code = signup.code
    else:
        try:
            code = services.check_code(data.get("code"), data.get("name"), person,
                                       _address())
        except services.WrongCode as error:
            # Refused, but this transaction commits: the wrong guess must stay counted.
            return Result("rejected", error.code, error.message)
    signup = services.cancel(code)
    return Result("applied", "cancelled",
                  _("Your sign-up %(code)s is cancelled.", code=signup.code), signup.code)


def _address():
    """Where the request comes from (the client's address, behind a trusted proxy), to count
    wrong codes by; None outside a request."""
    from flask import has_request_context, request

    return request.remote_addr if has_request_context() else None


@ACTIONS.handles("event.attend", needs_person=True)
def apply_attend(data, at, person, action_id=None):
    event = services.find_event(data.get("event"), lock=True)
    if not can_for_event(person, "events.door", event):
        if person is None:
            raise NeedsLogin()
        raise EventError(_("Only volunteers and coordinators can check people in."),
                         "not_allowed")
    if event.is_online:
        raise EventError(_("An online event has no door list."), "door_online")
    if not event.door_open(at):
        raise EventError(_("Check-in at the door is possible from a day before the event until "
                           "three hours after the end."), "door_closed")
    code, name = data.get("code"), data.get("name")
    if not code and not name:
        raise EventError(_("Fill in a sign-up code or the name of the person who came."),
                         "attend_empty")
    signup = services.attend(event, code=code, name=None if code else name, at=at)
    return Result("applied", "attended",
                  _("%(name)s is checked in.", name=signup.name), signup.code)


# What these actions are called on the outbox page and in the "saved on this phone" answer.
ACTIONS.describe({
    "event.signup": _l("Sign-up"),
    "event.cancel": _l("Cancelled sign-up"),
    "event.attend": _l("Arrival at the door"),
})
