"""The decision services and the `vote.cast` action: who may vote (fixed when voting opens),
one ballot per voter, the close as a time with a grace period for ballots cast offline, secret
ballots that the database cannot join to their voters, paper ballots, and the outcome.

Each test builds a small world (a co-operative with three members) at a frozen moment, on
SQLite and PostgreSQL, and asserts the stable error codes, never the messages.
"""
import datetime as dt
import hashlib
import uuid

import pytest
from playhouse.shortcuts import model_to_dict

from peerm.accounts.models import Membership, Person
from peerm.core import clock
from peerm.core.db import db, write_transaction
from peerm.decisions import services
from peerm.decisions.models import Ballot, Comment, Option, Proposal, Voter
from peerm.decisions.services import DecisionError
from peerm.initiatives.models import Initiative
from peerm.outbox.protocol import apply

T0 = dt.datetime(2026, 11, 2, 9, 0)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def ctx(app):
    with app.app_context(), db.connection_context(), clock.frozen(T0):
        yield


def make_initiative(slug="vrije-uitgang-test"):
    return Initiative.create(slug=slug, name="De Vrije Uitgang", city="Breda",
                             legal_form="cooperative", summary_nl="…", summary_en="…",
                             description_nl="…", description_en="…")


def make_person(name, initiative=None, role="member"):
    person = Person.create(display_name=name, email=f"{name.lower()}-{uuid.uuid4().hex[:6]}@x.nl")
    if initiative is not None:
        Membership.create(person=person, initiative=initiative, role=role, created_at=clock.now())
    return person


@pytest.fixture
def world(ctx):
    """A co-operative with a coordinator (Ayse) and two members (Bram, Chantal), and Dirk,
    who belongs elsewhere."""
    coop = make_initiative()
    return {"coop": coop, "ayse": make_person("Ayse", coop, "coordinator"),
            "bram": make_person("Bram", coop), "chantal": make_person("Chantal", coop),
            "dirk": make_person("Dirk", make_initiative("elders"))}


def form(**changes):
    values = {"title_nl": "Een wijkraad beginnen", "text_nl": "Wij starten een wijkraad.",
              "quorum_percent": "50", "majority": "half", "discussion_days": "0",
              "closes_at": clock.local(clock.now() + 3 * DAY).isoformat(), "grace_hours": "24"}
    values.update(changes)
    return values


def open_proposal(world, **changes):
    """A published proposal whose voting opens now and closes in three days."""
    with write_transaction():
        proposal = services.create_proposal(world["ayse"], world["coop"], form(**changes))
        return services.publish(proposal, world["ayse"])


def option(proposal, kind):
    return Option.get((Option.proposal == proposal) & (Option.kind == kind))


def vote(proposal, person, kind, reason="", at=None, now=None, paper=False):
    with write_transaction():
        return services.cast_ballot(proposal, person, option(proposal, kind).id, reason,
                                    at=at, now=now, paper=paper)[0]


def error_code(call, *args, **kwargs):
    with pytest.raises(DecisionError) as caught:
        with write_transaction():
            call(*args, **kwargs)
    return caught.value.code


def reload(proposal):
    return Proposal.get_by_id(proposal.id)


# Who may vote ------------------------------------------------------------------------------

def test_electorate_is_fixed_when_voting_opens_and_latecomers_get_not_member(world):
    proposal = open_proposal(world)
    assert reload(proposal).phase() == "voting"
    voters = {v.person_id for v in Voter.select().where(Voter.proposal == proposal)}
    assert voters == {world["ayse"].id, world["bram"].id, world["chantal"].id}
    later = make_person("Els", world["coop"])
    assert error_code(services.cast_ballot, proposal, later, option(proposal, "agree").id) == (
        "not_member")
    assert error_code(services.cast_ballot, proposal, world["dirk"],
                      option(proposal, "agree").id) == "not_member"
    assert Ballot.select().where(Ballot.proposal == proposal).count() == 0


def test_electorate_as_at_opening_even_when_written_later(world):
    with write_transaction():
        proposal = services.publish(services.create_proposal(
            world["bram"], world["coop"], form(discussion_days="2")), world["bram"])
    assert reload(proposal).phase() == "discussion"
    assert error_code(services.cast_ballot, proposal, world["bram"],
                      option(proposal, "agree").id) == "not_open"
    # Joined during the discussion: a voter. Joined after voting opened: not.
    with clock.frozen(T0 + DAY):
        early = make_person("Fenna", world["coop"])
    with clock.frozen(T0 + 2 * DAY + HOUR):
        late = make_person("Gijs", world["coop"])
        # No job ran at the opening: the first ballot writes the list as it stood then.
        assert vote(proposal, early, "agree") == "counted"
        assert error_code(services.cast_ballot, proposal, late,
                          option(proposal, "agree").id) == "not_member"
    assert reload(proposal).electorate_fixed_at == T0 + 2 * DAY
    assert Voter.select().where(Voter.proposal == proposal).count() == 4


