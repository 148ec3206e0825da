"""What people do with events: sign up, cancel with their code, and get checked in at the
door. Each service runs in the caller's transaction (the sync layer opens one per action and
writes the idempotency record in it) and raises `EventError` with a stable code."""
from flask_babel import gettext as _
from peewee import IntegrityError

from ..db import db, locked
from ..validation import DomainError, clean_contact, clean_name, text, whole_number
from .models import CODE_ALPHABET, CODE_LENGTH, Event, Signup, local_now, new_code

PARTY_MIN = 1
PARTY_MAX = 10
# Tries at a fresh sign-up code before giving up (31^6 codes make a clash rare).
CODE_TRIES = 5
# What a door list shows for a sign-up whose person erased their account.
ERASED_NAME = "\u2014"


class EventError(DomainError):
    """A request about an event that cannot be done."""


def find_event(event_id, lock=False):
    """The event with this id (locked for the transaction when asked), or an error."""
    number = whole_number(event_id)
    event = None
    if number is not None and number < 2**31:
        query = Event.select().where(Event.id == number)
        event = (locked(query) if lock else query).first()
    if event is None:
        raise EventError(_("This event does not exist."), "event_unknown")
    return event


def clean_party_size(raw):
    size = whole_number(raw) or 0
    if not PARTY_MIN <= size <= PARTY_MAX:
        raise EventError(_("You can sign up with %(min)d to %(max)d people.", min=PARTY_MIN,
                           max=PARTY_MAX), "party_size_invalid")
    return size


def clean_code(raw):
    code = "".join((text(raw) or "").split()).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise EventError(_("A sign-up code has 6 letters and digits, like K7QM2P."),
                         "code_invalid")
    return code


def sign_up(event, name, party_size, contact="", person=None, now=None):
    """Sign up for an event: a confirmed place while there is room, else the waiting list."""
    now = now or local_now()
    name = clean_name(name, EventError)
    party_size = clean_party_size(party_size)
    contact = clean_contact(contact, EventError)
    if event.starts_at <= now:
        raise EventError(_("This event has already started, so you cannot sign up any more."),
                         "event_past")
    left = event.seats_left()
    # First come, first served: nobody passes those already waiting.
    fits = left is None or (left >= party_size and not Signup.waiting(event).exists())
    status = "confirmed" if fits else "waitlisted"
    for _try in range(CODE_TRIES):
        try:
            with db.atomic():  # a savepoint: a clash must not abort the whole transaction
                return Signup.create(event=event, code=new_code(), name=name,
                                     party_size=party_size, contact=contact, person=person,
                                     status=status, created_at=now)
        except IntegrityError:
            # Another sign-up has this code already; draw again.
            continue
    raise EventError(_("Please try again."), "code_clash")


def cancel(code, now=None):
    """Cancel a sign-up by its code; the first on the waiting list moves up when there is room."""
    now = now or local_now()
    signup = Signup.get_or_none(Signup.code == clean_code(code))
    if signup is None:
        raise EventError(_("We do not know the sign-up code %(code)s.", code=clean_code(code)),
                         "code_unknown")
    find_event(signup.event_id, lock=True)
    if signup.status == "cancelled":
        raise EventError(_("This sign-up was already cancelled."), "already_cancelled")
    if signup.event.has_ended(now):
        raise EventError(_("This event is over, so it cannot be cancelled any more."),
                         "event_past")
    signup.status = "cancelled"
    signup.cancelled_at = now
    signup.contact = ""
    signup.save()
    # A freed seat, or a waiting party that held others back, lets the next ones move up.
    promote(signup.event, now)
    return signup


def promote(event, now=None):
    """Move people up from the waiting list, first come first, while their party fits."""
    now = now or local_now()
    promoted = []
    for waiting in Signup.waiting(event):
        left = event.seats_left()
        if left is not None and waiting.party_size > left:
            break
        waiting.status = "confirmed"
        waiting.promoted_at = now
        waiting.save()
        promoted.append(waiting)
    return promoted


def attend(event, code=None, name=None, at=None):
    """Mark an arrival at the door: a sign-up by its code, or a walk-in by name.

    An arrival is a fact: it is accepted even when the event is full, and a second mark of the
    same person keeps the first time.
    """
    at = at or local_now()
    if code:
        signup = Signup.get_or_none((Signup.code == clean_code(code)) & (Signup.event == event))
        if signup is None:
            raise EventError(_("We do not know the sign-up code %(code)s for this event.",
                               code=code), "code_unknown")
        if signup.attended_at is None:
            signup.attended_at = at
            if signup.status != "confirmed":
                # They came anyway: a fact, so they count as present.
                signup.status = "confirmed"
            signup.save()
        return signup
    name = clean_name(name, EventError)
    for _try in range(CODE_TRIES):
        try:
            with db.atomic():
                return Signup.create(event=event, code=new_code(), name=name, party_size=1,
                                     status="confirmed", walk_in=True, created_at=at,
                                     attended_at=at)
        except IntegrityError:
            continue
    raise EventError(_("Please try again."), "code_clash")


# --- erasure --------------------------------------------------------------------------------

def erase_person(person, needles, initiative_ids):
    """What erasing a person means for sign-ups: their own, those made logged out with their
    phone or address, and walk-ins by their name at their co-operatives' events keep the
    count of people and lose the name and contact."""
    from ..validation import phone_digits

    name = " ".join((person.display_name or "").split()).lower()
    email = (person.email or "").lower()
    digits = phone_digits(person.phone)
    Signup.update(name=ERASED_NAME, contact="", person=None).where(Signup.person == person).execute()
    candidates = Signup.select().where(Signup.person.is_null() & (
        (Signup.contact != "") | Signup.walk_in))
    for signup in candidates:
        contact = signup.contact.strip().lower()
        by_contact = contact and (contact == email or (digits and phone_digits(contact) == digits))
        by_name = (signup.walk_in and name and " ".join(signup.name.split()).lower() == name
                   and (signup.event.initiative_id is None
                        or signup.event.initiative_id in initiative_ids))
        if by_contact or by_name:
            signup.name, signup.contact = ERASED_NAME, ""
            signup.save()
