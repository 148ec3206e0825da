"""`Event.upcoming`: what is coming up, soonest first, ended events left out."""
import datetime as dt

import pytest

from peerm.core import clock
from peerm.events.models import Event
from peerm.initiatives.models import Initiative

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _event(key, starts_at, ends_at, initiative=None):
    return Event.create(seed_key=key, kind="local", initiative=initiative, title_nl=key,
                        title_en=key, summary_nl="…", summary_en="…", place="Breda",
                        starts_at=starts_at, ends_at=ends_at)


@pytest.fixture
def calendar(empty_db):
    """Five events around now, made out of order: two ended, one going on, two to come."""
    now = clock.now()
    initiative = Initiative.create(slug="vrije-expeditie", name="De Vrije Expeditie",
                                   city="Breda", legal_form="cooperative", summary_nl="…",
                                   summary_en="…", description_nl="…", description_en="…")
    _event("next-week", now + 7 * DAY, now + 7 * DAY + 2 * HOUR)
    _event("last-week", now - 7 * DAY, now - 7 * DAY + 2 * HOUR, initiative)
    _event("tomorrow", now + DAY, now + DAY + HOUR, initiative)
    _event("ended-a-minute-ago", now - 2 * HOUR, now - dt.timedelta(minutes=1))
    _event("going-on", now - HOUR, now + HOUR, initiative)
    return now


def _keys(query):
    return [event.seed_key for event in query]


def test_upcoming_leaves_out_ended_events_and_orders_soonest_first(calendar):
    assert _keys(Event.upcoming()) == ["going-on", "tomorrow", "next-week"]
    assert _keys(Event.upcoming(limit=2)) == ["going-on", "tomorrow"]
    assert _keys(Event.upcoming(limit=1)) == ["going-on"]


def test_upcoming_counts_from_given_moment_when_now_is_passed(calendar):
    assert _keys(Event.upcoming(now=calendar + 2 * DAY)) == ["next-week"]
    assert _keys(Event.upcoming(now=calendar - 8 * DAY)) == [
        "last-week", "ended-a-minute-ago", "going-on", "tomorrow", "next-week"]


def test_upcoming_keeps_events_of_the_whole_network_when_joined(calendar):
    events = {event.seed_key: event for event in Event.upcoming()}
    assert events["next-week"].initiative is None
    assert events["tomorrow"].initiative.name == "De Vrije Expeditie"
    Event.delete().execute()
    assert list(Event.upcoming()) == []


