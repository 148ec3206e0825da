"""Thanks, skills that fit a knowledge need, and library documents beside a knowledge need,
over HTTP: what each person sees, bad input refused with 400 and nothing changed."""
import datetime as dt
import re
from decimal import Decimal

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.needs.models import Need, Pledge

DAY = dt.timedelta(days=1)
ERROR = re.compile(r'<p class="error" role="alert"[^>]*>([^<]*)</p>')


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


def make_pledge(app, need_id, email=None, status="accepted"):
    def create():
        person = Person.by_email(email) if email else None
        return Pledge.create(need=need_id, person=person,
                             name=person.display_name if person else "Ria",
                             contact="" if person else "ria@example.org",
                             offer="Ik breng een ladder", status=status,
                             created_at=clock.now()).id
    return in_db(app, create)


def pledge(app, pledge_id):
    return in_db(app, lambda: Pledge.get_by_id(pledge_id))


# Thanks --------------------------------------------------------------------------------------

def test_coordinator_thanks_once_and_the_person_sees_it(app, log_in, form_token):
    need_id = make_need(app)
    pledge_id = make_pledge(app, need_id, "mohammed@peerm.example")
    fatima = log_in("fatima@peerm.example")
    page = fatima.get(f"/needs/{need_id}/answers").get_data(as_text=True)
    path = f"/needs/{need_id}/answers/{pledge_id}/thank"
    assert f'action="{path}"' in page and "Bedanken" in page
    thanked = fatima.post(path, data={"csrf_token": form_token(fatima),
                                      "message": "Dank je, de ladders staan klaar."})
    assert thanked.status_code == 303
    first = pledge(app, pledge_id)
    assert first.thanked_at is not None and first.thanks == "Dank je, de ladders staan klaar."
    again = fatima.post(path, data={"csrf_token": form_token(fatima), "message": "Nog eens"})
    assert again.status_code == 400
    assert "al bedankt" in ERROR.search(again.get_data(as_text=True)).group(1)
    assert pledge(app, pledge_id).thanks == first.thanks
    assert f'action="{path}"' not in fatima.get(f"/needs/{need_id}/answers").get_data(
        as_text=True)
    mohammed = log_in("mohammed@peerm.example")
    mine = mohammed.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Bedankt door Lucas" in mine and "de ladders staan klaar" in mine
    home = mohammed.get("/").get_data(as_text=True)
    assert "Bedankt door Lucas" in home
    # Nobody else sees the thanks on the need's page.
    for other in (app.test_client(), log_in("jan@peerm.example")):
        assert "de ladders staan klaar" not in other.get(f"/needs/{need_id}").get_data(
            as_text=True)


def test_thanks_refuse_bad_input_with_400_and_change_nothing(app, log_in, form_token):
    need_id = make_need(app)
    offered = make_pledge(app, need_id, status="offered")
    accepted = make_pledge(app, need_id)
    fatima = log_in("fatima@peerm.example")
    for pledge_id, message in ((offered, "Dank"), (accepted, "x" * 301)):
        refused = fatima.post(f"/needs/{need_id}/answers/{pledge_id}/thank",
                              data={"csrf_token": form_token(fatima), "message": message})
        assert refused.status_code == 400 and ERROR.search(refused.get_data(as_text=True))
        assert pledge(app, pledge_id).thanked_at is None


def test_only_the_coordinators_thank(app, client, log_in, form_token):
    need_id = make_need(app)
    pledge_id = make_pledge(app, need_id)
    path = f"/needs/{need_id}/answers/{pledge_id}/thank"
    for email in ("jan@peerm.example", "mohammed@peerm.example"):
        other = log_in(email)
        assert other.post(path, data={"csrf_token": form_token(other)}).status_code == 403
    assert client.post(path, data={"csrf_token": form_token(client)}).status_code in (302, 303,
                                                                                      401, 403)
    assert pledge(app, pledge_id).thanked_at is None


# Someone knows someone -----------------------------------------------------------------------

def skills_of(app, email):
    return in_db(app, lambda: Person.by_email(email).skills)


def account_form(client, form_token, **changes):
    return {"csrf_token": form_token(client), "display_name": "Mohammed", "phone": "",
            "language": "nl", **changes}


def test_a_member_lists_her_skills_on_her_account(app, log_in, form_token):
    mohammed = log_in("mohammed@peerm.example")
    page = mohammed.get("/account").get_data(as_text=True)
    assert 'name="skills"' in page and 'for="skills"' in page
    saved = mohammed.post("/account", data=account_form(
        mohammed, form_token, skills="boekhouding ,  websites bouwen"))
    assert saved.status_code == 303
    assert skills_of(app, "mohammed@peerm.example") == "boekhouding, websites bouwen"
    assert "boekhouding, websites bouwen" in mohammed.get("/account").get_data(as_text=True)
    export = mohammed.get("/account/export")
    assert "boekhouding, websites bouwen" in export.get_data(as_text=True)


