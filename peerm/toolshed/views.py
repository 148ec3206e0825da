"""The pages of the tool library: the catalogue and a tool's page (reserve), my loans and
holds, the counter (lend and take back, also offline), and the coordinators' page with tools,
categories, repairs, overdue loans, clashing loans and the lending rules."""

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.models import Membership, Person
from ..accounts.session import current_person
from ..core import clock
from ..core.db import write_transaction
from ..core.validation import whole_number
from ..initiatives.models import Initiative
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..permissions import can
from ..web import cached_page, logged_in, one_or_404, render, require, wants_partial
from . import services
from .models import (
    CONDITIONS,
    TOOL_STATES,
    Category,
    Hold,
    LendingRules,
    Loan,
    RulesAcceptance,
    Tool,
)
from .services import ToolshedError

bp = Blueprint("toolshed", __name__, url_prefix="/toolshed")


def _tool_or_404(tool_id):
    tool = Tool.get_or_none(Tool.id == tool_id)
    if tool is None:
        abort(404)
    return tool


@bp.get("")
@cached_page
def index():
    """The catalogue: search by name or code, filter by co-operative and by status."""
    initiatives = [i for i in Initiative.listed() if Tool.select().where(Tool.initiative == i).exists()]
    by_slug = {i.slug: i for i in initiatives}
    slug = request.args.get("initiative", "").strip()
    status = request.args.get("status", "").strip()
    search = " ".join(request.args.get("q", "").split())[:80]
    unknown = []
    if slug and slug not in by_slug:
        unknown.append(slug)
        slug = ""
    if status and (status not in TOOL_STATES or status == "retired"):
        unknown.append(status)
        status = ""
    # By name in the page's language, as the list shows them.
    tools = sorted(Tool.catalogue(by_slug.get(slug), status=status or None, search=search),
                   key=lambda tool: tool.local_name.lower())
    # Free tools someone may pick up now: shown as reserved, not as available.
    reserved = {hold.tool_id for hold in Hold.select(Hold.tool).where(Hold.state == "ready")}
    return render("toolshed/index.html", partial="toolshed/_list.html", tools=tools,
                  reserved=reserved,
                  initiatives=initiatives, slug=slug, state_filter=status, search=search,
                  states={k: v for k, v in TOOL_STATES.items() if k != "retired"},
                  unknown=unknown)


@bp.get("/<int:tool_id>")
@cached_page
def detail(tool_id):
    """One tool: its state, its queue and the button to reserve it."""
    tool = _tool_or_404(tool_id)
    person = current_person()
    queue = list(Hold.queue(tool))
    mine = next((h for h in queue if person and h.person_id == person.id), None)
    ready = next((h for h in queue if h.state == "ready"), None)
    return render("toolshed/detail.html", tool=tool, queue=queue, mine=mine, ready=ready,
                  may_manage=person is not None and can(person, "tools.manage", tool.initiative))


@bp.get("/<int:tool_id>/qr.svg")
def qr(tool_id):
    """The QR code of a tool's label: its code, which the counter scans."""
    tool = _tool_or_404(tool_id)
    svg = segno.make(tool.code, error="m").svg_inline(scale=4, title=tool.code)
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/<int:tool_id>/reserve")
def reserve_page(tool_id):
    """The address of the reserve form opened as a page (after logging in, say): the tool."""
    return redirect(url_for("toolshed.detail", tool_id=_tool_or_404(tool_id).id), 303)


@bp.post("/<int:tool_id>/reserve")
def reserve(tool_id):
    """Reserve a tool (the same action the phone queues offline)."""
    if current_person() is None:
        # Logging in comes back to the tool's page, not to this form's address.
        back = url_for("accounts.login", next=url_for("toolshed.detail", tool_id=tool_id))
        if wants_partial():
            # htmx would follow a redirect inside the page: the page goes there as a whole
            # instead, and says why where the answer goes.
            response = render("toolshed/_login_needed.html",
                              partial="toolshed/_login_needed.html", back=back)
            response.headers["HX-Redirect"] = back
            return response
        return redirect(back, 303)
    result = apply(form_action("tool.reserve", {"tool": tool_id}), current_person())
    return answer(result, url_for("toolshed.detail", tool_id=tool_id))


