"""The pages of the directory: the list with its filters by city and by kind of need, and a
page per co-operative."""
from flask import Blueprint, request

from ..web import cached_page, one_or_404, render
from .models import NEED_KINDS, Initiative, Need, Partner

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
    initiative = one_or_404(Initiative, Initiative.slug == slug)
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
