"""The pages of events: the list with its filters, an event with its sign-up form, the door
list, the coordinators' list with contact details, my sign-ups, the Social Talks archive and
the calendar files. Forms that may be sent offline post the same action the phone would queue,
through the outbox protocol."""
import datetime as dt
import uuid

from flask import Blueprint, Response, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.session import current_person
from ..core import clock
from ..core.db import write_transaction
from ..initiatives.models import Initiative
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..permissions import can_for_event, event_organisers
from ..web import (
    cached_page,
    format_clock,
    format_day,
    local_path,
    logged_in,
    query_filters,
    render,
    wants_partial,
)
from . import authoring, calendar, services
from .models import EVENT_KINDS, Event, Signup

bp = Blueprint("events", __name__, url_prefix="/events")
# How long "my sign-ups" tells that a place came free.
PROMOTION_NEWS = dt.timedelta(days=7)
# How many of the phone's own sign-ups one status request may ask about.
MAX_SIGNUPS = 50


@bp.app_template_global("kept_events")
def kept_events():
    """The coming events whose pages the phone keeps (the offline page lists them)."""
    return list(Event.kept())


def _event_or_404(event_id):
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        abort(404)
    return event


@bp.get("")
@cached_page
def index():
    """Upcoming events, filtered by co-operative (`initiative`) and kind where those are known."""
    initiatives = list(Initiative.listed())
    by_slug = {i.slug: i for i in initiatives}
    chosen, unknown = query_filters(initiative=by_slug, kind=EVENT_KINDS)
    slug, kind = chosen["initiative"], chosen["kind"]
    events = list(Event.upcoming(initiative=by_slug.get(slug), kind=kind or None))
    return render("events/index.html", partial="events/_list.html", events=events,
                  initiatives=initiatives, kinds=EVENT_KINDS, slug=slug, kind=kind,
                  unknown=unknown, may_write=any(event_organisers(current_person())))


@bp.get("/<int:event_id>")
@cached_page
def detail(event_id):
    """One event: what, when, where, how many places are left, and the sign-up form."""
    event = _event_or_404(event_id)
    person = current_person()
    mine = []
    if person is not None:
        mine = list(Signup.select().where((Signup.event == event) & (Signup.person == person)
                                          & (Signup.status != "cancelled")))
    return render("events/detail.html", event=event, seats_left=event.seats_left(),
                  ended=event.has_ended(), started=event.starts_at <= clock.now(),
                  mine=mine, join_open=event.join_link_open(), door_open=event.door_open(),
                  may_door=can_for_event(person, "events.door", event),
                  may_contacts=can_for_event(person, "events.contacts", event),
                  may_manage=can_for_event(person, "events.manage", event))


def _require(action, event):
    """Stop the request unless someone is logged in (else: log in first) and may do this to
    the event (else 403)."""
    person = logged_in()
    if not can_for_event(person, action, event):
        abort(403)
    return person


@bp.post("/<int:event_id>/signup")
def signup(event_id):
    """Sign up for an event (the same action the phone sends when it was offline)."""
    data = {"event": event_id, "name": request.form.get("name", ""),
            "party_size": request.form.get("party_size", ""),
            "contact": request.form.get("contact", "")}
    result = apply(form_action("event.signup", data), current_person())
    if wants_partial():
        # The answer, and the places left (swapped out of band), so the page is up to date.
        event = _event_or_404(event_id)
        status = 200 if result.status in ("applied", "duplicate", "conflict") else 400
        response = render("events/_signup_answer.html", result=result, event=event,
                          seats_left=event.seats_left(), status=status)
        response.headers["Cache-Control"] = "no-store"
        return response
    return answer(result, url_for("events.detail", event_id=event_id))


@bp.post("/cancel")
def cancel():
    """Cancel a sign-up with its code and the name it was made with (the code alone for one's
    own sign-up, or the organisers)."""
    if request.form.get("signup") and not request.form.get("code"):
        # A sign-up made on this phone, named by the action id the phone gave it.
        data = {"signup": request.form["signup"]}
    else:
        data = {"code": request.form.get("code", ""), "name": request.form.get("name", "")}
    result = apply(form_action("event.cancel", data), current_person())
    back = local_path(request.form.get("_back", ""))
    return answer(result, back if back.startswith("/events") else url_for("events.index"))


