"""Changing a co-operative's own page: Dutch phone numbers, WhatsApp on a mobile number, an
e-mail address and an https website checked; every field refused when it is wrong, with
nothing changed; partners added, changed and removed, never another co-operative's.
"""
import pytest

from peerm.core.db import db
from peerm.initiatives import services
from peerm.initiatives.models import Initiative, Partner
from peerm.initiatives.services import InitiativeError


@pytest.fixture
def lucas(app):
    with app.app_context(), app.test_request_context(), db.connection_context():
        yield Initiative.get(slug="lucas-community")


def page(**changes):
    values = {"legal_form": "cooperative", "summary_nl": "Zorg door buren.",
              "summary_en": "Care by neighbours.", "description_nl": "Wij helpen.\n\nSamen.",
              "description_en": "", "address": "Burgemeester Fockstraat 1, Amsterdam",
              "opening_hours_nl": "ma–vr 9.00–17.00", "opening_hours_en": "",
              "phone": "020 123 45 67", "whatsapp": "+31 6 1234 5678",
              "email": "info@lucas.example", "website": "https://www.lucas.example/over-ons",
              "giving_nl": "NL00 BANK 0123 4567 89 t.n.v. Lucas", "giving_en": ""}
    values.update(changes)
    return values


def error_code(call, *args):
    with pytest.raises(InitiativeError) as caught:
        call(*args)
    return caught.value.code


@pytest.mark.parametrize("typed, international", [
    ("06 12345678", "+31612345678"), ("06-12345678", "+31612345678"),
    ("+31 6 1234 5678", "+31612345678"), ("0031612345678", "+31612345678"),
    ("010 - 123 45 67", "+31101234567"), ("(020) 1234567", "+31201234567"), ("", ""),
])
def test_dutch_phone_accepts_the_ways_people_write_it(typed, international):
    assert services.dutch_phone(typed, "Telefoon") == typed.strip()
    assert services.international(typed) == international


@pytest.mark.parametrize("typed", ["12345", "06 1234567", "06 123456789", "+32 470 12 34 56",
                                   "00 12345678", "06 1234 567a", "tel:0612345678"])
def test_dutch_phone_refuses_what_is_no_dutch_number(typed):
    with pytest.raises(InitiativeError) as caught:
        services.dutch_phone(typed, "Telefoon")
    assert caught.value.code == "phone_invalid"


def test_update_page_stores_every_field_when_form_is_good(lucas):
    services.update_page(lucas, page())
    saved = Initiative.get_by_id(lucas.id)
    assert (saved.phone, saved.whatsapp, saved.email, saved.website) == (
        "020 123 45 67", "+31 6 1234 5678", "info@lucas.example",
        "https://www.lucas.example/over-ons")
    assert saved.description_nl == "Wij helpen.\n\nSamen."
    assert saved.opening_hours_nl == "ma–vr 9.00–17.00"


@pytest.mark.parametrize("changes, code", [
    ({"summary_nl": ""}, "missing"),
    ({"description_nl": "  "}, "missing"),
    ({"summary_nl": "x" * 301}, "too_long"),
    ({"description_en": "x" * 5001}, "too_long"),
    ({"address": "x" * 201}, "too_long"),
    ({"legal_form": "bv"}, "legal_form_invalid"),
    ({"phone": "0612"}, "phone_invalid"),
    ({"whatsapp": "020 1234567"}, "phone_invalid"),
    ({"email": "info@lucas"}, "email_invalid"),
    ({"email": "<b>@lucas.example"}, "email_invalid"),
    ({"website": "http://lucas.example"}, "url_invalid"),
    ({"website": "javascript:alert(1)"}, "url_invalid"),
    ({"website": "https://lucas example.nl"}, "url_invalid"),
    ({"website": "https://"}, "url_invalid"),
])
def test_update_page_refuses_bad_input_and_changes_nothing(lucas, changes, code):
    before = Initiative.get_by_id(lucas.id).__data__.copy()
    assert error_code(services.update_page, lucas, page(**changes)) == code
    assert Initiative.get_by_id(lucas.id).__data__ == before


def test_partners_are_added_changed_and_removed(lucas):
    partner = services.add_partner(lucas, {"name": "Buurthuis De Meeuw", "kind": "civil_society",
                                           "text_nl": "We koken er samen.", "text_en": ""})
    assert Partner.get_by_id(partner.id).initiative_id == lucas.id
    services.update_partner(lucas, partner.id, {"name": "Buurthuis De Meeuw", "kind": "housing",
                                                "text_nl": "We huren er een ruimte.",
                                                "text_en": "We rent a room there."})
    changed = Partner.get_by_id(partner.id)
    assert (changed.kind, changed.text_en) == ("housing", "We rent a room there.")
    services.remove_partner(lucas, partner.id)
    assert Partner.get_or_none(Partner.id == partner.id) is None


@pytest.mark.parametrize("changes, code", [
    ({"name": ""}, "missing"), ({"name": "<script>"}, "name_invalid"),
    ({"kind": "friend"}, "kind_invalid"), ({"text_nl": ""}, "missing"),
    ({"text_nl": "x" * 1001}, "too_long"),
])
def test_add_partner_refuses_bad_input(lucas, changes, code):
    before = Partner.select().count()
    good = {"name": "Gemeente Amsterdam", "kind": "municipality", "text_nl": "Subsidie."}
    assert error_code(services.add_partner, lucas, {**good, **changes}) == code
    assert Partner.select().count() == before


def test_partner_of_another_co_operative_cannot_be_changed_or_removed(lucas):
    amargi = Initiative.get(slug="amargi")
    theirs = Partner.create(initiative=amargi, name="Gemeente Den Haag", kind="municipality",
                            text_nl="…", text_en="…")
    form = {"name": "Weg", "kind": "fund", "text_nl": "…"}
    assert error_code(services.update_partner, lucas, theirs.id, form) == "partner_unknown"
    assert error_code(services.remove_partner, lucas, theirs.id) == "partner_unknown"
    assert Partner.get_by_id(theirs.id).name == "Gemeente Den Haag"
