"""What volunteers and coordinators do: check in and out (also offline, by the phone's clock),
confirm or correct a forgotten check-out, approve or reject hours, claim allowances and expenses
within the Dutch caps, and approve, refuse or pay claims; the shared phone at a venue and its
PINs. Nobody decides on their own hours or claims.

Every service that writes does it in a transaction that takes its locks first
(`write_transaction`, `locked`): the person whose shifts, claims or PIN tries are counted, then
the shift or claim itself, re-read under the lock. Called inside an action's transaction, that
transaction is theirs. Errors are `VolunteeringError` with a stable code."""
import base64
import binascii
import datetime as dt
import hashlib
import secrets
import uuid
from pathlib import Path

from argon2.exceptions import InvalidHashError, VerificationError
from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from ..accounts.models import LoginFailure, Person
from ..accounts.services import hasher
from ..core import clock
from ..core.db import locked, write_transaction
from ..core.errors import DomainError
from ..core.validation import text, whole_number
from ..initiatives.models import Initiative
from ..permissions import can, may_decide_on
from . import caps
from .models import (
    ALLOWANCE_MODES,
    AllowanceSetting,
    ExpenseClaim,
    KioskLink,
    PinRefusal,
    Shift,
    ShiftChange,
    WorkingGroup,
    minutes_worked,
)

# The longest shift that can be real; a longer one is a mistake to correct.
MAX_SHIFT_HOURS = 16
MAX_SHIFT = dt.timedelta(hours=MAX_SHIFT_HOURS)
# A check-in that reaches the server this long after its time is shown as recorded late.
LATE_AFTER = dt.timedelta(days=1)
# Limits on claims.
MAX_AMOUNT_CENTS = 100_000
MAX_KM = 2_000
# A receipt photo, decoded. The page makes photos smaller until they fit (the claim form
# carries this number), and an action with one stays well within `sync.MAX_ACTION_BYTES`.
MAX_RECEIPT_BYTES = 300 * 1024
# What a receipt photo may be, by the first bytes of the file.
IMAGE_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"RIFF": "webp"}
PIN_LENGTH = 4
# Wrong PINs within the window: per volunteer (on any shared phone) and per shared phone (for
# any volunteer). Past either limit the PIN is not checked until the window has moved on.
PIN_WINDOW = dt.timedelta(minutes=15)
PIN_FAILURES = 5
KIOSK_FAILURES = 20
# How long a shared-phone link works.
KIOSK_DAYS = 365


class VolunteeringError(DomainError):
    """A request about shifts or claims that cannot be done."""


def find_group(group_id):
    number = whole_number(group_id)
    group = WorkingGroup.get_or_none(WorkingGroup.id == number) if number is not None else None
    if group is None:
        raise VolunteeringError(_("This working group does not exist."), "group_unknown")
    return group


def is_volunteer(person, initiative):
    return person is not None and can(person, "shifts.work", initiative)


def _lock_person(person_id):
    """Lock a person's row: whatever counts their shifts, claims or PIN tries waits its turn."""
    locked(Person.select(Person.id).where(Person.id == person_id)).execute()


def _locked(model, row_id):
    """A row read again under its lock, as the transaction must see it."""
    return locked(model.select().where(model.id == row_id)).get()


# --- shifts ---------------------------------------------------------------------------------

def check_in(person, group, action_id, at, note="", arrived=None):
    """Start a shift at the phone's time. A shift still open elsewhere is closed to confirm.
    A check-in that `arrived` a day or more after its time says so in its history."""
    if not is_volunteer(person, group.initiative):
        raise VolunteeringError(_("Only volunteers of %(name)s can check in here.",
                                  name=group.initiative.name), "not_volunteer")
    with write_transaction():
        _lock_person(person.id)
        # Shifts are always locked in the order of their ids: two writers never wait on each
        # other in a circle.
        for earlier in locked(Shift.select().where((Shift.person == person)
                                                   & (Shift.state == "open")).order_by(Shift.id)):
            # Two open shifts cannot both be true: the earlier one ended when this one began.
            if earlier.checkin_at <= at:
                earlier.checkout_at = at
                earlier.state = "to_confirm"
                earlier.save()
        shift = Shift.create(person=person, group=group, checkin_action=action_id,
                             checkin_at=at, state="open", note=(text(note) or "")[:500])
        if arrived is not None and arrived - at >= LATE_AFTER:
            _log(shift, person, "recorded", at, arrived, "")
    return shift


