"""The give-away shop's demo data: the pick-up points of Give-it-away-shop Amersfoort and three
other co-operatives, the shop's own volunteers, and things offered and wanted as residents
would post them (in Dutch, a few in English). The photos are small drawings made here: a
coloured card with a simple shape, so that the board shows what a post with a photo looks like.
"""
import datetime as dt
import struct
import zlib

from ..accounts.models import Membership, Person
from ..core import clock
from ..initiatives.demo import by_slug
from .models import Gift, GiftRequest, PickupPoint

# co-operative → (place nl, place en, hours nl, hours en, quota a month, pick-up days).
PICKUP_POINTS = {
    "weggeefwinkel-amersfoort": (
        "Weggeefwinkel Amersfoort, de balie in de winkel",
        "Give-it-away-shop Amersfoort, the counter in the shop",
        "di, do en za 10:00–16:00", "Tue, Thu and Sat 10:00–16:00", 4, 3),
    "duurzaam-soesterkwartier": (
        "Buurthuis Soesterkwartier, de ruilkast bij de ingang",
        "Soesterkwartier community centre, the swap cupboard by the entrance",
        "ma–vr 9:00–17:00", "Mon–Fri 9:00–17:00", 0, 3),
    "lucas-community": (
        "Lucas Community, het buurtkantoor",
        "Lucas Community, the neighbourhood office",
        "wo en vr 13:00–17:00", "Wed and Fri 13:00–17:00", 3, 4),
    "talent-in-actie": (
        "Talent in Actie, de uitleenbalie",
        "Talent in Actie, the lending counter",
        "za 10:00–14:00", "Sat 10:00–14:00", 0, 3),
}
# The shop's volunteers, who run its counter (password as every demo account).
SHOP_PEOPLE = [("ria@peerm.example", "Ria", "coordinator"),
               ("bram@peerm.example", "Bram", "volunteer")]
# (giver e-mail, co-operative, kind, category, allocation, days to the deadline, language,
#  title, description, photo colour or None).
POSTS = [
    ("ria@peerm.example", "weggeefwinkel-amersfoort", "offered", "children", "draw", 2, "nl",
     "Kinderwagen, grijs, met regenhoes",
     "Opvouwbare kinderwagen, banden en remmen in orde. Regenhoes en boodschappenmand erbij. "
     "Gebracht door een buurvrouw van wie de jongste nu loopt.", (120, 140, 160)),
    ("bram@peerm.example", "weggeefwinkel-amersfoort", "offered", "kitchen", "first", 5, "nl",
     "Doos met borden en bekers",
     "Twaalf borden, acht bekers en een schaal, alles heel. Handig voor wie net een eigen "
     "plek heeft.", (214, 150, 80)),
    ("ria@peerm.example", "weggeefwinkel-amersfoort", "offered", "clothing", "first", 6, "nl",
     "Winterjassen maat 116–140",
     "Vier warme winterjassen voor kinderen van 6 tot 10 jaar. Kom passen bij de balie.",
     (60, 110, 170)),
    ("els@peerm.example", "duurzaam-soesterkwartier", "offered", "furniture", "draw", 3, "nl",
     "Eettafel met vier stoelen",
     "Houten tafel (140 x 80) met vier stoelen. Eén stoel wiebelt een beetje. Ophalen met "
     "twee mensen, de tafel kan niet uit elkaar.", (150, 110, 70)),
    ("kees@peerm.example", "duurzaam-soesterkwartier", "offered", "garden", "draw", 4, "nl",
     "Moestuinbak en zaden",
     "Een houten kweekbak van een meter en zakjes zaad: sla, radijs en boontjes. Van de "
     "werkgroep groen, voor wie wil beginnen.", (90, 150, 80)),
    ("mohammed@peerm.example", "lucas-community", "offered", "electronics", "draw", 2, "en",
     "Working laptop for a student",
     "An older laptop that still runs well for homework and job applications. Wiped clean, "
     "with charger.", (70, 80, 100)),
    ("fatima@peerm.example", "lucas-community", "offered", "books_games", "first", 7, "nl",
     "Prentenboeken en een puzzel",
     "Een stapel prentenboeken voor peuters en een puzzel van 48 stukjes, compleet.",
     (200, 90, 110)),
    ("jan@peerm.example", "talent-in-actie", "offered", "other", "draw", 3, "nl",
     "Naaimachine met handleiding",
     "Elektrische naaimachine, doet het goed. Met handleiding, spoeltjes en naalden.",
     (130, 90, 150)),
    ("els@peerm.example", "weggeefwinkel-amersfoort", "wanted", "furniture", "draw", 14, "nl",
     "Gezocht: kledingkast",
     "Voor de kamer van mijn zoon zoek ik een kleine kledingkast. Ik kan hem ophalen bij de "
     "Weggeefwinkel.", None),
    ("mohammed@peerm.example", "lucas-community", "wanted", "children", "draw", 14, "en",
     "Wanted: child car seat",
     "Looking for a car seat for a two-year-old, for trips to the hospital with the Lucas "
     "volunteers.", None),
    ("kees@peerm.example", "duurzaam-soesterkwartier", "wanted", "kitchen", "draw", 12, "nl",
     "Gezocht: grote pannen voor de buurtmaaltijd",
     "De kookgroep zoekt twee grote soeppannen (10 liter of meer) voor de maaltijd op "
     "donderdag.", None),
]


