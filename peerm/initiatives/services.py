"""Changing a co-operative's own page: what it does, how to reach it, and its partners.

Each service runs inside `write_transaction()`, locks the co-operative first, checks every
field before it changes one, and raises `InitiativeError` with a stable code.
"""
import re

from flask_babel import gettext as _

from ..core.db import locked
from ..core.errors import DomainError
from ..core.validation import EMAIL_PATTERN, FORBIDDEN_IN_NAMES, text
from .models import LEGAL_FORMS, PARTNER_KINDS, Initiative, Partner

# The longest texts a page takes, in characters.
SUMMARY_MAX = 300
DESCRIPTION_MAX = 5000
LINE_MAX = 200
GIVING_MAX = 300
PARTNER_NAME_MAX = 160
PARTNER_TEXT_MAX = 1000
# A Dutch phone number as people write it: 0 and nine digits, or +31 / 0031 and nine digits
# (spaces, dashes, dots and brackets allowed in between).
DUTCH_PHONE = re.compile(r"(?:\+31|0031|0)([1-9][0-9]{8})")
PHONE_DECORATION = re.compile(r"[\s().-]")
# Mobile numbers start with 6 after the country code: only they have WhatsApp.
MOBILE_PREFIX = "6"
URL_PATTERN = re.compile(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]{1,5})?(?:/[^\s<>\"]*)?")


class InitiativeError(DomainError):
    """A change to a co-operative's page that cannot be made."""


def _line(raw, label, maximum, required=False, multiline=False):
    """A text field trimmed, or an error that names the field."""
    value = text(raw)
    if value is None or "\x00" in value:
        raise InitiativeError(_("%(field)s holds characters that cannot be saved.",
                                field=label), "text_invalid")
    value = value.strip().replace("\r\n", "\n") if multiline else " ".join(value.split())
    if required and not value:
        raise InitiativeError(_("Please fill in %(field)s.", field=label), "missing")
    if len(value) > maximum:
        raise InitiativeError(_("%(field)s can be at most %(max)d characters (now %(now)d).",
                                field=label, max=maximum, now=len(value)), "too_long")
    return value


def dutch_phone(raw, label, mobile=False):
    """A Dutch phone number in the form people typed it, or empty; an error otherwise."""
    value = _line(raw, label, 25)
    if not value:
        return ""
    match = DUTCH_PHONE.fullmatch(PHONE_DECORATION.sub("", value))
    if match is None:
        raise InitiativeError(_("%(field)s is not a Dutch phone number. Write it like "
                                "06 12345678 or 010 1234567.", field=label), "phone_invalid")
    if mobile and not match.group(1).startswith(MOBILE_PREFIX):
        raise InitiativeError(_("%(field)s must be a mobile number (06…).", field=label),
                              "phone_invalid")
    return value


def international(phone):
    """A checked Dutch number as +31… for tel: and wa.me links ("" for empty)."""
    match = DUTCH_PHONE.fullmatch(PHONE_DECORATION.sub("", phone or ""))
    return f"+31{match.group(1)}" if match else ""


def _email(raw):
    value = _line(raw, _("E-mail"), 254)
    if value and (not EMAIL_PATTERN.match(value) or FORBIDDEN_IN_NAMES.search(value)):
        raise InitiativeError(_("This e-mail address is not complete: it looks like "
                                "naam@voorbeeld.nl."), "email_invalid")
    return value


def _website(raw):
    value = _line(raw, _("Website"), LINE_MAX)
    if value and not URL_PATTERN.fullmatch(value):
        raise InitiativeError(_("A website address starts with https:// and has no spaces, "
                                "like https://www.voorbeeld.nl."), "url_invalid")
    return value


def clean_page(form):
    """Every field of a co-operative's page checked, as {column: value}; the first fault
    raises."""
    legal_form = text(form.get("legal_form")) or ""
    if legal_form not in LEGAL_FORMS:
        raise InitiativeError(_("Choose a legal form from the list."), "legal_form_invalid")
    return {
        "summary_nl": _line(form.get("summary_nl"), _("What you do, in short (Dutch)"),
                            SUMMARY_MAX, required=True),
        "summary_en": _line(form.get("summary_en"), _("What you do, in short (English)"),
                            SUMMARY_MAX),
        "description_nl": _line(form.get("description_nl"), _("What you do (Dutch)"),
                                DESCRIPTION_MAX, required=True, multiline=True),
        "description_en": _line(form.get("description_en"), _("What you do (English)"),
                                DESCRIPTION_MAX, multiline=True),
        "legal_form": legal_form,
        "address": _line(form.get("address"), _("Address"), LINE_MAX),
        "opening_hours_nl": _line(form.get("opening_hours_nl"), _("Opening hours (Dutch)"),
                                  LINE_MAX),
        "opening_hours_en": _line(form.get("opening_hours_en"), _("Opening hours (English)"),
                                  LINE_MAX),
        "phone": dutch_phone(form.get("phone"), _("Phone")),
        "whatsapp": dutch_phone(form.get("whatsapp"), _("WhatsApp"), mobile=True),
        "email": _email(form.get("email")),
        "website": _website(form.get("website")),
        "giving_nl": _line(form.get("giving_nl"), _("How to give money (Dutch)"), GIVING_MAX),
        "giving_en": _line(form.get("giving_en"), _("How to give money (English)"), GIVING_MAX),
    }


def _lock(initiative):
    return locked(Initiative.select().where(Initiative.id == initiative.id)).get()


def update_page(initiative, form):
    """Change what a co-operative's page says; nothing changes when a field is wrong."""
    values = clean_page(form)
    initiative = _lock(initiative)
    for name, value in values.items():
        setattr(initiative, name, value)
    initiative.save()
    return initiative


def clean_partner(form):
    kind = text(form.get("kind")) or ""
    if kind not in PARTNER_KINDS:
        raise InitiativeError(_("Choose what kind of partner this is."), "kind_invalid")
    name = _line(form.get("name"), _("Name of the partner"), PARTNER_NAME_MAX, required=True)
    if FORBIDDEN_IN_NAMES.search(name):
        raise InitiativeError(_("A name cannot contain < or > or special characters."),
                              "name_invalid")
    return {
        "name": name,
        "kind": kind,
        "text_nl": _line(form.get("text_nl"), _("What you do together (Dutch)"),
                         PARTNER_TEXT_MAX, required=True, multiline=True),
        "text_en": _line(form.get("text_en"), _("What you do together (English)"),
                         PARTNER_TEXT_MAX, multiline=True),
    }


def add_partner(initiative, form):
    values = clean_partner(form)
    initiative = _lock(initiative)
    return Partner.create(initiative=initiative, **values)


def find_partner(initiative, partner_id):
    """A partner of this co-operative (never another's), or an error."""
    partner = Partner.get_or_none((Partner.id == partner_id)
                                  & (Partner.initiative == initiative))
    if partner is None:
        raise InitiativeError(_("This partner is not listed here."), "partner_unknown")
    return partner


def update_partner(initiative, partner_id, form):
    values = clean_partner(form)
    _lock(initiative)
    partner = find_partner(initiative, partner_id)
    for name, value in values.items():
        setattr(partner, name, value)
    partner.save()
    return partner


def remove_partner(initiative, partner_id):
    _lock(initiative)
    partner = find_partner(initiative, partner_id)
    partner.delete_instance()
    return partner
