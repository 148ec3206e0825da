"""The schema changes of the directory since the first release."""
from ..core.migrations import Migration
from .models import Initiative

CONTACT_COLUMNS = ("address", "opening_hours_nl", "opening_hours_en", "phone", "whatsapp",
                   "email", "website", "giving_nl", "giving_en")


def _how_to_reach(schema):
    # Coordinators now edit their own page: how to reach them, and how to give money.
    for name in CONTACT_COLUMNS:
        schema.add_column(Initiative, name)


MIGRATIONS = (
    Migration(1, "how to reach a co-operative and how to give", _how_to_reach),
)
