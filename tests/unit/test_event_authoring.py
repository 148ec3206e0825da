"""Events written by coordinators: reading the form (every bad input refused with its stable
code, nothing changed), a series of dates made at once and each date changed on its own, a
cancelled event, more places moving people up from the waiting list in order, the join link's
hour, and the door list's window. Runs on SQLite and PostgreSQL through the `app` fixture."""
import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db, write_transaction
from peerm.events import authoring, services
from peerm.events.models import Event, Signup
from peerm.events.services import EventError
from peerm.initiatives.models import Initiative
from peerm.permissions import event_organisers, may_write_event

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# A Thursday in the Netherlands' winter time, far enough ahead.
FIRST_THURSDAY = "2099-01-01T20:00"


@pytest.fixture
def ctx(app):
    with app.app_context(), db.connection_context():
        yield


def person(email):
    return Person.by_email(email)


def form(**fields):
    values = {"initiative": "lucas-community", "kind": "local", "title_nl": "Buurtsoep",
              "title_en": "", "summary_nl": "Soep voor iedereen.", "place": "Pier 80, Rotterdam",
              "starts_at": "2099-05-01T12:00", "ends_at": "2099-05-01T14:00", "capacity": "20",
              "signup_open": "1"}
    values.update(fields)
    return MultiDict({key: value for key, value in values.items() if value is not None})


def _lucas_coordinator():
    from peerm.accounts.models import Membership

    membership = (Membership.select().join(Initiative)
                  .where((Initiative.slug == "lucas-community")
                         & (Membership.role == "coordinator")).first())
    return membership.person


def refused(fields, event=None, who=None):
    with pytest.raises(EventError) as caught:
        with write_transaction():
            values = authoring.read_form(form(**fields), who or _lucas_coordinator(), event=event)
            if event is None:
                authoring.create_event(values)
            else:
                authoring.update_event(event.id, values)
    return caught.value


def make(**fields):
    with write_transaction():
        return authoring.create_event(authoring.read_form(form(**fields), _lucas_coordinator()))


def test_create_event_stores_dutch_time_in_utc_and_every_field(ctx):
    [event] = make(title_en="Neighbourhood soup", summary_en="Soup for everyone.")
    event = Event.get_by_id(event.id)
    # 12:00 in May in the Netherlands is 10:00 UTC (summer time).
    assert event.starts_at == dt.datetime(2099, 5, 1, 10, 0)
    assert event.ends_at == dt.datetime(2099, 5, 1, 12, 0)
    assert (event.title_nl, event.title_en, event.capacity, event.signup_open) == (
        "Buurtsoep", "Neighbourhood soup", 20, True)
    assert event.initiative.slug == "lucas-community" and event.series is None
    assert event.map_uri == "geo:0,0?q=Pier%2080%2C%20Rotterdam"


@pytest.mark.parametrize("fields, code", [
    ({"ends_at": "2099-05-01T11:00"}, "ends_before_start"),
    ({"ends_at": "2099-05-01T12:00"}, "ends_before_start"),
    ({"starts_at": "2020-05-01T12:00", "ends_at": "2020-05-01T14:00"}, "date_past"),
    ({"title_nl": ""}, "title_missing"),
    ({"summary_nl": " "}, "summary_missing"),
    ({"place": ""}, "place_missing"),
    ({"kind": "feestje"}, "kind_invalid"),
    ({"starts_at": "morgen"}, "time_invalid"),
    ({"starts_at": ""}, "time_missing"),
    ({"capacity": "0"}, "capacity_invalid"),
    ({"capacity": "veel"}, "capacity_invalid"),
    ({"online_url": "http://meet.example.org/x"}, "online_url_invalid"),
    ({"ends_at": "2099-05-09T14:00"}, "too_long"),
    ({"repeat": "weekly"}, "repeat_invalid"),
    ({"repeat": "monthly", "count": "30"}, "count_invalid"),
    ({"initiative": "free-exit"}, "not_allowed"),
    ({"initiative": ""}, "not_allowed"),
])
def test_create_event_is_refused_and_changes_nothing_when_input_is_bad(ctx, fields, code):
    before = Event.select().count()
    assert refused(fields).code == code
    assert Event.select().count() == before


def test_network_events_are_written_by_administrators_only(ctx):
    admin = Person.get(Person.is_admin == True)  # noqa: E712
    assert may_write_event(admin, None) and not may_write_event(_lucas_coordinator(), None)
    assert event_organisers(_lucas_coordinator())[1] is False
    with write_transaction():
        [event] = authoring.create_event(authoring.read_form(form(initiative=""), admin))
    assert Event.get_by_id(event.id).initiative is None


def test_monthly_series_falls_on_the_same_weekday_and_each_date_changes_alone(ctx):
    made = make(kind="social_talk", place="", starts_at=FIRST_THURSDAY,
                ends_at="2099-01-01T21:00", repeat="monthly", count="6", theme_nl="Schulden")
    assert len(made) == 6 and len({e.series for e in made}) == 1
    days = [clock.local(e.starts_at) for e in Event.in_series(made[0].series)]
    # Every first Thursday, at 20:00 Dutch time, in winter and in summer.
    assert all(d.weekday() == 3 and d.day <= 7 and (d.hour, d.minute) == (20, 0) for d in days)
    assert [d.month for d in days] == [1, 2, 3, 4, 5, 6]
    assert all(e.place == "Online" for e in made)
    # Change the third date only.
    third = made[2]
    with write_transaction():
        values = authoring.read_form(form(kind="social_talk", place="", title_nl="Andere titel",
                                          starts_at="2099-03-12T19:30",
                                          ends_at="2099-03-12T21:00"),
                                     _lucas_coordinator(), event=third)
        authoring.update_event(third.id, values)
    titles = [e.title_nl for e in Event.in_series(made[0].series)]
    assert titles == ["Buurtsoep", "Buurtsoep", "Andere titel", "Buurtsoep", "Buurtsoep",
                      "Buurtsoep"]
    assert clock.local(Event.get_by_id(third.id).starts_at) == dt.datetime(2099, 3, 12, 19, 30)