@bp.get("/<int:event_id>/door")
def door(event_id):
    """The door list: who is coming, who arrived, and walk-ins — works offline once opened."""
    event = _event_or_404(event_id)
    _require("events.door", event)
    if not event.door_open():
        # Offered only at a place, from a day before until a while after (see Event.door_open).
        return render("events/door_closed.html", event=event)
    signups = list(Signup.door_list(event))
    return render("events/door.html", event=event, signups=signups,
                  arrived=sum(s.party_size for s in signups if s.attended_at),
                  expected=sum(s.party_size for s in signups))


@bp.post("/<int:event_id>/attend")
def attend(event_id):
    """Mark someone as arrived, by code or as a walk-in by name."""
    data = {"event": event_id}
    if request.form.get("code"):
        data["code"] = request.form["code"]
    else:
        data["name"] = request.form.get("name", "")
    person = current_person()
    if person is None:
        return redirect(url_for("accounts.login", next=url_for("events.door",
                                                               event_id=event_id)), 303)
    result = apply(form_action("event.attend", data), person)
    return answer(result, url_for("events.door", event_id=event_id))


@bp.get("/<int:event_id>/signups")
def signups(event_id):
    """Everyone signed up, with the contact details they gave — for the coordinators only."""
    event = _event_or_404(event_id)
    _require("events.contacts", event)
    rows = list(Signup.select().where(Signup.event == event).order_by(Signup.id))
    response = render("events/signups.html", event=event, signups=rows)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:event_id>/recording")
def recording(event_id):
    """Add the link to a Social Talk's recording."""
    event = _event_or_404(event_id)
    _require("events.manage", event)
    try:
        with write_transaction():
            services.set_recording(event, request.form.get("recording_url", ""))
    except services.EventError as error:
        flash(error.message, "error")
    else:
        flash(_("The recording link is saved."))
    return redirect(url_for("events.detail", event_id=event_id), 303)


@bp.get("/mine")
def mine():
    """My sign-ups: those of my account, and those made on this phone without one (the phone
    keeps them and fills them in, also without signal)."""
    person = current_person()
    rows = []
    if person is not None:
        rows = list(Signup.select(Signup, Event).join(Event)
                    .where((Signup.person == person) & (Event.ends_at >= clock.now()))
                    .order_by(Event.starts_at))
    # Good news is told for a week after it came (a page view changes nothing).
    promoted = [s for s in rows if s.promoted_at and s.promoted_at >= clock.now() - PROMOTION_NEWS
                and not s.event.is_cancelled]
    return render("events/mine.html", signups=rows, promoted=promoted)


@bp.get("/codes")
def codes():
    """The state of the sign-ups this phone made, named by the action ids it gave them (to
    tell who moved up); a sign-up code alone tells nothing."""
    found = []
    for raw in request.args.get("signups", "").split(",")[:MAX_SIGNUPS]:
        signup = services.signup_of_action(raw)
        if signup is not None:
            event = signup.event
            found.append({"id": str(uuid.UUID(raw.strip())), "code": signup.code, "status": signup.status,
                          "status_label": str(signup.status_label),
                          "event": signup.event_id,
                          "event_cancelled": event.is_cancelled,
                          "ended": event.has_ended(),
                          "when": f"{format_day(event.starts_at, 'short')} "
                                  f"{clock.local(event.starts_at).year}, "
                                  f"{format_clock(event.starts_at)}",
                          "title": event.title,
                          # The link to join an online talk, only in its hour (the phone's
                          # action id shows this phone made the sign-up).
                          "join": event.online_url if (event.join_link_open()
                                                       and signup.status == "confirmed") else "",
                          "promoted": signup.promoted_at is not None,
                          "url": url_for("events.detail", event_id=signup.event_id)})
    response = jsonify({"signups": found})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/talks")
@cached_page
def talks():
    """The Social Talks that took place, by theme, with their recordings."""
    by_theme = {}
    for talk in Event.talks_archive():
        by_theme.setdefault(talk.theme or _("Other themes"), []).append(talk)
    coming = list(Event.upcoming(kind="social_talk").where(Event.cancelled_at.is_null()))
    return render("events/talks.html", by_theme=by_theme, coming=coming)


