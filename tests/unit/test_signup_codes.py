"""Who may use a sign-up code, and how guessing codes is made hopeless.

A sign-up code is six characters that people read and type, so it can be guessed. Alone it
cancels nothing and shows nothing to a stranger: the phone that made the sign-up holds its action
id (a random UUID), the person logged in holds their own sign-ups, the organisers hold their door
list, and anyone else gives the code with the name it was made with. Wrong codes (or names) are
counted per address and in total, in the database, and past the limit no code is looked up.

Actions go through `protocol.apply`, as from a phone or a form, in a request from a given
address; results are judged by `status` and `outcome`, never by the message.
"""
import datetime as dt
import uuid

import flask
import pytest

from peerm.accounts.models import LoginFailure, Person
from peerm.accounts.services import LOGIN_WINDOW
from peerm.core import clock
from peerm.core.db import db
from peerm.events import services
from peerm.events.models import CODE_ALPHABET, CODE_LENGTH, Event, Signup, new_code
from peerm.events.services import (
    WRONG_CODE_WINDOW,
    WRONG_CODES_IN_TOTAL,
    WRONG_CODES_PER_ADDRESS,
)
from peerm.initiatives.models import Initiative
from peerm.outbox.protocol import apply

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
HOME = "203.0.113.7"


@pytest.fixture
def request_from(app):
    """A request (for gettext) with a connection; `request_from(address)` makes the rest of
    the test come from that address."""
    with app.test_request_context(environ_base={"REMOTE_ADDR": HOME}), db.connection_context():
        yield lambda address: setattr(flask.request, "remote_addr", address)


@pytest.fixture
def event(request_from):
    """A lucas-community event tomorrow with room for two, full, with one party waiting."""
    starts_at = clock.now() + DAY
    made = Event.create(kind="local", initiative=Initiative.get(slug="lucas-community"),
                        title_nl="Samen koken", title_en="Cooking together", summary_nl="…",
                        summary_en="…", place="Rotterdam", starts_at=starts_at,
                        ends_at=starts_at + 2 * HOUR, capacity=2)
    services.sign_up(made, "Fatima El Amrani", 2)
    services.sign_up(made, "Kees", 1)
    return made


def signup(event, name):
    return Signup.get((Signup.event == event) & (Signup.name == name))


def action(action_type, data):
    return {"id": str(uuid.uuid4()), "type": action_type,
            "at": dt.datetime.now(dt.timezone.utc).isoformat(), "data": data}


def cancel(data, person=None):
    result = apply(action("event.cancel", data), person)
    return result.status, result.outcome


def person(email):
    return Person.by_email(email)


def unused_code():
    return next(code for code in iter(new_code, None)
                if not Signup.select().where(Signup.code == code).exists())


def wrong_tries(count):
    for _ in range(count):
        assert cancel({"code": unused_code(), "name": "Fatima"}) == ("rejected", "code_unknown")


# The short code alone -------------------------------------------------------------------

def test_cancel_by_code_alone_is_refused_and_changes_nothing_when_anonymous(event):
    fatima = signup(event, "Fatima El Amrani")
    assert cancel({"code": fatima.code}) == ("rejected", "name_missing")
    assert signup(event, "Fatima El Amrani").status == "confirmed"
    assert signup(event, "Kees").status == "waitlisted"


def test_cancel_by_code_and_the_name_cancels_when_both_are_typed_loosely(event):
    fatima = signup(event, "Fatima El Amrani")
    typed = {"code": f" {fatima.code.lower()} ", "name": "  fatima   el AMRANI "}
    assert cancel(typed) == ("applied", "cancelled")
    assert signup(event, "Fatima El Amrani").status == "cancelled"
    assert signup(event, "Kees").status == "confirmed"


def test_cancel_with_a_wrong_name_is_refused_as_an_unknown_code_is(event):
    fatima = signup(event, "Fatima El Amrani")
    assert cancel({"code": fatima.code, "name": "Fatima"}) == ("rejected", "code_unknown")
    assert cancel({"code": unused_code(), "name": "Fatima"}) == ("rejected", "code_unknown")
    assert signup(event, "Fatima El Amrani").status == "confirmed"
    # Both guesses are counted, for this address and in total.
    assert LoginFailure.select().where(LoginFailure.key == f"signup-code:{HOME}").count() == 2
    assert LoginFailure.select().where(LoginFailure.key == "signup-code:any").count() == 2


def test_cancel_by_code_alone_works_for_own_signup_and_for_the_organisers(event):
    mohammed = person("mohammed@peerm.example")
    own = services.sign_up(event, "Mo", 1, person=mohammed)
    assert cancel({"code": own.code}, mohammed) == ("applied", "cancelled")
    kees = signup(event, "Kees")
    # Jan coordinates another co-operative: for him the code is someone else's.
    assert cancel({"code": kees.code}, person("jan@peerm.example")) == ("rejected",
                                                                        "code_unknown")
    assert cancel({"code": kees.code}, person("kees@peerm.example")) == ("applied", "cancelled")


