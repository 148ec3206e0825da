"""The server's record of every login: one row per session, so that logging out ends that
session on every app process, and a person can see and end the sessions of all their devices.

The session cookie carries a random token (256 bits); the table keeps only its SHA-256, so
that the table alone opens nothing. One query (the session joined to its person) answers
"who is this", and it writes only when the last-seen time is more than LAST_SEEN_STEP old.
A session counts while it has not ended, is younger than SESSION_LIFETIME (the cookie's own
lifetime) and carries its person's current `session_epoch`: raising the epoch ends every
session of a person at once. These functions take plain values and touch no request.
"""
import datetime as dt
import hashlib
import secrets

from peewee import OperationalError

from ..core import clock
from ..core.db import write_transaction
from .models import LoginSession, Person

# As long as the session cookie lives; a session is never used longer.
SESSION_LIFETIME = dt.timedelta(days=30)
# How stale the last-seen time may get before a request writes it again.
LAST_SEEN_STEP = dt.timedelta(hours=1)

# What a device is, read from its browser's User-Agent: the first match wins.
BROWSERS = (("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("OPR/", "Opera"),
            ("FxiOS", "Firefox"), ("Firefox/", "Firefox"), ("CriOS", "Chrome"),
            ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
           ("Windows", "Windows"), ("CrOS", "ChromeOS"), ("Mac OS X", "Mac"),
           ("Linux", "Linux"))


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def device_of(user_agent):
    """A few words for a device ("Chrome, Android"), or "" when its browser says nothing."""
    user_agent = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)


def open_session(person, user_agent, now=None):
    """Start a session for the person; returns the token for the cookie."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    LoginSession.create(token_hash=_token_hash(token), person=person,
                        epoch=person.session_epoch, device=device_of(user_agent),
                        created_at=now, last_seen_at=now)
    return token


def live_session(token, now=None):
    """The session this token opens, with its person, or None when it has ended."""
    if not isinstance(token, str) or not token:
        return None
    now = now or clock.now()
    row = (LoginSession.select(LoginSession, Person).join(Person)
           .where((LoginSession.token_hash == _token_hash(token))
                  & LoginSession.ended_at.is_null()
                  & (LoginSession.created_at > now - SESSION_LIFETIME)
                  & (LoginSession.epoch == Person.session_epoch)
                  & Person.erased_at.is_null())
           .first())
    if row is not None and row.last_seen_at <= now - LAST_SEEN_STEP:
        try:
            LoginSession.update(last_seen_at=now).where(LoginSession.id == row.id).execute()
        except OperationalError:
            # Only a convenience for the list of sessions: never worth failing a request for.
            pass
    return row


def person_of(token, now=None):
    """The person whose live session this token opens, or None."""
    row = live_session(token, now)
    return row.person if row is not None else None


def end_session(token, now=None):
    """End the session of this token (logging out on this device)."""
    if isinstance(token, str) and token:
        (LoginSession.update(ended_at=now or clock.now())
         .where((LoginSession.token_hash == _token_hash(token))
                & LoginSession.ended_at.is_null())
         .execute())


def end_all_sessions(person, now=None):
    """End every session of the person, on every device."""
    now = now or clock.now()
    with write_transaction():
        Person.update(session_epoch=Person.session_epoch + 1).where(
            Person.id == person.id).execute()
        (LoginSession.update(ended_at=now)
         .where((LoginSession.person == person) & LoginSession.ended_at.is_null())
         .execute())
    person.session_epoch = Person.get_by_id(person.id).session_epoch


def open_sessions(person, now=None):
    """The person's sessions that still count, the most recently used first."""
    now = now or clock.now()
    return list(LoginSession.select()
                .where((LoginSession.person == person) & LoginSession.ended_at.is_null()
                       & (LoginSession.created_at > now - SESSION_LIFETIME)
                       & (LoginSession.epoch == person.session_epoch))
                .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc()))


def forget_old_sessions(now=None):
    """Remove the sessions that ended or ran out: they open nothing any more."""
    now = now or clock.now()
    return (LoginSession.delete()
            .where(LoginSession.ended_at.is_null(False)
                   | (LoginSession.created_at <= now - SESSION_LIFETIME))
            .execute())


def forget_sessions_of(person):
    """Remove every session of the person (their account is being erased)."""
    return LoginSession.delete().where(LoginSession.person == person).execute()
