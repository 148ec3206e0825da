"""The schema changes of needs. The first release kept a co-operative's needs as plain lines
in the directory (table `need`: kind and text); the needs part keeps that table and its rows,
and adds what a need on the board has: quantity, dates, status, visibility. The rows of the
first release become open needs for the whole network, without a date."""
from ..core.migrations import Migration
from .models import Need, Pledge

BOARD_COLUMNS = ("quantity", "unit_nl", "unit_en", "needed_by", "list_until", "status",
                 "visibility", "created_at", "closed_at")


def _needs_on_the_board(schema):
    for name in BOARD_COLUMNS:
        schema.add_column(Need, name)


def _thanks(schema):
    for name in ("thanked_at", "thanks"):
        schema.add_column(Pledge, name)


MIGRATIONS = (
    Migration(1, "needs on the board: quantity, dates, status, visibility", _needs_on_the_board),
    Migration(2, "a coordinator thanks the person who answered", _thanks),
)
