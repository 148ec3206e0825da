"""The needs board through the test client: the board and its filters (page and htmx
partial), a need with promised and received apart, "Ik kan helpen" online without JavaScript,
with htmx and through /sync (once per action id), who sees the contact details of those who
answer (every role), posting and editing needs, the coordinators' answers page, passing a need
on with its history, and bad input as a 400 with nothing changed.

Outcomes are read from `data-outcome` and from the database; page text with the language it is
written in.
"""
import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest

from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.needs.models import Need, NeedStep, Pledge

HTMX = {"HX-Request": "true"}
ENGLISH = {"Accept-Language": "en"}
DAY = dt.timedelta(days=1)
ERROR = re.compile(r'<p class="error" role="alert"[^>]*>([^<]*)</p>')
CONTACT = "ria.contact@example.org"


def in_db(app, query):
    with app.app_context(), db.connection_context():
        return query()


def make_need(app, slug="lucas-community", **fields):
    def create():
        values = dict(initiative=Initiative.get(slug=slug), kind="material",
                      text_nl="Twee ladders", text_en="Two ladders", quantity=Decimal(2),
                      unit_nl="ladders", unit_en="ladders", status="open",
                      visibility="network", list_until=clock.today() + 30 * DAY,
                      created_at=clock.now())
        values.update(fields)
        return Need.create(**values).id
    return in_db(app, create)


def pledges_of(app, need_id):
    return in_db(app, lambda: list(Pledge.select().where(Pledge.need == need_id)
                                   .order_by(Pledge.id)))


def respond(client, form_token, need_id, headers=None, action_id=None, **data):
    form = {"csrf_token": form_token(client), "action_id": action_id or str(uuid.uuid4()),
            "offer": "Ik breng er een", "name": "Ria", "contact": CONTACT, **data}
    return client.post(f"/needs/{need_id}/respond", data=form, headers=headers or {})


# The board -----------------------------------------------------------------------------------

def test_board_lists_open_needs_of_the_network_filtered(app, client):
    board = client.get("/needs").get_data(as_text=True)
    listed = in_db(app, lambda: list(Need.board(None)))
    assert listed and all(f'href="/needs/{need.id}"' in board for need in listed)
    own = in_db(app, lambda: Need.get(Need.visibility == "own"))
    assert f'href="/needs/{own.id}"' not in board
    money = client.get("/needs?kind=money").get_data(as_text=True)
    for need in listed:
        assert (f'href="/needs/{need.id}"' in money) is (need.kind == "money")
    groningen = client.get("/needs?city=Groningen&kind=money", headers=HTMX)
    text = groningen.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="need-list"') and "<html" not in text
    for need in listed:
        expected = need.kind == "money" and need.initiative.city == "Groningen"
        assert (f'href="/needs/{need.id}"' in text) is expected
    lucas = client.get("/needs?initiative=lucas-community").get_data(as_text=True)
    assert all((f'href="/needs/{n.id}"' in lucas) is (n.initiative.slug == "lucas-community")
               for n in listed)


def test_board_ignores_filters_it_does_not_know(client):
    page = client.get("/needs?kind=love&city=Atlantis&initiative=%00x")
    assert page.status_code in (200, 404)
    page = client.get("/needs?kind=love&city=Atlantis")
    assert page.status_code == 200 and 'role="alert"' in page.get_data(as_text=True)


def test_own_need_is_hidden_from_people_outside_the_co_operative(app, client, log_in):
    need_id = make_need(app, visibility="own")
    assert client.get(f"/needs/{need_id}").status_code == 404
    assert log_in("jan@peerm.example").get(f"/needs/{need_id}").status_code == 404
    assert log_in("mohammed@peerm.example").get(f"/needs/{need_id}").status_code == 200


# A need --------------------------------------------------------------------------------------

def test_need_shows_promised_and_received_apart(app, client):
    need = in_db(app, lambda: Need.get(Need.text_nl.startswith("Geld voor de vrijwilligers")))
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "€\u00a0120 toegezegd" in page and "€\u00a040 ontvangen" in page
    assert "van de €\u00a02.400 nodig" in page
    english = client.get(f"/needs/{need.id}", headers=ENGLISH).get_data(as_text=True)
    assert "€\u00a0120 promised" in english and "€\u00a040 received" in english
    assert "Money for the volunteer allowance" in english