def check_out(person, checkin_action, at):
    """End the shift that the check-in action started, at the phone's time."""
    with write_transaction():
        shift = locked(Shift.select().where(
            Shift.checkin_action == str(checkin_action or "").lower())).first()
        return _check_out(person, shift, at)


def _check_out(person, shift, at):
    if shift is None or shift.person_id != person.id:
        raise VolunteeringError(_("There is no check-in for this check-out."), "no_checkin")
    if at <= shift.checkin_at:
        raise VolunteeringError(_("A check-out must come after its check-in."), "checkout_early")
    if at - shift.checkin_at > dt.timedelta(hours=MAX_SHIFT_HOURS):
        raise VolunteeringError(
            _("A shift of more than %(hours)d hours cannot be right. Ask your coordinator to "
              "correct it.", hours=MAX_SHIFT_HOURS), "shift_too_long")
    if shift.state in ("closed", "approved", "rejected"):
        return shift  # checked out (or decided on) before: the first check-out stands
    shift.checkout_at = at
    shift.state = "closed"
    shift.save()
    return shift


def _forgotten_end(shift):
    setting = AllowanceSetting.for_initiative(shift.group.initiative)
    return shift.checkin_at + dt.timedelta(hours=setting.checkout_limit_hours)


def is_forgotten(shift, now):
    """Whether an open shift has run past the co-operative's limit: its check-out was
    forgotten (housekeeping closes it; until then the pages show it as such)."""
    return shift.state == "open" and _forgotten_end(shift) <= now


def to_confirm(person, now):
    """The person's shifts whose forgotten check-out waits for their word, each with the end
    it will get (closed by housekeeping, or still open past the limit)."""
    shifts = list(Shift.select().where((Shift.person == person)
                                       & (Shift.state.in_(["to_confirm", "open"])))
                  .order_by(Shift.checkin_at))
    waiting = []
    for shift in shifts:
        if shift.state == "open":
            if not is_forgotten(shift, now):
                continue
            shift.checkout_at = max(_forgotten_end(shift), shift.checkin_at)
        waiting.append(shift)
    return waiting


def close_forgotten(now):
    """Close shifts left open past the co-operative's limit (the daily housekeeping)."""
    due = [shift.id for shift in Shift.select().where(Shift.state == "open")
           if _forgotten_end(shift) <= now]
    if not due:
        return []  # the usual case: a page load writes nothing
    closed = []
    with write_transaction():
        # Another request may have closed some of them meanwhile: only those still open.
        for shift in locked(Shift.select().where(Shift.id.in_(due) & (Shift.state == "open"))
                            .order_by(Shift.id)):
            end = _forgotten_end(shift)
            shift.checkout_at = max(end, shift.checkin_at)
            shift.state = "to_confirm"
            shift.save()
            closed.append(shift)
    return closed


def confirm_shift(person, shift, checkout_at=None, now=None):
    """The volunteer confirms a forgotten check-out's time, or sets the right one."""
    now = now or clock.now()
    with write_transaction():
        _lock_person(person.id)
        shift = _locked(Shift, shift.id)
        if shift.person_id == person.id and is_forgotten(shift, now):
            # Not closed by housekeeping yet: closed now, as housekeeping would have.
            shift.checkout_at = max(_forgotten_end(shift), shift.checkin_at)
            shift.state = "to_confirm"
        if shift.person_id != person.id or shift.state != "to_confirm":
            raise VolunteeringError(_("This shift has nothing to confirm."),
                                    "nothing_to_confirm")
        if checkout_at is not None and not _same_minute(checkout_at, shift.checkout_at):
            _check_length(shift.checkin_at, checkout_at)
            _log(shift, person, "checkout_at", shift.checkout_at, checkout_at,
                 _("Corrected by the volunteer"))
            shift.checkout_at = checkout_at
        shift.state = "closed"
        shift.save()
    return shift


def _may_decide_on_hours(coordinator, subject_id, initiative):
    if not can(coordinator, "shifts.approve", initiative):
        raise VolunteeringError(_("Only coordinators can approve hours."), "not_allowed")
    if not may_decide_on(coordinator, Person.get_by_id(subject_id), initiative,
                         "shifts.approve"):
        raise VolunteeringError(_("Another coordinator decides on your own hours."),
                                "own_decision")


