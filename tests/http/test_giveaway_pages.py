"""The pages of the give-away shop through the test client: the board and its filters (page and
htmx partial), a post and its photo, offering (photos checked by their bytes and size), asking
(own post, after the deadline, the quota), GET never writing (a post past its deadline is shown
as closing and settled by the next write), waiting posts seen by their giver and coordinators
only, the counter, the coordinators' page with no-shows (never on the public page), renewing
and withdrawing, and the home cards.

Outcomes are read from the database, status codes and `data-outcome`; page text only where the
words are the point (the Dutch and English refusal).
"""
import base64
import datetime as dt
import re
import uuid

import pytest
from html_pages import visible_text

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.giveaway import services
from peerm.giveaway.demo import drawing
from peerm.giveaway.models import Gift, GiftRequest
from peerm.giveaway.part import PART
from peerm.initiatives.models import Initiative

HTMX = {"HX-Request": "true"}
SHOP = "weggeefwinkel-amersfoort"
DAY = dt.timedelta(days=1)


def in_db(app, query):
    with app.app_context(), db.connection_context():
        return query()


def email(name):
    return f"{name}@peerm.example"


def text(response):
    return response.get_data(as_text=True)


def outcome(response):
    found = re.search(r'data-outcome="([^"]*)"', text(response))
    return found.group(1) if found else None


def make_gift(app, giver="bram", title="Boekenkast", slug=SHOP, **fields):
    def make():
        now = clock.now()
        fields.setdefault("until", now + 2 * DAY)
        return Gift.create(initiative=Initiative.get(Initiative.slug == slug),
                           giver=Person.by_email(email(giver)), title=title,
                           category=fields.pop("category", "furniture"), **fields).id
    return in_db(app, make)


def gift_row(app, gift_id):
    return in_db(app, lambda: Gift.get_by_id(gift_id))


def requests_of(app, gift_id):
    return in_db(app, lambda: [(r.person.display_name, r.state) for r in GiftRequest.select()
                               .where(GiftRequest.gift == gift_id).order_by(GiftRequest.id)])


def post_form(client, form_token, path, data, page="/giveaway"):
    return client.post(path, data={"csrf_token": form_token(client, page),
                                   "action_id": str(uuid.uuid4()), **data}, headers=HTMX)


def offer_data(app, **fields):
    shop_id = in_db(app, lambda: Initiative.get(Initiative.slug == SHOP).id)
    return {"initiative": str(shop_id), "title": "Fietsstoeltje", "description": "Voor achterop",
            "category": "children", "allocation": "draw", **fields}


# The board -------------------------------------------------------------------------------------

def test_board_shows_open_posts_with_filters_and_partial(client, app):
    page = text(client.get("/giveaway"))
    assert "Kinderwagen, grijs, met regenhoes" in page and "Gezocht: kledingkast" in page
    offered = text(client.get("/giveaway?kind=offered&city=Amersfoort&category=children"))
    assert "Kinderwagen" in offered and "Gezocht: kledingkast" not in offered
    assert "Working laptop" not in offered
    partial = client.get("/giveaway?kind=wanted", headers=HTMX)
    assert "<html" not in text(partial) and 'id="gift-list"' in text(partial)
    assert "Gezocht: kledingkast" in text(partial) and "Kinderwagen" not in text(partial)
    odd = client.get("/giveaway?category=wapens&city=Atlantis")
    assert odd.status_code == 200 and 'role="alert"' in text(odd)


def test_post_page_shows_photo_pickup_point_and_time_left(client, app):
    pram = in_db(app, lambda: Gift.get(Gift.title == "Kinderwagen, grijs, met regenhoes"))
    page = text(client.get(f"/giveaway/{pram.id}"))
    assert f"/giveaway/{pram.id}/photo" in page
    assert "Weggeefwinkel Amersfoort, de balie in de winkel" in page
    assert "nog " in page  # "nog 2 dagen"
    photo = client.get(f"/giveaway/{pram.id}/photo")
    assert photo.mimetype == "image/png" and photo.data.startswith(b"\x89PNG")
    client.set_cookie("lang", "en")
    english = text(client.get(f"/giveaway/{pram.id}"))
    assert "the counter in the shop" in english and 'lang="nl"' in english


