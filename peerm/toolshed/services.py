"""What happens in the tool library: reserve, lend at the counter, take back, renew, repair, and
sort out loans that clashed while counters were offline. Services run in the caller's
transaction and raise `ToolshedError` with a stable code.

Two rules from the outbox protocol meet here: a loan or a return recorded offline is a fact and
is accepted (a tool lent twice is kept twice and flagged for a coordinator); a hold is a claim
on a scarce thing, decided in order of arrival.

Each service first locks what its checks count or read before they write (on PostgreSQL; on
SQLite the caller's write transaction already runs alone): a person before a tool, tools in
the order of their ids, so that two services never wait for each other. A person's row guards
their holds, loans and acceptances; a tool's row guards its queue and its loans; a
co-operative's row guards the numbering of its lending rules.
"""
import datetime as dt
import secrets

from flask_babel import gettext as _
from peewee import IntegrityError

from ..accounts.models import Membership, Person
from ..core import clock
from ..core.db import db, locked
from ..core.errors import DomainError
from ..core.validation import text, whole_number
from ..initiatives.models import Initiative
from ..permissions import can
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CONDITIONS,
    Category,
    Hold,
    LendingRules,
    Loan,
    RulesAcceptance,
    Tool,
)

# How long the first in line may take to pick up a tool that came back.
PICKUP_DAYS = 3
# Holds one member may have open at once.
MAX_HOLDS = 3
# Times a member may renew a loan themselves.
MAX_RENEWALS = 2
# The latest due date the counter may give.
MAX_LOAN_DAYS = 90


class ToolshedError(DomainError):
    """A request about tools that cannot be done."""


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def find_tool(ref):
    """A tool by its id or by the code on its label."""
    tool = None
    number = whole_number(ref)
    code = (text(ref) or "").strip() if number is None else str(number)
    if number is not None:
        tool = Tool.get_or_none(Tool.id == number)
    elif code:
        tool = Tool.get_or_none(Tool.code == code.upper())
    if tool is None:
        raise ToolshedError(_("There is no tool with the code %(code)s.", code=code[:20]),
                            "tool_unknown")
    return tool


def _lock_person(person):
    """The person, read again with their row locked until the transaction ends."""
    return locked(Person.select().where(Person.id == person.id)).get()


def _lock_tool(tool):
    """The tool, read again with its row locked until the transaction ends."""
    return locked(Tool.select().where(Tool.id == tool.id)).get()


def _one_line(value, length):
    return " ".join(str(value or "").split())[:length]


def add_tool(initiative, category, name, description="", condition="good", name_en="",
             description_en=""):
    """A tool in the catalogue, named in Dutch and, where given, in English, with a new code."""
    name = _one_line(name, 120)
    if not name:
        raise ToolshedError(_("Give the tool a name."), "name_missing")
    if condition not in CONDITIONS:
        condition = "good"
    for _try in range(5):
        try:
            with db.atomic():
                return Tool.create(initiative=initiative, category=category, code=new_code(),
                                   name=name, name_en=_one_line(name_en, 120) or None,
                                   description=str(description or "").strip()[:2000],
                                   description_en=str(description_en or "").strip()[:2000]
                                   or None,
                                   condition=condition)
        except IntegrityError:
            continue
    raise ToolshedError(_("Please try again."), "code_clash")


# --- holds ----------------------------------------------------------------------------------

def reserve(person, tool, now=None):
    """Join a tool's queue; when the tool is free and nobody waits, it is ready at once."""
    now = now or clock.now()
    if person is None:
        raise ToolshedError(_("Log in to reserve a tool."), "login_needed")
    # The limit counts this person's holds; the queue is the tool's.
    person = _lock_person(person)
    tool = _lock_tool(tool)
    if tool.status == "retired":
        raise ToolshedError(_("This tool is no longer lent out."), "tool_retired")
    if not Membership.select().where((Membership.person == person)
                                     & (Membership.initiative == tool.initiative)).exists():
        raise ToolshedError(_("Only members of %(name)s can reserve its tools.",
                              name=tool.initiative.name), "not_member")
    mine = Hold.select().where((Hold.person == person) & Hold.state.in_(["waiting", "ready"]))
    if mine.where(Hold.tool == tool).exists():
        raise ToolshedError(_("You have already reserved this tool."), "already_reserved")
    if mine.count() >= MAX_HOLDS:
        raise ToolshedError(_("You can reserve at most %(max)d tools at a time.", max=MAX_HOLDS),
                            "too_many_holds")
    hold = Hold.create(tool=tool, person=person, created_at=now)
    if tool.status == "available":
        offer_next(tool, now)
        hold = Hold.get_by_id(hold.id)
    return hold