def approve_shift(coordinator, shift, checkout_at=None, reason=""):
    """A coordinator approves someone else's hours, correcting the end time with a reason
    where needed; hours that overlap another shift of the same person wait for a correction."""
    with write_transaction():
        _lock_person(shift.person_id)
        shift = _locked(Shift, shift.id)
        _may_decide_on_hours(coordinator, shift.person_id, shift.group.initiative)
        _check_undecided(shift)
        end = shift.checkout_at
        corrected = checkout_at is not None and not _same_minute(checkout_at, shift.checkout_at)
        if corrected:
            if not reason.strip():
                raise VolunteeringError(_("Say why you correct these hours."), "reason_missing")
            _check_length(shift.checkin_at, checkout_at)
            end = checkout_at
        clash = overlapping(shift, end)
        if clash:
            raise VolunteeringError(
                _("These hours overlap another shift of %(name)s (%(day)s %(start)s–%(end)s). "
                  "Correct or reject one of them first.", name=shift.person.display_name,
                  **_times(clash[0])), "shift_overlap")
        if corrected:
            _log(shift, coordinator, "checkout_at", shift.checkout_at, end, reason.strip())
            shift.checkout_at = end
        _log(shift, coordinator, "state", shift.state, "approved", reason.strip())
        shift.state = "approved"
        shift.approved_by = coordinator
        shift.approved_at = clock.now()
        shift.save()
    return shift


def reject_shift(coordinator, shift, reason):
    """A coordinator rejects someone else's hours that were not worked (a shift recorded twice,
    a check-in by mistake), with a reason; the shift stays in the history."""
    with write_transaction():
        _lock_person(shift.person_id)
        shift = _locked(Shift, shift.id)
        _may_decide_on_hours(coordinator, shift.person_id, shift.group.initiative)
        _check_undecided(shift)
        if not reason.strip():
            raise VolunteeringError(_("Say why you reject these hours."), "reason_missing")
        _log(shift, coordinator, "state", shift.state, "rejected", reason.strip())
        shift.state = "rejected"
        shift.approved_by = coordinator
        shift.approved_at = clock.now()
        shift.save()
    return shift


def _check_undecided(shift):
    if shift.state == "open":
        raise VolunteeringError(_("This shift is still going on."), "shift_open")
    if shift.state == "approved":
        raise VolunteeringError(_("These hours are approved already."), "already_approved")
    if shift.state == "rejected":
        raise VolunteeringError(_("These hours are rejected already."), "already_rejected")


def _shift_end(shift, end=None):
    """Where a shift's time ends; an open one may last as long as a shift can."""
    return end or shift.checkout_at or shift.checkin_at + MAX_SHIFT


def overlapping(shift, end=None):
    """The person's other shifts, in any co-operative and not rejected, whose time overlaps
    this shift's (ending at `end` if given)."""
    start, end = shift.checkin_at, _shift_end(shift, end)
    return list(Shift.select().where(
        (Shift.person == shift.person_id) & (Shift.id != shift.id) & (Shift.state != "rejected")
        & (Shift.checkin_at < end)
        & ((Shift.checkout_at > start)
           | (Shift.checkout_at.is_null() & (Shift.checkin_at > start - MAX_SHIFT))))
        .order_by(Shift.checkin_at))


def overlaps(shifts):
    """For each of these shifts, the person's other shifts (not rejected) that overlap it:
    {shift id: [shift, …]}, in one query."""
    shifts = [s for s in shifts if s.state != "rejected"]
    if not shifts:
        return {}
    people = {s.person_id for s in shifts}
    first = min(s.checkin_at for s in shifts) - MAX_SHIFT
    last = max(_shift_end(s) for s in shifts)
    nearby = list(Shift.select().where(Shift.person.in_(people) & (Shift.state != "rejected")
                                       & (Shift.checkin_at >= first) & (Shift.checkin_at < last))
                  .order_by(Shift.checkin_at))
    found = {}
    for shift in shifts:
        clash = [other for other in nearby
                 if other.person_id == shift.person_id and other.id != shift.id
                 and other.checkin_at < _shift_end(shift) and shift.checkin_at < _shift_end(other)]
        if clash:
            found[shift.id] = clash
    return found


