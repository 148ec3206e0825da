"""The pages of events through the test client: the list and its filters (whole page and htmx
partial), an event with its sign-up and cancel forms, the door list and the coordinators' list,
my sign-ups, the calendar files, the Social Talks archive and the phone's code lookup.

Outcomes are read from `data-outcome`/`data-ref` and from the database; page text only with the
English cookie set, where the language is part of what the test reads.
"""
import datetime as dt
import html
import re
import uuid

import pytest

from peerm.core import clock
from peerm.core.db import db
from peerm.events.models import Event, Signup, new_code
from peerm.events.seed import PAST_TALKS
from peerm.initiatives.models import Initiative

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
HTMX = {"HX-Request": "true"}
FLASH = re.compile(r'<p class="flash( flash--error)?" role="status">([^<]*)</p>')


def in_db(app, query):
    """Run `query()` against the test's database and return its value."""
    with app.app_context(), db.connection_context():
        return query()


def make_event(app, capacity=3, slug="lucas-community", starts_at=None, **fields):
    """A local event (tomorrow unless told), of a co-operative or of the whole network."""
    def create():
        start = starts_at or clock.now() + DAY
        values = dict(kind="local", title_nl="Samen koken", title_en="Cooking together",
                      summary_nl="Koken en eten.", summary_en="Cook and eat.",
                      place="Rotterdam", starts_at=start, ends_at=start + 2 * HOUR,
                      capacity=capacity,
                      initiative=Initiative.get(slug=slug) if slug else None)
        values.update(fields)
        return Event.create(**values).id
    return in_db(app, create)


def add_signup(app, event_id, name="Fatima", party_size=1, status="confirmed", **fields):
    def create():
        return Signup.create(event=event_id, code=new_code(), name=name, party_size=party_size,
                             status=status, created_at=clock.now(), **fields).code
    return in_db(app, create)


def signups(app, event_id):
    return in_db(app, lambda: list(Signup.select().where(Signup.event == event_id)
                                   .order_by(Signup.id)))


def text(response):
    return response.get_data(as_text=True)


def flashes(client, path):
    return FLASH.findall(text(client.get(path)))


@pytest.fixture
def event(app):
    """A lucas-community event tomorrow with room for three; its id."""
    return make_event(app)


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def sign_up_form(client, form_token, event_id, action_id=None, headers=None, **fields):
    data = {"csrf_token": form_token(client, f"/events/{event_id}"),
            "action_id": action_id or str(uuid.uuid4()), "name": "Fatima", "party_size": "1",
            "contact": "", **fields}
    return client.post(f"/events/{event_id}/signup", data=data, headers=headers or {})


def result_of(response):
    """The `data-outcome` and `data-ref` (the sign-up code) of the `_result.html` partial."""
    page = text(response)
    found = re.search(r'data-outcome="([^"]*)"', page)
    ref = re.search(r'data-ref="([^"]*)"', page)
    return (found.group(1), ref.group(1) if ref else None) if found else (None, None)


# The list and its filters ----------------------------------------------------------------

def titles(page):
    return [html.unescape(title) for title in
            re.findall(r'<h2 class="event__title"><a href="[^"]+"[^>]*>([^<]+)</a>', page)]


def test_events_index_lists_every_upcoming_event_when_not_filtered(app, english):
    response = english.get("/events")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    expected = in_db(app, lambda: [e.title_en for e in Event.upcoming()])
    assert titles(text(response)) == expected
    assert len(expected) >= 15
    assert 'class="note"' not in text(response)


def test_events_index_shows_only_matching_events_when_filtered(app, english):
    lucas = in_db(app, lambda: {e.title_en for e in Event.upcoming(
        initiative=Initiative.get(slug="lucas-community"))})
    shown = titles(text(english.get("/events?initiative=lucas-community")))
    assert set(shown) == lucas and lucas
    picnics = titles(text(english.get("/events?kind=picnic")))
    assert len(picnics) == 4
    assert all("icnic" in title for title in picnics)
    assert titles(text(english.get("/events?initiative=lucas-community&kind=picnic"))) == []
    assert titles(text(english.get("/events?kind=social_talk"))) == in_db(
        app, lambda: [e.title_en for e in Event.upcoming(kind="social_talk")])


