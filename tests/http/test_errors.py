"""The error pages: not found in both languages, wrong method and a crash, each with its status;
and bad input (numbers that are no numbers, a NUL, a line break in a redirect) that gets a
refusal, never a crash."""
from html.parser import HTMLParser

import pytest
from html_pages import Page

from peerm.initiatives.models import Initiative

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


# Bad numbers: every numeric field of every form and every query parameter -------------------
# Each is sent with a superscript two ("²": `isdigit()` is true for it, `int()` refuses it),
# Arabic-Indic digits ("١٢": `int()` reads them as 12), a 30-digit number (no database integer
# holds it) and a NUL byte. The answer is a refusal or a clear page, never a 5xx, on both
# databases.
BAD_NUMBERS = ["²", "١٢", "1" * 30, "1\x00"]
# The people whose pages the walk reads forms from: the administrator sees every coordinator's
# page, a volunteer sees the forms of volunteering (the administrator volunteers nowhere).
WALKERS = ["beheer@peerm.example", "kees@peerm.example"]
# Query parameters that no form on a page carries (links and the page's scripts send them).
LINKED_PARAMETERS = {
    "volunteering.export": ["month"],
    "events.codes": ["codes"],
    "accounts.login": ["next"],
}
# Filler values for the fields not under test, by input type.
FILLERS = {"number": "1", "date": "", "time": "12:00", "email": "test@example.org",
           "tel": "0612345678", "url": "https://example.org", "password": "1234"}


class _Fields(HTMLParser):
    """The forms of a page, with every field's name, type, value and (for a select) options;
    and the fields that ask the server with `hx-get` on their own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.lookups = []
        self.by_id = {}
        # The first field of each name (a radio list's first choice), for `[name=…]` selectors.
        self.by_name = {}
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea"):
            field = {"tag": tag, **attrs, "options": []}
            if "id" in attrs:
                self.by_id[attrs["id"]] = field
            if attrs.get("name"):
                self.by_name.setdefault(attrs["name"], field)
            if self._form is not None and attrs.get("name"):
                self._form["fields"].append(field)
            if tag == "select":
                self._select = field
            if attrs.get("hx-get") and attrs.get("name"):
                self.lookups.append(field)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _is_numeric(field):
    """Whether a field stands for a number: so typed, so marked, or holding digits."""
    values = [field.get("value") or "", *field["options"]]
    return (field.get("type") == "number" or field.get("inputmode") in ("numeric", "decimal")
            or "data-number" in field or "[0-9]" in (field.get("pattern") or "")
            or any(value.isascii() and value.isdigit() for value in values))


def _spoilable(form):
    """The fields of a form to send bad numbers in: its numeric ones, and every field of a
    form that may be sent offline (each of its values passes the outbox's reading of digits)."""
    offline = "data-offline" in form["attrs"]
    return list(dict.fromkeys(field["name"] for field in form["fields"]
                              if field["name"] not in ("csrf_token", "action_id")
                              and field.get("type") not in ("file", "submit", "button")
                              and (offline or _is_numeric(field))))


def _filled(fields):
    """What a person would send: the values given, the first option, a plausible filler."""
    values = {}
    for field in fields:
        kind = field.get("type") or field["tag"]
        if kind in ("file", "submit", "button", "checkbox"):
            continue
        if kind == "radio":
            values.setdefault(field["name"], field.get("value", ""))
            continue
        if field["options"]:
            values[field["name"]] = next((value for value in field["options"] if value),
                                         field["options"][0])
        elif field.get("value"):
            values[field["name"]] = field["value"]
        elif field.get("inputmode") in ("numeric", "decimal"):
            values[field["name"]] = "1"
        else:
            values[field["name"]] = FILLERS.get(kind, "Test")
    return values


@pytest.fixture
def numeric_inputs(log_in, routes):
    """Every form post and query that carries a number, read from the pages each walker sees:
    (the walker's client, method, URL, the filled-in values, the names to spoil one by one)."""
    found = {}
    clients = [log_in(email) for email in WALKERS]
    for client in clients:
        for route in routes:
            if not route.is_whole_page or not route.is_filled:
                continue
            response = client.get(route.url)
            if response.status_code != 200:
                continue
            reader = _Fields()
            reader.feed(response.get_data(as_text=True))
            for form in reader.forms:
                method = form["attrs"].get("method", "get").lower()
                action = form["attrs"].get("action") or route.url
                values = _filled(form["fields"])
                if method == "get":
                    names = list(values)  # every parameter of a search or filter form
                else:
                    names = _spoilable(form)
                if names:
                    found.setdefault((method, action, tuple(sorted(names))),
                                     (client, method, action, values, names))
            for field in reader.lookups:
                included = [_included(reader, ref.strip())
                            for ref in (field.get("hx-include") or "").split(",") if ref.strip()]
                values = _filled([field, *included])
                found.setdefault(("get", field["hx-get"], tuple(sorted(values))),
                                 (client, "get", field["hx-get"], values, list(values)))
    urls = {route.endpoint: route.url for route in routes}
    for endpoint, names in LINKED_PARAMETERS.items():
        found[("get", urls[endpoint], tuple(names))] = (clients[0], "get", urls[endpoint], {},
                                                        names)
    return list(found.values())


def _included(reader, selector):
    """The field an `hx-include` selector names: `#id` or `[name=…]`."""
    if selector.startswith("[name=") and selector.endswith("]"):
        return reader.by_name[selector[6:-1].strip("\"'")]
    return reader.by_id[selector.lstrip("#")]


def test_bad_numbers_are_refused_when_sent_in_any_form_or_query(app, numeric_inputs,
                                                               subtests):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # see the 500 a phone would see
    posted = [action for _c, method, action, _v, _n in numeric_inputs if method == "post"]
    # The walk finds the forms that carry numbers (a sign-up, a claim, the allowance settings,
    # a new tool's category, the counter) and the filters; else it tests nothing.
    assert len(posted) >= 8, posted
    for client, method, url, values, names in numeric_inputs:
        for name in names:
            for bad in BAD_NUMBERS:
                with subtests.test(method=method, url=url, field=name, value=bad):
                    sent = {**values, name: bad}
                    if method == "post":
                        response = client.post(url, data=sent)
                    else:
                        response = client.get(url, query_string=sent)
                    assert response.status_code < 500, response.get_data(as_text=True)[:300]
                    if response.status_code == 303:
                        assert client.get(response.headers["Location"]).status_code < 500


def test_cancel_goes_back_to_events_when_back_holds_a_line_break(visitor, form_token):
    token = form_token(visitor, "/events")
    for back in ["/events/1\r\nSet-Cookie: admin=1", "/events\n", "/events\r", "/events\x7f"]:
        response = visitor.post("/events/cancel", data={"csrf_token": token, "code": "K7QM2P",
                                                         "_back": back})
        assert response.status_code == 303, repr(back)
        assert response.headers["Location"] == "/events", repr(back)
        assert "admin" not in response.headers.get("Set-Cookie", "")
