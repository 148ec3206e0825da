"""The error pages: not found in both languages, wrong method and a crash, each with its status."""

from html_pages import Page
from peerm.initiatives import Initiative

DUTCH = "We kunnen deze pagina niet vinden"
ENGLISH = "We cannot find this page"

# (the visitor's cookies, their headers, the heading the 404 page must show, its <html lang>)
LANGUAGE_CASES = [
    ({}, {}, DUTCH, "nl"),
    ({"lang": "nl"}, {}, DUTCH, "nl"),
    ({"lang": "nl"}, {"Accept-Language": "en"}, DUTCH, "nl"),
    ({}, {"Accept-Language": "en"}, ENGLISH, "en"),
    ({"lang": "en"}, {}, ENGLISH, "en"),
]


def test_404_page_speaks_chosen_language_when_page_is_missing(app, subtests):
    for cookies, headers, heading, lang in LANGUAGE_CASES:
        with subtests.test(cookies=cookies, headers=headers):
            client = app.test_client()
            for name, value in cookies.items():
                client.set_cookie(name, value)
            page = Page.of(client.get("/initiatives/no-such-co-operative", headers=headers))
            assert page.status == 404
            assert heading in page.text
            assert page.html_lang == lang
            assert page.all("a", href="/initiatives", **{"class": "button"})


def test_404_answers_html_without_etag_when_anything_is_missing(client, subtests):
    for path in ("/nowhere", "/static/nothing.css", "/sw.jss", "/events/123456"):
        with subtests.test(path=path):
            response = client.get(path)
            assert response.status_code == 404
            assert response.mimetype == "text/html"
            assert "ETag" not in response.headers
            assert response.headers["Cache-Control"] == "no-cache"


def test_404_page_is_partial_when_htmx_asks(client):
    response = client.get("/initiatives/nobody", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert DUTCH in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)


def test_405_page_answers_when_language_is_fetched_with_get(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert "Er ging iets mis" in response.get_data(as_text=True)


def test_405_page_names_allowed_methods_when_method_is_wrong(client):
    assert "POST" in client.get("/language").headers.get("Allow", "")


def test_500_page_explains_in_dutch_when_view_crashes(visitor, monkeypatch):
    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Initiative, "cities", staticmethod(broken))
    response = visitor.get("/initiatives")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in text
    assert "the database went away" not in text
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
