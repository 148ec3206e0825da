"""The outbox protocol: one function, `apply`, that applies an action exactly once.

A phone that was offline sends the actions it queued, in the order they were made; an online
form sends the action it stands for. Each is applied in its own transaction, which also
writes the action's idempotency record (its id, a hash of its body and its result): the same
id again returns the stored result and changes nothing, the same id with another body is
rejected. The handlers come from the parts (`Part.actions`): a handler takes the action's
data, its time, the person and the action's id, and returns a `Result`; it knows nothing of
the web.
"""
import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import asdict, dataclass, field

from flask_babel import gettext as _
from peewee import IntegrityError

from ..core import clock
from ..core.db import db, is_sqlite, write_transaction
from ..core.errors import DomainError
from ..core.validation import digits
from .models import SyncRecord

log = logging.getLogger(__name__)

# The limits of one batch, and of one action in it (its data as UTF-8 JSON): an action over
# its limit is refused on its own (`too_large`), so that the actions behind it still go through.
# The worker sizes its batches by the same numbers (see `pwa.worker_source`).
MAX_ACTIONS = 200
MAX_BATCH_BYTES = 1024 * 1024
MAX_ACTION_BYTES = 512 * 1024
# How far the phone's clock may be ahead, and how old a queued action may be.
MAX_CLOCK_AHEAD = dt.timedelta(minutes=5)
MAX_AGE = dt.timedelta(days=30)
# Idempotency records outlive any phone's time offline.
KEEP_RECORDS = dt.timedelta(days=180)
# The longest digit string the body hash reads as a number (as the first release did).
HASH_DIGITS = 15


@dataclass
class Result:
    """What became of an action, as the phone and the page are told."""
    status: str
    outcome: str = ""
    message: str = ""
    ref: str = ""
    id: str = ""
    # The action's type, for the page that shows the result; not part of the sync answer.
    type: str = field(default="", compare=False)

    def as_json(self):
        return {key: value for key, value in asdict(self).items() if key != "type"}


class ActionRejected(DomainError):
    """An action that can never be applied as it is (its `message` says why)."""


class NeedsLogin(Exception):
    """The action needs a logged-in person; it waits on the phone until they log in."""


class NotYet(DomainError):
    """The action cannot be applied now, but may be later (a PIN locked for a while): nothing
    is recorded, and the answer is `unauthorized`, so that the phone keeps the action and sends
    it again, as it does while waiting for a login."""


@dataclass(frozen=True)
class Handler:
    """How a part applies one type of action: `apply(data, at, person, action_id=…) -> Result`."""
    apply: object
    # The action needs a logged-in person (else it waits on the phone).
    needs_person: bool = False
    # Work before the action's transaction (a PIN check: slow, and counted for good):
    # `fn(data, at, person, action_id=…) -> dict` of keyword arguments for `apply`; raises as
    # `apply` does.
    before: object = None


class Actions(dict):
    """A part's action types and their handlers, filled by `@ACTIONS.handles(type)`, and
    what each type is called for people (`words`: type → a lazy message), which the outbox
    page and the "saved on this phone" answer show instead of the type's code name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.words = {}

    def describe(self, words):
        """Name this part's action types for people: {type: lazy message}."""
        self.words.update(words)

    def handles(self, action_type, needs_person=False, before=None):
        """Make the function the handler of an action type."""
        def register(fn):
            self[action_type] = Handler(fn, needs_person, before)
            return fn
        return register


# Every action type the app knows, filled from the parts when the app is made.
HANDLERS: dict[str, Handler] = {}


def register(handlers):
    """Add the parts' handlers to the table (the same handler again changes nothing)."""
    for action_type, handler in handlers.items():
        known = HANDLERS.get(action_type)
        if known is not None and known != handler:
            raise ValueError(f"two parts handle {action_type!r}")
        HANDLERS[action_type] = handler


