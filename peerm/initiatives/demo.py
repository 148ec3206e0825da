"""The directory's demo data: the twelve co-operatives, their partners, and the network's
sponsors, added where they are missing."""
from .models import Initiative, Partner
from .seed import INITIATIVES, SPONSORS


def load():
    """Add the co-operatives and sponsors that are missing; returns how many were added."""
    added = 0
    for position, item in enumerate(INITIATIVES, start=1):
        if Initiative.get_or_none(Initiative.slug == item["slug"]):
            continue
        initiative = Initiative.create(
            position=position,
            **{key: item[key] for key in (
                "slug", "name", "city", "legal_form", "summary_nl", "summary_en",
                "description_nl", "description_en")},
        )
        for partner in item["partners"]:
            _add_partner(partner, initiative)
        added += 1
    if not Partner.sponsors().exists():
        for sponsor in SPONSORS:
            _add_partner(sponsor, None)
    return {"co-operatives": added}


def by_slug():
    """The co-operatives by their slug, for the other parts' demo data."""
    return {initiative.slug: initiative for initiative in Initiative.select()}


def _add_partner(item, initiative):
    Partner.create(initiative=initiative, name=item["name"], kind=item["kind"],
                   text_nl=item["nl"], text_en=item["en"])
