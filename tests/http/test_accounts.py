"""Accounts over HTTP: logging in and out, cookies, form tokens, invites, my data."""
import re

import pytest

from peerm import create_app
from peerm import db as database
from peerm.accounts.models import Membership, Person
from peerm.cli import DEMO_PASSWORD


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
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
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
                                  "role": "volunteer"})
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
