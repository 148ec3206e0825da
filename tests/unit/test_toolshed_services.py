"""The tool library's services: holds in order of arrival with pickup windows, loans with due
dates from the category, renewals, pausing (never fining) borrowers with an overdue tool, a tool
lent twice while counters were offline (kept, flagged, sorted out by a coordinator), returns in
any condition, repairs, and versioned lending rules. Each asserts the stable `code` of an error.

Everything runs on SQLite and PostgreSQL in the demo world of talent-in-actie: Jan coordinates,
Anouk volunteers at the counter, Els is a member; Kees belongs to other co-operatives. The demo
tools have lending rules of version 1 that nobody has accepted yet.
"""
import datetime as dt
import uuid

import pytest

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.outbox.protocol import apply
from peerm.toolshed import services
from peerm.toolshed.models import Hold, LendingRules, Loan, RulesAcceptance, Tool
from peerm.toolshed.services import ToolshedError

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)
SLUG = "talent-in-actie"


@pytest.fixture
def ctx(app):
    """A request context (services use gettext) with an open connection."""
    with app.test_request_context(), db.connection_context():
        yield


def person(name):
    return Person.by_email(f"{name}@peerm.example")


def tool(name):
    return Tool.get(Tool.name == name)


def reload(row):
    return type(row).get_by_id(row.id)


def lend(name, borrower, at=None, counter="anouk", rules_version=1, **kwargs):
    """Lend the demo tool of this name at the counter, the current rules accepted."""
    return services.lend(person(counter), tool(name), person(borrower), at or clock.now(),
                         rules_version=rules_version, **kwargs)


