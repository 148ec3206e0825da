"""The tool library's counter without signal, in a real browser: tools lent and taken back
offline, two counters lending the same tool (both loans kept, flagged, sorted out by a
coordinator), and the catalogue and the counter readable offline after one visit. Each test
checks the database as well as the page.
"""
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SLUG = "talent-in-actie"
COUNTER = f"/toolshed/{SLUG}/counter"
MANAGE = f"/toolshed/{SLUG}/manage"


@contextmanager
def database():
    """A connection of this thread to the database the proxy is bound to (the live server's)."""
    from peerm.core import db

    with db.db.connection_context():
        yield


def person(email):
    from peerm.accounts.models import Person

    with database():
        return Person.get(Person.email == email)


def tool(name):
    from peerm.initiatives.models import Initiative
    from peerm.toolshed.models import Tool

    with database():
        return Tool.get((Tool.name == name)
                        & (Tool.initiative == Initiative.get(Initiative.slug == SLUG)))


def loans_of(action_ids):
    from peerm.toolshed.models import Loan

    with database():
        return list(Loan.select().where(Loan.action_id.in_(list(action_ids))).order_by(Loan.id))


def open_counter(page, sw, outbox, email):
    """Log in at the counter; the worker controls it and keeps it (and the "saved" answer)."""
    outbox.log_in(page, email, COUNTER)
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", COUNTER])