def recorded_late(shifts):
    """How many days after its time each check-in reached the server, for those a day or more
    late: {shift id: days}."""
    ids = [s.id for s in shifts]
    if not ids:
        return {}
    late = {}
    for change in ShiftChange.select().where(ShiftChange.shift.in_(ids)
                                             & (ShiftChange.what == "recorded")):
        late[change.shift_id] = (dt.datetime.fromisoformat(change.new)
                                 - dt.datetime.fromisoformat(change.old)).days
    return late


def _times(shift):
    """A shift's day and times for a message, in the page's language."""
    locale = get_locale()
    start, end = clock.local(shift.checkin_at), clock.local(shift.checkout_at)
    return {"day": format_date(start, "EEE d MMM", locale=locale),
            "start": format_time(start, "HH:mm", locale=locale),
            "end": format_time(end, "HH:mm", locale=locale) if end else "…"}


def _same_minute(one, other):
    """Forms show times to the minute; the phones' clocks have seconds."""
    if one is None or other is None:
        return one is other
    return one.replace(second=0, microsecond=0) == other.replace(second=0, microsecond=0)


def _check_length(start, end):
    if end <= start:
        raise VolunteeringError(_("A check-out must come after its check-in."), "checkout_early")
    if end - start > dt.timedelta(hours=MAX_SHIFT_HOURS):
        raise VolunteeringError(
            _("A shift of more than %(hours)d hours cannot be right. Ask your coordinator to "
              "correct it.", hours=MAX_SHIFT_HOURS), "shift_too_long")


def _log(shift, who, what, old, new, reason):
    ShiftChange.create(shift=shift, changed_by=who, what=what, old=_text(old), new=_text(new),
                       reason=reason)


def _text(value):
    """A value as the history shows it: a moment as Dutch time, to the minute."""
    if isinstance(value, dt.datetime):
        return clock.local(value).isoformat(sep=" ", timespec="minutes")
    return str(value or "")


def hours_by_period(person, today, weeks=4, months=3):
    """Minutes worked per recent week and month, newest first: [(label start, minutes), …]."""
    week_start = today - dt.timedelta(days=today.weekday())
    by_week = []
    for back in range(weeks):
        start = week_start - dt.timedelta(weeks=back)
        by_week.append((start, minutes_worked(person, _midnight(start),
                                              _midnight(start + dt.timedelta(days=7)))))
    by_month = []
    first = today.replace(day=1)
    for _back in range(months):
        by_month.append((first, minutes_worked(person, _midnight(first),
                                               _midnight(_next_month(first)))))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return by_week, by_month


def _midnight(day):
    return clock.start_of_day(day)


def _next_month(day):
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# --- the shared phone at a venue and its PINs ---------------------------------------------

def set_pin(person, pin):
    """Choose the 4-digit PIN for shared phones (hashed before anything is written)."""
    pin = str(pin or "").strip()
    if len(pin) != PIN_LENGTH or whole_number(pin) is None:
        raise VolunteeringError(_("A PIN has exactly 4 digits."), "pin_invalid")
    pin_hash = hasher().hash(pin)
    Person.update(pin_hash=pin_hash).where(Person.id == person.id).execute()
    person.pin_hash = pin_hash


def _token_hash(token):
    return hashlib.sha256(str(token).encode()).hexdigest()


def open_kiosk(coordinator, group, now=None):
    """Make the link that turns a phone at the venue into the group's shared check-in phone;
    returns its token, which only the link holds."""
    if not can(coordinator, "groups.manage", group.initiative):
        raise VolunteeringError(_("Only coordinators can open a shared phone."), "not_allowed")
    now = now or clock.now()
    token = secrets.token_urlsafe(18)
    with write_transaction():
        KioskLink.create(token_hash=_token_hash(token), group=group, created_by=coordinator,
                         created_at=now, expires_at=now + dt.timedelta(days=KIOSK_DAYS))
    return token


def kiosk_by_token(token, now=None):
    """The shared phone a token opens, while it works (not expired, not stopped), or None."""
    if not isinstance(token, str) or not token:
        return None
    link = KioskLink.get_or_none(KioskLink.token_hash == _token_hash(token))
    if link is None or link.expires_at <= (now or clock.now()):
        return None
    return link


