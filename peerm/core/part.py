"""The contract between a part and the app: one `Part`, named `PART` in the part's `part.py`.

The factory, the database set-up, the outbox's table of handlers, the pages the worker keeps,
erasure, the daily housekeeping, the navigation, the person's home and the demo data all loop
over the list of parts (`peerm.parts.PARTS`). Adding a part is one new folder and one line in
that list.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass(frozen=True)
class NavItem:
    """A place in the navigation: the bottom bar (`bar`) or the menu (`menu`).

    `icon` names a symbol of `templates/_icons.html`; `shown(person)` says whether this
    person sees it (everybody when None); `active` is the blueprint whose pages mark it
    current (else only its own endpoint does).
    """
    endpoint: str
    label: object
    icon: str = ""
    place: str = "menu"
    order: int = 50
    shown: Optional[Callable] = None
    active: Optional[str] = None
    # The id of a count shown on it, filled in by the page's script (what waits to be sent).
    badge: str = ""


@dataclass(frozen=True)
class Card:
    """One thing on a person's home ("what needs me today"): a short title, a line of text,
    where tapping it goes, and how many (shown as a number, when there is one).

    `rank` orders the cards of all parts: lower comes first (0: now, at the door or the
    counter; 1: waiting for this person's decision; 2: this person's own things)."""
    title: object
    url: str
    text: object = ""
    count: Optional[int] = None
    rank: int = 2


@dataclass(frozen=True)
class Exported:
    """What a table's references to a person mean for that person's export ("my data"):

    - `about`: fields by which the row is the person's own (their sign-up, their loan as the
      borrower): it is exported, without the fields in `drop`, which would name someone else;
    - `through`: "field.owner" paths by which the row is theirs by way of another row of
      theirs (the changes made to their own shifts);
    - `acted`: fields by which they only did something to someone else's row (approved a
      shift, lent a tool): the export counts such rows, never shows them.
    """
    about: tuple = ()
    through: tuple = ()
    acted: tuple = ()
    drop: tuple = ()


@dataclass(frozen=True)
class Part:
    """Everything the app needs to know about one part.

    - `blueprints`: its pages;
    - `csrf_exempt`: the names of its blueprints that check their requests another way
      (JSON with an origin check) instead of the form token;
    - `models`: its tables, referenced tables first;
    - `migrations`: its numbered schema migrations (`peerm.core.migrations.Migration`);
    - `actions`: offline action type → `peerm.outbox.protocol.Handler`;
    - `kept_pages(person)`: paths the worker keeps on the phone for this person, most
      important first;
    - `exported`: table name → `Exported`, for every table of its that points to a person;
    - `erase(person, needles)`: what erasing a person means for its rows (`needles`: their
      name, address and phone, to find them in text); returns files to delete once the
      erasure is committed;
    - `housekeeping(now)`: the daily round; returns {what: how many};
    - `demo()`: adds its demo data where it is missing;
    - `nav`: its places in the navigation;
    - `today(person)`: what on the person's home needs them today, as a list of `Card`;
    - `scripts`: its own files in `static/js/`, bundled after the app's;
    - `styles`: its own files in `static/css/`, bundled after `app.css`;
    - `page_config`: values its scripts need on every page (`<body data-config>`), by name.
    """
    name: str
    blueprints: tuple = ()
    csrf_exempt: tuple = ()
    models: tuple = ()
    migrations: tuple = ()
    actions: dict = field(default_factory=dict)
    kept_pages: Optional[Callable] = None
    exported: dict = field(default_factory=dict)
    erase: Optional[Callable] = None
    housekeeping: Optional[Callable] = None
    demo: Optional[Callable] = None
    nav: tuple = ()
    today: Optional[Callable] = None
    scripts: tuple = ()
    styles: tuple = ()
    page_config: dict = field(default_factory=dict)
