"""The schema changes of events since the first release."""
from ..core.migrations import Migration


def _times_in_utc(schema):
    schema.to_utc("event", ["starts_at", "ends_at"])
    schema.to_utc("signup", ["created_at", "promoted_at", "cancelled_at", "attended_at"])


MIGRATIONS = (
    Migration(1, "times of events and sign-ups in UTC", _times_in_utc),
)
