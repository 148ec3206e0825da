"""The pages of decisions through the test client, on SQLite and PostgreSQL: the list (open
first, then closed with their outcome), writing, editing (frozen once voting opens), publishing
and approving, the ballot form online and through /sync (a ballot cast before the close counts
when it arrives within the grace period), paper ballots, the discussion, secret ballots, the home
card and the pages kept on the phone. Bad input answers 400 with a clear message and changes
nothing.

The world is the demo: Lucas Community votes on cooking twice a week (Kees voted; Mohammed and
Fatima not yet), Talent in Actie votes in secret, Soesterkwartier is in discussion, and the
network's proposal closed with its outcome kept. Outcomes are read from `data-outcome`, page text
only with the English cookie set.
"""
import datetime as dt
import json
import re
import uuid

import pytest

from peerm.core import clock
from peerm.core.db import db
from peerm.decisions.models import Ballot, Comment, Option, Proposal, Voter

HTMX = {"HX-Request": "true"}
HOUR = dt.timedelta(hours=1)
MOHAMMED, KEES, FATIMA = "mohammed@peerm.example", "kees@peerm.example", "fatima@peerm.example"
JAN, ADMIN, ELS = "jan@peerm.example", "beheer@peerm.example", "els@peerm.example"


def in_db(app, query):
    with app.app_context(), db.connection_context():
        return query()


def proposal_id(app, key):
    return in_db(app, lambda: Proposal.get(Proposal.seed_key == key).id)


def option_id(app, pid, kind):
    return in_db(app, lambda: Option.get((Option.proposal == pid) & (Option.kind == kind)).id)


def ballots(app, pid):
    return in_db(app, lambda: list(Ballot.select().where(Ballot.proposal == pid)))


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def lucas(app):
    return proposal_id(app, "lucas-koken-twee-avonden")


@pytest.fixture
def network(app):
    return proposal_id(app, "netwerk-geen-subsidie-afhankelijkheid")


@pytest.fixture
def person(app, log_in):
    """`person(email, lang="en")`: a logged-in client in that language."""
    def make(email, lang="en"):
        client = log_in(email)
        client.set_cookie("lang", lang)
        return client
    return make


def vote_form(client, form_token, pid, choice, reason="", action_id=None, headers=HTMX):
    return client.post(f"/decisions/{pid}/vote", headers=headers, data={
        "csrf_token": form_token(client, f"/decisions/{pid}"),
        "action_id": action_id or str(uuid.uuid4()), "proposal": str(pid),
        "choice": str(choice), "reason": reason})


def proposal_form(**changes):
    values = {"initiative": "lucas-community", "title_nl": "Een moestuin achter het buurthuis",
              "text_nl": "We leggen samen een moestuin aan.", "quorum_percent": "50",
              "majority": "half", "discussion_days": "2", "grace_hours": "24",
              "closes_at": clock.local(clock.now() + dt.timedelta(days=9)).strftime(
                  "%Y-%m-%dT%H:%M"), "options": "standard"}
    values.update(changes)
    return values


# The list ----------------------------------------------------------------------------------

def test_list_shows_open_first_with_time_left_then_closed_with_outcome(person, lucas):
    page = text(person(MOHAMMED).get("/decisions"))
    open_at, closed_at = page.index('id="open-title"'), page.index('id="closed-title"')
    cooking = page.index("Cooking and eating together")
    network = page.index("Every co-operative in the network")
    assert open_at < cooking < closed_at < network
    assert re.search(r"Voting closes in \d+ days\.", page)
    assert "1 of 3 have voted." in page
    assert "Adopted" in page[closed_at:]
    # Talent in Actie's proposal is not Mohammed's to see.
    assert "My Toolbox" not in page


def test_list_and_proposal_need_login_and_membership(app, client, person, lucas):
    assert client.get("/decisions").status_code == 303
    assert client.get(f"/decisions/{lucas}").headers["Location"].startswith("/login")
    assert person(JAN).get(f"/decisions/{lucas}").status_code == 404
    assert person(JAN).get("/decisions/99999999999999999999999").status_code == 404


# Writing, editing, publishing --------------------------------------------------------------

