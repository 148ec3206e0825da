"""The pages of volunteering: my shifts and hours (check in and out, also offline), my claims,
the shared phone at a venue, and the coordinators' page with groups, settings, hours and
claims to approve and the monthly export for the bookkeeper."""
import csv
import datetime as dt
import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.models import Membership, Person
from ..core import clock
from ..core.validation import whole_number
from ..initiatives.models import Initiative
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..permissions import can, managed_initiatives
from ..web import logged_in, one_or_404, render, require, wants_partial
from . import caps, services
from .actions import cap_warning, euros
from .models import (
    ALLOWANCE_MODES,
    CLAIM_KINDS,
    AllowanceSetting,
    ExpenseClaim,
    KioskLink,
    PinRefusal,
    Shift,
    WorkingGroup,
)
from .services import VolunteeringError

bp = Blueprint("volunteering", __name__, url_prefix="/volunteering")
# How far back the pages look for overlapping shifts and wrong PINs.
RECENT = dt.timedelta(days=60)


def _my_initiatives(person):
    return [m.initiative for m in person.memberships.join(Initiative).order_by(Initiative.name)
            if m.role in ("volunteer", "coordinator")]


@bp.get("")
def index():
    """My volunteering: check in and out, shifts to confirm, my hours."""
    person = logged_in()
    now = clock.now()
    initiatives = _my_initiatives(person)
    groups = {i.id: list(WorkingGroup.of(i)) for i in initiatives}
    to_confirm = services.to_confirm(person, now)
    open_shifts = _open_shifts(person, to_confirm)
    by_week, by_month = services.hours_by_period(person, clock.today())
    recent = list(Shift.select().where((Shift.person == person)
                                       & (Shift.checkin_at >= now - RECENT))
                  .order_by(Shift.checkin_at))
    clashes = services.overlaps(recent)
    overlapping, shown = [], set()
    for shift in recent:
        if shift.id in clashes and shift.id not in shown:  # each clash once, by its first shift
            overlapping.append((shift, clashes[shift.id]))
            shown.update(other.id for other in clashes[shift.id])
    refusals = [r for r in services.pin_refusals(person=person, since=now - RECENT)
                if r.kept_at is None]
    return render("volunteering/index.html", me=person, initiatives=initiatives, groups=groups,
                  open_shifts=open_shifts, to_confirm=to_confirm, by_week=by_week,
                  by_month=by_month, overlapping=overlapping, refusals=refusals,
                  managed=managed_initiatives(person))


def _open_shifts(person, to_confirm=None):
    """The shifts a person is checked in for, without those whose forgotten check-out waits for
    their word."""
    to_confirm = services.to_confirm(person, clock.now()) if to_confirm is None else to_confirm
    waiting = {shift.id for shift in to_confirm}
    return [shift for shift in Shift.open_of(person) if shift.id not in waiting]


def _with_open_shifts(response, result, person):
    """An htmx answer to a check-in or check-out brings the open shifts up to date too (an
    out-of-band swap), once the action is done."""
    if wants_partial() and result.status in ("applied", "duplicate"):
        shifts = render_template("volunteering/_open_shifts.html", oob=True,
                                 open_shifts=_open_shifts(person))
        response.set_data(response.get_data(as_text=True) + shifts)
    return response


@bp.post("/checkin")
def checkin():
    """Check in for a working group (the same action the phone queues offline)."""
    person = logged_in()
    data = {"group": request.form.get("group", ""), "note": request.form.get("note", "")}
    result = apply(form_action("shift.checkin", data), person)
    return _with_open_shifts(answer(result, url_for("volunteering.index")), result, person)


@bp.post("/checkout")
def checkout():
    """Check out of the shift a check-in started."""
    person = logged_in()
    data = {"checkin": request.form.get("checkin", "")}
    result = apply(form_action("shift.checkout", data), person)
    return _with_open_shifts(answer(result, url_for("volunteering.index")), result, person)


@bp.post("/shifts/<int:shift_id>/confirm")
def confirm(shift_id):
    """Confirm the time of a forgotten check-out, or set the right one."""
    person = logged_in()
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None or shift.person_id != person.id:
        abort(404)
    try:
        end = _parse_clock(shift.checkin_at, request.form.get("end", ""))
        services.confirm_shift(person, shift, end)
    except VolunteeringError as error:
        flash(error.message, "error")
    else:
        flash(_("Thank you, your hours are saved."))
    return redirect(url_for("volunteering.index"), 303)


