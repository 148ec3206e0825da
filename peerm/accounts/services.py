"""What can be done with accounts: log in, invite, join, reset a password, change roles,
export and erase. Services take plain values, run in one transaction and raise
`AccountError` with a stable code and a message for the person.
"""
import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from peewee import IntegrityError

from .. import validation
from ..db import db, write_transaction
from ..validation import DomainError
from .models import ROLES, Invite, LoginFailure, Membership, Person, normalise_email, utcnow

# Argon2id with the library's recommended settings (RFC 9106, low memory). The tests choose
# the cheapest profile through the `ARGON2_PROFILE` setting: they log in hundreds of times.
ARGON2_DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"

# Limits on what people type.
EMAIL_MAX = 254
PHONE_MAX = 32
PASSWORD_MIN = 10
PASSWORD_MAX = 200
# How long links stay valid.
INVITE_DAYS = 14
RESET_HOURS = 48
# Failed logins allowed within the window, per account and per address.
LOGIN_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 30

EMAIL_PATTERN = validation.EMAIL_PATTERN
PHONE_PATTERN = validation.PHONE_PATTERN


class AccountError(DomainError):
    """A request about an account that cannot be done; `message` is for the person."""


def hasher():
    """The password hasher of the running app's profile."""
    name = current_app.config.get("ARGON2_PROFILE", ARGON2_DEFAULT_PROFILE)
    return PasswordHasher.from_parameters(getattr(profiles, name))


def hash_password(password):
    return hasher().hash(password)


