"""What can be done with accounts: log in, invite, join, reset a password, change roles,
export and erase. Services take plain values, run in one transaction and raise
`AccountError` with a stable code and a message for the person.

Every service that writes takes the write lock when its transaction begins
(`write_transaction`) and locks the rows it reads on PostgreSQL (`locked`); hashing a
password, the slow part, happens before the transaction, never inside it.
"""
import datetime as dt
import hashlib
import math
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from peewee import IntegrityError

from ..core import clock, validation
from ..core.db import locked, write_transaction
from ..core.errors import DomainError
from . import passwords, sessions
from .export import export_data  # noqa: F401 - the export is a service like the others
from .models import (
    ROLES,
    Invite,
    LoginFailure,
    Membership,
    Person,
    normalise_email,
    split_skills,
)

# Argon2id with the library's recommended settings (RFC 9106, low memory). The tests choose
# the cheapest profile through the `ARGON2_PROFILE` setting: they log in hundreds of times.
ARGON2_DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"

# Limits on what people type.
EMAIL_MAX = 254
PHONE_MAX = 32
# Skills: each tag, and all of them together, in characters.
SKILL_MAX = 60
SKILLS_MAX = 300
PASSWORD_MIN = 10
PASSWORD_MAX = 200
# How long links stay valid.
INVITE_DAYS = 14
RESET_HOURS = 48
# Failed logins allowed within the window, per account and per address. A lock-out is never
# longer than the window after the failures that caused it: refused attempts do not count.
LOGIN_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 30
# How long a person is told, at each login, that their password was reset and by whom.
RESET_NOTICE = dt.timedelta(days=14)

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


# One hash of a random password per hasher profile, made once per process: checking a
# password against it costs what checking a real one costs.
_stand_in_hashes = {}


def _stand_in_hash():
    name = current_app.config.get("ARGON2_PROFILE", ARGON2_DEFAULT_PROFILE)
    if name not in _stand_in_hashes:
        _stand_in_hashes[name] = hash_password(secrets.token_urlsafe(16))
    return _stand_in_hashes[name]


