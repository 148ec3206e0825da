"""The language switch and the page's language: the `lang` cookie first, then `Accept-Language`."""
import json

from html_pages import Page


def _switch(client, token, lang, next_path="/"):
    data = {"lang": lang, "next": next_path}
    if token:
        data["csrf_token"] = token
    return client.post("/language", data=data)


def test_switch_sets_cookie_and_goes_back_when_token_is_sent(client, form_token):
    form = next(f for f in Page.of(client.get("/initiatives?city=Breda")).forms
                if f["attrs"].get("action") == "/language")
    assert [i["value"] for i in form["inputs"] if i.get("name") == "lang"] == ["en"]
    assert {"name": "next", "type": "hidden", "value": "/initiatives?city=Breda"} in form["inputs"]

    response = _switch(client, form_token(client), "en", "/initiatives?city=Breda")
    assert response.status_code == 303
    assert response.headers["Location"] == "/initiatives?city=Breda"
    cookie = client.get_cookie("lang")
    assert cookie.value == "en" and cookie.http_only and cookie.same_site == "Lax"
    page = Page.of(client.get("/initiatives"))
    assert page.html_lang == "en"
    assert "The co-operatives" in page.text

    _switch(client, form_token(client), "nl")
    assert client.get_cookie("lang").value == "nl"
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_switch_goes_home_when_next_is_not_this_site(client, form_token, subtests):
    token = form_token(client)
    for next_path in ("https://evil.example/", "//evil.example", "javascript:alert(1)",
                      "evil.example", "", "/\\evil.example"):
        with subtests.test(next=next_path):
            response = _switch(client, token, "en", next_path)
            assert response.status_code == 303
            location = response.headers["Location"]
            assert location == "/" or location.startswith("/%5C")


def test_switch_goes_home_when_next_holds_line_break(visitor, form_token):
    response = _switch(visitor, form_token(visitor), "en", "/\r\nX-Evil: 1")
    assert response.status_code == 303


def test_switch_sets_no_cookie_when_language_is_unknown(client, form_token):
    response = _switch(client, form_token(client), "fr", "/initiatives")
    assert response.status_code == 303
    assert client.get_cookie("lang") is None


def test_switch_is_refused_when_another_site_sends_it(client):
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        response = client.post("/language", data={"lang": "en", "next": "/initiatives"},
                               headers=headers)
        assert response.status_code == 400
        assert "Probeer het opnieuw" in response.get_data(as_text=True)
        assert "lang=" not in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("lang") is None
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)

def test_switch_accepts_header_token_when_htmx_sends_it(client):
    page = Page.of(client.get("/"))
    token = json.loads(page.first("body")["hx-headers"])["X-CSRFToken"]
    response = client.post("/language", data={"lang": "en", "next": "/"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 303
    assert client.get_cookie("lang").value == "en"


# (the `lang` cookie, Accept-Language, the page's language)
NEGOTIATION = [
    (None, None, "nl"),
    (None, "en", "en"),
    (None, "en-GB,en;q=0.9", "en"),
    (None, "fr, de;q=0.5", "nl"),
    (None, "de, en;q=0.5", "en"),
    ("en", None, "en"),
    ("nl", "en", "nl"),
    ("fr", "en", "en"),
    ("xx", None, "nl"),
]


def test_page_language_follows_cookie_then_browser(app, subtests):
    for cookie, accept, expected in NEGOTIATION:
        with subtests.test(cookie=cookie, accept=accept):
            client = app.test_client()
            if cookie:
                client.set_cookie("lang", cookie)
            headers = {"Accept-Language": accept} if accept else {}
            response = client.get("/", headers=headers)
            page = Page.of(response)
            assert page.html_lang == expected
            heading = {"nl": "Samen sneller uit de armoede",
                       "en": "Together out of poverty, faster"}[expected]
            assert heading in page.text
            assert {"Accept-Language", "Cookie"} <= set(response.headers["Vary"].split(", "))
