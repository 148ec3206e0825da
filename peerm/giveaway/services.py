"""What happens in the give-away shop: offer a thing or ask for one, the draw at the deadline,
promises passed on when nobody collects, the shop's counter, moderation and reports. Services
run in the caller's write transaction and raise `GiveawayError` with a stable code.

Fairness, as the give-away systems learnt it: first come favours whoever is always online, so a
draw at the reply deadline is the default, and people who received least recently come first
in it; a co-operative may set a quota per person per month; a promise not collected within
the pick-up window passes to the next in the draw, and the no-show is seen by coordinators only.

When the draw is made. A page never writes (a rule of the app), so a post past its deadline is
*shown* as closing (`Gift.shown_state`) and *settled* by the next write: the claim, collection,
withdrawal or renewal of that post settles it first, inside its own transaction with the post
locked; every giveaway action first settles all posts that are due, each in a transaction of
its own (`settle_due`, so that no transaction holds two posts' locks); and the daily
housekeeping does the same. A lapsed promise (the pick-up window passed) is passed on the same
way.

Locks: a person before a post (a claim counts the person's requests for the quota and reads
the post's queue), one post at a time.
"""
import base64
import binascii
import datetime as dt
import re
import secrets

from flask_babel import get_locale
from flask_babel import gettext as _

from ..accounts.models import Membership, Person
from ..core import clock
from ..core.db import locked, write_transaction
from ..core.errors import DomainError
from ..core.validation import FORBIDDEN_IN_NAMES, text, whole_number
from ..initiatives.models import Initiative
from ..permissions import can
from .models import CATEGORIES, HOPING, Gift, GiftReport, GiftRequest, PickupPoint

# A photo, decoded: the phone makes it small (about 800 px, JPEG) before sending.
MAX_PHOTO_BYTES = 200 * 1024
# What a photo may be, by the first bytes of the file (WebP also has "WEBP" at byte 8).
IMAGE_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png",
                    b"RIFF": "image/webp"}
TITLE_MIN, TITLE_MAX = 3, 80
DESCRIPTION_MAX = 1000
NOTE_MAX = 300
# The reply deadline: by default three days; at least an hour, at most two weeks ahead.
DEFAULT_DEADLINE = dt.timedelta(days=3)
MIN_DEADLINE = dt.timedelta(hours=1)
MAX_DEADLINE = dt.timedelta(days=14)
# Wanted posts stay up longer.
WANTED_DEADLINE = dt.timedelta(days=14)
# A new member's first posts wait for a coordinator, until this many were placed.
TRUSTED_AFTER = 2
# Reports by different people that take a post off the board until a coordinator looks.
REPORTS_TO_HIDE = 3
# How many due posts one write settles before its own work.
SETTLE_BATCH = 25

_random = secrets.SystemRandom()


class GiveawayError(DomainError):
    """A request about the give-away shop that cannot be done."""


# --- reading what people send ---------------------------------------------------------------

def find_gift(ref):
    number = whole_number(ref)
    gift = Gift.get_or_none(Gift.id == number) if number is not None else None
    if gift is None:
        raise GiveawayError(_("This post does not exist (any more)."), "gift_unknown")
    return gift


def find_pickup(ref):
    """A co-operative with a pick-up point, by its id or its slug."""
    number = whole_number(ref)
    raw = text(ref) or ""
    condition = (Initiative.id == number) if number is not None else (Initiative.slug == raw.strip())
    point = (PickupPoint.select(PickupPoint, Initiative).join(Initiative)
             .where(condition).first())
    if point is None:
        raise GiveawayError(_("Choose a co-operative where things are handed over."),
                            "pickup_unknown")
    return point


