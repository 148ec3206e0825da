"""Accounts over HTTP: logging in and out, cookies, form tokens, invites, my data."""
import re

import pytest

from peerm import create_app
from peerm.accounts.demo import DEMO_PASSWORD
from peerm.accounts.models import Membership, Person
from peerm.core import db as database


def person(email):
    with database.db.connection_context():
        return Person.by_email(email)


def test_login_page_takes_email_and_password(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html


def test_login_and_logout(client, form_token):
    response = client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                           "email": "kees@peerm.example",
                                           "password": DEMO_PASSWORD, "next": "/account"})
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert "Kees" in client.get("/account").get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": form_token(client, "/account")})
    assert response.status_code == 303
    assert client.get("/account").status_code == 303


def test_wrong_password_gives_a_dutch_message_and_no_session(client, form_token):
    response = client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                           "email": "kees@peerm.example", "password": "fout"})
    assert response.status_code == 400
    assert "horen niet bij elkaar" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 303


def test_login_rate_limit_answers_429(client, form_token):
    token = form_token(client, "/login")
    for _ in range(5):
        client.post("/login", data={"csrf_token": token, "email": "kees@peerm.example",
                                    "password": "fout"})
    response = client.post("/login", data={"csrf_token": token, "email": "kees@peerm.example",
                                           "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)


def test_login_next_to_another_site_goes_home(client, form_token):
    response = client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                           "email": "kees@peerm.example",
                                           "password": DEMO_PASSWORD,
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_form_without_token_is_refused_and_changes_nothing(app, log_in):
    client = log_in("kees@peerm.example")
    response = client.post("/account", data={"display_name": "Hacked", "language": "nl"})
    assert response.status_code == 400
    assert "Probeer het opnieuw" in response.get_data(as_text=True)
    assert person("kees@peerm.example").display_name == "Kees"


def test_cookies_behind_tls_are_host_bound_secure_httponly_lax(database_url, app):
    secure = create_app({"TESTING": True, "DATABASE_URL": database_url,
                         "SESSION_COOKIE_SECURE": True, "ARGON2_PROFILE": "CHEAPEST"})
    client = secure.test_client()
    html = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)
    response = client.post("/login", base_url="https://localhost",
                           headers={"Referer": "https://localhost/login"},
                           data={"csrf_token": token, "email": "kees@peerm.example",
                                 "password": DEMO_PASSWORD})
    assert response.status_code == 303
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("__Host-peerm="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "expires"} <= flags
    assert "samesite=lax" in cookie.lower() and "domain" not in flags
    assert "Path=/" in cookie


def test_session_lasts_thirty_days(client, form_token):
    response = client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                           "email": "kees@peerm.example",
                                           "password": DEMO_PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("peerm="))
    assert "Max-Age=2592000" in cookie or "Expires=" in cookie
    assert client.application.permanent_session_lifetime.days == 30


def test_profile_refuses_a_huge_name_and_keeps_the_old_one(log_in, form_token):
    client = log_in("kees@peerm.example")
    response = client.post("/account", data={"csrf_token": form_token(client, "/account"),
                                             "display_name": "x" * 10_000, "language": "nl"})
    assert response.status_code == 400
    assert "hoogstens 80 tekens" in response.get_data(as_text=True)
    assert person("kees@peerm.example").display_name == "Kees"


def test_html_in_a_name_is_refused(log_in, form_token):
    client = log_in("kees@peerm.example")
    response = client.post("/account", data={"csrf_token": form_token(client, "/account"),
                                             "display_name": "<b>Kees</b>", "language": "nl"})
    assert response.status_code == 400
    assert "<b>Kees</b>" not in response.get_data(as_text=True)
    assert person("kees@peerm.example").display_name == "Kees"