def active_kiosks(initiative, now=None):
    """The shared phones of a co-operative's groups that still work, newest first."""
    return list(KioskLink.select(KioskLink, WorkingGroup).join(WorkingGroup)
                .where((WorkingGroup.initiative == initiative)
                       & (KioskLink.expires_at > (now or clock.now())))
                .order_by(KioskLink.created_at.desc()))


def stop_kiosk(coordinator, link, now=None):
    """Stop a shared phone: its link opens nothing any more and its PIN actions are refused."""
    if not can(coordinator, "groups.manage", link.group.initiative):
        raise VolunteeringError(_("Only coordinators can stop a shared phone."), "not_allowed")
    now = now or clock.now()
    with write_transaction():
        link = _locked(KioskLink, link.id)
        if link.expires_at > now:
            link.expires_at = now
            link.save()
    return link


def kiosk_for(token, group):
    """The shared phone a PIN action was made on; refused unless its link still works and
    belongs to the group's co-operative."""
    link = kiosk_by_token(token)
    if link is None or link.group.initiative_id != group.initiative_id:
        raise VolunteeringError(_("Checking in with a PIN only works on the shared phone of "
                                  "the group. Ask your coordinator for its link."),
                                "kiosk_required")
    return link


def person_by_pin(person_id, pin, group, kiosk, now=None):
    """The volunteer who picked their name on a shared phone, if the PIN is theirs.

    Each try is counted before the PIN is checked, per volunteer and per shared phone, under
    their locks: parallel wrong PINs cannot pass the limit. A right PIN takes its try back.
    The hash is checked after that transaction, never inside one. A wrong PIN raises
    `pin_wrong` with `volunteer` set when the name was a volunteer's."""
    now = now or clock.now()
    number = whole_number(person_id)
    person = Person.get_or_none(Person.id == number) if number is not None else None
    if person is not None and not is_volunteer(person, group.initiative):
        person = None
    tries = _count_pin_try(kiosk, person, now)
    try:
        if person is None or not person.pin_hash:
            raise VerificationError("no PIN to check")
        hasher().verify(person.pin_hash, str(pin or ""))
    except (VerificationError, InvalidHashError):
        error = VolunteeringError(_("This name and PIN do not match."), "pin_wrong")
        error.volunteer = person
        raise error from None
    LoginFailure.delete().where(LoginFailure.id.in_(tries)).execute()
    return person


def _count_pin_try(kiosk, person, now):
    """Count one PIN try on this shared phone (and for this volunteer) unless a limit is
    reached; returns the ids of the counted tries."""
    limits = [(f"kiosk:{kiosk.id}", KIOSK_FAILURES)]
    if person is not None:
        limits.append((f"pin:{person.id}", PIN_FAILURES))
    with write_transaction():
        # Always the shared phone first, then the person: two tries never wait on each other.
        _locked(KioskLink, kiosk.id)
        if person is not None:
            _lock_person(person.id)
        for key, limit in limits:
            recent = LoginFailure.select().where((LoginFailure.key == key)
                                                 & (LoginFailure.at > now - PIN_WINDOW))
            if recent.count() >= limit:
                raise VolunteeringError(_("Too many wrong PINs. Wait a quarter of an hour."),
                                        "pin_limited")
        return [LoginFailure.create(key=key, at=now).id for key, _limit in limits]


def refusal_fact(error, action_id, kind, group, kiosk, at, arrived):
    """Keep a wrong PIN for a volunteer's name where their coordinators (and they) see it."""
    if getattr(error, "volunteer", None) is None:
        return
    error.facts.append((PinRefusal, {"action_id": action_id, "person": error.volunteer,
                                     "group": group, "kiosk": kiosk, "kind": kind, "at": at,
                                     "arrived_at": arrived}))


def pin_refusals(initiative=None, person=None, since=None):
    """Shared-phone actions refused for a wrong PIN, newest first: of a co-operative's groups
    or of one person, since a moment."""
    query = (PinRefusal.select(PinRefusal, WorkingGroup).join(WorkingGroup)
             .order_by(PinRefusal.arrived_at.desc()))
    if initiative is not None:
        query = query.where(WorkingGroup.initiative == initiative)
    if person is not None:
        query = query.where(PinRefusal.person == person)
    if since is not None:
        query = query.where(PinRefusal.arrived_at >= since)
    return list(query)


