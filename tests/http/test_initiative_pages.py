"""A co-operative's own page through the test client: what it shows (how to reach it as
tap-to-call, tap-to-chat and tap-to-mail links, its coming events and open needs), and the
page its coordinators edit it on, with its partners; refusals for everyone else, bad input as
a 400 with nothing changed."""
import re

from peerm.core.db import db
from peerm.events.models import Event
from peerm.initiatives.models import Initiative, Partner
from peerm.needs.models import Need

EDIT = "/initiatives/lucas-community/edit"
ENGLISH = {"Accept-Language": "en"}
PAGE = {"legal_form": "cooperative", "summary_nl": "Zorg door en voor buren.",
        "summary_en": "Care by and for neighbours.", "description_nl": "Wij helpen elkaar.",
        "description_en": "We help each other.", "address": "Pieter Calandlaan 1, Amsterdam",
        "opening_hours_nl": "ma–vr 9.00–17.00", "opening_hours_en": "Mon–Fri 9:00–17:00",
        "phone": "020 123 45 67", "whatsapp": "06 12345678", "email": "info@lucas.example",
        "website": "https://lucas.example", "giving_nl": "", "giving_en": ""}
ERROR = re.compile(r'<p class="error" role="alert">([^<]*)</p>')


def in_db(app, query):
    with app.app_context(), db.connection_context():
        return query()


def post(client, form_token, path, data):
    return client.post(path, data={"csrf_token": form_token(client), **data})


def test_page_shows_contact_links_once_coordinator_saved_them(app, log_in, form_token):
    fatima = log_in("fatima@peerm.example")
    assert post(fatima, form_token, EDIT, PAGE).status_code == 303
    page = app.test_client().get("/initiatives/lucas-community").get_data(as_text=True)
    assert 'href="tel:+31201234567"' in page
    assert 'href="https://wa.me/31612345678"' in page
    assert 'href="mailto:info@lucas.example"' in page
    assert 'href="https://lucas.example"' in page
    assert "ma–vr 9.00–17.00" in page
    english = app.test_client().get("/initiatives/lucas-community", headers=ENGLISH)
    assert "Mon–Fri 9:00–17:00" in english.get_data(as_text=True)


def test_page_shows_coming_events_and_open_needs(app, client):
    lucas = in_db(app, lambda: Initiative.get(slug="lucas-community"))
    events = in_db(app, lambda: list(Event.upcoming(initiative=lucas, limit=5)))
    needs = in_db(app, lambda: list(Need.board(None, initiative=lucas)))
    assert events and needs
    page = client.get("/initiatives/lucas-community").get_data(as_text=True)
    for event in events:
        assert f'href="/events/{event.id}"' in page
    for need in needs:
        assert f'href="/needs/{need.id}"' in page
    closed = needs[0]
    in_db(app, lambda: Need.update(status="fulfilled").where(Need.id == closed.id).execute())
    page = client.get("/initiatives/lucas-community").get_data(as_text=True)
    assert f'href="/needs/{closed.id}"' not in page
    assert "Edit this page" not in client.get("/initiatives/lucas-community",
                                              headers=ENGLISH).get_data(as_text=True)


def test_edit_page_is_for_the_co_operatives_coordinators(app, client, log_in):
    assert client.get(EDIT).status_code == 303
    for email in ("mohammed@peerm.example", "kees@peerm.example", "jan@peerm.example"):
        assert log_in(email).get(EDIT).status_code == 403, email
    for email in ("fatima@peerm.example", "beheer@peerm.example"):
        assert log_in(email).get(EDIT).status_code == 200, email
    detail = log_in("fatima@peerm.example").get("/initiatives/lucas-community")
    assert f'href="{EDIT}"' in detail.get_data(as_text=True)


