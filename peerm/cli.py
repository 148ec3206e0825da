"""Command-line tasks: create the tables, load the demo data, build the bundles.

Each is safe to run again: tables are created only when missing, demo rows only when their
key is not there yet, so a second run keeps whatever the app has stored since.
"""
import datetime as dt

import click

from . import db
from .accounts.models import Membership, Person
from .accounts.services import AccountError, check_password, clean_email, hash_password
from .events import Event, local_now
from .initiatives import Initiative, Need, Partner
from .seed_data import EVENTS, INITIATIVES, PAST_TALKS, SPONSORS

# How long after an event the contact details of its sign-ups are kept, in days.
CONTACT_DAYS = 30

# Places at the demo events, by kind (None: an online talk has no limit).
DEMO_CAPACITY = {"national_day": 300, "picnic": 60, "sociallab": 25, "social_talk": None,
                 "local": 12}

# The demo accounts, all with the password DEMO_PASSWORD (listed in the README):
# (e-mail, display name, administrator?, [(co-operative, role), …]).
DEMO_PASSWORD = "peerm-demo"
DEMO_PEOPLE = [
    ("beheer@peerm.example", "Sanne", True, []),
    ("fatima@peerm.example", "Fatima", False, [("lucas-community", "coordinator")]),
    ("jan@peerm.example", "Jan", False, [("talent-in-actie", "coordinator")]),
    ("peter@peerm.example", "Peter", False, [("duurzaam-soesterkwartier", "coordinator")]),
    ("kees@peerm.example", "Kees", False, [("lucas-community", "volunteer"),
                                          ("duurzaam-soesterkwartier", "volunteer")]),
    ("anouk@peerm.example", "Anouk", False, [("talent-in-actie", "volunteer")]),
    ("mohammed@peerm.example", "Mohammed", False, [("lucas-community", "member")]),
    ("els@peerm.example", "Els", False, [("duurzaam-soesterkwartier", "member"),
                                        ("talent-in-actie", "member")]),
]


def load_demo(today=None):
    """Add the network's co-operatives, sponsors and coming events where they are missing.

    Returns how many co-operatives and events were added.
    """
    today = today or local_now().date()
    added_initiatives = added_events = 0
    with db.db.atomic():
        for position, item in enumerate(INITIATIVES, start=1):
            if Initiative.get_or_none(Initiative.slug == item["slug"]):
                continue
            initiative = Initiative.create(
                position=position,
                **{key: item[key] for key in (
                    "slug", "name", "city", "legal_form", "summary_nl", "summary_en",
                    "description_nl", "description_en")},
            )
            for need in item["needs"]:
                Need.create(initiative=initiative, kind=need["kind"], text_nl=need["nl"],
                            text_en=need["en"])
            for partner in item["partners"]:
                _add_partner(partner, initiative)
            added_initiatives += 1
        if not Partner.sponsors().exists():
            for sponsor in SPONSORS:
                _add_partner(sponsor, None)
        slugs = {i.slug: i for i in Initiative.select()}
        for item in EVENTS:
            if Event.get_or_none(Event.seed_key == item["key"]):
                continue
            day = next_occurrence(today, item["month"], item["day"])
            Event.create(
                seed_key=item["key"], kind=item["kind"],
                initiative=slugs.get(item["initiative"]) if item["initiative"] else None,
                title_nl=item["title_nl"], title_en=item["title_en"],
                summary_nl=item["summary_nl"], summary_en=item["summary_en"],
                place=item["city"],
                starts_at=_at(day, item["start"]), ends_at=_at(day, item["end"]),
                capacity=DEMO_CAPACITY[item["kind"]],
                theme_nl=item.get("theme_nl", ""), theme_en=item.get("theme_en", ""),
            )
            added_events += 1
        for talk in PAST_TALKS:
            if Event.get_or_none(Event.seed_key == talk["key"]):
                continue
            day = dt.date.fromisoformat(talk["date"])
            Event.create(
                seed_key=talk["key"], kind="social_talk", place="Online",
                title_nl=talk["title_nl"], title_en=talk["title_en"],
                summary_nl="Online gesprek met sprekers en ervaringsdeskundigen.",
                summary_en="An online talk with speakers and experts by experience.",
                theme_nl=talk["theme_nl"], theme_en=talk["theme_en"],
                starts_at=_at(day, "20:00"), ends_at=_at(day, "21:00"))
        _add_demo_people(slugs)
        _add_demo_groups(slugs)
        _add_demo_tools(slugs)
    return added_initiatives, added_events


