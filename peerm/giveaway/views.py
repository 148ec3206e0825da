"""The pages of the give-away shop: the board of things offered and wanted (filters by kind,
category and city), a post with its photo and the button to ask for it, offering a thing or
posting what one looks for, editing, renewing and withdrawing one's own post, my posts and
requests, the shop's counter (things brought in and handed over, today's pick-ups) and the
coordinators' page (posts that wait, reports, no-shows, the pick-up point's rules).

Forms that may be sent offline (offer, ask, hand over) post the action the phone would queue,
through the outbox protocol; a page never writes, and shows a post past its deadline as closing
until the next write settles it (see `services`)."""
import hashlib

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.session import current_person
from ..core import clock
from ..core.db import write_transaction
from ..initiatives.models import Initiative
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..web import (
    cached_page,
    logged_in,
    one_or_404,
    query_filters,
    render,
    require,
    wants_partial,
)
from . import services
from .models import (
    ALLOCATIONS,
    CATEGORIES,
    HOPING,
    KINDS,
    Gift,
    GiftReport,
    GiftRequest,
    PickupPoint,
)
from .services import GiveawayError

bp = Blueprint("giveaway", __name__, url_prefix="/giveaway")
# The fields of the offer form: the data of `gift.offer`.
OFFER_FIELDS = ("initiative", "title", "description", "category", "photo", "allocation", "until")


