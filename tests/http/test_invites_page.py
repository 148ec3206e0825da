"""Invite links: made with post/redirect/get (a reload shows the same link and makes no
second one), listed while they work, revoked after a question; a share button."""
import re

import pytest

from peerm.accounts.models import Invite
from peerm.core.db import db
from peerm.initiatives.models import Initiative


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


def token_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def open_invites():
    with db.connection_context():
        lucas = Initiative.get(slug="lucas-community")
        return Invite.select().where((Invite.initiative == lucas) & (Invite.purpose == "join")
                                     & Invite.used_at.is_null()).count()


def test_making_an_invite_redirects_and_a_reload_makes_no_second_link(log_in):
    fatima = log_in("fatima@peerm.example")
    members = fatima.get("/initiatives/lucas-community/members").get_data(as_text=True)
    before = open_invites()
    made = fatima.post("/initiatives/lucas-community/invites",
                       data={"csrf_token": token_of(members), "role": "member"})
    assert made.status_code == 303
    shown_at = made.headers["Location"]
    assert re.fullmatch(r"/initiatives/lucas-community/links/\d+", shown_at)
    first = fatima.get(shown_at)
    again = fatima.get(shown_at)  # the reload
    assert open_invites() == before + 1
    link = re.search(r'href="(http://localhost/invite/[^"]+)"', first.get_data(as_text=True))
    assert link and link.group(1) in again.get_data(as_text=True)
    assert "no-store" in first.headers["Cache-Control"]
    html = first.get_data(as_text=True)
    assert f'data-share="{link.group(1)}"' in html and "Deel de link" in html
    # Another coordinator's session never sees the link itself.
    admin = log_in("beheer@peerm.example").get(shown_at).get_data(as_text=True)
    assert link.group(1) not in admin and "geen kopie" in admin


def test_open_invites_are_listed_and_a_revoked_one_stops_working(app, log_in):
    fatima = log_in("fatima@peerm.example")
    members = fatima.get("/initiatives/lucas-community/members").get_data(as_text=True)
    made = fatima.post("/initiatives/lucas-community/invites",
                       data={"csrf_token": token_of(members), "role": "volunteer"})
    invite_id = int(made.headers["Location"].rsplit("/", 1)[1])
    link = re.search(r'href="http://localhost(/invite/[^"]+)"',
                     fatima.get(made.headers["Location"]).get_data(as_text=True)).group(1)
    members = fatima.get("/initiatives/lucas-community/members").get_data(as_text=True)
    ask = f"/initiatives/lucas-community/invites/{invite_id}/revoke"
    assert f'href="{ask}"' in members
    question = fatima.get(ask)
    assert question.status_code == 200
    assert app.test_client().get(link).status_code == 200  # still works while only asked
    answer = fatima.post(ask, data={"csrf_token": token_of(question.get_data(as_text=True))})
    assert answer.status_code == 303
    shown = fatima.get(answer.headers["Location"]).get_data(as_text=True)
    assert "De uitnodigingslink werkt niet meer." in shown
    assert f'href="{ask}"' not in shown
    assert app.test_client().get(link).status_code == 410


def test_an_invite_of_another_co_operative_cannot_be_revoked_here(log_in):
    jan = log_in("jan@peerm.example")
    page = jan.get("/initiatives/talent-in-actie/members").get_data(as_text=True)
    made = jan.post("/initiatives/talent-in-actie/invites",
                    data={"csrf_token": token_of(page), "role": "member"})
    invite_id = int(made.headers["Location"].rsplit("/", 1)[1])
    fatima = log_in("fatima@peerm.example")
    assert fatima.get(f"/initiatives/lucas-community/invites/{invite_id}/revoke").status_code == 404
