"""Removing a member asks first (a page, post/redirect/get, no JavaScript needed); the last
coordinator cannot leave; a coordinator who leaves is told once, without a contradiction."""
import re

import pytest

from peerm.accounts.models import Membership, Person
from peerm.core.db import db
from peerm.initiatives.models import Initiative


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


def membership_id(email, slug):
    with db.connection_context():
        return Membership.get(person=Person.by_email(email),
                              initiative=Initiative.get(slug=slug)).id


def token_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_remove_button_opens_a_question_and_only_the_answer_removes(log_in):
    client = log_in("fatima@peerm.example")
    mohammed = membership_id("mohammed@peerm.example", "lucas-community")
    members = client.get("/initiatives/lucas-community/members").get_data(as_text=True)
    ask = f"/initiatives/lucas-community/members/{mohammed}/remove"
    assert f'href="{ask}"' in members
    page = client.get(ask)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Wil je Mohammed uit Lucas Community halen?" in html
    assert f'action="{ask}"' in html
    # Looking at the question changed nothing.
    with db.connection_context():
        assert Membership.get_or_none(Membership.id == mohammed) is not None
    answer = client.post(ask, data={"csrf_token": token_of(html)})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/initiatives/lucas-community/members")
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Mohammed is geen lid meer." in shown
    with db.connection_context():
        assert Membership.get_or_none(Membership.id == mohammed) is None


def test_the_last_coordinator_cannot_remove_herself(log_in):
    client = log_in("peter@peerm.example")
    peter = membership_id("peter@peerm.example", "duurzaam-soesterkwartier")
    ask = f"/initiatives/duurzaam-soesterkwartier/members/{peter}/remove"
    html = client.get(ask).get_data(as_text=True)
    assert "Wil je Duurzaam Soesterkwartier verlaten?" in html or "verlaten?" in html
    answer = client.post(ask, data={"csrf_token": token_of(html)})
    assert answer.status_code == 303
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "minstens één coördinator" in shown
    assert "geen lid meer" not in shown
    with db.connection_context():
        assert Membership.get_by_id(peter).role == "coordinator"


def test_a_coordinator_who_leaves_lands_on_the_co_operative_page_told_once(log_in):
    client = log_in("fatima@peerm.example")
    kees = membership_id("kees@peerm.example", "lucas-community")
    members = client.get("/initiatives/lucas-community/members").get_data(as_text=True)
    client.post(f"/initiatives/lucas-community/members/{kees}/role",
                data={"csrf_token": token_of(members), "role": "coordinator"})
    fatima = membership_id("fatima@peerm.example", "lucas-community")
    ask = f"/initiatives/lucas-community/members/{fatima}/remove"
    answer = client.post(ask, data={"csrf_token": token_of(members)})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/initiatives/lucas-community")
    shown = client.get(answer.headers["Location"])
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert "Je bent geen lid meer van Lucas Community." in html
    assert "Dit mag je niet doen" not in html
