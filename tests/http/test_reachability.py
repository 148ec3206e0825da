"""Every page a person may use is reachable by tapping: a walk that follows links from `/`
as each kind of visitor reaches every GET page that visitor may open (DESIGN.md, web
conventions: "nothing is reachable only by typing its address").

What a visitor "may open" is found by asking: every GET page of the app's url_map, filled by
the route walk's world (tests/http/part_tables/), that answers that visitor with a whole page
(200, HTML). Pages are compared by endpoint: reaching any event's door list reaches "the door
list".
"""
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from html_pages import FRAGMENTS, NOT_HTML
from part_tables import VISITORS
from werkzeug.exceptions import HTTPException

# Pages that are, by design, not reached by tapping through the app.
NOT_BY_TAPPING = {
    "pwa.offline": "the worker shows it when a page is not on the phone",
    "accounts.invite": "reached through the invite link someone sends",
    "accounts.reset": "reached through the new-password link someone sends",
    "volunteering.kiosk": "the shared phone's own link, made by a coordinator",
    "outbox.saved": "the worker's answer to a form sent without signal",
    "accounts.show_link": "the answer to making a link (post/redirect/get)",
}
# Pages a kind of visitor may open but that are not for them, so nothing leads them there.
NOT_THEIRS = {
    # Volunteering's pages are for volunteers (its menu item shows to them alone); anyone
    # logged in may open them and reads how to become a volunteer.
    "member": {"volunteering.index", "volunteering.claims"},
    "administrator": {"volunteering.index", "volunteering.claims"},
}
# Pages linked only while their item is in a certain state, which the demo data does not hold
# for every kind of visitor; the link itself is tested in that state where named.
IN_SOME_STATES = {
    "administrator": {
        # A network event's door list, linked from its page and the home within its window
        # (tests/http/test_home_today.py); the demo's network events are not on now.
        "events.door",
        # Publishing a draft or archived document, linked from its page; the demo's are
        # published.
        "library.confirm_publish",
    },
    "coordinator": {
        "library.confirm_publish",
        # A proposal is edited until voting opens; the demo's proposals of Lucas Community
        # are being voted on.
        "decisions.edit",
    },
}
# How many addresses of one endpoint the walk opens (enough to meet the links that only
# some of them carry, such as the door list of an event one helps run).
PER_ENDPOINT = 6


@pytest.fixture
def database_url(sqlite_url):
    """Links do not depend on the database: SQLite alone."""
    return sqlite_url


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.hrefs.append(attributes["href"])


def links_of(html):
    reader = _Links()
    reader.feed(html)
    return reader.hrefs


def endpoint_of(adapter, path):
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except HTTPException:
        return None
    return endpoint


def whole_page(response):
    return (response.status_code == 200 and response.mimetype == "text/html"
            and response.get_data(as_text=True).lstrip().lower().startswith("<!doctype html>"))


def may_open(client, html_routes, logged_in):
    """The endpoints this visitor may open, by asking each page."""
    allowed = set()
    for route in html_routes:
        if route.endpoint in NOT_BY_TAPPING:
            continue
        if logged_in and route.endpoint == "accounts.login":
            continue  # nothing to log in to
        if whole_page(client.get(route.url)):
            allowed.add(route.endpoint)
    return allowed


def walk(client, adapter):
    """Follow every link of this site from `/`, as this visitor; the endpoints reached."""
    reached, opened = set(), {}
    queue, seen = deque(["/"]), {"/"}
    while queue:
        path = queue.popleft()
        endpoint = endpoint_of(adapter, urlsplit(path).path)
        if endpoint is None or endpoint in NOT_HTML or endpoint in FRAGMENTS:
            continue
        if opened.get(endpoint, 0) >= PER_ENDPOINT:
            continue
        opened[endpoint] = opened.get(endpoint, 0) + 1
        response = client.get(path)
        if not whole_page(response):
            continue
        reached.add(endpoint)
        for href in links_of(response.get_data(as_text=True)):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href in seen:
                continue
            if href.startswith("/static/"):
                continue
            seen.add(href)
            queue.append(href)
    return reached


@pytest.mark.parametrize("visitor", sorted(VISITORS))
def test_every_page_a_visitor_may_open_is_reachable_from_home(app, log_in, html_routes,
                                                              visitor):
    email = VISITORS[visitor]
    client = log_in(email) if email else app.test_client()
    adapter = app.url_map.bind("localhost")
    allowed = (may_open(client, html_routes, logged_in=bool(email))
               - NOT_THEIRS.get(visitor, set()) - IN_SOME_STATES.get(visitor, set()))
    reached = walk(client, adapter)
    assert "home.index" in allowed
    missing = sorted(allowed - reached)
    assert missing == [], f"{visitor} may open these pages but no link leads there: {missing}"