@bp.app_template_filter("time_left")
def time_left(until):
    """How long until a moment, in the page's words ("2 days", "5 hours", "40 minutes")."""
    seconds = int((until - clock.now()).total_seconds())
    if seconds <= 0:
        return _("deadline passed")
    if seconds >= 86400:
        return ngettext("%(num)d day left", "%(num)d days left", seconds // 86400)
    if seconds >= 3600:
        return ngettext("%(num)d hour left", "%(num)d hours left", seconds // 3600)
    return ngettext("%(num)d minute left", "%(num)d minutes left", max(1, seconds // 60))


def _points():
    return list(PickupPoint.select(PickupPoint, Initiative).join(Initiative)
                .order_by(Initiative.city, Initiative.name))


def _visible_or_404(gift_id, person):
    """A post, if this person may see it: waiting and refused posts only their giver and the
    co-operative's coordinators see."""
    gift = Gift.get_or_none(Gift.id == gift_id)
    if gift is None:
        abort(404)
    if gift.state in ("pending", "refused", "withdrawn") and not (
            person is not None and (gift.giver_id == person.id
                                    or services.may_moderate(person, gift.initiative))):
        abort(404)
    return gift


def _back(default):
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else default


@bp.get("")
@cached_page
def index():
    """The board: things offered and wanted, soonest deadline first, filtered by kind,
    category and city."""
    points = _points()
    cities = sorted({p.initiative.city for p in points})
    chosen, unknown = query_filters(kind=KINDS, category=CATEGORIES, city=cities)
    kind, category, city = chosen["kind"], chosen["category"], chosen["city"]
    gifts = list(Gift.listed(kind or None, category or None, city or None))
    person = current_person()
    counters = [p.initiative for p in points if services.may_counter(person, p.initiative)]
    return render("giveaway/index.html", partial="giveaway/_list.html", gifts=gifts,
                  categories=CATEGORIES, kinds=KINDS, cities=cities, kind=kind,
                  category=category, city=city, unknown=unknown, counters=counters,
                  moderated=_moderated(person, points))


def _moderated(person, points):
    """The co-operatives whose posts this person checks: their own as coordinator, and for an
    administrator every pick-up point."""
    if person is None:
        return []
    mine = [m.initiative for m in person.memberships if m.role == "coordinator"]
    if person.is_admin:
        mine += [p.initiative for p in points if p.initiative not in mine]
    return mine


@bp.get("/new")
def new():
    """Offer a thing (also offline), or post what you look for."""
    logged_in()
    wanted = request.args.get("kind") == "wanted"
    points = _points()
    chosen = request.args.get("initiative", "")
    return render("giveaway/new.html", points=points, categories=CATEGORIES,
                  allocations=ALLOCATIONS, wanted=wanted, chosen=chosen,
                  max_photo_bytes=services.MAX_PHOTO_BYTES,
                  default_until=clock.local(clock.now() + services.DEFAULT_DEADLINE),
                  min_until=clock.local(clock.now() + services.MIN_DEADLINE),
                  max_until=clock.local(clock.now() + services.MAX_DEADLINE))


@bp.post("/new")
def offer():
    """Offer a thing: the `gift.offer` action the phone queues offline."""
    person = logged_in()
    data = {key: request.form.get(key, "") for key in OFFER_FIELDS}
    result = apply(form_action("gift.offer", data), person)
    if result.status in ("applied", "duplicate") and not _from_counter():
        return answer(result, url_for("giveaway.detail", gift_id=int(result.ref)))
    return answer(result, _back(url_for("giveaway.new")))


def _from_counter():
    return "/counter" in (request.referrer or "")


@bp.post("/wanted")
def post_wanted():
    """Post what you look for (online only: nothing is claimed by it)."""
    person = logged_in()
    try:
        with write_transaction():
            gift = services.offer(person, request.form.get("initiative"),
                                  request.form.get("title"), request.form.get("description", ""),
                                  request.form.get("category"), until=request.form.get("until"),
                                  kind="wanted")
    except GiveawayError as error:
        return _refused(error, url_for("giveaway.new", kind="wanted"))
    if gift.state == "pending":
        flash(_("Thank you! Your post waits for a coordinator and is shown when it is placed."))
    else:
        flash(_("Your wanted post is placed. When a fitting offer comes, you see it on your "
                "home page."))
    return redirect(url_for("giveaway.detail", gift_id=gift.id), 303)


def _refused(error, back):
    """A refused form: its message where the result goes (htmx) or on the page, with 400."""
    if wants_partial():
        return render("giveaway/_message.html", partial="giveaway/_message.html",
                      message=error.message, code=error.code, status=400)
    flash(error.message, "error")
    return redirect(back, 303)


@bp.get("/<int:gift_id>")
def detail(gift_id):
    """One post: its photo, the pick-up point, the time left, and asking for it."""
    person = current_person()
    gift = _visible_or_404(gift_id, person)
    point = PickupPoint.get_or_none(PickupPoint.initiative == gift.initiative_id)
    mine = None
    if person is not None:
        mine = GiftRequest.get_or_none((GiftRequest.gift == gift)
                                       & (GiftRequest.person == person))
    is_giver = person is not None and gift.giver_id == person.id
    may_counter = services.may_counter(person, gift.initiative)
    queue = []
    if is_giver or may_counter:
        queue = list(GiftRequest.select().where((GiftRequest.gift == gift)
                                                & GiftRequest.state.in_(HOPING))
                     .order_by(GiftRequest.position, GiftRequest.id))
    asking = GiftRequest.select().where((GiftRequest.gift == gift)
                                        & GiftRequest.state.in_(HOPING)).count()
    return render("giveaway/detail.html", gift=gift, point=point, mine=mine, queue=queue,
                  asking=asking, is_giver=is_giver, may_counter=may_counter,
                  may_moderate=services.may_moderate(person, gift.initiative),
                  shown_state=gift.shown_state(), now=clock.now(),
                  reported=person is not None and GiftReport.select().where(
                      (GiftReport.gift == gift) & (GiftReport.person == person)
                      & GiftReport.handled_at.is_null()).exists())


@bp.get("/<int:gift_id>/photo")
def photo(gift_id):
    """A post's photo, as checked when it was sent."""
    gift = _visible_or_404(gift_id, current_person())
    if not gift.photo:
        abort(404)
    data = bytes(gift.photo)
    response = Response(data, mimetype=gift.photo_type or "image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    return response.make_conditional(request)


@bp.post("/<int:gift_id>/claim")
def claim(gift_id):
    """Ask for a thing: the `gift.claim` action the phone queues offline."""
    person = logged_in()
    data = {"gift": gift_id, "note": request.form.get("note", "")}
    result = apply(form_action("gift.claim", data), person)
    return answer(result, url_for("giveaway.detail", gift_id=gift_id))


@bp.post("/collect")
def collect():
    """Record a hand-over at the pick-up point: the `gift.collect` action."""
    person = logged_in()
    result = apply(form_action("gift.collect", {"gift": request.form.get("gift", "")}), person)
    return answer(result, _back(url_for("giveaway.index")))


def _own_write(gift_id, work, done, who="anyone"):
    """Run a change of a post in a write transaction, then back to it with its message (or the
    refusal). `who` may: "giver", "giver_or_moderator", "moderator" or "anyone" logged in."""
    person = logged_in()
    gift = _visible_or_404(gift_id, person)
    is_giver = gift.giver_id == person.id
    may_moderate = services.may_moderate(person, gift.initiative)
    if not {"anyone": True, "giver": is_giver, "moderator": may_moderate,
            "giver_or_moderator": is_giver or may_moderate}[who]:
        abort(403)
    services.settle_due()
    try:
        with write_transaction():
            work(person, gift)
    except GiveawayError as error:
        return _refused(error, url_for("giveaway.detail", gift_id=gift_id))
    flash(done)
    return redirect(url_for("giveaway.detail", gift_id=gift_id), 303)


@bp.route("/<int:gift_id>/edit", methods=["GET", "POST"])
def edit(gift_id):
    """Change the title, description and category of one's own post."""
    person = logged_in()
    gift = _visible_or_404(gift_id, person)
    if gift.giver_id != person.id:
        abort(403)
    if request.method == "GET":
        return render("giveaway/edit.html", gift=gift, categories=CATEGORIES)
    return _own_write(gift_id, lambda who, g: services.edit(
        who, g, request.form.get("title"), request.form.get("description", ""),
        request.form.get("category")), _("Your post is changed."), "giver")


@bp.post("/<int:gift_id>/withdraw")
def withdraw(gift_id):
    """Take one's own post down (or, for a coordinator, any post of the co-operative)."""
    return _own_write(gift_id, services.withdraw, _("The post is taken down."),
                      "giver_or_moderator")


@bp.post("/<int:gift_id>/renew")
def renew(gift_id):
    """Put one's own post up again with a new deadline."""
    return _own_write(gift_id, lambda who, g: services.renew(who, g, request.form.get("until")),
                      _("Your post is up again."), "giver")


@bp.post("/<int:gift_id>/report")
def report(gift_id):
    """Say that a post does not belong here."""
    return _own_write(gift_id, lambda who, g: services.report(who, g, request.form.get("reason")),
                      _("Thank you. A coordinator will look at it."))


@bp.post("/<int:gift_id>/approve")
def approve(gift_id):
    """A coordinator places a waiting post."""
    return _own_write(gift_id, services.approve, _("The post is placed."), "moderator")


@bp.post("/<int:gift_id>/refuse")
def refuse(gift_id):
    """A coordinator does not place a post, or takes it down, saying why."""
    return _own_write(gift_id, lambda who, g: services.refuse(who, g, request.form.get("reason")),
                      _("The post is not placed; the one who posted it sees why."), "moderator")


@bp.post("/requests/<int:request_id>/cancel")
def cancel_request(request_id):
    """I no longer want what I asked for."""
    person = logged_in()
    mine = GiftRequest.get_or_none(GiftRequest.id == request_id)
    if mine is None or mine.person_id != person.id:
        abort(404)
    try:
        with write_transaction():
            services.cancel_request(person, mine)
    except GiveawayError as error:
        return _refused(error, url_for("giveaway.mine"))
    flash(_("Your request is cancelled."))
    return redirect(url_for("giveaway.mine"), 303)


@bp.get("/mine")
def mine():
    """My posts and what I asked for."""
    person = logged_in()
    gifts = list(Gift.select().where(Gift.giver == person).order_by(Gift.created_at.desc()))
    requests = list(GiftRequest.select(GiftRequest, Gift).join(Gift)
                    .where(GiftRequest.person == person)
                    .order_by(GiftRequest.created_at.desc()))
    return render("giveaway/mine.html", gifts=gifts, requests=requests, now=clock.now())


# --- the shop's counter ----------------------------------------------------------------------

@bp.get("/<slug>/counter")
def counter(slug):
    """The shop's counter: things brought in and handed over in a few taps, also offline, and
    today's pick-ups."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("giveaway.counter", initiative)
    point = one_or_404(PickupPoint, PickupPoint.initiative == initiative)
    now = clock.now()
    pickups = list(GiftRequest.select(GiftRequest, Gift).join(Gift)
                   .where((Gift.initiative == initiative) & (GiftRequest.state == "promised"))
                   .order_by(GiftRequest.collect_until))
    on_shop = Gift.select().where((Gift.initiative == initiative) & Gift.at_shop
                                  & (Gift.state == "open") & (Gift.until > now))
    # First come: a visitor may take it home; a draw waits for its deadline.
    shelves = list(on_shop.where(Gift.allocation == "first").order_by(Gift.created_at.desc()))
    drawn_later = list(on_shop.where(Gift.allocation == "draw").order_by(Gift.until))
    handed = list(Gift.select().where((Gift.initiative == initiative)
                                      & (Gift.state == "collected"))
                  .order_by(Gift.id.desc()).limit(10))
    return render("giveaway/counter.html", initiative=initiative, point=point, pickups=pickups,
                  shelves=shelves, drawn_later=drawn_later, handed=handed, categories=CATEGORIES, now=now,
                  max_photo_bytes=services.MAX_PHOTO_BYTES)


# --- coordinators -----------------------------------------------------------------------------

@bp.get("/<slug>/manage")
def manage(slug):
    """Posts that wait, reported posts, no-shows (seen here only) and the pick-up point."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("giveaway.moderate", initiative)
    pending = list(Gift.select().where((Gift.initiative == initiative)
                                       & (Gift.state == "pending")).order_by(Gift.created_at))
    reported = list(Gift.select().join(GiftReport)
                    .where((Gift.initiative == initiative) & GiftReport.handled_at.is_null())
                    .distinct())
    reports = {g.id: list(GiftReport.select().where((GiftReport.gift == g)
                                                    & GiftReport.handled_at.is_null()))
               for g in reported}
    no_shows = list(GiftRequest.select(GiftRequest, Gift).join(Gift)
                    .where((Gift.initiative == initiative) & (GiftRequest.state == "no_show"))
                    .order_by(GiftRequest.collect_until.desc()).limit(50))
    return render("giveaway/manage.html", initiative=initiative, pending=pending,
                  reported=reported, reports=reports, no_shows=no_shows,
                  point=PickupPoint.get_or_none(PickupPoint.initiative == initiative))


@bp.post("/<slug>/pickup")
def save_pickup(slug):
    """Where the co-operative hands things over, and its quota and pick-up time."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("giveaway.moderate", initiative)
    form = request.form
    try:
        with write_transaction():
            services.save_pickup_point(person, initiative, form.get("place_nl"),
                                       form.get("place_en"), form.get("hours_nl"),
                                       form.get("hours_en"), form.get("quota"),
                                       form.get("pickup_days"))
    except GiveawayError as error:
        return _refused(error, url_for("giveaway.manage", slug=slug))
    flash(_("The pick-up point is saved."))
    return redirect(url_for("giveaway.manage", slug=slug), 303)
