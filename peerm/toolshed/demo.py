"""The tool library's demo data: two co-operatives' catalogues and lending rules."""
from ..initiatives.demo import by_slug
from .models import Category, LendingRules, Tool
from .services import new_code

# co-operative → (rules, {category: (loan days, [(tool, description)])}).
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


def load():
    """Add the catalogues of the co-operatives that have none yet."""
    initiatives = by_slug()
    added = 0
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
                added += 1
    return {"tools": added}
