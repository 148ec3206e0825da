"""The pages of events: the list with its filters, an event with its sign-up form, the door
list, the coordinators' list with contact details, my sign-ups, the Social Talks archive and
the calendar files. Forms that may be sent offline post the same action the phone would queue,
through the outbox protocol."""
import datetime as dt

from flask import Blueprint, Response, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from ..accounts.session import current_person
from ..core import clock
from ..core.db import write_transaction
from ..initiatives.models import Initiative
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..permissions import can_for_event
from ..web import cached_page, local_path, logged_in, render
from . import calendar, services
from .models import EVENT_KINDS, Event, Signup

bp = Blueprint("events", __name__, url_prefix="/events")
# How long "my sign-ups" tells that a place came free.
PROMOTION_NEWS = dt.timedelta(days=7)
# How many of the phone's own sign-ups one status request may ask about.
MAX_SIGNUPS = 50


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
    slug = request.args.get("initiative", "").strip()
    kind = request.args.get("kind", "").strip()
    unknown = []
    if slug and slug not in by_slug:
        unknown.append(slug)
        slug = ""
    if kind and kind not in EVENT_KINDS:
        unknown.append(kind)
        kind = ""
    events = list(Event.upcoming(initiative=by_slug.get(slug), kind=kind or None))
    return render("events/index.html", partial="events/_list.html", events=events,
                  initiatives=initiatives, kinds=EVENT_KINDS, slug=slug, kind=kind,
                  unknown=unknown)


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
                  mine=mine,
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
    return answer(result, url_for("events.detail", event_id=event_id))


@bp.post("/cancel")
def cancel():
    """Cancel a sign-up with its code and the name it was made with (the code alone for one's
    own sign-up, or the organisers)."""
    data = {"code": request.form.get("code", ""), "name": request.form.get("name", "")}
    result = apply(form_action("event.cancel", data), current_person())
    back = local_path(request.form.get("_back", ""))
    return answer(result, back if back.startswith("/events") else url_for("events.index"))


@bp.get("/<int:event_id>/door")
def door(event_id):
    """The door list: who is coming, who arrived, and walk-ins — works offline once opened."""
    event = _event_or_404(event_id)
    _require("events.door", event)
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
    """My sign-ups, for people who are logged in."""
    person = logged_in()
    rows = list(Signup.select(Signup, Event).join(Event)
                .where((Signup.person == person) & (Event.ends_at >= clock.now()))
                .order_by(Event.starts_at))
    # Good news is told for a week after it came (a page view changes nothing).
    promoted = [s for s in rows if s.promoted_at and s.promoted_at >= clock.now() - PROMOTION_NEWS]
    return render("events/mine.html", signups=rows, promoted=promoted)


@bp.get("/codes")
def codes():
    """The state of the sign-ups this phone made, named by the action ids it gave them (to
    tell who moved up); a sign-up code alone tells nothing."""
    found = []
    for raw in request.args.get("signups", "").split(",")[:MAX_SIGNUPS]:
        signup = services.signup_of_action(raw)
        if signup is not None:
            found.append({"code": signup.code, "status": signup.status,
                          "event": signup.event_id,
                          "title": signup.event.title,
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
    return render("events/talks.html", by_theme=by_theme)


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