def test_network_proposal_lets_every_member_of_every_cooperative_vote(world):
    with write_transaction():
        proposal = services.publish(services.create_proposal(None, None, form()), world["ayse"])
    people = set(services.eligible_people(proposal, clock.now()))
    assert {world[name].id for name in ("ayse", "bram", "chantal", "dirk")} <= people
    assert vote(proposal, world["dirk"], "agree") == "counted"


# One member, one vote ----------------------------------------------------------------------

def test_second_ballot_replaces_the_first(world):
    proposal = open_proposal(world)
    assert vote(proposal, world["bram"], "agree") == "counted"
    assert vote(proposal, world["bram"], "disagree") == "changed"
    ballots = list(Ballot.select().where(Ballot.proposal == proposal))
    assert [b.option_id for b in ballots] == [option(proposal, "disagree").id]
    assert services.voted_count(proposal) == 1


def test_block_needs_a_reason_and_choice_must_be_the_proposals(world):
    proposal = open_proposal(world)
    other = open_proposal(world)
    assert error_code(services.cast_ballot, proposal, world["bram"],
                      option(proposal, "block").id, "  ") == "reason_needed"
    assert error_code(services.cast_ballot, proposal, world["bram"],
                      option(other, "agree").id) == "choice_invalid"
    assert error_code(services.cast_ballot, proposal, world["bram"], "x") == "choice_invalid"
    assert vote(proposal, world["bram"], "block", "Te duur voor ons.") == "counted"
    assert Ballot.get(Ballot.proposal == proposal).reason == "Te duur voor ons."


# The close is a time -----------------------------------------------------------------------

def test_close_is_a_time_and_late_ballots_count_within_grace(world):
    proposal = open_proposal(world)
    close = reload(proposal).closes_at
    assert reload(proposal).phase(close - dt.timedelta(seconds=1)) == "voting"
    assert reload(proposal).phase(close) == "provisional"
    assert reload(proposal).phase(close + 24 * HOUR) == "final"
    # Cast offline before the close, arriving after it within the grace period: counted, late.
    assert vote(proposal, world["bram"], "agree", at=close - HOUR, now=close + 23 * HOUR) == (
        "counted")
    assert Ballot.get(Ballot.proposal == proposal).late is True
    # Cast at or after the close: closed, whenever it arrives.
    assert error_code(services.cast_ballot, proposal, world["chantal"],
                      option(proposal, "agree").id, at=close, now=close + HOUR) == "closed"
    # Cast in time, but arriving after the grace period: closed.
    assert error_code(services.cast_ballot, proposal, world["ayse"],
                      option(proposal, "agree").id, at=close - HOUR,
                      now=close + 24 * HOUR) == "closed"
    assert Ballot.select().where(Ballot.proposal == proposal).count() == 1


def test_outcome_is_provisional_then_final_and_kept_with_counts(world):
    proposal = open_proposal(world, quorum_percent="60")
    close = reload(proposal).closes_at
    vote(proposal, world["bram"], "agree")
    vote(proposal, world["ayse"], "agree", paper=True)
    vote(proposal, world["chantal"], "disagree", at=close - HOUR, now=close + HOUR)
    provisional = services.figures(reload(proposal), close + 2 * HOUR)
    assert (provisional["result"], provisional["voted"], provisional["paper"],
            provisional["late"]) == ("adopted", 3, 1, 1)
    with write_transaction():
        assert services.finalise(proposal, close + 2 * HOUR) is False  # not final yet
        assert services.finalise(proposal, close + 24 * HOUR) is True
        assert services.finalise(proposal, close + 25 * HOUR) is False  # kept once
    stored = reload(proposal).stored_outcome()
    assert stored["result"] == "adopted" and stored["quorum_needed"] == 2
    assert {c["kind"]: c["count"] for c in stored["counts"]} == {
        "agree": 2, "abstain": 0, "disagree": 1, "block": 0}
    assert (stored["paper"], stored["late"], stored["electorate"]) == (1, 1, 3)


# Secret ballots ----------------------------------------------------------------------------

