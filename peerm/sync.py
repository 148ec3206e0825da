"""The outbox protocol, server side: `POST /sync` and the one function that applies an action.

A phone that was offline sends the actions it queued, in the order they were made. Each is
applied in its own transaction, which also writes the action's idempotency record (its id, a
hash of its body and its result): the same id again returns the stored result and changes
nothing, the same id with another body is rejected. Online forms go through `apply` too, so
there is one way to sign up, whether online or replayed.
"""
import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import asdict, dataclass

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from peewee import CharField, DateTimeField, ForeignKeyField, IntegrityError, TextField

from .accounts.models import Person, utcnow
from .accounts.session import current_person
from .db import BaseModel, db, write_transaction
from .validation import DomainError, digits

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


class SyncRecord(BaseModel):
    """One action applied (or refused for good), by the id the phone gave it."""
    action_id = CharField(max_length=36, unique=True)
    type = CharField(max_length=40)
    body_hash = CharField(max_length=64)
    status = CharField(max_length=12)
    outcome = CharField(max_length=30, default="")
    message = TextField(default="")
    ref = CharField(max_length=80, default="")
    person = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    at = DateTimeField()
    created_at = DateTimeField(default=utcnow, index=True)

    def result(self, status=None):
        return Result(status or self.status, self.outcome, self.message, self.ref,
                      self.action_id)


@dataclass
class Result:
    status: str
    outcome: str = ""
    message: str = ""
    ref: str = ""
    id: str = ""

    def as_json(self):
        return {key: value for key, value in asdict(self).items()}


class ActionRejected(DomainError):
    """An action that can never be applied as it is (its `message` says why)."""


class NeedsLogin(Exception):
    """The action needs a logged-in person; it waits on the phone until they log in."""


class NotYet(DomainError):
    """The action cannot be applied now, but may be later (a PIN locked for a while): nothing
    is recorded, and the answer is `unauthorized`, so that the phone keeps the action and sends
    it again, as it does while waiting for a login."""


@dataclass
class Handler:
    apply: object
    # Only checks, no writes: used to refuse before anything is stored.
    needs_person: bool = False
    # Work before the action's transaction (a PIN check: slow, and counted for good):
    # `fn(data, at, person, action_id=…) -> dict` of keyword arguments for `apply`; raises as
    # `apply` does.
    before: object = None


HANDLERS: dict[str, Handler] = {}


def action(type_name, needs_person=False, before=None):
    """Register the function that applies an action type:
    `fn(data, at, person, action_id=…) -> Result`."""
    def register(fn):
        HANDLERS[type_name] = Handler(fn, needs_person, before)
        return fn
    return register


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
    """The phone's time of an action, as Dutch wall-clock time; refused when impossible."""
    now = now or dt.datetime.now(dt.timezone.utc)
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
    from .events.models import NETWORK_TZ

    return at.astimezone(NETWORK_TZ).replace(tzinfo=None)


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
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        result.id = raw["id"][:36]
    return result


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
        return Result("unauthorized", "login_needed",
                      _("Log in again to send this. It stays on your phone until then."),
                      "", action_id)
    handler = HANDLERS.get(action_type)
    if handler is None:
        return Result("rejected", "unknown_type",
                      _("This app does not know the action \"%(type)s\".", type=action_type[:40]),
                      "", action_id)
    if handler.needs_person and person is None:
        return Result("unauthorized", "login_needed",
                      _("Log in again to send this. It stays on your phone until then."),
                      "", action_id)
    try:
        at = parse_at(at_raw, now)
        prepared = handler.before(data, at, person, action_id=action_id) if handler.before else {}
        with write_transaction():
            result = handler.apply(data, at, person, action_id=action_id, **prepared)
            _record(action_id, action_type, digest, result, person, at)
    except NeedsLogin:
        return Result("unauthorized", "login_needed",
                      _("Log in again to send this. It stays on your phone until then."),
                      "", action_id)
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
                _record(action_id, action_type, digest, result, person, _local_now())
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


def _local_now():
    from .events.models import local_now

    return local_now()


def _repeat(stored, digest):
    if stored.body_hash != digest:
        return Result("rejected", "id_reused",
                      _("This action id was already used for another action."), "",
                      stored.action_id)
    status = "rejected" if stored.status == "rejected" else "duplicate"
    return stored.result(status)


