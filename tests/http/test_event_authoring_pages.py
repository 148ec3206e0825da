"""Coordinators' event pages through the test client: `/events/new` and `/events/<id>/edit`
(who may, bad input as a 400 with the reason and nothing changed), cancelling an event (asked
first, then the list of whom to tell), what an event page says about its place, its join link
and its state, and the door list only around an event at a place."""
import datetime as dt
import re
import uuid

import pytest
from html_pages import visible_text
from test_event_pages import (
    DAY,
    HOUR,
    HTMX,
    add_signup,
    in_db,
    make_event,
    result_of,
    sign_up_form,
    signups,
    text,
)

from peerm.core import clock
from peerm.events.models import Event, Signup

COORDINATOR = "fatima@peerm.example"  # of lucas-community
ELSEWHERE = "jan@peerm.example"
VOLUNTEER = "kees@peerm.example"
ADMIN = "beheer@peerm.example"
ERROR = re.compile(r'<p class="error" role="alert"[^>]*>([^<]*)</p>')


def new_form(client, form_token, **fields):
    data = {"csrf_token": form_token(client, "/events/new"), "initiative": "lucas-community",
            "kind": "local", "title_nl": "Buurtsoep", "title_en": "",
            "summary_nl": "Soep voor iedereen.", "summary_en": "", "place": "Pier 80, Rotterdam",
            "starts_at": "2099-05-01T12:00", "ends_at": "2099-05-01T14:00", "capacity": "20",
            "signup_open": "1", **fields}
    return client.post("/events/new", data={k: v for k, v in data.items() if v is not None})


