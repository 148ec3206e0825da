"""The event services: sign-up with capacity counted in people, the waiting list, cancelling by
code with promotion, and check-in at the door. Each asserts the stable `code` of the error,
never its (translated) message.

Checks of plain input (codes, party sizes, names) need no database and run once; everything that
stores sign-ups runs on SQLite and PostgreSQL through the `app` fixture.
"""
import datetime as dt

import pytest

from peerm.core import clock
from peerm.core.db import db
from peerm.events import services
from peerm.events.models import CODE_ALPHABET, CODE_LENGTH, Event, Signup, new_code
from peerm.events.services import EventError

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
LOOK_ALIKES = "0O1IL"


@pytest.fixture
def ctx(app):
    """An app context with an open connection, for calling services directly."""
    with app.app_context(), db.connection_context():
        yield


def make_event(capacity=3, starts_in=DAY, initiative=None):
    """A small local event of two hours, `starts_in` from now."""
    starts_at = clock.now() + starts_in
    return Event.create(kind="local", initiative=initiative, title_nl="Samen koken",
                        title_en="Cooking together", summary_nl="…", summary_en="…",
                        place="Breda", starts_at=starts_at, ends_at=starts_at + 2 * HOUR,
                        capacity=capacity)


@pytest.fixture
def event(ctx):
    """A local event tomorrow with room for three people."""
    return make_event(capacity=3)


def sign_up(event, name, party_size=1, **kwargs):
    return services.sign_up(Event.get_by_id(event.id), name, party_size, **kwargs)


def reload(signup):
    return Signup.get_by_id(signup.id)