def test_edit_refuses_bad_input_with_400_and_changes_nothing(app, log_in, form_token):
    fatima = log_in("fatima@peerm.example")
    before = in_db(app, lambda: Initiative.get(slug="lucas-community").__data__.copy())
    for field, value in [("phone", "12345"), ("whatsapp", "020 1234567"),
                         ("website", "http://lucas.example"), ("email", "info"),
                         ("summary_nl", ""), ("description_nl", "x" * 5001)]:
        response = post(fatima, form_token, EDIT, {**PAGE, field: value})
        assert response.status_code == 400, field
        body = response.get_data(as_text=True)
        assert ERROR.search(body), field
        # What was typed stays in the form, to be mended.
        assert f'value="{PAGE["address"]}"' in body
    assert in_db(app, lambda: Initiative.get(slug="lucas-community").__data__) == before


def test_partner_is_added_edited_and_removed_after_asking(app, log_in, form_token):
    fatima = log_in("fatima@peerm.example")
    base = "/initiatives/lucas-community/partners"
    added = post(fatima, form_token, base, {"name": "Buurthuis De Meeuw", "kind": "civil_society",
                                            "text_nl": "We koken er samen."})
    assert added.status_code == 303
    partner = in_db(app, lambda: Partner.get(Partner.name == "Buurthuis De Meeuw"))
    assert "Buurthuis De Meeuw" in fatima.get("/initiatives/lucas-community").get_data(as_text=True)
    edited = post(fatima, form_token, f"{base}/{partner.id}/edit",
                  {"name": "Buurthuis De Meeuw", "kind": "housing", "text_nl": "Een ruimte."})
    assert edited.status_code == 303
    assert in_db(app, lambda: Partner.get_by_id(partner.id).kind) == "housing"
    bad = post(fatima, form_token, f"{base}/{partner.id}/edit",
               {"name": "", "kind": "housing", "text_nl": "Een ruimte."})
    assert bad.status_code == 400 and ERROR.search(bad.get_data(as_text=True))
    # Removing asks first: the page asks, only its form removes.
    asking = fatima.get(f"{base}/{partner.id}/remove")
    assert asking.status_code == 200
    assert f'action="{base}/{partner.id}/remove"' in asking.get_data(as_text=True)
    assert in_db(app, lambda: Partner.get_or_none(Partner.id == partner.id)) is not None
    assert post(fatima, form_token, f"{base}/{partner.id}/remove", {}).status_code == 303
    assert in_db(app, lambda: Partner.get_or_none(Partner.id == partner.id)) is None


def test_partner_of_another_co_operative_is_not_found(app, log_in, form_token):
    amargi = in_db(app, lambda: Initiative.get(slug="amargi"))
    theirs = in_db(app, lambda: Partner.create(initiative=amargi, name="Gemeente Den Haag",
                                               kind="municipality", text_nl="…", text_en=""))
    fatima = log_in("fatima@peerm.example")
    path = f"/initiatives/lucas-community/partners/{theirs.id}/remove"
    assert fatima.get(path).status_code == 404
    assert post(fatima, form_token, path, {}).status_code == 404
    assert in_db(app, lambda: Partner.get_or_none(Partner.id == theirs.id)) is not None


def test_money_need_says_how_to_give_once_the_page_says_it(app, log_in, form_token):
    need = in_db(app, lambda: Need.get(Need.text_nl.startswith("Geld voor reiskosten")))
    giving = "NL00 BANK 0123 4567 89 t.n.v. Stichting Lucas"
    assert giving not in app.test_client().get(f"/needs/{need.id}").get_data(as_text=True)
    fatima = log_in("fatima@peerm.example")
    assert post(fatima, form_token, EDIT, {**PAGE, "giving_nl": giving}).status_code == 303
    page = app.test_client().get(f"/needs/{need.id}").get_data(as_text=True)
    assert giving in page
    other = in_db(app, lambda: Need.get(Need.text_nl.startswith("Fietsen")))
    assert giving not in app.test_client().get(f"/needs/{other.id}").get_data(as_text=True)
