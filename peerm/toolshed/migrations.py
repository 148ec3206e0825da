"""The schema changes of the tool library since the first release."""
from ..core.migrations import Migration
from .models import Category, Tool


def _drop_tool_photo(schema):
    # A tool's photo was a column in the first release that nothing filled or showed.
    schema.drop_column("tool", "photo")


def _times_in_utc(schema):
    schema.to_utc("loan", ["lent_at", "returned_at"])


def _drop_hold_seen(schema):
    # Whether a ready hold was seen was written by a page view and read by nothing.
    schema.drop_column("hold", "seen")


def _english_names(schema):
    # Tools and their categories in both languages: English where a coordinator writes it.
    schema.add_column(Category, "name_en")
    schema.add_column(Tool, "name_en")
    schema.add_column(Tool, "description_en")


MIGRATIONS = (
    Migration(1, "drop the tool photo that was never used", _drop_tool_photo),
    Migration(2, "times of loans in UTC", _times_in_utc),
    Migration(3, "drop whether a ready hold was seen", _drop_hold_seen),
    Migration(4, "tools and categories in English too", _english_names),
)
