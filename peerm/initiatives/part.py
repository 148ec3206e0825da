"""The directory as a part: the co-operatives, their own pages and their partners."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.part import NavItem, Part
from . import demo
from .migrations import MIGRATIONS
from .models import Initiative, Partner
from .views import bp


def _kept_pages(person):
    return [(0, url_for("initiatives.index"))] + [
        (1, url_for("initiatives.detail", slug=initiative.slug))
        for initiative in Initiative.listed()]


PART = Part(
    name="initiatives",
    blueprints=(bp,),
    models=(Initiative, Partner),
    migrations=MIGRATIONS,
    kept_pages=_kept_pages,
    demo=demo.load,
    nav=(NavItem("initiatives.index", _l("Co-operatives"), icon="people", place="bar",
                 order=20, active="initiatives"),),
)