def offer_next(tool, now=None):
    """Give the first in line a pickup window, if the tool is free and nobody has one yet (the
    caller holds the tool's lock)."""
    now = now or clock.now()
    if tool.status != "available":
        return None
    queue = list(Hold.queue(tool))
    if not queue or any(h.state == "ready" for h in queue):
        return None
    first = queue[0]
    first.state = "ready"
    first.ready_at = now
    first.ready_until = now + dt.timedelta(days=PICKUP_DAYS)
    first.save()
    return first


def expire_holds(now=None):
    """Holds whose pickup window passed make way for the next in line."""
    now = now or clock.now()
    passed = (Hold.state == "ready") & (Hold.ready_until < now)
    tool_ids = sorted({hold.tool_id for hold in Hold.select(Hold.tool).where(passed)})
    expired = []
    for tool_id in tool_ids:
        tool = _lock_tool(Tool(id=tool_id))
        # Read again under the lock: another request may have passed them on already.
        for hold in Hold.select().where(passed & (Hold.tool == tool_id)):
            hold.state = "expired"
            hold.save()
            expired.append(hold)
        offer_next(tool, now)
    return expired


def cancel_hold(person, hold, now=None):
    """Give up a place in a tool's queue; the next in line may get the tool."""
    tool = _lock_tool(Tool(id=hold.tool_id))
    hold = Hold.get_by_id(hold.id)
    if hold.person_id != person.id or hold.state not in ("waiting", "ready"):
        raise ToolshedError(_("This reservation cannot be cancelled."), "hold_closed")
    hold.state = "cancelled"
    hold.save()
    offer_next(tool, now)
    return hold


# --- lending at the counter ---------------------------------------------------------------

def may_counter(person, initiative):
    return person is not None and can(person, "tools.counter", initiative)


def is_paused(person, today=None):
    """Whether a borrower has a loan past its due date: then no new loans (never a fine)."""
    today = today or clock.today()
    return Loan.select().where((Loan.borrower == person) & Loan.returned_at.is_null()
                               & (Loan.due < today)).exists()


def rules_accepted(person, initiative):
    rules = LendingRules.current(initiative)
    if rules is None:
        return True
    return RulesAcceptance.select().where((RulesAcceptance.person == person)
                                          & (RulesAcceptance.rules == rules)).exists()


def accept_rules(person, rules, now=None):
    """Record that a borrower accepted this version of the lending rules (once)."""
    person = _lock_person(person)
    if not RulesAcceptance.select().where((RulesAcceptance.person == person)
                                          & (RulesAcceptance.rules == rules)).exists():
        RulesAcceptance.create(person=person, rules=rules, accepted_at=now or clock.now())


def find_borrower(ref, initiative):
    number = whole_number(ref)
    person = Person.get_or_none(Person.id == number) if number is not None else None
    if person is None or person.is_erased or not Membership.select().where(
            (Membership.person == person) & (Membership.initiative == initiative)).exists():
        raise ToolshedError(_("Choose a member of %(name)s to lend to.", name=initiative.name),
                            "borrower_unknown")
    return person