def test_events_index_answers_list_partial_when_htmx_asks(app, client):
    whole = text(client.get("/events?kind=picnic"))
    response = client.get("/events?kind=picnic", headers=HTMX)
    partial = text(response)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert partial.lstrip().startswith('<div id="event-list"')
    assert "<html" not in partial and "<form" not in partial
    assert len(titles(partial)) == 4
    assert partial.strip() in whole
    # A boosted request or a history restore wants the whole page.
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        assert "<html" in text(client.get("/events?kind=picnic", headers={**HTMX, **extra}))


def test_events_index_shows_note_and_all_events_when_filter_is_unknown(app, client):
    everything = titles(text(client.get("/events")))
    for query in ("initiative=nergens", "kind=feestje", "initiative=nergens&kind=feestje"):
        response = client.get(f"/events?{query}", headers=HTMX)
        assert response.status_code == 200
        assert 'class="note"' in text(response), query
        assert titles(text(response)) == everything, query
    assert "nergens" in text(client.get("/events?initiative=nergens"))


# One event, its sign-up and cancel forms -------------------------------------------------

def test_event_detail_shows_places_left_and_the_offline_form(app, english, event):
    page = text(english.get(f"/events/{event}"))
    assert "3 places left" in page
    assert 'data-offline="event.signup"' in page
    # The page is the same for every visitor: the phone makes the action's id.
    assert re.search(r'name="action_id" value=""', page)
    add_signup(app, event, party_size=2)
    assert "1 place left" in text(english.get(f"/events/{event}"))
    add_signup(app, event, party_size=1)
    assert "Full: you can join the waiting list" in text(english.get(f"/events/{event}"))
    assert english.get("/events/999999").status_code == 404


def test_signup_form_creates_one_signup_and_redirects_with_code(app, client, form_token, event):
    response = sign_up_form(client, form_token, event, name="Fatima", party_size="2",
                            contact="06 1234 5678")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event}"
    [made] = signups(app, event)
    assert (made.name, made.party_size, made.status, made.contact) == (
        "Fatima", 2, "confirmed", "06 1234 5678")
    [(error, message)] = flashes(client, f"/events/{event}")
    assert error == "" and made.code in message
    assert flashes(client, f"/events/{event}") == []  # shown once


def test_signup_form_creates_no_second_signup_when_posted_again(app, client, form_token, event):
    action_id = str(uuid.uuid4())
    sign_up_form(client, form_token, event, action_id=action_id)
    [made] = signups(app, event)
    client.get(f"/events/{event}")  # the first flash is read
    again = sign_up_form(client, form_token, event, action_id=action_id)
    assert again.status_code == 303
    assert len(signups(app, event)) == 1
    [(error, message)] = flashes(client, f"/events/{event}")
    assert error == "" and made.code in message


def test_signup_form_answers_with_same_code_when_posted_again_a_second_later(
        app, client, form_token, event):
    action_id = str(uuid.uuid4())
    first = sign_up_form(client, form_token, event, action_id=action_id, headers=HTMX)
    with clock.frozen(clock.now() + dt.timedelta(seconds=1)):
        again = sign_up_form(client, form_token, event, action_id=action_id, headers=HTMX)
    assert len(signups(app, event)) == 1
    assert again.status_code == 200
    assert result_of(again) == result_of(first) == ("confirmed", signups(app, event)[0].code)


def test_signup_form_answers_result_partial_when_htmx_posts(app, client, form_token, event):
    response = sign_up_form(client, form_token, event, headers=HTMX)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<html" not in text(response)
    [made] = signups(app, event)
    assert result_of(response) == ("confirmed", made.code)


