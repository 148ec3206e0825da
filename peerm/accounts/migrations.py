"""The schema changes of accounts. The first release's `person` table gets the skills a
member may list on her account ("someone knows someone"): empty for everyone until they
choose to fill it in."""
from ..core.migrations import Migration
from .models import Person


def _skills(schema):
    schema.add_column(Person, "skills")


MIGRATIONS = (
    Migration(1, "skills a member lists on her account", _skills),
)
