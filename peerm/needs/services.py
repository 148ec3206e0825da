"""What people do with needs: coordinators post, edit, close and pass them on; anyone answers
"I can help" (a pledge); coordinators take answers up. Each service runs in the caller's
transaction (`write_transaction()`, or the sync layer's one per action), locks the need first,
checks everything before it changes anything, and raises `NeedError` with a stable code.

The need's status follows its pledges when it has a quantity: enough promised makes it
"enough offers" (no more answers are taken), enough received makes it "fulfilled", and a
promise withdrawn opens it again. A coordinator may also set it by hand.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from ..accounts.models import Membership, Person
from ..core import clock
from ..core.db import locked
from ..core.errors import DomainError
from ..core.validation import clean_contact, clean_name, text, whole_number
from ..initiatives.models import Initiative
from .models import (
    LISTED,
    NEED_KINDS,
    THANKABLE,
    VISIBILITIES,
    Need,
    NeedStep,
    Pledge,
)

# The longest texts, in characters.
TEXT_MAX = 500
UNIT_MAX = 40
OFFER_MAX = 500
NOTE_MAX = 500
THANKS_MAX = 300
# The largest amount or quantity: a million (of euros, hours, laptops).
AMOUNT_MAX = Decimal(1_000_000)
# An amount as people type it: digits, then a comma or point and at most two decimals.
AMOUNT_PATTERN = re.compile(r"[0-9]{1,7}(?:[.,][0-9]{1,2})?")
# How far ahead a need may be listed.
LIST_AT_MOST = dt.timedelta(days=366)
# What a coordinator may do to an answer, from which states.
PLEDGE_MOVES = {
    "accepted": ("offered",),
    "fulfilled": ("offered", "accepted"),
    "withdrawn": ("offered", "accepted"),
}
# What a coordinator may set a need to by hand, from which states.
NEED_MOVES = {
    "open": ("enough", "fulfilled", "withdrawn", "expired"),
    "enough": ("open",),
    "fulfilled": ("open", "enough"),
    "withdrawn": ("open", "enough"),
}


class NeedError(DomainError):
    """A request about a need that cannot be done."""


# --- reading what people typed ----------------------------------------------------------------

def clean_amount(raw, error_code="amount_invalid"):
    """A positive amount with at most two decimals ("12", "12,50"), or None when empty."""
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, (int, Decimal)):
        raw = str(raw)
    if isinstance(raw, float):
        raw = f"{raw:.2f}" if raw == round(raw, 2) else "x"
    value = text(raw)
    value = (value or "").strip() if value is not None else None
    if value == "":
        return None
    if value is None or not AMOUNT_PATTERN.fullmatch(value):
        raise NeedError(_("Write the amount as a number, like 25 or 12,50."), error_code)
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise NeedError(_("Write the amount as a number, like 25 or 12,50."),
                        error_code) from None
    if not 0 < amount <= AMOUNT_MAX:
        raise NeedError(_("The amount must be more than 0 and at most a million."), error_code)
    return amount


def _text(raw, label, maximum, required=False):
    value = text(raw)
    if value is None or "\x00" in value:
        raise NeedError(_("%(field)s holds characters that cannot be saved.", field=label),
                        "text_invalid")
    value = value.strip().replace("\r\n", "\n")
    if required and not value:
        raise NeedError(_("Please fill in %(field)s.", field=label), "missing")
    if len(value) > maximum:
        raise NeedError(_("%(field)s can be at most %(max)d characters (now %(now)d).",
                          field=label, max=maximum, now=len(value)), "too_long")
    return value


def _day(raw, label):
    value = text(raw)
    value = (value or "").strip() if value is not None else "x"
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise NeedError(_("%(field)s is not a date. Choose a day in the calendar.",
                          field=label), "date_invalid") from None


def clean_need(form, today=None, was=None):
    """Every field of a need checked, as {column: value}; the first fault raises.

    `was`: the need being edited, whose dates may stay as they are even once past.
    """
    today = today or clock.today()
    kind = text(form.get("kind")) or ""
    if kind not in NEED_KINDS:
        raise NeedError(_("Choose what kind of help you need."), "kind_invalid")
    visibility = text(form.get("visibility")) or ""
    if visibility not in VISIBILITIES:
        raise NeedError(_("Choose who may see this need."), "visibility_invalid")
    values = {
        "kind": kind,
        "visibility": visibility,
        "text_nl": _text(form.get("text_nl"), _("What you need (Dutch)"), TEXT_MAX,
                         required=True),
        "text_en": _text(form.get("text_en"), _("What you need (English)"), TEXT_MAX),
        "quantity": clean_amount(form.get("quantity"), "quantity_invalid"),
        "unit_nl": " ".join(_text(form.get("unit_nl"), _("Unit (Dutch)"), UNIT_MAX).split()),
        "unit_en": " ".join(_text(form.get("unit_en"), _("Unit (English)"), UNIT_MAX).split()),
        "needed_by": _day(form.get("needed_by"), _("Needed by")),
        "list_until": _day(form.get("list_until"), _("List until")),
    }
    if (values["unit_nl"] or values["unit_en"]) and values["quantity"] is None:
        raise NeedError(_("A unit goes with a quantity: fill in how many, or leave the unit "
                          "empty."), "quantity_missing")
    if kind == "money":
        # Money is counted in euros.
        values["unit_nl"] = values["unit_en"] = ""
    if values["list_until"] is None:
        raise NeedError(_("Please fill in until when the need is listed."), "list_until_missing")
    for name, label in (("needed_by", _("Needed by")), ("list_until", _("List until"))):
        day = values[name]
        unchanged = was is not None and getattr(was, name) == day
        if day is not None and day < today and not unchanged:
            raise NeedError(_("%(field)s is in the past. Choose today or a later day.",
                              field=label), "date_past")
    if values["list_until"] > today + LIST_AT_MOST:
        raise NeedError(_("A need is listed for a year at most. Choose an earlier day to list "
                          "it until."), "list_until_far")
    if values["needed_by"] is not None and values["list_until"] < values["needed_by"]:
        raise NeedError(_("\"List until\" is before \"needed by\": list the need at least until "
                          "the day you need it."), "list_until_early")
    return values


# --- needs ------------------------------------------------------------------------------------

def find_need(need_id, lock=False):
    """The need with this id (locked for the transaction when asked), or an error."""
    number = whole_number(need_id)
    need = None
    if number is not None:
        query = Need.select().where(Need.id == number)
        need = (locked(query) if lock else query).first()
    if need is None:
        raise NeedError(_("This need does not exist."), "need_unknown")
    return need


def post_need(initiative, form, now=None):
    """Put a new need of a co-operative on the board."""
    now = now or clock.now()
    values = clean_need(form, clock.local(now).date())
    return Need.create(initiative=initiative, status="open", created_at=now, **values)


def update_need(need, form, now=None):
    """Change what a need says; its status follows its pledges again."""
    now = now or clock.now()
    need = find_need(need.id, lock=True)
    values = clean_need(form, clock.local(now).date(), was=need)
    for name, value in values.items():
        setattr(need, name, value)
    if need.status in LISTED:
        _follow_pledges(need, now)
    need.save()
    return need


def set_status(need, status, now=None):
    """A coordinator sets a need's status by hand (enough, fulfilled, withdrawn, open again)."""
    now = now or clock.now()
    need = find_need(need.id, lock=True)
    if status not in NEED_MOVES:
        raise NeedError(_("This status cannot be chosen."), "status_invalid")
    if need.status not in NEED_MOVES[status]:
        raise NeedError(_("This need is %(status)s already, or cannot be changed that way.",
                          status=need.status_label), "status_unchanged")
    if status == "open" and need.list_until is not None and need.list_until < clock.today():
        raise NeedError(_("Its listing ended on %(day)s: change \"list until\" first.",
                          day=need.list_until.isoformat()), "date_past")
    need.status = status
    need.closed_at = None if status in LISTED else now
    need.save()
    if status == "withdrawn":
        # Nobody can give to a need that was taken back: open promises end with it.
        (Pledge.update(status="withdrawn", decided_at=now)
         .where((Pledge.need == need) & Pledge.status.in_(("offered", "accepted"))).execute())
    return need


