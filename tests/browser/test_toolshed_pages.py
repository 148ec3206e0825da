"""The tool library as people see it online, in a real browser: reserving a tool without an
account (log in, come back, reserve), and the counter, which asks before lending a tool that
is out, shows who a tool is reserved for, and brings its lists up to date after each action
without a reload. Each test checks the database as well as the page.
"""
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SLUG = "talent-in-actie"
COUNTER = f"/toolshed/{SLUG}/counter"


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


# --- reserving without an account ----------------------------------------------------------

def test_reserving_without_an_account_logs_in_and_comes_back_to_the_tool(page, live_server,
                                                                           outbox):
    from peerm.accounts.demo import DEMO_PASSWORD
    from peerm.toolshed.models import Hold

    hedge = tool("Heggenschaar")
    els = person("els@peerm.example")
    path = f"/toolshed/{hedge.id}"
    page.goto(path)
    # No login form inside the tool page, and no reserve form that would need one.
    expect(page.locator("main input[type=password]")).to_have_count(0)
    expect(page.locator("form[data-offline='tool.reserve']")).to_have_count(0)
    link = page.get_by_role("link", name="Log in om te reserveren")
    expect(link).to_be_visible()
    target = urlsplit(link.get_attribute("href"))
    assert (target.path, parse_qs(target.query)["next"]) == ("/login", [path])
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == "/login"
    outbox.settle(page)
    page.fill("#email", "els@peerm.example")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert urlsplit(page.url).path == path
    outbox.settle(page)

    page.locator("form[data-offline='tool.reserve'] button[type=submit]").click()
    expect(page.locator("#reserve-result [data-outcome=ready]")).to_be_visible()
    with database():
        assert [(h.person_id, h.state) for h in Hold.select().where(Hold.tool == hedge.id)] == [
            (els.id, "ready")]

    # The address of the form, opened as a page (after logging in there, say), is no error.
    response = page.goto(f"{path}/reserve")
    assert (response.status, urlsplit(page.url).path) == (200, path)


# --- the counter online ---------------------------------------------------------------------

def open_counter(page, outbox, email="anouk@peerm.example", path=COUNTER):
    outbox.log_in(page, email, path)


def fill_lend(page, code, borrower):
    form = page.locator("#lend-form")
    form.locator("input[name=tool]").fill(code)
    form.locator(f"input[name=borrower][value='{borrower.id}']").check()
    rules = form.locator("input[name=rules]")
    if rules.count():
        rules.check()
    form.locator("button[type=submit]").click()


def expect_cleared(page):
    form = page.locator("#lend-form")
    expect(form.locator("input[name=tool]")).to_have_value("")
    expect(form.locator("input[name=borrower]:checked")).to_have_count(0)


def test_counter_asks_before_lending_a_tool_that_is_out_and_keeps_its_lists_fresh(
        page, live_server, outbox):
    from peerm.toolshed.models import Loan

    mower = tool("Grasmaaier")
    els, jan = person("els@peerm.example"), person("jan@peerm.example")
    open_counter(page, outbox)
    row = page.locator(f"#counter-tools li[data-tool='{mower.code}']")
    expect(row.locator(".tool-status")).to_have_text("Beschikbaar")

    # Lent online: the lists change and the form is empty again, without a reload.
    fill_lend(page, mower.code, els)
    expect(page.locator("#lend-result [data-outcome=lent]")).to_be_visible()
    expect(page.locator(f"#on-loan li[data-tool='{mower.code}']")).to_contain_text("Els")
    expect(row.locator(".tool-status")).to_have_text("Uitgeleend")
    expect_cleared(page)
    with database():
        assert Loan.select().where(Loan.tool == mower.id).count() == 1

    # The same tool again: the counter asks first, and nothing is recorded until it is told to.
    fill_lend(page, mower.code, jan)
    question = page.locator("#lend-result [data-question=lend_clash]")
    expect(question).to_contain_text(
        f"Deze {mower.name} is al uitgeleend aan Els. Toch uitlenen?")
    with database():
        assert [(loan.borrower_id, loan.flagged) for loan in
                Loan.select().where(Loan.tool == mower.id)] == [(els.id, False)]
    question.get_by_role("button", name="Toch uitlenen").click()
    expect(page.locator("#lend-result [data-outcome=flagged]")).to_be_visible()
    expect(page.locator(f"#on-loan li[data-tool='{mower.code}']")).to_have_count(2)
    expect_cleared(page)
    with database():
        loans = list(Loan.select().where(Loan.tool == mower.id).order_by(Loan.id))
    assert [(loan.borrower_id, loan.flagged) for loan in loans] == [(els.id, True),
                                                                    (jan.id, True)]

    # Taken back online: gone from what is out, available again.
    back = page.locator("#return-form")
    back.locator("input[name=tool]").fill(mower.code)
    back.locator("button[type=submit]").click()
    expect(page.locator("#return-result [data-outcome=returned]")).to_be_visible()
    expect(page.locator(f"#on-loan li[data-tool='{mower.code}']")).to_have_count(0)
    expect(row.locator(".tool-status")).to_have_text("Beschikbaar")
    expect(back.locator("input[name=tool]")).to_have_value("")