def keep_refused(coordinator, refusal):
    """A coordinator who checked with the volunteer keeps a check-in or check-out that was
    refused for a wrong PIN: the check-in starts its shift (closed to confirm, like any
    forgotten check-out, when no check-out follows), the check-out ends the shift it belonged
    to."""
    with write_transaction():
        _lock_person(refusal.person_id)
        refusal = _locked(PinRefusal, refusal.id)
        group = refusal.group
        _may_decide_on_hours(coordinator, refusal.person_id, group.initiative)
        if refusal.kept_at is not None:
            raise VolunteeringError(_("This was kept already."), "already_kept")
        reason = _("Kept by a coordinator after a wrong PIN on the shared phone")
        if refusal.kind == "checkin":
            shift = check_in(refusal.person, group, refusal.action_id, refusal.at)
        else:
            shift = locked(Shift.select().where((Shift.person == refusal.person_id)
                                                & (Shift.group == group)
                                                & Shift.state.in_(["open", "to_confirm"])
                                                & (Shift.checkin_at < refusal.at))
                           .order_by(Shift.checkin_at.desc())).first()
            if shift is None:
                raise VolunteeringError(_("There is no check-in for this check-out."),
                                        "no_checkin")
            _check_length(shift.checkin_at, refusal.at)
            old = shift.checkout_at
            shift.checkout_at = refusal.at
            shift.state = "closed"
            shift.save()
            _log(shift, coordinator, "checkout_at", old, refusal.at, reason)
        _log(shift, coordinator, "kept", refusal.kind, refusal.at, reason)
        refusal.kept_by = coordinator
        refusal.kept_at = clock.now()
        refusal.save()
    return shift


# --- claims ---------------------------------------------------------------------------------

def parse_amount_cents(raw):
    """Cents from "12,50", "12.50", "12" or an integer number of cents given as `int`."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        cents = raw
    else:
        text = str(raw or "").strip().replace("€", "").replace(" ", "").replace(",", ".")
        euros, _sep, rest = text.partition(".")
        whole = whole_number(euros)
        if whole is None or (rest and (len(rest) > 2 or whole_number(rest) is None)):
            raise VolunteeringError(_("Fill in an amount like 12,50."), "amount_invalid")
        cents = whole * 100 + int((rest + "00")[:2])
    if not 0 < cents <= MAX_AMOUNT_CENTS:
        raise VolunteeringError(_("An amount must be more than 0 and at most € 1.000."),
                                "amount_invalid")
    return cents


def parse_km(raw):
    km = whole_number(raw)
    if km is None:
        raise VolunteeringError(_("Fill in the kilometres as a whole number."), "km_invalid")
    if not 0 < km <= MAX_KM:
        raise VolunteeringError(_("Kilometres must be more than 0 and at most %(max)d.",
                                  max=MAX_KM), "km_invalid")
    return km


def decode_receipt(raw):
    """The receipt photo's bytes and file type from base64 (a data: URL is fine too)."""
    if not raw:
        return None, None
    text = str(raw)
    if text.startswith("data:"):
        text = text.partition(",")[2]
    if len(text) > (MAX_RECEIPT_BYTES + 2) // 3 * 4:
        raise VolunteeringError(_("The receipt photo is too large. Take a new photo; the app "
                                  "makes it smaller."), "receipt_too_large")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise VolunteeringError(_("The receipt is not a photo."), "receipt_invalid") from None
    if len(data) > MAX_RECEIPT_BYTES:
        raise VolunteeringError(_("The receipt photo is too large. Take a new photo; the app "
                                  "makes it smaller."), "receipt_too_large")
    for signature, ext in IMAGE_SIGNATURES.items():
        if data.startswith(signature) and (ext != "webp" or data[8:12] == b"WEBP"):
            return data, ext
    raise VolunteeringError(_("The receipt is not a photo."), "receipt_invalid")