def test_signup_form_puts_party_on_waiting_list_when_event_is_full(app, client, form_token,
                                                                   event):
    add_signup(app, event, party_size=2)
    response = sign_up_form(client, form_token, event, party_size="2", headers=HTMX)
    outcome, code = result_of(response)
    assert outcome == "waitlisted"
    assert in_db(app, lambda: Signup.get(Signup.code == code).status) == "waitlisted"
    # A party that would fit the seat left still queues: nobody passes the waiting list.
    assert result_of(sign_up_form(client, form_token, event, headers=HTMX))[0] == "waitlisted"


def test_signup_form_shows_error_and_stores_nothing_when_input_is_invalid(
        app, client, form_token, event):
    response = sign_up_form(client, form_token, event, party_size="11", headers=HTMX)
    assert response.status_code == 400
    assert result_of(response) == ("party_size_invalid", None)
    assert 'class="error"' in text(response)
    plain = sign_up_form(client, form_token, event, name="<b>Fatima</b>")
    assert plain.status_code == 303
    [(error, _message)] = flashes(client, f"/events/{event}")
    assert error == " flash--error"
    assert signups(app, event) == []


def test_signup_form_refuses_contact_when_it_holds_control_characters(
        app, client, form_token, event):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    tab = sign_up_form(client, form_token, event, contact="a\tb@example.org", headers=HTMX)
    assert (tab.status_code, result_of(tab)[0]) == (400, "contact_invalid")
    # A NUL byte is refused before any view sees it (PostgreSQL could not store it).
    nul = sign_up_form(client, form_token, event, contact="a\x00b@example.org", headers=HTMX)
    assert nul.status_code == 400
    assert signups(app, event) == []