def load(now=None):
    """Add the pick-up points, the shop's people and the posts that are missing."""
    now = now or clock.now()
    initiatives = by_slug()
    added = 0
    for slug, (place_nl, place_en, hours_nl, hours_en, quota, days) in PICKUP_POINTS.items():
        if slug in initiatives and not PickupPoint.get_or_none(
                PickupPoint.initiative == initiatives[slug]):
            PickupPoint.create(initiative=initiatives[slug], place_nl=place_nl, place_en=place_en,
                               hours_nl=hours_nl, hours_en=hours_en, quota_per_month=quota,
                               pickup_days=days)
    shop = initiatives.get("weggeefwinkel-amersfoort")
    model = Person.get_or_none(Person.email == "beheer@peerm.example")
    for email, name, role in SHOP_PEOPLE:
        if shop is None or model is None or Person.get_or_none(Person.email == email):
            continue
        person = Person.create(email=email, display_name=name, password_hash=model.password_hash)
        Membership.create(person=person, initiative=shop, role=role)
    for (email, slug, kind, category, allocation, days, lang, title, description,
         colour) in POSTS:
        giver = Person.get_or_none(Person.email == email)
        if giver is None or slug not in initiatives or Gift.get_or_none(Gift.title == title):
            continue
        Gift.create(kind=kind, initiative=initiatives[slug], giver=giver, title=title,
                    description=description, lang=lang, category=category,
                    allocation=allocation, until=now + dt.timedelta(days=days),
                    at_shop=slug == "weggeefwinkel-amersfoort" and email.startswith(("ria", "bram")),
                    photo=drawing(colour) if colour else None,
                    photo_type="image/png" if colour else "",
                    created_at=now - dt.timedelta(hours=added + 1))
        added += 1
    _demo_requests(now)
    return {"give-away posts": added}


def _demo_requests(now):
    """Two people already asked for the pram, so its page shows a draw with people in it."""
    pram = Gift.get_or_none(Gift.title == POSTS[0][7])
    if pram is None or GiftRequest.select().where(GiftRequest.gift == pram).exists():
        return
    for email in ("mohammed@peerm.example", "anouk@peerm.example"):
        person = Person.get_or_none(Person.email == email)
        if person is not None:
            GiftRequest.create(gift=pram, person=person, created_at=now)


def drawing(colour, width=160, height=120):
    """A small PNG: a card of `colour` with a lighter circle in the middle."""
    red, green, blue = colour
    light = tuple(min(255, c + 90) for c in colour)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 3) ** 2
            row += bytes(light if inside else (red, green, blue))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