def receipts_folder():
    folder = Path(current_app.config.get("RECEIPTS_FOLDER")
                  or Path(current_app.instance_path) / "receipts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def submit_claim(person, initiative, kind, date, amount=None, km=None, note="", receipt=None,
                 over_21=None):
    """Claim an allowance or costs. Returns the claim and what it does to the caps."""
    if not is_volunteer(person, initiative):
        raise VolunteeringError(_("Only volunteers of %(name)s can claim here.",
                                  name=initiative.name), "not_volunteer")
    setting = AllowanceSetting.for_initiative(initiative)
    if kind == "travel_km":
        km = parse_km(km)
        amount_cents = km * setting.km_rate_cents
    elif kind in ("allowance", "travel_ticket", "other"):
        km = None
        amount_cents = parse_amount_cents(amount)
    else:
        raise VolunteeringError(_("Choose what you claim."), "kind_invalid")
    if kind == "allowance" and setting.mode == "none":
        raise VolunteeringError(_("%(name)s pays no volunteer allowance.", name=initiative.name),
                                "no_allowance")
    if not isinstance(date, dt.date):
        try:
            date = dt.date.fromisoformat(str(date))
        except ValueError:
            raise VolunteeringError(_("Fill in the date of the costs."), "date_invalid") from None
    today = clock.today()
    if date > today + dt.timedelta(days=1):
        raise VolunteeringError(_("The date cannot be in the future."), "date_future")
    if date.year < today.year - 1:
        raise VolunteeringError(_("Costs from before last year can no longer be claimed."),
                                "date_too_old")
    data, ext = decode_receipt(receipt)
    claim = ExpenseClaim(person=person, initiative=initiative, kind=kind,
                         amount_cents=amount_cents, km=km, date=date, note=(text(note) or "")[:500])
    if data:
        name = f"{uuid.uuid4().hex}.{ext}"
        (receipts_folder() / name).write_bytes(data)
        claim.receipt = name
    with write_transaction():
        # The caps add up all of a person's claims: one claim of theirs at a time.
        _lock_person(person.id)
        if over_21 is not None and person.over_21 != over_21:
            person.over_21 = bool(over_21)
            Person.update(over_21=person.over_21).where(Person.id == person.id).execute()
        check = cap_check(person, claim)
        claim.over_cap = ",".join(check.passed)
        claim.save()
    return claim, check


def cap_check(person, claim):
    """What the caps of the claim's year say about the person's allowances with this claim added,
    over every co-operative of the network."""
    year_start = dt.date(claim.date.year, 1, 1)
    month_start = claim.date.replace(day=1)
    counted = [c for c in ExpenseClaim.counting(person, year_start, dt.date(claim.date.year + 1, 1, 1))
               if c.counts_toward_caps and c.id != claim.id]
    own = claim.amount_cents if claim.counts_toward_caps else 0
    year_total = sum(c.amount_cents for c in counted) + own
    month_total = sum(c.amount_cents for c in counted if c.date >= month_start
                      and c.date < _next_month(month_start)) + own
    minutes = minutes_worked(person, _midnight(month_start), _midnight(_next_month(month_start)))
    allowance_month = sum(c.amount_cents for c in counted if c.kind == "allowance"
                          and month_start <= c.date < _next_month(month_start))
    allowance_month += claim.amount_cents if claim.kind == "allowance" else 0
    hourly = None
    if claim.kind == "allowance" and minutes:
        hourly = allowance_month * 60 // minutes
    return caps.check(claim.date.year, month_total, year_total, hourly,
                      under_21=person.over_21 is False)


def approve_claim(coordinator, claim, over_cap_reason=""):
    """Approve someone else's claim; over a cap only with the coordinator's recorded reason."""
    with write_transaction():
        claim = _claim_to_decide(coordinator, claim)
        if claim.state != "submitted":
            raise VolunteeringError(_("This claim was already decided."), "already_decided")
        check = cap_check(claim.person, claim)
        if check.passed and not over_cap_reason.strip():
            raise VolunteeringError(
                _("This claim goes over a tax-free cap. Approving it makes the whole allowance "
                  "taxable: write down why you approve it anyway."), "cap_reason_missing")
        claim.over_cap = ",".join(check.passed)
        claim.over_cap_reason = over_cap_reason.strip()
        claim.state = "approved"
        claim.decided_by = coordinator
        claim.decided_at = clock.now()
        claim.save()
    return claim, check


def reject_claim(coordinator, claim, reason):
    """Reject someone else's claim, with a reason."""
    with write_transaction():
        claim = _claim_to_decide(coordinator, claim)
        if claim.state != "submitted":
            raise VolunteeringError(_("This claim was already decided."), "already_decided")
        if not reason.strip():
            raise VolunteeringError(_("Say why you reject this claim."), "reason_missing")
        claim.state = "rejected"
        claim.reason = reason.strip()
        claim.decided_by = coordinator
        claim.decided_at = clock.now()
        claim.save()
    return claim


