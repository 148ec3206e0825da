"""`load_demo`, which adds every part's demo data that is missing and keeps what changed, and
`next_occurrence`."""
import datetime as dt

import pytest

from peerm.cli import load_demo
from peerm.core import clock
from peerm.events.demo import next_occurrence
from peerm.events.models import Event
from peerm.events.seed import EVENTS, PAST_TALKS
from peerm.initiatives.models import Initiative, Partner
from peerm.initiatives.seed import INITIATIVES, SPONSORS
from peerm.needs.models import Need
from peerm.needs.seed import NEEDS
from peerm.parts import all_models


def _counts():
    return {model.__name__: model.select().count() for model in all_models()}


@pytest.fixture
def demo(app, db_connection):
    """The demo data the app fixture loaded, with the app's context open (hashing needs it)."""
    with app.app_context():
        yield db_connection


def test_load_demo_adds_nothing_when_run_again(demo):
    before = _counts()
    assert set(load_demo().values()) == {0}
    assert _counts() == before
    assert before["Initiative"] == len(INITIATIVES)
    assert before["Event"] == len(EVENTS) + len(PAST_TALKS)


def test_load_demo_keeps_changes_when_run_again(demo):
    initiative = Initiative.get(Initiative.slug == INITIATIVES[0]["slug"])
    initiative.name = "Renamed by a coordinator"
    initiative.save()
    event = Event.get(Event.seed_key == EVENTS[0]["key"])
    event.title_nl = "Verplaatst"
    event.save()
    sponsor = Partner.sponsors().first()
    sponsor.name = "Renamed sponsor"
    sponsor.save()
    before = _counts()

    load_demo()

    assert Initiative.get_by_id(initiative.id).name == "Renamed by a coordinator"
    assert Event.get_by_id(event.id).title_nl == "Verplaatst"
    assert Partner.get_by_id(sponsor.id).name == "Renamed sponsor"
    assert _counts() == before


def test_load_demo_restores_co_operative_when_it_was_deleted(demo):
    item = next(i for i in INITIATIVES if any(e["initiative"] == i["slug"] for e in EVENTS))
    own_events = [e for e in EVENTS if e["initiative"] == item["slug"]]
    before = _counts()
    Initiative.get(Initiative.slug == item["slug"]).delete_instance()
    assert Event.select().count() == before["Event"] - len(own_events)

    added = load_demo()
    assert (added["co-operatives"], added["events"]) == (1, len(own_events))

    restored = Initiative.get(Initiative.slug == item["slug"])
    assert restored.position == INITIATIVES.index(item) + 1
    assert restored.needs.count() == len(NEEDS.get(item["slug"], []))
    restored_tables = ("Initiative", "Need", "Partner", "Event")
    after = _counts()
    assert {k: after[k] for k in restored_tables} == {k: before[k] for k in restored_tables}


def test_load_demo_fills_empty_database_from_seed(empty_db, app):
    today = dt.date(2027, 3, 21)
    with app.app_context(), clock.frozen(dt.datetime(2027, 3, 21, 12, 0)):
        added = load_demo()
    assert (added["co-operatives"], added["events"]) == (len(INITIATIVES), len(EVENTS))
    assert Need.select().count() == sum(len(needs) for needs in NEEDS.values())
    assert Partner.select().count() == (sum(len(i["partners"]) for i in INITIATIVES)
                                        + len(SPONSORS))
    assert [i.slug for i in Initiative.listed()] == [i["slug"] for i in INITIATIVES]
    coming = Event.select().where(Event.seed_key.in_([e["key"] for e in EVENTS]))
    assert coming.count() == len(EVENTS)
    for event in coming:
        assert today <= event.starts_at.date() < today.replace(year=2028)
        assert event.starts_at < event.ends_at
    past = Event.select().where(Event.seed_key.in_([t["key"] for t in PAST_TALKS]))
    assert sorted(e.starts_at.date().isoformat() for e in past) == sorted(
        t["date"] for t in PAST_TALKS)
    spring = Event.get(Event.seed_key == "picnic-spring")
    assert spring.starts_at.date() == today
    assert spring.initiative.slug == "vrije-expeditie"


@pytest.mark.parametrize("today, month, day, expected", [
    (dt.date(2027, 6, 21), 6, 21, dt.date(2027, 6, 21)),    # today itself
    (dt.date(2027, 6, 22), 6, 21, dt.date(2028, 6, 21)),    # yesterday: next year
    (dt.date(2027, 6, 20), 6, 21, dt.date(2027, 6, 21)),    # tomorrow: this year
    (dt.date(2027, 12, 31), 1, 1, dt.date(2028, 1, 1)),     # over New Year
    (dt.date(2027, 1, 1), 12, 31, dt.date(2027, 12, 31)),   # the last day of this year
    (dt.date(2027, 1, 1), 1, 1, dt.date(2027, 1, 1)),
])
def test_next_occurrence_is_today_or_later_within_a_year(today, month, day, expected):
    assert next_occurrence(today, month, day) == expected


def test_next_occurrence_finds_leap_day_when_this_year_has_none():
    assert next_occurrence(dt.date(2027, 3, 1), 2, 29) == dt.date(2028, 2, 29)