@bp.get("/mine")
def mine():
    """My loans and reservations."""
    person = logged_in()
    loans = list(Loan.select().where((Loan.borrower == person) & Loan.returned_at.is_null())
                 .order_by(Loan.due))
    holds = list(Hold.select().where((Hold.person == person)
                                     & Hold.state.in_(["waiting", "ready"])).order_by(Hold.id))
    return render("toolshed/mine.html", loans=loans, holds=holds, today=clock.today())


@bp.post("/loans/<int:loan_id>/renew")
def renew(loan_id):
    """Renew my loan, when nobody waits for the tool."""
    person = logged_in()
    loan = Loan.get_or_none(Loan.id == loan_id)
    if loan is None or loan.borrower_id != person.id:
        abort(404)
    try:
        with write_transaction():
            loan = services.renew(person, loan, clock.today())
    except ToolshedError as error:
        flash(error.message, "error")
    else:
        flash(_("Renewed: bring it back by %(due)s.", due=loan.due.strftime("%d-%m-%Y")))
    return redirect(url_for("toolshed.mine"), 303)


@bp.post("/holds/<int:hold_id>/cancel")
def cancel_hold(hold_id):
    """Give up my place in a tool's queue."""
    person = logged_in()
    hold = Hold.get_or_none(Hold.id == hold_id)
    if hold is None or hold.person_id != person.id:
        abort(404)
    try:
        with write_transaction():
            services.cancel_hold(person, hold)
    except ToolshedError as error:
        flash(error.message, "error")
    else:
        flash(_("Your reservation is cancelled."))
    return redirect(url_for("toolshed.mine"), 303)


# --- the counter ----------------------------------------------------------------------------

@bp.get("/<slug>/counter")
def counter(slug):
    """The counter: lend and take back tools, with the members and tools at hand offline; for
    htmx, its lists alone (what is out, every tool's state), to bring them up to date."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("tools.counter", initiative)
    today = clock.today()
    members = [m.person for m in Membership.select(Membership, Person).join(Person)
               .where(Membership.initiative == initiative).order_by(Person.display_name)]
    rules = LendingRules.current(initiative)
    # Two queries for the whole list, not two per member.
    paused = {row.borrower_id for row in Loan.select(Loan.borrower).where(
        Loan.returned_at.is_null() & (Loan.due < today))}
    accepted = ({row.person_id for row in RulesAcceptance.select(RulesAcceptance.person)
                 .where(RulesAcceptance.rules == rules)} if rules else None)
    borrowers = [{"person": p, "paused": p.id in paused,
                  "rules_ok": accepted is None or p.id in accepted} for p in members]
    return render("toolshed/counter.html", partial="toolshed/_counter_state.html",
                  initiative=initiative, borrowers=borrowers, rules=rules,
                  conditions=CONDITIONS, today=today, **_counter_state(initiative))


def _counter_state(initiative):
    """What the counter's lists show: the tools, what is out, and who is next for each tool."""
    tools = list(Tool.catalogue(initiative))
    out = list(Loan.select(Loan, Tool).join(Tool)
               .where((Tool.initiative == initiative) & Loan.returned_at.is_null())
               .order_by(Loan.due))
    # The first in each tool's queue (the one with a pickup window, else the longest waiting).
    next_in_line = {}
    for hold in (Hold.select(Hold, Person).join(Person).switch(Hold).join(Tool)
                 .where((Tool.initiative == initiative) & Hold.state.in_(["waiting", "ready"]))
                 .order_by(Hold.id)):
        if hold.tool_id not in next_in_line or hold.state == "ready":
            next_in_line[hold.tool_id] = hold
    return {"tools": tools, "out": out, "next_in_line": next_in_line}


