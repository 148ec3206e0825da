""""Ik kan helpen" without signal, in a real browser: the answer to a need is kept on the phone
(IndexedDB, by the service worker), survives a reload, is sent once when the phone is online
again, and then shows on the need's page and in the database.
"""
import datetime as dt
import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .test_outbox import all_done, database, sync_records

pytestmark = pytest.mark.browser

HELP_FORM = "form[data-offline='need.respond']"


@pytest.fixture
def new_need(live_server):
    """Make an open need of Lucas Community on the live server; it goes again after the test."""
    from peerm.core import clock
    from peerm.initiatives.models import Initiative
    from peerm.needs.models import Need

    made = []

    def make(text):
        with database():
            need = Need.create(initiative=Initiative.get(Initiative.slug == "lucas-community"),
                               kind="material", text_nl=text, text_en=text,
                               quantity=Decimal(3), unit_nl="ladders", unit_en="ladders",
                               status="open", visibility="network",
                               list_until=clock.today() + dt.timedelta(days=20),
                               created_at=clock.now())
        made.append(need.id)
        return need

    yield make
    live_server.rebind_database()
    with database():
        Need.delete().where(Need.id.in_(made)).execute()  # their answers go with them


def pledges_named(name):
    from peerm.needs.models import Pledge

    with database():
        return list(Pledge.select().where(Pledge.name == name))


def test_offline_help_is_kept_on_the_phone_and_sent_once_when_online(context, page, sw,
                                                                     live_server, outbox,
                                                                     new_need):
    need = new_need(f"Ladders voor de klusdag {uuid.uuid4().hex[:6]}")
    name = f"Offline Olga {uuid.uuid4().hex[:6]}"
    path = f"/needs/{need.id}"
    page.goto(path)
    sw.wait_for_control(page)
    # Opened once under the worker's control, the page is kept, whatever the background list
    # holds within its budget.
    page.reload()
    outbox.wait_until_kept(page, ["/outbox/saved", path])

    context.set_offline(True)
    form = page.locator(HELP_FORM)
    form.locator("textarea[name=offer]").fill("Ik breng twee ladders")
    form.locator("input[name=amount]").fill("2")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=contact]").fill("06 12345678")
    form.locator("button[type=submit]").click()
    expect(page.locator("#help-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#help-result")).to_contain_text("Bewaard op deze telefoon")
    expect(page.locator("#outbox-count")).to_have_text("1")
    assert pledges_named(name) == []

    live_server.clear()
    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("h1")).to_have_text(need.text_nl)
    expect(page.locator("#help-outbox [data-outcome=queued]")).to_contain_text(
        "Ik breng twee ladders")
    [kept] = outbox.records(page)
    assert kept["type"] == "need.respond" and kept["state"] == "waiting"
    assert kept["data"]["name"] == name and kept["data"]["offer"] == "Ik breng twee ladders"
    assert int(kept["data"]["need"]) == need.id
    assert [seen for seen in live_server.requests if seen != "/sw.js"] == []

    context.set_offline(False)
    [done] = outbox.wait_for_records(page, all_done(1))
    assert done["id"] == kept["id"]
    assert (done["result"]["status"], done["result"]["outcome"]) == ("applied", "pledged")
    expect(page.locator("#help-outbox [data-outcome=pledged]")).to_contain_text(name)
    expect(page.locator("#outbox-count")).to_be_hidden()

    [pledge] = pledges_named(name)
    assert pledge.need_id == need.id and pledge.amount == Decimal(2)
    assert pledge.contact == "06 12345678" and pledge.status == "offered"
    assert str(pledge.id) == done["result"]["ref"]
    [record] = sync_records([kept["id"]])
    assert record.type == "need.respond" and record.status == "applied"

    page.goto(path)
    expect(page.locator(".progress")).to_contain_text("2 toegezegd")
    expect(page.locator(".progress")).to_contain_text("1 persoon heeft gereageerd")