def test_help_form_is_an_offline_action_form(app, client):
    need_id = make_need(app)
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*data-offline="need.respond"[^>]*>(.*?)</form>', page, re.S)
    assert form, "the help form must be marked data-offline"
    names = set(re.findall(r'name="([a-z_]+)"', form.group(1)))
    assert {"action_id", "csrf_token", "need", "offer", "amount", "name", "contact"} <= names
    assert f'action="/needs/{need_id}/respond"' in form.group(0)


def test_help_without_javascript_stores_one_pledge_per_action(app, client, form_token):
    need_id = make_need(app)
    action_id = str(uuid.uuid4())
    first = respond(client, form_token, need_id, action_id=action_id, amount="1")
    assert first.status_code == 303 and first.headers["Location"] == f"/needs/{need_id}"
    again = respond(client, form_token, need_id, action_id=action_id, amount="1")
    assert again.status_code == 303
    [pledge] = pledges_of(app, need_id)
    assert (pledge.name, pledge.contact, pledge.amount, pledge.status) == (
        "Ria", CONTACT, Decimal(1), "offered")
    shown = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Dank je wel, Ria!" in shown


def test_help_with_htmx_answers_the_result(app, client, form_token):
    need_id = make_need(app)
    answer = respond(client, form_token, need_id, headers=HTMX)
    assert answer.status_code == 200
    assert 'data-outcome="pledged"' in answer.get_data(as_text=True)
    assert len(pledges_of(app, need_id)) == 1


def test_help_through_sync_is_pledged_once(app, client):
    need_id = make_need(app)
    action = {"id": str(uuid.uuid4()), "type": "need.respond",
              "at": dt.datetime.now(dt.timezone.utc).isoformat(),
              "data": {"need": need_id, "offer": "Een ladder", "amount": "1", "name": "Ria",
                       "contact": CONTACT}}
    first = client.post("/sync", json={"actions": [action]}, headers={"Origin": "http://localhost"})
    [result] = first.get_json()["results"]
    assert (result["status"], result["outcome"]) == ("applied", "pledged")
    second = client.post("/sync", json={"actions": [action]},
                         headers={"Origin": "http://localhost"})
    assert second.get_json()["results"][0]["status"] == "duplicate"
    [pledge] = pledges_of(app, need_id)
    assert str(pledge.id) == result["ref"]


@pytest.mark.parametrize("data, code", [
    ({"offer": ""}, "missing"),
    ({"offer": "x" * 501}, "too_long"),
    ({"amount": "twee"}, "amount_invalid"),
    ({"amount": "1,234"}, "amount_invalid"),
    ({"name": ""}, "name_missing"),
    ({"contact": ""}, "contact_missing"),
    ({"contact": "achter de kerk"}, "contact_invalid"),
])
def test_help_refuses_bad_input_with_400_and_stores_nothing(app, client, form_token, data, code):
    need_id = make_need(app)
    answer = respond(client, form_token, need_id, headers=HTMX, **data)
    assert answer.status_code == 400
    assert f'data-outcome="{code}"' in answer.get_data(as_text=True)
    assert pledges_of(app, need_id) == []


@pytest.mark.parametrize("status, code", [("fulfilled", "closed"), ("withdrawn", "closed"),
                                          ("expired", "closed"), ("enough", "enough")])
def test_help_on_a_closed_need_is_refused(app, client, form_token, status, code):
    need_id = make_need(app, status=status)
    answer = respond(client, form_token, need_id, headers=HTMX)
    assert answer.status_code == 400 and f'data-outcome="{code}"' in answer.get_data(as_text=True)
    assert pledges_of(app, need_id) == []
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert 'data-offline="need.respond"' not in page


# Contact details: the co-operative's coordinators only -------------------------------------