def _record(action_id, action_type, digest, result, person, at):
    SyncRecord.create(action_id=action_id, type=action_type, body_hash=digest,
                      status=result.status, outcome=result.outcome, message=result.message,
                      ref=result.ref, person=person, at=at)


def stored_ref(action_id):
    """What an earlier action produced (a sign-up code, a shift), by the phone's action id."""
    record = SyncRecord.get_or_none(SyncRecord.action_id == str(action_id).lower())
    return record.ref if record and record.status in ("applied", "conflict") else None


def forget_old_records(now=None):
    """Remove idempotency records older than 180 days; returns how many."""
    now = now or utcnow()
    return SyncRecord.delete().where(SyncRecord.created_at < now - KEEP_RECORDS).execute()


def erase_person(person, needles):
    """What erasing a person means for the idempotency records: they stay (a phone may still
    send the same action again), but no message names the person any more."""
    from .validation import without

    SyncRecord.update(message="").where(SyncRecord.person == person).execute()
    for needle in needles:
        for record in SyncRecord.select().where(SyncRecord.message.contains(needle)):
            record.message = without(record.message, needles)
            record.save()


bp = Blueprint("sync", __name__)


def _same_origin():
    """Whether the request comes from this site's own pages (or its worker)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin and origin != request.host_url.rstrip("/"):
        return False
    return True


@bp.post("/sync")
def sync():
    """Apply a batch of queued actions, in order, and answer one result per action."""
    if not _same_origin():
        return _error(403, _("Actions can only be sent from Peer'M itself."))
    if (request.content_length or 0) > MAX_BATCH_BYTES:
        return _error(413, _("This batch is too large."))
    if not request.is_json:
        return _error(400, _("Send the actions as JSON."))
    try:
        batch = json.loads(request.get_data(cache=False) or b"null")
    except (ValueError, RecursionError):
        batch = None
    if not isinstance(batch, dict) or not isinstance(batch.get("actions"), list):
        return _error(400, _("The batch must be an object with a list of \"actions\"."))
    actions = batch["actions"]
    if len(actions) > MAX_ACTIONS:
        return _error(413, _("Send at most %(max)d actions at a time.", max=MAX_ACTIONS))
    person = current_person()
    results = []
    for raw in actions:
        try:
            results.append(apply(raw, person).as_json())
        except Exception:  # one action's fault must never block the others behind it
            log.exception("action could not be applied")
            ident = raw.get("id", "") if isinstance(raw, dict) else ""
            results.append(Result("rejected", "server_error",
                                  _("This could not be processed. Nothing was changed."),
                                  "", str(ident)[:36]).as_json())
    response = jsonify({"results": results})
    response.headers["Cache-Control"] = "no-store"
    return response


def form_clock():
    """The time an online form's action is stamped with: now, in the Netherlands."""
    from .events.models import NETWORK_TZ

    return dt.datetime.now(NETWORK_TZ).replace(microsecond=0)


def form_action(action_type, data):
    """The action an online form stands for, as the phone would have queued it: the form's
    `action_id` (made on the phone), the server's clock as the time, and the form's data."""
    at = form_clock().isoformat()
    try:
        action_id = str(uuid.UUID(request.form.get("action_id", "")))
    except ValueError:
        action_id = str(uuid.uuid4())
    return {"id": action_id, "type": action_type, "at": at, "data": data}


def answer(result, back):
    """How a form view shows an action's outcome: the result partial for htmx, else a message
    on the page it goes back to (post/redirect/get)."""
    from flask import flash, redirect

    from .web import render, wants_partial

    if wants_partial():
        status = 200 if result.status in ("applied", "duplicate", "conflict") else 400
        response = render("events/_result.html", result=result, status=status)
        response.headers["Cache-Control"] = "no-store"
        return response
    flash(result.message, "error" if result.status in ("rejected", "unauthorized") else "message")
    return redirect(back, 303)


def _error(status, message):
    response = jsonify({"error": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    """`/sync` takes JSON with its own origin check instead of the form token, which would have
    expired by the time a queued action is replayed."""
    from .web import CSRF_EXEMPT

    CSRF_EXEMPT.add(bp.name)
    app.register_blueprint(bp)