def error_code(call, *args, **kwargs):
    with pytest.raises(ToolshedError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def states(holds):
    return [reload(h).state for h in holds]


# Holds -------------------------------------------------------------------------------------

def test_reserve_makes_free_tool_ready_for_first_and_queues_the_rest(ctx):
    now = clock.now()
    drill = tool("Boormachine")
    holds = [services.reserve(person(name), drill, now + n * SECOND)
             for n, name in enumerate(("els", "anouk", "jan"))]
    assert states(holds) == ["ready", "waiting", "waiting"]
    assert [reload(h).place() for h in holds] == [1, 2, 3]
    first = reload(holds[0])
    assert (first.ready_at, first.ready_until) == (now, now + services.PICKUP_DAYS * DAY)
    # The pickup window lasts three days; after that the next in line gets its own window.
    assert services.expire_holds(now + 3 * DAY) == []
    later = now + 3 * DAY + SECOND
    assert [h.id for h in services.expire_holds(later)] == [holds[0].id]
    assert states(holds) == ["expired", "ready", "waiting"]
    second = reload(holds[1])
    assert (second.ready_at, second.ready_until) == (later, later + 3 * DAY)
    assert [reload(h).place() for h in holds] == [None, 1, 2]


def test_take_back_makes_tool_ready_for_first_waiting_hold(ctx):
    lend("Ladder", "els", counter="jan")
    ladder = tool("Ladder")
    anouk = services.reserve(person("anouk"), ladder)
    jan = services.reserve(person("jan"), ladder)
    assert states([anouk, jan]) == ["waiting", "waiting"]      # the ladder is out
    services.take_back(person("jan"), ladder, clock.now(), "good")
    assert states([anouk, jan]) == ["ready", "waiting"]
    assert reload(anouk).ready_until is not None
    lend("Ladder", "anouk", counter="jan")
    assert states([anouk, jan]) == ["collected", "waiting"]
    assert reload(jan).place() == 1


def test_take_back_gives_tool_to_ready_hold_when_someone_else_borrowed_it_meanwhile(ctx):
    now = clock.now()
    drill = tool("Boormachine")
    hold = services.reserve(person("anouk"), drill, now)
    assert hold.state == "ready"
    lend("Boormachine", "els", counter="jan")       # the counter handed it to Els regardless
    services.expire_holds(now + 4 * DAY)
    services.take_back(person("jan"), tool("Boormachine"), clock.now(), "good")
    assert reload(hold).state == "ready"


def test_reserve_refuses_when_limit_twice_outsider_or_retired(ctx):
    els = person("els")
    held = [services.reserve(els, tool(name))
            for name in ("Boormachine", "Decoupeerzaag", "Schuurmachine")]
    assert len(held) == services.MAX_HOLDS
    assert error_code(services.reserve, els, tool("Heggenschaar")) == "too_many_holds"
    assert error_code(services.reserve, els, tool("Boormachine")) == "already_reserved"
    assert error_code(services.reserve, person("kees"), tool("Ladder")) == "not_member"
    services.retire(person("jan"), tool("Steiger"))
    assert error_code(services.reserve, person("anouk"), tool("Steiger")) == "tool_retired"
    assert Hold.select().count() == 3
    # Giving up a place makes room for another reservation.
    services.cancel_hold(els, held[0])
    assert services.reserve(els, tool("Heggenschaar")).state == "ready"


# Loans -------------------------------------------------------------------------------------

def test_lend_takes_due_date_from_category_and_checks_explicit_due(ctx):
    now = clock.now()
    today = now.date()
    hedge = lend("Heggenschaar", "els", at=now)
    drill = lend("Boormachine", "els", at=now)
    assert (hedge.due, drill.due) == (today + 14 * DAY, today + 7 * DAY)
    assert (reload(hedge).lent_by_id, reload(hedge).lent_at) == (person("anouk").id, now)
    assert tool("Heggenschaar").status == "on_loan"
    assert error_code(lend, "Ladder", "els", due=today - DAY) == "due_past"
    assert error_code(lend, "Ladder", "els",
                      due=str(today + (services.MAX_LOAN_DAYS + 1) * DAY)) == "due_too_far"
    assert error_code(lend, "Ladder", "els", due="volgende week") == "due_invalid"
    assert tool("Ladder").status == "available"
    assert lend("Ladder", "els", due=str(today + 3 * DAY)).due == today + 3 * DAY


def test_renew_only_when_nobody_waits_and_at_most_twice(ctx):
    els = person("els")
    today = clock.now().date()
    loan = lend("Grasmaaier", "els")
    waiting = services.reserve(person("jan"), tool("Grasmaaier"))
    assert error_code(services.renew, els, loan, today) == "someone_waits"
    assert reload(loan).due == today + 14 * DAY
    services.cancel_hold(person("jan"), waiting)
    assert error_code(services.renew, person("anouk"), reload(loan), today) == "not_renewable"
    services.renew(els, reload(loan), today)
    services.renew(els, reload(loan), today)
    renewed = reload(loan)
    assert (renewed.due, renewed.renewals) == (today + 42 * DAY, services.MAX_RENEWALS)
    assert error_code(services.renew, els, renewed, today) == "too_many_renewals"


def test_lend_pauses_borrower_with_overdue_loan_until_it_comes_back(ctx):
    now = clock.now()
    overdue = lend("Ladder", "els", at=now - 10 * DAY)          # due three days ago
    assert services.is_paused(person("els"), now.date())
    assert error_code(lend, "Boormachine", "els", at=now) == "borrower_paused"
    assert Loan.select().count() == 1
    assert tool("Boormachine").status == "available"
    services.take_back(person("anouk"), tool("Ladder"), now, "good")
    # Back late: no fine, nothing owed; the next loan simply works again.
    assert not services.is_paused(person("els"), now.date())
    assert lend("Boormachine", "els", at=now).borrower_id == person("els").id
    assert reload(overdue).returned_at == now


def test_lend_and_take_back_refuse_when_impossible(ctx):
    jan, anouk = person("jan"), person("anouk")
    services.retire(jan, tool("Steiger"))
    assert error_code(lend, "Steiger", "els") == "tool_retired"
    assert error_code(services.take_back, anouk, tool("Ladder"), clock.now()) == "not_out"
    assert error_code(lend, "Ladder", "els", counter="els") == "not_allowed"
    assert error_code(lend, "Ladder", "els", counter="fatima") == "not_allowed"
    assert error_code(services.find_tool, "ZZZZZ") == "tool_unknown"
    assert error_code(services.find_tool, 999_999) == "tool_unknown"
    ladder = tool("Ladder")
    assert services.find_tool(ladder.code.lower()).id == ladder.id
    assert services.find_tool(str(ladder.id)).id == ladder.id
    talent = Initiative.get(Initiative.slug == SLUG)
    assert error_code(services.find_borrower, person("kees").id, talent) == "borrower_unknown"
    assert Loan.select().count() == 0


def act(action_type, data):
    return {"id": str(uuid.uuid4()), "type": action_type,
            "at": dt.datetime.now(clock.NETWORK_TZ).replace(microsecond=0).isoformat(), "data": data}


def test_sync_lend_twice_flags_both_loans_and_return_closes_both(ctx):
    anouk, jan = person("anouk"), person("jan")
    ladder = tool("Ladder")
    first = apply(act("tool.lend", {"tool": ladder.code, "borrower": person("els").id,
                                    "rules": 1}), anouk)
    assert (first.status, first.outcome) == ("applied", "lent")
    # Another counter, offline, handed the same ladder to Jan: a fact, kept and flagged.
    second = apply(act("tool.lend", {"tool": ladder.code.lower(), "borrower": str(jan.id),
                                     "rules": "1"}), anouk)
    assert (second.status, second.outcome) == ("conflict", "flagged")
    loans = list(Loan.select().where(Loan.tool == ladder).order_by(Loan.id))
    assert [(str(loan.id), loan.flagged) for loan in loans] == [(first.ref, True),
                                                                 (second.ref, True)]
    talent = Initiative.get(Initiative.slug == SLUG)
    assert len(list(Loan.conflicts(talent))) == 2
    back = apply(act("tool.return", {"tool": ladder.code, "condition": "fair"}), anouk)
    assert (back.status, back.outcome) == ("applied", "returned")
    assert [reload(loan).returned_at is not None for loan in loans] == [True, True]
    assert (tool("Ladder").status, tool("Ladder").condition) == ("available", "fair")
    again = apply(act("tool.return", {"tool": ladder.code}), anouk)
    assert (again.status, again.outcome) == ("rejected", "not_out")
    unknown = apply(act("tool.lend", {"tool": "ZZZZZ", "borrower": jan.id}), anouk)
    assert (unknown.status, unknown.outcome) == ("rejected", "tool_unknown")
    # A coordinator sorts the clash out, with a note, for every flagged loan of the tool.
    assert error_code(services.resolve_conflict, anouk, loans[0], "Jan had hem") == "not_allowed"
    assert error_code(services.resolve_conflict, jan, loans[0], "  ") == "note_missing"
    services.resolve_conflict(jan, loans[1], "  Jan leende hem; Els kreeg de andere. ")
    assert [(reload(loan).resolved_at is not None, reload(loan).resolution) for loan in loans] == [
        (True, "Jan leende hem; Els kreeg de andere.")] * 2
    assert list(Loan.conflicts(talent)) == []


def test_broken_return_goes_to_repair_and_repaired_tool_goes_to_next_hold(ctx):
    jan = person("jan")
    lend("Schuurmachine", "els")
    sander = tool("Schuurmachine")
    waiting = services.reserve(person("anouk"), sander)
    services.take_back(person("anouk"), sander, clock.now(), "broken")
    broken = tool("Schuurmachine")
    assert (broken.status, broken.condition) == ("in_repair", "broken")
    assert reload(waiting).state == "waiting"                 # nothing to pick up yet
    assert error_code(services.mark_repaired, person("anouk"), broken) == "not_allowed"
    told = services.mark_repaired(jan, broken)
    assert told.id == waiting.id
    repaired = tool("Schuurmachine")
    assert (repaired.status, repaired.condition, repaired.repair_note) == ("available", "good", "")
    assert reload(waiting).state == "ready"
    assert error_code(services.mark_repaired, jan, repaired) == "not_in_repair"


def test_lend_needs_new_rules_version_accepted_at_counter(ctx):
    jan, els = person("jan"), person("els")
    talent = Initiative.get(Initiative.slug == SLUG)
    assert error_code(services.publish_rules, person("anouk"), talent, "Nieuw") == "not_allowed"
    assert error_code(services.publish_rules, jan, talent, "   ") == "rules_missing"
    rules = services.publish_rules(jan, talent, " Schoon terugbrengen. ", "Bring it back clean.")
    assert (rules.version, LendingRules.current(talent).id) == (2, rules.id)
    assert error_code(lend, "Boormachine", "els", rules_version=None) == "rules_not_accepted"
    assert error_code(lend, "Boormachine", "els", rules_version="1") == "rules_not_accepted"
    assert Loan.select().count() == 0
    lend("Boormachine", "els", rules_version="2")
    assert RulesAcceptance.select().where((RulesAcceptance.person == els)
                                          & (RulesAcceptance.rules == rules)).count() == 1
    assert services.rules_accepted(els, talent)
    # Accepted once, the next loan needs no box ticked.
    assert lend("Ladder", "els", rules_version=None).borrower_id == els.id