def test_new_proposal_is_a_draft_until_published(app, person, form_token):
    client = person(MOHAMMED)
    response = client.post("/decisions/new", data={
        "csrf_token": form_token(client, "/decisions/new"), **proposal_form()})
    assert response.status_code == 303
    pid = int(response.headers["Location"].rsplit("/", 1)[1])
    assert in_db(app, lambda: Proposal.get_by_id(pid).phase()) == "draft"
    # A draft is seen by its author and the coordinators only.
    assert person(KEES).get(f"/decisions/{pid}").status_code == 404
    assert person(FATIMA).get(f"/decisions/{pid}").status_code == 200
    response = client.post(f"/decisions/{pid}/publish",
                           data={"csrf_token": form_token(client, f"/decisions/{pid}")})
    assert response.status_code == 303
    stored = in_db(app, lambda: Proposal.get_by_id(pid))
    assert stored.phase() == "discussion"
    assert abs(stored.voting_opens_at - clock.now() - dt.timedelta(days=2)) < dt.timedelta(minutes=1)
    assert "Voting opens in 2 days" in text(person(KEES).get(f"/decisions/{pid}"))


@pytest.mark.parametrize("changes, message", [
    ({"title_nl": ""}, "Give the proposal a title in Dutch."),
    ({"quorum_percent": "150"}, "The quorum is a share from 0 to 100 percent."),
    ({"closes_at": "soon"}, "Fill in the closing date and time, like 2026-12-01 20:00."),
    ({"options": "own", "own_options": "Only one"},
     "Write 2 to 6 options of your own, one on each line."),
    ({"initiative": "talent-in-actie"}, "Choose a co-operative you belong to."),
    ({"initiative": "network"}, "Choose a co-operative you belong to."),
])
def test_new_proposal_refuses_bad_input_with_400_and_stores_nothing(
        app, person, form_token, changes, message):
    client = person(MOHAMMED)
    before = in_db(app, lambda: Proposal.select().count())
    response = client.post("/decisions/new", data={
        "csrf_token": form_token(client, "/decisions/new"), **proposal_form(**changes)})
    assert response.status_code == 400
    assert message in text(response)
    # What was typed stays in the form.
    assert "We leggen samen een moestuin aan." in text(response)
    assert in_db(app, lambda: Proposal.select().count()) == before


def test_text_is_frozen_once_voting_opens(app, person, form_token, lucas):
    client = person(FATIMA)
    assert "cannot change any more" in text(client.get(f"/decisions/{lucas}/edit"))
    response = client.post(f"/decisions/{lucas}/edit", data={
        "csrf_token": form_token(client, f"/decisions/{lucas}"),
        **proposal_form(title_nl="Iets anders", discussion_days="0")})
    assert response.status_code == 400
    assert "Voting has opened, so the text cannot change any more." in text(response)
    assert in_db(app, lambda: Proposal.get_by_id(lucas).title_nl).startswith("Samen koken")
    # Members who did not write it may not edit at all.
    assert person(MOHAMMED).get(f"/decisions/{lucas}/edit").status_code == 403


def test_approval_first_when_the_cooperative_wants_it(app, person, form_token):
    fatima = person(FATIMA)
    assert fatima.post("/decisions/settings/lucas-community", data={
        "csrf_token": form_token(fatima, "/decisions"), "require_approval": "1"}
    ).status_code == 303
    mohammed = person(MOHAMMED)
    response = mohammed.post("/decisions/new", data={
        "csrf_token": form_token(mohammed, "/decisions/new"), **proposal_form()})
    pid = int(response.headers["Location"].rsplit("/", 1)[1])
    mohammed.post(f"/decisions/{pid}/publish",
                  data={"csrf_token": form_token(mohammed, f"/decisions/{pid}")})
    assert in_db(app, lambda: Proposal.get_by_id(pid).phase()) == "awaiting"
    assert "waiting for approval" in text(fatima.get("/decisions")).lower()
    assert mohammed.post(f"/decisions/{pid}/approve", data={
        "csrf_token": form_token(mohammed, f"/decisions/{pid}")}).status_code == 403
    assert fatima.post(f"/decisions/{pid}/approve", data={
        "csrf_token": form_token(fatima, f"/decisions/{pid}")}).status_code == 303
    assert in_db(app, lambda: Proposal.get_by_id(pid).phase()) == "discussion"


# Voting ------------------------------------------------------------------------------------

def test_ballot_forms_are_offline_capable_and_block_asks_a_reason(app, person, lucas):
    page = text(person(MOHAMMED).get(f"/decisions/{lucas}"))
    vote, block = re.findall(r'(?s)<form class="stack ballot card".*?</form>', page)
    for form in (vote, block):
        assert 'data-offline="vote.cast"' in form
        assert re.search(r'name="action_id" value="[0-9a-f-]{36}"', form)
        assert f'name="proposal" value="{lucas}"' in form
    assert vote.count('name="choice"') == 3 and 'name="reason"' in vote
    # Blocking is its own form, whose reason the browser asks for before it is sent.
    assert f'name="choice" value="{option_id(app, lucas, "block")}"' in block
    assert re.search(r'<textarea[^>]*name="reason"[^>]*required', block)


