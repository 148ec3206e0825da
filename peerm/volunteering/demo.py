"""Volunteering's demo data: working groups, and how their co-operatives pay volunteers."""
from ..initiatives.demo import by_slug
from .models import AllowanceSetting, WorkingGroup

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


def load():
    """Add the groups of the co-operatives that have none yet."""
    initiatives = by_slug()
    added = 0
    for slug, (groups, setting) in DEMO_GROUPS.items():
        initiative = initiatives[slug]
        if WorkingGroup.select().where(WorkingGroup.initiative == initiative).exists():
            continue
        for name, description in groups:
            WorkingGroup.create(initiative=initiative, name=name, description=description)
            added += 1
        if AllowanceSetting.get_or_none(AllowanceSetting.initiative == initiative) is None:
            AllowanceSetting.create(initiative=initiative, **setting)
    return {"working groups": added}
