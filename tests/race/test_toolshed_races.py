"""Races in the tool library, run for real: many requests at once against the served app (threads
on SQLite, two processes on PostgreSQL), then a look at what the database kept.

Each test names the limit or rule that the requests race for: three open reservations per
member, one version number per published set of lending rules, a tool lent twice flagged,
two renewals per loan, one acceptance of the rules. No request may end in a 5xx.
"""
import datetime as dt
import re

from peerm.accounts.models import Person
from peerm.initiatives.models import Initiative
from peerm.toolshed.models import Hold, LendingRules, Loan, RulesAcceptance, Tool
from peerm.toolshed.services import MAX_HOLDS, MAX_RENEWALS

from .conftest import action, at_once

TALENT = "talent-in-actie"
# A flashed message on a page: class "flash", or "flash flash--error" for a refusal.
FLASH = re.compile(r'<p class="(flash(?: flash--error)?)" role="status">')
# The outcome of an action in the result partial a form answers htmx with.
OUTCOME = re.compile(r'data-outcome="([^"]*)"')


def logged_in(servers, count, email):
    """`count` clients of one person, spread over the app processes."""
    return [servers.client(i).log_in(email) for i in range(count)]


def talent_tools(servers):
    with servers.database():
        talent = Initiative.get(Initiative.slug == TALENT)
        return [tool.id for tool in Tool.select().where(Tool.initiative == talent)
                .order_by(Tool.id)]


def no_server_errors(answers):
    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed


def test_seven_parallel_reservations_by_one_member_leave_no_more_than_three_open_holds(servers):
    tools = talent_tools(servers)[:7]
    assert len(tools) == 7
    clients = logged_in(servers, 7, "els@peerm.example")
    # Half through /sync, as a phone sends them, half through the form.
    tokens = [client.form_token(f"/toolshed/{tool}") for client, tool in zip(clients, tools)]

    def reserve(i):
        if i % 2:
            return clients[i].sync([action("tool.reserve", {"tool": tools[i]})])
        return clients[i].post(f"/toolshed/{tools[i]}/reserve", {"csrf_token": tokens[i]},
                               headers={"HX-Request": "true"})

    answers = at_once(7, reserve)
    no_server_errors(answers)
    with servers.database():
        els = Person.by_email("els@peerm.example")
        open_holds = Hold.select().where((Hold.person == els)
                                         & Hold.state.in_(["waiting", "ready"])).count()
    assert open_holds == MAX_HOLDS
    outcomes = [answer.json()["results"][0]["outcome"] if i % 2
                else OUTCOME.search(answer.text).group(1) for i, answer in enumerate(answers)]
    assert outcomes.count("too_many_holds") == 7 - MAX_HOLDS, outcomes


def test_coordinators_saving_lending_rules_at_once_get_one_version_each(servers):
    count = 6
    clients = (logged_in(servers, count // 2, "jan@peerm.example")
               + logged_in(servers, count // 2, "beheer@peerm.example"))
    manage = f"/toolshed/{TALENT}/manage"
    tokens = [client.form_token(manage) for client in clients]
    with servers.database():
        talent = Initiative.get(Initiative.slug == TALENT)
        before = LendingRules.current(talent).version

    answers = at_once(count, lambda i: clients[i].post(
        f"/toolshed/{TALENT}/rules", {"csrf_token": tokens[i], "text_nl": f"Regels {i}"}))
    no_server_errors(answers)
    assert [a.status for a in answers] == [303] * count
    with servers.database():
        versions = sorted(r.version for r in LendingRules.select()
                          .where(LendingRules.initiative == talent))
        texts = {r.text_nl for r in LendingRules.select().where(LendingRules.version > before)}
    assert versions == list(range(1, before + count + 1))
    assert texts == {f"Regels {i}" for i in range(count)}


def test_two_counters_lending_one_tool_at_once_keep_and_flag_both_loans(servers):
    with servers.database():
        talent = Initiative.get(Initiative.slug == TALENT)
        ladder = Tool.get((Tool.initiative == talent) & (Tool.name == "Ladder"))
        els = Person.by_email("els@peerm.example")
        rules = LendingRules.current(talent)
        RulesAcceptance.create(person=els, rules=rules)
    counters = logged_in(servers, 2, "anouk@peerm.example") + logged_in(servers, 2,
                                                                        "jan@peerm.example")
    lends = [action("tool.lend", {"tool": ladder.code, "borrower": els.id}) for _ in counters]

    answers = at_once(len(counters), lambda i: counters[i].sync([lends[i]]))
    no_server_errors(answers)
    with servers.database():
        loans = list(Loan.select().where(Loan.tool == ladder))
        status = Tool.get_by_id(ladder.id).status
    assert len(loans) == len(counters)
    # A fact is kept every time; only the first may stand unflagged, and it is flagged too
    # once the second arrives.
    assert all(loan.flagged for loan in loans), [(loan.id, loan.flagged) for loan in loans]
    assert status == "on_loan"
    outcomes = sorted(a.json()["results"][0]["outcome"] for a in answers)
    assert outcomes == ["flagged"] * (len(counters) - 1) + ["lent"]


def test_parallel_renewals_of_one_loan_stop_at_the_limit(servers):
    with servers.database():
        talent = Initiative.get(Initiative.slug == TALENT)
        mower = Tool.get((Tool.initiative == talent) & (Tool.name == "Grasmaaier"))
        els = Person.by_email("els@peerm.example")
        today = dt.date.today()
        loan = Loan.create(tool=mower, borrower=els, lent_at=dt.datetime.now(), due=today)
        mower.status = "on_loan"
        mower.save()
        loan_days = mower.category.loan_days
    clients = logged_in(servers, 16, "els@peerm.example")
    tokens = [client.form_token("/toolshed/mine") for client in clients]

    answers = at_once(16, lambda i: clients[i].post(f"/toolshed/loans/{loan.id}/renew",
                                                   {"csrf_token": tokens[i]}))
    no_server_errors(answers)
    # Each client is told on its next page whether its renewal went through.
    told = [FLASH.search(client.get("/toolshed/mine").text).group(1) for client in clients]
    assert told.count("flash") == MAX_RENEWALS, told
    with servers.database():
        renewed = Loan.get_by_id(loan.id)
    assert renewed.renewals == MAX_RENEWALS
    assert renewed.due == today + dt.timedelta(days=MAX_RENEWALS * loan_days)


def test_accepting_the_rules_at_once_records_one_acceptance(servers):
    clients = logged_in(servers, 12, "els@peerm.example")
    path = f"/toolshed/{TALENT}/rules"
    tokens = [client.form_token(path) for client in clients]

    answers = at_once(12, lambda i: clients[i].post(f"{path}/accept",
                                                   {"csrf_token": tokens[i]}))
    no_server_errors(answers)
    assert [a.status for a in answers] == [303] * 12
    with servers.database():
        talent = Initiative.get(Initiative.slug == TALENT)
        els = Person.by_email("els@peerm.example")
        accepted = RulesAcceptance.select().where(
            (RulesAcceptance.person == els)
            & (RulesAcceptance.rules == LendingRules.current(talent))).count()
    assert accepted == 1
