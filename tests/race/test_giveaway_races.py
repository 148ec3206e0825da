"""Races in the give-away shop, run for real: many requests at once against the served app
(threads on SQLite, two processes on PostgreSQL), then a look at what the database kept.

A first-come thing asked for by several people at the same moment goes to exactly one of them;
the others are told it is gone. One person asking for more things at once than the quota of a
co-operative allows gets no more than the quota. No request may end in a 5xx.
"""
import datetime as dt
import re

from peerm.accounts.models import Person
from peerm.giveaway.models import Gift, GiftRequest, PickupPoint
from peerm.initiatives.models import Initiative

from .conftest import action, at_once

SHOP = "weggeefwinkel-amersfoort"
OUTCOME = re.compile(r'data-outcome="([^"]*)"')
# People of the demo who may ask (Bram offers the things).
ASKERS = ["mohammed@peerm.example", "els@peerm.example", "kees@peerm.example",
          "anouk@peerm.example", "jan@peerm.example", "fatima@peerm.example"]


def make_gifts(servers, count, allocation, slug=SHOP):
    with servers.database():
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        return [Gift.create(initiative=Initiative.get(Initiative.slug == slug),
                            giver=Person.by_email("bram@peerm.example"), title=f"Stoel {n}",
                            category="furniture", allocation=allocation,
                            until=now + dt.timedelta(days=2)).id for n in range(count)]


def outcome_of(answer):
    if answer.headers.get("Content-Type", "").startswith("application/json"):
        return answer.json()["results"][0]["outcome"]
    found = OUTCOME.search(answer.text)
    return found.group(1) if found else None


def no_server_errors(answers):
    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed


def test_two_claims_at_once_on_a_first_come_thing_give_it_to_exactly_one(servers):
    (gift,) = make_gifts(servers, 1, "first")
    clients = [servers.client(i).log_in(email) for i, email in enumerate(ASKERS)]
    tokens = [client.form_token(f"/giveaway/{gift}") for client in clients]

    def claim(i):
        # Half through /sync, as a phone sends them, half through the form.
        if i % 2:
            return clients[i].sync([action("gift.claim", {"gift": gift})])
        return clients[i].post(f"/giveaway/{gift}/claim",
                               {"csrf_token": tokens[i], "gift": str(gift)},
                               headers={"HX-Request": "true"})

    answers = at_once(len(clients), claim)
    no_server_errors(answers)
    outcomes = sorted(outcome_of(a) for a in answers)
    assert outcomes == ["gone"] * (len(clients) - 1) + ["promised"], answers
    with servers.database():
        requests = list(GiftRequest.select().where(GiftRequest.gift == gift))
        assert [r.state for r in requests] == ["promised"]
        assert Gift.get_by_id(gift).state == "promised"


def test_parallel_claims_of_one_person_stay_within_the_monthly_quota(servers):
    with servers.database():
        quota = PickupPoint.get(PickupPoint.initiative == Initiative.get(
            Initiative.slug == SHOP)).quota_per_month
    gifts = make_gifts(servers, quota + 3, "draw")
    clients = [servers.client(i).log_in("kees@peerm.example") for i in range(len(gifts))]

    answers = at_once(len(gifts), lambda i: clients[i].sync([action("gift.claim",
                                                                    {"gift": gifts[i]})]))
    no_server_errors(answers)
    outcomes = sorted(outcome_of(a) for a in answers)
    assert outcomes == ["quota"] * 3 + ["requested"] * quota
    with servers.database():
        kees = Person.by_email("kees@peerm.example")
        assert GiftRequest.select().where(GiftRequest.person == kees).count() == quota
