"""What of the tool library needs a person today, on their home: the counter of the tool
libraries they lend at, the management of those they coordinate, their own loans and
reservations."""
from flask import url_for
from flask_babel import gettext as _

from ..core import clock
from ..core.part import Card
from ..permissions import can, managed_initiatives
from .models import Hold, Loan, Tool


def _with_tools(initiatives):
    return [i for i in initiatives if Tool.select().where(Tool.initiative == i).exists()]


def today(person):
    if person is None:
        return []
    cards = []
    mine = {m.initiative_id: m.initiative for m in person.memberships}
    # The counter: for who lends tools in their own co-operatives.
    for initiative in _with_tools(mine.values()):
        if not can(person, "tools.counter", initiative):
            continue
        lent = (Loan.select().join(Tool).where((Tool.initiative == initiative)
                                               & Loan.returned_at.is_null()).count())
        cards.append(Card(title=_("Counter of %(name)s", name=initiative.name),
                          text=_("Lend and take back tools, also without signal."),
                          url=url_for("toolshed.counter", slug=initiative.slug),
                          count=lent, rank=1))
    # Managing: overdue loans and loans lent twice wait for a coordinator.
    for initiative in _with_tools(managed_initiatives(person)):
        if not can(person, "tools.manage", initiative):
            continue
        waiting = (len(list(Loan.overdue(initiative, clock.today())))
                   + len(list(Loan.conflicts(initiative))))
        cards.append(Card(title=_("Tool library of %(name)s", name=initiative.name),
                          text=_("Overdue loans, clashes, tools and lending rules."),
                          url=url_for("toolshed.manage", slug=initiative.slug),
                          count=waiting or None, rank=1 if waiting else 4))
    loans = Loan.select().where((Loan.borrower == person) & Loan.returned_at.is_null()).count()
    holds = Hold.select().where((Hold.person == person)
                                & Hold.state.in_(["waiting", "ready"])).count()
    if loans or holds:
        cards.append(Card(title=_("My loans and reservations"),
                          text=_("%(loans)d on loan, %(holds)d reserved", loans=loans,
                                 holds=holds),
                          url=url_for("toolshed.mine"), count=loans + holds, rank=2))
    return cards