def test_bad_skills_are_refused_with_400_and_nothing_changes(app, log_in, form_token):
    mohammed = log_in("mohammed@peerm.example")
    before = skills_of(app, "mohammed@peerm.example")
    for skills in ("x" * 61, ", ".join(f"vaardigheid {n:02d}" for n in range(30))):
        refused = mohammed.post("/account", data=account_form(mohammed, form_token,
                                                              skills=skills,
                                                              display_name="Anders"))
        assert refused.status_code == 400 and ERROR.search(refused.get_data(as_text=True))
        assert skills_of(app, "mohammed@peerm.example") == before
        assert in_db(app, lambda: Person.by_email("mohammed@peerm.example").display_name
                     ) == "Mohammed"


def test_skills_that_fit_a_knowledge_need_are_seen_by_its_coordinators_only(app, client,
                                                                             log_in):
    in_db(app, lambda: Person.update(skills="boekhouding, fietsen repareren").where(
        Person.email == "mohammed@peerm.example").execute())
    need_id = make_need(app, kind="knowledge", quantity=None, unit_nl="", unit_en="",
                        text_nl="Iemand die onze boekhouding op orde helpt brengen",
                        text_en="Someone to help put our bookkeeping in order")
    fatima = log_in("fatima@peerm.example")
    page = fatima.get(f"/needs/{need_id}/answers").get_data(as_text=True)
    assert "Leden die het misschien weten" in page and "Mohammed" in page
    assert "boekhouding" in page and "fietsen repareren" not in page
    # The administrator may manage the need, but is no coordinator of Lucas.
    admin = log_in("beheer@peerm.example").get(f"/needs/{need_id}/answers")
    assert admin.status_code == 200 and "Leden die het misschien weten" not in admin.get_data(
        as_text=True)
    for email in ("jan@peerm.example", "mohammed@peerm.example", "kees@peerm.example"):
        other = log_in(email)
        assert other.get(f"/needs/{need_id}/answers").status_code == 403
        assert "Leden die het misschien weten" not in other.get(f"/needs/{need_id}").get_data(
            as_text=True)
    assert client.get(f"/needs/{need_id}/answers").status_code in (302, 303, 401, 403)
    assert "fietsen repareren" not in client.get(f"/needs/{need_id}").get_data(as_text=True)
    # Another co-operative's members' page does not show skills either.
    jan = log_in("jan@peerm.example")
    assert "boekhouding" not in jan.get("/initiatives/talent-in-actie/members").get_data(
        as_text=True)


# Documents that may help ---------------------------------------------------------------------

HELPFUL = re.compile(r'<section aria-labelledby="helpful-title">(.*?)</section>', re.S)


def test_a_knowledge_need_links_to_library_documents_that_may_help(app, client):
    from peerm.library.models import Document

    need_id = in_db(app, lambda: Need.get(Need.text_nl.contains("wijkraad")).id)
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    section = HELPFUL.search(page).group(1)
    assert "Documenten die kunnen helpen" in section
    links = re.findall(r'href="/library/(\d+)"', section)
    assert 1 <= len(links) <= 3
    titles = in_db(app, lambda: {str(d.id): d.current.title_nl for d in Document.published()})
    assert "Zo start je een wijkraad" in [titles[link] for link in links]
    english = client.get(f"/needs/{need_id}", headers={"Accept-Language": "en"})
    assert "Documents that may help" in english.get_data(as_text=True)


def test_other_needs_and_unmatched_knowledge_needs_show_no_documents(app, client):
    material = make_need(app, text_nl="Een wijkraad heeft ladders nodig",
                         text_en="A district council needs ladders")
    assert not HELPFUL.search(client.get(f"/needs/{material}").get_data(as_text=True))
    odd = make_need(app, kind="knowledge", quantity=None, unit_nl="", unit_en="",
                    text_nl="Xylofoonstemmer gezocht", text_en="Xylophone tuner wanted")
    assert not HELPFUL.search(client.get(f"/needs/{odd}").get_data(as_text=True))


def test_an_account_form_without_the_skills_field_leaves_them_as_they_are(app, log_in,
                                                                          form_token):
    mohammed = log_in("mohammed@peerm.example")
    mohammed.post("/account", data=account_form(mohammed, form_token, skills="naaien"))
    form = account_form(mohammed, form_token)
    assert "skills" not in form
    assert mohammed.post("/account", data=form).status_code == 303
    assert skills_of(app, "mohammed@peerm.example") == "naaien"
    mohammed.post("/account", data=account_form(mohammed, form_token, skills=" "))
    assert skills_of(app, "mohammed@peerm.example") == ""
