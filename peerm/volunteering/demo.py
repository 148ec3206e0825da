"""Volunteering's demo data: working groups, and how their co-operatives pay volunteers."""
from ..initiatives.demo import by_slug
from .models import AllowanceSetting, WorkingGroup

# co-operative → ([(group nl, en, description nl, en)], allowance settings).
DEMO_GROUPS = {
    "lucas-community": ([("Ziekenhuisritten", "Hospital rides",
                          "Buurtbewoners naar het ziekenhuis brengen.",
                          "Taking neighbours to the hospital."),
                         ("Samen koken", "Cooking together", "Koken en eten met de buurt.",
                          "Cooking and eating with the neighbourhood.")],
                        {"mode": "hourly", "hourly_cents": 450}),
    "duurzaam-soesterkwartier": ([("Zon op School", "Sun on Schools",
                                   "Zonnepanelen op scholen in de wijk.",
                                   "Solar panels on the schools of the district."),
                                  ("Werkplaats", "Workshop", "Klussen en onderhoud in de buurt.",
                                   "Repairs and upkeep in the neighbourhood.")],
                                 {"mode": "monthly", "monthly_cents": 15000}),
    "talent-in-actie": ([("Gereedschapsbalie", "Tool counter",
                          "Gereedschap uitlenen en terugnemen.",
                          "Lending tools and taking them back.")],
                        {"mode": "none"}),
    "weggeefwinkel-amersfoort": ([("Winkeldiensten", "Shop shifts",
                                   "Spullen aannemen en uitgeven.",
                                   "Taking in things and giving them out.")],
                                 {"mode": "none"}),
}


def load():
    """Add the groups of the co-operatives that have none yet."""
    initiatives = by_slug()
    added = 0
    for slug, (groups, setting) in DEMO_GROUPS.items():
        initiative = initiatives[slug]
        if WorkingGroup.select().where(WorkingGroup.initiative == initiative).exists():
            continue
        for name, name_en, description, description_en in groups:
            WorkingGroup.create(initiative=initiative, name=name, name_en=name_en,
                                description=description, description_en=description_en)
            added += 1
        if AllowanceSetting.get_or_none(AllowanceSetting.initiative == initiative) is None:
            AllowanceSetting.create(initiative=initiative, **setting)
    return {"working groups": added}