def lend(page, code, borrower, count):
    """Lend a tool at the counter; `count` actions wait on the phone afterwards."""
    page.fill("#lend-tool", code)
    page.check(f"#lend-form input[name=borrower][value='{borrower.id}']")
    rules = page.locator("form[data-offline='tool.lend'] input[name=rules]")
    if rules.count():
        rules.check()
    page.locator("form[data-offline='tool.lend'] button[type=submit]").click()
    expect(page.locator("#lend-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text(str(count))
    # The form is empty again, so that the same tool is not lent twice by mistake.
    expect(page.locator("#lend-tool")).to_have_value("")
    expect(page.locator("#lend-form input[name=borrower]:checked")).to_have_count(0)


def take_back(page, code, condition, count):
    page.fill("#return-tool", code)
    page.select_option("#condition", condition)
    page.locator("form[data-offline='tool.return'] button[type=submit]").click()
    expect(page.locator("#return-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text(str(count))
    expect(page.locator("#return-tool")).to_have_value("")


def all_done(count):
    return f"(all) => all.length === {count} && all.every((r) => r.state === 'done')"


# --- 10. lending and taking back offline -----------------------------------------------------

def test_counter_lends_and_takes_back_offline(context, page, sw, live_server, outbox):
    from peerm.toolshed.models import RulesAcceptance, Tool

    els = person("els@peerm.example")
    drill, jigsaw, sander = (tool(name) for name in ("Boormachine", "Decoupeerzaag",
                                                     "Schuurmachine"))
    assert {t.status for t in (drill, jigsaw, sander)} == {"available"}
    open_counter(page, sw, outbox, "jan@peerm.example")

    context.set_offline(True)
    # The counter itself opens without signal.
    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("h1")).to_have_text("Balie")
    for count, item in enumerate((drill, jigsaw, sander), start=1):
        lend(page, item.code, els, count)
    # What is out shows what waits on this phone, without a reload.
    on_loan = page.locator("#on-loan")
    for item in (drill, jigsaw, sander):
        row = on_loan.locator(f"li[data-tool='{item.code}']")
        expect(row).to_contain_text(item.name)
        expect(row).to_contain_text("Els, bewaard op deze telefoon")
        expect(page.locator(f"#counter-tools li[data-tool='{item.code}'] .tool-status")
               ).to_have_text("Uitgeleend (bewaard op deze telefoon)")
    take_back(page, drill.code, "good", 4)
    expect(on_loan.locator(f"li[data-tool='{drill.code}']")).to_have_count(0)
    expect(page.locator(f"#counter-tools li[data-tool='{drill.code}'] .tool-status")
           ).to_have_text("Terug (bewaard op deze telefoon)")
    kept = outbox.records(page)
    assert [r["type"] for r in sorted(kept, key=lambda r: r["seq"])] == \
        ["tool.lend"] * 3 + ["tool.return"]
    lends = [r for r in kept if r["type"] == "tool.lend"]
    assert [r["data"]["tool"] for r in lends] == [drill.code, jigsaw.code, sander.code]
    assert len({r["id"] for r in kept}) == 4
    assert loans_of(r["id"] for r in lends) == []

    context.set_offline(False)
    done = outbox.wait_for_records(page, all_done(4))
    outcomes = [(r["type"], r["result"]["status"], r["result"]["outcome"])
                for r in sorted(done, key=lambda r: r["seq"])]
    assert outcomes == [("tool.lend", "applied", "lent")] * 3 + \
        [("tool.return", "applied", "returned")]
    expect(page.locator("#outbox-count")).to_be_hidden()
    # Sent: the counter's lists are the server's again, still without a reload.
    for item, status in ((drill, "Beschikbaar"), (jigsaw, "Uitgeleend"), (sander, "Uitgeleend")):
        expect(page.locator(f"#counter-tools li[data-tool='{item.code}'] .tool-status")
               ).to_have_text(status)
    expect(on_loan.locator(f"li[data-tool='{drill.code}']")).to_have_count(0)
    expect(on_loan.locator(f"li[data-tool='{jigsaw.code}']")).not_to_contain_text(
        "bewaard op deze telefoon")

    loans = loans_of(r["id"] for r in lends)
    assert len(loans) == 3
    assert sorted(loan.action_id for loan in loans) == sorted(r["id"] for r in lends)
    by_tool = {loan.tool_id: loan for loan in loans}
    assert set(by_tool) == {drill.id, jigsaw.id, sander.id}
    assert all(loan.borrower_id == els.id and not loan.flagged for loan in loans)
    assert by_tool[drill.id].returned_at is not None
    assert by_tool[drill.id].return_condition == "good"
    assert by_tool[jigsaw.id].returned_at is None and by_tool[sander.id].returned_at is None
    with database():
        statuses = {t.id: t.status for t in Tool.select().where(
            Tool.id.in_([drill.id, jigsaw.id, sander.id]))}
        assert RulesAcceptance.select().where(RulesAcceptance.person == els).count() == 1
    assert statuses == {drill.id: "available", jigsaw.id: "on_loan", sander.id: "on_loan"}

    # Online again, the counter shows what is out.
    page.reload()
    expect(page.locator("main")).to_contain_text(jigsaw.code)


# --- 11. two counters lend the same tool -----------------------------------------------------

def test_two_counters_lend_the_same_tool_and_a_coordinator_sorts_it_out(
        context, page, make_context, sw, live_server, outbox):
    from peerm.toolshed.models import Loan, Tool

    ladder = tool("Ladder")
    els, jan = person("els@peerm.example"), person("jan@peerm.example")
    other = make_context()
    second = other.new_page()
    open_counter(page, sw, outbox, "jan@peerm.example")
    open_counter(second, sw, outbox, "anouk@peerm.example")

    context.set_offline(True)
    other.set_offline(True)
    lend(page, ladder.code, els, 1)
    lend(second, ladder.code, jan, 1)
    [first_lend] = outbox.records(page)
    [second_lend] = outbox.records(second)
    assert first_lend["id"] != second_lend["id"]

    context.set_offline(False)
    other.set_offline(False)
    [one] = outbox.wait_for_records(page, all_done(1))
    [two] = outbox.wait_for_records(second, all_done(1))
    # Both hand-overs are facts: both are kept; the later one to arrive is the clash.
    assert sorted(r["result"]["outcome"] for r in (one, two)) == ["flagged", "lent"]

    loans = loans_of([first_lend["id"], second_lend["id"]])
    assert len(loans) == 2
    assert {(loan.tool_id, loan.borrower_id) for loan in loans} == \
        {(ladder.id, els.id), (ladder.id, jan.id)}
    assert all(loan.flagged and loan.resolved_at is None for loan in loans)
    with database():
        assert Tool.get_by_id(ladder.id).status == "on_loan"

    page.goto(MANAGE)
    clash = page.locator(f"#resolve-{loans[0].id}")
    expect(clash).to_be_visible()
    expect(page.locator(f"#resolve-{loans[1].id}")).to_be_visible()
    clash.fill("Els kreeg de ladder; de tweede uitlening was een vergissing.")
    with page.expect_navigation():
        clash.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    assert urlsplit(page.url).path == MANAGE
    expect(page.locator(f"#resolve-{loans[0].id}")).to_have_count(0)
    expect(page.locator(f"#resolve-{loans[1].id}")).to_have_count(0)

    with database():
        resolved = list(Loan.select().where(Loan.id.in_([loan.id for loan in loans])))
    assert all(loan.resolved_at is not None for loan in resolved)
    assert {loan.resolution for loan in resolved} == {
        "Els kreeg de ladder; de tweede uitlening was een vergissing."}


# --- 12. the catalogue and the counter, offline after one visit -----------------------------

def test_catalogue_and_counter_open_offline_after_one_visit(context, page, sw, live_server,
                                                            outbox):
    from peerm.initiatives.models import Initiative
    from peerm.toolshed.models import Tool

    with database():
        tools = list(Tool.select().where(
            (Tool.initiative == Initiative.get(Initiative.slug == SLUG))
            & (Tool.status != "retired")))
    open_counter(page, sw, outbox, "jan@peerm.example")
    page.goto("/toolshed")
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/toolshed", COUNTER])
    outbox.settle(page)

    live_server.clear()
    context.set_offline(True)
    response = page.goto("/toolshed")
    assert response.from_service_worker
    catalogue = page.locator("#tool-list")
    for item in tools:
        expect(catalogue).to_contain_text(item.name)

    response = page.goto(COUNTER)
    assert response.from_service_worker
    expect(page.locator("h1")).to_have_text("Balie")
    members = page.locator("#borrower label.choice").all_inner_texts()
    for name in ("Anouk", "Els", "Jan"):
        assert any(text.startswith(name) for text in members), members
    codes = page.locator("#tool-codes option").evaluate_all("(all) => all.map((o) => o.value)")
    assert sorted(codes) == sorted(item.code for item in tools)
    # Nothing reached the server but, at most, the browser's own update check of the worker
    # script, which it may start after a navigation (it is no page and holds no data).
    assert [seen for seen in live_server.requests if seen != "/sw.js"] == []
    context.set_offline(False)