def password_matches(person, password):
    """Whether this is the person's password. Without an account or a password a stand-in
    hash is checked all the same, so that the time taken tells nobody who has an account."""
    has_password = bool(person and person.password_hash)
    try:
        matches = hasher().verify(person.password_hash if has_password else _stand_in_hash(),
                                  password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and has_password


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


def check_password(password, personal=()):
    """The password as typed, or an error saying why it is too easy to guess (NIST SP
    800-63B: a least length, no composition rules, no common or personal passwords).
    `personal` holds the person's own name and e-mail address."""
    if len(password or "") < PASSWORD_MIN:
        raise AccountError(
            _("Choose a password of at least %(min)d characters.", min=PASSWORD_MIN),
            "password_short")
    if len(password) > PASSWORD_MAX:
        raise AccountError(_("A password can be at most %(max)d characters.", max=PASSWORD_MAX),
                           "password_long")
    weakness = passwords.weakness(password, personal)
    if weakness == "simple":
        raise AccountError(_("This password is too easy to guess: it repeats itself, or follows "
                             "the keyboard or the alphabet. A few words that belong together "
                             "only for you work well."), "password_simple")
    if weakness == "personal":
        raise AccountError(_("Do not use your name, your e-mail address or the name of Peer'M "
                             "as your password."), "password_personal")
    if weakness == "common":
        raise AccountError(_("Very many people use this password, so it is guessed first. "
                             "Choose another one: a few words that belong together only for "
                             "you work well."), "password_common")
    return password


def common_passwords():
    """The list of common passwords that nobody may choose."""
    return passwords.common_passwords()


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- logging in -----------------------------------------------------------------------------

def log_in(email, password, address, now=None):
    """The person with this address and password; attempts are counted and limited."""
    now = now or clock.now()
    email = normalise_email(email)[:EMAIL_MAX]
    keys = [f"account:{email}", f"address:{address}"]
    attempts = _count_attempt(keys, now)
    person = Person.by_email(email) if email else None
    if not password_matches(person, password or ""):
        # The attempt's rows stay: they are the failures that count.
        raise AccountError(_("This e-mail address and password do not match."), "login_failed")
    LoginFailure.delete().where((LoginFailure.key == keys[0])
                                | LoginFailure.id.in_(attempts)).execute()
    _renew_hash(person, password)
    return person


def _count_attempt(keys, now):
    """Count this attempt before its password is checked, then refuse it when it is one too
    many. The attempt is committed before counting: of attempts made at the same moment,
    whichever counts last sees them all, so no more passwords are checked than the limits
    allow, on any number of app processes. A refused attempt takes its rows away again, so
    that hammering on a locked account does not keep it locked. Returns the attempt's rows."""
    with write_transaction():
        attempts = [LoginFailure.create(key=key, at=now).id for key in keys]
    since = now - LOGIN_WINDOW
    for key, limit in zip(keys, (ACCOUNT_FAILURES, ADDRESS_FAILURES)):
        recent = LoginFailure.select().where((LoginFailure.key == key) & (LoginFailure.at > since))
        if recent.count() > limit:
            LoginFailure.delete().where(LoginFailure.id.in_(attempts)).execute()
            oldest = recent.order_by(LoginFailure.at).first()
            until = (oldest.at if oldest else now) + LOGIN_WINDOW
            minutes = max(1, math.ceil((until - now).total_seconds() / 60))
            raise AccountError(
                _("Too many attempts. Try again in %(minutes)d minutes. Forgot your password? "
                  "Your coordinator can make you a link for a new one.", minutes=minutes),
                "rate_limited")
    return attempts


def _renew_hash(person, password):
    """Hash the password again when the hasher's settings grew stronger since it was stored;
    a password changed in the meantime is left alone."""
    if not hasher().check_needs_rehash(person.password_hash):
        return
    renewed = hash_password(password)
    (Person.update(password_hash=renewed)
     .where((Person.id == person.id) & (Person.password_hash == person.password_hash))
     .execute())
    person.password_hash = renewed


def forget_old_failures(now=None):
    """Remove failed logins older than the window: they count for nothing any more."""
    now = now or clock.now()
    return LoginFailure.delete().where(LoginFailure.at <= now - LOGIN_WINDOW).execute()


# --- invites and resets ---------------------------------------------------------------------

def create_invite(initiative, role, created_by, now=None):
    """A single-use link to join a co-operative with a role. Returns (invite, token)."""
    if role not in ROLES:
        raise AccountError(_("Choose a role."), "role_invalid")
    now = now or clock.now()
    token = secrets.token_urlsafe(24)
    with write_transaction():
        invite = Invite.create(token_hash=_token_hash(token), purpose="join",
                               initiative=initiative, role=role, created_by=created_by,
                               created_at=now, expires_at=now + dt.timedelta(days=INVITE_DAYS))
    return invite, token


def create_reset(person, created_by, now=None):
    """A single-use link for a person to choose a new password; the person's older links stop
    working. Returns (invite, token). Who may make one is `permissions.may_reset_password`."""
    if person.is_erased:
        raise AccountError(_("This account has been deleted."), "erased")
    now = now or clock.now()
    token = secrets.token_urlsafe(24)
    with write_transaction():
        # Links made for one person at the same moment queue up: one of them stays valid.
        locked(Person.select().where(Person.id == person.id)).get()
        (Invite.update(expires_at=now)
         .where((Invite.person == person) & (Invite.purpose == "reset")
                & Invite.used_at.is_null() & (Invite.expires_at > now))
         .execute())
        invite = Invite.create(token_hash=_token_hash(token), purpose="reset", person=person,
                               created_by=created_by, created_at=now,
                               expires_at=now + dt.timedelta(hours=RESET_HOURS))
    return invite, token


def open_invites(initiative, now=None):
    """A co-operative's invite links that still work: not used, not expired, newest first."""
    now = now or clock.now()
    return list(Invite.select().where((Invite.initiative == initiative)
                                      & (Invite.purpose == "join") & Invite.used_at.is_null()
                                      & (Invite.expires_at > now))
                .order_by(Invite.created_at.desc(), Invite.id.desc()))


def revoke_invite(invite, now=None):
    """Stop an invite link from working (it expires now); a link already used stays used."""
    now = now or clock.now()
    with write_transaction():
        current = locked(Invite.select().where(Invite.id == invite.id)).get()
        if current.used_at is not None:
            raise AccountError(_("This link has already been used."), "invite_used")
        if current.expires_at > now:
            Invite.update(expires_at=now).where(Invite.id == invite.id).execute()
    invite.expires_at = min(invite.expires_at, now)
    return invite


def find_invite(token, purpose, now=None, lock=False):
    """The open invite behind a token, or an error saying why it cannot be used (`lock`: the
    row stays locked until the transaction ends)."""
    now = now or clock.now()
    query = Invite.select().where((Invite.token_hash == _token_hash(token or ""))
                                  & (Invite.purpose == purpose))
    invite = (locked(query) if lock else query).first()
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
    now = now or clock.now()
    name = clean_name(display_name)
    email = clean_email(email, required=True)
    check_password(password, personal=(name, email))
    find_invite(token, "join", now)
    password_hash = hash_password(password)
    with write_transaction():
        invite = find_invite(token, "join", now, lock=True)
        if Person.by_email(email):
            raise AccountError(_("There is already an account with this e-mail address. Log in "
                                 "first, then open the link again."), "email_taken")
        try:
            person = Person.create(display_name=name, email=email, language=language,
                                   password_hash=password_hash, created_at=now)
        except IntegrityError:
            # Someone took the address between the check and the insert.
            raise AccountError(_("There is already an account with this e-mail address."),
                               "email_taken") from None
        _use_invite(invite, person, now)
    return person


def join_with_invite(token, person, now=None):
    """A logged-in person joins the invite's co-operative (or gets its role there)."""
    now = now or clock.now()
    with write_transaction():
        invite = find_invite(token, "join", now, lock=True)
        # One person's joins queue up, so that two never both add the same membership.
        locked(Person.select().where(Person.id == person.id)).get()
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
        Membership.update(role=invite.role).where(Membership.id == membership.id).execute()


def reset_password(token, password, now=None):
    """Set a new password with a reset link; every session of the person ends, and a lock-out
    of their account is lifted. Returns the person."""
    from ..permissions import may_reset_password

    now = now or clock.now()
    person = find_invite(token, "reset", now).person
    check_password(password, personal=(person.display_name, person.email))
    password_hash = hash_password(password)
    with write_transaction():
        invite = find_invite(token, "reset", now, lock=True)
        person = locked(Person.select().where(Person.id == invite.person_id)).get()
        # The maker must still be allowed to make it: the person may have been given a role
        # elsewhere since, or the maker lost theirs. Links made by the system have no maker.
        if invite.created_by_id is not None and not may_reset_password(invite.created_by,
                                                                        person):
            raise AccountError(_("This link is no longer valid. Ask an administrator for a new "
                                 "one."), "invite_void")
        updated = (Invite.update(used_at=now)
                   .where((Invite.id == invite.id) & Invite.used_at.is_null()).execute())
        if not updated:
            raise AccountError(_("This link has already been used."), "invite_used")
        Person.update(password_hash=password_hash).where(Person.id == person.id).execute()
        sessions.end_all_sessions(person, now)
        if person.email:
            LoginFailure.delete().where(LoginFailure.key == f"account:{person.email}").execute()
    return Person.get_by_id(person.id)


def recent_resets(person, now=None):
    """The password resets of the person in the last RESET_NOTICE: (who made the link, or
    None, and when it was used), oldest first."""
    now = now or clock.now()
    resets = (Invite.select()
              .where((Invite.person == person) & (Invite.purpose == "reset")
                     & (Invite.used_at > now - RESET_NOTICE))
              .order_by(Invite.used_at))
    return [(invite.created_by.display_name if invite.created_by_id else None, invite.used_at)
            for invite in resets]


# --- memberships ----------------------------------------------------------------------------

def _keep_a_coordinator(membership, new_role=None):
    """Refuse to take away the last coordinator of a co-operative (by removing them or giving
    them another role): then nobody could manage it any more. Call inside the write
    transaction: the co-operative's coordinators are locked before they are counted, so two
    coordinators leaving at once cannot both go."""
    coordinators = list(locked(
        Membership.select(Membership.id, Membership.role)
        .join(Person, on=(Membership.person == Person.id))
        .where((Membership.initiative == membership.initiative_id)
               & (Membership.role == "coordinator") & Person.erased_at.is_null())))
    if new_role == "coordinator" or membership.id not in {m.id for m in coordinators}:
        return
    if len(coordinators) <= 1:
        raise AccountError(_("A co-operative needs at least one coordinator. Make someone else "
                             "coordinator first."), "last_coordinator")


def change_role(membership, role):
    """Give a member another role in their co-operative; never take the last coordinator."""
    if role not in ROLES:
        raise AccountError(_("Choose a role."), "role_invalid")
    with write_transaction():
        _keep_a_coordinator(membership, role)
        updated = Membership.update(role=role).where(Membership.id == membership.id).execute()
        if not updated:
            raise AccountError(_("This person is no longer a member."), "membership_gone")
    membership.role = role
    return membership


def remove_membership(membership):
    """Take a person out of a co-operative; their account stays. The last coordinator stays."""
    with write_transaction():
        _keep_a_coordinator(membership)
        Membership.delete().where(Membership.id == membership.id).execute()


# --- the person's own data ------------------------------------------------------------------

def clean_skills(raw):
    """Skills as tags joined by ", ", or an error: at most SKILLS_MAX characters, each tag at
    most SKILL_MAX."""
    if not isinstance(raw, str) or "\x00" in raw:
        raise AccountError(_("Your skills hold characters that cannot be saved."),
                           "skills_invalid")
    tags = split_skills(raw)
    for tag in tags:
        if len(tag) > SKILL_MAX:
            raise AccountError(_("One skill can be at most %(max)d characters. Put a comma "
                                 "between skills.", max=SKILL_MAX), "skill_too_long")
    value = ", ".join(tags)
    if len(value) > SKILLS_MAX:
        raise AccountError(_("Your skills can be at most %(max)d characters together (now "
                             "%(now)d).", max=SKILLS_MAX, now=len(value)), "skills_too_long")
    return value


def update_profile(person, display_name, phone, language, skills=None):
    """Change the person's name, phone, language and (when given) skills, and nothing else
    of theirs."""
    values = {"display_name": clean_name(display_name), "phone": clean_phone(phone)}
    if skills is not None:
        values["skills"] = clean_skills(skills)
    if language in ("nl", "en"):
        values["language"] = language
    with write_transaction():
        Person.update(**values).where(Person.id == person.id).execute()
    for field, value in values.items():
        setattr(person, field, value)
    return person


def erase_account(person, now=None):
    """Delete an account: blank every personal field, keep only an anonymous row. Every part
    first says what erasing the person means for its rows (`Part.erase`); they search by the
    person's name, address and phone, so this runs before the person's own row is blanked."""
    now = now or clock.now()
    needles = [value for value in (person.display_name, person.email, person.phone) if value]
    erasers = [part.erase for part in current_app.extensions["peerm.parts"] if part.erase]
    with write_transaction():
        if person.email:
            LoginFailure.delete().where(LoginFailure.key == f"account:{person.email}").execute()
        files = [path for erase in erasers for path in erase(person, needles)]
        Membership.delete().where(Membership.person == person).execute()
        Invite.delete().where(Invite.person == person).execute()
        # Links they made and nobody used yet stop working: no link outlives its maker's say.
        Invite.update(expires_at=now).where((Invite.created_by == person)
                                            & Invite.used_at.is_null()
                                            & (Invite.expires_at > now)).execute()
        Invite.update(created_by=None).where(Invite.created_by == person).execute()
        sessions.forget_sessions_of(person)
        person.display_name = ""
        person.email = None
        person.phone = None
        person.password_hash = None
        person.pin_hash = None
        person.over_21 = None
        person.skills = ""
        person.is_admin = False
        person.session_epoch += 1
        person.erased_at = now
        person.save()
    # Files go once the erasure is committed, so a failed erasure leaves everything as it was.
    for path in files:
        path.unlink(missing_ok=True)
    return person
