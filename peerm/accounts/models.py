"""The people of Peer'M, what they belong to, their invites, their sessions and login attempts.

A person keeps the least Peer'M needs: a display name (what they want to be called), and
optionally an e-mail address (to log in) and a phone number. Erasing an account blanks every
personal field and keeps the anonymous row, which later records (such as allowance payments,
kept seven years by law) may still point to.
"""

from flask_babel import lazy_gettext as _l
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..core import clock
from ..core.db import BaseModel
from ..initiatives.models import Initiative

ROLES = {
    "member": _l("Member"),
    "volunteer": _l("Volunteer"),
    "coordinator": _l("Coordinator"),
}




class Person(BaseModel):
    display_name = CharField(max_length=80)
    email = CharField(max_length=254, null=True, unique=True)
    phone = CharField(max_length=32, null=True)
    language = CharField(max_length=2, default="nl")
    password_hash = CharField(max_length=255, null=True)
    is_admin = BooleanField(default=False)
    # Volunteers under 21 have a lower hourly allowance cap; only this question is asked.
    over_21 = BooleanField(null=True)
    # The 4-digit PIN for a shared phone at a venue (hashed like a password).
    pin_hash = CharField(max_length=255, null=True)
    # Raised when every session of the person ends at once (logging out on every device, a
    # password reset, erasure): a session counts only while it carries the current epoch.
    session_epoch = IntegerField(default=0)
    # What she can and would share, as comma-separated tags in her own words ("boekhouding,
    # fietsen repareren"); opt-in, seen only by the coordinators of her co-operatives.
    skills = CharField(max_length=300, default="")
    created_at = DateTimeField(default=clock.now)
    erased_at = DateTimeField(null=True)

    @property
    def skill_list(self):
        return split_skills(self.skills)

    @property
    def is_erased(self):
        return self.erased_at is not None

    @classmethod
    def by_email(cls, email):
        """The (not erased) person who logs in with this address, or None."""
        return cls.get_or_none((cls.email == normalise_email(email)) & cls.erased_at.is_null())


class Membership(BaseModel):
    person = ForeignKeyField(Person, backref="memberships", on_delete="CASCADE")
    initiative = ForeignKeyField(Initiative, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=20, choices=list(ROLES.items()))
    created_at = DateTimeField(default=clock.now)

    class Meta:
        indexes = ((("person", "initiative"), True),)

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @classmethod
    def of_initiative(cls, initiative):
        """The members of a co-operative, coordinators first, then by name."""
        order = {"coordinator": 0, "volunteer": 1, "member": 2}
        rows = list(cls.select(cls, Person).join(Person)
                    .where(cls.initiative == initiative))
        return sorted(rows, key=lambda m: (order.get(m.role, 9), m.person.display_name.lower()))


class Invite(BaseModel):
    """A single-use link: to join a co-operative (`join`) or to choose a new password (`reset`)."""
    token_hash = CharField(max_length=64, unique=True)
    purpose = CharField(max_length=10)
    initiative = ForeignKeyField(Initiative, null=True, on_delete="CASCADE")
    role = CharField(max_length=20, null=True)
    # For a reset: whose password; for a join: who joined with it, once used.
    person = ForeignKeyField(Person, null=True, backref="invites", on_delete="CASCADE")
    created_by = ForeignKeyField(Person, null=True, backref="invites_made", on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


class LoginSession(BaseModel):
    """One login on one device. The session cookie carries a random token; the row, found by
    the token's hash, says whose session it is and whether it still counts, so that logging
    out ends it on every app process (a cookie saved earlier opens nothing any more)."""
    token_hash = CharField(max_length=64, unique=True)
    person = ForeignKeyField(Person, backref="sessions", on_delete="CASCADE")
    # The person's `session_epoch` when the session began.
    epoch = IntegerField(default=0)
    # What the device is, in a few words ("Firefox, Android"), for the list of sessions.
    device = CharField(max_length=60, default="")
    created_at = DateTimeField(default=clock.now)
    # Updated at most once per LAST_SEEN_STEP, so that most requests write nothing.
    last_seen_at = DateTimeField(default=clock.now)
    ended_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("person", "ended_at"), False),)


class LoginFailure(BaseModel):
    """One login attempt, counted per account and per address to slow down guessing. The row
    is written before the password is checked and stays when it was wrong; a right password
    and a refused attempt remove their rows again."""
    key = CharField(max_length=300, index=True)
    at = DateTimeField(index=True)


def split_skills(raw):
    """Skills as typed ("boekhouding, fietsen repareren"), as a list of tags: split on commas,
    semicolons and new lines, spaces trimmed, each tag once."""
    tags = []
    for part in (raw or "").replace(";", ",").replace("\n", ",").split(","):
        tag = " ".join(part.split())
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags


def normalise_email(email):
    return (email or "").strip().lower()
