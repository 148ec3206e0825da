"""Every GET route answers, whole and as an htmx partial, and bad input never crashes it."""

from html_pages import (
    FRAGMENTS,
    LOGGED_IN_ONLY,
    NOT_FILLED,
    NOT_HTML,
    NOT_WALKED,
    ROUTE_ARGUMENTS,
)

HTMX = {"HX-Request": "true"}
# Paths where nothing lives, however they are spelled.
ODD_PATHS = [
    "/initiatives/" + "a" * 10_000,
    "/initiatives/caf%C3%A9-%E2%82%AC-%F0%9F%8C%B1",
    "/initiatives/%FF%FE",
    "/initiatives/..%2F..%2Fetc%2Fpasswd",
    "/initiatives/a%2Fb",
    "/events/-1",
    "/static/%00",
    "/static/../peerm/db.py",
    "/%00",
]
# Query values repeated, huge, broken or foreign, for the directory's filters.
ODD_FILTERS = [
    "city=Breda&city=Amersfoort&city=Breda",
    "need=money&need=space&need=%00",
    "city=" + "x" * 100_000,
    "need=" + "%E2%82%AC" * 20_000,
    "city=%00&need=%00",
    "city=%FF%FE",
    "city=caf%C3%A9%F0%9F%8C%B1",
    "city=Breda&" * 2_000,
]
# Query strings any page may be sent.
ODD_QUERIES = ["x=%00", "x=" + "y" * 100_000, "lang=fr&lang=%00&next=//evil.example"]


def test_registry_matches_the_routes_when_app_starts(app, routes):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for registry in (NOT_HTML, NOT_WALKED, FRAGMENTS, LOGGED_IN_ONLY, ROUTE_ARGUMENTS,
                     NOT_FILLED):
        assert set(registry) <= endpoints, set(registry) - endpoints
    walked = {route.endpoint for route in routes}
    assert {"home.index", "initiatives.index", "initiatives.detail", "pwa.offline",
            "pwa.service_worker", "events.detail", "toolshed.detail"} <= walked
    assert "home.choose_language" not in walked


def test_every_page_is_whole_in_dutch_when_anyone_asks(client, html_routes, subtests):
    for route in html_routes:
        with subtests.test(url=route.url):
            response = client.get(route.url)
            if route.wants_login:
                assert response.status_code == 303
                assert response.headers["Location"].startswith("/login?next=")
                continue
            assert response.status_code == 200, (
                f"{route.endpoint} answered {response.status_code}: list a page for people who "
                f"are logged in in LOGGED_IN_ONLY (tests/http/html_pages.py)")
            assert response.mimetype == "text/html", (
                f"{route.endpoint} is not HTML: list it in NOT_HTML (tests/http/html_pages.py)")
            text = response.get_data(as_text=True)
            assert text.lstrip().lower().startswith("<!doctype html>"), (
                f"{route.endpoint} is no whole page: list it in FRAGMENTS if that is meant")
            assert '<html lang="nl">' in text
            assert "HX-Request" in response.headers["Vary"]


def test_every_page_is_whole_when_administrator_asks(administrator, html_routes, subtests):
    for route in html_routes:
        with subtests.test(url=route.url):
            response = administrator.get(route.url)
            assert response.status_code == 200
            assert "<html" in response.get_data(as_text=True)
            assert "HX-Request" in response.headers["Vary"]
    for header in ("HX-Boosted", "HX-History-Restore-Request"):
        with subtests.test(header=header):
            response = administrator.get("/initiatives", headers={**HTMX, header: "true"})
            assert "<html" in response.get_data(as_text=True)


def test_every_page_is_partial_when_htmx_asks(administrator, html_routes, subtests):
    for route in html_routes:
        with subtests.test(url=route.url):
            response = administrator.get(route.url, headers=HTMX)
            assert response.status_code == 200
            text = response.get_data(as_text=True)
            assert "<html" not in text
            assert "<body" not in text
            assert "HX-Request" in response.headers["Vary"]


def test_every_other_route_answers_as_registered(administrator, routes, subtests):
    for route in routes:
        if route.is_whole_page and route.is_filled:
            continue
        with subtests.test(url=route.url):
            if not route.is_filled:
                assert administrator.get(route.url).status_code == NOT_FILLED[route.endpoint]
            elif not route.is_html:
                response = administrator.get(route.url)
                assert response.status_code == 200
                assert response.mimetype == NOT_HTML[route.endpoint]
                assert b"<html" not in response.data
            else:
                for headers in ({}, HTMX):
                    fragment = administrator.get(route.url, headers=headers)
                    assert fragment.status_code == 200
                    assert fragment.mimetype == "text/html"
                    assert "<html" not in fragment.get_data(as_text=True)


def test_odd_path_gives_404_when_nothing_lives_there(visitor, subtests):
    for path in ODD_PATHS:
        with subtests.test(path=path[:60]):
            assert visitor.get(path).status_code == 404


def test_directory_answers_200_when_filters_are_odd(visitor, subtests):
    for query in ODD_FILTERS:
        with subtests.test(query=query[:60]):
            response = visitor.get(f"/initiatives?{query}")
            assert response.status_code == 200
            assert response.mimetype == "text/html"


def test_every_page_answers_when_query_is_odd(visitor, routes, subtests):
    for route in routes:
        if not route.is_filled:
            continue
        for query in ODD_QUERIES:
            with subtests.test(url=route.url, query=query[:40]):
                assert visitor.get(f"{route.url}?{query}").status_code in (200, 303)


def test_pages_answer_404_or_400_when_input_holds_nul_byte(visitor, form_token):
    # PostgreSQL refuses NUL in a string: it must never reach a query.
    assert visitor.get("/initiatives/abc%00def").status_code == 404
    assert visitor.get("/initiatives/abc%00def/members").status_code in (404, 303)
    response = visitor.post("/login", data={"csrf_token": form_token(visitor, "/login"),
                                            "email": "a\x00@peerm.example", "password": "x" * 12})
    assert response.status_code == 400


def test_id_routes_give_404_when_id_overflows(visitor):
    # SQLite's driver cannot take an integer past 2**63: such an id must never reach a query.
    too_big = "99999999999999999999999"
    for path in (f"/events/{too_big}", f"/events/{too_big}.ics", f"/toolshed/{too_big}"):
        assert visitor.get(path).status_code == 404, path
