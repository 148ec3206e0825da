"""The neighbourhood tool library: tools in categories, holds (reservations) in a queue per
tool, loans with due dates, and each co-operative's lending rules, versioned."""
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from ..accounts.models import Person
from ..core import clock
from ..core.db import BaseModel
from ..core.text import localized
from ..initiatives.models import Initiative

TOOL_STATES = {
    "available": _l("Available"),
    "on_loan": _l("On loan"),
    "in_repair": _l("In repair"),
    "retired": _l("Retired"),
}
CONDITIONS = {
    "good": _l("Good"),
    "fair": _l("Fair: some wear"),
    "worn": _l("Worn"),
    "broken": _l("Broken: needs repair"),
}
HOLD_STATES = {
    "waiting": _l("Waiting"),
    "ready": _l("Ready to pick up"),
    "collected": _l("Collected"),
    "expired": _l("Expired"),
    "cancelled": _l("Cancelled"),
}
# Tool codes: five characters without look-alikes, as on the printed labels.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5


def in_two_languages(dutch, english):
    """A text kept as a Dutch column and a nullable English one, in the page's language where
    there is one (a `Localized` string, which knows the language it fell back to)."""
    return localized(SimpleNamespace(text_nl=dutch, text_en=english), "text")


class Category(BaseModel):
    initiative = ForeignKeyField(Initiative, backref="tool_categories", on_delete="CASCADE")
    # The name in Dutch, and in English where someone wrote it.
    name = CharField(max_length=80)
    name_en = CharField(max_length=80, null=True)
    # How long a loan of a tool in this category lasts.
    loan_days = IntegerField(default=7)

    @property
    def local_name(self):
        return in_two_languages(self.name, self.name_en)


class Tool(BaseModel):
    initiative = ForeignKeyField(Initiative, backref="tools", on_delete="CASCADE")
    category = ForeignKeyField(Category, backref="tools", on_delete="CASCADE")
    code = CharField(max_length=CODE_LENGTH, unique=True)
    # Name and description in Dutch, and in English where someone wrote them.
    name = CharField(max_length=120)
    name_en = CharField(max_length=120, null=True)
    description = TextField(default="")
    description_en = TextField(null=True)
    condition = CharField(max_length=10, default="good", choices=list(CONDITIONS.items()))
    status = CharField(max_length=10, default="available", index=True,
                       choices=list(TOOL_STATES.items()))
    repair_note = TextField(default="")

    @property
    def status_label(self):
        return TOOL_STATES.get(self.status, self.status)

    @property
    def local_name(self):
        return in_two_languages(self.name, self.name_en)

    @property
    def local_description(self):
        return in_two_languages(self.description, self.description_en)

    @property
    def condition_label(self):
        return CONDITIONS.get(self.condition, self.condition)

    @classmethod
    def catalogue(cls, initiative=None, category=None, status=None, search=""):
        """Tools that are not retired, by name, filtered where asked."""
        query = (cls.select(cls, Category, Initiative).join(Category)
                 .switch(cls).join(Initiative).where(cls.status != "retired")
                 .order_by(fn.LOWER(cls.name)))
        if initiative is not None:
            query = query.where(cls.initiative == initiative)
        if category is not None:
            query = query.where(cls.category == category)
        if status:
            query = query.where(cls.status == status)
        if search:
            # Matched here, not in SQL, so that % and _ are plain characters; a co-operative
            # lends tens of tools, not thousands.
            needle = search.lower()
            return [tool for tool in query
                    if any(needle in (text or "").lower() for text in (
                        tool.name, tool.name_en, tool.description, tool.description_en))
                    or tool.code == search.upper()]
        return query


class Hold(BaseModel):
    """A place in a tool's queue; the first in line gets a pickup window when it is free."""
    tool = ForeignKeyField(Tool, backref="holds", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="holds", on_delete="CASCADE")
    state = CharField(max_length=10, index=True, default="waiting",
                      choices=list(HOLD_STATES.items()))
    created_at = DateTimeField(default=clock.now)
    ready_at = DateTimeField(null=True)
    ready_until = DateTimeField(null=True)

    @property
    def state_label(self):
        return HOLD_STATES.get(self.state, self.state)

    @property
    def lapsed(self):
        """A pickup window that passed: the tool goes to the next in line (housekeeping
        passes it on; a page shows it at once)."""
        return self.state == "ready" and self.ready_until < clock.now()

    @classmethod
    def queue(cls, tool):
        """The open holds of a tool, first come first (the ready one first)."""
        return (cls.select().where((cls.tool == tool) & cls.state.in_(["waiting", "ready"]))
                .order_by(cls.id))

    def place(self):
        if self.state not in ("waiting", "ready"):
            return None
        return Hold.select().where((Hold.tool == self.tool_id)
                                   & Hold.state.in_(["waiting", "ready"])
                                   & (Hold.id < self.id)).count() + 1


class Loan(BaseModel):
    tool = ForeignKeyField(Tool, backref="loans", on_delete="CASCADE")
    borrower = ForeignKeyField(Person, backref="loans", on_delete="CASCADE")
    lent_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    action_id = CharField(max_length=36, unique=True, null=True)
    lent_at = DateTimeField()
    due = DateField()
    renewals = IntegerField(default=0)
    returned_at = DateTimeField(null=True)
    return_condition = CharField(max_length=10, default="")
    # Set when this loan could not have happened as recorded (the tool was already out).
    flagged = BooleanField(default=False, index=True)
    resolved_at = DateTimeField(null=True)
    resolution = TextField(default="")

    @property
    def is_open(self):
        return self.returned_at is None

    def is_overdue(self, today=None):
        return self.is_open and self.due < (today or clock.today())

    @classmethod
    def open_of_tool(cls, tool):
        return cls.select().where((cls.tool == tool) & cls.returned_at.is_null()).order_by(cls.id)

    @classmethod
    def overdue(cls, initiative, today):
        return (cls.select(cls, Tool, Person).join(Tool).switch(cls)
                .join(Person, on=(cls.borrower == Person.id))
                .where((Tool.initiative == initiative) & cls.returned_at.is_null()
                       & (cls.due < today)).order_by(cls.due))

    @classmethod
    def conflicts(cls, initiative):
        return (cls.select(cls, Tool).join(Tool)
                .where((Tool.initiative == initiative) & cls.flagged & cls.resolved_at.is_null())
                .order_by(cls.tool, cls.id))


class LendingRules(BaseModel):
    initiative = ForeignKeyField(Initiative, backref="lending_rules", on_delete="CASCADE")
    version = IntegerField()
    text_nl = TextField()
    text_en = TextField(default="")
    created_at = DateTimeField(default=clock.now)

    class Meta:
        indexes = ((("initiative", "version"), True),)

    @property
    def text(self):
        return localized(self, "text")

    @classmethod
    def current(cls, initiative):
        return (cls.select().where(cls.initiative == initiative)
                .order_by(cls.version.desc()).first())


class RulesAcceptance(BaseModel):
    person = ForeignKeyField(Person, backref="rules_accepted", on_delete="CASCADE")
    rules = ForeignKeyField(LendingRules, backref="acceptances", on_delete="CASCADE")
    accepted_at = DateTimeField(default=clock.now)

    class Meta:
        indexes = ((("person", "rules"), True),)
