"""Races in decisions, run for real: one member voting from many phones at once (threads on
SQLite, two app processes on PostgreSQL), through the form and through /sync, open and secret.
One member, one vote: exactly one ballot is kept, one answer says `counted` and every other
`changed`, and no request ends in a 5xx."""
import re

from peerm.accounts.models import Person
from peerm.decisions.models import Ballot, Option, Proposal, Voter

from .conftest import action, at_once

OUTCOME = re.compile(r'data-outcome="([^"]*)"')
VOTES = 8


def _proposal(servers, key):
    with servers.database():
        proposal = Proposal.get(Proposal.seed_key == key)
        options = {o.kind: o.id for o in Option.select().where(Option.proposal == proposal)}
        return proposal.id, options


def _race(servers, email, pid, options):
    clients = [servers.client(i).log_in(email) for i in range(VOTES)]
    tokens = [client.form_token(f"/decisions/{pid}") for client in clients]
    kinds = ["agree", "disagree", "abstain", "agree"]

    def vote(i):
        choice = options[kinds[i % len(kinds)]]
        if i % 2:
            return clients[i].sync([action("vote.cast", {"proposal": pid, "choice": choice})])
        return clients[i].post(f"/decisions/{pid}/vote",
                               {"csrf_token": tokens[i], "proposal": pid, "choice": choice},
                               headers={"HX-Request": "true"})

    answers = at_once(VOTES, vote)
    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed
    outcomes = [a.json()["results"][0]["outcome"] if i % 2 else OUTCOME.search(a.text).group(1)
                for i, a in enumerate(answers)]
    assert sorted(outcomes) == ["changed"] * (VOTES - 1) + ["counted"], outcomes
    return outcomes


def test_one_member_voting_from_many_phones_at_once_keeps_one_open_ballot(servers):
    pid, options = _proposal(servers, "lucas-koken-twee-avonden")
    _race(servers, "mohammed@peerm.example", pid, options)
    with servers.database():
        mohammed = Person.by_email("mohammed@peerm.example")
        assert Ballot.select().where((Ballot.proposal == pid)
                                     & (Ballot.person == mohammed)).count() == 1
        assert Voter.get((Voter.proposal == pid) & (Voter.person == mohammed)).has_voted
        # Kees's ballot from the demo, and Mohammed's: two in all.
        assert Ballot.select().where(Ballot.proposal == pid).count() == 2


def test_one_member_voting_from_many_phones_at_once_keeps_one_secret_ballot(servers):
    pid, options = _proposal(servers, "talent-gereedschap-voor-buren")
    _race(servers, "jan@peerm.example", pid, options)
    with servers.database():
        # Els's ballot from the demo, and Jan's: two, neither naming anyone.
        rows = list(Ballot.select().where(Ballot.proposal == pid))
        assert len(rows) == 2 and {b.person_id for b in rows} == {None}
        assert len({b.token for b in rows}) == 2
