"""A property of the tally: any mix of voters, changes of mind, arrival orders and late
arrivals gives the tally that the rules, worked out by hand here, give.

The rules by hand: a ballot counts when its voter was on the list, it was cast before the close,
it arrived before the grace period ended, and a block carries a reason; of a voter's counted
ballots the one that arrived last is theirs. The quorum is the share of the list, rounded up.
A block stops the proposal; else more than half (or at least two thirds) of agree and disagree
must agree. With own options, one option must have more than half (or two thirds) of the
ballots. Fractions, not the services' integer arithmetic.
"""
import datetime as dt
import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_decisions_services import T0, ctx, make_initiative, make_person  # noqa: F401

from peerm.core import clock
from peerm.core.db import write_transaction
from peerm.decisions import services
from peerm.decisions.models import Ballot, Option, Proposal
from peerm.decisions.services import DecisionError

HOUR = dt.timedelta(hours=1)
MEMBERS = 5
PROPERTY = settings(max_examples=80, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

attempt = st.tuples(
    st.integers(0, MEMBERS),          # who (MEMBERS: someone without a vote)
    st.integers(0, 3),                # which option
    st.sampled_from([-70, -30, -5, -1, 1]),   # cast, in hours from the close
    st.sampled_from([0, 0, 0, 2, 20, 40]),   # arrived, hours after it was cast
    st.booleans(),                    # with a reason
)


@pytest.fixture
def voters(ctx):  # noqa: F811
    coop = make_initiative()
    members = [make_person(f"Lid{n}", coop) for n in range(MEMBERS)]
    return coop, members + [make_person("Buiten", make_initiative("elders"))]


def by_hand(kinds, ballots, electorate, quorum, majority):
    """(voted, result, counts by option index) as the rules say."""
    voted = len(ballots)
    counts = [sum(1 for b in ballots.values() if b == i) for i in range(len(kinds))]
    if not (voted >= math.ceil(Fraction(quorum * electorate, 100)) and voted > 0):
        return voted, "no_quorum", counts
    need = Fraction(1, 2) if majority == "half" else Fraction(2, 3)
    enough = (lambda share: share > need) if majority == "half" else (lambda s: s >= need)
    if kinds[0] != "own":
        agree, disagree = counts[kinds.index("agree")], counts[kinds.index("disagree")]
        if counts[kinds.index("block")]:
            return voted, "blocked", counts
        if agree + disagree and enough(Fraction(agree, agree + disagree)):
            return voted, "adopted", counts
        return voted, "rejected", counts
    top = max(counts)
    if counts.count(top) == 1 and enough(Fraction(top, voted)):
        return voted, "chosen", counts
    return voted, "no_majority", counts


@PROPERTY
@given(attempts=st.lists(attempt, min_size=1, max_size=12), own=st.booleans(),
       quorum=st.sampled_from([0, 0, 20, 40, 50, 60, 100]), majority=st.sampled_from(["half", "two_thirds"]),
       grace=st.integers(1, 30))
def test_tally_matches_the_rules_by_hand(voters, attempts, own, quorum, majority, grace):
    coop, people = voters
    closes = T0 + 3 * 24 * HOUR
    raw = {"title_nl": "Stemming", "text_nl": "Tekst", "quorum_percent": str(quorum),
           "majority": majority, "discussion_days": "0", "grace_hours": str(grace),
           "closes_at": clock.local(closes).isoformat()}
    if own:
        raw.update(options="own", own_options="Rood\nGroen\nBlauw\nGeel")
    with clock.frozen(T0), write_transaction():
        proposal = services.publish(services.create_proposal(people[0], coop, raw), people[0])
    options = list(Option.select().where(Option.proposal == proposal).order_by(Option.position))
    kinds = [o.kind for o in options]
    grace_end = closes + grace * HOUR
    # In the order of arrival; the order drawn breaks ties.
    timed = sorted(((closes + at * HOUR + delay * HOUR, n, who, choice, closes + at * HOUR,
                     with_reason) for n, (who, choice, at, delay, with_reason)
                    in enumerate(attempts)))
    expected, late = {}, {}
    for arrived, _n, who, choice, cast_at, with_reason in timed:
        counts = (who < MEMBERS and cast_at < closes and arrived < grace_end
                  and (kinds[choice] != "block" or with_reason))
        try:
            with write_transaction():
                services.cast_ballot(Proposal.get_by_id(proposal.id), people[who],
                                     options[choice].id, "Omdat het moet." if with_reason else "",
                                     at=cast_at, now=arrived)
        except DecisionError:
            assert not counts
        else:
            assert counts
            expected[who] = choice
            late[who] = arrived >= closes
    voted, result, counts = by_hand(kinds, expected, MEMBERS, quorum, majority)
    tally = services.tally_of(Proposal.get_by_id(proposal.id), grace_end)
    assert (tally.voted, tally.result) == (voted, result)
    assert [tally.counts[o.id] for o in options] == counts
    assert tally.late == sum(late.values())
    assert tally.electorate == MEMBERS
    assert Ballot.select().where(Ballot.proposal == proposal).count() == len(expected)


def test_count_examples_at_the_edges():
    standard = {1: "agree", 2: "abstain", 3: "disagree", 4: "block"}
    assert services.count(standard, [1, 1, 4], 3, 50, "half").result == "blocked"
    assert services.count(standard, [1, 3, 2, 2], 4, 50, "half").result == "rejected"  # a tie
    assert services.count(standard, [1, 1, 3, 2], 4, 100, "two_thirds").result == "adopted"
    assert services.count(standard, [1, 3], 4, 50, "two_thirds").result == "rejected"
    assert services.count(standard, [1, 1], 5, 50, "half").result == "no_quorum"  # 3 needed
    assert services.count(standard, [2, 2], 2, 0, "half").result == "rejected"   # all abstain
    assert services.count(standard, [], 0, 0, "half").result == "no_quorum"
    own = {7: "own", 8: "own", 9: "own"}
    assert services.count(own, [7, 7, 8], 3, 0, "half").winner == 7
    assert services.count(own, [7, 8], 3, 0, "half").result == "no_majority"
    assert services.count(own, [7, 7, 8], 3, 0, "two_thirds").result == "chosen"
    assert services.count(own, [7, 7, 8, 9], 4, 0, "two_thirds").result == "no_majority"
