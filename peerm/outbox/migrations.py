"""The schema changes of the outbox since the first release."""
from ..core.migrations import Migration


def _times_in_utc(schema):
    schema.to_utc("syncrecord", ["at"])


MIGRATIONS = (
    Migration(1, "the phone's time of each action in UTC", _times_in_utc),
)
