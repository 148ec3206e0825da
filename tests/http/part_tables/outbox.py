"""The outbox's routes."""
from . import EVERYONE

FRAGMENTS = {"outbox.saved"}
MATRIX = {"sync.sync": (EVERYONE, None)}
