"""Who is logged in: the signed session cookie carries a session token, and the server's
record of that session (`sessions`) says whose it is and whether it still counts. The cookie
also keeps the form token and the messages for the next page."""
import secrets

from flask import g, request, session

from . import sessions


def current_person():
    """The logged-in person of this request, or None."""
    if "person" not in g:
        g.person = None
        g.login_session = sessions.live_session(session.get("sid"))
        if g.login_session is not None:
            g.person = g.login_session.person
    return g.person


def current_session():
    """The server's record of this request's session, or None."""
    current_person()
    return g.get("login_session")


def start_session(person):
    """Log a person in: a new session (and form token) that lasts 30 days."""
    session.clear()
    session.permanent = True
    session["sid"] = sessions.open_session(person, request.headers.get("User-Agent", ""))
    session["csrf"] = secrets.token_urlsafe(32)
    g.person = person
    g.login_session = None


def end_session():
    """Log out on this device: the session ends for good, not only in this browser."""
    sessions.end_session(session.get("sid"))
    session.clear()
    g.person = None
    g.login_session = None