# Offering -------------------------------------------------------------------------------------

def test_offer_form_posts_once_and_new_member_waits(app, log_in, form_token):
    client = log_in(email("anouk"))
    action_id = str(uuid.uuid4())
    data = {"csrf_token": form_token(client, "/giveaway/new"), "action_id": action_id,
            **offer_data(app)}
    first = client.post("/giveaway/new", data=data, headers=HTMX)
    again = client.post("/giveaway/new", data=data, headers=HTMX)
    assert (first.status_code, outcome(first), outcome(again)) == (200, "offered", "offered")
    gifts = in_db(app, lambda: list(Gift.select().where(Gift.title == "Fietsstoeltje")))
    assert [g.state for g in gifts] == ["pending"]
    # Not on the board, and not to be found by others; the giver and coordinators see it.
    assert "Fietsstoeltje" not in text(client.get("/giveaway"))
    assert app.test_client().get(f"/giveaway/{gifts[0].id}").status_code == 404
    assert log_in(email("mohammed")).get(f"/giveaway/{gifts[0].id}").status_code == 404
    assert client.get(f"/giveaway/{gifts[0].id}").status_code == 200
    ria = log_in(email("ria"))
    assert "Fietsstoeltje" in text(ria.get(f"/giveaway/{SHOP}/manage"))
    placed = ria.post(f"/giveaway/{gifts[0].id}/approve",
                      data={"csrf_token": form_token(ria, "/giveaway")})
    assert placed.status_code == 303 and gift_row(app, gifts[0].id).state == "open"


@pytest.mark.parametrize("photo, code", [
    ("data:image/jpeg;base64," + base64.b64encode(b"<html>not a photo</html>").decode(),
     "photo_invalid"),
    ("data:image/png;base64," + base64.b64encode(b"GIF89a" + b"\x00" * 50).decode(),
     "photo_invalid"),
    ("data:image/jpeg;base64," + base64.b64encode(
        b"\xff\xd8\xff" + b"\x01" * (services.MAX_PHOTO_BYTES + 10)).decode(), "photo_too_large"),
])
def test_fake_or_huge_photo_is_refused_with_400_and_nothing_made(app, log_in, form_token,
                                                                 photo, code):
    client = log_in(email("bram"))
    before = in_db(app, lambda: Gift.select().count())
    response = post_form(client, form_token, "/giveaway/new", offer_data(app, photo=photo))
    assert (response.status_code, outcome(response)) == (400, code)
    assert in_db(app, lambda: Gift.select().count()) == before


def test_real_photo_is_kept_and_served_with_its_type(app, log_in, form_token):
    client = log_in(email("bram"))
    png = drawing((200, 40, 40), 30, 20)
    photo = "data:image/jpeg;base64," + base64.b64encode(png).decode()
    response = post_form(client, form_token, "/giveaway/new",
                         offer_data(app, title="Rode lamp", photo=photo))
    assert outcome(response) == "offered"
    gift_id = int(re.search(r'data-ref="(\d+)"', text(response)).group(1))
    served = app.test_client().get(f"/giveaway/{gift_id}/photo")
    assert (served.mimetype, served.data) == ("image/png", png)


def test_wanted_post_is_placed_for_a_trusted_member(app, log_in, form_token):
    client = log_in(email("els"))
    shop_id = in_db(app, lambda: Initiative.get(Initiative.slug == SHOP).id)
    response = client.post("/giveaway/wanted", data={
        "csrf_token": form_token(client, "/giveaway/new?kind=wanted"), "initiative": shop_id,
        "title": "Gezocht: fietsbel", "description": "", "category": "other"})
    assert response.status_code == 303
    gift = in_db(app, lambda: Gift.get(Gift.title == "Gezocht: fietsbel"))
    assert (gift.kind, gift.state) == ("wanted", "open")