def test_secret_ballot_rows_do_not_reveal_the_voter(world, app):
    proposal = open_proposal(world, secret="1")
    vote(proposal, world["bram"], "agree")
    vote(proposal, world["chantal"], "disagree")
    vote(proposal, world["bram"], "abstain")  # changed: found again by the keyed token
    rows = [model_to_dict(b, recurse=False) for b in Ballot.select().where(
        Ballot.proposal == proposal)]
    assert len(rows) == 2
    people = {world[n].id: world[n] for n in ("ayse", "bram", "chantal")}
    for row in rows:
        assert row["person"] is None and row["cast_at"] is None
        for person_id, person in people.items():
            # Nothing derived from the person without the app's key.
            for guess in (str(person_id), person.display_name, person.email):
                for digest in (hashlib.sha256, hashlib.md5, hashlib.sha1):
                    assert row["token"] != digest(
                        f"{proposal.id}:{guess}".encode()).hexdigest()
                    assert row["token"] != digest(guess.encode()).hexdigest()
            assert str(person_id) not in {str(v) for k, v in row.items() if k not in (
                "id", "proposal", "option", "token")}
    # The voters' rows name no option.
    assert "option" not in Voter._meta.fields and "option_id" not in Voter._meta.columns
    assert services.own_ballot(proposal, world["bram"]).option.kind == "abstain"
    # Once final, the tokens are wiped: not even the key links a ballot to anyone.
    with write_transaction():
        services.finalise(proposal, reload(proposal).grace_ends_at)
    assert {b.token for b in Ballot.select().where(Ballot.proposal == proposal)} == {None}
    assert services.own_ballot(reload(proposal), world["bram"]) is None
    assert services.has_voted(proposal, world["bram"])


def test_who_voted_is_shown_only_from_three_voters(world):
    proposal = open_proposal(world, secret="1")
    vote(proposal, world["bram"], "agree")
    vote(proposal, world["chantal"], "agree")
    assert services.who_voted(proposal) is None
    vote(proposal, world["ayse"], "agree")
    assert services.who_voted(proposal) == ["Ayse", "Bram", "Chantal"]


# Writing, approving, discussing ------------------------------------------------------------

def test_text_is_frozen_once_voting_opens(world):
    with write_transaction():
        proposal = services.publish(services.create_proposal(
            world["bram"], world["coop"], form(discussion_days="1")), world["bram"])
    with write_transaction():
        services.update_proposal(proposal, form(discussion_days="1", title_nl="Nieuwe titel"))
    assert reload(proposal).title_nl == "Nieuwe titel"
    with clock.frozen(T0 + DAY):
        assert error_code(services.update_proposal, proposal, form(title_nl="Te laat")) == (
            "frozen")
    assert reload(proposal).title_nl == "Nieuwe titel"


def test_approval_when_the_cooperative_requires_it(world):
    with write_transaction():
        services.set_requires_approval(world["coop"], True)
        proposal = services.create_proposal(world["bram"], world["coop"], form())
        services.publish(proposal, world["bram"])
    assert reload(proposal).phase() == "awaiting"
    assert error_code(services.cast_ballot, proposal, world["bram"],
                      option(proposal, "agree").id) == "not_open"
    with write_transaction():
        services.approve(proposal, world["ayse"])
    assert reload(proposal).phase() == "voting"
    assert reload(proposal).approved_by_id == world["ayse"].id
    # A coordinator's own proposal needs nobody's approval.
    with write_transaction():
        own = services.publish(services.create_proposal(world["ayse"], world["coop"], form()),
                               world["ayse"])
    assert own.phase() == "voting"


def test_bad_fields_are_refused_with_their_codes(world):
    def create(**changes):
        return services.create_proposal(world["bram"], world["coop"], form(**changes))
    before = Proposal.select().count()
    assert error_code(create, title_nl=" ") == "title_missing"
    assert error_code(create, text_nl="") == "text_missing"
    assert error_code(create, quorum_percent="101") == "quorum_invalid"
    assert error_code(create, majority="most") == "majority_invalid"
    assert error_code(create, discussion_days="-1") == "discussion_invalid"
    assert error_code(create, grace_hours="0") == "grace_invalid"
    assert error_code(create, closes_at="morgen") == "closes_invalid"
    assert error_code(create, closes_at=clock.local(clock.now()).isoformat()) == "closes_too_soon"
    assert error_code(create, options="own", own_options="Ja") == "options_invalid"
    assert error_code(create, options="own", own_options="Ja\nja") == "options_invalid"
    assert Proposal.select().count() == before
    with write_transaction():
        own = create(options="own", own_options="Zaterdag\n\n Zondag ")
    assert [o.label_nl for o in own.options_in_order()] == ["Zaterdag", "Zondag"]


def test_comments_until_the_close(world):
    proposal = open_proposal(world)
    with write_transaction():
        services.add_comment(proposal, world["bram"], "Goed plan!")
    assert error_code(services.add_comment, proposal, world["bram"], "  ") == "comment_missing"
    with clock.frozen(reload(proposal).closes_at):
        assert error_code(services.add_comment, proposal, world["bram"], "Nog iets") == "closed"
    assert [c.body for c in Comment.of(proposal)] == ["Goed plan!"]


