"""The home page as a part."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.part import NavItem, Part
from .views import bp


def _kept_pages(person):
    return [(-1, url_for("home.index"))]  # the start page comes first of all


PART = Part(
    name="home",
    blueprints=(bp,),
    kept_pages=_kept_pages,
    nav=(NavItem("home.index", _l("Home"), icon="home", place="bar", order=10),),
)
