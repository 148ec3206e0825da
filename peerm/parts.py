"""The parts of Peer'M, in the order their tables are made (referenced tables first) and
their demo data is loaded. Adding a part is one folder with a `part.py` and one line here."""
import importlib

from peewee import DeferredForeignKey

PART_NAMES = [
    "initiatives",
    "accounts",
    "events",
    "needs",
    "volunteering",
    "toolshed",
    "decisions",
    "giveaway",
    "library",
    "outbox",
    "pwa",
    "home",
]


def load():
    """Every part's `PART`, in order."""
    parts = [importlib.import_module(f"{__package__}.{name}.part").PART for name in PART_NAMES]
    # A table may name a table of a part it does not import (the outbox's records name the
    # person who sent them): such references are settled once every part is loaded.
    for part in parts:
        for model in part.models:
            DeferredForeignKey.resolve(model)
    return parts


def all_models(parts=None):
    """Every table of the parts (all of them when not given), in order."""
    return [model for part in (parts or load()) for model in part.models]