def lend(volunteer, tool, borrower, at, due=None, rules_version=None, action_id=None):
    """Hand a tool over at the counter. Returns the loan; `loan.flagged` when it clashed."""
    if not may_counter(volunteer, tool.initiative):
        raise ToolshedError(_("Only volunteers of %(name)s can lend its tools.",
                              name=tool.initiative.name), "not_allowed")
    # Whether the borrower may borrow counts their loans; whether the tool is out, its loans.
    borrower = _lock_person(borrower)
    tool = _lock_tool(tool)
    if tool.status == "retired":
        raise ToolshedError(_("This tool is retired and cannot be lent."), "tool_retired")
    today = clock.local(at).date()
    if is_paused(borrower, today):
        raise ToolshedError(_("%(name)s still has a tool past its due date. Bring that back "
                              "first, then borrow again.", name=borrower.display_name),
                            "borrower_paused")
    rules = LendingRules.current(tool.initiative)
    if rules is not None and not rules_accepted(borrower, tool.initiative):
        if str(rules_version or "") != str(rules.version):
            raise ToolshedError(_("%(name)s must accept the lending rules (version %(version)d) "
                                  "first.", name=borrower.display_name, version=rules.version),
                                "rules_not_accepted")
        accept_rules(borrower, rules, clock.now())
    if due in (None, ""):
        due_date = today + dt.timedelta(days=tool.category.loan_days)
    else:
        try:
            due_date = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
        except ValueError:
            raise ToolshedError(_("The due date cannot be read."), "due_invalid") from None
        if due_date < today:
            raise ToolshedError(_("The due date is in the past."), "due_past")
        if due_date > today + dt.timedelta(days=MAX_LOAN_DAYS):
            raise ToolshedError(_("A loan lasts at most %(days)d days.", days=MAX_LOAN_DAYS),
                                "due_too_far")
    # A fact: the tool was handed over. If it was already out, keep both and flag them.
    already_out = list(Loan.open_of_tool(tool))
    loan = Loan.create(tool=tool, borrower=borrower, lent_by=volunteer, action_id=action_id,
                       lent_at=at, due=due_date, flagged=bool(already_out))
    for other in already_out:
        if not other.flagged:
            other.flagged = True
            other.save()
    tool.status = "on_loan"
    tool.save()
    for hold in Hold.queue(tool):
        if hold.person_id == borrower.id:
            hold.state = "collected"
        elif hold.state == "ready":
            # Lent to someone else meanwhile: the reserver waits again, first in line, and
            # gets a fresh pickup window when the tool comes back.
            hold.state = "waiting"
            hold.ready_at = hold.ready_until = None
        hold.save()
    return loan


def take_back(volunteer, tool, at, condition=""):
    """A tool came back: every open loan of it ends, and the next in line may pick it up."""
    if not may_counter(volunteer, tool.initiative):
        raise ToolshedError(_("Only volunteers of %(name)s can take tools back.",
                              name=tool.initiative.name), "not_allowed")
    tool = _lock_tool(tool)
    open_loans = list(Loan.open_of_tool(tool))
    if not open_loans:
        raise ToolshedError(_("%(name)s (%(code)s) is not lent out.", name=tool.local_name,
                              code=tool.code), "not_out")
    condition = condition if condition in CONDITIONS else ""
    for loan in open_loans:
        loan.returned_at = at
        loan.return_condition = condition
        loan.save()
    if condition:
        tool.condition = condition
    if condition == "broken":
        tool.status = "in_repair"
        tool.repair_note = _("Came back broken.")
    else:
        tool.status = "available"
    tool.save()
    offer_next(tool, clock.now())
    return open_loans


def renew(person, loan, today=None):
    """A member lends a tool a while longer, when nobody waits for it."""
    today = today or clock.today()
    # The tool's lock orders renewals and reservations of it; the loan is read under it.
    tool = _lock_tool(Tool(id=loan.tool_id))
    loan = Loan.get_by_id(loan.id)
    if loan.borrower_id != person.id or not loan.is_open:
        raise ToolshedError(_("This loan cannot be renewed."), "not_renewable")
    if Hold.queue(tool).exists():
        raise ToolshedError(_("Someone is waiting for this tool, so it cannot be renewed."),
                            "someone_waits")
    if loan.renewals >= MAX_RENEWALS:
        raise ToolshedError(_("You have renewed this loan %(max)d times already.",
                              max=MAX_RENEWALS), "too_many_renewals")
    loan.due = max(loan.due, today) + dt.timedelta(days=tool.category.loan_days)
    loan.renewals += 1
    loan.save()
    return loan


