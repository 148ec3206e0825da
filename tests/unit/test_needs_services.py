"""The needs services: posting and editing a need (every bad input refused with its code and
nothing stored), answering it ("I can help"), the need's status following what was promised
and received, coordinators taking answers up, passing a need on, housekeeping, erasure, who
sees which need, and the coordinator's card on the home. Each asserts the stable `code` of
an error, never its (translated) message. Runs on SQLite and PostgreSQL.
"""
import datetime as dt
from decimal import Decimal

import pytest

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.needs import services
from peerm.needs.models import Need, NeedStep, Pledge
from peerm.needs.part import PART
from peerm.needs.services import NeedError

DAY = dt.timedelta(days=1)


@pytest.fixture
def ctx(app):
    """An app context with an open connection, for calling services directly."""
    with app.app_context(), app.test_request_context(), db.connection_context():
        yield


@pytest.fixture
def lucas(ctx):
    return Initiative.get(slug="lucas-community")


def form(**changes):
    """A good form for a need: six bikes, needed in ten days, listed for a month."""
    today = clock.today()
    values = {"kind": "material", "visibility": "network", "text_nl": "Zes fietsen",
              "text_en": "Six bikes", "quantity": "6", "unit_nl": "fietsen", "unit_en": "bikes",
              "needed_by": (today + 10 * DAY).isoformat(),
              "list_until": (today + 30 * DAY).isoformat()}
    values.update(changes)
    return values


def money_need(initiative, quantity="100"):
    return services.post_need(initiative, form(kind="money", quantity=quantity, unit_nl="",
                                               unit_en="", text_nl="Geld voor reiskosten"))


