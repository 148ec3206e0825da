"""The decisions' demo data: one proposal in voting for each co-operative with demo members
(Soesterkwartier's with options of its own), one for the Free Exit in discussion, and one
network proposal that closed with its outcome kept.

Times are set around the moment the demo is loaded. The demo members joined when the demo was
loaded, after these proposals' voting opened, so the demo writes their electorates itself (a
real proposal's list is written from the memberships at its opening)."""
import datetime as dt

from ..accounts.models import Membership, Person
from ..core import clock
from ..initiatives.demo import by_slug
from . import services
from .models import STANDARD_OPTIONS, Comment, Option, Proposal, Voter

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

PROPOSALS = [
    {
        "key": "lucas-koken-twee-avonden",
        "initiative": "lucas-community",
        "author": "fatima@peerm.example",
        "title_nl": "Samen koken en eten: voortaan twee avonden per week",
        "title_en": "Cooking and eating together: two evenings a week from now on",
        "text_nl": "Op dinsdag koken we al samen in het buurthuis in Nieuw-West, met groente en "
                   "vlees van onze sponsor, de Marokkaanse slager op de hoek. Er komen nu zo veel "
                   "buren dat we mensen naar huis moeten sturen.\n\nWij stellen voor om ook op "
                   "donderdag te koken. Daarvoor zijn vier vrijwilligers extra nodig, en de slager "
                   "wil de donderdag ook sponsoren. De kosten voor de zaal zijn 25 euro per avond, "
                   "uit de pot voor activiteiten.",
        "text_en": "On Tuesdays we already cook together at the community centre in Nieuw-West, "
                   "with vegetables and meat from our sponsor, the Moroccan butcher on the "
                   "corner. So many neighbours come now that we have to send people home.\n\nWe "
                   "propose to cook on Thursdays as well. That needs four more volunteers, and "
                   "the butcher is willing to sponsor Thursdays too. The hall costs 25 euros an "
                   "evening, from the activities fund.",
        "secret": False, "quorum": 50, "majority": "half",
        "opened": -2 * DAY, "closes": 5 * DAY,
        "ballots": [("kees@peerm.example", "agree", "")],
        "comments": [("kees@peerm.example", "Ik wil op donderdag wel koken, als iemand anders "
                      "de boodschappen doet."),
                     ("fatima@peerm.example", "Goed punt, dank je! Ik vraag het in de groepsapp.")],
    },
    {
        "key": "talent-gereedschap-voor-buren",
        "initiative": "talent-in-actie",
        "author": "anouk@peerm.example",
        "title_nl": "Mijn Gereedschapskist: ook uitlenen aan buren die nog geen lid zijn",
        "title_en": "My Toolbox: lend tools to neighbours who are not members yet",
        "text_nl": "Nu lenen alleen leden gereedschap uit de kist. Veel buren kennen ons nog "
                   "niet. Als zij een boor of ladder kunnen lenen, leren we elkaar kennen.\n\nWij "
                   "stellen voor: iedereen uit de wijk mag twee dingen tegelijk lenen, met een "
                   "naam en telefoonnummer. Na drie keer lenen vragen we of iemand lid wil worden.",
        "text_en": "Only members borrow from the toolbox now. Many neighbours do not know us "
                   "yet. If they can borrow a drill or a ladder, we get to know each other.\n\nWe "
                   "propose: anyone from the neighbourhood may borrow two things at a time, with "
                   "a name and a phone number. After three loans we ask whether they want to join.",
        "secret": True, "quorum": 50, "majority": "two_thirds",
        "opened": -1 * DAY, "closes": 6 * DAY,
        "ballots": [("els@peerm.example", "agree", "")],
        "comments": [("jan@peerm.example", "Goed idee. Wie houdt bij wat er terug moet komen?")],
    },
    {
        "key": "soesterkwartier-zonnepanelen-werkplaats",
        "initiative": "duurzaam-soesterkwartier",
        "author": "peter@peerm.example",
        "title_nl": "Zonnepanelen op het dak van de Werkplaats Soesterkwartier",
        "title_en": "Solar panels on the roof of the Soesterkwartier Workplace",
        "text_nl": "Het dak van de Werkplaats is groot genoeg voor 24 panelen. We betalen ze "
                   "terug uit wat we besparen op stroom, zoals we ook bij de buren doen. Er is "
                   "geen groot contract nodig: een installateur uit de wijk doet het werk.\n\nKies "
                   "hoe snel we terugbetalen.",
        "text_en": "The roof of the Workplace is big enough for 24 panels. We pay them back from "
                   "what we save on electricity, as we do for the neighbours. No big contract "
                   "is needed: an installer from the neighbourhood does the work.\n\nChoose how "
                   "fast we pay back.",
        "secret": False, "quorum": 40, "majority": "half",
        "own": [("Terugbetalen in 5 jaar", "Pay back in 5 years"),
                ("Terugbetalen in 8 jaar", "Pay back in 8 years"),
                ("Nu niet doen", "Not now")],
        "opened": -3 * DAY, "closes": 4 * DAY,
        "ballots": [("kees@peerm.example", "Terugbetalen in 8 jaar", "")],
        "comments": [("els@peerm.example", "In 8 jaar houdt de maandlast laag. Dat vind ik "
                      "belangrijk.")],
    },
    {
        "key": "free-exit-wijkraad",
        "initiative": "free-exit",
        "author": None,
        "title_nl": "Een wijkraad beginnen, met de handleiding van het netwerk",
        "title_en": "Starting a district council, with the network's guide",
        "text_nl": "Bij De Vrije Uitgang beslissen we samen, zonder baas. We willen dat ook "
                   "in de wijk: een wijkraad waar bewoners meepraten over hun eigen buurt. De "
                   "eerste stap is een avond met de handleiding 'Hoe start je een wijkraad'.",
        "text_en": "At the Free Exit we decide together, without a boss. We want that in the "
                   "district too: a council where residents have a say in their own "
                   "neighbourhood. The first step is an evening with the guide 'How to Start a "
                   "District Council'.",
        "secret": False, "quorum": 50, "majority": "half",
        "opened": 5 * DAY, "closes": 12 * DAY,
        "ballots": [], "comments": [],
    },
    {
        "key": "netwerk-geen-subsidie-afhankelijkheid",
        "initiative": None,
        "author": "beheer@peerm.example",
        "title_nl": "Elk lid van het netwerk zoekt minstens één eigen inkomstenbron naast subsidie",
        "title_en": "Every co-operative in the network finds at least one income of its own "
                    "besides grants",
        "text_nl": "Als een subsidie stopt, valt alles om. Daarom spreken we af dat elke "
                   "coöperatie binnen een jaar minstens één eigen bron van inkomsten heeft, zoals "
                   "catering, verhuur of diensten aan de gemeente. Op de landelijke dag delen we "
                   "hoe het gaat.",
        "text_en": "When a grant stops, everything falls apart. So we agree that every "
                   "co-operative has at least one income of its own within a year, such as "
                   "catering, renting out, or services to the municipality. On the national day "
                   "we share how it goes.",
        "secret": True, "quorum": 50, "majority": "half",
        "opened": -12 * DAY, "closes": -3 * DAY,
        "ballots": [("fatima@peerm.example", "agree", ""),
                    ("jan@peerm.example", "agree", ""),
                    ("peter@peerm.example", "agree", ""),
                    ("kees@peerm.example", "abstain", ""),
                    ("mohammed@peerm.example", "agree", "paper"),
                    ("els@peerm.example", "disagree", "late")],
        "comments": [("peter@peerm.example", "Bij ons betalen zonnepanelen zichzelf terug. Dat "
                      "kan een voorbeeld zijn.")],
    },
]