def test_votes_waiting_counts_open_proposals_not_yet_voted(world):
    first, second = open_proposal(world), open_proposal(world)
    assert {p.id for p in services.votes_waiting(world["bram"])} == {first.id, second.id}
    vote(first, world["bram"], "agree")
    assert [p.id for p in services.votes_waiting(world["bram"])] == [second.id]
    assert services.votes_waiting(world["dirk"]) == []


# The vote.cast action ----------------------------------------------------------------------

def cast(proposal, person, kind, at, reason="", now=None, action_id=None):
    action = {"id": action_id or str(uuid.uuid4()), "type": "vote.cast",
              "at": at.replace(tzinfo=dt.timezone.utc).isoformat(),
              "data": {"proposal": proposal.id, "choice": option(proposal, kind).id,
                       "reason": reason}}
    with clock.frozen(now or clock.now()):
        return apply(action, person)


def test_vote_cast_action_follows_each_rule(world):
    proposal = open_proposal(world)
    close = reload(proposal).closes_at
    result = cast(proposal, world["bram"], "agree", clock.now())
    assert (result.status, result.outcome) == ("applied", "counted")
    assert cast(proposal, world["bram"], "disagree", clock.now()).outcome == "changed"
    offline = cast(proposal, world["chantal"], "agree", close - HOUR, now=close + 20 * HOUR)
    assert (offline.status, offline.outcome) == ("applied", "counted")
    after = cast(proposal, world["ayse"], "agree", close + HOUR, now=close + 2 * HOUR)
    assert (after.status, after.outcome) == ("rejected", "closed")
    stranger = cast(proposal, world["dirk"], "agree", clock.now())
    assert (stranger.status, stranger.outcome) == ("rejected", "not_member")
    block = cast(proposal, world["ayse"], "block", clock.now())
    assert (block.status, block.outcome) == ("rejected", "reason_needed")
    logged_out = cast(proposal, None, "agree", clock.now())
    assert logged_out.status == "unauthorized"
    # The same action again: its stored result, nothing changes.
    action_id = str(uuid.uuid4())
    assert cast(proposal, world["ayse"], "abstain", clock.now(), action_id=action_id
                ).outcome == "counted"
    assert cast(proposal, world["ayse"], "abstain", clock.now(), action_id=action_id
                ).status == "duplicate"
    kinds = sorted(b.option.kind for b in Ballot.select().where(Ballot.proposal == proposal))
    assert kinds == ["abstain", "agree", "disagree"]


def test_time_left_rounds_to_the_nearest_unit(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert services.time_left(T0 + 2 * DAY - dt.timedelta(seconds=1), T0) == "2 days"
        assert services.time_left(T0 + 36 * HOUR, T0) == "2 days"
        assert services.time_left(T0 + 35 * HOUR, T0) == "35 hours"
        assert services.time_left(T0 + 80 * dt.timedelta(minutes=1), T0) == "80 minutes"
        assert services.time_left(T0 - HOUR, T0) == "1 minute"


def test_daily_round_fixes_electorates_and_keeps_final_outcomes(world):
    from peerm.decisions.part import _housekeeping

    with write_transaction():
        later = services.publish(services.create_proposal(
            world["bram"], world["coop"], form(discussion_days="1")), world["bram"])
    closing = open_proposal(world, secret="1")
    vote(closing, world["bram"], "agree")
    done = _housekeeping(reload(closing).grace_ends_at)
    assert done["electorates fixed"] >= 1 and done["outcomes kept"] >= 1
    assert reload(later).electorate_fixed_at == T0 + DAY
    assert reload(closing).stored_outcome()["voted"] == 1
    assert Ballot.get(Ballot.proposal == closing).token is None
    again = _housekeeping(reload(closing).grace_ends_at + HOUR)
    assert reload(closing).outcome_at == reload(closing).grace_ends_at
    assert again["outcomes kept"] == 0


def test_erasure_keeps_ballots_counted_and_takes_names_out_of_comments(world):
    proposal = open_proposal(world)
    vote(proposal, world["bram"], "agree")
    with write_transaction():
        services.add_comment(proposal, world["bram"], "Bram hier: ik doe mee.")
        services.add_comment(proposal, world["ayse"], "Dank je, Bram!")
        services.erase_person(world["bram"], ["Bram"])
    assert [b.person_id for b in Ballot.select().where(Ballot.proposal == proposal)] == [None]
    assert services.tally_of(reload(proposal)).voted == 1
    bodies = [(c.person_id, c.body) for c in Comment.of(proposal)]
    assert bodies == [(None, "\u2014 hier: ik doe mee."), (world["ayse"].id, "Dank je, \u2014!")]