def _parse_clock(start, raw):
    """An end time typed as HH:MM (Dutch time) on the day of the check-in (or the next day,
    if earlier), as a stored moment."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        typed = dt.time.fromisoformat(raw)
    except ValueError:
        raise VolunteeringError(_("Fill in a time like 17:30."), "time_invalid") from None
    begun = clock.local(start)
    end = dt.datetime.combine(begun.date(), typed)
    # Compared by the minute, as the form shows times: an end in the check-in's own minute is
    # that day, not the next.
    return clock.from_local(end if end >= begun.replace(second=0, microsecond=0)
                            else end + dt.timedelta(days=1))


@bp.post("/pin")
def pin():
    """Choose the 4-digit PIN for the shared phone at a venue."""
    person = logged_in()
    try:
        services.set_pin(person, request.form.get("pin", ""))
    except VolunteeringError as error:
        flash(error.message, "error")
    else:
        flash(_("Your PIN is saved."))
    return redirect(url_for("volunteering.index"), 303)


@bp.get("/claims")
def claims():
    """My claims, and the form for a new one."""
    person = logged_in()
    rows = list(ExpenseClaim.select().where(ExpenseClaim.person == person)
                .order_by(ExpenseClaim.date.desc(), ExpenseClaim.id.desc()).limit(50))
    initiatives = _my_initiatives(person)
    settings = {i.id: AllowanceSetting.for_initiative(i) for i in initiatives}
    return render("volunteering/claims.html", me=person, claims=rows, initiatives=initiatives,
                  settings=settings, kinds=CLAIM_KINDS,
                  today=clock.today(), euros=euros,
                  max_receipt_bytes=services.MAX_RECEIPT_BYTES)


@bp.post("/claims")
def claim():
    """Submit a claim (the same action the phone queues offline, photo included)."""
    person = logged_in()
    fields = ("initiative", "kind", "amount", "km", "date", "note", "receipt", "over_21")
    data = {key: request.form.get(key, "") for key in fields}
    return answer(apply(form_action("expense.claim", data), person),
                   url_for("volunteering.claims"))


@bp.get("/claims/check")
def claim_check():
    """Before submitting: what this amount would do to the tax-free caps (an htmx partial)."""
    person = logged_in()
    try:
        initiative = Initiative.get_by_id(whole_number(request.args.get("initiative")))
        date = dt.date.fromisoformat(request.args.get("date", ""))
        kind = request.args.get("kind", "")
        amount = services.parse_amount_cents(request.args.get("amount", ""))
    except (ValueError, Initiative.DoesNotExist, VolunteeringError):
        return render("volunteering/_cap.html", partial="volunteering/_cap.html", check=None)
    probe = ExpenseClaim(person=person, initiative=initiative, kind=kind, amount_cents=amount,
                         date=date, receipt="x" if request.args.get("receipt") else "")
    check = services.cap_check(person, probe)
    return render("volunteering/_cap.html", partial="volunteering/_cap.html", check=check,
                  warning=cap_warning(check) if check.passed else "", euros=euros)


@bp.get("/claims/<int:claim_id>/receipt")
def receipt(claim_id):
    """The receipt photo of a claim, for the claimant and the co-operative's coordinators."""
    person = logged_in()
    claim = ExpenseClaim.get_or_none(ExpenseClaim.id == claim_id)
    if claim is None or not claim.receipt:
        abort(404)
    if claim.person_id != person.id and not can(person, "claims.approve", claim.initiative):
        abort(403)
    response = send_from_directory(services.receipts_folder(), claim.receipt)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- coordinators ---------------------------------------------------------------------------

@bp.get("/<slug>/manage")
def manage(slug):
    """A co-operative's volunteering: groups, allowance, hours and claims waiting."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    me = require("shifts.approve", initiative)
    groups = list(WorkingGroup.of(initiative))
    waiting_hours = list(Shift.select(Shift, Person).join(Person, on=(Shift.person == Person.id))
                         .switch(Shift).join(WorkingGroup)
                         .where((WorkingGroup.initiative == initiative)
                                & (Shift.state.in_(["closed", "to_confirm"])))
                         .order_by(Shift.checkin_at))
    waiting_claims = list(ExpenseClaim.select().where(
        (ExpenseClaim.initiative == initiative)
        & (ExpenseClaim.state.in_(["submitted", "approved"]))).order_by(ExpenseClaim.date))
    checks = {c.id: services.cap_check(c.person, c) for c in waiting_claims
              if c.state == "submitted"}
    return render("volunteering/manage.html", initiative=initiative, groups=groups,
                  setting=AllowanceSetting.for_initiative(initiative), modes=ALLOWANCE_MODES,
                  waiting_hours=waiting_hours, waiting_claims=waiting_claims, checks=checks,
                  overlaps=services.overlaps(waiting_hours),
                  late=services.recorded_late(waiting_hours),
                  refusals=services.pin_refusals(initiative, since=clock.now() - RECENT),
                  kiosks=services.active_kiosks(initiative),
                  me=me, decider=_who_decides(me, initiative),
                  month=clock.today().strftime("%Y-%m"), euros=euros)


def _who_decides(me, initiative):
    """Who decides on this coordinator's own hours and claims: "coordinator" when the
    co-operative has another one, else "administrator"."""
    others = (Membership.select().join(Person)
              .where((Membership.initiative == initiative) & (Membership.role == "coordinator")
                     & (Membership.person != me) & Person.erased_at.is_null()))
    return "coordinator" if others.exists() else "administrator"


@bp.post("/<slug>/groups")
def add_group(slug):
    """Add a working group."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("groups.manage", initiative)
    try:
        group = services.add_group(person, initiative, request.form.get("name", ""),
                                   request.form.get("description", ""),
                                   request.form.get("name_en", ""),
                                   request.form.get("description_en", ""))
    except VolunteeringError as error:
        flash(error.message, "error")
    else:
        flash(_("The group %(name)s is added.", name=group.name))
    return redirect(url_for("volunteering.manage", slug=slug), 303)