def error_code(call, *args, **kwargs):
    with pytest.raises(NeedError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def person(email):
    return Person.by_email(email)


# Posting and editing -------------------------------------------------------------------------

def test_post_need_stores_every_field_when_form_is_good(lucas):
    need = services.post_need(lucas, form())
    need = Need.get_by_id(need.id)
    assert (need.kind, need.status, need.visibility) == ("material", "open", "network")
    assert need.quantity == Decimal(6) and (need.unit_nl, need.unit_en) == ("fietsen", "bikes")
    assert need.needed_by == clock.today() + 10 * DAY
    assert need.list_until == clock.today() + 30 * DAY


@pytest.mark.parametrize("changes, code", [
    ({"text_nl": ""}, "missing"),
    ({"text_nl": "   \n "}, "missing"),
    ({"text_nl": "x" * 501}, "too_long"),
    ({"text_en": "x" * 501}, "too_long"),
    ({"unit_nl": "x" * 41}, "too_long"),
    ({"kind": "love"}, "kind_invalid"),
    ({"visibility": "friends"}, "visibility_invalid"),
    ({"quantity": "zes"}, "quantity_invalid"),
    ({"quantity": "-6"}, "quantity_invalid"),
    ({"quantity": "0"}, "quantity_invalid"),
    ({"quantity": "1e3"}, "quantity_invalid"),
    ({"quantity": "١٢"}, "quantity_invalid"),
    ({"quantity": "", "unit_nl": "fietsen"}, "quantity_missing"),
    ({"needed_by": "morgen"}, "date_invalid"),
    ({"needed_by": "2020-01-01"}, "date_past"),
    ({"list_until": ""}, "list_until_missing"),
    ({"list_until": "2020-01-01", "needed_by": ""}, "date_past"),
    ({"list_until": "2099-01-01"}, "list_until_far"),
])
def test_post_need_refuses_bad_input_and_stores_nothing(lucas, changes, code):
    before = Need.select().count()
    assert error_code(services.post_need, lucas, form(**changes)) == code
    assert Need.select().count() == before


def test_post_need_refuses_list_until_before_needed_by(lucas):
    today = clock.today()
    bad = form(needed_by=(today + 20 * DAY).isoformat(), list_until=(today + 5 * DAY).isoformat())
    assert error_code(services.post_need, lucas, bad) == "list_until_early"


def test_post_need_counts_money_in_euros_whatever_unit_is_typed(lucas):
    need = services.post_need(lucas, form(kind="money", quantity="2.400,5".replace(".", ""),
                                          unit_nl="zakken"))
    assert need.quantity == Decimal("2400.50") and need.unit_nl == "" and need.is_money


def test_update_need_keeps_a_past_date_that_was_not_changed(lucas):
    need = services.post_need(lucas, form())
    Need.update(needed_by=clock.today() - 3 * DAY).where(Need.id == need.id).execute()
    kept = form(needed_by=(clock.today() - 3 * DAY).isoformat(), text_nl="Vijf fietsen")
    assert services.update_need(need, kept).text_nl == "Vijf fietsen"
    moved = form(needed_by=(clock.today() - 2 * DAY).isoformat())
    assert error_code(services.update_need, need, moved) == "date_past"
    assert Need.get_by_id(need.id).text_nl == "Vijf fietsen"


# Answering -----------------------------------------------------------------------------------

def test_respond_keeps_name_and_contact_when_not_logged_in(lucas):
    need = services.post_need(lucas, form())
    pledge = services.respond(need.id, "Twee fietsen uit mijn schuur", "2", "Youssef",
                              "06 12345678")
    pledge = Pledge.get_by_id(pledge.id)
    assert (pledge.name, pledge.contact, pledge.status, pledge.person_id) == (
        "Youssef", "06 12345678", "offered", None)
    assert pledge.amount == Decimal(2)


def test_respond_uses_the_person_when_logged_in(lucas):
    need = services.post_need(lucas, form())
    mohammed = person("mohammed@peerm.example")
    pledge = services.respond(need.id, "Een fiets", person=mohammed)
    assert (pledge.name, pledge.person_id, pledge.amount) == ("Mohammed", mohammed.id, None)


@pytest.mark.parametrize("offer, amount, name, contact, code", [
    ("", "", "Youssef", "06 12345678", "missing"),
    ("x" * 501, "", "Youssef", "06 12345678", "too_long"),
    ("Fietsen", "twee", "Youssef", "06 12345678", "amount_invalid"),
    ("Fietsen", "2.5.1", "Youssef", "06 12345678", "amount_invalid"),
    ("Fietsen", "-2", "Youssef", "06 12345678", "amount_invalid"),
    ("Fietsen", "2", "", "06 12345678", "name_missing"),
    ("Fietsen", "2", "x" * 81, "06 12345678", "name_too_long"),
    ("Fietsen", "2", "Youssef", "", "contact_missing"),
    ("Fietsen", "2", "Youssef", "mijn buurman", "contact_invalid"),
])
def test_respond_refuses_bad_input_and_stores_nothing(lucas, offer, amount, name, contact, code):
    need = services.post_need(lucas, form())
    assert error_code(services.respond, need.id, offer, amount, name, contact) == code
    assert Pledge.select().where(Pledge.need == need).count() == 0


@pytest.mark.parametrize("need_id", ["", "abc", "99999999", 10**30, None, "١"])
def test_respond_refuses_a_need_that_does_not_exist(ctx, need_id):
    assert error_code(services.respond, need_id, "Hulp", "", "Ria", "ria@example.org") == \
        "need_unknown"


@pytest.mark.parametrize("status", ["fulfilled", "withdrawn", "expired"])
def test_respond_refuses_a_closed_need(lucas, status):
    need = services.post_need(lucas, form())
    Need.update(status=status).where(Need.id == need.id).execute()
    assert error_code(services.respond, need.id, "Hulp", "", "Ria", "ria@example.org") == "closed"
    assert Pledge.select().where(Pledge.need == need).count() == 0


def test_need_has_enough_offers_when_promises_reach_quantity(lucas):
    need = money_need(lucas, "100")
    services.respond(need.id, "Een gift", "60", "Ria", "ria@example.org")
    assert Need.get_by_id(need.id).status == "open"
    services.respond(need.id, "Nog een gift", "40", "Bram", "bram@example.org")
    assert Need.get_by_id(need.id).status == "enough"
    assert error_code(services.respond, need.id, "Meer", "5", "Ans", "ans@example.org") == \
        "enough"
    assert Need.get_by_id(need.id).totals() == (Decimal(100), Decimal(0))


def test_pledged_and_fulfilled_are_counted_apart(lucas):
    need = money_need(lucas, "200")
    first = services.respond(need.id, "Gift", "80", "Ria", "ria@example.org")
    second = services.respond(need.id, "Gift", "40", "Bram", "bram@example.org")
    services.respond(need.id, "Gift", "25", "Ans", "ans@example.org")
    services.move_pledge(need, first.id, "accepted")
    services.move_pledge(need, second.id, "fulfilled")
    assert Need.get_by_id(need.id).totals() == (Decimal(145), Decimal(40))


def test_need_is_fulfilled_when_everything_is_received_and_reopens_when_a_promise_goes(lucas):
    need = money_need(lucas, "100")
    first = services.respond(need.id, "Gift", "70", "Ria", "ria@example.org")
    second = services.respond(need.id, "Gift", "30", "Bram", "bram@example.org")
    assert Need.get_by_id(need.id).status == "enough"
    services.move_pledge(need, second.id, "withdrawn")
    assert Need.get_by_id(need.id).status == "open"
    third = services.respond(need.id, "Gift", "30", "Ans", "ans@example.org")
    services.move_pledge(need, first.id, "fulfilled")
    services.move_pledge(need, third.id, "fulfilled")
    need = Need.get_by_id(need.id)
    assert need.status == "fulfilled" and need.closed_at is not None


@pytest.mark.parametrize("start, to, code", [
    ("accepted", "accepted", "status_unchanged"),
    ("fulfilled", "withdrawn", "status_unchanged"),
    ("withdrawn", "accepted", "status_unchanged"),
    ("offered", "offered", "status_invalid"),
    ("offered", "thanked", "status_invalid"),
])
def test_move_pledge_refuses_moves_that_do_not_exist(lucas, start, to, code):
    need = services.post_need(lucas, form())
    pledge = services.respond(need.id, "Fiets", "1", "Ria", "ria@example.org")
    Pledge.update(status=start).where(Pledge.id == pledge.id).execute()
    assert error_code(services.move_pledge, need, pledge.id, to) == code
    assert Pledge.get_by_id(pledge.id).status == start


def test_move_pledge_refuses_an_answer_of_another_need(lucas):
    need = services.post_need(lucas, form())
    other = services.post_need(lucas, form(text_nl="Een busje"))
    pledge = services.respond(other.id, "Busje", "", "Ria", "ria@example.org")
    assert error_code(services.move_pledge, need, pledge.id, "accepted") == "pledge_unknown"


def test_withdrawing_a_need_ends_its_open_answers(lucas):
    need = services.post_need(lucas, form())
    open_one = services.respond(need.id, "Fiets", "1", "Ria", "ria@example.org")
    received = services.respond(need.id, "Fiets", "1", "Bram", "bram@example.org")
    services.move_pledge(need, received.id, "fulfilled")
    services.set_status(need, "withdrawn")
    assert Need.get_by_id(need.id).status == "withdrawn"
    assert Pledge.get_by_id(open_one.id).status == "withdrawn"
    assert Pledge.get_by_id(received.id).status == "fulfilled"
    assert error_code(services.set_status, need, "withdrawn") == "status_unchanged"


def test_the_person_who_answered_may_take_it_back_until_it_is_received(lucas):
    need = money_need(lucas, "50")
    mohammed = person("mohammed@peerm.example")
    own = services.respond(need.id, "Een gift", "50", person=mohammed)
    assert Need.get_by_id(need.id).status == "enough"
    assert error_code(services.withdraw_own, need, own.id, person("kees@peerm.example")) == \
        "not_yours"
    assert error_code(services.withdraw_own, need, own.id, None) == "not_yours"
    services.withdraw_own(need, own.id, mohammed)
    assert Pledge.get_by_id(own.id).status == "withdrawn"
    assert Need.get_by_id(need.id).status == "open"
    again = services.respond(need.id, "Toch een gift", "10", person=mohammed)
    services.move_pledge(need, again.id, "fulfilled")
    assert error_code(services.withdraw_own, need, again.id, mohammed) == "status_unchanged"


# Passing on ----------------------------------------------------------------------------------

def test_pass_on_moves_the_need_and_keeps_its_history(lucas):
    need = services.post_need(lucas, form())
    amargi = Initiative.get(slug="amargi")
    fatima = person("fatima@peerm.example")
    services.pass_on(need, amargi, "Jullie hebben een schuur vol fietsen.", by=fatima)
    need = Need.get_by_id(need.id)
    assert need.initiative_id == amargi.id
    step = NeedStep.get(NeedStep.need == need)
    assert (step.from_initiative_id, step.to_initiative_id, step.by_id) == (
        lucas.id, amargi.id, fatima.id)
    assert step.note == "Jullie hebben een schuur vol fietsen."


def test_pass_on_refuses_the_same_co_operative_and_a_closed_need(lucas):
    need = services.post_need(lucas, form())
    assert error_code(services.pass_on, need, lucas, "") == "same_initiative"
    assert error_code(services.pass_on, need, None, "") == "initiative_unknown"
    assert error_code(services.pass_on, need, Initiative.get(slug="amargi"), "x" * 501) == \
        "too_long"
    services.set_status(need, "fulfilled")
    assert error_code(services.pass_on, need, Initiative.get(slug="amargi"), "") == "need_closed"
    assert NeedStep.select().where(NeedStep.need == need).count() == 0


# Who sees what -------------------------------------------------------------------------------

def test_own_needs_are_seen_by_members_only(lucas):
    from peerm.permissions import may_see_need

    need = services.post_need(lucas, form(visibility="own", text_nl="Alleen voor leden"))
    seen = {email: need.id in [n.id for n in Need.board(person(email))]
            for email in ("mohammed@peerm.example", "jan@peerm.example", "beheer@peerm.example")}
    assert seen == {"mohammed@peerm.example": True, "jan@peerm.example": False,
                    "beheer@peerm.example": True}
    assert need.id not in [n.id for n in Need.board(None)]
    assert not may_see_need(None, need) and may_see_need(person("kees@peerm.example"), need)
    # Passed on, the co-operative that passed it still sees it; a member of it does not.
    services.pass_on(need, Initiative.get(slug="amargi"), "", by=person("fatima@peerm.example"))
    need = Need.get_by_id(need.id)
    assert may_see_need(person("fatima@peerm.example"), need)
    assert not may_see_need(person("mohammed@peerm.example"), need)


def test_board_puts_the_most_urgent_first_and_leaves_closed_needs_out(lucas):
    today = clock.today()
    later = services.post_need(lucas, form(needed_by=(today + 20 * DAY).isoformat()))
    sooner = services.post_need(lucas, form(needed_by=(today + 2 * DAY).isoformat()))
    undated = services.post_need(lucas, form(needed_by=""))
    closed = services.post_need(lucas, form(needed_by=(today + 1 * DAY).isoformat()))
    services.set_status(closed, "withdrawn")
    ids = [n.id for n in Need.board(None, initiative=lucas)]
    assert ids.index(sooner.id) < ids.index(later.id) < ids.index(undated.id)
    assert closed.id not in ids


# Housekeeping --------------------------------------------------------------------------------

def test_housekeeping_expires_needs_past_their_listing_with_their_open_answers(lucas):
    need = services.post_need(lucas, form(needed_by=""))
    offered = services.respond(need.id, "Fiets", "1", "Ria", "ria@example.org")
    accepted = services.respond(need.id, "Fiets", "1", "Bram", "bram@example.org")
    services.move_pledge(need, accepted.id, "accepted")
    listed_until = Need.get_by_id(need.id).list_until
    on_the_day = clock.from_local(dt.datetime.combine(listed_until, dt.time(23, 0)))
    assert PART.housekeeping(on_the_day)["needs expired"] == 0
    assert PART.housekeeping(on_the_day + 2 * DAY)["needs expired"] >= 1
    assert Need.get_by_id(need.id).status == "expired"
    assert Pledge.get_by_id(offered.id).status == "expired"
    assert Pledge.get_by_id(accepted.id).status == "accepted"
    assert error_code(services.respond, need.id, "Fiets", "", "Ans", "ans@example.org") == "closed"


def test_housekeeping_forgets_contacts_three_months_after_a_need_closed(lucas):
    need = services.post_need(lucas, form())
    pledge = services.respond(need.id, "Fiets", "1", "Ria", "ria@example.org")
    services.set_status(need, "fulfilled")
    closed_at = Need.get_by_id(need.id).closed_at
    PART.housekeeping(closed_at + 89 * DAY)
    assert Pledge.get_by_id(pledge.id).contact == "ria@example.org"
    PART.housekeeping(closed_at + 91 * DAY)
    assert Pledge.get_by_id(pledge.id).contact == ""


# Erasure, the home, kept pages ---------------------------------------------------------------

def test_erasing_a_person_keeps_their_answer_without_name_or_contact(lucas):
    need = services.post_need(lucas, form())
    mohammed = person("mohammed@peerm.example")
    own = services.respond(need.id, "Fiets", "1", person=mohammed)
    by_mail = services.respond(need.id, "Fiets", "1", "Mo", "MOHAMMED@peerm.example")
    other = services.respond(need.id, "Fiets", "1", "Ria", "ria@example.org")
    services.erase_person(mohammed, ["Mohammed"])
    assert [(p.name, p.contact, p.amount) for p in (Pledge.get_by_id(own.id),
                                                   Pledge.get_by_id(by_mail.id))] == [
        ("\u2014", "", Decimal(1)), ("\u2014", "", Decimal(1))]
    assert Pledge.get_by_id(other.id).name == "Ria"


def test_today_shows_a_coordinator_the_answers_to_take_up(lucas):
    Pledge.update(status="accepted").where(Pledge.status == "offered").execute()
    assert PART.today(person("fatima@peerm.example")) == []
    need = services.post_need(lucas, form())
    services.respond(need.id, "Fiets", "1", "Ria", "ria@example.org")
    with clock.frozen(clock.now() + 15 * DAY):
        services.respond(need.id, "Fiets", "1", "Bram", "bram@example.org")
        cards = PART.today(person("fatima@peerm.example"))
    assert [(card.count, card.rank, card.url) for card in cards] == [
        (2, 1, f"/needs/{need.id}/answers")]
    assert "1" in str(cards[0].text)  # one answer waits two weeks or more
    for email in ("mohammed@peerm.example", "kees@peerm.example", "jan@peerm.example"):
        assert PART.today(person(email)) == []
    assert PART.today(None) == []


def test_kept_pages_hold_the_board_and_own_co_operatives_needs_only(lucas):
    own = services.post_need(lucas, form(visibility="own"))
    other = services.post_need(Initiative.get(slug="amargi"), form())
    ranked = PART.kept_pages(person("mohammed@peerm.example"))
    assert ranked[0] == (0, "/needs")
    lucas_ids = {n.id for n in Need.board(person("mohammed@peerm.example"), initiative=lucas)}
    ranks = {int(path.rsplit("/", 1)[1]): rank for rank, path in ranked[1:]}
    assert own.id in lucas_ids and set(ranks) == lucas_ids and set(ranks.values()) == {1}
    assert other.id not in ranks   # on the board; kept once opened
    assert PART.kept_pages(None) == [(0, "/needs")]