def test_invite_flow_from_coordinator_to_new_member(app, log_in, form_token):
    coordinator = log_in("fatima@peerm.example")
    page = coordinator.post("/initiatives/lucas-community/invites",
                            data={"csrf_token": form_token(coordinator, "/account"),
                                  "role": "volunteer"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "no-store" in page.headers["Cache-Control"]
    path = re.search(r'href="http://localhost(/invite/[^"]+)"', html).group(1)
    newcomer = app.test_client()
    token = form_token(newcomer, path)
    response = newcomer.post(path, data={"csrf_token": token, "display_name": "Nadia",
                                         "email": "nadia@peerm.example",
                                         "password": "een-lang-wachtwoord"})
    assert response.status_code == 303
    with database.db.connection_context():
        nadia = Person.by_email("nadia@peerm.example")
        assert Membership.get(person=nadia).role == "volunteer"
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "al gebruikt" in again.get_data(as_text=True)


def test_export_downloads_json_with_my_data(log_in):
    client = log_in("kees@peerm.example")
    response = client.get("/account/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["person"]["display_name"] == "Kees"
    assert len(data["membership"]) == 2


def test_delete_account_needs_the_password(log_in, form_token):
    client = log_in("kees@peerm.example")
    response = client.post("/account/delete", data={
        "csrf_token": form_token(client, "/account"), "password": "fout"})
    assert response.status_code == 400
    assert person("kees@peerm.example") is not None
    response = client.post("/account/delete", data={
        "csrf_token": form_token(client, "/account"), "password": DEMO_PASSWORD})
    assert response.status_code == 303
    assert person("kees@peerm.example") is None
    assert client.get("/account").status_code == 303


def test_privacy_page_in_both_languages(client):
    dutch = client.get("/privacy").get_data(as_text=True)
    assert "zeven jaar" in dutch and 'lang="nl"' in dutch
    english = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "seven years" in english and 'lang="en"' in english


@pytest.mark.parametrize("path", ["/invite/" + "x" * 5000, "/reset/%00", "/invite/<b>"])
def test_broken_links_give_a_clear_page(client, path):
    response = client.get(path)
    assert response.status_code in (404, 410)


def test_create_admin_command_makes_an_administrator(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "root@peerm.example", "--password",
                                 "een-lang-wachtwoord"])
    assert result.exit_code == 0, result.output
    assert person("root@peerm.example").is_admin
    result = runner.invoke(args=["create-admin", "not-an-address", "--password",
                                 "een-lang-wachtwoord"])
    assert result.exit_code != 0


def test_members_page_shows_the_co_operatives_members(log_in):
    html = log_in("fatima@peerm.example").get(
        "/initiatives/lucas-community/members").get_data(as_text=True)
    assert "Kees" in html and "Mohammed" in html and "Anouk" not in html


# --- new-password links: who may make them, and the person is told -----------------------

def membership_id(email, slug="lucas-community"):
    from peerm.initiatives.models import Initiative

    with database.db.connection_context():
        return Membership.get(person=Person.by_email(email),
                              initiative=Initiative.get(slug=slug)).id


def reset_links_of(email):
    from peerm.accounts.models import Invite

    with database.db.connection_context():
        return Invite.select().where((Invite.person == Person.by_email(email))
                                     & (Invite.purpose == "reset")).count()


def test_a_coordinator_cannot_reset_someone_with_a_role_elsewhere(log_in, form_token):
    fatima = log_in("fatima@peerm.example")
    kees = membership_id("kees@peerm.example")
    response = fatima.post(f"/initiatives/lucas-community/members/{kees}/reset",
                           data={"csrf_token": form_token(fatima, "/account")})
    assert response.status_code == 403
    assert reset_links_of("kees@peerm.example") == 0


def test_members_page_offers_a_new_password_link_only_where_allowed(log_in):
    html = log_in("fatima@peerm.example").get(
        "/initiatives/lucas-community/members").get_data(as_text=True)
    mohammed = membership_id("mohammed@peerm.example")
    kees = membership_id("kees@peerm.example")
    fatima = membership_id("fatima@peerm.example")
    assert f"/members/{mohammed}/reset" in html
    assert f"/members/{kees}/reset" not in html and f"/members/{fatima}/reset" not in html


def test_an_administrator_may_reset_anyone(log_in, form_token):
    admin = log_in("beheer@peerm.example")
    kees = membership_id("kees@peerm.example")
    response = admin.post(f"/initiatives/lucas-community/members/{kees}/reset",
                          data={"csrf_token": form_token(admin, "/account")},
                          follow_redirects=True)
    assert response.status_code == 200
    assert reset_links_of("kees@peerm.example") == 1


def reset_link(client, form_token, email):
    """The path of a new-password link the client makes for this member of Lucas."""
    page = client.post(f"/initiatives/lucas-community/members/{membership_id(email)}/reset",
                       data={"csrf_token": form_token(client, "/account")},
                       follow_redirects=True)
    assert page.status_code == 200
    return re.search(r'href="http://localhost(/reset/[^"]+)"', page.get_data(as_text=True)).group(1)


def test_the_person_sees_once_after_logging_in_who_reset_the_password(app, log_in, form_token):
    path = reset_link(log_in("fatima@peerm.example"), form_token, "mohammed@peerm.example")
    someone = app.test_client()
    assert someone.post(path, data={"csrf_token": form_token(someone, path),
                                    "password": "een heel nieuw wachtwoord"}).status_code == 303
    mohammed = app.test_client()
    response = mohammed.post("/login", data={"csrf_token": form_token(mohammed, "/login"),
                                             "email": "mohammed@peerm.example",
                                             "password": "een heel nieuw wachtwoord"})
    assert response.status_code == 303
    first = mohammed.get("/").get_data(as_text=True)
    assert "Fatima" in first and "wachtwoord" in first
    assert "Fatima" not in mohammed.get("/").get_data(as_text=True)


# --- sessions -------------------------------------------------------------------------------

def test_a_cookie_saved_before_logging_out_opens_nothing(app, log_in, form_token):
    client = log_in("kees@peerm.example")
    saved = client.get_cookie("peerm").value
    assert client.post("/logout", data={"csrf_token": form_token(client, "/account")}
                       ).status_code == 303
    replay = app.test_client()
    replay.set_cookie("peerm", saved)
    assert replay.get("/account").status_code == 303
    assert replay.get("/account/export").status_code == 303


def test_logging_out_ends_only_that_session(log_in, form_token):
    phone, laptop = log_in("kees@peerm.example"), log_in("kees@peerm.example")
    phone.post("/logout", data={"csrf_token": form_token(phone, "/account")})
    assert phone.get("/account").status_code == 303
    assert laptop.get("/account").status_code == 200


def test_log_out_on_every_device(log_in, form_token):
    phone, laptop = log_in("kees@peerm.example"), log_in("kees@peerm.example")
    response = laptop.post("/account/sessions/end",
                           data={"csrf_token": form_token(laptop, "/account")})
    assert response.status_code == 303
    assert phone.get("/account").status_code == 303
    assert laptop.get("/account").status_code == 303


def test_the_account_page_lists_my_sessions(app, form_token):
    phone = app.test_client()
    phone.post("/login", headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14; K) "
                                                "AppleWebKit/537.36 Chrome/140.0 Mobile"},
               data={"csrf_token": form_token(phone, "/login"), "email": "kees@peerm.example",
                     "password": DEMO_PASSWORD})
    html = phone.get("/account").get_data(as_text=True)
    assert "Chrome" in html and "Android" in html
    assert 'action="/account/sessions/end"' in html


def test_a_new_password_ends_every_other_session(app, log_in, form_token):
    laptop = log_in("mohammed@peerm.example")
    path = reset_link(log_in("fatima@peerm.example"), form_token, "mohammed@peerm.example")
    phone = app.test_client()
    phone.post(path, data={"csrf_token": form_token(phone, path),
                           "password": "een heel nieuw wachtwoord"})
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 303


# --- choosing a password --------------------------------------------------------------------

@pytest.mark.parametrize("password", ["          ", "1234567890", "peerm-demo", "Nadia Bakker"])
def test_an_invite_refuses_a_weak_password_and_makes_no_account(app, log_in, form_token,
                                                                password):
    coordinator = log_in("fatima@peerm.example")
    page = coordinator.post("/initiatives/lucas-community/invites",
                            data={"csrf_token": form_token(coordinator, "/account"),
                                  "role": "member"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    path = re.search(r'href="http://localhost(/invite/[^"]+)"', html).group(1)
    newcomer = app.test_client()
    response = newcomer.post(path, data={"csrf_token": form_token(newcomer, path),
                                         "display_name": "Nadia Bakker",
                                         "email": "nadia@peerm.example", "password": password})
    assert response.status_code == 400
    assert person("nadia@peerm.example") is None
