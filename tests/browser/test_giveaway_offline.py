"""The give-away shop without signal, in a real browser: a thing asked for offline is sent once
when the phone is back online and the answer shows on the post's page; a thing offered offline,
with a photo made small on the phone, arrives once with its photo. Each test checks the database
as well as the page.
"""
import datetime as dt
import uuid
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOP = "weggeefwinkel-amersfoort"


@contextmanager
def database():
    """A connection of this thread to the database the proxy is bound to (the live server's)."""
    from peerm.core import db

    with db.db.connection_context():
        yield


def all_done(count):
    return f"(all) => all.length === {count} && all.every((r) => r.state === 'done')"


@pytest.fixture
def gifts(live_server):
    """Posts made on the live server by the test (or titled by it), removed afterwards."""
    from peerm.giveaway.models import Gift

    titles = []
    yield titles
    live_server.rebind_database()
    with database():
        Gift.delete().where(Gift.title.in_(titles)).execute()


def make_gift(title, allocation="draw"):
    from peerm.accounts.models import Person
    from peerm.core import clock
    from peerm.giveaway.models import Gift
    from peerm.initiatives.models import Initiative

    with database():
        return Gift.create(initiative=Initiative.get(Initiative.slug == SHOP),
                           giver=Person.get(Person.email == "bram@peerm.example"), title=title,
                           category="kitchen", allocation=allocation,
                           until=clock.now() + dt.timedelta(days=2))


def requests_of(gift):
    from peerm.giveaway.models import GiftRequest

    with database():
        return list(GiftRequest.select().where(GiftRequest.gift == gift.id))


def test_claim_offline_is_sent_once_and_answered_on_the_page(context, page, sw, live_server,
                                                             outbox, gifts):
    title = f"Koffiezetapparaat {uuid.uuid4().hex[:5]}"
    gifts.append(title)
    gift = make_gift(title)
    path = f"/giveaway/{gift.id}"
    outbox.log_in(page, "els@peerm.example", path)
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved"])

    context.set_offline(True)
    page.fill("#note", "Ik kan dinsdag komen")
    page.locator("form[data-offline='gift.claim'] button[type=submit]").click()
    expect(page.locator("#claim-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1")
    [kept] = outbox.records(page)
    assert kept["type"] == "gift.claim" and int(kept["data"]["gift"]) == gift.id
    assert kept["data"]["note"] == "Ik kan dinsdag komen"
    assert requests_of(gift) == []

    context.set_offline(False)
    [done] = outbox.wait_for_records(page, all_done(1))
    assert (done["id"], done["result"]["status"], done["result"]["outcome"]) == \
        (kept["id"], "applied", "requested")
    answer = page.locator("#claim-outbox [data-outcome=requested]")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("loting")
    expect(page.locator("#outbox-count")).to_be_hidden()
    [request] = requests_of(gift)
    assert (request.action_id, request.state, request.note) == \
        (kept["id"], "requested", "Ik kan dinsdag komen")
    # On the next visit, the post says so itself.
    page.reload()
    expect(page.locator("main")).to_contain_text("Je doet mee aan de loting")


def test_offer_offline_with_a_photo_arrives_once(context, page, sw, live_server, outbox, gifts,
                                                 tmp_path):
    from peerm.giveaway.demo import drawing
    from peerm.giveaway.models import Gift

    title = f"Wasmand {uuid.uuid4().hex[:5]}"
    gifts.append(title)
    big = tmp_path / "wasmand.png"
    big.write_bytes(drawing((30, 90, 160), 1600, 1200))
    outbox.log_in(page, "bram@peerm.example", "/giveaway/new")
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", "/giveaway/new"])

    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    page.fill("#title", title)
    page.fill("#description", "Rieten wasmand met deksel.")
    page.select_option("#category", "kitchen")
    page.select_option("#initiative", label="Amersfoort: Weggeefwinkel Amersfoort, de balie in de winkel")
    page.set_input_files("#photo-file", str(big))
    expect(page.locator("#photo-status")).to_contain_text("KB")
    expect(page.locator("#photo-preview")).to_be_visible()
    page.locator("#offer-form button[type=submit]").click()
    expect(page.locator("#offer-result [data-outcome=queued]")).to_be_visible()
    # The form is cleared for the next thing, with a new action id.
    expect(page.locator("#title")).to_have_value("")
    [kept] = outbox.records(page)
    assert kept["type"] == "gift.offer" and kept["data"]["title"] == title
    assert kept["data"]["photo"].startswith("data:image/jpeg;base64,")
    with database():
        assert Gift.select().where(Gift.title == title).count() == 0

    context.set_offline(False)
    [done] = outbox.wait_for_records(page, all_done(1))
    assert (done["result"]["status"], done["result"]["outcome"]) == ("applied", "offered")
    expect(page.locator("#offer-outbox [data-outcome=offered]")).to_contain_text(title)
    with database():
        [gift] = list(Gift.select().where(Gift.title == title))
        photo = bytes(gift.photo)
    assert (gift.action_id, gift.state, gift.at_shop) == (kept["id"], "open", True)
    assert gift.photo_type == "image/jpeg" and photo.startswith(b"\xff\xd8\xff")
    assert len(photo) < 200 * 1024


GIVEAWAY_PAGES = ["/giveaway", "/giveaway/new", "/giveaway/new?kind=wanted",
                  f"/giveaway/{SHOP}/counter", f"/giveaway/{SHOP}/manage", "/giveaway/mine"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_giveaway_pages_have_no_accessibility_violations(make_context, base_url, lang):
    from axe_playwright_python.sync_playwright import Axe

    from peerm.giveaway.models import Gift

    with database():
        pram = Gift.get(Gift.title.startswith("Kinderwagen")).id
    context = make_context(service_workers="block")
    page = context.new_page()
    page.goto("/login?next=/giveaway")
    page.fill("#email", "ria@peerm.example")
    page.fill("#password", "peerm-demo")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    found = {}
    for path in GIVEAWAY_PAGES + [f"/giveaway/{pram}"]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        violations = [v for v in Axe().run(page).response["violations"]
                      if not (v["id"] == "color-contrast" and all(
                          node["target"] == ["#net-status"] for node in v["nodes"]))]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    assert found == {}
