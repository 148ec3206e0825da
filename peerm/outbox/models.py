"""The idempotency records: one row per action applied (or refused for good), by the id the
phone gave it, with a hash of its body and its result. Kept 180 days, longer than any phone
stays offline."""
from peewee import CharField, DateTimeField, DeferredForeignKey, TextField

from ..core import clock
from ..core.db import BaseModel


class SyncRecord(BaseModel):
    """One action applied (or refused for good), by the id the phone gave it."""
    action_id = CharField(max_length=36, unique=True)
    type = CharField(max_length=40)
    body_hash = CharField(max_length=64)
    status = CharField(max_length=12)
    outcome = CharField(max_length=30, default="")
    message = TextField(default="")
    ref = CharField(max_length=80, default="")
    # Who sent it (the accounts part's Person, named here without importing it).
    person = DeferredForeignKey("Person", null=True, on_delete="SET NULL")
    at = DateTimeField()
    created_at = DateTimeField(default=clock.now, index=True)
