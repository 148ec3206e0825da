"""Reading pages in the HTTP suite: the registry of GET routes, and HTML parsed for the tests.

The registry works like Datasette's documentation tests: a new GET route with URL arguments the
suite does not know how to fill makes the walk fail until its part's table
(`tests/http/part_tables/<part>.py`) says how.
"""
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from part_tables import merged

# The demo administrator (see `peerm.cli.DEMO_PEOPLE`): the walk sees every page as them.
ADMINISTRATOR = "beheer@peerm.example"
# What the walk knows of each part's GET routes (tests/http/part_tables/): how it fills their
# URL arguments from the walk's world, which need a login, which answer something other than
# a page, which answer only a fragment, and which it cannot give a real value.
ROUTE_ARGUMENTS = merged("ROUTE_ARGUMENTS", {})
LOGGED_IN_ONLY = merged("LOGGED_IN_ONLY", set())
NOT_HTML = merged("NOT_HTML", {})
FRAGMENTS = merged("FRAGMENTS", set())
NOT_FILLED = merged("NOT_FILLED", {})
# Routes the walk leaves out: static files have tests of their own.
NOT_WALKED = {"static"}


def visible_text(html):
    """What a page shows, without its tags and their attributes: a name looked for in it is
    never found inside a random form token."""
    return re.sub(r"<[^>]*>", " ", html)


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