def test_cancel_form_cancels_by_code_and_goes_back_when_code_is_typed_loosely(
        app, client, form_token, event):
    code = add_signup(app, event, party_size=3)
    waiting = add_signup(app, event, name="Kees", status="waitlisted")
    token = form_token(client, f"/events/{event}")
    response = client.post("/events/cancel", data={
        "csrf_token": token, "action_id": "", "code": f" {code.lower()} ", "name": "fatima ",
        "_back": f"/events/{event}"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event}"
    by_code = {s.code: s for s in signups(app, event)}
    assert by_code[code].status == "cancelled"
    assert by_code[waiting].status == "confirmed" and by_code[waiting].promoted_at
    again = client.post("/events/cancel", data={"csrf_token": token, "code": code,
                                                "name": "Fatima",
                                                "_back": "https://evil.example/"},
                        headers=HTMX)
    assert (again.status_code, result_of(again)) == (400, ("already_cancelled", None))
    elsewhere = client.post("/events/cancel", data={"csrf_token": token, "code": "K7QM2P",
                                                    "_back": "https://evil.example/"})
    assert elsewhere.headers["Location"] == "/events"


def test_cancel_form_refuses_code_alone_or_a_wrong_name_when_anonymous(app, client, form_token,
                                                                       event):
    code = add_signup(app, event, name="Fatima El Amrani")
    token = form_token(client, f"/events/{event}")
    page = text(client.get(f"/events/{event}"))
    assert 'name="code"' in page and 'id="cancel-name"' in page
    for name, outcome in (("", "name_missing"), ("Fatima", "code_unknown")):
        response = client.post("/events/cancel", data={"csrf_token": token, "code": code,
                                                       "name": name}, headers=HTMX)
        assert (response.status_code, result_of(response)[0]) == (400, outcome)
    assert [s.status for s in signups(app, event)] == ["confirmed"]


# The door list and the list with contact details ------------------------------------------

def test_door_list_opens_for_volunteer_only_when_logged_in(app, client, log_in, event):
    add_signup(app, event, name="Fatima El Amrani", party_size=2)
    volunteer = log_in("kees@peerm.example")
    response = volunteer.get(f"/events/{event}/door")
    assert response.status_code == 200
    assert "Fatima El Amrani" in text(response)
    assert 'data-offline="event.attend"' in text(response)
    assert log_in("mohammed@peerm.example").get(f"/events/{event}/door").status_code == 403
    assert log_in("anouk@peerm.example").get(f"/events/{event}/door").status_code == 403
    anonymous = client.get(f"/events/{event}/door")
    assert anonymous.status_code == 303
    assert anonymous.headers["Location"].startswith("/login")


def test_door_of_a_network_event_opens_for_administrators_only(app, client, log_in):
    network_event = make_event(app, slug=None)
    code = add_signup(app, network_event, name="Fatima El Amrani")
    admin = log_in("beheer@peerm.example")
    response = admin.get(f"/events/{network_event}/door")
    assert response.status_code == 200 and code in text(response)
    for email in ("kees@peerm.example", "fatima@peerm.example", "anouk@peerm.example"):
        someone = log_in(email)
        assert someone.get(f"/events/{network_event}/door").status_code == 403, email
        assert f"/events/{network_event}/door" not in text(someone.get(f"/events/{network_event}"))
        kept = someone.get("/offline-pages.json").get_json()["pages"]
        assert f"/events/{network_event}/door" not in kept, email
        attend = {"id": str(uuid.uuid4()), "type": "event.attend",
                  "at": dt.datetime.now(clock.NETWORK_TZ).isoformat(),
                  "data": {"event": network_event, "code": code}}
        result = someone.post("/sync", json={"actions": [attend]}).get_json()["results"][0]
        assert (result["status"], result["outcome"]) == ("rejected", "not_allowed"), email
    assert signups(app, network_event)[0].attended_at is None
    assert f"/events/{network_event}/door" in admin.get("/offline-pages.json").get_json()["pages"]


def test_attend_form_checks_in_by_code_and_walk_in_when_volunteer_posts(
        app, client, log_in, form_token, event):
    code = add_signup(app, event, party_size=3)
    anonymous = client.post(f"/events/{event}/attend", data={
        "csrf_token": form_token(client), "code": code})
    assert anonymous.headers["Location"].startswith("/login")
    volunteer = log_in("kees@peerm.example")
    token = form_token(volunteer, f"/events/{event}/door")
    response = volunteer.post(f"/events/{event}/attend", data={
        "csrf_token": token, "action_id": str(uuid.uuid4()), "code": code})
    assert (response.status_code, response.headers["Location"]) == (303, f"/events/{event}/door")
    walk_in = volunteer.post(f"/events/{event}/attend", data={
        "csrf_token": token, "action_id": str(uuid.uuid4()), "name": "Oma Truus"},
        headers=HTMX)
    assert result_of(walk_in)[0] == "attended"
    made = {s.name: s for s in signups(app, event)}
    assert made["Fatima"].attended_at is not None
    assert made["Oma Truus"].walk_in and made["Oma Truus"].status == "confirmed"


def test_signups_page_shows_contacts_to_coordinators_and_administrators_only(
        app, client, log_in, event):
    add_signup(app, event, name="Fatima", contact="fatima@example.org")
    for email in ("fatima@peerm.example", "beheer@peerm.example"):
        response = log_in(email).get(f"/events/{event}/signups")
        assert response.status_code == 200, email
        assert "fatima@example.org" in text(response), email
        assert response.headers["Cache-Control"] == "no-store"
    for email in ("kees@peerm.example", "mohammed@peerm.example", "jan@peerm.example"):
        assert log_in(email).get(f"/events/{event}/signups").status_code == 403, email
    assert client.get(f"/events/{event}/signups").headers["Location"].startswith("/login")
    network_event = make_event(app, slug=None)
    assert log_in("fatima@peerm.example").get(
        f"/events/{network_event}/signups").status_code == 403
    assert log_in("beheer@peerm.example").get(
        f"/events/{network_event}/signups").status_code == 200


def test_recording_link_is_saved_for_organisers_and_refused_when_not_https(
        app, log_in, form_token):
    talk = make_event(app, kind="social_talk", capacity=None)
    coordinator = log_in("fatima@peerm.example")
    token = form_token(coordinator, f"/events/{talk}")
    for url, kept in (("https://example.org/opname", "https://example.org/opname"),
                      ("javascript:alert(1)", "https://example.org/opname"),
                      ("https://example.org/met spatie", "https://example.org/opname"),
                      ("", "")):
        response = coordinator.post(f"/events/{talk}/recording",
                                    data={"csrf_token": token, "recording_url": url})
        assert response.status_code == 303
        assert in_db(app, lambda: Event.get_by_id(talk).recording_url) == kept, url


# My sign-ups ------------------------------------------------------------------------------

def test_mine_lists_own_signups_and_tells_about_promotion_for_a_week(app, client, log_in,
                                                                     form_token):
    event = make_event(app, capacity=2, title_en="Soup evening",
                       starts_at=clock.now() + 10 * DAY)
    first = add_signup(app, event, party_size=2)
    member = log_in("mohammed@peerm.example")
    member.set_cookie("lang", "en")
    outcome, code = result_of(sign_up_form(member, form_token, event, name="Mohammed",
                                           headers=HTMX))
    assert outcome == "waitlisted"
    page = text(member.get("/events/mine"))
    assert "Soup evening" in page and code in page
    notice = "Good news: a place came free at Soup evening."
    assert notice not in page
    client.post("/events/cancel", data={"csrf_token": form_token(client), "code": first,
                                        "name": "Fatima"})
    assert text(member.get("/events/mine")).count(notice) == 1
    # Opening the page changes nothing: the news stays for a week, then the page drops it.
    assert text(member.get("/events/mine")).count(notice) == 1
    with clock.frozen(clock.now() + dt.timedelta(days=8)):
        assert notice not in text(member.get("/events/mine"))
    # Without an account, the page is there too: the phone fills in its own sign-ups.
    anonymous = client.get("/events/mine")
    assert anonymous.status_code == 200 and 'id="phone-signups"' in text(anonymous)
    assert notice not in text(anonymous)


# Calendar files --------------------------------------------------------------------------

def unfold(body):
    return body.replace("\r\n ", "")


def check_icalendar(body):
    """What every calendar file must be: CRLF lines of at most 75 octets, one calendar."""
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    lines = body.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines), [
        line for line in lines if len(line.encode()) > 75]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    unfolded = unfold(body).split("\r\n")
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT")
    return unfolded


