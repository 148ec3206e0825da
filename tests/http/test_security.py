"""What protects every page: security headers, no inline code, safe htmx settings, cross-site
requests refused (by where they come from; for logged-in people by the form token too)."""
import json

import pytest
from html_pages import Page

REQUIRED_POLICY = {"default-src 'self'", "object-src 'none'", "base-uri 'none'",
                   "frame-ancestors 'none'"}
HTMX_CONFIG = {"allowEval": False, "includeIndicatorStyles": False, "selfRequestsOnly": True,
               "historyCacheSize": 0}


@pytest.fixture
def every_page(administrator, html_routes):
    """Every HTML page as the administrator sees it, whole and as an htmx partial, and a 404."""
    pages = {}
    for route in html_routes:
        pages[route.url] = Page.of(administrator.get(route.url))
        pages[f"{route.url} (htmx)"] = Page.of(
            administrator.get(route.url, headers={"HX-Request": "true"}))
    pages["/nowhere"] = Page.of(administrator.get("/nowhere"))
    return pages


def _whole(every_page):
    return {url: page for url, page in every_page.items() if not url.endswith("(htmx)")}


def test_headers_protect_every_answer_when_sent(client, fetch, routes, subtests):
    static = [fetch("/").first("link", rel="stylesheet")["href"], "/static/icons/icon-192.png"]
    for path in [route.url for route in routes] + static + ["/nowhere"]:
        with subtests.test(path=path):
            response = client.get(path)
            policy = [part.strip() for part in
                      response.headers["Content-Security-Policy"].split(";")]
            assert REQUIRED_POLICY <= set(policy)
            names = [part.split()[0] for part in policy]
            assert len(names) == len(set(names)), "a directive given twice"
            assert not any("unsafe" in part or "*" in part for part in policy)
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_code_or_style_when_rendered(every_page, subtests):
    for url, page in every_page.items():
        with subtests.test(url=url):
            assert page.status in (200, 404)
            bodies = [body for attrs, body in page.scripts if body.strip()]
            assert bodies == [], "the policy refuses inline <script> bodies"
            assert all("src" in attrs for attrs, _ in page.scripts)
            assert not page.all("style")
            assert [tag for tag, attrs in page.tags if "style" in attrs] == []
            handlers = [(tag, name) for tag, attrs in page.tags for name in attrs
                        if name.startswith("on")]
            assert handlers == []
            assert "javascript:" not in page.text


def test_whole_pages_set_htmx_up_safely_when_rendered(every_page, subtests):
    for url, page in _whole(every_page).items():
        with subtests.test(url=url):
            config = json.loads(page.first("meta", name="htmx-config")["content"])
            assert {key: config.get(key) for key in HTMX_CONFIG} == HTMX_CONFIG
            headers = json.loads(page.first("body")["hx-headers"])
            assert headers["X-CSRFToken"] == page.csrf_token


def test_post_forms_carry_token_when_rendered(every_page, subtests):
    seen = 0
    for url, page in every_page.items():
        for form in page.forms:
            if form["attrs"].get("method", "get").lower() != "post":
                continue
            seen += 1
            with subtests.test(url=url, action=form["attrs"].get("action")):
                tokens = [i for i in form["inputs"] if i.get("name") == "csrf_token"]
                assert len(tokens) == 1
                assert tokens[0].get("type") == "hidden"
                assert len(tokens[0].get("value") or "") > 20
    assert seen >= len(_whole(every_page)), "every whole page has the language switch"


CROSS_SITE = ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
              {"Origin": "https://evil.example"},
              {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"})


def test_visitor_gets_no_session_cookie_and_the_same_page_as_everybody(app):
    first, second = app.test_client(), app.test_client()
    for path in ("/", "/initiatives", "/events", "/login"):
        answers = [c.get(path, headers={"Accept-Encoding": "br"}) for c in (first, second)]
        assert [a.headers.getlist("Set-Cookie") for a in answers] == [[], []], path
        assert answers[0].get_data() == answers[1].get_data(), path


def test_cross_site_posts_are_refused_when_visitor_is_not_logged_in(client, subtests):
    form = {"email": "beheer@peerm.example", "password": "peerm-demo"}
    for headers in CROSS_SITE:
        with subtests.test(headers=headers):
            response = client.post("/login", data=form, headers=headers)
            assert response.status_code == 400
            assert "Probeer het opnieuw" in response.get_data(as_text=True)
            after = client.get("/").get_data(as_text=True)
            assert 'href="/login"' in after and 'href="/account"' not in after, "nobody logged in"
    same_site = client.post("/login", data=form, headers={"Sec-Fetch-Site": "same-origin",
                                                          "Origin": "http://localhost"})
    assert same_site.status_code == 303
    cookie = next(c for c in same_site.headers.getlist("Set-Cookie") if c.startswith("peerm="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_are_refused_when_logged_in_person_sends_no_token(app, log_in):
    person = log_in("fatima@peerm.example")
    page = person.get("/account").get_data(as_text=True)
    token = json.loads(Page.of(person.get("/")).first("body")["hx-headers"])["X-CSRFToken"]
    assert len(token) >= 32 and f'value="{token}"' in page
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    lang = lambda: getattr(person.get_cookie("lang"), "value", None)  # noqa: E731
    before = lang()
    assert before != "en"
    for data in ({"lang": "en", "next": "/"}, {"lang": "en", "next": "/", "csrf_token": "x" * 43}):
        response = person.post("/language", data=data, headers=same_origin)
        assert response.status_code == 400
        assert "Probeer het opnieuw" in response.get_data(as_text=True)
        assert lang() == before
    assert person.post("/language", data={"lang": "en", "next": "/", "csrf_token": token},
                       headers=same_origin).status_code == 303
    assert lang() == "en"
    # Not even the right token makes a post from another site count.
    assert person.post("/language", data={"lang": "nl", "next": "/", "csrf_token": token},
                       headers={"Sec-Fetch-Site": "cross-site"}).status_code == 400
    assert lang() == "en"

