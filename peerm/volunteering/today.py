"""What of volunteering needs a person today, on their home: a coordinator's hours and claims
to approve, a volunteer's open shift (to check out) or the way to check in."""
from flask import url_for
from flask_babel import gettext as _

from ..core.part import Card
from ..permissions import can, managed_initiatives
from ..web import format_clock
from .models import ExpenseClaim, Shift, WorkingGroup


def today(person):
    if person is None:
        return []
    cards = []
    mine = {m.initiative_id for m in person.memberships}
    for initiative in managed_initiatives(person):
        if not can(person, "shifts.approve", initiative):
            continue
        hours = (Shift.select().join(WorkingGroup)
                 .where((WorkingGroup.initiative == initiative)
                        & Shift.state.in_(["closed", "to_confirm"])
                        & (Shift.person != person)).count())
        claims = ExpenseClaim.select().where((ExpenseClaim.initiative == initiative)
                                             & (ExpenseClaim.state == "submitted")
                                             & (ExpenseClaim.person != person)).count()
        if initiative.id not in mine and not (hours or claims or WorkingGroup.of(initiative).exists()):
            continue  # an administrator: the co-operatives that have volunteering
        cards.append(Card(
            title=_("Volunteering of %(name)s", name=initiative.name),
            text=(_("To approve: hours of %(hours)d shifts, %(claims)d claims", hours=hours,
                    claims=claims) if hours or claims
                  else _("Nothing to approve. Working groups, allowance and hours.")),
            url=url_for("volunteering.manage", slug=initiative.slug),
            count=(hours + claims) or None, rank=1 if hours or claims else 4))
    works = any(m.role != "member" for m in person.memberships)
    shift = Shift.open_of(person).first()
    if shift is not None:
        cards.append(Card(title=_("You are checked in: %(group)s", group=shift.group.name),
                          text=_("Since %(time)s. Stop here when you are done.",
                                 time=format_clock(shift.checkin_at)),
                          url=url_for("volunteering.index"), rank=0))
    elif works:
        cards.append(Card(title=_("Volunteering"),
                          text=_("Start your work here, and claim your costs."),
                          url=url_for("volunteering.index"), rank=3))
    return cards
