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
    person sees it (everybody when None); `active` is the blueprint that marks it current.
    """
    endpoint: str
    label: object
    icon: str = ""
    place: str = "menu"
    order: int = 50
    shown: Optional[Callable] = None
    active: Optional[str] = None


@dataclass(frozen=True)
class Part:
    """Everything the app needs to know about one part.

    - `blueprint`: its pages (None for a part without any);
    - `models`: its tables, referenced tables first;
    - `migrations`: its numbered schema migrations (`peerm.core.migrations.Migration`);
    - `actions`: offline action type → `peerm.outbox.protocol.Handler`;
    - `kept_pages(person)`: paths the worker keeps on the phone for this person, most
      important first;
    - `erase(person, needles)`: what erasing a person means for its rows; returns files to
      delete once the erasure is committed;
    - `housekeeping(now)`: the daily round; returns {what: how many};
    - `demo()`: adds its demo data where it is missing;
    - `nav`: its places in the navigation;
    - `today(person)`: what on the person's home needs them today, as a list of
      `peerm.home.Card`;
    - `scripts`: its own files in `static/js/`, bundled after the app's.
    """
    name: str
    blueprint: object = None
    models: tuple = ()
    migrations: tuple = ()
    actions: dict = field(default_factory=dict)
    kept_pages: Optional[Callable] = None
    erase: Optional[Callable] = None
    housekeeping: Optional[Callable] = None
    demo: Optional[Callable] = None
    nav: tuple = ()
    today: Optional[Callable] = None
    scripts: tuple = ()
