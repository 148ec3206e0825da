"""The co-operatives of the network and who helps them: an initiative, how to reach it, its
strategic partners (a partner without an initiative is a sponsor of the whole network), and
their named queries. What a co-operative needs lives in the needs part."""
from flask_babel import lazy_gettext as _l
from peewee import CharField, ForeignKeyField, IntegerField, TextField

from ..core.db import BaseModel
from ..core.text import localized

# Labels of the coded values, in the order the pages show them.
LEGAL_FORMS = {
    "cooperative": _l("Co-operative"),
    "association": _l("Association"),
    "foundation": _l("Foundation"),
    "residents_company": _l("Residents' company"),
    "informal": _l("Informal group"),
}
PARTNER_KINDS = {
    "municipality": _l("Municipality"),
    "school": _l("School"),
    "housing": _l("Housing corporation"),
    "business": _l("Business"),
    "fund": _l("Fund"),
    "ministry": _l("Ministry"),
    "civil_society": _l("Civil society"),
}


class Initiative(BaseModel):
    slug = CharField(max_length=80, unique=True)
    name = CharField(max_length=120)
    city = CharField(max_length=80, index=True)
    legal_form = CharField(max_length=30, choices=list(LEGAL_FORMS.items()))
    position = IntegerField(default=0)
    summary_nl = TextField()
    summary_en = TextField()
    description_nl = TextField()
    description_en = TextField()
    # How to reach it; each may be empty. The phone numbers are kept as typed (checked Dutch
    # numbers), the links are shown as tap-to-call, tap-to-chat, tap-to-mail.
    address = CharField(max_length=200, default="")
    opening_hours_nl = CharField(max_length=200, default="")
    opening_hours_en = CharField(max_length=200, default="")
    phone = CharField(max_length=20, default="")
    whatsapp = CharField(max_length=20, default="")
    email = CharField(max_length=254, default="")
    website = CharField(max_length=200, default="")
    # How to give money (an account number or a link): Peer'M handles no payments.
    giving_nl = CharField(max_length=300, default="")
    giving_en = CharField(max_length=300, default="")

    @property
    def opening_hours(self):
        return localized(self, "opening_hours")

    @property
    def giving(self):
        return localized(self, "giving")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def description(self):
        return localized(self, "description")

    @property
    def legal_form_label(self):
        return LEGAL_FORMS.get(self.legal_form, self.legal_form)

    @classmethod
    def listed(cls, city=None):
        """The co-operatives in the network's order, optionally only those of one city."""
        query = cls.select().order_by(cls.position, cls.name)
        if city:
            query = query.where(cls.city == city)
        return query

    @classmethod
    def cities(cls):
        """Every city with a co-operative, alphabetically."""
        rows = cls.select(cls.city).distinct().order_by(cls.city)
        return [row.city for row in rows]


class Partner(BaseModel):
    # No initiative: a sponsor of the whole network.
    initiative = ForeignKeyField(Initiative, null=True, backref="partners", on_delete="CASCADE")
    name = CharField(max_length=160)
    kind = CharField(max_length=20, choices=list(PARTNER_KINDS.items()))
    text_nl = TextField()
    text_en = TextField()

    @property
    def text(self):
        return localized(self, "text")

    @property
    def kind_label(self):
        return PARTNER_KINDS.get(self.kind, self.kind)

    @classmethod
    def sponsors(cls):
        """The network's own sponsors."""
        return cls.select().where(cls.initiative.is_null()).order_by(cls.id)