def test_cancel_by_the_signup_action_id_needs_nothing_else(event):
    made = action("event.signup", {"event": event.id, "name": "Anna", "party_size": 1})
    code = apply(made).ref
    assert cancel({"signup": made["id"]}) == ("applied", "cancelled")
    assert Signup.get(Signup.code == code).status == "cancelled"
    # Only a sign-up's action id counts: a check-in's names the same code, but is not the phone's.
    attend = action("event.attend", {"event": event.id, "code": signup(event, "Kees").code})
    assert apply(attend, person("kees@peerm.example")).status == "applied"
    assert cancel({"signup": attend["id"]}) == ("rejected", "signup_unknown")


# Counting wrong codes -------------------------------------------------------------------

def test_wrong_codes_are_limited_per_address_and_the_limit_stops_even_a_right_code(
        event, request_from):
    fatima = signup(event, "Fatima El Amrani")
    right = {"code": fatima.code, "name": "Fatima El Amrani"}
    wrong_tries(WRONG_CODES_PER_ADDRESS)
    assert cancel(right) == ("rejected", "too_many_tries")
    # Past the limit nothing more is counted: nothing was looked up.
    assert LoginFailure.select().where(LoginFailure.key == f"signup-code:{HOME}").count() == (
        WRONG_CODES_PER_ADDRESS)
    request_from("198.51.100.20")
    assert cancel(right) == ("applied", "cancelled")


def test_wrong_codes_are_limited_in_total_over_many_addresses(event, request_from):
    fatima = signup(event, "Fatima El Amrani")
    for n in range(WRONG_CODES_IN_TOTAL):
        request_from(f"198.51.100.{n + 1}")
        wrong_tries(1)
    request_from("192.0.2.99")
    right = {"code": fatima.code, "name": "Fatima El Amrani"}
    assert cancel(right) == ("rejected", "too_many_tries")
    # The organisers and the phone that made a sign-up are not held up by strangers' guesses.
    assert cancel({"code": signup(event, "Kees").code},
                  person("fatima@peerm.example")) == ("applied", "cancelled")


def test_wrong_codes_count_for_a_whole_ipv6_network_and_only_within_the_window(
        event, request_from):
    fatima = signup(event, "Fatima El Amrani")
    for n in range(WRONG_CODES_PER_ADDRESS):
        request_from(f"2001:db8:1:2::{n + 1:x}")
        wrong_tries(1)
    request_from("2001:db8:1:2:ffff::1")
    right = {"code": fatima.code, "name": "Fatima El Amrani"}
    assert cancel(right) == ("rejected", "too_many_tries")
    # A quarter of an hour later the guesses count no more.
    later = clock.now() + WRONG_CODE_WINDOW + dt.timedelta(seconds=1)
    assert services.check_code(fatima.code, "Fatima El Amrani", None,
                               "2001:db8:1:2:ffff::1", now=later) == fatima.code


def test_the_count_window_is_no_longer_than_housekeeping_keeps_failures():
    # Housekeeping removes failed logins older than LOGIN_WINDOW: a longer window would let
    # the daily round forget guesses that should still count.
    assert WRONG_CODE_WINDOW <= LOGIN_WINDOW


# The phone's own status lookup ------------------------------------------------------------

def test_signup_of_action_finds_only_signups_by_their_action_id(event):
    made = action("event.signup", {"event": event.id, "name": "Anna", "party_size": 1})
    code = apply(made).ref
    assert services.signup_of_action(made["id"]).code == code
    assert services.signup_of_action(made["id"].upper()).code == code
    for nonsense in (code, str(uuid.uuid4()), "", None, "x" * 500, 12):
        assert services.signup_of_action(nonsense) is None


# The arithmetic ---------------------------------------------------------------------------

def test_guessing_a_signup_is_hopeless_with_the_real_limits():
    """How likely a stranger is to take over someone's sign-up in a day of trying."""
    codes = len(CODE_ALPHABET) ** CODE_LENGTH              # 31^6 = 887,503,681
    open_signups = 10_000                                  # three times what the review saw
    windows_per_day = DAY / WRONG_CODE_WINDOW              # 96
    assert codes == 887_503_681 and windows_per_day == 96
    # Before: 1,200 codes a second, unlimited, found one of 3,100 sign-ups with chance
    # 1 - exp(-1200 * 12 * 3100 / codes) = 5 % in 12 seconds, and for sure within minutes.

    # The phone's way (status and cancel by the sign-up's action id): a random UUID has 122
    # random bits. Even uncounted, at the review's 1,200 guesses a second for a whole day:
    guesses = 1_200 * 24 * 3600
    assert guesses * open_signups / 2 ** 122 < 1e-20

    # The paper way (code and name): every guess is a wrong try until one hits. One address
    # makes at most WRONG_CODES_PER_ADDRESS tries a window; any number of addresses together
    # at most WRONG_CODES_IN_TOTAL.
    for addresses, most_per_day in ((1, 288), (10, 960), (1_000_000, 960)):
        tries_per_day = windows_per_day * min(addresses * WRONG_CODES_PER_ADDRESS,
                                              WRONG_CODES_IN_TOTAL)
        assert tries_per_day == most_per_day
        # A try hits only when its code belongs to a sign-up made with the name it gives.
        # Say the attacker tries a name that a hundred open sign-ups share (1 in 100; no
        # Dutch first name is that common): the chance of a hit in a day of trying is
        p_day = 1 - (1 - 100 / codes) ** tries_per_day
        assert p_day < 1.1e-4                              # at most about 1 in 9,000