def mark_paid(coordinator, claim):
    """Mark someone else's approved claim as paid."""
    with write_transaction():
        claim = _claim_to_decide(coordinator, claim)
        if claim.state != "approved":
            raise VolunteeringError(_("Only an approved claim can be paid."), "not_approved")
        claim.state = "paid"
        claim.paid_at = clock.now()
        claim.save()
    return claim


def _claim_to_decide(coordinator, claim):
    """The claim read again under its locks (its person's, then its own), if this coordinator
    may decide on it."""
    _lock_person(claim.person_id)
    claim = _locked(ExpenseClaim, claim.id)
    if not can(coordinator, "claims.approve", claim.initiative):
        raise VolunteeringError(_("Only coordinators can decide on claims."), "not_allowed")
    if not may_decide_on(coordinator, claim.person, claim.initiative, "claims.approve"):
        raise VolunteeringError(_("Another coordinator decides on your own claims."),
                                "own_decision")
    return claim


# --- a co-operative's groups and allowance -------------------------------------------------

def add_group(coordinator, initiative, name, description="", name_en="", description_en=""):
    """Add a working group to a co-operative, named in Dutch and, where given, in English."""
    if not can(coordinator, "groups.manage", initiative):
        raise VolunteeringError(_("Only coordinators can add groups."), "not_allowed")
    name = " ".join((text(name) or "").split())[:120]
    if not name:
        raise VolunteeringError(_("Give the group a name."), "name_missing")
    with write_transaction():
        return WorkingGroup.create(
            initiative=initiative, name=name,
            name_en=" ".join((text(name_en) or "").split())[:120] or None,
            description=(text(description) or "").strip()[:1000],
            description_en=(text(description_en) or "").strip()[:1000] or None)


def save_settings(coordinator, initiative, mode, hourly_cents, monthly_cents, km_rate_cents,
                  checkout_limit_hours):
    """How a co-operative pays its volunteers, and when an open shift counts as forgotten."""
    if not can(coordinator, "groups.manage", initiative):
        raise VolunteeringError(_("Only coordinators can change the allowance."), "not_allowed")
    if mode not in ALLOWANCE_MODES:
        raise VolunteeringError(_("Choose how the allowance is paid."), "mode_invalid")
    if not 1 <= checkout_limit_hours <= MAX_SHIFT_HOURS:
        raise VolunteeringError(_("The limit is between 1 and %(max)d hours.",
                                  max=MAX_SHIFT_HOURS), "limit_invalid")
    with write_transaction():
        # The co-operative's row stands for its one setting, which may not exist yet.
        _locked(Initiative, initiative.id)
        setting = AllowanceSetting.for_initiative(initiative)
        setting.mode = mode
        setting.hourly_cents = hourly_cents
        setting.monthly_cents = monthly_cents
        setting.km_rate_cents = km_rate_cents
        setting.checkout_limit_hours = checkout_limit_hours
        setting.save()
    return setting


# --- erasure --------------------------------------------------------------------------------

def erase_person(person, needles):
    """What erasing a person means for volunteering: the hours and paid claims stay as facts
    (payments are kept seven years by law), without notes; claims not yet approved go, with
    their receipt photos; what others wrote about them loses their name. Returns the receipt
    files to delete once the erasure is committed."""
    from ..core.validation import without

    files = []
    PinRefusal.delete().where(PinRefusal.person == person).execute()
    Shift.update(note="").where(Shift.person == person).execute()
    their_shifts = Shift.select(Shift.id).where(Shift.person == person)
    ShiftChange.update(reason="").where(ShiftChange.shift.in_(their_shifts)).execute()
    for change in ShiftChange.select().where(ShiftChange.changed_by == person):
        change.reason = without(change.reason, needles)
        change.save()
    for claim in ExpenseClaim.select().where(ExpenseClaim.person == person):
        if claim.state in ("submitted", "rejected"):
            if claim.receipt:
                files.append(receipts_folder() / claim.receipt)
            claim.delete_instance()
            continue
        claim.note = without(claim.note, needles)
        claim.reason = without(claim.reason, needles)
        claim.over_cap_reason = without(claim.over_cap_reason, needles)
        claim.save()
    return files
