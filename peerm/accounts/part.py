"""Accounts as a part: people, their memberships, sessions, invites and failed logins."""
from flask_babel import lazy_gettext as _l

from ..core.part import Exported, NavItem, Part
from . import demo, services, sessions
from .migrations import MIGRATIONS
from .models import Invite, LoginFailure, LoginSession, Membership, Person
from .views import bp


def _housekeeping(now):
    return {"old failed logins": services.forget_old_failures(now),
            "ended sessions": sessions.forget_old_sessions(now)}


def _logged_in(person):
    return person is not None


def _anonymous(person):
    return person is None


PART = Part(
    name="accounts",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(Person, Membership, Invite, LoginFailure, LoginSession),
    exported={
        "membership": Exported(about=("person",)),
        # Invites used by the person and new-password links made for them; those they made
        # for others are counted.
        "invite": Exported(about=("person",), acted=("created_by",), drop=("created_by",)),
        "loginsession": Exported(about=("person",)),
    },
    housekeeping=_housekeeping,
    demo=demo.load,
    nav=(NavItem("accounts.account", _l("My account"), icon="person", place="bar", order=90,
                 shown=_logged_in),
         NavItem("accounts.login", _l("Log in"), icon="login", place="bar", order=90,
                 shown=_anonymous)),
)
