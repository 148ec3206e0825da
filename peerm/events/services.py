"""What people do with events: sign up, cancel with their code, and get checked in at the
door. Each service runs in the caller's transaction (the sync layer opens one per action and
writes the idempotency record in it), takes its locks first, and raises `EventError` with a
stable code.

A sign-up code is short, for people to read and type, and so it can be guessed. It is never
enough on its own: the phone that made a sign-up names it by its action id (a random UUID),
the person logged in cancels their own, the organisers cancel from their door list, and anyone
else gives the code with the name the sign-up was made with. Wrong codes are counted per
address and in total, in the database (every app process sees them), and past the limit no
code is looked up at all. tests/unit/test_signup_codes.py works out what that leaves a guesser.
"""
import datetime as dt
import hmac
import ipaddress
import uuid

from flask_babel import gettext as _
from peewee import IntegrityError

from ..accounts.models import LoginFailure
from ..core import clock
from ..core.db import db, is_sqlite, locked, write_transaction
from ..core.errors import DomainError
from ..core.validation import clean_contact, clean_name, text, whole_number
from ..permissions import can_for_event
from .models import CODE_ALPHABET, CODE_LENGTH, Event, Signup, new_code

PARTY_MIN = 1
PARTY_MAX = 10
# Tries at a fresh sign-up code before giving up (31^6 codes make a clash rare).
CODE_TRIES = 5
# Wrong sign-up codes (or a code with a name it was not made with) allowed within the window,
# from one address (an IPv6 network of 64 bits counts as one) and from everyone together.
# The window is no longer than housekeeping keeps failed logins, where they are counted.
WRONG_CODE_WINDOW = dt.timedelta(minutes=15)
WRONG_CODES_PER_ADDRESS = 3
WRONG_CODES_IN_TOTAL = 10
# On PostgreSQL, code guesses are checked and counted one at a time under this advisory lock.
GUESS_LOCK = 0x5065_6572
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
    now = now or clock.now()
    name = clean_name(name, EventError)
    party_size = clean_party_size(party_size)
    contact = clean_contact(contact, EventError)
    if event.is_cancelled:
        raise EventError(_("This event is cancelled, so you cannot sign up."), "event_cancelled")
    if event.starts_at <= now:
        raise EventError(_("This event has already started, so you cannot sign up any more."),
                         "event_past")
    if not event.signup_open:
        raise EventError(_("Signing up for this event is closed."), "signup_closed")
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
    """Cancel a sign-up by its code, for someone allowed to (see `check_code`); the first on
    the waiting list moves up when there is room."""
    now = now or clock.now()
    found = Signup.get_or_none(Signup.code == clean_code(code))
    if found is None:
        raise EventError(_("We do not know the sign-up code %(code)s.", code=clean_code(code)),
                         "code_unknown")
    event = find_event(found.event_id, lock=True)
    # Read again under the event's lock: a cancel at the same moment may have come first.
    signup = Signup.get_by_id(found.id)
    if signup.status == "cancelled":
        raise EventError(_("This sign-up was already cancelled."), "already_cancelled")
    if event.has_ended(now):
        raise EventError(_("This event is over, so it cannot be cancelled any more."),
                         "event_past")
    signup.status = "cancelled"
    signup.cancelled_at = now
    signup.contact = ""
    signup.save()
    # A freed seat, or a waiting party that held others back, lets the next ones move up.
    promote(event, now)
    return signup


class WrongCode(EventError):
    """A sign-up code that does not fit; it is counted, so the caller keeps the count."""


