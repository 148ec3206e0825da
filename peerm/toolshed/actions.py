"""The tool actions of the outbox protocol: reserve, lend and take back."""
import babel.dates
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core import clock
from ..outbox.protocol import Actions, NeedsLogin, Result
from . import services

ACTIONS = Actions()


def _day(day):
    """A calendar day as people write it in the page's language ("za 5 dec")."""
    return babel.dates.format_date(day, "EEE d MMM", locale=get_locale())


def _moment(moment):
    """A stored moment as Dutch wall-clock time, written in the page's language."""
    return babel.dates.format_datetime(clock.local(moment), "EEE d MMM HH:mm",
                                       locale=get_locale())


@ACTIONS.handles("tool.reserve", needs_person=True)
def apply_reserve(data, at, person, action_id=None):
    tool = services.find_tool(data.get("tool"))
    hold = services.reserve(person, tool)
    if hold.state == "ready":
        message = _("%(tool)s is reserved for you: pick it up before %(until)s.",
                    tool=tool.local_name, until=_moment(hold.ready_until))
        return Result("applied", "ready", message, str(hold.id))
    return Result("applied", "reserved",
                  _("You are number %(place)d in line for %(tool)s.", place=hold.place(),
                    tool=tool.local_name), str(hold.id))


@ACTIONS.handles("tool.lend", needs_person=True)
def apply_lend(data, at, person, action_id=None):
    tool = services.find_tool(data.get("tool"))
    if person is None:
        raise NeedsLogin()
    borrower = services.find_borrower(data.get("borrower"), tool.initiative)
    loan = services.lend(person, tool, borrower, at, due=data.get("due") or None,
                         rules_version=data.get("rules"), action_id=action_id)
    if loan.flagged:
        return Result("conflict", "flagged",
                      _("%(tool)s was already lent out. Both loans are kept and a coordinator "
                        "will sort it out.", tool=tool.local_name), str(loan.id))
    return Result("applied", "lent",
                  _("%(tool)s is lent to %(name)s until %(due)s.", tool=tool.local_name,
                    name=borrower.display_name, due=_day(loan.due)), str(loan.id))


@ACTIONS.handles("tool.return", needs_person=True)
def apply_return(data, at, person, action_id=None):
    tool = services.find_tool(data.get("tool"))
    services.take_back(person, tool, at, data.get("condition", ""))
    return Result("applied", "returned", _("%(tool)s is back.", tool=tool.local_name), str(tool.id))


# What these actions are called on the outbox page and in the "saved on this phone" answer.
ACTIONS.describe({
    "tool.reserve": _l("Tool reservation"),
    "tool.lend": _l("Lending a tool"),
    "tool.return": _l("Taking back a tool"),
})
