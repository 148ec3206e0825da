"""The volunteering actions of the outbox protocol: check-in, check-out and expense claims.

On a shared phone at a venue the action names the volunteer (`person`), carries their PIN and
the shared phone's own token (`kiosk`) instead of relying on the phone's session. Before the
action's transaction the server checks that the shared phone's link still works, counts the try
and checks the PIN. A wrong PIN refuses the action, and is kept where the coordinators see it
(made offline, the shift may be real); a PIN locked by too many wrong ones refuses nothing for
good: the action is not recorded, and the phone sends it again later.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core import clock
from ..core.validation import whole_number
from ..initiatives.models import Initiative
from ..outbox.protocol import Actions, NeedsLogin, NotYet, Result
from . import services
from .models import Shift
from .services import VolunteeringError

ACTIONS = Actions()


def _shared_phone(kind):
    """The check before a `kind` ("checkin", "checkout") action from a shared phone: the
    volunteer, by the shared phone's token, their name and their PIN."""
    def check(data, at, person, action_id=None):
        if "pin" not in data:
            return {}
        group = _group_of(data)
        kiosk = services.kiosk_for(data.get("kiosk"), group)
        if data.get("person") in (None, ""):
            raise VolunteeringError(_("Choose your name."), "person_missing")
        try:
            volunteer = services.person_by_pin(data.get("person"), data.get("pin"), group, kiosk)
        except VolunteeringError as error:
            if error.code == "pin_limited":
                raise NotYet(error.message, error.code) from None
            services.refusal_fact(error, action_id, kind, group, kiosk, at, clock.now())
            raise
        return {"volunteer": volunteer}
    return check


def _group_of(data):
    """The group of a check-in, or of the check-in a check-out names."""
    if data.get("checkin"):
        shift = Shift.get_or_none(Shift.checkin_action == str(data["checkin"]).lower())
        if shift is None:
            raise VolunteeringError(_("There is no check-in for this check-out."), "no_checkin")
        return shift.group
    return services.find_group(data.get("group"))


def _who(person, volunteer):
    """The volunteer the action is for: checked by PIN on a shared phone, else the session."""
    if volunteer is not None:
        return volunteer
    if person is None:
        raise NeedsLogin()
    return person


def _clock(moment):
    """A stored moment as Dutch time of day, for a message."""
    return clock.local(moment).strftime("%H:%M")


@ACTIONS.handles("shift.checkin", needs_person=False, before=_shared_phone("checkin"))
def apply_checkin(data, at, person, action_id=None, volunteer=None):
    group = services.find_group(data.get("group"))
    volunteer = _who(person, volunteer)
    shift = services.check_in(volunteer, group, action_id, at, data.get("note", ""),
                              arrived=clock.now())
    return Result("applied", "checked_in",
                  _("%(name)s checked in at %(time)s for %(group)s.", name=volunteer.display_name,
                    time=_clock(at), group=group.local_name), str(shift.id))


@ACTIONS.handles("shift.checkout", needs_person=False, before=_shared_phone("checkout"))
def apply_checkout(data, at, person, action_id=None, volunteer=None):
    if data.get("checkin"):
        shift = Shift.get_or_none(Shift.checkin_action == str(data["checkin"]).lower())
        if shift is None:
            raise VolunteeringError(_("There is no check-in for this check-out."), "no_checkin")
        volunteer = _who(person, volunteer)
        checkin = shift.checkin_action
    else:
        # A shared phone names the group and the volunteer: their open shift there ends.
        group = services.find_group(data.get("group"))
        volunteer = _who(person, volunteer)
        shift = (Shift.select().where((Shift.person == volunteer) & (Shift.group == group)
                                      & (Shift.state == "open"))
                 .order_by(Shift.checkin_at.desc()).first())
        if shift is None:
            raise VolunteeringError(_("There is no check-in for this check-out."), "no_checkin")
        checkin = shift.checkin_action
    shift = services.check_out(volunteer, checkin, at)
    return Result("applied", "checked_out",
                  _("%(name)s checked out at %(time)s, after %(duration)s.",
                    name=volunteer.display_name, time=_clock(shift.checkout_at),
                    duration=duration(shift.minutes)), str(shift.id))


def duration(minutes):
    """A length of time in words: "1 minute", "2 hours", "2 hours and 5 minutes"."""
    hours, minutes = divmod(minutes, 60)
    in_hours = ngettext("%(num)d hour", "%(num)d hours", hours)
    in_minutes = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    if not hours:
        return in_minutes
    if not minutes:
        return in_hours
    return _("%(hours)s and %(minutes)s", hours=in_hours, minutes=in_minutes)


@ACTIONS.handles("expense.claim", needs_person=True)
def apply_claim(data, at, person, action_id=None):
    number = whole_number(data.get("initiative"))
    initiative = Initiative.get_or_none(Initiative.id == number) if number is not None else None
    if initiative is None:
        raise VolunteeringError(_("Choose the co-operative you claim from."), "initiative_unknown")
    over_21 = data.get("over_21")
    if over_21 not in (None, ""):
        over_21 = str(over_21).lower() in ("1", "true", "yes", "ja", "on")
    else:
        over_21 = None
    # `amount_cents` is cents (as the sync contract says); `amount` is euros as typed.
    cents = whole_number(data.get("amount_cents"))
    amount = cents if cents is not None else data.get("amount")
    claim, check = services.submit_claim(
        person, initiative, data.get("kind"), data.get("date"), amount=amount,
        km=data.get("km"), note=data.get("note", ""), receipt=data.get("receipt"),
        over_21=over_21)
    message = _("Your claim of € %(amount)s is submitted.", amount=euros(claim.amount_cents))
    if check.passed:
        message += " " + cap_warning(check)
        return Result("applied", "submitted_over_cap", message, str(claim.id))
    return Result("applied", "submitted", message, str(claim.id))


def euros(cents):
    """An amount as the Dutch write it: 2.200,50."""
    return f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"


def cap_warning(check):
    names = {"hour": _("the hourly cap"), "month": _("the monthly cap"),
             "year": _("the yearly cap")}
    return _("Careful: this goes over %(caps)s of the tax-free volunteer allowance. Then the "
             "whole allowance becomes taxable.",
             caps=", ".join(names[name] for name in check.passed))


# What these actions are called on the outbox page and in the "saved on this phone" answer.
ACTIONS.describe({
    "shift.checkin": _l("Start of work"),
    "shift.checkout": _l("End of work"),
    "expense.claim": _l("Expense claim"),
})