@bp.get("/<int:event_id>.ics")
def ics(event_id):
    """The event as a calendar file."""
    event = _event_or_404(event_id)
    body = calendar.ics([event], _event_url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="peerm-{event.id}.ics"'
    return response


def _event_url(event):
    return url_for("events.detail", event_id=event.id, _external=True)


@bp.get("/calendar.ics")
def feed():
    """Every upcoming event, as a calendar a phone can subscribe to."""
    events = list(Event.upcoming())
    body = calendar.ics(events, _event_url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# --- written by coordinators -----------------------------------------------------------------

def _organiser():
    """The person writing events (log in first); 403 for someone who may write none."""
    person = logged_in()
    initiatives, network = event_organisers(person)
    if not initiatives and not network:
        abort(403)
    return person, initiatives, network


def _form_page(template, status=200, **context):
    response = render(template, status=status, kinds=EVENT_KINDS, repeats=authoring.REPEATS,
                      **context)
    response.headers["Cache-Control"] = "no-store"
    return response


def _typed(event):
    """An event's values as the form shows them (Dutch wall-clock times)."""
    local = clock.local
    return {"initiative": event.initiative.slug if event.initiative else "",
            "kind": event.kind, "title_nl": event.title_nl, "title_en": event.title_en,
            "summary_nl": event.summary_nl, "summary_en": event.summary_en,
            "theme_nl": event.theme_nl, "theme_en": event.theme_en, "place": event.place,
            "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "" if event.capacity is None else str(event.capacity),
            "signup_open": event.signup_open, "online_url": event.online_url,
            "recording_url": event.recording_url, "repeat": "", "count": ""}


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Write a new event, or a series of dates at once, for a co-operative one coordinates
    (or for the whole network, for administrators)."""
    person, initiatives, network = _organiser()
    typed = {"initiative": "" if network and not initiatives else
             (initiatives[0].slug if initiatives and not network else ""),
             "kind": "local", "signup_open": True, "capacity": "", "count": "6"}
    if request.method == "POST":
        typed = {**typed, **request.form.to_dict(), "signup_open": bool(
            request.form.get("signup_open"))}
        chosen = request.form.get("initiative", "")
        if not (network if not chosen else chosen in {i.slug for i in initiatives}):
            abort(403)  # a co-operative this person does not coordinate
        try:
            with write_transaction():
                values = authoring.read_form(request.form, person)
                made = authoring.create_event(values)
        except services.EventError as error:
            return _form_page("events/form.html", status=400, error=error.message,
                              typed=typed, initiatives=initiatives, network=network, event=None)
        if len(made) > 1:
            flash(_("%(num)d dates are made. Each one can be changed on its own.",
                    num=len(made)))
        else:
            flash(_("The event is published."))
        return redirect(url_for("events.detail", event_id=made[0].id), 303)
    return _form_page("events/form.html", typed=typed, initiatives=initiatives,
                      network=network, event=None)


def _editor(event_id):
    event = _event_or_404(event_id)
    person = logged_in()
    if not can_for_event(person, "events.manage", event):
        abort(403)
    return person, event


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id):
    """Change one event (a date of a series on its own)."""
    person, event = _editor(event_id)
    typed = _typed(event)
    if request.method == "POST":
        typed = {**typed, **request.form.to_dict(), "signup_open": bool(
            request.form.get("signup_open"))}
        try:
            with write_transaction():
                values = authoring.read_form(request.form, person, event=event)
                _event, promoted = authoring.update_event(event.id, values)
        except services.EventError as error:
            return _form_page("events/form.html", status=400, error=error.message, typed=typed,
                              initiatives=[], network=False, event=event)
        flash(_("The changes are saved."))
        if promoted:
            flash(ngettext("%(num)d sign-up moved up from the waiting list.",
                           "%(num)d sign-ups moved up from the waiting list.", len(promoted)))
        return redirect(url_for("events.detail", event_id=event.id), 303)
    series = list(Event.in_series(event.series)) if event.series else []
    return _form_page("events/form.html", typed=typed, initiatives=[], network=False,
                      event=event, series=series)


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel_event(event_id):
    """Call an event off, after asking first; the coordinator then sees whom to tell."""
    person, event = _editor(event_id)
    if request.method == "GET":
        return _form_page("events/cancel.html", event=event,
                          signed_up=Signup.select().where((Signup.event == event) & (
                              Signup.status != "cancelled")).count())
    try:
        with write_transaction():
            event, to_tell = authoring.cancel_event(event.id)
    except services.EventError as error:
        return _form_page("events/cancel.html", status=400, event=event, error=error.message,
                          signed_up=0)
    return _form_page("events/cancelled.html", event=event, to_tell=to_tell)
