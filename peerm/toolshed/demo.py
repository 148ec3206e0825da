"""The tool library's demo data: two co-operatives' catalogues and lending rules."""
from ..initiatives.demo import by_slug
from .models import Category, LendingRules, Tool
from .services import new_code

# co-operative → ((rules nl, rules en),
#                 {(category nl, en): (loan days, [(tool nl, en, description nl, en)])}).
DEMO_TOOLS = {
    "talent-in-actie": (
        ("Breng gereedschap schoon en op tijd terug. Iets kapot? Zeg het bij de balie: je "
         "betaalt nooit een boete.",
         "Bring tools back clean and on time. Something broke? Tell the counter: you never "
         "pay a fine."),
        {("Elektrisch gereedschap", "Power tools"): (7, [
            ("Boormachine", "Drill", "Klopboor met set boren.",
             "Hammer drill with a set of bits."),
            ("Decoupeerzaag", "Jigsaw", "Met drie zaagbladen.", "With three blades."),
            ("Schuurmachine", "Sander", "Vlakschuurmachine met papier.",
             "Orbital sander with sandpaper.")]),
         ("Tuin", "Garden"): (14, [
             ("Heggenschaar", "Hedge trimmer", "Elektrisch, met verlengsnoer.",
              "Electric, with an extension cord."),
             ("Grasmaaier", "Lawn mower", "Handmaaier, geen stroom nodig.",
              "Push mower, no power needed.")]),
         ("Klussen", "Odd jobs"): (7, [
             ("Ladder", "Ladder", "Aluminium, drie delen.", "Aluminium, three sections."),
             ("Steiger", "Scaffold", "Rolsteiger tot 4 meter.",
              "Mobile scaffold up to 4 metres.")])},
    ),
    "lucas-community": (
        ("Afspraken over de fietsen en de bus staan op papier bij de balie.",
         "Agreements about the bikes and the van are on paper at the counter."),
        {("Vervoer", "Transport"): (2, [
            ("Bakfiets", "Cargo bike", "Voor boodschappen en verhuizen.",
             "For shopping and moving house."),
            ("Elektrische fiets", "E-bike", "Voor ritten naar het ziekenhuis.",
             "For rides to the hospital.")]),
         ("Computers", "Computers"): (14, [
             ("Laptop", "Laptop", "Met tekstverwerker en internet.",
              "With a word processor and internet.")])},
    ),
}


def load():
    """Add the catalogues of the co-operatives that have none yet."""
    initiatives = by_slug()
    added = 0
    for slug, ((rules_nl, rules_en), categories) in DEMO_TOOLS.items():
        initiative = initiatives[slug]
        if Category.select().where(Category.initiative == initiative).exists():
            continue
        LendingRules.create(initiative=initiative, version=1, text_nl=rules_nl, text_en=rules_en)
        for (name, name_en), (days, tools) in categories.items():
            category = Category.create(initiative=initiative, name=name, name_en=name_en,
                                       loan_days=days)
            for tool, tool_en, description, description_en in tools:
                Tool.create(initiative=initiative, category=category, code=new_code(),
                            name=tool, name_en=tool_en, description=description,
                            description_en=description_en)
                added += 1
    return {"tools": added}