def test_event_ics_is_valid_icalendar_in_utc_when_title_is_long(app, client):
    year = clock.now().year + 1
    title = "Zomerpicknick: één; twee, drie — " + "ëé" * 40
    winter = make_event(app, starts_at=clock.from_local(dt.datetime(year, 1, 15, 19, 30)),
                        title_nl=title)
    summer = make_event(app, starts_at=clock.from_local(dt.datetime(year, 7, 15, 19, 30)))
    response = client.get(f"/events/{winter}.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = check_icalendar(text(response))
    assert lines.count("BEGIN:VEVENT") == 1
    assert f"DTSTART:{year}0115T183000Z" in lines
    assert f"DTEND:{year}0115T203000Z" in lines
    assert "SUMMARY:" + title.replace(";", "\\;").replace(",", "\\,") in lines
    assert f"URL:http://localhost/events/{winter}" in lines
    summer_lines = check_icalendar(text(client.get(f"/events/{summer}.ics")))
    assert f"DTSTART:{year}0715T173000Z" in summer_lines
    assert client.get("/events/999999.ics").status_code == 404


def test_calendar_feed_has_one_vevent_per_upcoming_event(app, client):
    response = client.get("/events/calendar.ics")
    assert response.mimetype == "text/calendar"
    lines = check_icalendar(text(response))
    upcoming = in_db(app, lambda: list(Event.upcoming()))
    assert lines.count("BEGIN:VEVENT") == len(upcoming) >= 15
    starts = [line for line in lines if line.startswith("DTSTART:")]
    assert starts == ["DTSTART:" + e.starts_at.strftime("%Y%m%dT%H%M%SZ") for e in upcoming]
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(upcoming)
    assert {line for line in lines if line.startswith("URL:")} == {
        f"URL:http://localhost/events/{e.id}" for e in upcoming}


def test_calendar_feed_links_to_the_event_when_only_one_is_upcoming(app, client):
    only = make_event(app)
    in_db(app, lambda: Event.delete().where(Event.id != only).execute())
    lines = check_icalendar(text(client.get("/events/calendar.ics")))
    assert f"URL:http://localhost/events/{only}" in lines


# The Social Talks archive and the phone's code lookup ----------------------------------------

def archive_of(page):
    """The archive part of the talks page (after the coming talks)."""
    return page.split('<h2>', 2)[-1]


def test_talks_lists_past_talks_under_their_theme_in_the_page_language(app, client, english):
    headings = re.findall(r"<h3>([^<]+)</h3>", text(english.get("/events/talks")))
    assert headings == [talk["theme_en"] for talk in reversed(PAST_TALKS)]
    client.delete_cookie("lang")
    page = text(client.get("/events/talks"))
    assert re.findall(r"<h3>([^<]+)</h3>", page) == [t["theme_nl"] for t in reversed(PAST_TALKS)]
    # Upcoming talks are listed apart, above the archive, not in it.
    upcoming = in_db(app, lambda: [e.title_nl for e in Event.upcoming(kind="social_talk")])
    assert upcoming and all(html.escape(title) in page for title in upcoming)
    assert not any(html.escape(title) in archive_of(page) for title in upcoming)


def test_talks_archive_says_honestly_when_a_talk_has_no_recording(app, english):
    page = text(english.get("/events/talks"))
    # No promise of a recording "the day after" for talks of years ago.
    assert "day after" not in page and "no recording yet" not in page
    assert archive_of(page).count('class="meta recording-missing"') == len(PAST_TALKS)
    talk = in_db(app, lambda: Event.get(Event.seed_key == PAST_TALKS[0]["key"]))
    in_db(app, lambda: Event.update(recording_url="https://example.org/opname")
          .where(Event.id == talk.id).execute())
    page = text(english.get("/events/talks"))
    assert 'href="https://example.org/opname"' in page
    assert archive_of(page).count('class="meta recording-missing"') == len(PAST_TALKS) - 1
    detail = text(english.get(f"/events/{talk.id}"))
    assert "Watch the recording" in detail and "Where" in detail


def test_codes_answers_for_signups_by_the_action_ids_the_phone_holds(app, client, form_token,
                                                                     event):
    confirmed_id, promoted_id = str(uuid.uuid4()), str(uuid.uuid4())
    answer = sign_up_form(client, form_token, event, action_id=confirmed_id, headers=HTMX)
    assert result_of(answer)[0] == "confirmed"
    # The answer names the sign-up's action id, which the page script keeps on the phone.
    assert f'data-type="event.signup" data-action="{confirmed_id}"' in text(answer)
    assert result_of(sign_up_form(client, form_token, event, action_id=promoted_id, name="Kees",
                                  headers=HTMX))[0] == "confirmed"
    by_name = {s.name: s for s in signups(app, event)}
    in_db(app, lambda: Signup.update(promoted_at=clock.now())
          .where(Signup.id == by_name["Kees"].id).execute())
    response = client.get(f"/events/codes?signups={confirmed_id.upper()},{uuid.uuid4()},"
                          f"nonsense,{by_name['Fatima'].code},,{promoted_id}")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    found = response.get_json()["signups"]
    assert [item["code"] for item in found] == [by_name["Fatima"].code, by_name["Kees"].code]
    assert found[0] == {"id": confirmed_id, "code": by_name["Fatima"].code,
                        "status": "confirmed", "status_label": "Aangemeld", "event": event,
                        "event_cancelled": False, "ended": False, "join": "",
                        "when": found[0]["when"], "title": "Samen koken", "promoted": False,
                        "url": f"/events/{event}"}
    assert found[1]["promoted"] is True
    # The short code alone says nothing about a sign-up.
    assert client.get(f"/events/codes?codes={by_name['Fatima'].code}").get_json() == {
        "signups": []}
    assert client.get("/events/codes").get_json() == {"signups": []}