@bp.post("/<slug>/settings")
def settings(slug):
    """How the co-operative pays its volunteers."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("groups.manage", initiative)
    try:
        setting = services.save_settings(
            person, initiative, request.form.get("mode", "none"),
            hourly_cents=_optional_cents(request.form.get("hourly", "")),
            monthly_cents=_optional_cents(request.form.get("monthly", "")),
            km_rate_cents=_optional_cents(request.form.get("km_rate", "")) or 23,
            checkout_limit_hours=whole_number(
                request.form.get("checkout_limit_hours") or "8") or 0)
    except (VolunteeringError, ValueError) as error:
        flash(getattr(error, "message", _("Fill in whole numbers.")), "error")
        return redirect(url_for("volunteering.manage", slug=slug), 303)
    caps_now = caps.caps_for(clock.today().year)
    if setting.mode == "hourly" and setting.hourly_cents > caps_now.hour:
        flash(_("Careful: this hourly allowance is above the tax-free cap of € %(cap)s.",
                cap=euros(caps_now.hour)), "error")
    flash(_("The allowance settings are saved."))
    return redirect(url_for("volunteering.manage", slug=slug), 303)


def _optional_cents(raw):
    return services.parse_amount_cents(raw) if str(raw).strip() else 0


@bp.post("/shifts/<int:shift_id>/approve")
def approve_shift(shift_id):
    """Approve hours, or correct them with a reason."""
    person = logged_in()
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        abort(404)
    if not can(person, "shifts.approve", shift.group.initiative):
        abort(403)
    try:
        end = _parse_clock(shift.checkin_at, request.form.get("end", ""))
        services.approve_shift(person, shift, end, request.form.get("reason", ""))
    except VolunteeringError as error:
        flash(error.message, "error")
    else:
        flash(_("The hours of %(name)s are approved.", name=shift.person.display_name))
    return redirect(url_for("volunteering.manage", slug=shift.group.initiative.slug), 303)


@bp.post("/shifts/<int:shift_id>/reject")
def reject_shift(shift_id):
    """Reject hours that were not worked, with a reason."""
    person = logged_in()
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        abort(404)
    if not can(person, "shifts.approve", shift.group.initiative):
        abort(403)
    try:
        services.reject_shift(person, shift, request.form.get("reason", ""))
    except VolunteeringError as error:
        flash(error.message, "error")
    else:
        flash(_("The hours of %(name)s are rejected.", name=shift.person.display_name))
    return redirect(url_for("volunteering.manage", slug=shift.group.initiative.slug), 303)


@bp.post("/pin-refusals/<int:refusal_id>/keep")
def keep_refused(refusal_id):
    """Keep a check-in or check-out refused for a wrong PIN, after checking with the volunteer."""
    person = logged_in()
    refusal = PinRefusal.get_or_none(PinRefusal.id == refusal_id)
    if refusal is None:
        abort(404)
    if not can(person, "shifts.approve", refusal.group.initiative):
        abort(403)
    try:
        services.keep_refused(person, refusal)
    except VolunteeringError as error:
        flash(error.message, "error")
    else:
        flash(_("Kept for %(name)s.", name=refusal.person.display_name))
    return redirect(url_for("volunteering.manage", slug=refusal.group.initiative.slug), 303)


@bp.post("/claims/<int:claim_id>/<any(approve, reject, paid):decision>")
def decide_claim(claim_id, decision):
    """Approve, reject (with a reason) or mark a claim paid."""
    person = logged_in()
    claim = ExpenseClaim.get_or_none(ExpenseClaim.id == claim_id)
    if claim is None:
        abort(404)
    if not can(person, "claims.approve", claim.initiative):
        abort(403)
    try:
        if decision == "approve":
            services.approve_claim(person, claim, request.form.get("over_cap_reason", ""))
            flash(_("The claim is approved."))
        elif decision == "reject":
            services.reject_claim(person, claim, request.form.get("reason", ""))
            flash(_("The claim is rejected."))
        else:
            services.mark_paid(person, claim)
            flash(_("The claim is marked as paid."))
    except VolunteeringError as error:
        flash(error.message, "error")
    return redirect(url_for("volunteering.manage", slug=claim.initiative.slug), 303)


@bp.get("/<slug>/export.csv")
def export(slug):
    """The month's approved and paid claims and approved hours, for the bookkeeper."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("claims.approve", initiative)
    try:
        month = dt.datetime.strptime(request.args.get("month", ""), "%Y-%m").date()
    except ValueError:
        month = clock.today().replace(day=1)
    end = services._next_month(month)
    out = io.StringIO()
    writer = SafeWriter(csv.writer(out, delimiter=";"))
    writer.writerow(["type", "date", "volunteer", "kind", "amount_eur", "km", "hours", "state",
                     "over_cap", "over_cap_reason", "note"])
    for claim in (ExpenseClaim.select().where((ExpenseClaim.initiative == initiative)
                                              & (ExpenseClaim.date >= month)
                                              & (ExpenseClaim.date < end)
                                              & ExpenseClaim.state.in_(["approved", "paid"]))
                  .order_by(ExpenseClaim.date)):
        writer.writerow(["claim", claim.date.isoformat(), claim.person.display_name, claim.kind,
                         euros(claim.amount_cents), claim.km or "", "", claim.state,
                         claim.over_cap, claim.over_cap_reason, claim.note])
    for shift in (Shift.select().join(WorkingGroup)
                  .where((WorkingGroup.initiative == initiative) & (Shift.state == "approved")
                         & (Shift.checkin_at >= services._midnight(month))
                         & (Shift.checkin_at < services._midnight(end)))
                  .order_by(Shift.checkin_at)):
        writer.writerow(["hours", clock.local(shift.checkin_at).date().isoformat(),
                         shift.person.display_name,
                         shift.group.name, "", "", f"{shift.minutes / 60:.2f}", shift.state,
                         "", "", shift.note])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="peerm-{initiative.slug}-{month:%Y-%m}.csv"')
    response.headers["Cache-Control"] = "no-store"
    return response