# --- coordinators ---------------------------------------------------------------------------

def mark_in_repair(coordinator, tool, note):
    """Take a tool out of lending until it is mended."""
    _may_manage(coordinator, tool)
    tool = _lock_tool(tool)
    if tool.status == "on_loan":
        raise ToolshedError(_("Take the tool back first."), "on_loan")
    tool.status = "in_repair"
    tool.repair_note = str(note or "")[:1000]
    tool.save()
    return tool


def mark_repaired(coordinator, tool, now=None):
    """A mended tool is lent again; the first in line may pick it up."""
    _may_manage(coordinator, tool)
    tool = _lock_tool(tool)
    if tool.status != "in_repair":
        raise ToolshedError(_("This tool is not in repair."), "not_in_repair")
    tool.status = "available"
    tool.repair_note = ""
    tool.condition = "good"
    tool.save()
    return offer_next(tool, now)


def retire(coordinator, tool):
    """A tool leaves the library for good; whoever waited for it is told by their holds."""
    _may_manage(coordinator, tool)
    tool = _lock_tool(tool)
    if tool.status == "on_loan":
        raise ToolshedError(_("Take the tool back first."), "on_loan")
    tool.status = "retired"
    tool.save()
    for hold in Hold.queue(tool):
        hold.state = "cancelled"
        hold.save()
    return tool


def resolve_conflict(coordinator, loan, note):
    """A coordinator sorts out a flagged loan, with a note of what really happened."""
    _may_manage(coordinator, loan.tool)
    if not str(note or "").strip():
        raise ToolshedError(_("Write down what really happened."), "note_missing")
    _lock_tool(Tool(id=loan.tool_id))
    for other in Loan.select().where((Loan.tool == loan.tool) & Loan.flagged
                                     & Loan.resolved_at.is_null()):
        other.resolved_at = clock.now()
        other.resolution = str(note).strip()[:1000]
        other.save()
    return loan


def publish_rules(coordinator, initiative, text_nl, text_en=""):
    """Publish the next version of a co-operative's lending rules."""
    if not can(coordinator, "tools.manage", initiative):
        raise ToolshedError(_("Only coordinators can change the lending rules."), "not_allowed")
    if not str(text_nl or "").strip():
        raise ToolshedError(_("Write the rules."), "rules_missing")
    # Two coordinators saving at once take turns here, so each gets a version of its own.
    locked(Initiative.select(Initiative.id).where(Initiative.id == initiative.id)).get()
    current = LendingRules.current(initiative)
    return LendingRules.create(initiative=initiative, version=(current.version + 1) if current else 1,
                               text_nl=text_nl.strip()[:5000], text_en=str(text_en or "").strip()[:5000])


def _may_manage(coordinator, tool):
    if not can(coordinator, "tools.manage", tool.initiative):
        raise ToolshedError(_("Only coordinators can do this."), "not_allowed")


def add_category(coordinator, initiative, name, loan_days, name_en=""):
    """A category of tools, with how long its loans last, named in Dutch and maybe English."""
    if not can(coordinator, "tools.manage", initiative):
        raise ToolshedError(_("Only coordinators can do this."), "not_allowed")
    name = _one_line(name, 80)
    days = whole_number(loan_days) or 0
    if not name or not 1 <= days <= MAX_LOAN_DAYS:
        raise ToolshedError(_("Give the category a name and a loan time of 1 to %(max)d days.",
                              max=MAX_LOAN_DAYS), "category_invalid")
    return Category.create(initiative=initiative, name=name,
                           name_en=_one_line(name_en, 80) or None, loan_days=days)


# --- erasure --------------------------------------------------------------------------------

def erase_person(person, needles):
    """What erasing a person means for the tool library: holds and accepted rules go; loans
    stay as facts of the library's stock, without their name in the coordinator's notes."""
    from ..core.validation import without

    Hold.delete().where(Hold.person == person).execute()
    RulesAcceptance.delete().where(RulesAcceptance.person == person).execute()
    for loan in Loan.select().where((Loan.borrower == person) & (Loan.resolution != "")):
        loan.resolution = without(loan.resolution, needles)
        loan.save()
    return []
