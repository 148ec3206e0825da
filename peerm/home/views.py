"""The home page and the language switch."""
from flask import Blueprint, redirect, request

from ..accounts.session import current_person
from ..events.models import Event
from ..i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, LANGUAGES, current_language
from ..initiatives.models import Initiative, Partner
from ..web import cached_page, local_path, parts, render
from .content import NETWORK

# How many coming events the home page lists.
HOME_EVENTS = 5

bp = Blueprint("home", __name__)


def today_cards(person):
    """What needs this person today, from every part, most urgent first (a part's own order
    kept within one rank)."""
    cards = []
    for part in parts():
        if part.today is not None:
            cards.extend(part.today(person))
    return sorted(cards, key=lambda card: card.rank)


@bp.get("/")
@cached_page
def index():
    """What the network is, its co-operatives and what is coming up; for someone logged in,
    first what needs them today."""
    person = current_person()
    return render(
        "home/index.html",
        network_intro=NETWORK[f"intro_{current_language()}"],
        initiatives=list(Initiative.listed()),
        events=list(Event.upcoming(limit=HOME_EVENTS)),
        sponsors=list(Partner.sponsors()),
        cards=today_cards(person) if person is not None else None,
    )


@bp.post("/language")
def choose_language():
    """Remember the chosen language and go back to the page it was chosen on."""
    chosen = request.form.get("lang", "")
    back = local_path(request.form.get("next", "/"))
    response = redirect(back, code=303)
    if chosen in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=request.is_secure, httponly=True)
    return response