def body_hash(action_type, data):
    """What makes two sends the same action: its type and data. The phone's time is left out,
    so that a form sent again a moment later (a double tap, a reload) is the same action."""
    canonical = json.dumps({"type": action_type, "data": _normal(data)}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _normal(data):
    """The data as a form and a phone may both send it: empty values left out, whole numbers
    as numbers ("12" and 12 are the same; "١٢" is text, not a number)."""
    normal = {}
    for key, value in data.items():
        if value in ("", None):
            continue
        if digits(value, HASH_DIGITS):
            value = int(value)
        normal[key] = value
    return normal


def parse_at(raw, now=None):
    """The phone's time of an action, as a stored moment (UTC); refused when impossible."""
    now = now or clock.now().replace(tzinfo=dt.timezone.utc)
    try:
        at = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise ActionRejected(_("The time of this action cannot be read."), "at_invalid") from None
    if at.tzinfo is None:
        raise ActionRejected(_("The time of this action has no time zone."), "at_invalid")
    if at - now > MAX_CLOCK_AHEAD:
        raise ActionRejected(_("The clock of this phone is ahead. Set the right time and try "
                               "again."), "at_future")
    if now - at > MAX_AGE:
        raise ActionRejected(_("This action is more than 30 days old and can no longer be "
                               "sent."), "at_too_old")
    return clock.from_aware(at)


def check_shape(raw):
    """The action's id, type, time and data, or an error naming what is missing."""
    if not isinstance(raw, dict):
        raise ActionRejected(_("This action is not readable."), "malformed")
    action_id = raw.get("id")
    try:
        if not isinstance(action_id, str) or str(uuid.UUID(action_id)) != action_id.lower():
            raise ValueError
    except ValueError:
        raise ActionRejected(_("This action has no valid id."), "id_invalid") from None
    try:
        size = len(json.dumps(raw.get("data"), ensure_ascii=False).encode("utf-8"))
    except (UnicodeEncodeError, TypeError, ValueError, RecursionError):
        raise ActionRejected(_("This action is not readable."), "malformed") from None
    if size > MAX_ACTION_BYTES:
        raise ActionRejected(_("This is too large to send (at most %(kb)d KB).",
                               kb=MAX_ACTION_BYTES // 1024), "too_large")
    if _holds_nul(raw):
        # SQLite would store it and PostgreSQL refuse it: neither, the same way on both.
        raise ActionRejected(_("This action holds a character that cannot be saved."),
                             "text_invalid")
    for key, kind in (("type", str), ("at", str), ("data", dict)):
        if not isinstance(raw.get(key), kind):
            raise ActionRejected(_("This action misses its \"%(key)s\".", key=key),
                                 f"{key}_missing")
    return action_id.lower(), raw["type"], raw["at"], raw["data"]


def _holds_nul(value):
    """Whether a NUL character is in any text of the action, keys included (walked without
    recursion: the nesting is as deep as the phone made it)."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def apply(raw, person=None, now=None):
    """Apply one action exactly once and return its result; never raises for bad input.

    The result carries the id exactly as the phone sent it, so the phone finds its action.
    """
    result = _apply(raw, person, now)
    if isinstance(raw, dict):
        if isinstance(raw.get("id"), str):
            result.id = raw["id"][:36]
        if isinstance(raw.get("type"), str):
            result.type = raw["type"][:40]
    return result


def apply_batch(actions, person=None, now=None):
    """Apply a phone's queued actions in the order it made them; one result each, never an
    exception.

    Each action is applied or refused on its own, with its idempotency record. On SQLite the
    whole batch is one transaction, with a savepoint per action: a commit costs a write to
    disk, and one commit for the batch makes a flush several times faster; the phone gets its
    answer only after that commit. On PostgreSQL, where writers do not wait for one lock on
    the whole database, each action keeps its own transaction, so that the row locks of a
    batch are never held together (two phones' batches could then wait for each other).
    """
    if not is_sqlite():
        return [_apply_guarded(raw, person, now) for raw in actions]
    with write_transaction():
        return [_apply_guarded(raw, person, now, savepoint=True) for raw in actions]


def _apply_guarded(raw, person, now, savepoint=False):
    """One action of a batch: its fault must never block the others behind it (inside a
    batch's transaction, its savepoint takes back whatever it had written)."""
    try:
        if not savepoint:
            return apply(raw, person, now)
        with db.atomic():
            return apply(raw, person, now)
    except Exception:
        log.exception("action could not be applied")
        ident = raw.get("id", "") if isinstance(raw, dict) else ""
        return Result("rejected", "server_error",
                      _("This could not be processed. Nothing was changed."), "",
                      str(ident)[:36])


def _waits_for_login(action_id):
    return Result("unauthorized", "login_needed",
                  _("Log in again to send this. It stays on your phone until then."),
                  "", action_id)


def _apply(raw, person, now):
    try:
        action_id, action_type, at_raw, data = check_shape(raw)
    except ActionRejected as error:
        ident = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""
        return Result("rejected", error.code, error.message, "", ident[:36])
    digest = body_hash(action_type, data)
    stored = SyncRecord.get_or_none(SyncRecord.action_id == action_id)
    if stored is not None:
        return _repeat(stored, digest)
    owner = raw.get("person")
    if owner not in (None, "") and (person is None or str(person.id) != str(owner)):
        # Made by someone else on this phone: it waits until they log in again.
        return _waits_for_login(action_id)
    handler = HANDLERS.get(action_type)
    if handler is None:
        return Result("rejected", "unknown_type",
                      _("This app does not know the action \"%(type)s\".", type=action_type[:40]),
                      "", action_id)
    if handler.needs_person and person is None:
        return _waits_for_login(action_id)
    try:
        at = parse_at(at_raw, now)
        prepared = handler.before(data, at, person, action_id=action_id) if handler.before else {}
        with write_transaction():
            result = handler.apply(data, at, person, action_id=action_id, **prepared)
            _record(action_id, action_type, digest, result, person, at)
    except NeedsLogin:
        return _waits_for_login(action_id)
    except NotYet as error:
        return Result("unauthorized", error.code, error.message, "", action_id)
    except DomainError as error:
        result = Result("rejected", error.code, error.message, "", action_id)
        if error.code == "at_future":
            # Not for good: once the real time catches up with the phone, it can be applied.
            return result
        try:
            with db.atomic():
                error.keep_facts()
                _record(action_id, action_type, digest, result, person, clock.now())
        except IntegrityError:
            return _repeat(SyncRecord.get(SyncRecord.action_id == action_id), digest)
    except IntegrityError:
        # The same action, sent at the same moment by another tab or phone, won the race.
        stored = SyncRecord.get_or_none(SyncRecord.action_id == action_id)
        if stored is None:
            raise
        return _repeat(stored, digest)
    result.id = action_id
    return result


def _repeat(stored, digest):
    if stored.body_hash != digest:
        return Result("rejected", "id_reused",
                      _("This action id was already used for another action."), "",
                      stored.action_id)
    status = "rejected" if stored.status == "rejected" else "duplicate"
    return Result(status, stored.outcome, stored.message, stored.ref, stored.action_id)


def _record(action_id, action_type, digest, result, person, at):
    SyncRecord.create(action_id=action_id, type=action_type, body_hash=digest,
                      status=result.status, outcome=result.outcome, message=result.message,
                      ref=result.ref, person=person, at=at)


def stored_ref(action_id):
    """What an earlier action produced (a sign-up code, a shift), by the phone's action id."""
    record = SyncRecord.get_or_none(SyncRecord.action_id == str(action_id).lower())
    return record.ref if record and record.status in ("applied", "conflict") else None


def forget_old_records(now):
    """Remove idempotency records older than 180 days; returns how many."""
    return SyncRecord.delete().where(SyncRecord.created_at < now - KEEP_RECORDS).execute()


def erase_person(person, needles):
    """What erasing a person means for the idempotency records: they stay (a phone may still
    send the same action again), but no message names the person any more."""
    from ..core.validation import without

    SyncRecord.update(message="").where(SyncRecord.person == person).execute()
    for needle in needles:
        for record in SyncRecord.select().where(SyncRecord.message.contains(needle)):
            record.message = without(record.message, needles)
            record.save()
    return []