def check_code(code, name, person=None, address=None, now=None):
    """The sign-up code, once it is clear that this person may cancel with it: their own
    sign-up, one they organise, or any sign-up when they give the name it was made with.

    A guess that does not fit raises `WrongCode` after counting it in this transaction; past
    the limit of wrong codes, nothing is looked up and `too_many_tries` is raised.
    """
    now = now or clock.now()
    code = clean_code(code)
    typed = _plain_name(name)
    if person is not None:
        signup = Signup.get_or_none(Signup.code == code)
        if signup is not None and (signup.person_id == person.id
                                   or can_for_event(person, "events.door", signup.event)):
            return code
    elif not typed:
        raise EventError(_("Fill in your sign-up code and the name you signed up with."),
                         "name_missing")
    _one_guess_at_a_time()
    limits = {"signup-code:any": WRONG_CODES_IN_TOTAL}
    if address:
        limits[f"signup-code:{_network(address)}"] = WRONG_CODES_PER_ADDRESS
    for key, limit in limits.items():
        if LoginFailure.select().where((LoginFailure.key == key)
                                       & (LoginFailure.at > now - WRONG_CODE_WINDOW)
                                       ).count() >= limit:
            raise EventError(_("Too many wrong sign-up codes were tried. Try again in a quarter "
                               "of an hour, or ask the organisers."), "too_many_tries")
    signup = Signup.get_or_none(Signup.code == code)
    if (signup is not None and typed
            and hmac.compare_digest(_plain_name(signup.name).encode(), typed.encode())):
        return code
    LoginFailure.insert_many([{"key": key, "at": now} for key in limits]).execute()
    if typed:
        raise WrongCode(_("The code %(code)s and this name do not belong to one sign-up. Check "
                          "both, as you wrote them down.", code=code), "code_unknown")
    raise WrongCode(_("We do not know the sign-up code %(code)s.", code=code), "code_unknown")


def _plain_name(raw):
    """A name as compared: spaces and capitals do not matter."""
    return " ".join((text(raw) or "").split()).casefold()


def _network(address):
    """Who guesses, as counted: an IPv4 address, or the 64-bit network of an IPv6 address
    (one phone may hold a whole network of them)."""
    try:
        ip = ipaddress.ip_address(str(address).split("%")[0])
    except ValueError:
        return str(address)[:100]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _one_guess_at_a_time():
    """Guesses sent at once must not all pass the count before any is counted. SQLite's write
    transaction already runs one at a time; PostgreSQL waits here until the end of the other
    guessing transactions."""
    if not is_sqlite():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (GUESS_LOCK,))


def signup_of_action(action_id):
    """The sign-up that an `event.signup` action made, by the action id the phone gave it (a
    random UUID, which only that phone holds); None for anything else."""
    from ..outbox.models import SyncRecord

    try:
        action_id = str(uuid.UUID(str(text(action_id) or "")[:36]))
    except ValueError:
        return None
    record = SyncRecord.get_or_none((SyncRecord.action_id == action_id)
                                    & (SyncRecord.type == "event.signup")
                                    & (SyncRecord.status == "applied"))
    if record is None or not record.ref:
        return None
    return Signup.get_or_none(Signup.code == record.ref)


def set_recording(event, url):
    """Add (or clear) the link to a Social Talk's recording."""
    url = (text(url) or "").strip()
    if url and not (url.startswith("https://") and len(url) <= 500 and " " not in url):
        raise EventError(_("A recording link starts with https:// and has no spaces."),
                         "recording_invalid")
    event = find_event(event.id, lock=True)
    event.recording_url = url
    event.save()
    return event


def promote(event, now=None):
    """Move people up from the waiting list, first come first, while their party fits."""
    now = now or clock.now()
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
    at = at or clock.now()
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


# --- what is kept, and for how long ---------------------------------------------------------

# How long after an event the contact details of its sign-ups are kept (the privacy page
# says so).
CONTACT_DAYS = 30


def forget_old_contacts(now):
    """Remove the contact details of sign-ups a month after their event; returns how many."""
    ended = Event.select(Event.id).where(Event.ends_at < now - dt.timedelta(days=CONTACT_DAYS))
    with write_transaction():
        return (Signup.update(contact="")
                .where(Signup.event.in_(ended) & (Signup.contact != "")).execute())


# --- erasure --------------------------------------------------------------------------------

def erase_person(person, needles):
    """What erasing a person means for sign-ups: their own, those made logged out with their
    phone or address, and walk-ins by their name at their co-operatives' events keep the
    count of people and lose the name and contact."""
    from ..core.validation import phone_digits

    initiative_ids = {membership.initiative_id for membership in person.memberships}
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
    return []