def clean_title(raw):
    title = " ".join((text(raw) or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX or FORBIDDEN_IN_NAMES.search(title):
        raise GiveawayError(_("Give a short title of %(min)d to %(max)d letters, without < or >.",
                              min=TITLE_MIN, max=TITLE_MAX), "title_invalid")
    return title


def clean_description(raw):
    description = text(raw)
    if description is None or len(description.strip()) > DESCRIPTION_MAX:
        raise GiveawayError(_("The description can be at most %(max)d characters.",
                              max=DESCRIPTION_MAX), "description_invalid")
    return description.strip()


def clean_category(raw):
    if raw not in CATEGORIES:
        raise GiveawayError(_("Choose a category."), "category_invalid")
    return raw


def clean_allocation(raw):
    if raw in (None, ""):
        return "draw"
    if raw not in ("draw", "first"):
        raise GiveawayError(_("Choose how the thing is shared: a draw or first come."),
                            "allocation_invalid")
    return raw


def parse_until(raw, now, default=DEFAULT_DEADLINE):
    """The reply deadline as a stored moment: a time a person typed (Dutch time, from the
    form's date and time field), a day (the end of that day), or a time with an offset."""
    if raw in (None, ""):
        return now + default
    raw = text(raw)
    try:
        if raw is None:
            raise ValueError
        raw = raw.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            until = clock.from_local(dt.datetime.combine(dt.date.fromisoformat(raw),
                                                         dt.time(20, 0)))
        else:
            moment = dt.datetime.fromisoformat(raw)
            until = (clock.from_aware(moment) if moment.tzinfo else
                     clock.from_local(moment.replace(second=0, microsecond=0)))
    except ValueError:
        raise GiveawayError(_("The deadline cannot be read."), "until_invalid") from None
    if until < now + MIN_DEADLINE:
        raise GiveawayError(_("The deadline must be at least an hour from now."), "until_past")
    if until > now + MAX_DEADLINE:
        raise GiveawayError(_("The deadline can be at most %(days)d days ahead.",
                              days=MAX_DEADLINE.days), "until_too_far")
    return until


def clean_photo(raw):
    """A photo's bytes and type from a data URL (or bare base64), checked by its first bytes
    and its size; (None, "") for no photo."""
    if raw in (None, ""):
        return None, ""
    raw = text(raw)
    if raw is None:
        raise GiveawayError(_("The photo is not a photo."), "photo_invalid")
    if raw.startswith("data:"):
        raw = raw.partition(",")[2]
    if len(raw) > (MAX_PHOTO_BYTES + 2) // 3 * 4:
        raise GiveawayError(_("The photo is too large (at most %(kb)d KB). Choose it again: the "
                              "app makes it smaller.", kb=MAX_PHOTO_BYTES // 1024),
                            "photo_too_large")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise GiveawayError(_("The photo is not a photo."), "photo_invalid") from None
    if len(data) > MAX_PHOTO_BYTES:
        raise GiveawayError(_("The photo is too large (at most %(kb)d KB). Choose it again: the "
                              "app makes it smaller.", kb=MAX_PHOTO_BYTES // 1024),
                            "photo_too_large")
    for signature, mime in IMAGE_SIGNATURES.items():
        if data.startswith(signature) and (mime != "image/webp" or data[8:12] == b"WEBP"):
            return data, mime
    raise GiveawayError(_("The photo is not a photo."), "photo_invalid")


# --- locks ----------------------------------------------------------------------------------

def _lock_person(person):
    return locked(Person.select().where(Person.id == person.id)).get()


def _lock_gift(gift):
    """The post, read again with its row locked until the transaction ends."""
    return locked(Gift.select().where(Gift.id == gift.id)).get()


# --- who may ---------------------------------------------------------------------------------

def may_counter(person, initiative):
    return person is not None and can(person, "giveaway.counter", initiative)


def may_moderate(person, initiative):
    return person is not None and can(person, "giveaway.moderate", initiative)


def needs_moderation(person, initiative):
    """Whether a post of this person waits for a coordinator: a new member's first posts do;
    the co-operative's own volunteers' and coordinators' never."""
    if may_counter(person, initiative):
        return False
    placed = Gift.select().where((Gift.giver == person)
                                 & Gift.state.not_in(["pending", "refused"])).count()
    return placed < TRUSTED_AFTER


# --- posting ----------------------------------------------------------------------------------

def offer(person, initiative, title, description, category, photo=None, allocation="draw",
          until=None, kind="offered", now=None, action_id=None, lang=None):
    """Post a thing offered (or, with `kind="wanted"`, a thing looked for) at a co-operative's
    pick-up point. A new member's first posts wait for a coordinator."""
    now = now or clock.now()
    if person is None:
        raise GiveawayError(_("Log in to post."), "login_needed")
    point = find_pickup(initiative)
    title = clean_title(title)
    description = clean_description(description)
    category = clean_category(category)
    allocation = clean_allocation(allocation) if kind == "offered" else "draw"
    data, mime = clean_photo(photo) if kind == "offered" else (None, "")
    until = parse_until(until, now, DEFAULT_DEADLINE if kind == "offered" else WANTED_DEADLINE)
    # Whether it waits counts this person's placed posts.
    person = _lock_person(person)
    initiative = point.initiative
    return Gift.create(
        kind=kind, initiative=initiative, giver=person, title=title, description=description,
        lang=lang or _language(),
        category=category, allocation=allocation, until=until, photo=data, photo_type=mime,
        state="pending" if needs_moderation(person, initiative) else "open",
        at_shop=kind == "offered" and may_counter(person, initiative),
        created_at=now, action_id=action_id)


def _language():
    """The language of the page (or the phone's request) a post is written in."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in ("nl", "en") else "nl"


def edit(person, gift, title, description, category, now=None):
    """The giver corrects their post while it is not yet given away."""
    gift = _lock_gift(gift)
    _must_be_giver(person, gift)
    settle(gift, now)
    if gift.state not in ("pending", "open"):
        raise GiveawayError(_("This post can no longer be changed."), "not_editable")
    gift.title = clean_title(title)
    gift.description = clean_description(description)
    gift.category = clean_category(category)
    gift.save()
    return gift


def withdraw(person, gift, now=None):
    """The giver (or a coordinator) takes a post down; whoever asked is told it is closed."""
    gift = _lock_gift(gift)
    if not (_is_giver(person, gift) or may_moderate(person, gift.initiative)):
        raise GiveawayError(_("Only the one who posted this can take it down."), "not_giver")
    settle(gift, now)
    if gift.state in ("collected", "withdrawn", "refused"):
        raise GiveawayError(_("This post is already closed."), "already_closed")
    gift.state = "withdrawn"
    gift.save()
    _close_hopes(gift, "closed")
    return gift


def renew(person, gift, until=None, now=None):
    """The giver puts a post up again with a new deadline (after it expired, or to give more
    time); those who asked and were turned away may ask again."""
    now = now or clock.now()
    gift = _lock_gift(gift)
    _must_be_giver(person, gift)
    settle(gift, now)
    if gift.state not in ("open", "expired"):
        raise GiveawayError(_("This post cannot be renewed now."), "not_renewable")
    gift.until = parse_until(until, now, DEFAULT_DEADLINE if gift.kind == "offered"
                             else WANTED_DEADLINE)
    gift.state = "open"
    gift.drawn_at = None
    gift.renewals += 1
    gift.save()
    GiftRequest.delete().where((GiftRequest.gift == gift)
                               & GiftRequest.state.in_(["closed", "lost"])).execute()
    return gift


def _is_giver(person, gift):
    return person is not None and gift.giver_id == person.id


def _must_be_giver(person, gift):
    if not _is_giver(person, gift):
        raise GiveawayError(_("Only the one who posted this can change it."), "not_giver")


# --- asking -----------------------------------------------------------------------------------

def month_start(now):
    """The stored moment at which this Dutch calendar month began."""
    return clock.start_of_day(clock.local(now).date().replace(day=1))


def requests_this_month(person, initiative, now):
    return (GiftRequest.select().join(Gift)
            .where((GiftRequest.person == person) & (Gift.initiative == initiative)
                   & (GiftRequest.created_at >= month_start(now))).count())


def claim(person, gift, note="", now=None, action_id=None):
    """Ask for an offered thing: join its draw, or (first come) get it at once. Returns the
    request; asking again returns the same request."""
    now = now or clock.now()
    if person is None:
        raise GiveawayError(_("Log in to ask for something."), "login_needed")
    note = text(note)
    if note is None or len(note.strip()) > NOTE_MAX:
        raise GiveawayError(_("The note can be at most %(max)d characters.", max=NOTE_MAX),
                            "note_invalid")
    # The quota counts the person's requests; the post's queue is the post's.
    person = _lock_person(person)
    gift = _lock_gift(gift)
    settle(gift, now)
    if gift.kind != "offered":
        raise GiveawayError(_("This is a wanted post: answer it by offering the thing."),
                            "closed")
    if gift.giver_id == person.id:
        raise GiveawayError(_("This is your own post."), "own_gift")
    mine = GiftRequest.get_or_none((GiftRequest.gift == gift) & (GiftRequest.person == person))
    if mine is not None and mine.state in HOPING:
        return mine
    # Past the deadline (the draw is made) a post is closed; a first-come thing that someone
    # got, or a thing handed over, is gone.
    if gift.state == "collected" or (gift.state == "promised" and not gift.past_deadline(now)
                                     and gift.drawn_at is None):
        raise GiveawayError(_("Sorry, it is gone: someone else gets it."), "gone")
    if gift.state != "open" or gift.past_deadline(now) or mine is not None:
        raise GiveawayError(_("Sorry, this post is closed: the deadline has passed or it was "
                              "taken down."), "closed")
    point = PickupPoint.get_or_none(PickupPoint.initiative == gift.initiative_id)
    quota = point.quota_per_month if point else 0
    if quota and requests_this_month(person, gift.initiative_id, now) >= quota:
        raise GiveawayError(_("You have asked for %(max)d things at %(name)s this month, the most "
                              "it allows. Next month you can ask again.", max=quota,
                              name=gift.initiative.name), "quota")
    request = GiftRequest.create(gift=gift, person=person, note=note.strip(), created_at=now,
                                 action_id=action_id)
    if gift.allocation == "first":
        _promise(gift, request, now, point)
    return request


def cancel_request(person, request, now=None):
    """Someone no longer wants a thing they asked for; a promise passes on."""
    now = now or clock.now()
    gift = _lock_gift(Gift(id=request.gift_id))
    request = GiftRequest.get_by_id(request.id)
    if request.person_id != person.id or request.state not in HOPING:
        raise GiveawayError(_("This request cannot be cancelled."), "request_closed")
    was_promised = request.state == "promised"
    request.delete_instance()
    if was_promised:
        _promise_next(gift, now)
    return gift


# --- the draw and the promises ---------------------------------------------------------------

def draw_order(entries, rng=None):
    """The order of a draw: `entries` are (person_id, last received or None); people who never
    received come first, then who received least recently; equals are shuffled."""
    entries = list(entries)
    (rng or _random).shuffle(entries)
    return [person_id for person_id, _last in
            sorted(entries, key=lambda entry: (entry[1] is not None, entry[1] or dt.datetime.min))]


def last_received(person_ids, except_gift=None):
    """When each of these people last received a thing here (promised or collected)."""
    received = {person_id: None for person_id in person_ids}
    if not received:
        return received
    query = GiftRequest.select().where(GiftRequest.person.in_(list(received))
                                       & GiftRequest.state.in_(["promised", "collected"]))
    if except_gift is not None:
        query = query.where(GiftRequest.gift != except_gift)
    for request in query:
        moment = request.collected_at or request.promised_at
        if moment and (received[request.person_id] is None
                       or moment > received[request.person_id]):
            received[request.person_id] = moment
    return received


def settle(gift, now=None, rng=None):
    """Bring a post up to date (the caller holds its lock): the draw at the deadline, a lapsed
    promise passed on, a post whose deadline passed closed. Returns what happened."""
    now = now or clock.now()
    happened = []
    if gift.kind == "wanted":
        if gift.state == "open" and gift.past_deadline(now):
            gift.state = "expired"
            gift.save()
            happened.append("expired")
        return happened
    promised = (GiftRequest.select().where((GiftRequest.gift == gift)
                                           & (GiftRequest.state == "promised")).first())
    if gift.state == "promised" and promised is not None and promised.lapsed(now):
        promised.state = "no_show"
        promised.save()
        happened.append("passed_on")
        _promise_next(gift, now)
    if gift.state == "open" and gift.past_deadline(now):
        if gift.allocation == "draw":
            _draw(gift, now, rng)
            happened.append("drawn")
        else:
            gift.state = "expired"
            gift.save()
            _close_hopes(gift, "closed")
            happened.append("expired")
    return happened


def _draw(gift, now, rng=None):
    requests = {r.person_id: r for r in GiftRequest.select().where(
        (GiftRequest.gift == gift) & (GiftRequest.state == "requested"))}
    gift.drawn_at = now
    if not requests:
        gift.state = "expired"
        gift.save()
        return
    order = draw_order(last_received(requests, except_gift=gift).items(), rng)
    for position, person_id in enumerate(order, start=1):
        request = requests[person_id]
        request.position = position
        request.state = "waiting"
        request.save()
    gift.save()
    _promise_next(gift, now)


def _promise(gift, request, now, point=None):
    point = point or PickupPoint.get_or_none(PickupPoint.initiative == gift.initiative_id)
    request.state = "promised"
    request.promised_at = now
    request.collect_until = now + dt.timedelta(days=point.pickup_days if point else 3)
    request.save()
    gift.state = "promised"
    gift.save()


def _promise_next(gift, now):
    """The next in the draw gets the thing; with nobody left, the post reopens (first come,
    before its deadline) or expires, and the giver may renew or withdraw it."""
    following = (GiftRequest.select().where((GiftRequest.gift == gift)
                                            & (GiftRequest.state == "waiting"))
                 .order_by(GiftRequest.position).first())
    if following is not None:
        _promise(gift, following, now)
        return following
    gift.state = ("open" if gift.allocation == "first" and not gift.past_deadline(now)
                  else "expired")
    gift.save()
    return None


def _close_hopes(gift, state):
    GiftRequest.update(state=state).where((GiftRequest.gift == gift)
                                          & GiftRequest.state.in_(HOPING)).execute()


def settle_due(now=None, limit=SETTLE_BATCH):
    """Settle posts past their deadline and promises past their pick-up window, each post in
    a transaction of its own. Returns how many posts changed."""
    now = now or clock.now()
    ids = [g.id for g in Gift.due(now).select(Gift.id).limit(limit)]
    ids += [r.gift_id for r in GiftRequest.select(GiftRequest.gift)
            .where((GiftRequest.state == "promised") & (GiftRequest.collect_until <= now))
            .limit(limit)]
    changed = 0
    for gift_id in sorted(set(ids)):
        with write_transaction():
            gift = locked(Gift.select().where(Gift.id == gift_id)).first()
            if gift is not None and settle(gift, now):
                changed += 1
    return changed


# --- handing over ----------------------------------------------------------------------------

def collect(person, gift, at=None, now=None):
    """A thing was handed over at the pick-up point (a fact, also recorded offline): to the one
    it was promised to, or, for a thing on the shop's shelves, to a visitor. Returns
    (gift, request or None, whether it had been handed over already)."""
    now = now or clock.now()
    at = at or now
    gift = _lock_gift(gift)
    if not (may_counter(person, gift.initiative) or _is_giver(person, gift)):
        raise GiveawayError(_("Only volunteers of %(name)s can record a hand-over.",
                              name=gift.initiative.name), "not_allowed")
    if gift.kind != "offered":
        raise GiveawayError(_("This is a wanted post."), "not_offered")
    if gift.state == "collected":
        return gift, None, True
    request = (GiftRequest.select().where((GiftRequest.gift == gift)
                                          & (GiftRequest.state == "promised")).first())
    if request is not None:
        request.state = "collected"
        request.collected_at = at
        request.save()
    gift.state = "collected"
    gift.save()
    _close_hopes(gift, "lost")
    return gift, request, False


# --- moderation -------------------------------------------------------------------------------

def approve(coordinator, gift, now=None):
    """A coordinator places a waiting post (with a fresh deadline if its own passed)."""
    now = now or clock.now()
    gift = _lock_gift(gift)
    _must_moderate(coordinator, gift)
    if gift.state != "pending":
        raise GiveawayError(_("This post does not wait for a decision."), "not_pending")
    if gift.until < now + MIN_DEADLINE:
        gift.until = now + (DEFAULT_DEADLINE if gift.kind == "offered" else WANTED_DEADLINE)
    gift.state = "open"
    gift.save()
    GiftReport.update(handled_at=now).where((GiftReport.gift == gift)
                                            & GiftReport.handled_at.is_null()).execute()
    return gift


def refuse(coordinator, gift, reason, now=None):
    """A coordinator does not place a post (or takes a reported one down), saying why."""
    now = now or clock.now()
    gift = _lock_gift(gift)
    _must_moderate(coordinator, gift)
    reason = " ".join((text(reason) or "").split())[:300]
    if not reason:
        raise GiveawayError(_("Write why, for the one who posted it."), "reason_missing")
    if gift.state in ("collected", "withdrawn", "refused"):
        raise GiveawayError(_("This post is already closed."), "already_closed")
    gift.state = "refused"
    gift.refusal = reason
    gift.save()
    _close_hopes(gift, "closed")
    GiftReport.update(handled_at=now).where((GiftReport.gift == gift)
                                            & GiftReport.handled_at.is_null()).execute()
    return gift


def report(person, gift, reason, now=None):
    """Someone says a post does not belong here; after a few reports it waits for a
    coordinator."""
    now = now or clock.now()
    if person is None:
        raise GiveawayError(_("Log in to report a post."), "login_needed")
    reason = " ".join((text(reason) or "").split())[:300]
    gift = _lock_gift(gift)
    if GiftReport.select().where((GiftReport.gift == gift) & (GiftReport.person == person)
                                 & GiftReport.handled_at.is_null()).exists():
        return gift
    GiftReport.create(gift=gift, person=person, reason=reason, created_at=now)
    reporters = GiftReport.select().where((GiftReport.gift == gift)
                                          & GiftReport.handled_at.is_null()).count()
    if reporters >= REPORTS_TO_HIDE and gift.state == "open":
        gift.state = "pending"
        gift.save()
    return gift


def _must_moderate(person, gift):
    if not may_moderate(person, gift.initiative):
        raise GiveawayError(_("Only coordinators of %(name)s can do this.",
                              name=gift.initiative.name), "not_allowed")


def save_pickup_point(coordinator, initiative, place_nl, place_en="", hours_nl="", hours_en="",
                      quota=0, pickup_days=3):
    """A coordinator says where their co-operative hands things over, and its rules."""
    if not may_moderate(coordinator, initiative):
        raise GiveawayError(_("Only coordinators can do this."), "not_allowed")
    place_nl = " ".join((text(place_nl) or "").split())[:200]
    if not place_nl:
        raise GiveawayError(_("Write where things are handed over (the shop or the community "
                              "centre, never a home address)."), "place_missing")
    quota_value = whole_number(quota if quota not in (None, "") else "0", 100)
    days = whole_number(pickup_days, 14)
    if quota_value is None or not days:
        raise GiveawayError(_("The quota is 0 to 100 a month; the pick-up time 1 to 14 days."),
                            "rules_invalid")
    locked(Initiative.select(Initiative.id).where(Initiative.id == initiative.id)).get()
    point = PickupPoint.get_or_none(PickupPoint.initiative == initiative) or PickupPoint(
        initiative=initiative)
    point.place_nl = place_nl
    point.place_en = " ".join((text(place_en) or "").split())[:200]
    point.hours_nl = " ".join((text(hours_nl) or "").split())[:200]
    point.hours_en = " ".join((text(hours_en) or "").split())[:200]
    point.quota_per_month = quota_value
    point.pickup_days = days
    point.save()
    return point


# --- what a person sees -----------------------------------------------------------------------

WORD = re.compile(r"\w{4,}")


def fits(wanted, offered):
    """Whether an offer fits a wanted post: the same category, and a word of the wanted title
    in the offer (any offer of the category when the title has no word that long)."""
    if wanted.category != offered.category:
        return False
    words = {w.lower() for w in WORD.findall(wanted.title)}
    if not words:
        return True
    found = {w.lower() for w in WORD.findall(f"{offered.title} {offered.description}")}
    return bool(words & found) or any(w[:-1] in found or w + "s" in found for w in words)


def matching_offers(person, now=None):
    """Open offers that fit one of the person's open wanted posts, posted after it."""
    now = now or clock.now()
    wanted = list(Gift.select().where((Gift.giver == person) & (Gift.kind == "wanted")
                                      & (Gift.state == "open") & (Gift.until > now)))
    if not wanted:
        return []
    offers = Gift.listed(kind="offered", now=now).where(
        (Gift.category.in_([w.category for w in wanted])) & (Gift.giver != person)
        & (Gift.created_at >= min(w.created_at for w in wanted)))
    return [o for o in offers if any(fits(w, o) and o.created_at >= w.created_at
                                     for w in wanted)]


def is_member(person, initiative):
    return Membership.select().where((Membership.person == person)
                                     & (Membership.initiative == initiative)).exists()


# --- erasure ----------------------------------------------------------------------------------

def erase_person(person, needles):
    """What erasing a person means here: their posts, requests and reports go (a thing handed
    over is no record anyone needs to keep)."""
    GiftReport.delete().where(GiftReport.person == person).execute()
    GiftRequest.delete().where(GiftRequest.person == person).execute()
    Gift.delete().where(Gift.giver == person).execute()
    return []