def _with_counter_state(response, result, tool_ref):
    """An htmx answer to the counter's forms brings the counter's lists up to date too (an
    out-of-band swap), once the action has changed something."""
    if not wants_partial() or result.status not in ("applied", "duplicate", "conflict"):
        return response
    try:
        initiative = services.find_tool(tool_ref).initiative
    except ToolshedError:
        return response
    if not services.may_counter(current_person(), initiative):
        return response
    state = render_template("toolshed/_counter_state.html", initiative=initiative, oob=True,
                            **_counter_state(initiative))
    response.set_data(response.get_data(as_text=True) + state)
    return response


@bp.post("/lend")
def lend():
    """Lend a tool at the counter; a tool that is out already is lent only when the volunteer
    says so (then both loans are kept and flagged for a coordinator)."""
    person = logged_in()
    data = {key: request.form.get(key, "") for key in ("tool", "borrower", "due", "rules")}
    action_id = request.form.get("action_id", "")
    # A form sent again (a double tap, a reload) is the same action: no question, its result.
    again = bool(action_id) and Loan.select().where(Loan.action_id == action_id).exists()
    if not request.form.get("_confirm") and not again:
        out = _lent_now(data["tool"])
        if out is not None and services.may_counter(person, out.tool.initiative):
            return render("toolshed/confirm_lend.html", partial="toolshed/_confirm_lend.html",
                          loan=out, data=data, action_id=action_id,
                          initiative=out.tool.initiative)
    result = apply(form_action("tool.lend", data), person)
    back = request.referrer if _local(request.referrer) else url_for("toolshed.index")
    return _with_counter_state(answer(result, back), result, data["tool"])


def _lent_now(tool_ref):
    """The open loan of the tool a counter form names, if it is out (None for an unknown code:
    the action itself says so)."""
    try:
        tool = services.find_tool(tool_ref)
    except ToolshedError:
        return None
    return Loan.open_of_tool(tool).first()


@bp.post("/return")
def take_back():
    """Take a tool back at the counter."""
    person = logged_in()
    data = {key: request.form.get(key, "") for key in ("tool", "condition")}
    result = apply(form_action("tool.return", data), person)
    back = request.referrer if _local(request.referrer) else url_for("toolshed.index")
    return _with_counter_state(answer(result, back), result, data["tool"])


def _local(url):
    return bool(url) and url.startswith(request.host_url)


# --- coordinators ---------------------------------------------------------------------------

