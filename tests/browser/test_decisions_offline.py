"""Voting without signal, in a real browser: a member votes offline before the close, the
phone comes online after the close but within the grace period, and the ballot counts; the
result shows as provisional, then final once the grace period is over. The server's clock is
moved on (`clock.frozen`, the live server runs in this process); the phone keeps its own.
"""
import datetime as dt
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MOHAMMED = "mohammed@peerm.example"
HOUR = dt.timedelta(hours=1)


@contextmanager
def database():
    from peerm.core import db

    with db.db.connection_context():
        yield


@pytest.fixture
def proposal(live_server):
    """A Lucas Community proposal whose voting opened an hour ago and closes in two hours; its
    voters are the co-operative's members. Gone again after the test."""
    from peerm.accounts.models import Membership
    from peerm.core import clock
    from peerm.decisions.models import STANDARD_OPTIONS, Option, Proposal, Voter
    from peerm.initiatives.models import Initiative

    now = clock.now()
    with database():
        lucas = Initiative.get(Initiative.slug == "lucas-community")
        made = Proposal.create(
            initiative=lucas, title_nl="Een bankje bij de speeltuin",
            title_en="A bench by the playground", text_nl="We zetten een bankje neer.",
            status="open", voting_opens_at=now - HOUR, electorate_fixed_at=now - HOUR,
            closes_at=now + 2 * HOUR, quorum_percent=30, majority="half")
        for position, (kind, (label_nl, label_en)) in enumerate(STANDARD_OPTIONS.items()):
            Option.create(proposal=made, position=position, kind=kind, label_nl=label_nl,
                          label_en=label_en)
        for membership in Membership.select().where(Membership.initiative == lucas):
            Voter.create(proposal=made, person=membership.person_id)
    yield made
    live_server.rebind_database()
    with database():
        Proposal.delete().where(Proposal.id == made.id).execute()


def ballots(proposal):
    from peerm.decisions.models import Ballot

    with database():
        return list(Ballot.select().where(Ballot.proposal == proposal.id))


def test_vote_cast_offline_before_close_counts_when_sent_within_grace(
        context, page, sw, live_server, outbox, proposal):
    from peerm.core import clock

    path = f"/decisions/{proposal.id}"
    outbox.log_in(page, MOHAMMED, path)
    sw.wait_for_control(page)
    outbox.wait_until_kept(page, ["/outbox/saved", path])

    context.set_offline(True)
    form = page.locator("form[data-offline='vote.cast']").first
    form.get_by_label("Eens", exact=True).check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#vote-result [data-outcome=queued]")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1")
    [kept] = outbox.records(page)
    assert kept["type"] == "vote.cast" and int(kept["data"]["proposal"]) == proposal.id
    assert ballots(proposal) == []

    # The phone finds signal again an hour after the close: within the grace period.
    with clock.frozen(proposal.closes_at + HOUR):
        context.set_offline(False)
        [done] = outbox.wait_for_records(
            page, "(all) => all.length === 1 && all.every((r) => r.state === 'done')")
        assert (done["result"]["status"], done["result"]["outcome"]) == ("applied", "counted")
        [ballot] = ballots(proposal)
        assert ballot.late and ballot.person.email == MOHAMMED
        outbox.settle(page)
        page.goto(path)
        outcome = page.locator("[data-result]")
        expect(outcome).to_have_attribute("data-final", "no")
        expect(outcome).to_have_attribute("data-result", "adopted")
        expect(page.locator("#outcome-title")).to_have_text("Uitslag (voorlopig)")
        expect(page.locator(".outcome")).to_contain_text(
            "1 stem kwam na de sluiting binnen en telde mee")

    with clock.frozen(proposal.closes_at + 25 * HOUR):
        outbox.settle(page)
        page.goto(path)
        expect(page.locator("[data-result]")).to_have_attribute("data-final", "yes")
        expect(page.locator("#outcome-title")).to_have_text("Uitslag")


def _logged_in_page(make_context, base_url, email, lang, width=360):
    from peerm.accounts.demo import DEMO_PASSWORD

    context = make_context(service_workers="block", viewport={"width": width, "height": 740})
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if lang == "en":
        page.locator(".menu summary").click()  # the language switch is in the menu
        with page.expect_navigation():
            page.locator("form.lang button[value=en]").click()
    return page


def _decision_pages():
    from peerm.decisions.models import Proposal

    with database():
        ids = {p.seed_key: p.id for p in Proposal.select()}
    return ["/decisions", f"/decisions/{ids['lucas-koken-twee-avonden']}",
            f"/decisions/{ids['netwerk-geen-subsidie-afhankelijkheid']}", "/decisions/new"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_decision_pages_pass_axe_and_fit_320_px(make_context, base_url, live_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import describe, is_status_contrast

    live_server.rebind_database()
    pages = _decision_pages()
    page = _logged_in_page(make_context, base_url, MOHAMMED, lang)
    narrow = _logged_in_page(make_context, base_url, MOHAMMED, lang, width=320)
    for path in pages:
        page.goto(path)
        assert page.evaluate("() => document.documentElement.lang") == lang
        expect(page.locator("#net-status")).to_be_visible()
        violations = [v for v in Axe().run(page).response["violations"]
                      if not is_status_contrast(v)]
        assert violations == [], f"{path}: {describe(violations)}"
        narrow.goto(path)
        width = narrow.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} ({lang}) is {width} px wide at 320 px"


def test_proposals_open_without_signal_after_visiting_the_list(context, page, sw, live_server,
                                                               outbox):
    live_server.rebind_database()
    lucas, network = _decision_pages()[1:3]
    outbox.log_in(page, MOHAMMED, "/decisions")
    sw.wait_for_control(page)
    # Never opened: kept by the worker from the list of pages for this person.
    outbox.wait_until_kept(page, ["/decisions", lucas, network])
    context.set_offline(True)
    for path, title in ((lucas, "Samen koken en eten"), (network, "Elk lid van het netwerk")):
        response = page.goto(path)
        assert response.from_service_worker, path
        expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator(".comment")).to_have_count(1)  # the discussion is kept with it
    context.set_offline(False)
