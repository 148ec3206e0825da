"""The directory of the network's co-operatives: who they are, what they need, who helps them.

Models first (an initiative, its needs, its strategic partners; a partner without an
initiative is a sponsor of the whole network), then the named queries, then the views:
the list with its filters by city and by kind of need, and a page per co-operative.
"""
from flask import Blueprint, abort, request
from flask_babel import lazy_gettext as _l
from peewee import CharField, ForeignKeyField, IntegerField, TextField, fn

from .db import BaseModel
from .web import cached_page, localized, render

# Labels of the coded values, in the order the pages show them.
LEGAL_FORMS = {
    "cooperative": _l("Co-operative"),
    "association": _l("Association"),
    "foundation": _l("Foundation"),
    "residents_company": _l("Residents' company"),
    "informal": _l("Informal group"),
}
NEED_KINDS = {
    "volunteers": _l("Volunteers"),
    "money": _l("Money"),
    "material": _l("Material"),
    "knowledge": _l("Knowledge"),
    "space": _l("Space"),
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
    def listed(cls, city=None, need=None):
        """The co-operatives in the network's order, optionally only one city or kind of need."""
        query = cls.select().order_by(cls.position, cls.name)
        if city:
            query = query.where(cls.city == city)
        if need:
            query = query.where(fn.EXISTS(
                Need.select(Need.id).where((Need.initiative == cls.id) & (Need.kind == need))
            ))
        return query

    @classmethod
    def cities(cls):
        """Every city with a co-operative, alphabetically."""
        rows = cls.select(cls.city).distinct().order_by(cls.city)
        return [row.city for row in rows]


class Need(BaseModel):
    initiative = ForeignKeyField(Initiative, backref="needs", on_delete="CASCADE")
    kind = CharField(max_length=20, index=True, choices=list(NEED_KINDS.items()))
    text_nl = TextField()
    text_en = TextField()

    @property
    def text(self):
        return localized(self, "text")

    @property
    def kind_label(self):
        return NEED_KINDS.get(self.kind, self.kind)


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


def initiative_or_404(slug):
    """The co-operative with this slug, or the 404 page."""
    initiative = Initiative.get_or_none(Initiative.slug == slug)
    if initiative is None:
        abort(404)
    return initiative


bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")


@bp.get("")
@cached_page
def index():
    """The directory, filtered by the `city` and `need` query values where they are known."""
    cities = Initiative.cities()
    city = request.args.get("city", "").strip()
    need = request.args.get("need", "").strip()
    unknown = []
    if city and city not in cities:
        unknown.append(city)
        city = ""
    if need and need not in NEED_KINDS:
        unknown.append(need)
        need = ""
    initiatives = list(Initiative.listed(city or None, need or None))
    needs_by_initiative = _needs_of(initiatives)
    return render(
        "initiatives/index.html",
        partial="initiatives/_list.html",
        initiatives=initiatives,
        needs_by_initiative=needs_by_initiative,
        cities=cities,
        need_kinds=NEED_KINDS,
        city=city,
        need=need,
        unknown=unknown,
    )


@bp.get("/<slug>")
@cached_page
def detail(slug):
    """One co-operative: what it does, what it needs and who works with it."""
    initiative = initiative_or_404(slug)
    needs = list(initiative.needs.order_by(Need.kind, Need.id))
    partners = list(initiative.partners.order_by(Partner.kind, Partner.id))
    return render("initiatives/detail.html", initiative=initiative, needs=needs,
                  partners=partners)


def _needs_of(initiatives):
    """The kinds of need of each listed initiative, fetched in one query."""
    kinds = {initiative.id: [] for initiative in initiatives}
    if kinds:
        rows = (Need.select(Need.initiative, Need.kind).distinct()
                .where(Need.initiative.in_(list(kinds))).order_by(Need.kind).tuples())
        for initiative_id, kind in rows:
            kinds[initiative_id].append(kind)
    return kinds
