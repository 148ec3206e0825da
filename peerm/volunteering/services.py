"""What volunteers and coordinators do: check in and out (also offline, by the phone's clock),
confirm or correct a forgotten check-out, approve hours, claim allowances and expenses within
the Dutch caps, and approve, refuse or pay claims. Services run in the caller's transaction and
raise `VolunteeringError` with a stable code."""
import base64
import binascii
import datetime as dt
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import Person, utcnow
from ..accounts.services import hasher
from ..permissions import can
from ..validation import DomainError, text, whole_number
from . import caps
from .models import (AllowanceSetting, ExpenseClaim, Shift, ShiftChange, WorkingGroup,
                     minutes_worked)

# The longest shift that can be real; a longer one is a mistake to correct.
MAX_SHIFT_HOURS = 16
# Limits on claims.
MAX_AMOUNT_CENTS = 100_000
MAX_KM = 2_000
# A receipt photo, decoded. The page makes photos smaller until they fit (the claim form
# carries this number), and an action with one stays well within `sync.MAX_ACTION_BYTES`.
MAX_RECEIPT_BYTES = 300 * 1024
# What a receipt photo may be, by the first bytes of the file.
IMAGE_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"RIFF": "webp"}
PIN_LENGTH = 4


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


# --- shifts ---------------------------------------------------------------------------------

def check_in(person, group, action_id, at, note=""):
    """Start a shift at the phone's time. A shift still open elsewhere is closed to confirm."""
    if not is_volunteer(person, group.initiative):
        raise VolunteeringError(_("Only volunteers of %(name)s can check in here.",
                                  name=group.initiative.name), "not_volunteer")
    for earlier in Shift.open_of(person):
        # Two open shifts cannot both be true: the earlier one ended when this one began.
        if earlier.checkin_at <= at:
            earlier.checkout_at = at
            earlier.state = "to_confirm"
            earlier.save()
    return Shift.create(person=person, group=group, checkin_action=action_id, checkin_at=at,
                        state="open", note=(text(note) or "")[:500])


def check_out(person, checkin_action, at):
    """End the shift that the check-in action started, at the phone's time."""
    shift = Shift.get_or_none(Shift.checkin_action == str(checkin_action or "").lower())
    if shift is None or shift.person_id != person.id:
        raise VolunteeringError(_("There is no check-in for this check-out."), "no_checkin")
    if at <= shift.checkin_at:
        raise VolunteeringError(_("A check-out must come after its check-in."), "checkout_early")
    if at - shift.checkin_at > dt.timedelta(hours=MAX_SHIFT_HOURS):
        raise VolunteeringError(
            _("A shift of more than %(hours)d hours cannot be right. Ask your coordinator to "
              "correct it.", hours=MAX_SHIFT_HOURS), "shift_too_long")
    if shift.state in ("closed", "approved"):
        return shift  # checked out before: the first check-out stands
    shift.checkout_at = at
    shift.state = "closed"
    shift.save()
    return shift


def close_forgotten(now):
    """Close shifts left open past their planned end, or past the co-operative's limit."""
    closed = []
    for shift in Shift.select().where(Shift.state == "open"):
        if shift.planned_id is not None:
            end = shift.planned.ends_at
        else:
            setting = AllowanceSetting.for_initiative(shift.group.initiative)
            end = shift.checkin_at + dt.timedelta(hours=setting.checkout_limit_hours)
        if end <= now:
            shift.checkout_at = max(end, shift.checkin_at)
            shift.state = "to_confirm"
            shift.save()
            closed.append(shift)
    return closed


def confirm_shift(person, shift, checkout_at=None):
    """The volunteer confirms a forgotten check-out's time, or sets the right one."""
    if shift.person_id != person.id or shift.state != "to_confirm":
        raise VolunteeringError(_("This shift has nothing to confirm."), "nothing_to_confirm")
    if checkout_at is not None and not _same_minute(checkout_at, shift.checkout_at):
        _check_length(shift.checkin_at, checkout_at)
        _log(shift, person, "checkout_at", shift.checkout_at, checkout_at,
             _("Corrected by the volunteer"))
        shift.checkout_at = checkout_at
    shift.state = "closed"
    shift.save()
    return shift


