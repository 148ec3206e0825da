"""The pages of the needs board: the board with its filters, a need with its "I can help"
form, and for the co-operative's coordinators: posting and editing needs, the answers with
the contact details of who answered, taking answers up, closing a need and passing it on.
"I can help" posts the same `need.respond` action the phone sends when it was offline."""
import datetime as dt

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..accounts.session import current_person
from ..core import clock
from ..core.db import write_transaction
from ..core.validation import whole_number
from ..initiatives.models import Initiative
from ..library.matching import documents_for
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..permissions import (
    can,
    can_for_need,
    managed_initiatives,
    may_see_need,
    may_see_skills,
)
from ..web import cached_page, logged_in, query_filters, render
from . import services
from .models import NEED_KINDS, VISIBILITIES, Need, NeedStep, Pledge

bp = Blueprint("needs", __name__, url_prefix="/needs")
# What a new need is listed until, unless the coordinator chooses: three months.
DEFAULT_LISTING_DAYS = 91


def _need_or_404(need_id, person=None):
    need = Need.get_or_none(Need.id == need_id)
    if need is None or not may_see_need(person, need):
        abort(404)
    return need


def _require(need):
    """Stop the request unless someone is logged in and coordinates the need's co-operative."""
    person = logged_in()
    if not can_for_need(person, "needs.manage", need):
        abort(403)
    return person


@bp.get("")
@cached_page
def index():
    """The listed needs this person may see, filtered by `kind`, `city` and `initiative`."""
    person = current_person()
    initiatives = list(Initiative.listed())
    cities = Initiative.cities()
    by_slug = {initiative.slug: initiative for initiative in initiatives}
    chosen, unknown = query_filters(kind=NEED_KINDS, city=cities, initiative=by_slug)
    kind, city, slug = chosen["kind"], chosen["city"], chosen["initiative"]
    needs = list(Need.board(person, kind or None, city or None, by_slug.get(slug)))
    return render("needs/index.html", partial="needs/_list.html", needs=needs,
                  kinds=NEED_KINDS, cities=cities, initiatives=initiatives, kind=kind,
                  city=city, slug=slug, unknown=unknown,
                  may_post=bool(managed_initiatives(person)))


@bp.get("/<int:need_id>")
@cached_page
def detail(need_id):
    """One need: what, for whom, until when, what was promised and received, and the
    "I can help" form."""
    person = current_person()
    need = _need_or_404(need_id, person)
    pledged, fulfilled = need.totals()
    may_manage = can_for_need(person, "needs.manage", need)
    steps = list(need.steps.order_by(NeedStep.at, NeedStep.id))
    # The history is the co-operatives' own: their coordinators see it, on both sides.
    shared = may_manage or any(can(person, "needs.manage", step.from_initiative)
                               for step in steps)
    # A need for knowledge: what the library already holds on it, at most three documents.
    helpful = (documents_for(f"{need.text_nl} {need.text_en}")[:3]
               if need.kind == "knowledge" else [])
    return render("needs/detail.html", need=need, pledged=pledged, fulfilled=fulfilled,
                  counts=need.answer_counts(), helpful=helpful,
                  steps=steps if shared else [], may_manage=may_manage,
                  mine=list(need.pledges.where(Pledge.person == person)) if person else [])


@bp.post("/<int:need_id>/respond")
def respond(need_id):
    """"I can help": answer a need (the same action the phone sends when it was offline)."""
    data = {"need": need_id}
    for key in ("offer", "amount", "name", "contact"):
        data[key] = request.form.get(key, "")
    result = apply(form_action("need.respond", data), current_person())
    return answer(result, url_for("needs.detail", need_id=need_id))


