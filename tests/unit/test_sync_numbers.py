"""How numbers are read from forms and actions: ASCII digits only, within what a database
integer holds. Python's `isdigit()` is true for "²" (which `int()` refuses) and for "١٢" (which
`int()` reads as 12); neither is a number a person meant, and neither may crash a request.
"""
import pytest

from peerm.core.validation import INT_MAX, whole_number
from peerm.outbox.protocol import body_hash
from peerm.volunteering import services
from peerm.volunteering.services import VolunteeringError


@pytest.mark.parametrize("raw, number", [
    ("12", 12), (" 12 ", 12), ("0", 0), ("007", 7), (12, 12), (0, 0),
    (str(INT_MAX), INT_MAX), (INT_MAX, INT_MAX),
])
def test_whole_number_reads_ascii_digits_when_within_bounds(raw, number):
    assert whole_number(raw) == number


@pytest.mark.parametrize("raw", [
    "²", "١٢", "٣", "１２", "1²", "-1", "+1", "1_000", "1e3", "12.0", "0x1f", "", " ", "1 2",
    "1\x00", None, True, False, 1.0, -1, [1], {"id": 1},
    INT_MAX + 1, str(INT_MAX + 1), "1" * 30, 10 ** 30, "9" * 5000,
])
def test_whole_number_is_none_when_raw_is_no_ascii_number_or_too_large(raw):
    assert whole_number(raw) is None


def test_whole_number_takes_a_smaller_bound_when_given():
    assert whole_number("99", maximum=99) == 99
    assert whole_number("100", maximum=99) is None
    assert whole_number(100, maximum=99) is None


def test_body_hash_reads_only_ascii_digit_strings_as_numbers():
    assert body_hash("event.signup", {"party_size": "12"}) == body_hash("event.signup",
                                                                        {"party_size": 12})
    assert body_hash("event.signup", {"party_size": "0012"}) == body_hash("event.signup",
                                                                          {"party_size": 12})
    for text in ("١٢", "²", "12²", "１２"):
        assert body_hash("event.signup", {"party_size": text}) != body_hash(
            "event.signup", {"party_size": 12}), text
    # As the first release hashed them: up to 15 digits are a number, longer is text.
    assert body_hash("x", {"n": "9" * 15}) == body_hash("x", {"n": 10 ** 15 - 1})
    assert body_hash("x", {"n": "9" * 16}) != body_hash("x", {"n": 10 ** 16 - 1})


@pytest.mark.parametrize("raw", ["١٢", "٣", "²", "１２", "1" * 30, "1_0", "+5", "-5"])
def test_kilometres_are_refused_when_not_ascii_digits(raw):
    with pytest.raises(VolunteeringError) as refused:
        services.parse_km(raw)
    assert refused.value.code == "km_invalid"


@pytest.mark.parametrize("raw", ["١٢", "١٢,٥٠", "12,٥٠", "²", "1_000", "1" * 30, "12,5²"])
def test_amounts_are_refused_when_not_ascii_digits(raw):
    with pytest.raises(VolunteeringError) as refused:
        services.parse_amount_cents(raw)
    assert refused.value.code == "amount_invalid"


@pytest.mark.parametrize("raw, cents", [("12,50", 1250), ("12.5", 1250), ("€ 4", 400),
                                        ("0,01", 1), (1250, 1250)])
def test_amounts_are_read_when_written_as_people_do(raw, cents):
    assert services.parse_amount_cents(raw) == cents


@pytest.mark.parametrize("pin", ["١٢٣٤", "12²4", "１２３４"])
def test_pin_is_refused_when_its_digits_are_not_ascii(app, pin):
    from peerm.accounts.models import Person
    from peerm.core.db import db

    with app.test_request_context(), db.connection_context():
        person = Person.by_email("kees@peerm.example")
        with pytest.raises(VolunteeringError) as refused:
            services.set_pin(person, pin)
        assert refused.value.code == "pin_invalid"
        assert Person.by_email("kees@peerm.example").pin_hash == person.pin_hash
