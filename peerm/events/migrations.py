"""The schema changes of events since the first release."""
from ..core.migrations import Migration


def _times_in_utc(schema):
    schema.to_utc("event", ["starts_at", "ends_at"])
    schema.to_utc("signup", ["created_at", "promoted_at", "cancelled_at", "attended_at"])


def _drop_promotion_seen(schema):
    # Whether a promotion was seen was written by a page view; the page now tells it for a week.
    schema.drop_column("signup", "promotion_seen")


def _written_by_coordinators(schema):
    from .models import Event

    for name in ("signup_open", "series", "cancelled_at"):
        schema.add_column(Event, name)


MIGRATIONS = (
    Migration(1, "times of events and sign-ups in UTC", _times_in_utc),
    Migration(2, "drop whether a promotion was seen", _drop_promotion_seen),
    Migration(3, "events written by coordinators: sign-up open, series, cancelled",
              _written_by_coordinators),
)