def pass_on(need, to_initiative, note, by=None, now=None):
    """Pass a need on to a sister co-operative, with a note; both keep its history."""
    now = now or clock.now()
    need = find_need(need.id, lock=True)
    note = _text(note, _("Note"), NOTE_MAX)
    if to_initiative is None:
        raise NeedError(_("Choose the co-operative to pass this need on to."), "initiative_unknown")
    if to_initiative.id == need.initiative_id:
        raise NeedError(_("This need is already theirs: choose another co-operative."),
                        "same_initiative")
    if need.status not in LISTED:
        raise NeedError(_("Only an open need can be passed on."), "need_closed")
    NeedStep.create(need=need, from_initiative=need.initiative_id, to_initiative=to_initiative,
                    note=note, by=by, at=now)
    need.initiative = to_initiative
    need.save()
    return need


def _follow_pledges(need, now):
    """Let a listed need's status follow what was promised and received."""
    if need.quantity is None:
        return
    pledged, fulfilled = need.totals()
    quantity = Decimal(need.quantity)
    if fulfilled >= quantity:
        need.status, need.closed_at = "fulfilled", now
    elif pledged >= quantity:
        need.status, need.closed_at = "enough", None
    else:
        need.status, need.closed_at = "open", None


# --- answers ----------------------------------------------------------------------------------