def load(now=None):
    """Add the demo proposals that are missing; returns how many were added."""
    now = now or clock.now()
    slugs = by_slug()
    added = 0
    for item in PROPOSALS:
        if Proposal.get_or_none(Proposal.seed_key == item["key"]):
            continue
        initiative = slugs.get(item["initiative"]) if item["initiative"] else None
        if item["initiative"] and initiative is None:
            continue
        opens = now + item["opened"]
        proposal = Proposal.create(
            seed_key=item["key"], initiative=initiative, author=_person(item["author"]),
            title_nl=item["title_nl"], title_en=item["title_en"], text_nl=item["text_nl"],
            text_en=item["text_en"], secret=item["secret"], quorum_percent=item["quorum"],
            majority=item["majority"], discussion_days=7, status="open",
            created_at=opens - 7 * DAY, voting_opens_at=opens,
            closes_at=(now + item["closes"]).replace(minute=0, second=0))
        own = item.get("own")
        options = ([("own", nl, en) for nl, en in own] if own else
                   [(kind, label_nl, label_en) for kind, (label_nl, label_en)
                   in STANDARD_OPTIONS.items()])
        for position, (kind, label_nl, label_en) in enumerate(options):
            Option.create(proposal=proposal, position=position, kind=kind, label_nl=label_nl,
                          label_en=label_en)
        for n, (email, body) in enumerate(item["comments"]):
            Comment.create(proposal=proposal, person=_person(email), body=body,
                           created_at=min(now, opens) - (len(item["comments"]) - n) * HOUR)
        if opens <= now:
            _fix_electorate(proposal)
            _cast(proposal, item["ballots"], now)
        added += 1
    return {"proposals": added}


def _person(email):
    return Person.get_or_none(Person.email == email) if email else None


def _fix_electorate(proposal):
    members = Membership.select(Membership.person)
    if proposal.initiative_id is not None:
        members = members.where(Membership.initiative == proposal.initiative_id)
    for person_id in sorted({m.person_id for m in members}):
        Voter.create(proposal=proposal, person=person_id)
    proposal.electorate_fixed_at = proposal.voting_opens_at
    proposal.save()


def _cast(proposal, ballots, now):
    closes = proposal.closes_at
    for n, (email, kind, how) in enumerate(ballots):
        person = _person(email)
        if person is None:
            continue
        # A standard option by its kind, an own option by its Dutch label.
        option = Option.get((Option.proposal == proposal)
                            & ((Option.kind == kind) | (Option.label_nl == kind)))
        at = min(now, closes) - (len(ballots) - n) * HOUR
        arrives = closes + 5 * HOUR if how == "late" else at
        services.cast_ballot(proposal, person, option.id, at=at, now=arrives,
                             paper=how == "paper")
    services.finalise(proposal, now)