def test_counter_declines_to_lend_a_tool_that_is_out_when_told_not_to(page, live_server,
                                                                       outbox):
    from peerm.toolshed.models import Loan

    bike = tool("Steiger")
    els, jan = person("els@peerm.example"), person("jan@peerm.example")
    open_counter(page, outbox)
    fill_lend(page, bike.code, els)
    expect(page.locator("#lend-result [data-outcome=lent]")).to_be_visible()
    fill_lend(page, bike.code, jan)
    question = page.locator("#lend-result [data-question=lend_clash]")
    expect(question).to_be_visible()
    with page.expect_navigation():
        question.get_by_role("link", name="Niet uitlenen").click()
    with database():
        assert [(loan.borrower_id, loan.flagged) for loan in
                Loan.select().where(Loan.tool == bike.id)] == [(els.id, False)]
    page.locator("#return-form input[name=tool]").fill(bike.code)
    page.locator("#return-form button[type=submit]").click()
    expect(page.locator("#return-result [data-outcome=returned]")).to_be_visible()


def test_counter_shows_who_a_tool_is_reserved_for_until_when_in_dutch_time(page, live_server,
                                                                           outbox):
    from peerm.core import clock
    from peerm.core.db import write_transaction
    from peerm.initiatives.models import Initiative
    from peerm.toolshed import services
    from peerm.toolshed.models import Tool

    mohammed = person("mohammed@peerm.example")
    with database():
        bike = Tool.get((Tool.name == "Bakfiets")
                        & (Tool.initiative == Initiative.get(Initiative.slug == "lucas-community")))
        with write_transaction():
            hold = services.reserve(mohammed, bike)
    assert hold.state == "ready"
    until = clock.local(hold.ready_until)
    # Never the same clock time in UTC: the Netherlands is one or two hours ahead.
    assert f"{until:%H:%M}" != f"{hold.ready_until:%H:%M}"
    open_counter(page, outbox, "fatima@peerm.example", "/toolshed/lucas-community/counter")
    status = page.locator(f"#counter-tools li[data-tool='{bike.code}'] .tool-status")
    expect(status).to_contain_text("Gereserveerd voor Mohammed")
    expect(status).to_contain_text(f"{until:%H:%M}")
    expect(status).not_to_contain_text("Beschikbaar")
    # The tool's own page says it is reserved, not free, without saying for whom.
    page.goto(f"/toolshed/{bike.id}")
    expect(page.locator(".facts .tag")).to_have_text("Gereserveerd")
    expect(page.locator(".facts")).to_contain_text(f"{until:%H:%M}")


def test_counter_fits_a_320_px_screen_with_every_borrower_readable(make_context, live_server,
                                                                    outbox):
    from tests.browser.test_volunteering_pages import CUT, NARROW, SMALL

    context = make_context(viewport=NARROW)
    page = context.new_page()
    open_counter(page, outbox)
    not_accepted = page.locator("#borrower label.choice",
                                has_text="heeft de regels nog niet geaccepteerd")
    expect(not_accepted.first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.evaluate(CUT, "#borrower label.choice, #counter-state li, main h1, main h2") == []
    assert page.evaluate(SMALL) == []


def test_tool_page_fits_a_320_px_screen_and_every_link_is_a_tap_target(make_context,
                                                                        live_server):
    from tests.browser.test_volunteering_pages import CUT, NARROW, SMALL

    page = make_context(viewport=NARROW).new_page()
    page.goto(f"/toolshed/{tool('Boormachine').id}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.evaluate(CUT, "main h1, main .facts dd, main .meta") == []
    assert page.evaluate(SMALL) == []
    small_links = page.evaluate("""() => Array.from(document.querySelectorAll("main a"))
        .filter((a) => a.getBoundingClientRect().height < 44).map((a) => a.textContent)""")
    assert small_links == []
    # In the catalogue, a tool's whole card is its link.
    page.goto("/toolshed")
    card = page.locator("#tool-list .card").first
    card.evaluate("(card) => card.scrollIntoView({block: 'center'})")
    box = card.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10)
    assert "/toolshed/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("who, path", [("anouk@peerm.example", COUNTER), (None, "tool"),
                                       (None, "/toolshed")])
def test_tool_pages_have_no_axe_violations(make_context, base_url, live_server, who, path,
                                           lang):
    from tests.browser.test_volunteering_pages import axe_violations, logged_in_page

    page = logged_in_page(make_context, base_url, who, lang)
    page.goto(f"/toolshed/{tool('Boormachine').id}" if path == "tool" else path)
    assert page.evaluate("() => document.documentElement.lang") == lang
    assert axe_violations(page) == []


def test_retiring_a_tool_asks_first(page, live_server, outbox):
    from peerm.initiatives.models import Initiative
    from peerm.toolshed.models import Tool

    manage = "/toolshed/lucas-community/manage"
    with database():
        laptop = Tool.get((Tool.name == "Laptop") & (Tool.initiative == Initiative.get(
            Initiative.slug == "lucas-community")))
    outbox.log_in(page, "fatima@peerm.example", manage)
    row = page.locator("li", has=page.locator(f"a[href='/toolshed/{laptop.id}']"))
    row.get_by_text("Afschrijven", exact=True).click()
    question = row.locator(".ask-first form")
    expect(question).to_contain_text("Laptop gaat voorgoed uit de uitleen")
    with database():
        assert Tool.get_by_id(laptop.id).status == "available"
    with page.expect_navigation():
        question.get_by_role("button", name="Ja, afschrijven").click()
    with database():
        assert Tool.get_by_id(laptop.id).status == "retired"