@bp.get("/<slug>/manage")
def manage(slug):
    """Tools, categories, repairs, overdue and clashing loans, and the lending rules."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("tools.manage", initiative)
    today = clock.today()
    return render("toolshed/manage.html", initiative=initiative,
                  categories=list(Category.select().where(Category.initiative == initiative)),
                  tools=list(Tool.select().where(Tool.initiative == initiative)
                             .order_by(Tool.name)),
                  overdue=list(Loan.overdue(initiative, today)),
                  conflicts=list(Loan.conflicts(initiative)),
                  rules=LendingRules.current(initiative), conditions=CONDITIONS, today=today)


def _managed(slug_or_tool):
    initiative = (slug_or_tool.initiative if isinstance(slug_or_tool, Tool)
                  else one_or_404(Initiative, Initiative.slug == slug_or_tool))
    return require("tools.manage", initiative), initiative


@bp.post("/<slug>/tools")
def add_tool(slug):
    """Add a tool to the catalogue."""
    person, initiative = _managed(slug)
    category = Category.get_or_none((Category.id == whole_number(request.form.get("category")))
                                    & (Category.initiative == initiative))
    try:
        if category is None:
            raise ToolshedError(_("Choose a category."), "category_missing")
        with write_transaction():
            tool = services.add_tool(initiative, category, request.form.get("name"),
                                     request.form.get("description"),
                                     request.form.get("condition"),
                                     request.form.get("name_en"),
                                     request.form.get("description_en"))
    except ToolshedError as error:
        flash(error.message, "error")
    else:
        flash(_("%(name)s is added with code %(code)s.", name=tool.local_name, code=tool.code))
    return redirect(url_for("toolshed.manage", slug=slug), 303)


@bp.post("/<slug>/categories")
def add_category(slug):
    """Add a category with its loan time."""
    person, initiative = _managed(slug)
    try:
        with write_transaction():
            services.add_category(person, initiative, request.form.get("name"),
                                  request.form.get("loan_days"), request.form.get("name_en"))
    except ToolshedError as error:
        flash(error.message, "error")
    return redirect(url_for("toolshed.manage", slug=slug), 303)


@bp.post("/<int:tool_id>/<any(repair, repaired, retire):what>")
def maintain(tool_id, what):
    """Send a tool to repair, bring it back from repair, or retire it."""
    tool = _tool_or_404(tool_id)
    person, initiative = _managed(tool)
    try:
        with write_transaction():
            if what == "repair":
                services.mark_in_repair(person, tool, request.form.get("note", ""))
            elif what == "repaired":
                services.mark_repaired(person, tool)
            else:
                services.retire(person, tool)
    except ToolshedError as error:
        flash(error.message, "error")
    else:
        flash(_("%(name)s: %(status)s.", name=tool.local_name, status=Tool.get_by_id(tool.id).status_label))
    return redirect(url_for("toolshed.manage", slug=initiative.slug), 303)


@bp.post("/loans/<int:loan_id>/resolve")
def resolve(loan_id):
    """Sort out loans that clashed, with a note of what really happened."""
    loan = Loan.get_or_none(Loan.id == loan_id)
    if loan is None:
        abort(404)
    person, initiative = _managed(loan.tool)
    try:
        with write_transaction():
            services.resolve_conflict(person, loan, request.form.get("note", ""))
    except ToolshedError as error:
        flash(error.message, "error")
    else:
        flash(_("The clash is sorted out."))
    return redirect(url_for("toolshed.manage", slug=initiative.slug), 303)


@bp.post("/<slug>/rules")
def publish_rules(slug):
    """Publish a new version of the lending rules; borrowers accept it before their next loan."""
    person, initiative = _managed(slug)
    try:
        with write_transaction():
            rules = services.publish_rules(person, initiative, request.form.get("text_nl", ""),
                                           request.form.get("text_en", ""))
    except ToolshedError as error:
        flash(error.message, "error")
    else:
        flash(_("Version %(version)d of the rules is published.", version=rules.version))
    return redirect(url_for("toolshed.manage", slug=slug), 303)


@bp.route("/<slug>/rules", methods=["GET"])
def rules(slug):
    """The lending rules of a co-operative, and accepting them."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = current_person()
    current = LendingRules.current(initiative)
    accepted = person is not None and services.rules_accepted(person, initiative)
    return render("toolshed/rules.html", initiative=initiative, rules=current, accepted=accepted)


@bp.post("/<slug>/rules/accept")
def accept_rules(slug):
    """Accept the current lending rules."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = logged_in()
    current = LendingRules.current(initiative)
    if current is not None:
        with write_transaction():
            services.accept_rules(person, current)
        flash(_("Thank you: you accepted the lending rules."))
    return redirect(url_for("toolshed.rules", slug=slug), 303)


@bp.get("/<slug>/labels")
def labels(slug):
    """A printable sheet of QR labels, one per tool."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("tools.manage", initiative)
    tools = list(Tool.select().where((Tool.initiative == initiative) & (Tool.status != "retired"))
                 .order_by(Tool.name))
    codes = {t.id: segno.make(t.code, error="m").svg_inline(scale=3, title=t.code) for t in tools}
    return render("toolshed/labels.html", initiative=initiative, tools=tools, codes=codes)