def test_new_needs_login(client):
    response = client.get("/giveaway/new")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


# Asking ------------------------------------------------------------------------------------------

def test_claim_refusals_are_400_with_their_code_and_change_nothing(app, log_in, form_token):
    own = make_gift(app, giver="els", title="Eigen stoel")
    client = log_in(email("els"))
    response = post_form(client, form_token, f"/giveaway/{own}/claim", {"gift": str(own)})
    assert (response.status_code, outcome(response)) == (400, "own_gift")
    late = make_gift(app, title="Te laat", until=clock.now() - dt.timedelta(minutes=5))
    response = post_form(client, form_token, f"/giveaway/{late}/claim", {"gift": str(late)})
    assert (response.status_code, outcome(response)) == (400, "closed")
    assert requests_of(app, own) == [] and requests_of(app, late) == []
    # In English, the refusal says why in English.
    client.set_cookie("lang", "en")
    response = post_form(client, form_token, f"/giveaway/{own}/claim", {"gift": str(own)})
    assert "This is your own post." in text(response)


def test_quota_reached_is_refused(app, log_in, form_token):
    client = log_in(email("kees"))
    gifts = [make_gift(app, title=f"Boek {n}", category="books_games") for n in range(5)]
    answers = [post_form(client, form_token, f"/giveaway/{g}/claim", {"gift": str(g)})
               for g in gifts]
    assert [outcome(a) for a in answers] == ["requested"] * 4 + ["quota"]
    assert answers[-1].status_code == 400
    assert requests_of(app, gifts[-1]) == []


def test_first_come_promises_and_shows_where_to_collect(app, log_in, form_token):
    gift = make_gift(app, title="Wasmand", allocation="first")
    response = post_form(log_in(email("kees")), form_token, f"/giveaway/{gift}/claim",
                         {"gift": str(gift)})
    assert outcome(response) == "promised"
    assert "Weggeefwinkel Amersfoort" in text(response)
    second = post_form(log_in(email("mohammed")), form_token, f"/giveaway/{gift}/claim",
                       {"gift": str(gift)})
    assert (second.status_code, outcome(second)) == (400, "gone")


# GET never writes; the next write settles ------------------------------------------------------

def test_get_of_a_post_past_its_deadline_writes_nothing_and_next_write_draws(app, log_in,
                                                                            form_token):
    gift = make_gift(app, title="Tuinset")
    for name in ("kees", "mohammed"):
        post_form(log_in(email(name)), form_token, f"/giveaway/{gift}/claim", {"gift": str(gift)})
    until = gift_row(app, gift).until
    with clock.frozen(until + dt.timedelta(hours=1)):
        page = text(log_in(email("kees")).get(f"/giveaway/{gift}"))
        assert "loting wordt gedaan" in page
        assert gift_row(app, gift).state == "open"
        assert requests_of(app, gift) == [("Kees", "requested"), ("Mohammed", "requested")]
        # Any giveaway write settles what is due first (here: someone asks for another thing).
        other = make_gift(app, title="Parasol", until=until + 2 * DAY)
        post_form(log_in(email("els")), form_token, f"/giveaway/{other}/claim",
                  {"gift": str(other)})
    assert gift_row(app, gift).state == "promised"
    assert sorted(state for _name, state in requests_of(app, gift)) == ["promised", "waiting"]


# Counter, moderation, no-shows ------------------------------------------------------------------

