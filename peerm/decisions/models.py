"""Proposals, their options, who may vote on them, ballots and the discussion.

A proposal belongs to a co-operative (its members vote) or to the network (every member of
every co-operative votes). Its life is partly stored and partly a matter of time:

- stored: `draft` (only its author and the coordinators see it) → `awaiting` (the
  co-operative wants a coordinator to approve it first) → `open`;
- by the clock, once open: the discussion runs until `voting_opens_at`, voting until
  `closes_at`; after that the result is provisional while ballots cast before the close may
  still arrive (the grace period), then final. No job closes a proposal: every process reads
  the same times from the one clock (`phase`).

Secret ballots: see `peerm.decisions.services` for how who voted is kept apart from what was
voted.
"""
import datetime as dt
import json

from flask_babel import lazy_gettext as _l
from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ..accounts.models import Person
from ..core import clock
from ..core.db import BaseModel
from ..core.text import localized
from ..initiatives.models import Initiative

# The options every proposal may use, in the order they are shown: kind → (Dutch, English),
# stored with each proposal like the proposer's own options.
STANDARD_OPTIONS = {
    "agree": ("Eens", "Agree"),
    "abstain": ("Onthouding", "Abstain"),
    "disagree": ("Oneens", "Disagree"),
    "block": ("Blokkeren", "Block"),
}
MAJORITIES = {
    "half": _l("More than half"),
    "two_thirds": _l("At least two thirds"),
}
PHASES = {
    "draft": _l("Draft"),
    "awaiting": _l("Waiting for approval"),
    "discussion": _l("Discussion"),
    "voting": _l("Voting"),
    "provisional": _l("Closed, result provisional"),
    "final": _l("Closed"),
}
# The phases in which the text may still change: voting freezes it.
EDITABLE_PHASES = ("draft", "awaiting", "discussion")
CLOSED_PHASES = ("provisional", "final")


class DecisionSettings(BaseModel):
    """How a co-operative decides: whether a coordinator approves proposals before voting."""
    initiative = ForeignKeyField(Initiative, unique=True, on_delete="CASCADE")
    require_approval = BooleanField(default=False)

    @classmethod
    def requires_approval(cls, initiative):
        if initiative is None:
            return False
        row = cls.get_or_none(cls.initiative == initiative)
        return bool(row and row.require_approval)


class Proposal(BaseModel):
    # Set for the demo proposals so that loading the demo data twice adds nothing.
    seed_key = CharField(max_length=80, unique=True, null=True)
    # None: a proposal of the whole network.
    initiative = ForeignKeyField(Initiative, null=True, backref="proposals", on_delete="CASCADE")
    author = ForeignKeyField(Person, null=True, backref="proposals", on_delete="SET NULL")
    title_nl = CharField(max_length=200)
    title_en = CharField(max_length=200, default="")
    text_nl = TextField()
    text_en = TextField(default="")
    secret = BooleanField(default=False)
    # The share of those who may vote that must cast a ballot, in percent.
    quorum_percent = IntegerField(default=50)
    majority = CharField(max_length=12, default="half", choices=list(MAJORITIES.items()))
    discussion_days = IntegerField(default=7)
    closes_at = DateTimeField(index=True)
    # How long after the close a ballot cast before it may still arrive.
    grace_hours = IntegerField(default=24)
    status = CharField(max_length=10, default="draft", index=True)
    created_at = DateTimeField(default=clock.now)
    # Set when it is published (or approved): the discussion ends then and voting begins.
    voting_opens_at = DateTimeField(null=True)
    approved_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    # Set once the electorate is fixed (the moment voting opened).
    electorate_fixed_at = DateTimeField(null=True)
    # The outcome's figures (JSON), stored once the grace period is over.
    outcome = TextField(default="")
    outcome_at = DateTimeField(null=True)

    @property
    def title(self):
        return localized(self, "title")

    @property
    def text(self):
        return localized(self, "text")

    @property
    def grace_ends_at(self):
        return self.closes_at + dt.timedelta(hours=self.grace_hours)

    def phase(self, now=None):
        """Where the proposal is: draft, awaiting, discussion, voting, provisional or final."""
        if self.status in ("draft", "awaiting"):
            return self.status
        now = now or clock.now()
        if now < self.voting_opens_at:
            return "discussion"
        if now < self.closes_at:
            return "voting"
        if now < self.grace_ends_at:
            return "provisional"
        return "final"

    def phase_label(self, now=None):
        return PHASES[self.phase(now)]

    @property
    def majority_label(self):
        return MAJORITIES.get(self.majority, self.majority)

    def stored_outcome(self):
        return json.loads(self.outcome) if self.outcome else None

    def options_in_order(self):
        return list(Option.select().where(Option.proposal == self).order_by(Option.position))

    @classmethod
    def listed(cls, initiative_ids, include_network=True):
        """Published proposals of these co-operatives (and of the network)."""
        where = cls.initiative.in_(list(initiative_ids) or [0])
        if include_network:
            where = where | cls.initiative.is_null()
        return (cls.select(cls, Initiative).join(Initiative, join_type=JOIN.LEFT_OUTER)
                .where(where & (cls.status == "open")).order_by(cls.closes_at))


class Option(BaseModel):
    """One choice on the ballot: a standard one (`kind`: agree, abstain, disagree, block) or
    the proposer's own (`kind` "own")."""
    proposal = ForeignKeyField(Proposal, backref="options", on_delete="CASCADE")
    position = IntegerField()
    kind = CharField(max_length=10)
    label_nl = CharField(max_length=120)
    label_en = CharField(max_length=120, default="")

    @property
    def label(self):
        return localized(self, "label")

    @property
    def is_block(self):
        return self.kind == "block"


class Voter(BaseModel):
    """One person who may vote on a proposal, fixed when voting opens, and whether they did.
    It names no option: for a secret ballot this row is all that ties the person to it."""
    proposal = ForeignKeyField(Proposal, backref="voters", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    has_voted = BooleanField(default=False)

    class Meta:
        indexes = ((("proposal", "person"), True),)


class Ballot(BaseModel):
    """The one current ballot of a voter. An open ballot names its person and when it was
    cast; a secret one names neither and carries a keyed token instead (see services)."""
    proposal = ForeignKeyField(Proposal, backref="ballots", on_delete="CASCADE")
    option = ForeignKeyField(Option, backref="ballots", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    token = CharField(max_length=64, null=True, unique=True)
    reason = TextField(default="")
    # Entered by a coordinator from a paper ballot.
    paper = BooleanField(default=False)
    # Arrived after the close (cast before it, within the grace period).
    late = BooleanField(default=False)
    cast_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("proposal", "person"), True),)


class Comment(BaseModel):
    proposal = ForeignKeyField(Proposal, backref="comments", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    body = TextField()
    created_at = DateTimeField(default=clock.now)

    @classmethod
    def of(cls, proposal):
        return (cls.select(cls, Person).join(Person, join_type=JOIN.LEFT_OUTER)
                .where(cls.proposal == proposal).order_by(cls.created_at, cls.id))
