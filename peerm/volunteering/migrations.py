"""The schema changes of volunteering since the first release."""
from ..core.migrations import Migration
from .models import WorkingGroup


def _drop_planned_shifts(schema):
    # Planned shifts were made in the first release and never used.
    schema.drop_column("shift", "planned_id")
    schema.drop_table("shiftsignup")
    schema.drop_table("plannedshift")


def _times_in_utc(schema):
    schema.to_utc("shift", ["checkin_at", "checkout_at"])
    schema.to_utc("pinrefusal", ["at", "arrived_at"])


def _english_names(schema):
    # Working groups in both languages: English where a coordinator writes it.
    schema.add_column(WorkingGroup, "name_en")
    schema.add_column(WorkingGroup, "description_en")


MIGRATIONS = (
    Migration(1, "drop the planned shifts that were never used", _drop_planned_shifts),
    Migration(2, "times of shifts in UTC", _times_in_utc),
    Migration(3, "working groups in English too", _english_names),
)