def test_seasonal_series_makes_four_dates_three_months_apart(ctx):
    made = make(kind="picnic", repeat="seasons", starts_at="2099-03-21T12:00",
                ends_at="2099-03-21T15:00")
    days = [clock.local(e.starts_at) for e in made]
    assert [d.month for d in days] == [3, 6, 9, 12]
    assert all(d.weekday() == days[0].weekday() for d in days)
    assert all(e.ends_at - e.starts_at == 3 * HOUR for e in made)


def test_series_dates_take_the_last_weekday_when_a_month_has_no_fifth(ctx):
    # 2099-01-29 is the fifth Thursday of January; February 2099 has four Thursdays.
    starts = authoring.series_dates(clock.from_local(dt.datetime(2099, 1, 29, 20)), 1, 2)
    assert clock.local(starts[1]) == dt.datetime(2099, 2, 26, 20)


def signups_for(event, *sizes):
    return [services.sign_up(Event.get_by_id(event.id), f"Gast {n}", size)
            for n, size in enumerate(sizes)]


def test_capacity_below_the_places_taken_is_refused_and_says_how_many(ctx):
    [event] = make(capacity="5")
    signups_for(event, 2, 2)
    error = refused({"capacity": "3"}, event=Event.get_by_id(event.id))
    assert error.code == "capacity_below_signups" and "4" in error.message
    assert Event.get_by_id(event.id).capacity == 5


def test_raising_capacity_moves_the_waiting_list_up_in_order(ctx):
    [event] = make(capacity="2")
    first, second, third, fourth = signups_for(event, 2, 1, 2, 1)
    assert [s.status for s in (first, second, third, fourth)] == [
        "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    with write_transaction():
        values = authoring.read_form(form(capacity="5"), _lucas_coordinator(),
                                     event=Event.get_by_id(event.id))
        _event, promoted = authoring.update_event(event.id, values)
    # Three more places: the second (1) and the third (2) move up; the fourth waits, as the
    # third came first.
    assert [s.id for s in promoted] == [second.id, third.id]
    assert Signup.get_by_id(fourth.id).status == "waitlisted"
    assert Signup.get_by_id(fourth.id).waitlist_place() == 1


def test_changing_a_date_into_the_past_is_refused(ctx):
    [event] = make()
    assert refused({"starts_at": "2021-01-01T12:00", "ends_at": "2021-01-01T13:00"},
                   event=Event.get_by_id(event.id)).code == "date_past"


def test_cancel_event_keeps_signups_refuses_new_ones_and_lists_contacts(ctx):
    [event] = make(capacity="3")
    services.sign_up(Event.get_by_id(event.id), "Fatima", 1, contact="06 1234 5678")
    services.sign_up(Event.get_by_id(event.id), "Kees", 1)
    services.sign_up(Event.get_by_id(event.id), "Ans", 2, contact="ans@example.org")
    with write_transaction():
        cancelled, to_tell = authoring.cancel_event(event.id)
    assert cancelled.is_cancelled
    assert [(s.name, s.contact) for s in to_tell] == [("Fatima", "06 1234 5678"),
                                                      ("Ans", "ans@example.org")]
    assert Signup.select().where(Signup.event == event.id).count() == 3
    with pytest.raises(EventError) as caught:
        services.sign_up(Event.get_by_id(event.id), "Nog iemand", 1)
    assert caught.value.code == "event_cancelled"
    with pytest.raises(EventError) as again:
        authoring.cancel_event(event.id)
    assert again.value.code == "event_cancelled"
    assert refused({}, event=Event.get_by_id(event.id)).code == "event_cancelled"


def test_signup_is_refused_when_signup_is_closed(ctx):
    [event] = make(signup_open=None)
    with pytest.raises(EventError) as caught:
        services.sign_up(Event.get_by_id(event.id), "Fatima", 1)
    assert caught.value.code == "signup_closed"


def test_join_link_opens_an_hour_before_the_start_until_the_end(ctx):
    [talk] = make(kind="social_talk", place="", online_url="https://meet.example.org/talk")
    talk = Event.get_by_id(talk.id)
    assert not talk.join_link_open(talk.starts_at - HOUR - dt.timedelta(minutes=1))
    assert talk.join_link_open(talk.starts_at - HOUR)
    assert talk.join_link_open(talk.ends_at)
    assert not talk.join_link_open(talk.ends_at + dt.timedelta(minutes=1))


def test_door_list_is_open_only_at_a_place_around_the_event(ctx):
    [event] = make()
    [talk] = make(kind="social_talk", place="")
    event, talk = Event.get_by_id(event.id), Event.get_by_id(talk.id)
    assert not event.door_open(event.starts_at - 30 * DAY)
    assert not event.door_open(event.starts_at - DAY - dt.timedelta(minutes=1))
    assert event.door_open(event.starts_at - DAY)
    assert event.door_open(event.ends_at + 3 * HOUR)
    assert not event.door_open(event.ends_at + 3 * HOUR + dt.timedelta(minutes=1))
    assert not talk.door_open(talk.starts_at)
