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
        for position, (kind, labels) in enumerate(STANDARD_OPTIONS.items()):
            Option.create(proposal=made, position=position, kind=kind, label_nl=labels[1],
                          label_en=labels[2])
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