@pytest.mark.parametrize("visitor, sees", [
    (None, False), ("mohammed@peerm.example", False), ("kees@peerm.example", False),
    ("jan@peerm.example", False), ("fatima@peerm.example", True),
    ("beheer@peerm.example", True),
])
def test_contact_details_are_seen_by_the_coordinators_only(app, client, log_in, form_token,
                                                           visitor, sees):
    need_id = make_need(app)
    respond(app.test_client(), form_token, need_id)
    viewer = log_in(visitor) if visitor else client
    detail = viewer.get(f"/needs/{need_id}").get_data(as_text=True)
    assert CONTACT not in detail
    answers = viewer.get(f"/needs/{need_id}/answers")
    if sees:
        assert answers.status_code == 200 and CONTACT in answers.get_data(as_text=True)
        assert answers.headers["Cache-Control"] == "no-store"
    else:
        assert answers.status_code in (303, 403)
        assert CONTACT not in answers.get_data(as_text=True)
    export = viewer.get("/account/export") if visitor else None
    if export is not None and export.status_code == 200:
        assert CONTACT not in export.get_data(as_text=True)


# Coordinators --------------------------------------------------------------------------------

def new_form(lucas_id, **changes):
    today = clock.today()
    values = {"initiative": str(lucas_id), "kind": "volunteers", "visibility": "network",
              "text_nl": "Koks voor de buurtmaaltijd", "text_en": "Cooks for the meal",
              "quantity": "3", "unit_nl": "koks", "unit_en": "cooks",
              "needed_by": (today + 7 * DAY).isoformat(),
              "list_until": (today + 14 * DAY).isoformat()}
    values.update(changes)
    return values


def test_coordinator_posts_and_edits_a_need(app, log_in, form_token):
    fatima = log_in("fatima@peerm.example")
    lucas = in_db(app, lambda: Initiative.get(slug="lucas-community"))
    assert fatima.get("/needs/new").status_code == 200
    made = fatima.post("/needs/new", data={"csrf_token": form_token(fatima), **new_form(lucas.id)})
    assert made.status_code == 303
    need = in_db(app, lambda: Need.get(Need.text_nl == "Koks voor de buurtmaaltijd"))
    assert made.headers["Location"] == f"/needs/{need.id}"
    assert fatima.get(f"/needs/{need.id}/edit").status_code == 200
    edited = fatima.post(f"/needs/{need.id}/edit", data={
        "csrf_token": form_token(fatima), **new_form(lucas.id, quantity="4")})
    assert edited.status_code == 303
    assert in_db(app, lambda: Need.get_by_id(need.id).quantity) == Decimal(4)
    assert "/needs/new" in fatima.get("/needs").get_data(as_text=True)