def password_matches(person, password):
    if not person or not person.password_hash:
        return False
    try:
        return hasher().verify(person.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def clean_name(raw):
    """The display name as typed, trimmed, or an error explaining what is wrong with it."""
    return validation.clean_name(raw, AccountError)


def clean_email(raw, required=False):
    email = normalise_email(raw)
    if not email:
        if required:
            raise AccountError(_("Please fill in your e-mail address."), "email_missing")
        return None
    if len(email) > EMAIL_MAX or not EMAIL_PATTERN.match(email):
        raise AccountError(_("This is not an e-mail address we can use."), "email_invalid")
    return email


def clean_phone(raw):
    phone = " ".join((raw or "").split())
    if not phone:
        return None
    if len(phone) > PHONE_MAX or not PHONE_PATTERN.match(phone):
        raise AccountError(_("This is not a phone number we can use."), "phone_invalid")
    return phone


def check_password(password):
    if len(password or "") < PASSWORD_MIN:
        raise AccountError(
            _("Choose a password of at least %(min)d characters.", min=PASSWORD_MIN),
            "password_short")
    if len(password) > PASSWORD_MAX:
        raise AccountError(_("A password can be at most %(max)d characters.", max=PASSWORD_MAX),
                           "password_long")
    return password


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- logging in -----------------------------------------------------------------------------

def log_in(email, password, address, now=None):
    """The person with this address and password; failures are counted and limited."""
    now = now or utcnow()
    email = normalise_email(email)[:EMAIL_MAX]
    keys = [f"account:{email}", f"address:{address}"]
    _refuse_when_limited(keys, now)
    person = Person.by_email(email) if email else None
    if not password_matches(person, password or ""):
        with db.atomic():
            for key in keys:
                LoginFailure.create(key=key, at=now)
        raise AccountError(_("This e-mail address and password do not match."), "login_failed")
    if hasher().check_needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
        person.save()
    LoginFailure.delete().where(LoginFailure.key == keys[0]).execute()
    return person


def _refuse_when_limited(keys, now):
    since = now - LOGIN_WINDOW
    for key, limit in zip(keys, (ACCOUNT_FAILURES, ADDRESS_FAILURES)):
        recent = (LoginFailure.select().where((LoginFailure.key == key) & (LoginFailure.at > since))
                  .order_by(LoginFailure.at))
        count = recent.count()
        if count >= limit:
            oldest = recent.first().at
            minutes = max(1, int((oldest + LOGIN_WINDOW - now).total_seconds() // 60) + 1)
            raise AccountError(
                _("Too many attempts. Try again in %(minutes)d minutes.", minutes=minutes),
                "rate_limited")


def forget_old_failures(now=None):
    """Remove failed logins older than the window: they count for nothing any more."""
    now = now or utcnow()
    return LoginFailure.delete().where(LoginFailure.at <= now - LOGIN_WINDOW).execute()


# --- invites and resets ---------------------------------------------------------------------

def create_invite(initiative, role, created_by, now=None):
    """A single-use link to join a co-operative with a role. Returns (invite, token)."""
    if role not in ROLES:
        raise AccountError(_("Choose a role."), "role_invalid")
    now = now or utcnow()
    token = secrets.token_urlsafe(24)
    invite = Invite.create(token_hash=_token_hash(token), purpose="join", initiative=initiative,
                           role=role, created_by=created_by, created_at=now,
                           expires_at=now + dt.timedelta(days=INVITE_DAYS))
    return invite, token


def create_reset(person, created_by, now=None):
    """A single-use link for a person to choose a new password. Returns (invite, token)."""
    if person.is_erased:
        raise AccountError(_("This account has been deleted."), "erased")
    now = now or utcnow()
    token = secrets.token_urlsafe(24)
    invite = Invite.create(token_hash=_token_hash(token), purpose="reset", person=person,
                           created_by=created_by, created_at=now,
                           expires_at=now + dt.timedelta(hours=RESET_HOURS))
    return invite, token


def find_invite(token, purpose, now=None):
    """The open invite behind a token, or an error saying why it cannot be used."""
    now = now or utcnow()
    invite = Invite.get_or_none((Invite.token_hash == _token_hash(token or ""))
                                & (Invite.purpose == purpose))
    if invite is None:
        raise AccountError(_("This link is not valid. Ask your coordinator for a new one."),
                           "invite_unknown")
    if invite.used_at is not None:
        raise AccountError(_("This link has already been used. Ask your coordinator for a new "
                             "one."), "invite_used")
    if invite.expires_at <= now:
        raise AccountError(_("This link has expired. Ask your coordinator for a new one."),
                           "invite_expired")
    return invite


def accept_invite(token, display_name, email, password, language="nl", now=None):
    """Join with an invite: make the account (or add the membership) and use the invite up."""
    now = now or utcnow()
    name = clean_name(display_name)
    email = clean_email(email, required=True)
    check_password(password)
    with db.atomic():
        invite = find_invite(token, "join", now)
        if Person.by_email(email):
            raise AccountError(_("There is already an account with this e-mail address. Log in "
                                 "first, then open the link again."), "email_taken")
        try:
            person = Person.create(display_name=name, email=email, language=language,
                                   password_hash=hash_password(password), created_at=now)
        except IntegrityError:
            # Someone took the address between the check and the insert.
            raise AccountError(_("There is already an account with this e-mail address."),
                               "email_taken") from None
        _use_invite(invite, person, now)
    return person


def join_with_invite(token, person, now=None):
    """A logged-in person joins the invite's co-operative (or gets its role there)."""
    now = now or utcnow()
    with db.atomic():
        invite = find_invite(token, "join", now)
        _use_invite(invite, person, now)
    return invite


def _use_invite(invite, person, now):
    updated = (Invite.update(used_at=now, person=person)
               .where((Invite.id == invite.id) & Invite.used_at.is_null()).execute())
    if not updated:
        raise AccountError(_("This link has already been used."), "invite_used")
    membership = Membership.get_or_none(person=person, initiative=invite.initiative)
    if membership is None:
        Membership.create(person=person, initiative=invite.initiative, role=invite.role,
                          created_at=now)
    else:
        membership.role = invite.role
        membership.save()


def reset_password(token, password, now=None):
    """Set a new password with a reset link; every older session of the person ends."""
    now = now or utcnow()
    check_password(password)
    with db.atomic():
        invite = find_invite(token, "reset", now)
        person = invite.person
        updated = (Invite.update(used_at=now)
                   .where((Invite.id == invite.id) & Invite.used_at.is_null()).execute())
        if not updated:
            raise AccountError(_("This link has already been used."), "invite_used")
        person.password_hash = hash_password(password)
        person.session_epoch += 1
        person.save()
    return person


# --- memberships ----------------------------------------------------------------------------

def change_role(membership, role):
    """Give a member another role in their co-operative."""
    if role not in ROLES:
        raise AccountError(_("Choose a role."), "role_invalid")
    membership.role = role
    membership.save()
    return membership


def remove_membership(membership):
    """Take a person out of a co-operative; their account stays."""
    membership.delete_instance()


# --- the person's own data ------------------------------------------------------------------

def update_profile(person, display_name, phone, language):
    person.display_name = clean_name(display_name)
    person.phone = clean_phone(phone)
    if language in ("nl", "en"):
        person.language = language
    person.save()
    return person


# Fields never handed out, not even to their owner: secrets and their hashes.
SECRET_FIELDS = {"password_hash", "pin_hash", "token_hash", "body_hash"}


def export_data(person):
    """Everything Peer'M keeps about a person: their row, and every row of every table that
    points to them, as plain JSON values, table by table."""
    from playhouse.shortcuts import model_to_dict

    from ..db import all_models

    def plain(row):
        data = model_to_dict(row, recurse=False)
        return {key: (value.isoformat() if hasattr(value, "isoformat") else value)
                for key, value in data.items() if key not in SECRET_FIELDS}

    export = {"person": plain(person)}
    export["person"]["has_pin"] = bool(person.pin_hash)
    for model in all_models():
        links = [field for field in model._meta.fields.values()
                 if getattr(field, "rel_model", None) is Person]
        if not links:
            continue
        condition = None
        for field in links:
            condition = (field == person) if condition is None else (condition | (field == person))
        rows = [plain(row) for row in model.select().where(condition).order_by(model._meta.primary_key)]
        export[model._meta.table_name] = rows
    if person.email:
        export["login_failures"] = [
            {"at": f.at.isoformat()}
            for f in LoginFailure.select().where(LoginFailure.key == f"account:{person.email}")]
    return export


def _erase_elsewhere(person):
    """What other parts keep of the person: names, contacts and notes go, facts stay
    anonymous. Runs before the person's own row is blanked: it searches by their name,
    address and phone."""
    from .. import sync
    from ..events import services as events
    from ..toolshed import services as toolshed
    from ..volunteering import services as volunteering

    needles = [value for value in (person.display_name, person.email, person.phone) if value]
    initiative_ids = {m.initiative_id for m in person.memberships}
    events.erase_person(person, needles, initiative_ids)
    files = volunteering.erase_person(person, needles)
    toolshed.erase_person(person, needles)
    sync.erase_person(person, needles)
    return files


def erase_account(person, now=None):
    """Delete an account: blank every personal field, keep only an anonymous row."""
    now = now or utcnow()
    with write_transaction():
        if person.email:
            LoginFailure.delete().where(LoginFailure.key == f"account:{person.email}").execute()
        files = _erase_elsewhere(person)
        Membership.delete().where(Membership.person == person).execute()
        Invite.delete().where(Invite.person == person).execute()
        Invite.update(created_by=None).where(Invite.created_by == person).execute()
        person.display_name = ""
        person.email = None
        person.phone = None
        person.password_hash = None
        person.pin_hash = None
        person.over_21 = None
        person.is_admin = False
        person.session_epoch += 1
        person.erased_at = now
        person.save()
    # Files go once the erasure is committed, so a failed erasure leaves everything as it was.
    for path in files:
        path.unlink(missing_ok=True)
    return person
