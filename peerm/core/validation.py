"""The checks of what people type, shared by every part: whole numbers (ASCII digits within a
database integer), text that any database can store, a name, a way to reach someone, and
finding a person's name in a note when they are erased."""
import re

from flask_babel import gettext as _

from .errors import DomainError

NAME_MAX = 80
CONTACT_MAX = 254
EMAIL_PATTERN = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{6,20}$")
FORBIDDEN_IN_NAMES = re.compile(r"[<>\x00-\x1f\x7f]")
# The largest whole number every database's integer column holds: ids and counts stay below.
INT_MAX = 2**31 - 1
# ASCII digits only: Python's `isdigit()` is also true for "²" (which `int()` refuses) and
# for "١٢" (which `int()` reads as 12).
ASCII_DIGITS = re.compile(r"[0-9]+")


def mentions(text, needles):
    """Whether the text names any of these (a name as a whole word, an address, a number)."""
    return any(_needle_pattern(needle).search(text or "") for needle in needles if needle)


def without(text, needles, stand_in="\u2014"):
    """The text with every mention of these replaced by a dash: what is left of a note once
    the person it names has been erased."""
    for needle in needles:
        if needle:
            text = _needle_pattern(needle).sub(stand_in, text or "")
    return text


def _needle_pattern(needle):
    return re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", re.IGNORECASE)


def phone_digits(raw):
    """The last nine digits of a phone number, which "06 12345678" and "+31 6 1234 5678"
    share; empty for anything shorter."""
    digits = "".join(ch for ch in raw or "" if ch in "0123456789")
    return digits[-9:] if len(digits) >= 9 else ""


def digits(raw, max_length):
    """Whether `raw` is a string of 1 to `max_length` ASCII digits, and nothing else."""
    return (isinstance(raw, str) and 0 < len(raw) <= max_length
            and ASCII_DIGITS.fullmatch(raw) is not None)


def whole_number(raw, maximum=INT_MAX):
    """A whole number from 0 to `maximum`, from an int (not a bool) or a string of ASCII digits
    with spaces around; None for anything else ("²", "١٢", "-1", "1_000", 10**30)."""
    if isinstance(raw, str):
        raw = raw.strip()
        if not digits(raw, len(str(maximum))):
            return None
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        return None
    return raw if 0 <= raw <= maximum else None


def text(raw):
    """A string from a form or an action, or None when it is something else (a list, a number)."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        return None
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database can store it
        return None
    return raw


def clean_name(raw, error=DomainError):
    """The name as typed, trimmed, or an error explaining what is wrong with it."""
    raw = text(raw)
    if raw is None:
        raise error(_("A name cannot contain < or > or special characters."), "name_invalid")
    name = " ".join(raw.split())
    if not name:
        raise error(_("Please fill in the name you want to be called."), "name_missing")
    if len(name) > NAME_MAX:
        raise error(_("A name can be at most %(max)d characters.", max=NAME_MAX), "name_too_long")
    if FORBIDDEN_IN_NAMES.search(name):
        raise error(_("A name cannot contain < or > or special characters."), "name_invalid")
    return name


def clean_contact(raw, error=DomainError):
    """An e-mail address or phone number, or empty; anything else is an error."""
    raw = text(raw)
    contact = " ".join((raw or "").split())
    if raw is not None and not contact:
        return ""
    usable = (raw is not None and len(contact) <= CONTACT_MAX
              and not FORBIDDEN_IN_NAMES.search(contact)
              and (EMAIL_PATTERN.match(contact) or PHONE_PATTERN.match(contact)))
    if not usable:
        raise error(_("Fill in a phone number or an e-mail address, or leave it empty."),
                    "contact_invalid")
    return contact
