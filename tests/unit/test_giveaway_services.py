"""The give-away shop's services: offering (moderation of new members' first posts, photos
checked by their bytes and size, deadlines), asking (own post, gone, closed, quota), the draw at
the deadline (least recently received first), promises passed on when nobody collects, the
counter's hand-overs, reports, renewing and withdrawing, and the offers that fit a wanted post.
Each refusal is asserted by its stable code, and through `protocol.apply` by its outcome, with
nothing changed.

The demo world: Give-it-away-shop Amersfoort has a pick-up point with a quota of 4 things per
person a month (Ria coordinates, Bram volunteers); Lucas Community's allows 3. Anouk has never
posted (a new member); Mohammed and Els have placed posts.
"""
import base64
import datetime as dt
import uuid

import pytest

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db, write_transaction
from peerm.giveaway import services
from peerm.giveaway.demo import drawing
from peerm.giveaway.models import Gift, GiftReport, GiftRequest
from peerm.giveaway.services import GiveawayError
from peerm.initiatives.models import Initiative
from peerm.outbox.models import SyncRecord
from peerm.outbox.protocol import apply

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
SHOP = "weggeefwinkel-amersfoort"
PNG = drawing((10, 120, 90), 20, 10)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 100


@pytest.fixture
def ctx(app):
    """A request context (services use gettext) with an open connection."""
    with app.test_request_context(), db.connection_context():
        yield


def person(name):
    return Person.by_email(f"{name}@peerm.example")


def shop():
    return Initiative.get(Initiative.slug == SHOP)


def reload(row):
    return type(row).get_by_id(row.id)


def data_url(data, mime="image/jpeg"):
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def post(giver="bram", title="Stoel met armleuningen", allocation="draw", until=None,
         category="furniture", initiative=SHOP, **kwargs):
    with write_transaction():
        return services.offer(person(giver), initiative, title, "Stevig en schoon.", category,
                              allocation=allocation, until=until, **kwargs)


def ask(name, gift, now=None):
    with write_transaction():
        return services.claim(person(name), reload(gift), now=now)


def code_of(call, *args, **kwargs):
    with pytest.raises(GiveawayError) as caught:
        with write_transaction():
            call(*args, **kwargs)
    return caught.value.code


def act(action_type, data, name, moment=None):
    """Apply an action as a phone sends it, at `moment` (the clock stopped there)."""
    moment = moment or clock.now()
    raw = {"id": str(uuid.uuid4()), "type": action_type, "data": data,
           "at": moment.replace(tzinfo=dt.timezone.utc).isoformat()}
    with clock.frozen(moment):
        return apply(raw, person(name))


# Offering --------------------------------------------------------------------------------------

def test_offer_by_shop_volunteer_is_open_at_once_and_on_the_shelf(ctx):
    gift = post("bram")
    assert (gift.state, gift.at_shop, gift.allocation) == ("open", True, "draw")
    assert gift.until == gift.created_at + services.DEFAULT_DEADLINE


def test_new_members_first_posts_wait_for_a_coordinator_then_are_placed(ctx):
    first = post("anouk", title="Kinderfiets")
    assert first.state == "pending" and not first.at_shop
    # Not on the board, and only a coordinator of the shop may place it.
    assert first not in list(Gift.listed())
    assert code_of(services.approve, person("jan"), first) == "not_allowed"
    with write_transaction():
        services.approve(person("ria"), first)
    assert reload(first).state == "open"
    second = post("anouk", title="Kinderstoel")
    assert second.state == "pending"
    with write_transaction():
        services.approve(person("ria"), second)
    # Two placed posts: from now on hers are placed at once.
    assert post("anouk", title="Boekenkast").state == "open"


def test_refused_post_tells_the_giver_why_and_needs_a_reason(ctx):
    gift = post("anouk", title="Oude matras")
    assert code_of(services.refuse, person("ria"), gift, " ") == "reason_missing"
    with write_transaction():
        services.refuse(person("ria"), gift, "Matrassen nemen we niet aan.")
    assert (reload(gift).state, reload(gift).refusal) == ("refused", "Matrassen nemen we niet aan.")


@pytest.mark.parametrize("photo, mime", [(PNG, "image/png"), (JPEG, "image/jpeg"),
                                         (WEBP, "image/webp")])
def test_photo_is_kept_with_the_type_its_bytes_say(ctx, photo, mime):
    # The data URL says JPEG for all: the bytes decide.
    gift = post(photo=data_url(photo))
    assert (bytes(reload(gift).photo), reload(gift).photo_type) == (photo, mime)


