"""Races around sign-up codes, run for real against the served app (threads on SQLite, two
processes on PostgreSQL).

Wrong codes are counted in the database, so that guesses sent at once, to any process, stop
at the limit; a sign-up cancelled from several places at once is cancelled once and frees its
seat once. No request may end in a 5xx.
"""
import datetime as dt

from peerm.accounts.models import LoginFailure
from peerm.core import clock
from peerm.events.models import Event, Signup
from peerm.events.services import WRONG_CODES_PER_ADDRESS
from peerm.initiatives.models import Initiative

from .conftest import action, at_once


def make_event(servers, capacity):
    """A lucas-community event tomorrow."""
    with servers.database():
        start = clock.now() + dt.timedelta(days=1)
        return Event.create(kind="local", initiative=Initiative.get(slug="lucas-community"),
                            title_nl="Samen koken", title_en="Cooking together",
                            summary_nl="…", summary_en="…", place="Rotterdam",
                            starts_at=start, ends_at=start + dt.timedelta(hours=2),
                            capacity=capacity).id


def outcome(answer):
    return answer.json()["results"][0]["outcome"]


def no_server_errors(answers):
    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed


def test_wrong_codes_sent_at_once_to_every_process_stop_at_the_limit(servers):
    event = make_event(servers, capacity=10)
    clients = [servers.client(i) for i in range(4 * WRONG_CODES_PER_ADDRESS)]
    made = action("event.signup", {"event": event, "name": "Fatima", "party_size": 1})
    code = clients[0].sync([made]).json()["results"][0]["ref"]
    # Wrong names for a real code, and made-up codes: all guesses, all from this address.
    guesses = [action("event.cancel", {"code": code if i % 2 else "K7QM2P", "name": f"Naam {i}"})
               for i in range(len(clients))]

    answers = at_once(len(clients), lambda i: clients[i].sync([guesses[i]]))
    no_server_errors(answers)
    outcomes = sorted(outcome(answer) for answer in answers)
    assert outcomes.count("code_unknown") == WRONG_CODES_PER_ADDRESS, outcomes
    assert outcomes.count("too_many_tries") == len(clients) - WRONG_CODES_PER_ADDRESS
    with servers.database():
        counted = LoginFailure.select().where(LoginFailure.key == "signup-code:127.0.0.1")
        assert counted.count() == WRONG_CODES_PER_ADDRESS
        assert Signup.get(Signup.code == code).status == "confirmed"


def test_one_signup_cancelled_from_many_places_at_once_frees_its_seat_once(servers):
    event = make_event(servers, capacity=2)
    phone = servers.client(0)
    first = action("event.signup", {"event": event, "name": "Fatima", "party_size": 2})
    waiting = [action("event.signup", {"event": event, "name": f"Gast {n}", "party_size": 1})
               for n in range(3)]
    answered = phone.sync([first, *waiting]).json()["results"]
    assert [r["outcome"] for r in answered] == ["confirmed"] + ["waitlisted"] * 3
    code = answered[0]["ref"]
    # The phone that made it (by its action id), a stranger with code and name, the organiser.
    clients = [servers.client(i) for i in range(6)]
    clients[4].log_in("fatima@peerm.example")
    clients[5].log_in("kees@peerm.example")
    cancels = [action("event.cancel", {"signup": first["id"]}),
               action("event.cancel", {"signup": first["id"]}),
               action("event.cancel", {"code": code, "name": "fatima"}),
               action("event.cancel", {"code": code, "name": "Fatima"}),
               action("event.cancel", {"code": code}),
               action("event.cancel", {"code": code})]

    answers = at_once(len(cancels), lambda i: clients[i].sync([cancels[i]]))
    no_server_errors(answers)
    outcomes = sorted(outcome(answer) for answer in answers)
    assert outcomes == ["already_cancelled"] * 5 + ["cancelled"], outcomes
    with servers.database():
        rows = {s.name: s for s in Signup.select().where(Signup.event == event)}
    assert rows["Fatima"].status == "cancelled"
    assert [rows[f"Gast {n}"].status for n in range(3)] == ["confirmed", "confirmed",
                                                           "waitlisted"]