# Working groups of the demo, and how their co-operatives pay volunteers:
# co-operative → ([(group, description)], allowance settings).
DEMO_GROUPS = {
    "lucas-community": ([("Ziekenhuisritten", "Buurtbewoners naar het ziekenhuis brengen."),
                         ("Samen koken", "Koken en eten met de buurt.")],
                        {"mode": "hourly", "hourly_cents": 450}),
    "duurzaam-soesterkwartier": ([("Zon op School", "Zonnepanelen op scholen in de wijk."),
                                  ("Werkplaats", "Klussen en onderhoud in de buurt.")],
                                 {"mode": "monthly", "monthly_cents": 15000}),
    "talent-in-actie": ([("Gereedschapsbalie", "Gereedschap uitlenen en terugnemen.")],
                        {"mode": "none"}),
    "weggeefwinkel-amersfoort": ([("Winkeldiensten", "Spullen aannemen en uitgeven.")],
                                 {"mode": "none"}),
}


def _add_demo_groups(initiatives):
    from .volunteering.models import AllowanceSetting, WorkingGroup

    for slug, (groups, setting) in DEMO_GROUPS.items():
        initiative = initiatives[slug]
        if WorkingGroup.select().where(WorkingGroup.initiative == initiative).exists():
            continue
        for name, description in groups:
            WorkingGroup.create(initiative=initiative, name=name, description=description)
        if AllowanceSetting.get_or_none(AllowanceSetting.initiative == initiative) is None:
            AllowanceSetting.create(initiative=initiative, **setting)


# The demo tool library: co-operative → (rules, {category: (loan days, [(tool, description)])}).
DEMO_TOOLS = {
    "talent-in-actie": (
        ("Breng gereedschap schoon en op tijd terug. Iets kapot? Zeg het bij de balie: je "
         "betaalt nooit een boete.",
         "Bring tools back clean and on time. Something broke? Tell the counter: you never "
         "pay a fine."),
        {"Elektrisch gereedschap": (7, [("Boormachine", "Klopboor met set boren."),
                                        ("Decoupeerzaag", "Met drie zaagbladen."),
                                        ("Schuurmachine", "Vlakschuurmachine met papier.")]),
         "Tuin": (14, [("Heggenschaar", "Elektrisch, met verlengsnoer."),
                       ("Grasmaaier", "Handmaaier, geen stroom nodig.")]),
         "Klussen": (7, [("Ladder", "Aluminium, drie delen."),
                         ("Steiger", "Rolsteiger tot 4 meter.")])},
    ),
    "lucas-community": (
        ("Afspraken over de fietsen en de bus staan op papier bij de balie.",
         "Agreements about the bikes and the van are on paper at the counter."),
        {"Vervoer": (2, [("Bakfiets", "Voor boodschappen en verhuizen."),
                         ("Elektrische fiets", "Voor ritten naar het ziekenhuis.")]),
         "Computers": (14, [("Laptop", "Met tekstverwerker en internet.")])},
    ),
}


def _add_demo_tools(initiatives):
    from .toolshed.models import Category, LendingRules, Tool
    from .toolshed.services import new_code

    for slug, ((rules_nl, rules_en), categories) in DEMO_TOOLS.items():
        initiative = initiatives[slug]
        if Category.select().where(Category.initiative == initiative).exists():
            continue
        LendingRules.create(initiative=initiative, version=1, text_nl=rules_nl, text_en=rules_en)
        for name, (days, tools) in categories.items():
            category = Category.create(initiative=initiative, name=name, loan_days=days)
            for tool, description in tools:
                Tool.create(initiative=initiative, category=category, code=new_code(),
                            name=tool, description=description)