def approve_shift(coordinator, shift, checkout_at=None, reason=""):
    """A coordinator approves hours, correcting the end time with a reason where needed."""
    if not can(coordinator, "shifts.approve", shift.group.initiative):
        raise VolunteeringError(_("Only coordinators can approve hours."), "not_allowed")
    if shift.state == "open":
        raise VolunteeringError(_("This shift is still going on."), "shift_open")
    if shift.state == "approved":
        raise VolunteeringError(_("These hours are approved already."), "already_approved")
    if checkout_at is not None and not _same_minute(checkout_at, shift.checkout_at):
        if not reason.strip():
            raise VolunteeringError(_("Say why you correct these hours."), "reason_missing")
        _check_length(shift.checkin_at, checkout_at)
        _log(shift, coordinator, "checkout_at", shift.checkout_at, checkout_at, reason.strip())
        shift.checkout_at = checkout_at
    _log(shift, coordinator, "state", shift.state, "approved", reason.strip())
    shift.state = "approved"
    shift.approved_by = coordinator
    shift.approved_at = utcnow()
    shift.save()
    return shift


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
    return value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "isoformat") else str(value or "")


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
    return dt.datetime.combine(day, dt.time())


def _next_month(day):
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# --- PIN for the shared phone ---------------------------------------------------------------

def set_pin(person, pin):
    pin = str(pin or "").strip()
    if len(pin) != PIN_LENGTH or whole_number(pin) is None:
        raise VolunteeringError(_("A PIN has exactly 4 digits."), "pin_invalid")
    person.pin_hash = hasher().hash(pin)
    person.save()


def person_by_pin(person_id, pin, group, now=None):
    """The volunteer who picked their name on a shared phone, if the PIN is theirs."""
    from ..accounts.models import LoginFailure
    from ..accounts.services import LOGIN_WINDOW, ACCOUNT_FAILURES

    now = now or utcnow()
    number = whole_number(person_id)
    person = Person.get_or_none(Person.id == number) if number is not None else None
    if person is None or not is_volunteer(person, group.initiative) or not person.pin_hash:
        raise VolunteeringError(_("This name and PIN do not match."), "pin_wrong")
    key = f"pin:{person.id}"
    recent = LoginFailure.select().where((LoginFailure.key == key)
                                         & (LoginFailure.at > now - LOGIN_WINDOW)).count()
    if recent >= ACCOUNT_FAILURES:
        raise VolunteeringError(_("Too many wrong PINs. Wait a quarter of an hour."),
                                "pin_limited")
    try:
        hasher().verify(person.pin_hash, str(pin or ""))
    except Exception:
        error = VolunteeringError(_("This name and PIN do not match."), "pin_wrong")
        # Counted even though the check-in is refused and its transaction rolled back.
        error.facts.append((LoginFailure, {"key": key, "at": now}))
        raise error from None
    return person


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
    today = dt.date.today()
    if date > today + dt.timedelta(days=1):
        raise VolunteeringError(_("The date cannot be in the future."), "date_future")
    if date.year < today.year - 1:
        raise VolunteeringError(_("Costs from before last year can no longer be claimed."),
                                "date_too_old")
    data, ext = decode_receipt(receipt)
    if over_21 is not None and person.over_21 != over_21:
        person.over_21 = bool(over_21)
        person.save()
    claim = ExpenseClaim(person=person, initiative=initiative, kind=kind,
                         amount_cents=amount_cents, km=km, date=date, note=(text(note) or "")[:500])
    if data:
        name = f"{uuid.uuid4().hex}.{ext}"
        (receipts_folder() / name).write_bytes(data)
        claim.receipt = name
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
    """Approve a claim; over a cap only with the coordinator's recorded reason."""
    _may_decide(coordinator, claim)
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
    claim.decided_at = utcnow()
    claim.save()
    return claim, check


def reject_claim(coordinator, claim, reason):
    _may_decide(coordinator, claim)
    if claim.state != "submitted":
        raise VolunteeringError(_("This claim was already decided."), "already_decided")
    if not reason.strip():
        raise VolunteeringError(_("Say why you reject this claim."), "reason_missing")
    claim.state = "rejected"
    claim.reason = reason.strip()
    claim.decided_by = coordinator
    claim.decided_at = utcnow()
    claim.save()
    return claim


def mark_paid(coordinator, claim):
    _may_decide(coordinator, claim)
    if claim.state != "approved":
        raise VolunteeringError(_("Only an approved claim can be paid."), "not_approved")
    claim.state = "paid"
    claim.paid_at = utcnow()
    claim.save()
    return claim


def _may_decide(coordinator, claim):
    if not can(coordinator, "claims.approve", claim.initiative):
        raise VolunteeringError(_("Only coordinators can decide on claims."), "not_allowed")
