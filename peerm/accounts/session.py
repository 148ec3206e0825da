"""Who is logged in: the person's id and session epoch in the signed session cookie."""
import secrets

from flask import g, session

from .models import Person


def current_person():
    """The logged-in person of this request, or None."""
    if "person" not in g:
        g.person = None
        person_id = session.get("person_id")
        if person_id is not None:
            person = Person.get_or_none(Person.id == person_id)
            if person and not person.is_erased and person.session_epoch == session.get("epoch"):
                g.person = person
    return g.person


def start_session(person):
    """Log a person in: a new session (and form token) that lasts 30 days."""
    session.clear()
    session.permanent = True
    session["person_id"] = person.id
    session["epoch"] = person.session_epoch
    session["csrf"] = secrets.token_urlsafe(32)
    g.person = person


def end_session():
    session.clear()
    g.person = None
