"""Reading pages in the HTTP suite: the registry of GET routes, and HTML parsed for the tests.

The registry works like Datasette's documentation tests: a new GET route with URL arguments the
suite does not know how to fill makes the walk fail until it is added here.
"""
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# The demo administrator (see `peerm.cli.DEMO_PEOPLE`): the walk sees every page as them.
ADMINISTRATOR = "beheer@peerm.example"
# How the walk fills the URL arguments of the GET routes that take some, from the walk's world
# (see the `walk_world` fixture: a co-operative with tools and working groups, one of its
# tools, a coming event, and an invite, a reset link and a kiosk link just made).
ROUTE_ARGUMENTS = {
    "initiatives.detail": lambda world: {"slug": world["slug"]},
    "accounts.members": lambda world: {"slug": world["slug"]},
    "accounts.invite": lambda world: {"token": world["invite"]},
    "accounts.reset": lambda world: {"token": world["reset"]},
    "events.detail": lambda world: {"event_id": world["event_id"]},
    "events.door": lambda world: {"event_id": world["event_id"]},
    "events.signups": lambda world: {"event_id": world["event_id"]},
    "events.ics": lambda world: {"event_id": world["event_id"]},
    "volunteering.manage": lambda world: {"slug": world["slug"]},
    "volunteering.export": lambda world: {"slug": world["slug"]},
    "volunteering.kiosk": lambda world: {"token": world["kiosk"]},
    "volunteering.receipt": lambda world: {"claim_id": 0},
    "toolshed.detail": lambda world: {"tool_id": world["tool_id"]},
    "toolshed.qr": lambda world: {"tool_id": world["tool_id"]},
    "toolshed.counter": lambda world: {"slug": world["slug"]},
    "toolshed.manage": lambda world: {"slug": world["slug"]},
    "toolshed.rules": lambda world: {"slug": world["slug"]},
    "toolshed.labels": lambda world: {"slug": world["slug"]},
}
# GET routes the walk cannot give a real value, and the status they must answer instead of a
# 500: a receipt needs a photo on disk (the volunteering tests upload one).
NOT_FILLED = {"volunteering.receipt": 404}
# GET routes only a logged-in person may open: anyone else is sent to the login page.
LOGGED_IN_ONLY = {
    "accounts.account", "accounts.export", "accounts.delete", "accounts.members",
    "events.door", "events.signups", "events.mine",
    "volunteering.index", "volunteering.claims", "volunteering.claim_check",
    "volunteering.receipt", "volunteering.manage", "volunteering.export",
    "toolshed.mine", "toolshed.counter", "toolshed.manage", "toolshed.labels",
}
# GET routes that answer something other than an HTML page, with their content type.
NOT_HTML = {
    "pwa.manifest": "application/manifest+json",
    "pwa.service_worker": "text/javascript",
    "pwa.offline_pages": "application/json",
    "pwa.favicon": "image/png",
    "accounts.export": "application/json",
    "events.ics": "text/calendar",
    "events.feed": "text/calendar",
    "events.codes": "application/json",
    "volunteering.export": "text/csv",
    "volunteering.receipt": "image/jpeg",
    "toolshed.qr": "image/svg+xml",
}
# HTML routes that only ever answer a fragment, never a whole page: the worker or an htmx
# request shows them inside another page.
FRAGMENTS = {"outbox.saved", "volunteering.claim_check"}
# Routes the walk leaves out: static files have tests of their own.
NOT_WALKED = {"static"}


@dataclass
class Route:
    endpoint: str
    url: str

    @property
    def is_html(self):
        return self.endpoint not in NOT_HTML

    @property
    def wants_login(self):
        return self.endpoint in LOGGED_IN_ONLY

    @property
    def is_whole_page(self):
        return self.is_html and self.endpoint not in FRAGMENTS

    @property
    def is_filled(self):
        return self.endpoint not in NOT_FILLED


class _Reader(HTMLParser):
    """Collects what the tests look at: tags and attributes, script bodies and forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.scripts = []
        self.forms = []
        self._script = None
        self._form = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = [attributes, ""]
        elif tag == "form":
            self._form = {"attrs": attributes, "inputs": []}
            self.forms.append(self._form)
        elif tag in ("input", "button", "select", "textarea") and self._form is not None:
            self._form["inputs"].append(attributes)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None
        elif tag == "form":
            self._form = None


@dataclass
class Page:
    """An HTML answer, parsed: its status, headers and text, and the parts tests look for."""
    response: object
    text: str = ""
    tags: list = field(default_factory=list)
    scripts: list = field(default_factory=list)
    forms: list = field(default_factory=list)

    @classmethod
    def of(cls, response):
        reader = _Reader()
        text = response.get_data(as_text=True)
        reader.feed(text)
        reader.close()
        return cls(response, text, reader.tags, reader.scripts, reader.forms)

    @property
    def status(self):
        return self.response.status_code

    @property
    def headers(self):
        return self.response.headers

    def all(self, tag, **wanted):
        """The attributes of every `tag` whose attributes include `wanted`."""
        return [attrs for name, attrs in self.tags
                if name == tag and all(k in attrs and attrs[k] == v for k, v in wanted.items())]

    def first(self, tag, **wanted):
        found = self.all(tag, **wanted)
        assert found, f"no <{tag} {wanted}> in the page"
        return found[0]

    @property
    def html_lang(self):
        return self.first("html").get("lang")

    @property
    def links(self):
        return [attrs["href"] for attrs in self.all("a") if "href" in attrs]

    @property
    def csrf_token(self):
        return self.first("input", name="csrf_token")["value"]

    @property
    def detail_slugs(self):
        """The co-operatives the directory list shows, in its order."""
        return re.findall(r'class="card__title"><a href="/initiatives/([\w-]+)"', self.text)