def error_code(call, *args, **kwargs):
    with pytest.raises(EventError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# Sign-up: places counted in people --------------------------------------------------------

def test_sign_up_confirms_while_party_fits_counting_people_not_sign_ups(event):
    first = sign_up(event, "  Fatima   El  Amrani ", 2, contact=" 06 1234 5678 ")
    too_many = sign_up(event, "Kees", 2)
    behind = sign_up(event, "Mo", 1)
    # One seat is left, but Kees waits already: nobody passes the waiting list.
    assert [s.status for s in (first, too_many, behind)] == [
        "confirmed", "waitlisted", "waitlisted"]
    assert event.seats_taken() == 2
    assert event.seats_left() == 1
    stored = reload(first)
    assert (stored.name, stored.party_size, stored.contact) == ("Fatima El Amrani", 2,
                                                                "06 1234 5678")
    assert (stored.person, stored.walk_in, stored.attended_at) == (None, False, None)


def test_sign_up_confirms_everyone_when_event_has_no_limit(ctx):
    talk = make_event(capacity=None)
    signups = [sign_up(talk, f"Gast {n}", 10) for n in range(5)]
    assert {s.status for s in signups} == {"confirmed"}
    assert talk.seats_left() is None
    assert talk.seats_taken() == 50


def test_waitlist_places_follow_order_of_arrival_when_event_is_full(event):
    sign_up(event, "Fatima", 3)
    waiting = [sign_up(event, name, 1) for name in ("Kees", "Mo", "Els")]
    assert [s.status for s in waiting] == ["waitlisted"] * 3
    assert [s.waitlist_place() for s in waiting] == [1, 2, 3]
    assert [s.name for s in Signup.waiting(event)] == ["Kees", "Mo", "Els"]
    # A waiting sign-up that cancels frees no seat: the others move up the list only.
    services.cancel(waiting[0].code)
    assert [reload(s).status for s in waiting[1:]] == ["waitlisted", "waitlisted"]
    assert [reload(s).waitlist_place() for s in waiting[1:]] == [1, 2]
    assert reload(waiting[1]).promoted_at is None
    assert event.seats_left() == 0


def test_sign_up_stores_nothing_when_refused(ctx):
    started = make_event(starts_in=-HOUR)
    tomorrow = make_event(capacity=3)
    assert error_code(services.sign_up, started, "Fatima", 1) == "event_past"
    assert error_code(services.sign_up, tomorrow, "<b>x</b>", 1) == "name_invalid"
    assert error_code(services.sign_up, tomorrow, "Fatima", 11) == "party_size_invalid"
    assert error_code(services.sign_up, tomorrow, "Fatima", 1, contact="bel aan") == (
        "contact_invalid")
    assert Signup.select().where(Signup.event.in_([started, tomorrow])).count() == 0


def test_sign_up_waits_behind_waiting_list_when_free_seat_was_theirs(event):
    first = sign_up(event, "Fatima", 1)
    sign_up(event, "Kees", 2)
    big_party = sign_up(event, "Familie Jansen", 3)      # waiting, place 1
    small_party = sign_up(event, "Mo", 1)                # waiting, place 2
    services.cancel(first.code)                          # 1 seat free: the Jansens block Mo
    assert reload(small_party).status == "waitlisted"
    newcomer = sign_up(event, "Els", 1)
    # Mo and the Jansens came first; a newcomer must not take the seat ahead of them.
    assert newcomer.status == "waitlisted"
    assert reload(big_party).waitlist_place() == 1


# Cancel by code, and promotion from the waiting list --------------------------------------

def test_cancel_frees_seats_and_promotes_first_waiting_when_confirmed_cancels(event):
    first = sign_up(event, "Fatima", 2)
    sign_up(event, "Kees", 1)
    waiting = [sign_up(event, name, 1) for name in ("Mo", "Els", "Jan")]
    cancelled = services.cancel(first.code)
    assert reload(cancelled).status == "cancelled"
    assert [reload(s).status for s in waiting] == ["confirmed", "confirmed", "waitlisted"]
    assert reload(waiting[2]).waitlist_place() == 1
    assert event.seats_left() == 0


def test_cancel_blocks_later_waiting_when_first_waiting_party_does_not_fit(event):
    first = sign_up(event, "Fatima", 1)
    sign_up(event, "Kees", 2)
    big_party = sign_up(event, "Familie Jansen", 3)
    small_party = sign_up(event, "Mo", 1)
    services.cancel(first.code)
    assert reload(big_party).status == "waitlisted"
    assert reload(small_party).status == "waitlisted"
    assert reload(small_party).waitlist_place() == 2
    assert event.seats_left() == 1


def test_cancel_sets_promoted_at_and_cancelled_at_when_given_a_time(event):
    first = sign_up(event, "Fatima", 3, contact="fatima@example.org")
    waiting = sign_up(event, "Kees", 2)
    moment = clock.now() + dt.timedelta(minutes=7)
    services.cancel(first.code, now=moment)
    promoted, cancelled = reload(waiting), reload(first)
    assert promoted.status == "confirmed"
    assert promoted.promoted_at == moment
    assert cancelled.cancelled_at == moment
    # The contact detail is no longer needed once the person is not coming.
    assert cancelled.contact == ""


def test_cancel_promotes_next_when_blocking_waiting_party_cancels(event):
    first = sign_up(event, "Fatima", 1)
    sign_up(event, "Kees", 2)
    big_party = sign_up(event, "Familie Jansen", 3)
    small_party = sign_up(event, "Mo", 1)
    services.cancel(first.code)                # 1 seat free, held back by the Jansens
    services.cancel(big_party.code)            # they give up: Mo fits now
    assert reload(small_party).status == "confirmed"
    assert event.seats_left() == 0


def test_cancel_refuses_when_code_is_unknown_or_already_cancelled(event):
    signup = sign_up(event, "Fatima", 1)
    services.cancel(signup.code)
    assert error_code(services.cancel, signup.code) == "already_cancelled"
    assert reload(signup).status == "cancelled"
    unused = next(code for code in iter(new_code, None)
                  if not Signup.select().where(Signup.code == code).exists())
    assert error_code(services.cancel, unused) == "code_unknown"


def test_cancel_accepts_code_when_typed_in_lowercase_with_spaces(event):
    signup = sign_up(event, "Fatima", 1)
    typed = f" {signup.code[:3].lower()} {signup.code[3:].lower()} "
    assert services.cancel(typed).id == signup.id
    assert reload(signup).status == "cancelled"


def test_cancel_refuses_when_event_has_ended(ctx):
    past = make_event(starts_in=-3 * HOUR)  # ended an hour ago
    signup = Signup.create(event=past, code=new_code(), name="Fatima", party_size=1,
                           status="confirmed", created_at=clock.now() - DAY)
    assert error_code(services.cancel, signup.code) == "event_past"
    assert reload(signup).status == "confirmed"


# Check-in at the door --------------------------------------------------------------------

def test_attend_by_code_keeps_first_time_when_marked_twice(event):
    signup = sign_up(event, "Fatima", 2)
    first, second = event.starts_at + dt.timedelta(minutes=4), event.starts_at + HOUR
    services.attend(event, code=signup.code.lower(), at=first)
    assert reload(signup).attended_at == first
    services.attend(event, code=signup.code, at=second)
    assert reload(signup).attended_at == first
    assert Signup.select().where(Signup.event == event).count() == 1


def test_attend_confirms_waitlisted_when_they_came_anyway(event):
    sign_up(event, "Fatima", 3)
    waiting = sign_up(event, "Kees", 1)
    services.attend(event, code=waiting.code, at=event.starts_at)
    assert reload(waiting).status == "confirmed"
    assert reload(waiting).attended_at == event.starts_at


def test_attend_refuses_when_code_is_of_another_event_or_name_is_empty(event):
    other = make_event(capacity=3, starts_in=2 * DAY)
    signup = sign_up(other, "Fatima", 1)
    assert error_code(services.attend, event, code=signup.code) == "code_unknown"
    assert reload(signup).attended_at is None
    assert error_code(services.attend, event, name="   ", at=event.starts_at) == "name_missing"
    assert Signup.select().where(Signup.event == event).count() == 0


def test_attend_walk_in_creates_confirmed_attended_sign_up_when_event_is_full(event):
    sign_up(event, "Fatima", 3)
    arrived = event.starts_at + dt.timedelta(minutes=10)
    walk_in = services.attend(event, name="  Oma   Truus ", at=arrived)
    stored = reload(walk_in)
    assert (stored.name, stored.status, stored.walk_in) == ("Oma Truus", "confirmed", True)
    assert stored.attended_at == arrived
    assert stored.party_size == 1
    assert len(stored.code) == CODE_LENGTH
    assert event.seats_taken() == 4  # a fact at the door beats the capacity


# Plain input: no database needed ---------------------------------------------------------

def test_new_code_has_six_characters_without_look_alikes_when_drawn_many_times():
    codes = [new_code() for _ in range(5000)]
    assert all(len(code) == CODE_LENGTH == 6 for code in codes)
    used = set("".join(codes))
    assert used <= set(CODE_ALPHABET)
    assert not used & set(LOOK_ALIKES)
    assert used == set(CODE_ALPHABET)  # 30 000 draws reach every letter of the alphabet
    assert len(set(codes)) > 4990


@pytest.mark.parametrize("typed, expected", [
    ("k7qm2p", "K7QM2P"), ("K7QM2P", "K7QM2P"), (" k7q m2p\n", "K7QM2P"), ("zzz999", "ZZZ999"),
])
def test_clean_code_normalises_when_code_is_lowercase_or_spaced(typed, expected):
    assert services.clean_code(typed) == expected


@pytest.mark.parametrize("typed", [
    "K7QM20", "K7QMO2", "K7QM12", "K7QMI2", "K7QML2", "k7qml2", "K7QM2", "K7QM2PX", "", None,
    "K7-QM2", "K7QM2É", 123456,
])
def test_clean_code_refuses_when_shape_is_wrong(typed):
    assert error_code(services.clean_code, typed) == "code_invalid"


@pytest.mark.parametrize("size", [0, 11, 500, -1, "abc", "", None, "2.5", [2], float("inf")])
def test_sign_up_refuses_party_size_when_out_of_range(size):
    tomorrow = Event(starts_at=clock.now() + DAY, capacity=3)
    assert error_code(services.sign_up, tomorrow, "Fatima", size) == "party_size_invalid"


@pytest.mark.parametrize("size, expected", [(1, 1), (10, 10), ("3", 3), (" 4 ", 4)])
def test_clean_party_size_accepts_when_between_one_and_ten(size, expected):
    assert services.clean_party_size(size) == expected


@pytest.mark.parametrize("name, code", [
    ("", "name_missing"), ("   \n\t ", "name_missing"), (None, "name_missing"),
    ("x" * 81, "name_too_long"), ("<b>Fatima</b>", "name_invalid"),
    ("<script>alert(1)</script>", "name_invalid"), ("Fa\x00tima", "name_invalid"),
])
def test_sign_up_refuses_name_when_empty_too_long_or_html(name, code):
    tomorrow = Event(starts_at=clock.now() + DAY, capacity=3)
    assert error_code(services.sign_up, tomorrow, name, 1) == code
