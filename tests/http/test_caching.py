"""Caching: page ETags and 304s, a year for hashed bundles, gzip and brotli when asked."""
import gzip
import re

import brotli
import itsdangerous
import pytest

# Where webassets writes the bundles: the content hash is in the file name.
BUNDLE_PATTERN = r"/static/gen/app\.[0-9a-f]{8,}\.(css|js)"
YEAR = "max-age=31536000"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def token_clock(monkeypatch):
    """The clock itsdangerous signs with, stopped; move it with `token_clock["now"] += seconds`."""
    clock = {"now": 1_800_000_000}
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp",
                        lambda self: clock["now"])
    return clock


@pytest.fixture
def bundles(fetch):
    """The URLs of the CSS and JavaScript bundles a page links."""
    page = fetch("/")
    return {"css": page.first("link", rel="stylesheet")["href"],
            "js": page.first("script")["src"]}


def test_page_answers_304_when_etag_matches(client, token_clock, subtests):
    for path in ("/", "/initiatives?city=Breda", "/initiatives/edasu", "/offline"):
        with subtests.test(path=path):
            first = client.get(path)
            assert first.headers["ETag"].startswith('"')
            assert first.headers["Cache-Control"] == "no-cache"
            again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
            assert again.status_code == 304
            assert again.data == b""
            assert again.headers["ETag"] == first.headers["ETag"]
    gzipped = {"Accept-Encoding": "gzip"}
    with subtests.test(path="/initiatives", encoding="gzip"):
        first = client.get("/initiatives", headers=gzipped)
        assert first.headers["Content-Encoding"] == "gzip"
        assert first.headers["ETag"].endswith(':gzip"')
        again = client.get("/initiatives",
                           headers={**gzipped, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304


def test_page_answers_200_when_etag_is_of_another_answer(client, token_clock):
    other_page = client.get("/initiatives?city=Breda").headers["ETag"]
    whole = client.get("/initiatives").headers["ETag"]
    assert client.get("/initiatives", headers={"If-None-Match": other_page}).status_code == 200
    partial = client.get("/initiatives", headers={**HTMX, "If-None-Match": whole})
    assert partial.status_code == 200
    assert partial.headers["ETag"] != whole


def test_page_answers_304_when_asked_again_a_second_later(client, token_clock):
    # The page carries the form token: a token signed with the time would change the ETag.
    first = client.get("/")
    token_clock["now"] += 2
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_html_is_compressed_only_when_browser_takes_it(client):
    plain = client.get("/initiatives")
    assert "Content-Encoding" not in plain.headers
    for encoding, decompress in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        response = client.get("/initiatives", headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert b'<div id="initiative-list"' in decompress(response.data)
        assert "Accept-Encoding" in response.headers["Vary"]


def test_bundles_have_hashed_names_and_last_a_year_when_served(client, bundles):
    assert bundles["css"].endswith(".css") and bundles["js"].endswith(".js")
    for url in bundles.values():
        assert re.fullmatch(BUNDLE_PATTERN, url), url
        response = client.get(url)
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and YEAR in cache and "public" in cache
        assert "Accept-Encoding" in response.headers["Vary"]
    icon = client.get("/static/icons/icon-192.png").headers["Cache-Control"]
    assert icon == "public, max-age=86400", "files without a hash in the name last a day"


def test_bundles_come_precompressed_when_browser_takes_it(client, bundles, subtests):
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        for url in bundles.values():
            with subtests.test(url=url, encoding=encoding):
                plain = client.get(url).data
                response = client.get(url, headers={"Accept-Encoding": encoding})
                assert response.headers["Content-Encoding"] == encoding
                assert decompress(response.data) == plain
                assert YEAR in response.headers["Cache-Control"]
    with subtests.test(encoding="gzip, deflate, br"):
        both = client.get(bundles["js"], headers={"Accept-Encoding": "gzip, deflate, br"})
        assert both.headers["Content-Encoding"] == "br"


def test_bundles_skip_brotli_when_browser_refuses_it(client, bundles):
    response = client.get(bundles["css"], headers={"Accept-Encoding": "gzip, br;q=0"})
    assert response.headers.get("Content-Encoding") != "br"


def test_worker_files_answer_304_when_etag_matches(client):
    for path in ("/sw.js", "/manifest.webmanifest", "/offline-pages.json"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path


@pytest.fixture
def kept_app(database_url):
    """The app with its cache of visitors' pages on, as it runs for real."""
    from peerm import create_app
    from peerm.core import db as database
    app = create_app({"TESTING": True, "ARGON2_PROFILE": "CHEAPEST",
                      "DATABASE_URL": database_url, "PAGE_CACHE_SECONDS": 60})
    yield app
    if not database.db.is_closed():
        database.db.close()


def _rename_edasu(app, name):
    from peerm.initiatives.models import Initiative
    with app.app_context():
        from peerm.core.db import db
        with db.connection_context():
            Initiative.update(name=name).where(Initiative.slug == "edasu").execute()


def test_visitor_page_is_sent_as_kept_when_asked_again(kept_app):
    visitor, other = kept_app.test_client(), kept_app.test_client()
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    first = visitor.get("/initiatives/edasu", headers=browser)
    assert first.headers["Content-Encoding"] in ("zstd", "br")
    # Changed behind the app's back: the kept answer is sent, the very same bytes.
    _rename_edasu(kept_app, "Edasu (renamed)")
    again = other.get("/initiatives/edasu", headers=browser)
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers.getlist("Set-Cookie") == []
    not_modified = other.get("/initiatives/edasu",
                             headers={**browser, "If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    # Another encoding, language or htmx swap is another answer.
    plain = other.get("/initiatives/edasu")
    assert "Content-Encoding" not in plain.headers
    assert "Edasu (renamed)" in plain.get_data(as_text=True)
    partial = other.get("/initiatives/edasu", headers={**browser, **HTMX})
    assert partial.get_data() != first.get_data()


def test_visitor_page_is_made_anew_when_this_process_writes(kept_app):
    visitor = kept_app.test_client()
    assert "Edasu (renamed)" not in visitor.get("/initiatives/edasu").get_data(as_text=True)
    _rename_edasu(kept_app, "Edasu (renamed)")
    assert "Edasu (renamed)" not in visitor.get("/initiatives/edasu").get_data(as_text=True)
    # Any post this process answers (here: choosing a language) empties the kept pages.
    assert visitor.post("/language", data={"lang": "nl", "next": "/"}).status_code == 303
    assert "Edasu (renamed)" in visitor.get("/initiatives/edasu").get_data(as_text=True)


def test_logged_in_person_never_gets_a_kept_page(kept_app):
    visitor = kept_app.test_client()
    kept = visitor.get("/initiatives/edasu").get_data(as_text=True)
    person = kept_app.test_client()
    login = person.get("/login")
    assert login.status_code == 200
    assert person.post("/login", data={"email": "fatima@peerm.example",
                                       "password": "peerm-demo"}).status_code == 303
    mine = person.get("/initiatives/edasu").get_data(as_text=True)
    assert mine != kept and 'href="/account"' in mine
    token = _form_token(mine)
    assert token and token not in kept


def _form_token(html):
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    return found.group(1) if found else ""
