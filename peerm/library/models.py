"""The library's documents, their revisions and their attachments.

A document belongs to one co-operative, has a kind, tags and a status (draft → published →
archived). Its words live in numbered revisions that never change: every save adds one. A
revision holds, in Dutch and in English, a title, a short summary in plain (B1) language and
a Markdown body. Dutch is the source: `nl_revision` is the revision in which the Dutch text
last changed, and `en_from` the Dutch revision the English translation was made from, so a
page can say when the Dutch text moved on since the translation.
"""
import re

from flask_babel import lazy_gettext as _l
from peewee import (
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

KINDS = {
    "guide": _l("Guide"),
    "template": _l("Template"),
    "howto": _l("How-to"),
}
STATUSES = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}
# Tags the network uses most, with their names in both languages; other tags are shown as
# they were typed.
TAGS = {
    "money": _l("Money and debts"),
    "paperwork": _l("Paperwork"),
    "volunteers": _l("Volunteers"),
    "neighbourhood": _l("Neighbourhood"),
    "municipality": _l("Municipality"),
    "rules": _l("Laws and rules"),
    "starting": _l("Getting started"),
    "deciding": _l("Deciding together"),
    "enterprise": _l("Social enterprise"),
}
# A tag: lower-case letters, digits and dashes, as in a web address.
TAG_PATTERN = re.compile(r"[a-z0-9à-ÿ]+(?:-[a-z0-9à-ÿ]+)*")


def tag_label(tag):
    return TAGS.get(tag, tag)


class RevisionImmutable(Exception):
    """Someone tried to change a revision that was saved: save a new one instead."""


class Document(BaseModel):
    # Set for the demo documents so that loading the demo data twice adds nothing.
    seed_key = CharField(max_length=80, unique=True, null=True)
    initiative = ForeignKeyField(Initiative, backref="documents", on_delete="CASCADE")
    kind = CharField(max_length=10, index=True, choices=list(KINDS.items()))
    # Tags, comma-separated, as `TAG_PATTERN` allows.
    tags = CharField(max_length=300, default="")
    # The theme of the Social Talks that go with it (an event's Dutch theme), if any.
    theme = CharField(max_length=200, default="")
    status = CharField(max_length=10, index=True, default="draft",
                       choices=list(STATUSES.items()))
    # The number of the latest revision (kept here for lists; the revisions are the truth).
    revision = IntegerField(default=0)
    created_at = DateTimeField(default=clock.now)
    created_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    updated_at = DateTimeField(default=clock.now)
    published_at = DateTimeField(null=True)
    archived_at = DateTimeField(null=True)

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def tag_list(self):
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def tag_labels(self):
        return [(tag, tag_label(tag)) for tag in self.tag_list]

    def latest(self):
        """The current revision."""
        return (Revision.select().where(Revision.document == self)
                .order_by(Revision.number.desc()).first())

    def revision_number(self, number):
        return Revision.get_or_none((Revision.document == self) & (Revision.number == number))

    @classmethod
    def published(cls, kind=None, tag=None):
        """Published documents with their current revision, newest change first."""
        query = (cls.select(cls, Revision, Initiative)
                 .join(Revision, on=((Revision.document == cls.id)
                                     & (Revision.number == cls.revision)), attr="current")
                 .switch(cls).join(Initiative)
                 .where(cls.status == "published").order_by(cls.updated_at.desc(), cls.id))
        if kind:
            query = query.where(cls.kind == kind)
        if tag:
            # Matched on whole tags: "money" is not found in "moneybox".
            query = query.where(("," + cls.tags + ",").contains(f",{tag},"))
        return query

    @classmethod
    def of_initiatives(cls, initiatives, statuses=("draft", "archived")):
        """Documents of these co-operatives in these states (what their coordinators manage)."""
        ids = [initiative.id for initiative in initiatives]
        if not ids:
            return []
        return list(cls.select(cls, Initiative).join(Initiative)
                    .where(cls.initiative.in_(ids) & cls.status.in_(list(statuses)))
                    .order_by(cls.updated_at.desc()))

    @classmethod
    def all_tags(cls):
        """Every tag of a published document, the known ones first."""
        found = set()
        for (tags,) in cls.select(cls.tags).where(cls.status == "published").tuples():
            found.update(tag for tag in tags.split(",") if tag)
        return sorted(found, key=lambda tag: (tag not in TAGS, str(tag_label(tag)).lower()))


class Revision(BaseModel):
    """One saved state of a document: never changed, only followed by a newer one."""
    document = ForeignKeyField(Document, backref="revisions", on_delete="CASCADE")
    number = IntegerField()
    title_nl = CharField(max_length=160)
    summary_nl = TextField()
    body_nl = TextField()
    title_en = CharField(max_length=160, default="")
    summary_en = TextField(default="")
    body_en = TextField(default="")
    # The revision in which the Dutch text last changed (this one, when it changed now).
    nl_revision = IntegerField()
    # The Dutch revision the English text was translated from; None without English.
    en_from = IntegerField(null=True)
    note = CharField(max_length=300, default="")
    author = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=clock.now)

    class Meta:
        indexes = ((("document", "number"), True),)

    def save(self, *args, **kwargs):
        if self._pk is not None and not kwargs.get("force_insert"):
            raise RevisionImmutable(f"revision {self.number} of document {self.document_id} "
                                    "never changes: save a new revision")
        return super().save(*args, **kwargs)

    @classmethod
    def update(cls, *args, **kwargs):
        raise RevisionImmutable("revisions never change: save a new revision")

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def body(self):
        return localized(self, "body")

    @property
    def has_english(self):
        return bool(self.body_en)

    @property
    def translation_behind(self):
        """Whether the Dutch text changed after the English was translated from it."""
        return self.has_english and (self.en_from or 0) < self.nl_revision

    def text_in(self, language):
        """(title, summary, body) in that language, else in the other one (`Localized`)."""
        return tuple(localized(self, name, language) for name in ("title", "summary", "body"))


class Attachment(BaseModel):
    """A file that goes with a document (a PDF form, a photo of a poster), stored in the
    instance folder under a random name; its type is known from its bytes."""
    document = ForeignKeyField(Document, backref="attachments", on_delete="CASCADE")
    # The name people see (cleaned), and the name on disk.
    name = CharField(max_length=120)
    stored = CharField(max_length=64, unique=True)
    kind = CharField(max_length=4)
    size = IntegerField()
    uploaded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    uploaded_at = DateTimeField(default=clock.now)

    @property
    def mimetype(self):
        return {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[self.kind]

    @property
    def is_image(self):
        return self.kind in ("png", "jpeg")