def edit_form(client, form_token, event_id, **fields):
    event = in_db(client.application, lambda: Event.get_by_id(event_id))
    local = clock.local
    data = {"csrf_token": form_token(client, f"/events/{event_id}/edit"), "kind": event.kind,
            "title_nl": event.title_nl, "title_en": event.title_en,
            "summary_nl": event.summary_nl, "summary_en": event.summary_en,
            "place": event.place,
            "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "capacity": str(event.capacity or ""), "signup_open": "1", **fields}
    return client.post(f"/events/{event_id}/edit", data=data)


def test_new_event_form_is_offered_to_coordinators_only(app, client, log_in):
    assert client.get("/events/new").headers["Location"].startswith("/login")
    assert log_in("mohammed@peerm.example").get("/events/new").status_code == 403
    page = text(log_in(COORDINATOR).get("/events/new"))
    assert 'name="starts_at" type="datetime-local"' in page
    assert 'value="lucas-community"' in page and 'value="free-exit"' not in page
    # A coordinator writes no event of the whole network; an administrator does.
    assert "Het hele netwerk" not in page
    assert "Het hele netwerk" in text(log_in(ADMIN).get("/events/new"))
    assert 'href="/events/new"' in text(log_in(COORDINATOR).get("/events"))
    assert 'href="/events/new"' not in text(client.get("/events"))


def test_new_event_is_published_and_found_in_the_list(app, log_in, form_token):
    coordinator = log_in(COORDINATOR)
    response = new_form(coordinator, form_token, title_nl="Soep in de Pier")
    assert response.status_code == 303
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    event = in_db(app, lambda: Event.get_by_id(event_id))
    assert event.starts_at == dt.datetime(2099, 5, 1, 10, 0)  # 12:00 summer time
    assert event.initiative.slug == "lucas-community"
    assert "Soep in de Pier" in text(coordinator.get("/events?initiative=lucas-community"))


@pytest.mark.parametrize("fields, words", [
    ({"ends_at": "2099-05-01T11:00"}, "Het einde ligt voor het begin"),
    ({"starts_at": "2021-05-01T12:00", "ends_at": "2021-05-01T14:00"}, "al voorbij"),
    ({"title_nl": ""}, "titel"),
])
def test_new_event_with_bad_input_answers_400_with_reason_and_saves_nothing(
        app, log_in, form_token, fields, words):
    coordinator = log_in(COORDINATOR)
    before = in_db(app, lambda: Event.select().count())
    fields = {"title_nl": "Kapot", **fields}
    response = new_form(coordinator, form_token, **fields)
    assert response.status_code == 400
    [message] = ERROR.findall(text(response))
    assert words in message and "Er is niets opgeslagen." in message
    # What was typed stays in the form.
    assert 'value="Pier 80, Rotterdam"' in text(response)
    assert in_db(app, lambda: Event.select().count()) == before


def test_new_event_for_another_cooperative_is_forbidden(app, log_in, form_token):
    assert new_form(log_in(ELSEWHERE), form_token).status_code == 403
    assert new_form(log_in(COORDINATOR), form_token, initiative="").status_code == 403


def test_new_series_makes_every_date_and_says_so(app, log_in, form_token):
    coordinator = log_in(COORDINATOR)
    response = new_form(coordinator, form_token, kind="social_talk", place="",
                        starts_at="2099-01-01T20:00", ends_at="2099-01-01T21:00",
                        repeat="monthly", count="3", capacity="")
    assert response.status_code == 303
    page = text(coordinator.get(response.headers["Location"]))
    assert "3 datums zijn gemaakt" in page
    first = int(response.headers["Location"].rsplit("/", 1)[1])
    series = in_db(app, lambda: Event.get_by_id(first).series)
    assert in_db(app, lambda: Event.in_series(series).count()) == 3
    edit = text(coordinator.get(f"/events/{first}/edit"))
    assert "reeks van 3 datums" in edit and edit.count('href="/events/') >= 2


def test_edit_refuses_capacity_below_signups_with_the_number(app, log_in, form_token):
    event = make_event(app, capacity=5)
    add_signup(app, event, party_size=3)
    coordinator = log_in(COORDINATOR)
    response = edit_form(coordinator, form_token, event, capacity="2")
    assert response.status_code == 400
    [message] = ERROR.findall(text(response))
    assert "3 mensen" in message
    assert in_db(app, lambda: Event.get_by_id(event).capacity) == 5
    assert edit_form(log_in(ELSEWHERE), form_token, event, capacity="9").status_code == 403


def test_edit_raising_capacity_tells_how_many_moved_up(app, log_in, form_token):
    event = make_event(app, capacity=1)
    add_signup(app, event, name="Eerste")
    add_signup(app, event, name="Tweede", status="waitlisted")
    coordinator = log_in(COORDINATOR)
    response = edit_form(coordinator, form_token, event, capacity="2")
    assert response.status_code == 303
    assert [s.status for s in signups(app, event)] == ["confirmed", "confirmed"]
    assert "1 aanmelding is van de wachtlijst" in text(coordinator.get(f"/events/{event}"))


def test_cancelling_an_event_asks_first_then_lists_whom_to_tell(app, client, log_in,
                                                                form_token):
    event = make_event(app, capacity=10)
    add_signup(app, event, name="Fatima", contact="06 1234 5678")
    add_signup(app, event, name="Kees")
    coordinator = log_in(COORDINATOR)
    question = coordinator.get(f"/events/{event}/cancel")
    assert question.status_code == 200 and "2 aanmeldingen zien" in text(question)
    assert in_db(app, lambda: Event.get_by_id(event).cancelled_at) is None  # asking changes nothing
    assert client.post(f"/events/{event}/cancel",
                       data={"csrf_token": form_token(client)}).status_code == 303  # log in
    response = coordinator.post(f"/events/{event}/cancel",
                                data={"csrf_token": form_token(coordinator)})
    page = text(response)
    assert response.status_code == 200 and 'href="tel:0612345678"' in page
    assert "Kees" not in visible_text(page)
    assert in_db(app, lambda: Event.get_by_id(event).cancelled_at) is not None
    detail = text(client.get(f"/events/{event}"))
    assert 'data-outcome="event_cancelled"' in detail and 'data-offline="event.signup"' not in detail
    # Sign-ups by form are refused.
    refused = sign_up_form(client, form_token, event, headers=HTMX)
    assert refused.status_code == 400 and result_of(refused)[0] == "event_cancelled"
    again = coordinator.post(f"/events/{event}/cancel", data={"csrf_token": form_token(coordinator)})
    assert again.status_code == 400
    # Calendars that hold it are told too.
    assert "STATUS:CANCELLED" in text(client.get(f"/events/{event}.ics"))


def test_phone_sees_its_signup_for_a_cancelled_event_as_cancelled(app, client, log_in,
                                                                  form_token):
    event = make_event(app)
    action_id = str(uuid.uuid4())
    sign_up_form(client, form_token, event, action_id=action_id, headers=HTMX)
    coordinator = log_in(COORDINATOR)
    coordinator.post(f"/events/{event}/cancel", data={"csrf_token": form_token(coordinator)})
    [found] = client.get(f"/events/codes?signups={action_id}").get_json()["signups"]
    assert found["event_cancelled"] is True and found["status"] == "confirmed"


def test_signup_answer_swaps_places_left_out_of_band(app, client, form_token):
    event = make_event(app, capacity=3)
    response = sign_up_form(client, form_token, event, party_size="2", headers=HTMX)
    page = text(response)
    assert result_of(response)[0] == "confirmed"
    assert re.search(r'<dd id="seats-left" hx-swap-oob="true" data-left="1"', page)


def test_event_page_links_the_address_to_the_phones_maps_app(app, client):
    event = make_event(app, place="Pier 80, Rotterdam")
    page = text(client.get(f"/events/{event}"))
    assert 'href="geo:0,0?q=Pier%2080%2C%20Rotterdam"' in page
    assert "Pier 80, Rotterdam" in page


def online_talk(app, starts_in, url="https://meet.example.org/talk"):
    return make_event(app, kind="social_talk", place="Online", capacity=None, online_url=url,
                      starts_at=clock.now() + starts_in)


def test_upcoming_talk_says_how_to_join_and_shows_link_only_in_its_hour(app, client, log_in,
                                                                        form_token):
    talk = online_talk(app, 3 * HOUR)
    member = log_in("mohammed@peerm.example")
    sign_up_form(member, form_token, talk, name="Mohammed")
    page = text(member.get(f"/events/{talk}"))
    assert "meet.example.org" not in page
    assert "vanaf een uur voor het begin" in page  # not a bare "Online"
    with clock.frozen(clock.now() + 2 * HOUR + dt.timedelta(minutes=1)):
        assert 'href="https://meet.example.org/talk"' in text(member.get(f"/events/{talk}"))
        # Not for someone who did not sign up.
        assert "meet.example.org" not in text(client.get(f"/events/{talk}"))


def test_door_list_is_refused_for_online_talks_and_far_from_the_day(app, log_in, form_token):
    coordinator = log_in(COORDINATOR)
    talk = online_talk(app, 2 * HOUR)
    far = make_event(app, starts_at=clock.now() + 30 * DAY)
    over = make_event(app, starts_at=clock.now() - 2 * DAY)
    soon = make_event(app, starts_at=clock.now() + 2 * HOUR)
    for event_id in (talk, far, over):
        page = coordinator.get(f"/events/{event_id}/door")
        assert 'data-outcome="door_closed"' in text(page)
        assert 'data-offline="event.attend"' not in text(page)
        assert f'href="/events/{event_id}/door"' not in text(coordinator.get(f"/events/{event_id}"))
        response = coordinator.post(f"/events/{event_id}/attend", headers=HTMX, data={
            "csrf_token": form_token(coordinator), "action_id": str(uuid.uuid4()),
            "name": "Binnenloper"})
        assert response.status_code == 400
        assert result_of(response)[0] in ("door_online", "door_closed")
    assert 'data-offline="event.attend"' in text(coordinator.get(f"/events/{soon}/door"))
    assert f'href="/events/{soon}/door"' in text(coordinator.get(f"/events/{soon}"))


def test_anonymous_mine_page_offers_the_phones_signups(app, client):
    page = text(client.get("/events/mine"))
    assert 'id="phone-signups"' in page and 'data-offline="event.cancel"' in page


def test_cancel_by_the_phones_action_id_cancels_that_signup(app, client, form_token):
    event = make_event(app)
    action_id = str(uuid.uuid4())
    sign_up_form(client, form_token, event, action_id=action_id, headers=HTMX)
    response = client.post("/events/cancel", headers=HTMX, data={
        "csrf_token": form_token(client), "action_id": str(uuid.uuid4()), "signup": action_id})
    assert result_of(response)[0] == "cancelled"
    assert [s.status for s in signups(app, event)] == ["cancelled"]
    assert in_db(app, lambda: Signup.select().count()) >= 1


def test_phone_gets_the_join_link_of_its_talk_only_in_the_hour(app, client, form_token):
    talk = online_talk(app, 3 * HOUR)
    action_id = str(uuid.uuid4())
    sign_up_form(client, form_token, talk, action_id=action_id, headers=HTMX)
    [found] = client.get(f"/events/codes?signups={action_id}").get_json()["signups"]
    assert found["join"] == ""
    with clock.frozen(clock.now() + 2 * HOUR + dt.timedelta(minutes=5)):
        [found] = client.get(f"/events/codes?signups={action_id}").get_json()["signups"]
    assert found["join"] == "https://meet.example.org/talk"


def test_offline_page_lists_the_events_the_phone_keeps(app, client):
    soon = make_event(app, title_nl="Soep op zondag", starts_at=clock.now() + 3 * DAY)
    later = make_event(app, title_nl="Verre picknick", starts_at=clock.now() + 400 * DAY)
    page = text(client.get("/offline"))
    kept = client.get("/offline-pages.json").get_json()["pages"]
    assert f'href="/events/{soon}"' in page and f"/events/{soon}" in kept
    assert f'href="/events/{later}"' not in page and f"/events/{later}" not in kept