def test_counter_lists_pickups_and_hands_over_only_for_volunteers(app, log_in, form_token):
    gift = make_gift(app, title="Strijkijzer", allocation="first")
    post_form(log_in(email("mohammed")), form_token, f"/giveaway/{gift}/claim",
              {"gift": str(gift)})
    bram = log_in(email("bram"))
    page = text(bram.get(f"/giveaway/{SHOP}/counter"))
    assert "Strijkijzer" in page and "Mohammed" in page
    assert log_in(email("mohammed")).get(f"/giveaway/{SHOP}/counter").status_code == 403
    refused = post_form(log_in(email("kees")), form_token, "/giveaway/collect",
                        {"gift": str(gift)})
    assert (refused.status_code, outcome(refused)) == (400, "not_allowed")
    handed = post_form(bram, form_token, "/giveaway/collect", {"gift": str(gift)})
    assert outcome(handed) == "collected"
    assert requests_of(app, gift) == [("Mohammed", "collected")]


def test_no_show_is_seen_by_coordinators_only(app, log_in, form_token):
    gift = make_gift(app, title="Droogrek")
    for name in ("kees", "els"):
        post_form(log_in(email(name)), form_token, f"/giveaway/{gift}/claim", {"gift": str(gift)})
    until = gift_row(app, gift).until
    with app.test_request_context(), db.connection_context():
        services.settle_due(until + dt.timedelta(hours=1))
        services.settle_due(until + 5 * DAY)
        services.settle_due(until + 9 * DAY)
    assert sorted(state for _n, state in requests_of(app, gift)) == ["no_show", "no_show"]
    manage = text(log_in(email("ria")).get(f"/giveaway/{SHOP}/manage"))
    assert "Droogrek" in manage and "Kees" in manage
    for who in (None, "bram", "mohammed"):
        client = log_in(email(who)) if who else app.test_client()
        page = visible_text(text(client.get(f"/giveaway/{gift}")))
        assert "Kees" not in page and "Els" not in page
    assert log_in(email("bram")).get(f"/giveaway/{SHOP}/manage").status_code == 403


def test_giver_renews_an_expired_post_and_withdraws_it(app, log_in, form_token):
    gift = make_gift(app, title="Kapstok", state="expired", until=clock.now() - DAY)
    bram = log_in(email("bram"))
    assert "Kapstok" in text(bram.get("/giveaway/mine"))
    renewed = bram.post(f"/giveaway/{gift}/renew", data={"csrf_token": form_token(bram)})
    assert renewed.status_code == 303 and gift_row(app, gift).state == "open"
    assert log_in(email("els")).post(f"/giveaway/{gift}/withdraw", data={
        "csrf_token": form_token(bram)}).status_code in (400, 403)
    withdrawn = bram.post(f"/giveaway/{gift}/withdraw", data={"csrf_token": form_token(bram)})
    assert withdrawn.status_code == 303 and gift_row(app, gift).state == "withdrawn"


# Home cards and kept pages ----------------------------------------------------------------------

def test_home_cards_tell_of_a_fitting_offer_a_promise_and_the_counter(app, log_in, form_token):
    els = log_in(email("els"))
    els.post("/giveaway/wanted", data={"csrf_token": form_token(els, "/giveaway"),
                                       "initiative": in_db(app, lambda: Initiative.get(
                                           Initiative.slug == SHOP).id),
                                       "title": "Gezocht: naaimachine", "category": "other"})
    post_form(log_in(email("bram")), form_token, "/giveaway/new",
              offer_data(app, title="Naaimachine van oma", category="other", allocation="first"))
    with app.test_request_context(), db.connection_context():
        cards = PART.today(Person.by_email(email("els")))
        assert any(card.count == 1 and "Naaimachine van oma" in str(card.text) for card in cards)
        bram_cards = PART.today(Person.by_email(email("bram")))
        assert any(card.url == f"/giveaway/{SHOP}/counter" for card in bram_cards)
        kept = [path for _rank, path in PART.kept_pages(Person.by_email(email("bram")))]
        assert kept == ["/giveaway", "/giveaway/new", f"/giveaway/{SHOP}/counter"]