def test_vote_counts_then_changes_and_shows_your_ballot(app, person, form_token, lucas):
    client = person(MOHAMMED)
    first = vote_form(client, form_token, lucas, option_id(app, lucas, "agree"))
    assert 'data-outcome="counted"' in text(first)
    # The answer also brings the page's "your vote" and turnout up to date (htmx, out of band).
    assert re.search(r'id="your-ballot" hx-swap-oob="true">\s*<p class="flash">You voted: Agree.',
                     text(first))
    assert 'hx-swap-oob="true">2 of 3 members have voted' in text(first)
    second = vote_form(client, form_token, lucas, option_id(app, lucas, "abstain"))
    assert 'data-outcome="changed"' in text(second)
    mine = [b for b in ballots(app, lucas) if b.person_id is not None
            and b.person.email == MOHAMMED]
    assert [b.option.kind for b in mine] == ["abstain"]
    page = text(client.get(f"/decisions/{lucas}"))
    assert "You voted: Abstain." in page
    assert "Change my vote" in page
    assert "2 of 3 members have voted" in page


def test_vote_refusals_are_400_with_their_reason_and_change_nothing(
        app, person, form_token, lucas):
    before = len(ballots(app, lucas))
    block = vote_form(person(MOHAMMED), form_token, lucas, option_id(app, lucas, "block"))
    assert block.status_code == 400 and 'data-outcome="reason_needed"' in text(block)
    assert "a block needs a reason" in text(block)
    wrong = vote_form(person(MOHAMMED), form_token, lucas, "12345678")
    assert wrong.status_code == 400 and 'data-outcome="choice_invalid"' in text(wrong)
    stranger = vote_form(person(ADMIN), form_token, lucas, option_id(app, lucas, "agree"))
    assert stranger.status_code == 400 and 'data-outcome="not_member"' in text(stranger)
    # Without JavaScript: the proposal page again, with the message, as a 400.
    plain = vote_form(person(MOHAMMED), form_token, lucas, option_id(app, lucas, "block"),
                      headers={})
    assert plain.status_code == 400 and "a block needs a reason" in text(plain)
    assert len(ballots(app, lucas)) == before


def sync(client, actions):
    return client.post("/sync", data=json.dumps({"actions": actions}),
                       content_type="application/json",
                       headers={"Origin": "http://localhost"}).get_json()["results"]


def test_ballot_cast_offline_before_close_counts_within_grace_then_final(app, person, lucas):
    closes = in_db(app, lambda: Proposal.get_by_id(lucas).closes_at)
    action = {"id": str(uuid.uuid4()), "type": "vote.cast",
              "at": (closes - HOUR).replace(tzinfo=dt.timezone.utc).isoformat(),
              "data": {"proposal": lucas, "choice": option_id(app, lucas, "agree")}}
    late = {**action, "id": str(uuid.uuid4()),
            "at": (closes + HOUR).replace(tzinfo=dt.timezone.utc).isoformat()}
    client = person(MOHAMMED)
    with clock.frozen(closes + 2 * HOUR):
        results = sync(client, [action])
        assert (results[0]["status"], results[0]["outcome"]) == ("applied", "counted")
        fatima = sync(person(FATIMA), [late])
        assert (fatima[0]["status"], fatima[0]["outcome"]) == ("rejected", "closed")
        page = text(client.get(f"/decisions/{lucas}"))
        assert 'data-final="no"' in page and "Result (provisional)" in page
        assert "1 vote arrived after the close and counted" in page
        assert 'data-result="adopted"' in page  # Kees and Mohammed agree; 2 of 3 voted
    with clock.frozen(closes + 25 * HOUR):
        again = sync(client, [{**action, "id": str(uuid.uuid4())}])
        assert (again[0]["status"], again[0]["outcome"]) == ("rejected", "closed")
        page = text(client.get(f"/decisions/{lucas}"))
        assert 'data-final="yes"' in page and "Result (provisional)" not in page
        # Open ballot: once closed, who voted what is shown.
        assert "Mohammed: Agree" in page


