"""The schema changes of volunteering since the first release."""
from ..core.migrations import Migration


def _drop_planned_shifts(schema):
    # Planned shifts were made in the first release and never used.
    schema.drop_column("shift", "planned_id")
    schema.drop_table("shiftsignup")
    schema.drop_table("plannedshift")


def _times_in_utc(schema):
    schema.to_utc("shift", ["checkin_at", "checkout_at"])
    schema.to_utc("pinrefusal", ["at", "arrived_at"])


MIGRATIONS = (
    Migration(1, "drop the planned shifts that were never used", _drop_planned_shifts),
    Migration(2, "times of shifts in UTC", _times_in_utc),
)
