"""The directory's routes, and a co-operative's own page for its coordinators."""
from peerm.initiatives.models import Partner

from . import COORDINATORS


def _partner(world):
    return {"slug": world["slug"], "partner_id": world["partner_id"]}


ROUTE_ARGUMENTS = {
    "initiatives.detail": lambda world: {"slug": world["slug"]},
    "initiatives.edit": lambda world: {"slug": world["slug"]},
    "initiatives.edit_partner": _partner,
    "initiatives.remove_partner": _partner,
}
LOGGED_IN_ONLY = {"initiatives.edit", "initiatives.edit_partner", "initiatives.remove_partner"}
PAGE = {"legal_form": "cooperative", "summary_nl": "Een zorgcoöperatie van buren.",
        "description_nl": "Buren helpen buren.", "phone": "020 1234567",
        "whatsapp": "06 12345678", "email": "info@lucas.example", "website": "https://lucas.example"}
PARTNER = {"name": "Buurthuis De Meeuw", "kind": "civil_society",
           "text_nl": "We koken er samen."}
MATRIX = {
    "initiatives.edit": (COORDINATORS, PAGE),
    "initiatives.add_partner": (COORDINATORS, PARTNER),
    "initiatives.edit_partner": (COORDINATORS, PARTNER),
    "initiatives.remove_partner": (COORDINATORS, {}),
}


def _a_partner(initiative):
    return (Partner.select().where(Partner.initiative == initiative).first()
            or Partner.create(initiative=initiative, name="Gemeente", kind="municipality",
                              text_nl="Subsidie voor de buurtkamer.", text_en=""))


def walk_world(base):
    return {"partner_id": _a_partner(base["initiative"]).id}


def permission_world(person, lucas, now):
    return {"partner_id": _a_partner(lucas).id}, {}