def _form_page(template, status=200, **context):
    return render(template, status=status, kinds=NEED_KINDS, visibilities=VISIBILITIES,
                  **context)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Post a new need, for a co-operative this person coordinates."""
    person = logged_in()
    choices = managed_initiatives(person)
    if not choices:
        abort(403)
    today = clock.today()
    form = request.form if request.method == "POST" else {
        "kind": "volunteers", "visibility": "network",
        "list_until": (today + _days(DEFAULT_LISTING_DAYS)).isoformat(),
        "initiative": str(choices[0].id) if len(choices) == 1 else ""}
    if request.method == "POST":
        chosen = next((i for i in choices if str(i.id) == request.form.get("initiative")), None)
        if chosen is None and Initiative.get_or_none(
                Initiative.id == whole_number(request.form.get("initiative", ""))):
            abort(403)  # a co-operative this person does not coordinate
        try:
            if chosen is None:
                raise services.NeedError(_("Choose the co-operative that needs this."),
                                         "initiative_unknown")
            with write_transaction():
                need = services.post_need(chosen, request.form)
        except services.NeedError as error:
            return _form_page("needs/form.html", 400, need=None, form=form, choices=choices,
                              error=error.message, today=today)
        flash(_("The need is on the board."))
        return redirect(url_for("needs.detail", need_id=need.id), 303)
    return _form_page("needs/form.html", need=None, form=form, choices=choices, error=None,
                      today=today)


def _days(count):
    return dt.timedelta(days=count)


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
def edit(need_id):
    """Change what a need says."""
    need = _need_or_404(need_id, current_person())
    _require(need)
    if request.method == "POST":
        try:
            with write_transaction():
                services.update_need(need, request.form)
        except services.NeedError as error:
            return _form_page("needs/form.html", 400, need=need, form=request.form,
                              choices=[need.initiative], error=error.message,
                              today=clock.today())
        flash(_("The need is saved."))
        return redirect(url_for("needs.detail", need_id=need.id), 303)
    form = {"kind": need.kind, "visibility": need.visibility, "text_nl": need.text_nl,
            "text_en": need.text_en, "unit_nl": need.unit_nl, "unit_en": need.unit_en,
            "quantity": _plain_number(need.quantity),
            "needed_by": need.needed_by.isoformat() if need.needed_by else "",
            "list_until": need.list_until.isoformat() if need.list_until else ""}
    return _form_page("needs/form.html", need=need, form=form, choices=[need.initiative],
                      error=None, today=clock.today())


def _plain_number(value):
    """An amount as a form shows it: 25, or 12.50."""
    if value is None:
        return ""
    return f"{value:.2f}".removesuffix(".00")


@bp.post("/<int:need_id>/status")
def status(need_id):
    """Close a need by hand (enough offers, fulfilled, withdrawn) or open it again."""
    need = _need_or_404(need_id, current_person())
    _require(need)
    try:
        with write_transaction():
            need = services.set_status(need, request.form.get("status", ""))
    except services.NeedError as error:
        return _manage_page(need, error)
    flash(_("The need is now: %(status)s.", status=need.status_label))
    return redirect(url_for("needs.answers", need_id=need_id), 303)


@bp.post("/<int:need_id>/pass")
def pass_on(need_id):
    """Pass a need on to a sister co-operative, with a note."""
    need = _need_or_404(need_id, current_person())
    person = _require(need)
    target = Initiative.get_or_none(Initiative.slug == request.form.get("to", ""))
    try:
        with write_transaction():
            need = services.pass_on(need, target, request.form.get("note", ""), by=person)
    except services.NeedError as error:
        return _manage_page(need, error)
    flash(_("The need is passed on to %(name)s.", name=need.initiative.name))
    return redirect(url_for("needs.detail", need_id=need_id), 303)


@bp.get("/<int:need_id>/answers")
def answers(need_id):
    """Everyone who answered, with how to reach them, and what coordinators do with a need —
    for the coordinators only."""
    need = _need_or_404(need_id, current_person())
    _require(need)
    return _manage_page(need)


def _manage_page(need, error=None):
    """The coordinators' page of a need; with a refused change's message, as a 400."""
    need = Need.get_by_id(need.id)  # as it is now: a refused change left it as it was
    pledged, fulfilled = need.totals()
    rows = list(need.pledges.order_by(Pledge.created_at, Pledge.id))
    skilled = (services.skilled_members(need)
               if may_see_skills(current_person(), need.initiative) else [])
    response = render("needs/answers.html", status=400 if error else 200, need=need,
                      pledges=rows, pledged=pledged, fulfilled=fulfilled,
                      sisters=services.sister_initiatives(need),
                      steps=list(need.steps.order_by(NeedStep.at, NeedStep.id)),
                      error=error.message if error else None,
                      status_moves=services.NEED_MOVES, skilled=skilled)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:need_id>/answers/<int:pledge_id>")
def move(need_id, pledge_id):
    """Accept an answer, mark it received (fulfilled), or mark it withdrawn."""
    need = _need_or_404(need_id, current_person())
    _require(need)
    try:
        with write_transaction():
            pledge = services.move_pledge(need, pledge_id, request.form.get("to", ""))
    except services.NeedError as error:
        return _manage_page(need, error)
    flash(_("The answer of %(name)s is now: %(status)s.", name=pledge.name,
            status=pledge.status_label))
    return redirect(url_for("needs.answers", need_id=need_id), 303)


@bp.post("/<int:need_id>/answers/<int:pledge_id>/thank")
def thank(need_id, pledge_id):
    """Thank the person who answered ("Bedanken"), once, with an optional short message."""
    need = _need_or_404(need_id, current_person())
    _require(need)
    try:
        with write_transaction():
            pledge = services.thank(need, pledge_id, request.form.get("message", ""))
    except services.NeedError as error:
        return _manage_page(need, error)
    flash(_("%(name)s is thanked.", name=pledge.name))
    return redirect(url_for("needs.answers", need_id=need_id), 303)


@bp.post("/<int:need_id>/answers/<int:pledge_id>/withdraw")
def withdraw(need_id, pledge_id):
    """Take one's own answer back ("I cannot after all"), while it is not yet received."""
    person = logged_in()
    need = _need_or_404(need_id, person)
    try:
        with write_transaction():
            services.withdraw_own(need, pledge_id, person)
    except services.NeedError as error:
        if error.code in ("not_yours", "pledge_unknown"):
            abort(403)
        flash(error.message, "error")
        return redirect(url_for("needs.detail", need_id=need_id), 303)
    flash(_("Your answer is taken back. Thank you for letting them know."))
    return redirect(url_for("needs.detail", need_id=need_id), 303)


@bp.app_template_filter("amount")
def format_amount(value, need=None):
    """An amount as people read it in the page's language: "€ 1.250" for money, "6" else."""
    import babel.numbers
    from flask_babel import get_locale

    if value is None:
        return ""
    number = babel.numbers.format_decimal(value, format="#,##0.##", locale=get_locale())
    if need is not None and need.is_money:
        return f"€\u00a0{number}"
    return number