@pytest.mark.parametrize("changes", [
    {"text_nl": ""}, {"text_nl": "x" * 501}, {"quantity": "drie"},
    {"needed_by": "2020-05-01"}, {"list_until": ""}, {"kind": ""},
    {"needed_by": "2099-01-01", "list_until": "2099-01-02"},
    {"list_until": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
])
def test_posting_a_need_refuses_bad_input_with_400_and_stores_nothing(app, log_in, form_token,
                                                                      changes):
    fatima = log_in("fatima@peerm.example")
    lucas = in_db(app, lambda: Initiative.get(slug="lucas-community"))
    before = in_db(app, lambda: Need.select().count())
    answer = fatima.post("/needs/new", data={"csrf_token": form_token(fatima),
                                             **new_form(lucas.id, **changes)})
    assert answer.status_code == 400
    assert ERROR.search(answer.get_data(as_text=True))
    assert in_db(app, lambda: Need.select().count()) == before


def test_people_without_a_co_operative_to_coordinate_cannot_post(app, client, log_in, form_token):
    assert client.get("/needs/new").status_code == 303
    for email in ("mohammed@peerm.example", "kees@peerm.example"):
        assert log_in(email).get("/needs/new").status_code == 403
        assert "/needs/new" not in log_in(email).get("/needs").get_data(as_text=True)
    jan = log_in("jan@peerm.example")
    lucas = in_db(app, lambda: Initiative.get(slug="lucas-community"))
    before = in_db(app, lambda: Need.select().count())
    refused = jan.post("/needs/new", data={"csrf_token": form_token(jan), **new_form(lucas.id)})
    assert refused.status_code == 403
    assert in_db(app, lambda: Need.select().count()) == before


def test_coordinator_accepts_and_marks_an_answer_received(app, log_in, form_token):
    need_id = make_need(app)
    respond(app.test_client(), form_token, need_id, amount="2")
    [pledge] = pledges_of(app, need_id)
    assert in_db(app, lambda: Need.get_by_id(need_id).status) == "enough"
    fatima = log_in("fatima@peerm.example")
    path = f"/needs/{need_id}/answers/{pledge.id}"
    for to in ("accepted", "fulfilled"):
        assert fatima.post(path, data={"csrf_token": form_token(fatima), "to": to}
                           ).status_code == 303
    assert [p.status for p in pledges_of(app, need_id)] == ["fulfilled"]
    assert in_db(app, lambda: Need.get_by_id(need_id).status) == "fulfilled"
    again = fatima.post(path, data={"csrf_token": form_token(fatima), "to": "accepted"})
    assert again.status_code == 400 and ERROR.search(again.get_data(as_text=True))
    assert [p.status for p in pledges_of(app, need_id)] == ["fulfilled"]


def test_passed_on_need_moves_and_both_see_its_history(app, log_in, form_token):
    need_id = make_need(app)
    respond(app.test_client(), form_token, need_id)
    fatima = log_in("fatima@peerm.example")
    passed = fatima.post(f"/needs/{need_id}/pass", data={
        "csrf_token": form_token(fatima), "to": "talent-in-actie",
        "note": "Jullie lenen al ladders uit."})
    assert passed.status_code == 303
    assert in_db(app, lambda: Need.get_by_id(need_id).initiative.slug) == "talent-in-actie"
    assert in_db(app, lambda: NeedStep.select().where(NeedStep.need == need_id).count()) == 1
    jan = log_in("jan@peerm.example")
    theirs = jan.get(f"/needs/{need_id}/answers").get_data(as_text=True)
    assert CONTACT in theirs and "Jullie lenen al ladders uit." in theirs
    ours = fatima.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Jullie lenen al ladders uit." in ours
    assert fatima.get(f"/needs/{need_id}/answers").status_code == 403
    # Nobody else reads the note.
    public = app.test_client().get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Jullie lenen al ladders uit." not in public
    same = jan.post(f"/needs/{need_id}/pass", data={"csrf_token": form_token(jan),
                                                    "to": "talent-in-actie", "note": ""})
    assert same.status_code == 400


def test_home_shows_no_answers_to_people_who_are_not_logged_in(client):
    home = client.get("/").get_data(as_text=True)
    assert "/answers" not in home and CONTACT not in home


def test_a_co_operatives_own_need_is_answered_by_its_members_only(app, client, log_in):
    need_id = make_need(app, visibility="own")
    action = {"id": str(uuid.uuid4()), "type": "need.respond",
              "at": dt.datetime.now(dt.timezone.utc).isoformat(),
              "data": {"need": need_id, "offer": "Ik help", "name": "Ria", "contact": CONTACT}}
    headers = {"Origin": "http://localhost"}
    anonymous = client.post("/sync", json={"actions": [action]}, headers=headers)
    assert anonymous.get_json()["results"][0]["status"] == "unauthorized"
    jan = log_in("jan@peerm.example")
    refused = jan.post("/sync", json={"actions": [{**action, "id": str(uuid.uuid4())}]},
                       headers=headers).get_json()["results"][0]
    assert (refused["status"], refused["outcome"]) == ("rejected", "need_unknown")
    assert pledges_of(app, need_id) == []
    member = log_in("mohammed@peerm.example")
    taken = member.post("/sync", json={"actions": [{**action, "id": str(uuid.uuid4())}]},
                        headers=headers).get_json()["results"][0]
    assert taken["outcome"] == "pledged"
    assert [p.name for p in pledges_of(app, need_id)] == ["Mohammed"]


def test_the_person_who_answered_takes_it_back_from_the_need_page(app, log_in, form_token):
    need_id = make_need(app)
    member = log_in("mohammed@peerm.example")
    respond(member, form_token, need_id, amount="2")
    [pledge] = pledges_of(app, need_id)
    assert pledge.person_id is not None
    page = member.get(f"/needs/{need_id}").get_data(as_text=True)
    path = f"/needs/{need_id}/answers/{pledge.id}/withdraw"
    assert f'action="{path}"' in page
    jan = log_in("jan@peerm.example")
    assert jan.post(path, data={"csrf_token": form_token(jan)}).status_code == 403
    assert [p.status for p in pledges_of(app, need_id)] == ["offered"]
    assert member.post(path, data={"csrf_token": form_token(member)}).status_code == 303
    assert [p.status for p in pledges_of(app, need_id)] == ["withdrawn"]
    assert in_db(app, lambda: Need.get_by_id(need_id).status) == "open"
