"""Thanks, skills that fit a knowledge need ("someone knows someone"), and library documents
beside a knowledge need: the rules of each, as services and queries."""
import datetime as dt

import pytest

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.needs import services
from peerm.needs.models import Need, Pledge
from peerm.needs.part import PART
from peerm.needs.services import NeedError

DAY = dt.timedelta(days=1)


@pytest.fixture
def ctx(app):
    with app.app_context(), app.test_request_context(), db.connection_context():
        yield


@pytest.fixture
def lucas(ctx):
    return Initiative.get(slug="lucas-community")


def need_of(initiative, kind="material", text_nl="Twee ladders", text_en="Two ladders"):
    return Need.create(initiative=initiative, kind=kind, text_nl=text_nl, text_en=text_en,
                       status="open", visibility="network",
                       list_until=clock.today() + 30 * DAY, created_at=clock.now())


def error_code(call, *args, **kwargs):
    with pytest.raises(NeedError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# Thanks --------------------------------------------------------------------------------------

def test_thanks_are_recorded_once_with_the_message(lucas):
    need = need_of(lucas)
    mohammed = Person.by_email("mohammed@peerm.example")
    pledge = services.respond(need.id, "Ik breng een ladder", person=mohammed)
    services.move_pledge(need, pledge.id, "accepted")
    services.thank(need, pledge.id, "  Heel fijn, dank je!  ")
    stored = Pledge.get_by_id(pledge.id)
    assert stored.thanked_at is not None and stored.thanks == "Heel fijn, dank je!"
    assert error_code(services.thank, need, pledge.id, "Nog eens") == "thanked_already"
    assert Pledge.get_by_id(pledge.id).thanks == "Heel fijn, dank je!"


def test_thanks_without_a_message_are_fine_for_a_received_answer(lucas):
    need = need_of(lucas)
    pledge = services.respond(need.id, "Ladder", name="Ria", contact="ria@example.org")
    services.move_pledge(need, pledge.id, "fulfilled")
    services.thank(need, pledge.id, "")
    stored = Pledge.get_by_id(pledge.id)
    assert stored.thanked_at is not None and stored.thanks == ""


@pytest.mark.parametrize("status", ["offered", "withdrawn", "expired"])
def test_thanks_wait_until_an_answer_is_taken_up(lucas, status):
    need = need_of(lucas)
    pledge = services.respond(need.id, "Ladder", name="Ria", contact="ria@example.org")
    Pledge.update(status=status).where(Pledge.id == pledge.id).execute()
    assert error_code(services.thank, need, pledge.id, "Dank") == "not_thankable"
    assert Pledge.get_by_id(pledge.id).thanked_at is None


def test_thanks_refuse_a_long_message_and_an_answer_of_another_need(lucas):
    need, other = need_of(lucas), need_of(lucas)
    pledge = services.respond(need.id, "Ladder", name="Ria", contact="ria@example.org")
    services.move_pledge(need, pledge.id, "accepted")
    assert error_code(services.thank, need, pledge.id, "x" * 301) == "too_long"
    assert error_code(services.thank, other, pledge.id, "Dank") == "pledge_unknown"
    assert Pledge.get_by_id(pledge.id).thanked_at is None


def test_the_person_thanked_sees_it_on_their_home_for_two_weeks(lucas):
    need = need_of(lucas)
    mohammed = Person.by_email("mohammed@peerm.example")
    pledge = services.respond(need.id, "Ik breng een ladder", person=mohammed)
    services.move_pledge(need, pledge.id, "accepted")
    services.thank(need, pledge.id, "Top!")
    cards = [card for card in PART.today(mohammed) if "Lucas" in str(card.title)]
    assert [card.text for card in cards] == ["Top!"]
    assert not [c for c in PART.today(Person.by_email("jan@peerm.example"))
                if "Top!" in str(c.text)]
    Pledge.update(thanked_at=clock.now() - 15 * DAY).where(Pledge.id == pledge.id).execute()
    assert not [card for card in PART.today(mohammed) if card.text == "Top!"]


# Someone knows someone -----------------------------------------------------------------------

def test_skills_are_split_into_tags_each_once():
    from peerm.accounts.models import split_skills

    assert split_skills(" boekhouding,  fietsen   repareren;Boekhouding\nkoken ,, ") == [
        "boekhouding", "fietsen repareren", "koken"]
    assert split_skills("") == [] and split_skills(None) == []


@pytest.mark.parametrize("raw, code", [
    ("x" * 61, "skill_too_long"),
    (", ".join(["boekhouding"] * 1 + [f"vaardigheid {n:02d}" for n in range(25)]),
     "skills_too_long"),
    ("koken\x00", "skills_invalid"),
    (["koken"], "skills_invalid"),
])
def test_bad_skills_are_refused_and_nothing_changes(lucas, raw, code):
    from peerm.accounts import services as accounts
    from peerm.accounts.services import AccountError

    mohammed = Person.by_email("mohammed@peerm.example")
    before = mohammed.skills
    with pytest.raises(AccountError) as caught:
        accounts.update_profile(mohammed, "Mohammed", "", "nl", skills=raw)
    assert caught.value.code == code
    assert Person.get_by_id(mohammed.id).skills == before


def test_skills_are_saved_as_tags_and_left_alone_when_not_given(lucas):
    from peerm.accounts import services as accounts

    els = Person.by_email("els@peerm.example")
    accounts.update_profile(els, "Els", "", "nl", skills="naaien ,  fietsen repareren")
    assert Person.get_by_id(els.id).skills == "naaien, fietsen repareren"
    accounts.update_profile(els, "Els", "", "nl")
    assert Person.get_by_id(els.id).skills == "naaien, fietsen repareren"


def set_skills(email, skills):
    Person.update(skills=skills).where(Person.email == email).execute()


def test_a_knowledge_need_finds_members_of_its_co_operative_whose_skills_fit(lucas):
    Person.update(skills="").execute()
    need = need_of(lucas, kind="knowledge", text_nl="Iemand die de boekhouding wil nakijken",
                   text_en="Someone to check the bookkeeping")
    set_skills("mohammed@peerm.example", "boekhouder, fietsen repareren")
    set_skills("kees@peerm.example", "koken voor groepen")
    # Els knows bookkeeping too, but she is no member of Lucas.
    set_skills("els@peerm.example", "boekhouding")
    found = services.skilled_members(need)
    assert [(person.email, fitting) for person, fitting in found] == [
        ("mohammed@peerm.example", ["boekhouder"])]


def test_common_words_and_other_kinds_find_nobody(lucas):
    Person.update(skills="").execute()
    set_skills("mohammed@peerm.example", "iemand voor de kookclub, van alles")
    need = need_of(lucas, kind="knowledge", text_nl="Iemand die van websites weet",
                   text_en="Someone who knows websites")
    assert services.skilled_members(need) == []
    set_skills("mohammed@peerm.example", "websites bouwen")
    assert [p.email for p, _ in services.skilled_members(need)] == ["mohammed@peerm.example"]
    material = need_of(lucas, kind="material", text_nl="Oude websites", text_en="")
    assert services.skilled_members(material) == []


def test_erased_members_are_not_found(lucas):
    from peerm.accounts import services as accounts

    need = need_of(lucas, kind="knowledge", text_nl="Kennis van boekhouding", text_en="")
    set_skills("mohammed@peerm.example", "boekhouding")
    mohammed = Person.by_email("mohammed@peerm.example")
    accounts.erase_account(mohammed)
    assert Person.get_by_id(mohammed.id).skills == ""
    assert services.skilled_members(need) == []


def test_skills_are_in_the_persons_own_export(lucas):
    from peerm.accounts.export import export_data

    set_skills("mohammed@peerm.example", "boekhouding, fietsen repareren")
    export = export_data(Person.by_email("mohammed@peerm.example"))
    assert export["person"]["skills"] == "boekhouding, fietsen repareren"


@pytest.mark.parametrize("email, sees", [
    ("fatima@peerm.example", True),      # coordinator of Lucas
    ("jan@peerm.example", False),        # coordinator of another co-operative
    ("kees@peerm.example", False),       # volunteer of Lucas
    ("mohammed@peerm.example", False),   # member of Lucas
    ("beheer@peerm.example", False),     # administrator, no coordinator of Lucas
    (None, False),                       # not logged in
])
def test_only_the_co_operatives_coordinators_see_skills(lucas, email, sees):
    from peerm.permissions import may_see_skills

    assert may_see_skills(Person.by_email(email) if email else None, lucas) is sees