def respond(need_id, offer, amount=None, name="", contact="", person=None, action_id=None,
            now=None):
    """Answer a need, "I can help": a pledge, offered. Logged in, the person is known; else a
    name and a phone number or e-mail address are needed, for the coordinators to reach them.
    """
    now = now or clock.now()
    need = find_need(need_id, lock=True)
    if need.status == "enough":
        raise NeedError(_("This need has enough offers already. Thank you all the same!"),
                        "enough")
    if need.status not in LISTED:
        raise NeedError(_("This need is closed: it no longer takes answers."), "closed")
    offer = _text(offer, _("What you can do or give"), OFFER_MAX, required=True)
    amount = clean_amount(amount)
    if person is None:
        name = clean_name(name, NeedError)
        contact = clean_contact(contact, NeedError)
        if not contact:
            raise NeedError(_("Fill in a phone number or an e-mail address, so that the "
                              "co-operative can reach you."), "contact_missing")
    else:
        name = person.display_name
        contact = clean_contact(contact, NeedError) if contact else ""
    pledge = Pledge.create(need=need, person=person, name=name, contact=contact, offer=offer,
                           amount=amount, status="offered", action_id=action_id, created_at=now)
    _follow_pledges(need, now)
    need.save()
    return pledge


def find_pledge(need, pledge_id):
    """An answer to this need (never to another), or an error."""
    number = whole_number(pledge_id)
    pledge = Pledge.get_or_none((Pledge.id == number) & (Pledge.need == need)) if number else None
    if pledge is None:
        raise NeedError(_("This answer does not exist."), "pledge_unknown")
    return pledge


def move_pledge(need, pledge_id, to, now=None):
    """A coordinator takes an answer up: accepted, fulfilled (received), or withdrawn."""
    now = now or clock.now()
    need = find_need(need.id, lock=True)
    pledge = find_pledge(need, pledge_id)
    if to not in PLEDGE_MOVES:
        raise NeedError(_("This status cannot be chosen."), "status_invalid")
    if pledge.status not in PLEDGE_MOVES[to]:
        raise NeedError(_("This answer is %(status)s already.", status=pledge.status_label),
                        "status_unchanged")
    pledge.status = to
    pledge.decided_at = now
    pledge.save()
    if need.status in LISTED or (need.status == "fulfilled" and to == "withdrawn"):
        _follow_pledges(need, now)
        need.save()
    return pledge


def thank(need, pledge_id, message="", now=None):
    """A coordinator thanks the person who answered, once, with an optional short message:
    for an answer taken up (accepted) or received (fulfilled)."""
    now = now or clock.now()
    need = find_need(need.id, lock=True)
    pledge = find_pledge(need, pledge_id)
    message = _text(message, _("Your message"), THANKS_MAX)
    if pledge.thanked_at is not None:
        raise NeedError(_("%(name)s has been thanked already.", name=pledge.name),
                        "thanked_already")
    if pledge.status not in THANKABLE:
        raise NeedError(_("You can thank someone once their answer is accepted or received."),
                        "not_thankable")
    pledge.thanked_at = now
    pledge.thanks = message
    pledge.save()
    return pledge