class SafeWriter:
    """A CSV writer whose cells never start a spreadsheet formula (=, +, -, @)."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row):
        self.writer.writerow(["'" + cell if isinstance(cell, str) and cell[:1] in "=+-@\t\r"
                              and cell else cell for cell in row])


# --- the shared phone at a venue ------------------------------------------------------------

def _kiosk(token):
    link = services.kiosk_by_token(token)
    if link is None:
        abort(404)
    return link


@bp.post("/groups/<int:group_id>/kiosk")
def make_kiosk(group_id):
    """Make the link that turns a phone at the venue into the group's shared check-in phone."""
    group = WorkingGroup.get_or_none(WorkingGroup.id == group_id)
    if group is None:
        abort(404)
    person = require("groups.manage", group.initiative)
    token = services.open_kiosk(person, group)
    return redirect(url_for("volunteering.kiosk", token=token), 303)


@bp.post("/kiosk-links/<int:link_id>/stop")
def stop_kiosk(link_id):
    """Stop a shared phone: its link opens nothing any more."""
    link = KioskLink.get_or_none(KioskLink.id == link_id)
    if link is None:
        abort(404)
    person = require("groups.manage", link.group.initiative)
    services.stop_kiosk(person, link)
    flash(_("The shared phone of %(group)s is stopped.", group=link.group.name))
    return redirect(url_for("volunteering.manage", slug=link.group.initiative.slug), 303)


@bp.get("/kiosk/<token>")
def kiosk(token):
    """The shared phone: volunteers pick their name, type their PIN, check in or out."""
    link = _kiosk(token)
    volunteers = [m.person for m in Membership.select(Membership, Person).join(Person)
                  .where((Membership.initiative == link.group.initiative_id)
                         & Membership.role.in_(["volunteer", "coordinator"]))
                  .order_by(Person.display_name)]
    return render("volunteering/kiosk.html", group=link.group, token=token,
                  volunteers=volunteers)


@bp.post("/kiosk/<token>/<any(checkin, checkout):what>")
def kiosk_action(token, what):
    """A check-in or check-out on the shared phone, by name and PIN."""
    link = _kiosk(token)
    data = {"group": link.group_id, "person": request.form.get("person", ""),
            "pin": request.form.get("pin", ""), "kiosk": token}
    result = apply(form_action(f"shift.{what}", data), None)
    return answer(result, url_for("volunteering.kiosk", token=token))
