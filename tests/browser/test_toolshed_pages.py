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
