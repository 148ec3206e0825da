"""The person's home: what needs them today, from every part; the coming events as links."""
import datetime as dt

import pytest

from peerm.core import clock
from peerm.core.db import db
from peerm.events.models import Event
from peerm.initiatives.models import Initiative


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def event_tonight(app):
    with db.connection_context():
        start = clock.now() + dt.timedelta(hours=3)
        return Event.create(kind="local", initiative=Initiative.get(slug="lucas-community"),
                            title_nl="Buurtsoep", title_en="Neighbourhood soup",
                            summary_nl="Soep.", summary_en="Soup.", place="Buurthuis",
                            starts_at=start, ends_at=start + dt.timedelta(hours=2))


def test_door_list_of_an_event_tonight_is_on_the_home_of_who_runs_it(log_in, event_tonight):
    door = f'href="/events/{event_tonight.id}/door"'
    for email in ("fatima@peerm.example", "kees@peerm.example"):
        page = log_in(email).get("/").get_data(as_text=True)
        assert door in page, email
        assert "Deurlijst: Buurtsoep" in page
    member = log_in("mohammed@peerm.example").get("/").get_data(as_text=True)
    assert door not in member
    elsewhere = log_in("jan@peerm.example").get("/").get_data(as_text=True)
    assert door not in elsewhere


def test_door_list_of_a_called_off_event_is_not_on_the_home(log_in, event_tonight):
    door = f'href="/events/{event_tonight.id}/door"'
    assert door in log_in("fatima@peerm.example").get("/").get_data(as_text=True)
    with db.connection_context():
        Event.update(cancelled_at=clock.now()).where(Event.id == event_tonight.id).execute()
    assert door not in log_in("fatima@peerm.example").get("/").get_data(as_text=True)


def test_a_coordinator_reaches_her_counter_and_management_from_home(log_in):
    page = log_in("fatima@peerm.example").get("/").get_data(as_text=True)
    assert 'href="/volunteering/lucas-community/manage"' in page
    assert 'href="/events/mine"' in page
    volunteer = log_in("kees@peerm.example").get("/").get_data(as_text=True)
    assert "/counter" in volunteer
    assert "/manage" not in volunteer


def test_anonymous_home_links_every_coming_event_and_all_events(client, event_tonight):
    page = client.get("/").get_data(as_text=True)
    assert f'href="/events/{event_tonight.id}"' in page
    assert 'href="/events"' in page
    assert "Wat vandaag op je wacht" not in page