def test_paper_ballot_by_coordinator_is_counted_as_paper(app, person, form_token, lucas):
    member = person(MOHAMMED)
    assert member.get(f"/decisions/{lucas}/paper").status_code == 403
    fatima = person(FATIMA)
    mohammed_id = in_db(app, lambda: Voter.select().join_from(Voter, Voter.person.rel_model)
                        .where((Voter.proposal == lucas)
                               & (Voter.person.rel_model.email == MOHAMMED)).get().person_id)
    response = fatima.post(f"/decisions/{lucas}/paper", data={
        "csrf_token": form_token(fatima, f"/decisions/{lucas}/paper"),
        "voter": str(mohammed_id), "choice": str(option_id(app, lucas, "disagree"))})
    assert response.status_code == 303
    paper = [b for b in ballots(app, lucas) if b.paper]
    assert [(b.person_id, b.option.kind) for b in paper] == [(mohammed_id, "disagree")]
    refused = fatima.post(f"/decisions/{lucas}/paper", data={
        "csrf_token": form_token(fatima, f"/decisions/{lucas}/paper"),
        "voter": "", "choice": str(option_id(app, lucas, "agree"))})
    assert refused.status_code == 400
    assert "Choose the member whose paper ballot this is." in text(refused)


def test_closed_network_proposal_shows_its_kept_outcome(app, person, network):
    page = text(person(MOHAMMED).get(f"/decisions/{network}"))
    assert 'data-result="adopted"' in page and 'data-final="yes"' in page
    assert "6 of the 7 members who may vote took part" in page
    assert "1 ballot was on paper." in page
    assert "1 vote arrived after the close and counted" in page
    # A secret ballot: no one's choice is shown, and the ballots name nobody.
    assert "Who voted what" not in page
    assert {(b.person_id, b.token) for b in ballots(app, network)} == {(None, None)}
    assert in_db(app, lambda: Proposal.get_by_id(network).stored_outcome()["result"]) == (
        "adopted")


def test_secret_ballot_hides_who_voted_until_three_have(app, person, form_token):
    pid = proposal_id(app, "talent-gereedschap-voor-buren")
    jan = person(JAN)
    assert "Voted:" not in text(jan.get(f"/decisions/{pid}"))  # Els alone voted
    vote_form(jan, form_token, pid, option_id(app, pid, "agree"))
    assert "Voted:" not in text(jan.get(f"/decisions/{pid}"))
    vote_form(person("anouk@peerm.example"), form_token, pid, option_id(app, pid, "disagree"))
    assert "Voted: Anouk, Els, Jan" in text(jan.get(f"/decisions/{pid}"))
    # Jan sees his own choice; the ballots name nobody.
    assert "You voted: Agree." in text(jan.get(f"/decisions/{pid}"))
    assert {b.person_id for b in ballots(app, pid)} == {None}


# The discussion, the home card, the phone --------------------------------------------------

def test_comment_is_added_and_empty_one_refused(app, person, form_token, lucas):
    client = person(MOHAMMED)
    assert client.post(f"/decisions/{lucas}/comments", data={
        "csrf_token": form_token(client, f"/decisions/{lucas}"),
        "body": "Ik kan op donderdag helpen."}).status_code == 303
    assert "Ik kan op donderdag helpen." in text(client.get(f"/decisions/{lucas}"))
    empty = client.post(f"/decisions/{lucas}/comments", data={
        "csrf_token": form_token(client, f"/decisions/{lucas}"), "body": "  "})
    assert empty.status_code == 400 and "Write something first." in text(empty)
    assert in_db(app, lambda: Comment.select().where(Comment.proposal == lucas).count()) == 3


def test_home_card_says_how_many_votes_wait(app, person, form_token, lucas):
    from peerm.decisions.part import PART

    def cards(email):
        from peerm.accounts.models import Person
        with app.test_request_context(headers={"Cookie": "lang=nl"}):
            with db.connection_context():
                return [(c.title, c.count, c.url) for c in PART.today(Person.by_email(email))]
    assert cards(MOHAMMED) == [("1 stem wacht op jou", 1, f"/decisions/{lucas}")]
    assert cards(KEES) == []   # he voted
    vote_form(person(MOHAMMED), form_token, lucas, option_id(app, lucas, "agree"))
    assert cards(MOHAMMED) == []


def test_proposals_are_kept_on_the_phone(person, lucas, network):
    kept = person(MOHAMMED).get("/offline-pages.json").get_json()["pages"]
    assert "/decisions" in kept and f"/decisions/{lucas}" in kept
    assert f"/decisions/{network}" in kept
    # Not kept for someone of another co-operative.
    assert f"/decisions/{lucas}" not in person("anouk@peerm.example").get(
        "/offline-pages.json").get_json()["pages"]