def withdraw_own(need, pledge_id, person, now=None):
    """The person who answered takes their answer back, while it is not yet received."""
    now = now or clock.now()
    need = find_need(need.id, lock=True)
    pledge = find_pledge(need, pledge_id)
    if person is None or pledge.person_id != person.id:
        raise NeedError(_("This answer is not yours."), "not_yours")
    if pledge.status not in PLEDGE_MOVES["withdrawn"]:
        raise NeedError(_("This answer is %(status)s already.", status=pledge.status_label),
                        "status_unchanged")
    pledge.status = "withdrawn"
    pledge.decided_at = now
    pledge.save()
    if need.status in LISTED:
        _follow_pledges(need, now)
        need.save()
    return pledge


# --- someone knows someone -------------------------------------------------------------------

# Words too common to say what a need is about, in both languages.
COMMON_WORDS = frozenset("""
aan als bij dat die dit door een en het hoe iemand in is je kan kent maar met naar niet of om
ons onze ook op over te tot van veel voor wat we weet wil willen zijn
about and are can for from how knows our someone that the their them this want who with
""".split())
# Two words fit when they are the same, or share their first letters this far ("boekhouding"
# and "boekhouder").
STEM = 6


def _words(value):
    return {word for word in re.findall(r"\w+", (value or "").lower())
            if len(word) >= 3 and word not in COMMON_WORDS}


def _fits(tag_words, need_words):
    return any(word == other or (len(word) >= STEM and len(other) >= STEM
                                 and word[:STEM] == other[:STEM])
               for word in tag_words for other in need_words)


def skilled_members(need):
    """The members of a knowledge need's co-operative whose skills fit it (a word of a skill
    in the need's text), with the fitting skills: [(person, [skill, …])], by name. Only for
    the eyes of its coordinators (`permissions.may_see_skills`)."""
    if need.kind != "knowledge":
        return []
    need_words = _words(f"{need.text_nl} {need.text_en}")
    rows = (Person.select().join(Membership)
            .where((Membership.initiative == need.initiative_id) & Person.erased_at.is_null()
                   & (Person.skills != ""))
            .order_by(Person.display_name, Person.id))
    found = []
    for person in rows:
        fitting = [tag for tag in person.skill_list if _fits(_words(tag), need_words)]
        if fitting:
            found.append((person, fitting))
    return found


# --- housekeeping -----------------------------------------------------------------------------

def expire_needs(now):
    """Needs listed past their "list until" day expire, and so do their answers that nobody
    took up; returns how many needs expired."""
    today = clock.local(now).date()
    ids = [need.id for need in locked(Need.select(Need.id).where(
        Need.status.in_(LISTED) & (Need.list_until < today)))]
    if not ids:
        return 0
    Need.update(status="expired", closed_at=now).where(Need.id.in_(ids)).execute()
    (Pledge.update(status="expired", decided_at=now)
     .where(Pledge.need.in_(ids) & (Pledge.status == "offered")).execute())
    return len(ids)


# How long the contact details of people who answered are kept after a need closed (the
# privacy page says so).
CONTACT_DAYS = 90


def forget_old_contacts(now):
    """Blank the contact details of answers to needs closed three months ago."""
    closed = Need.select(Need.id).where(Need.status.not_in(LISTED)
                                        & (Need.closed_at < now - dt.timedelta(days=CONTACT_DAYS)))
    return (Pledge.update(contact="").where(Pledge.need.in_(closed) & (Pledge.contact != ""))
            .execute())


# --- erasure ----------------------------------------------------------------------------------

ERASED_NAME = "\u2014"


def erase_person(person, needles):
    """What erasing a person means for answers: their own keep the offer and amount (the
    co-operative's count), without their name and contact."""
    from ..core.validation import phone_digits

    Pledge.update(name=ERASED_NAME, contact="", person=None).where(
        Pledge.person == person).execute()
    email = (person.email or "").lower()
    digits = phone_digits(person.phone)
    for pledge in Pledge.select().where(Pledge.person.is_null() & (Pledge.contact != "")):
        contact = pledge.contact.strip().lower()
        if contact == email or (digits and phone_digits(contact) == digits):
            pledge.name, pledge.contact = ERASED_NAME, ""
            pledge.save()
    return []


def sister_initiatives(need):
    """The co-operatives a need may be passed on to."""
    return [i for i in Initiative.listed() if i.id != need.initiative_id]

