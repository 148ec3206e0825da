"""Races on the needs board, run for real against the served app (threads on SQLite, two
processes on PostgreSQL): answers that together complete a need, sent at the same moment,
are taken in order of arrival until the need has enough, and the rest are told so. No request
may end in a 5xx.
"""
import datetime as dt
from decimal import Decimal

from peerm.core import clock
from peerm.initiatives.models import Initiative
from peerm.needs.models import Need, Pledge

from .conftest import action, at_once


def make_need(servers, quantity):
    with servers.database():
        return Need.create(initiative=Initiative.get(slug="lucas-community"), kind="money",
                           text_nl="Geld voor het busje", text_en="Money for the van",
                           quantity=Decimal(quantity), status="open", visibility="network",
                           list_until=clock.today() + dt.timedelta(days=30),
                           created_at=clock.now()).id


def results(answers):
    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed
    return [answer.json()["results"][0] for answer in answers]


def test_two_answers_completing_a_need_at_once_are_taken_once(servers):
    need_id = make_need(servers, 100)
    clients = [servers.client(i) for i in range(2)]
    gifts = [action("need.respond", {"need": need_id, "offer": "Een gift", "amount": 100,
                                     "name": f"Gever {i}", "contact": f"gever{i}@example.org"})
             for i in range(2)]

    answers = results(at_once(2, lambda i: clients[i].sync([gifts[i]])))

    assert sorted(r["outcome"] for r in answers) == ["enough", "pledged"]
    with servers.database():
        pledges = list(Pledge.select().where(Pledge.need == need_id))
        assert len(pledges) == 1 and pledges[0].amount == Decimal(100)
        assert Need.get_by_id(need_id).status == "enough"


def test_many_answers_at_once_stop_as_soon_as_the_need_has_enough(servers):
    need_id = make_need(servers, 10)
    count = 8
    clients = [servers.client(i) for i in range(count)]
    gifts = [action("need.respond", {"need": need_id, "offer": "Een gift", "amount": "3",
                                     "name": f"Gever {i}", "contact": f"gever{i}@example.org"})
             for i in range(count)]

    answers = results(at_once(count, lambda i: clients[i].sync([gifts[i]])))

    outcomes = [r["outcome"] for r in answers]
    # 3 + 3 + 3 is not yet 10; the fourth makes it enough; the others come too late.
    assert outcomes.count("pledged") == 4 and outcomes.count("enough") == count - 4, outcomes
    with servers.database():
        need = Need.get_by_id(need_id)
        assert need.status == "enough"
        assert need.totals() == (Decimal(12), Decimal(0))
        assert Pledge.select().where(Pledge.need == need_id).count() == 4