def _add_demo_people(initiatives):
    """The demo accounts that are missing. One hash serves them all: hashing is slow."""
    demo_hash = None
    for email, name, admin, memberships in DEMO_PEOPLE:
        if Person.get_or_none(Person.email == email):
            continue
        demo_hash = demo_hash or hash_password(DEMO_PASSWORD)
        person = Person.create(email=email, display_name=name, is_admin=admin,
                               password_hash=demo_hash)
        for slug, role in memberships:
            Membership.create(person=person, initiative=initiatives[slug], role=role)


def next_occurrence(today, month, day):
    """The first date on or after today that falls on this month and day (29 February waits
    for the next leap year)."""
    year = today.year
    while True:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year += 1


def _at(day, clock):
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes))


def _add_partner(item, initiative):
    Partner.create(initiative=initiative, name=item["name"], kind=item["kind"],
                   text_nl=item["nl"], text_en=item["en"])


def init_app(app):
    """Register the commands with `flask --app app …`."""

    @app.cli.command("init-db")
    def init_db_command():
        """Create the tables that are missing."""
        db.create_tables()
        click.echo("Tables ready.")

    @app.cli.command("load-demo")
    def load_demo_command():
        """Create the tables if needed and add the demo data that is missing."""
        db.create_tables()
        with db.db.connection_context():
            initiatives, events = load_demo()
        click.echo(f"Demo data: {initiatives} co-operatives and {events} events added.")

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                  help="The administrator's password (asked for when not given).")
    @click.option("--name", default="Beheer", help="The name shown for the administrator.")
    def create_admin_command(email, password, name):
        """Make a network administrator, or make an existing account one."""
        db.create_tables()
        with db.db.connection_context():
            try:
                email = clean_email(email, required=True)
                check_password(password, personal=(email, name))
            except AccountError as error:
                raise click.ClickException(error.message) from None
            with db.db.atomic():
                person = Person.get_or_none(Person.email == email)
                if person is None:
                    Person.create(email=email, display_name=name, is_admin=True,
                                  password_hash=hash_password(password))
                    click.echo(f"Administrator {email} created.")
                else:
                    person.is_admin = True
                    person.password_hash = hash_password(password)
                    person.save()
                    click.echo(f"{email} is now an administrator, with the new password.")

    @app.cli.command("housekeeping")
    def housekeeping_command():
        """The daily round: forgotten check-outs, expired pickups, and data past its time."""
        from .accounts.services import forget_old_failures
        from .accounts.sessions import forget_old_sessions
        from .events.models import Signup
        from .sync import forget_old_records
        from .toolshed.services import expire_holds
        from .volunteering.services import close_forgotten

        with db.db.connection_context(), db.db.atomic():
            shifts = len(close_forgotten(local_now()))
            holds = len(expire_holds())
            records = forget_old_records()
            failures = forget_old_failures()
            logins = forget_old_sessions()
            # Contact details of sign-ups go a month after their event (the privacy page says so).
            ended = Event.select(Event.id).where(
                Event.ends_at < local_now() - dt.timedelta(days=CONTACT_DAYS))
            contacts = (Signup.update(contact="")
                        .where((Signup.event.in_(ended)) & (Signup.contact != "")).execute())
        click.echo(f"Closed {shifts} forgotten shifts, expired {holds} pickups, removed "
                   f"{records} old sync records, {failures} old failed logins, {logins} ended "
                   f"sessions and {contacts} old contact details.")

    @app.cli.command("build-assets")
    def build_assets_command():
        """Build the CSS and JavaScript bundles."""
        from . import assets

        for name, url in assets.build(app).items():
            click.echo(f"{name}: {url}")