@pytest.mark.parametrize("photo, code", [
    (data_url(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"), "photo_invalid"),
    (data_url(b"RIFF\x00\x00\x00\x00WAVEfmt "), "photo_invalid"),
    (data_url(b"%PDF-1.7 not a photo"), "photo_invalid"),
    ("data:image/jpeg;base64,@@@not-base64@@@", "photo_invalid"),
    (data_url(b"\xff\xd8\xff" + b"\x00" * services.MAX_PHOTO_BYTES), "photo_too_large"),
    ("data:image/jpeg;base64," + "A" * (4 * services.MAX_PHOTO_BYTES), "photo_too_large"),
])
def test_fake_or_huge_photo_is_refused_and_nothing_is_posted(ctx, photo, code):
    before = Gift.select().count()
    assert code_of(post, photo=photo) == code
    assert Gift.select().count() == before


@pytest.mark.parametrize("fields, code", [
    ({"title": "ab"}, "title_invalid"),
    ({"title": "<script>"}, "title_invalid"),
    ({"category": "weapons"}, "category_invalid"),
    ({"allocation": "auction"}, "allocation_invalid"),
    ({"until": "gisteren"}, "until_invalid"),
    ({"until": "2020-01-01T10:00"}, "until_past"),
    ({"initiative": "free-exit"}, "pickup_unknown"),
])
def test_bad_offer_is_refused_with_its_code(ctx, fields, code):
    assert code_of(post, **fields) == code


def test_deadline_typed_as_dutch_time_is_stored_in_utc_and_capped(ctx):
    with clock.frozen(dt.datetime(2026, 12, 1, 9, 0)):
        gift = post(until="2026-12-03T18:00")
        # 18:00 in Amsterdam in winter is 17:00 UTC.
        assert reload(gift).until == dt.datetime(2026, 12, 3, 17, 0)
        assert code_of(post, until="2026-12-31T18:00") == "until_too_far"


def test_gift_offer_action_rejects_fake_photo_and_stores_the_refusal(ctx):
    before = Gift.select().count()
    result = act("gift.offer", {"initiative": SHOP, "title": "Lamp", "description": "",
                                "category": "other", "photo": data_url(b"GIF89a fake")}, "bram")
    assert (result.status, result.outcome) == ("rejected", "photo_invalid")
    assert Gift.select().count() == before
    assert SyncRecord.get(SyncRecord.action_id == result.id).status == "rejected"


def test_gift_offer_action_applies_once(ctx):
    raw = {"id": str(uuid.uuid4()), "type": "gift.offer", "at": clock.now().isoformat() + "+00:00",
           "data": {"initiative": shop().id, "title": "Strijkplank", "description": "Met hoes",
                    "category": "kitchen", "allocation": "first"}}
    first, again = apply(raw, person("bram")), apply(dict(raw), person("bram"))
    assert (first.status, first.outcome) == ("applied", "offered")
    assert (again.status, again.ref) == ("duplicate", first.ref)
    assert Gift.select().where(Gift.title == "Strijkplank").count() == 1


# Asking ----------------------------------------------------------------------------------------

def test_claim_outcomes_through_the_protocol(ctx):
    draw = post("bram", title="Fietsstoeltje")
    first = post("bram", title="Wasrek", allocation="first")
    assert act("gift.claim", {"gift": draw.id}, "els").outcome == "requested"
    # Asking again is the same request, not a second one.
    assert act("gift.claim", {"gift": draw.id}, "els").outcome == "requested"
    assert GiftRequest.select().where(GiftRequest.gift == draw).count() == 1
    assert act("gift.claim", {"gift": first.id}, "els").outcome == "promised"
    gone = act("gift.claim", {"gift": first.id}, "mohammed")
    assert (gone.status, gone.outcome) == ("rejected", "gone")
    own = act("gift.claim", {"gift": draw.id}, "bram")
    assert (own.status, own.outcome) == ("rejected", "own_gift")
    unknown = act("gift.claim", {"gift": 2**31 - 1}, "els")
    assert (unknown.status, unknown.outcome) == ("rejected", "gift_unknown")
    assert reload(first).state == "promised"
    assert [r.person.display_name for r in GiftRequest.select().where(GiftRequest.gift == first)] \
        == ["Els"]


def test_claim_after_the_deadline_is_closed_and_the_draw_is_made_first(ctx):
    gift = post("bram", title="Kapstok", until=None)
    ask("els", gift)
    later = reload(gift).until + HOUR
    result = act("gift.claim", {"gift": gift.id}, "mohammed", later)
    assert (result.status, result.outcome) == ("rejected", "closed")
    # The late claim settled the post: Els, alone in the draw, got it.
    assert reload(gift).state == "promised"
    assert GiftRequest.get(GiftRequest.gift == gift).state == "promised"
    assert not GiftRequest.select().where((GiftRequest.gift == gift)
                                          & (GiftRequest.person == person("mohammed"))).exists()


def test_quota_per_person_per_month_at_one_cooperative(ctx):
    # The shop allows 4 a month. Its demo posts count too: Els asks for 4 new ones.
    gifts = [post("bram", title=f"Boek {n}", category="books_games") for n in range(5)]
    for gift in gifts[:4]:
        assert act("gift.claim", {"gift": gift.id}, "els").outcome == "requested"
    refused = act("gift.claim", {"gift": gifts[4].id}, "els")
    assert (refused.status, refused.outcome) == ("rejected", "quota")
    assert not GiftRequest.select().where(GiftRequest.gift == gifts[4]).exists()
    # Another co-operative's quota is its own; and a new month starts again.
    other = post("fatima", title="Speelgoedauto", initiative="lucas-community",
                 category="books_games")
    assert act("gift.claim", {"gift": other.id}, "els").outcome == "requested"
    next_month = clock.from_local(dt.datetime.combine(
        (clock.local_now().date().replace(day=1) + 32 * DAY).replace(day=1), dt.time(9)))
    with clock.frozen(next_month):
        late = post("bram", title="Boek 6", category="books_games")
        assert act("gift.claim", {"gift": late.id}, "els", next_month).outcome == "requested"


def test_bad_note_is_refused(ctx):
    gift = post()
    assert code_of(services.claim, person("els"), gift, "x" * 400) == "note_invalid"


# The draw ----------------------------------------------------------------------------------------

def test_draw_at_deadline_puts_who_received_least_recently_first(ctx):
    now = clock.now()
    # Els received something yesterday, Mohammed a month ago, Anouk never.
    for name, when in (("els", now - DAY), ("mohammed", now - 30 * DAY)):
        earlier = post("bram", title=f"Eerder voor {name}", allocation="first")
        request = ask(name, earlier)
        GiftRequest.update(state="collected", collected_at=when).where(
            GiftRequest.id == request.id).execute()
    gift = post("bram", title="Bank")
    for name in ("els", "mohammed", "anouk"):
        ask(name, gift)
    with write_transaction():
        assert services.settle(services._lock_gift(gift), gift.until + HOUR) == ["drawn"]
    order = [r.person.display_name for r in GiftRequest.select()
             .where(GiftRequest.gift == gift).order_by(GiftRequest.position)]
    assert order == ["Anouk", "Mohammed", "Els"]
    states = [r.state for r in GiftRequest.select().where(GiftRequest.gift == gift)
              .order_by(GiftRequest.position)]
    assert states == ["promised", "waiting", "waiting"]
    assert reload(gift).state == "promised"


def test_promise_not_collected_passes_to_the_next_then_the_others_are_told(ctx):
    gift = post("bram", title="Stofzuiger")
    for name in ("els", "mohammed"):
        ask(name, gift)
    drawn_at = gift.until + HOUR
    services.settle_due(drawn_at)
    first = GiftRequest.get((GiftRequest.gift == gift) & (GiftRequest.position == 1))
    second = GiftRequest.get((GiftRequest.gift == gift) & (GiftRequest.position == 2))
    assert reload(first).collect_until == drawn_at + 3 * DAY
    # Within the window nothing passes on; after it, the next one gets it.
    services.settle_due(drawn_at + 2 * DAY)
    assert (reload(first).state, reload(second).state) == ("promised", "waiting")
    services.settle_due(drawn_at + 3 * DAY + HOUR)
    assert (reload(first).state, reload(second).state) == ("no_show", "promised")
    with write_transaction():
        gift, request, already = services.collect(person("bram"), gift, now=drawn_at + 4 * DAY)
    assert (gift.state, request.id, already) == ("collected", second.id, False)
    assert reload(second).state == "collected"
    # A second hand-over of the same thing is no second thing.
    with write_transaction():
        assert services.collect(person("ria"), gift)[2] is True


def test_nobody_collects_then_the_post_expires_and_can_be_renewed(ctx):
    gift = post("bram", title="Bureaulamp")
    ask("els", gift)
    services.settle_due(gift.until + HOUR)
    services.settle_due(gift.until + 5 * DAY)
    assert reload(gift).state == "expired"
    assert GiftRequest.get(GiftRequest.gift == gift).state == "no_show"
    with write_transaction():
        services.renew(person("bram"), reload(gift), now=gift.until + 5 * DAY)
    assert reload(gift).state == "open" and reload(gift).renewals == 1


def test_draw_without_requests_expires_and_first_come_reopens_after_a_no_show(ctx):
    lonely = post("bram", title="Vaas")
    services.settle_due(lonely.until + HOUR)
    assert reload(lonely).state == "expired"
    # Deadline in five days, pick-up window of three: the no-show leaves it open again.
    until = clock.local(clock.now() + 5 * DAY).strftime("%Y-%m-%dT%H:%M")
    first = post("bram", title="Paraplu", allocation="first", until=until)
    promised = ask("els", first)
    services.settle_due(promised.collect_until + HOUR)
    assert (reload(first).state, reload(promised).state) == ("open", "no_show")
    assert act("gift.claim", {"gift": first.id}, "els",
               promised.collect_until + 2 * HOUR).outcome == "closed"
    assert act("gift.claim", {"gift": first.id}, "mohammed",
               promised.collect_until + 2 * HOUR).outcome == "promised"


def test_collect_needs_a_volunteer_of_the_pickup_point(ctx):
    gift = post("bram", title="Puzzel", allocation="first")
    assert code_of(services.collect, person("mohammed"), gift) == "not_allowed"
    assert code_of(services.collect, person("kees"), gift) == "not_allowed"
    result = act("gift.collect", {"gift": gift.id}, "bram")
    assert (result.status, result.outcome) == ("applied", "collected")
    again = act("gift.collect", {"gift": gift.id}, "ria")
    assert (again.status, again.outcome) == ("conflict", "already_collected")


# Givers and reports -----------------------------------------------------------------------------

def test_withdraw_closes_everyones_hope_and_only_the_giver_may(ctx):
    gift = post("bram", title="Spiegel")
    request = ask("els", gift)
    assert code_of(services.withdraw, person("els"), gift) == "not_giver"
    with write_transaction():
        services.withdraw(person("bram"), gift)
    assert (reload(gift).state, reload(request).state) == ("withdrawn", "closed")
    assert code_of(services.withdraw, person("bram"), gift) == "already_closed"
    assert act("gift.claim", {"gift": gift.id}, "mohammed").outcome == "closed"


def test_edit_by_giver_only_while_open(ctx):
    gift = post("bram", title="Klok", allocation="first")
    assert code_of(services.edit, person("els"), gift, "Klok", "", "other") == "not_giver"
    with write_transaction():
        services.edit(person("bram"), gift, "Wandklok", "Loopt op een batterij.", "other")
    assert reload(gift).title == "Wandklok"
    ask("els", gift)
    assert code_of(services.edit, person("bram"), gift, "Klok", "", "other") == "not_editable"


def test_three_reports_take_a_post_off_the_board(ctx):
    gift = post("bram", title="Vreemde advertentie")
    for name in ("els", "els", "mohammed"):
        with write_transaction():
            services.report(person(name), gift, "Hoort hier niet")
    assert reload(gift).state == "open"
    with write_transaction():
        services.report(person("anouk"), gift, "")
    assert reload(gift).state == "pending"
    assert GiftReport.select().where(GiftReport.gift == gift).count() == 3
    with write_transaction():
        services.approve(person("ria"), gift)
    assert reload(gift).state == "open"
    assert not GiftReport.select().where(GiftReport.handled_at.is_null()
                                         & (GiftReport.gift == gift)).exists()


# What a person sees ----------------------------------------------------------------------------

def test_a_new_offer_that_fits_a_wanted_post_is_found(ctx):
    with write_transaction():
        services.offer(person("anouk"), SHOP, "Gezocht: wasmachine", "", "electronics",
                       kind="wanted")
    # Anouk's wanted post waits for a coordinator: still, nothing fits yet.
    assert services.matching_offers(person("anouk")) == []
    wanted = Gift.get(Gift.title == "Gezocht: wasmachine")
    with write_transaction():
        services.approve(person("ria"), wanted)
    post("bram", title="Radio", category="electronics")
    fitting = post("bram", title="Wasmachine, 7 kilo", category="electronics")
    assert [g.id for g in services.matching_offers(person("anouk"))] == [fitting.id]


def test_erasing_a_person_removes_their_posts_and_requests(ctx):
    gift = post("bram", title="Tafellamp")
    ask("els", gift)
    services.erase_person(person("els"), ["Els"])
    assert not GiftRequest.select().where(GiftRequest.person == person("els")).exists()
    services.erase_person(person("bram"), ["Bram"])
    assert Gift.get_or_none(Gift.id == gift.id) is None
