"""The pages of the directory: the list with its filters by city and by kind of need, a page
per co-operative (what it does, how to reach it, its coming events and open needs), and for
its coordinators the page to edit it and its partners."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from peewee import fn

from ..accounts.session import current_person
from ..core.db import write_transaction
from ..events.models import Event
from ..needs.models import LISTED, NEED_KINDS, Need
from ..permissions import can
from ..web import cached_page, one_or_404, query_filters, render, require
from . import services
from .models import LEGAL_FORMS, PARTNER_KINDS, Initiative, Partner

bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")
# How many coming events a co-operative's page lists.
PAGE_EVENTS = 2


@bp.get("")
@cached_page
def index():
    """The directory, filtered by the `city` and `need` query values where they are known."""
    cities = Initiative.cities()
    chosen, unknown = query_filters(city=cities, need=NEED_KINDS)
    city, need = chosen["city"], chosen["need"]
    query = Initiative.listed(city or None)
    if need:
        query = query.where(fn.EXISTS(_open_needs().where(
            (Need.initiative == Initiative.id) & (Need.kind == need))))
    initiatives = list(query)
    return render(
        "initiatives/index.html",
        partial="initiatives/_list.html",
        initiatives=initiatives,
        needs_by_initiative=_needs_of(initiatives),
        cities=cities,
        need_kinds=NEED_KINDS,
        city=city,
        need=need,
        unknown=unknown,
    )


@bp.get("/<slug>")
@cached_page
def detail(slug):
    """One co-operative: what it does, how to reach it, what is coming, what it needs, and who
    works with it."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = current_person()
    needs = list(Need.board(person, initiative=initiative))
    partners = list(initiative.partners.order_by(Partner.kind, Partner.id))
    events = list(Event.upcoming(initiative=initiative, limit=PAGE_EVENTS))
    return render("initiatives/detail.html", initiative=initiative, needs=needs,
                  partners=partners, events=events,
                  phone=services.international(initiative.phone),
                  whatsapp=services.international(initiative.whatsapp).lstrip("+"),
                  may_edit=can(person, "initiatives.edit", initiative),
                  may_post=can(person, "needs.manage", initiative))


def _open_needs():
    """Needs still listed for the whole network (the directory is the same for everyone)."""
    return Need.select(Need.id).where(Need.status.in_(LISTED) & (Need.visibility == "network"))


def _needs_of(initiatives):
    """The kinds of open need of each listed initiative, fetched in one query."""
    kinds = {initiative.id: [] for initiative in initiatives}
    if kinds:
        rows = (Need.select(Need.initiative, Need.kind).distinct()
                .where(Need.initiative.in_(list(kinds)) & Need.status.in_(LISTED)
                       & (Need.visibility == "network"))
                .order_by(Need.kind).tuples())
        for initiative_id, kind in rows:
            kinds[initiative_id].append(kind)
    return kinds


# --- for the coordinators -----------------------------------------------------------------------

PAGE_FIELDS = ("summary_nl", "summary_en", "description_nl", "description_en", "legal_form",
               "address", "opening_hours_nl", "opening_hours_en", "phone", "whatsapp", "email",
               "website", "giving_nl", "giving_en")


def _edit_page(initiative, form, error=None, partner_form=None, partner_error=None):
    response = render("initiatives/edit.html", status=400 if (error or partner_error) else 200,
                      initiative=initiative, form=form, error=error,
                      partners=list(initiative.partners.order_by(Partner.kind, Partner.id)),
                      partner_form=partner_form or {"kind": "municipality"},
                      partner_error=partner_error, legal_forms=LEGAL_FORMS,
                      partner_kinds=PARTNER_KINDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug):
    """Edit the co-operative's own page: what it does, how to reach it, how to give."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("initiatives.edit", initiative)
    if request.method == "POST":
        try:
            with write_transaction():
                services.update_page(initiative, request.form)
        except services.InitiativeError as error:
            return _edit_page(initiative, request.form, error=error.message)
        flash(_("The page is saved."))
        return redirect(url_for("initiatives.detail", slug=slug), 303)
    return _edit_page(initiative, _page_form(initiative))


def _page_form(initiative):
    return {name: getattr(initiative, name) for name in PAGE_FIELDS}


@bp.post("/<slug>/partners")
def add_partner(slug):
    """Add a partner: who, what kind, and what the co-operative does with them."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("initiatives.edit", initiative)
    try:
        with write_transaction():
            partner = services.add_partner(initiative, request.form)
    except services.InitiativeError as error:
        return _edit_page(initiative, _page_form(initiative), partner_form=request.form,
                          partner_error=error.message)
    flash(_("%(name)s is added as a partner.", name=partner.name))
    return redirect(url_for("initiatives.edit", slug=slug) + "#partners", 303)


@bp.route("/<slug>/partners/<int:partner_id>/edit", methods=["GET", "POST"])
def edit_partner(slug, partner_id):
    """Change what a partner's entry says."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("initiatives.edit", initiative)
    partner = one_or_404(Partner, (Partner.id == partner_id) & (Partner.initiative == initiative))
    form, error = {"name": partner.name, "kind": partner.kind, "text_nl": partner.text_nl,
                   "text_en": partner.text_en}, None
    if request.method == "POST":
        try:
            with write_transaction():
                services.update_partner(initiative, partner_id, request.form)
        except services.InitiativeError as failure:
            form, error = request.form, failure.message
        else:
            flash(_("The partner is saved."))
            return redirect(url_for("initiatives.edit", slug=slug) + "#partners", 303)
    response = render("initiatives/partner.html", status=400 if error else 200,
                      initiative=initiative, partner=partner, form=form, error=error,
                      partner_kinds=PARTNER_KINDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<slug>/partners/<int:partner_id>/remove", methods=["GET", "POST"])
def remove_partner(slug, partner_id):
    """Remove a partner, after asking: the page asks, the form's post removes."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("initiatives.edit", initiative)
    partner = one_or_404(Partner, (Partner.id == partner_id) & (Partner.initiative == initiative))
    if request.method == "POST":
        with write_transaction():
            services.remove_partner(initiative, partner_id)
        flash(_("%(name)s is no longer listed as a partner.", name=partner.name))
        return redirect(url_for("initiatives.edit", slug=slug) + "#partners", 303)
    return render("initiatives/remove_partner.html", initiative=initiative, partner=partner)
