"""The volunteering services: shifts by the phones' clocks (check-in, check-out, forgotten
check-outs, confirming and approving hours), claims within the Dutch tax-free caps added up over
every co-operative, deciding claims, receipts, the shared phone's PIN, and the three volunteering
actions through `sync.apply`. Each asserts the stable `code` of an error, never its message.

Parsing amounts and receipts needs no database and runs once; everything that stores shifts or
claims runs on SQLite and PostgreSQL through the `app` fixture, in the demo world: Kees
volunteers at lucas-community (pays per hour) and duurzaam-soesterkwartier (per month), Fatima
and Peter coordinate those, Anouk volunteers at talent-in-actie (no allowance), Mohammed and Els
are members only.
"""
import base64
import datetime as dt
import io
import uuid

import pytest
from PIL import Image

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.outbox.models import SyncRecord
from peerm.outbox.protocol import apply
from peerm.volunteering import services
from peerm.volunteering.caps import caps_for
from peerm.volunteering.models import (
    AllowanceSetting,
    ExpenseClaim,
    Shift,
    ShiftChange,
    WorkingGroup,
)
from peerm.volunteering.services import VolunteeringError

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# A Monday morning, 9:00 Dutch time, as stored (UTC); shift times are not checked against now.
MONDAY = clock.from_local(dt.datetime(2026, 11, 2, 9, 0))


def image_bytes(fmt, size=(8, 8)):
    """A real, small photo in this format, made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


def b64(data):
    return base64.b64encode(data).decode()


def error_code(call, *args, **kwargs):
    with pytest.raises(VolunteeringError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# Amounts and receipts: no database ---------------------------------------------------------

@pytest.mark.parametrize("raw, cents", [
    ("12,50", 1250), ("12.5", 1250), ("€ 12", 1200), (" 0,01 ", 1), ("1000", 100_000),
    (450, 450)])
def test_parse_amount_cents_reads_dutch_and_plain_amounts(raw, cents):
    assert services.parse_amount_cents(raw) == cents


@pytest.mark.parametrize("raw", ["", "0", "0,00", "-5", "12,505", "twaalf", "1000,01", "1.000,00",
                                 None, True, 0, 100_001])
def test_parse_amount_cents_refuses_when_not_an_amount_within_limits(raw):
    assert error_code(services.parse_amount_cents, raw) == "amount_invalid"


@pytest.mark.parametrize("fmt, ext", [("JPEG", "jpg"), ("PNG", "png")])
def test_decode_receipt_accepts_small_photo_as_base64_or_data_url(fmt, ext):
    photo = image_bytes(fmt)
    assert services.decode_receipt(b64(photo)) == (photo, ext)
    mime = "jpeg" if ext == "jpg" else ext
    assert services.decode_receipt(f"data:image/{mime};base64,{b64(photo)}") == (photo, ext)


def test_decode_receipt_returns_nothing_when_no_receipt_is_sent():
    assert services.decode_receipt("") == (None, None)
    assert services.decode_receipt(None) == (None, None)


@pytest.mark.parametrize("raw", [
    b64(b"Bonnetje van de bouwmarkt: 12,50"),
    b64(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
    b64(b"RIFF\x10\x00\x00\x00WAVEfmt "),           # a RIFF file, but a sound, not a WEBP photo
    "dit is geen base64!",
    "data:image/png;base64,@@@@",
])
def test_decode_receipt_refuses_when_not_a_photo(raw):
    assert error_code(services.decode_receipt, raw) == "receipt_invalid"


def test_decode_receipt_refuses_when_larger_than_limit():
    twenty_mb = "A" * (20 * 1024 * 1024)
    assert error_code(services.decode_receipt, twenty_mb) == "receipt_too_large"
    png = image_bytes("PNG")
    at_limit = png + b"\0" * (services.MAX_RECEIPT_BYTES - len(png))
    assert services.decode_receipt(b64(at_limit))[1] == "png"
    far_over = png + b"\0" * (services.MAX_RECEIPT_BYTES + 1000 - len(png))
    assert error_code(services.decode_receipt, b64(far_over)) == "receipt_too_large"


def test_decode_receipt_refuses_when_one_byte_over_limit():
    png = image_bytes("PNG")
    just_over = png + b"\0" * (services.MAX_RECEIPT_BYTES + 1 - len(png))
    assert error_code(services.decode_receipt, b64(just_over)) == "receipt_too_large"


# The demo world ---------------------------------------------------------------------------

@pytest.fixture
def receipts(app, tmp_path):
    """The receipts folder of this test."""
    folder = tmp_path / "receipts"
    app.config["RECEIPTS_FOLDER"] = str(folder)
    return folder


@pytest.fixture
def ctx(app, receipts):
    """A request context (services use gettext) with an open connection."""
    with app.test_request_context(), db.connection_context():
        yield


def person(name):
    return Person.by_email(f"{name}@peerm.example")


def initiative(slug):
    return Initiative.get(Initiative.slug == slug)


def group_of(slug):
    return WorkingGroup.of(initiative(slug)).first()


def worked(who, group, start, hours, state="closed"):
    """A shift worked, stored as it is after check-out (or still open)."""
    end = None if state == "open" else start + dt.timedelta(hours=hours)
    return Shift.create(person=who, group=group, checkin_action=str(uuid.uuid4()),
                        checkin_at=start, checkout_at=end, state=state)


def claim(who, slug, kind="allowance", date=None, **kwargs):
    """Submit a claim dated `date` (default: the first of this month); returns (claim, check)."""
    return services.submit_claim(who, initiative(slug), kind, date or this_month(), **kwargs)


def this_month():
    return dt.date.today().replace(day=1)


def reload(row):
    return type(row).get_by_id(row.id)


# Caps added up over every co-operative ----------------------------------------------------

def test_cap_check_adds_claims_of_two_cooperatives_when_in_same_month(ctx):
    kees = person("kees")
    soester = ExpenseClaim(person=kees, initiative=initiative("duurzaam-soesterkwartier"),
                           kind="allowance", amount_cents=11000, date=this_month())
    # Alone, each allowance is well within the monthly cap of 220 euro.
    assert services.cap_check(kees, soester).passed == ()
    lucas, lucas_check = claim(kees, "lucas-community", amount="120,00")
    assert (lucas_check.passed, lucas_check.month_total) == ((), 12000)
    assert lucas_check.hourly_cents is None      # no hours worked: no hourly figure
    second, second_check = claim(kees, "duurzaam-soesterkwartier", amount="110,00")
    assert second_check.passed == ("month",)
    assert (second_check.month_total, second_check.year_total) == (23000, 23000)
    assert reload(second).over_cap == "month"
    assert reload(lucas).over_cap == ""
    # Another volunteer's allowance adds nothing to Kees's totals.
    assert services.cap_check(person("fatima"), soester).month_total == 11000


def test_cap_check_uses_lower_hourly_cap_when_volunteer_is_under_21(ctx):
    kees = person("kees")
    lucas = group_of("lucas-community")
    first = dt.datetime.combine(this_month(), dt.time(9))
    worked(kees, lucas, first, 4)
    worked(kees, group_of("duurzaam-soesterkwartier"), first + 5 * HOUR, 6, state="approved")
    worked(kees, lucas, first - dt.timedelta(days=3), 8)            # last month: not counted
    worked(kees, lucas, first + 12 * HOUR, 0, state="open")          # still going: not counted
    cap = caps_for(this_month().year).hour_under_21
    # Ten hours this month: an allowance of exactly ten times the cap is exactly at the cap.
    _at_cap, at_check = claim(kees, "lucas-community", amount=cap * 10, over_21=False)
    assert (at_check.hourly_cents, at_check.under_21, at_check.passed) == (cap, True, ())
    assert reload(kees).over_21 is False
    over, over_check = claim(kees, "lucas-community", amount="0,10")
    assert (over_check.hourly_cents, over_check.passed) == (cap + 1, ("hour",))
    assert reload(over).over_cap == "hour"
    # At 21 or over the same allowance per hour is within the (higher) cap.
    kees.over_21 = True
    assert services.cap_check(kees, over).passed == ()


def test_cap_check_counts_flat_costs_but_not_itemised_costs(ctx, receipts):
    kees = person("kees")
    photo = image_bytes("PNG")
    km, km_check = claim(kees, "duurzaam-soesterkwartier", kind="travel_km", km="100")
    assert (km.amount_cents, km.km, km_check.month_total) == (100 * 23, 100, 0)
    ticket, ticket_check = claim(kees, "duurzaam-soesterkwartier", kind="travel_ticket",
                                 amount="7,80", receipt=b64(photo))
    assert ticket_check.month_total == 0
    other_receipt, other_check = claim(kees, "duurzaam-soesterkwartier", kind="other",
                                       amount="15,00", receipt=b64(image_bytes("JPEG")))
    assert other_check.month_total == 0
    flat, flat_check = claim(kees, "duurzaam-soesterkwartier", kind="other", amount="20,00")
    assert flat_check.month_total == 2000
    # With the flat 20 euro, 200 euro of allowance is exactly the monthly cap; counting the
    # itemised costs (45,80) would have gone over it.
    _allowance, allowance_check = claim(kees, "duurzaam-soesterkwartier", amount="200,00")
    assert (allowance_check.month_total, allowance_check.passed) == (22000, ())
    # The receipts are kept in the receipts folder, under the names the claims hold.
    assert ticket.receipt.endswith(".png") and other_receipt.receipt.endswith(".jpg")
    assert (receipts / ticket.receipt).read_bytes() == photo
    assert sorted(p.name for p in receipts.iterdir()) == sorted([ticket.receipt,
                                                                other_receipt.receipt])
    assert (km.receipt, flat.receipt) == ("", "")


def test_cap_check_counts_claims_toward_their_own_year_when_spanning_new_year(ctx):
    kees = person("kees")
    year = dt.date.today().year
    claim(kees, "lucas-community", date=dt.date(year - 1, 12, 1), amount="100,00")
    _old, old_check = claim(kees, "lucas-community", date=dt.date(year - 1, 12, 31),
                            amount="100,00")
    new, new_check = claim(kees, "lucas-community", date=dt.date(year, 1, 1), amount="100,00")
    assert (old_check.year, old_check.year_total, old_check.month_total) == (year - 1, 20000,
                                                                             20000)
    assert (new_check.year, new_check.year_total, new_check.month_total) == (year, 10000, 10000)
    assert (old_check.caps, new_check.caps) == (caps_for(year - 1), caps_for(year))
    assert new.date == dt.date(year, 1, 1)


def test_submit_claim_refuses_and_stores_nothing_when_claim_cannot_be_made(ctx, receipts):
    kees, today = person("kees"), dt.date.today()
    assert error_code(claim, person("mohammed"), "lucas-community", amount="10") == "not_volunteer"
    assert error_code(claim, person("els"), "duurzaam-soesterkwartier",
                      amount="10") == "not_volunteer"
    assert error_code(claim, person("anouk"), "talent-in-actie", amount="10") == "no_allowance"
    assert error_code(claim, kees, "lucas-community", kind="bonus", amount="10") == "kind_invalid"
    assert error_code(claim, kees, "lucas-community", kind="travel_km", km="-5") == "km_invalid"
    assert error_code(claim, kees, "lucas-community", kind="travel_km", km="0") == "km_invalid"
    assert error_code(claim, kees, "lucas-community", amount="0") == "amount_invalid"
    assert error_code(claim, kees, "lucas-community", amount="10",
                      date=today + dt.timedelta(days=2)) == "date_future"
    assert error_code(claim, kees, "lucas-community", amount="10",
                      date=dt.date(today.year - 2, 12, 31)) == "date_too_old"
    assert error_code(claim, kees, "lucas-community", amount="10", date="31-12") == "date_invalid"
    assert error_code(claim, kees, "lucas-community", kind="other", amount="10",
                      receipt=b64(b"%PDF-1.4")) == "receipt_invalid"
    assert ExpenseClaim.select().count() == 0
    assert not receipts.exists() or not any(receipts.iterdir())


# Deciding claims ---------------------------------------------------------------------------

def test_approve_claim_needs_reason_when_over_cap(ctx):
    kees, fatima = person("kees"), person("fatima")
    over, check = claim(kees, "lucas-community", amount="230,00")
    assert check.passed == ("month",)
    assert error_code(services.approve_claim, person("peter"), over) == "not_allowed"
    assert error_code(services.approve_claim, kees, over) == "not_allowed"
    assert error_code(services.approve_claim, fatima, over, "   ") == "cap_reason_missing"
    assert reload(over).state == "submitted"
    services.approve_claim(fatima, reload(over), "  Eenmalig: de hele zomer gekookt. ")
    stored = reload(over)
    assert (stored.state, stored.over_cap, stored.over_cap_reason, stored.decided_by_id) == (
        "approved", "month", "Eenmalig: de hele zomer gekookt.", fatima.id)
    assert stored.decided_at is not None
    assert error_code(services.approve_claim, fatima, stored, "nog eens") == "already_decided"


def test_reject_needs_reason_and_paid_only_after_approved(ctx):
    kees, fatima = person("kees"), person("fatima")
    big, _ = claim(kees, "lucas-community", amount="200,00")
    small, small_check = claim(kees, "lucas-community", amount="100,00")
    assert small_check.passed == ("month",)            # the big claim still counts
    assert error_code(services.reject_claim, fatima, big, "  ") == "reason_missing"
    assert error_code(services.mark_paid, fatima, big) == "not_approved"
    services.reject_claim(fatima, big, "  Geen afspraak over gemaakt. ")
    big = reload(big)
    assert (big.state, big.reason, big.decided_by_id) == ("rejected", "Geen afspraak over gemaakt.",
                                                          fatima.id)
    assert error_code(services.mark_paid, fatima, big) == "not_approved"
    assert error_code(services.reject_claim, fatima, big, "nog eens") == "already_decided"
    # A rejected claim no longer counts: the small one is within the cap and needs no reason.
    assert error_code(services.mark_paid, fatima, small) == "not_approved"
    _, check = services.approve_claim(fatima, small)
    assert (check.passed, reload(small).over_cap) == ((), "")
    assert error_code(services.mark_paid, person("peter"), reload(small)) == "not_allowed"
    services.mark_paid(fatima, reload(small))
    paid = reload(small)
    assert paid.state == "paid" and paid.paid_at is not None


# Shifts ------------------------------------------------------------------------------------

def test_check_in_and_out_make_one_shift_and_second_check_in_closes_first(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    action_id = str(uuid.uuid4())
    shift = services.check_in(kees, lucas, action_id, MONDAY, note="Ritje naar het Antonius")
    assert (shift.state, shift.checkout_at, shift.note) == ("open", None,
                                                            "Ritje naar het Antonius")
    services.check_out(kees, action_id.upper(), MONDAY + 3 * HOUR + 30 * MINUTE)
    stored = reload(shift)
    assert (stored.state, stored.minutes, stored.checkin_at) == ("closed", 210, MONDAY)
    # The same check-out arriving again later changes nothing: the first one stands.
    services.check_out(kees, action_id, MONDAY + 5 * HOUR)
    assert reload(shift).checkout_at == MONDAY + 3 * HOUR + 30 * MINUTE
    assert Shift.select().where(Shift.person == kees).count() == 1
    # A second check-in while the first is open: the first ended when the second began.
    later = MONDAY + dt.timedelta(days=1)
    first = services.check_in(kees, lucas, str(uuid.uuid4()), later)
    second = services.check_in(kees, group_of("duurzaam-soesterkwartier"), str(uuid.uuid4()),
                               later + 4 * HOUR)
    earlier = reload(first)
    assert (earlier.state, earlier.checkout_at, earlier.minutes) == ("to_confirm",
                                                                     later + 4 * HOUR, 240)
    assert reload(second).state == "open"
    assert [s.id for s in Shift.open_of(kees)] == [second.id]


def test_check_out_refuses_and_keeps_shift_open_when_impossible(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    assert error_code(services.check_in, person("mohammed"), lucas, str(uuid.uuid4()),
                      MONDAY) == "not_volunteer"
    assert error_code(services.check_out, kees, str(uuid.uuid4()), MONDAY) == "no_checkin"
    action_id = str(uuid.uuid4())
    shift = services.check_in(kees, lucas, action_id, MONDAY)
    # Someone else's check-out cannot end Kees's shift.
    assert error_code(services.check_out, person("fatima"), action_id,
                      MONDAY + HOUR) == "no_checkin"
    assert error_code(services.check_out, kees, action_id, MONDAY) == "checkout_early"
    assert error_code(services.check_out, kees, action_id, MONDAY - MINUTE) == "checkout_early"
    assert error_code(services.check_out, kees, action_id, MONDAY + 30 * HOUR) == "shift_too_long"
    assert error_code(services.check_out, kees, action_id,
                      MONDAY + services.MAX_SHIFT_HOURS * HOUR + MINUTE) == "shift_too_long"
    stored = reload(shift)
    assert (stored.state, stored.checkout_at) == ("open", None)
    services.check_out(kees, action_id, MONDAY + services.MAX_SHIFT_HOURS * HOUR)
    assert reload(shift).minutes == services.MAX_SHIFT_HOURS * 60


def test_close_forgotten_closes_after_cooperative_limit_and_volunteer_confirms(ctx):
    kees = person("kees")
    setting = AllowanceSetting.for_initiative(initiative("lucas-community"))
    setting.checkout_limit_hours = 5
    setting.save()
    lucas = services.check_in(kees, group_of("lucas-community"), str(uuid.uuid4()), MONDAY)
    soester = worked(kees, group_of("duurzaam-soesterkwartier"), MONDAY + HOUR, 0, state="open")
    assert services.close_forgotten(MONDAY + 5 * HOUR - MINUTE) == []
    assert [s.id for s in services.close_forgotten(MONDAY + 5 * HOUR)] == [lucas.id]
    closed = reload(lucas)
    assert (closed.state, closed.checkout_at) == ("to_confirm", MONDAY + 5 * HOUR)
    assert reload(soester).state == "open"         # soesterkwartier keeps the default 8 hours
    assert [s.id for s in services.close_forgotten(MONDAY + 9 * HOUR)] == [soester.id]
    assert reload(soester).checkout_at == MONDAY + 9 * HOUR
    # Only the volunteer confirms their own shift, and only while it waits to be confirmed.
    assert error_code(services.confirm_shift, person("fatima"), closed) == "nothing_to_confirm"
    services.confirm_shift(kees, closed)
    assert (reload(lucas).state, reload(lucas).checkout_at) == ("closed", MONDAY + 5 * HOUR)
    assert error_code(services.confirm_shift, kees, reload(lucas)) == "nothing_to_confirm"
    # Correcting the guessed end keeps the history: who, what, old, new.
    assert error_code(services.confirm_shift, kees, reload(soester),
                      MONDAY + HOUR) == "checkout_early"
    services.confirm_shift(kees, reload(soester), MONDAY + 4 * HOUR)
    corrected = reload(soester)
    assert (corrected.state, corrected.checkout_at) == ("closed", MONDAY + 4 * HOUR)
    change = ShiftChange.get(ShiftChange.shift == soester)
    assert (change.what, change.changed_by_id, change.old, change.new) == (
        "checkout_at", kees.id, "2026-11-02 18:00", "2026-11-02 13:00")
    assert change.reason


def test_approve_shift_needs_reason_when_coordinator_corrects_hours(ctx):
    kees, fatima = person("kees"), person("fatima")
    lucas = group_of("lucas-community")
    shift = worked(kees, lucas, MONDAY, 8)
    plain = worked(kees, lucas, MONDAY + dt.timedelta(days=1), 3, state="to_confirm")
    going = worked(kees, lucas, MONDAY + dt.timedelta(days=2), 0, state="open")
    assert error_code(services.approve_shift, kees, shift) == "not_allowed"
    assert error_code(services.approve_shift, person("peter"), shift) == "not_allowed"
    assert error_code(services.approve_shift, fatima, going) == "shift_open"
    assert error_code(services.approve_shift, fatima, shift, MONDAY + 6 * HOUR,
                      " ") == "reason_missing"
    assert reload(shift).state == "closed"
    assert ShiftChange.select().count() == 0
    services.approve_shift(fatima, reload(shift), MONDAY + 6 * HOUR, " Eerder naar huis. ")
    approved = reload(shift)
    assert (approved.state, approved.minutes, approved.approved_by_id) == ("approved", 360,
                                                                           fatima.id)
    history = [(c.what, c.old, c.new, c.reason, c.changed_by_id) for c in
               ShiftChange.select().where(ShiftChange.shift == shift).order_by(ShiftChange.id)]
    assert history == [
        ("checkout_at", "2026-11-02 17:00", "2026-11-02 15:00", "Eerder naar huis.", fatima.id),
        ("state", "closed", "approved", "Eerder naar huis.", fatima.id)]
    # Approving without a change needs no reason; the administrator may approve anywhere.
    services.approve_shift(person("beheer"), reload(plain))
    assert (reload(plain).state, reload(plain).minutes) == ("approved", 180)


def test_nobody_decides_on_own_hours_or_claims(ctx):
    fatima, beheer = person("fatima"), person("beheer")
    lucas = group_of("lucas-community")
    own = worked(fatima, lucas, MONDAY, 8)
    for decide in (lambda: services.approve_shift(fatima, reload(own)),
                   lambda: services.approve_shift(fatima, reload(own), MONDAY + 4 * HOUR,
                                                  "Korter"),
                   lambda: services.reject_shift(fatima, reload(own), "Niet gewerkt")):
        with pytest.raises(VolunteeringError) as caught:
            decide()
        assert caught.value.code == "own_decision"
    assert (reload(own).state, ShiftChange.select().count()) == ("closed", 0)
    claimed, _ = claim(fatima, "lucas-community", amount="20,00")
    assert error_code(services.approve_claim, fatima, claimed) == "own_decision"
    assert error_code(services.reject_claim, fatima, claimed, "Nee") == "own_decision"
    # The administrator decides where the co-operative has no other coordinator.
    services.approve_shift(beheer, reload(own))
    services.approve_claim(beheer, reload(claimed))
    assert error_code(services.mark_paid, fatima, reload(claimed)) == "own_decision"
    services.mark_paid(beheer, reload(claimed))
    assert (reload(own).approved_by_id, reload(claimed).state) == (beheer.id, "paid")
    # An administrator may not decide on their own either; a coordinator there may.
    admins = worked(beheer, lucas, MONDAY + dt.timedelta(days=1), 4)
    assert error_code(services.approve_shift, beheer, admins) == "own_decision"
    services.approve_shift(fatima, admins)
    assert reload(admins).approved_by_id == fatima.id


def test_may_decide_on_needs_another_person_with_the_right(ctx):
    from peerm.permissions import may_decide_on

    fatima, kees, lucas = person("fatima"), person("kees"), initiative("lucas-community")
    assert may_decide_on(fatima, kees, lucas, "shifts.approve")
    assert may_decide_on(fatima, kees, lucas, "claims.approve")
    assert not may_decide_on(fatima, fatima, lucas, "shifts.approve")
    assert not may_decide_on(person("beheer"), person("beheer"), lucas, "claims.approve")
    assert not may_decide_on(person("peter"), kees, lucas, "shifts.approve")
    assert not may_decide_on(kees, fatima, lucas, "shifts.approve")
    assert not may_decide_on(None, kees, lucas, "shifts.approve")
    with pytest.raises(KeyError):
        may_decide_on(fatima, kees, lucas, "members.manage")


def test_overlapping_shifts_are_kept_but_not_approved_together_until_corrected(ctx):
    kees, fatima, peter = person("kees"), person("fatima"), person("peter")
    lucas, soester = group_of("lucas-community"), group_of("duurzaam-soesterkwartier")
    # Sixteen hours on Monday in two co-operatives, and a third, later shift that is fine.
    long_day = worked(kees, lucas, MONDAY, 16)
    inside = worked(kees, soester, MONDAY + 2 * HOUR, 14)
    evening = worked(kees, lucas, MONDAY + 17 * HOUR, 2)
    assert [s.id for s in services.overlapping(long_day)] == [inside.id]
    assert services.overlaps([long_day, inside, evening]) == {
        long_day.id: [inside], inside.id: [long_day]}
    assert error_code(services.approve_shift, fatima, long_day) == "shift_overlap"
    assert error_code(services.approve_shift, peter, inside) == "shift_overlap"
    services.approve_shift(fatima, evening)
    # Correcting the long day to end before the other began resolves it.
    assert error_code(services.approve_shift, fatima, long_day, MONDAY + 3 * HOUR,
                      "Tot de koffie") == "shift_overlap"
    services.approve_shift(fatima, reload(long_day), MONDAY + 2 * HOUR, "Daarna naar Soest")
    assert reload(long_day).state == "approved"
    # Overlapping an approved shift is refused too, until one is rejected.
    again = worked(kees, soester, MONDAY + HOUR, 1)
    assert error_code(services.approve_shift, peter, again) == "shift_overlap"
    assert error_code(services.reject_shift, peter, again, " ") == "reason_missing"
    services.reject_shift(peter, again, "Dubbel ingevoerd")
    assert reload(again).state == "rejected"
    assert error_code(services.approve_shift, peter, reload(again)) == "already_rejected"
    services.approve_shift(peter, reload(inside))
    assert services.overlaps([reload(long_day), reload(inside)]) == {}
    # A rejected shift counts no hours.
    assert services.minutes_worked(kees, MONDAY, MONDAY + dt.timedelta(days=1)) == (
        2 * 60 + 14 * 60 + 2 * 60)


def test_check_in_recorded_long_after_its_time_says_so(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    now = dt.datetime.now(clock.NETWORK_TZ)
    backdated = act("shift.checkin", {"group": lucas.id}, at=now - dt.timedelta(days=20))
    recent = act("shift.checkin", {"group": lucas.id}, at=now - 5 * HOUR)
    late, fresh = (Shift.get_by_id(int(apply(action, kees).ref))
                   for action in (backdated, recent))
    assert services.recorded_late([late, fresh]) == {late.id: 20}


def test_hours_by_period_sums_closed_shifts_per_week_and_month(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    soester = group_of("duurzaam-soesterkwartier")
    worked(kees, lucas, dt.datetime(2026, 11, 23, 9), 2)                     # this week
    worked(kees, soester, dt.datetime(2026, 11, 24, 13), 1.5, state="approved")
    worked(kees, lucas, dt.datetime(2026, 11, 25, 9), 0, state="open")       # not counted
    worked(kees, lucas, dt.datetime(2026, 11, 22, 20), 3, state="to_confirm")  # last week's Sunday
    worked(kees, lucas, dt.datetime(2026, 10, 30, 10), 4)                    # October
    worked(person("fatima"), lucas, dt.datetime(2026, 11, 23, 9), 5)        # someone else
    by_week, by_month = services.hours_by_period(kees, dt.date(2026, 11, 25))
    assert by_week == [(dt.date(2026, 11, 23), 210), (dt.date(2026, 11, 16), 180),
                       (dt.date(2026, 11, 9), 0), (dt.date(2026, 11, 2), 0)]
    assert by_month == [(dt.date(2026, 11, 1), 390), (dt.date(2026, 10, 1), 240),
                        (dt.date(2026, 9, 1), 0)]


# The shared phone's PIN --------------------------------------------------------------------

def open_kiosk(slug="lucas-community"):
    """The coordinator opens the shared phone of the co-operative's first group: its token."""
    coordinator = {"lucas-community": "fatima", "duurzaam-soesterkwartier": "peter"}[slug]
    return services.open_kiosk(person(coordinator), group_of(slug))


def kiosk_of(token):
    return services.kiosk_by_token(token)


def pin_tries(key):
    from peerm.accounts.models import LoginFailure

    return LoginFailure.select().where(LoginFailure.key == key).count()


def test_person_by_pin_limits_guessing_when_five_pins_were_wrong(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    kiosk = kiosk_of(open_kiosk())
    assert error_code(services.person_by_pin, kees.id, "1234", lucas,
                      kiosk) == "pin_wrong"  # no PIN yet
    for bad in ("123", "12345", "12a4", ""):
        assert error_code(services.set_pin, kees, bad) == "pin_invalid"
    services.set_pin(kees, "1234")
    assert services.person_by_pin(str(kees.id), "1234", lucas, kiosk).id == kees.id
    mohammed = person("mohammed")
    services.set_pin(mohammed, "1234")                      # a member, not a volunteer
    assert error_code(services.person_by_pin, mohammed.id, "1234", lucas, kiosk) == "pin_wrong"
    # The try without a PIN counted; the right PIN took its own try back.
    assert pin_tries(f"pin:{kees.id}") == 1
    for _ in range(4):
        assert error_code(services.person_by_pin, kees.id, "9999", lucas, kiosk) == "pin_wrong"
    assert pin_tries(f"pin:{kees.id}") == 5
    assert error_code(services.person_by_pin, kees.id, "1234", lucas, kiosk) == "pin_limited"
    assert pin_tries(f"pin:{kees.id}") == 5          # a refused try is not counted again
    assert pin_tries(f"kiosk:{kiosk.id}") == 6       # Kees's five and Mohammed's one


def test_person_by_pin_limits_shared_phone_when_many_names_had_wrong_pins(ctx):
    """Guessing a PIN for every name in turn stays under each person's limit, not under the
    shared phone's."""
    kees, lucas = person("kees"), group_of("lucas-community")
    services.set_pin(kees, "1234")
    kiosk, other = kiosk_of(open_kiosk()), kiosk_of(open_kiosk())
    for number in range(services.KIOSK_FAILURES):
        assert error_code(services.person_by_pin, 900_000 + number, "0000", lucas,
                          kiosk) == "pin_wrong"
    assert error_code(services.person_by_pin, kees.id, "1234", lucas, kiosk) == "pin_limited"
    # Kees himself made no wrong try: on another shared phone his PIN works.
    assert services.person_by_pin(kees.id, "1234", lucas, other).id == kees.id


# Through sync.apply ----------------------------------------------------------------------

def phone_at(moment):
    return moment.replace(microsecond=0).isoformat()


def act(action_type, data, at=None, action_id=None):
    return {"id": action_id or str(uuid.uuid4()), "type": action_type,
            "at": phone_at(at or dt.datetime.now(clock.NETWORK_TZ)), "data": data}


def test_sync_checkout_names_checkin_of_same_batch_and_refusals_are_recorded(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    now = dt.datetime.now(clock.NETWORK_TZ)
    checkin = act("shift.checkin", {"group": lucas.id}, at=now - 2 * HOUR)
    checkout = act("shift.checkout", {"checkin": checkin["id"]}, at=now)
    results = [apply(checkin, kees), apply(checkout, kees)]
    assert [(r.status, r.outcome) for r in results] == [("applied", "checked_in"),
                                                        ("applied", "checked_out")]
    shift = Shift.get(Shift.checkin_action == checkin["id"])
    assert results[0].ref == results[1].ref == str(shift.id)
    assert (shift.person_id, shift.group_id, shift.state, shift.minutes) == (
        kees.id, lucas.id, "closed", 120)
    # Refused for good, and recorded: a check-out of no check-in, negative kilometres.
    lost = act("shift.checkout", {"checkin": str(uuid.uuid4())})
    result = apply(lost, kees)
    assert (result.status, result.outcome) == ("rejected", "no_checkin")
    assert SyncRecord.get(SyncRecord.action_id == lost["id"]).status == "rejected"
    km = apply(act("expense.claim", {"initiative": initiative("lucas-community").id,
                                     "kind": "travel_km", "km": "-12", "date": str(this_month()),
                                     "note": "Ziekenhuis"}), kees)
    assert (km.status, km.outcome) == ("rejected", "km_invalid")
    assert ExpenseClaim.select().count() == 0
    # Without a session and without a name and PIN, the check-in waits for a login.
    waiting = apply(act("shift.checkin", {"group": lucas.id}), None)
    assert (waiting.status, waiting.outcome) == ("unauthorized", "login_needed")
    assert Shift.select().count() == 1


def test_sync_claim_is_submitted_with_over_21_and_flags_cap(ctx):
    kees, lucas = person("kees"), initiative("lucas-community")
    data = {"initiative": lucas.id, "kind": "allowance", "amount": "12,50",
            "date": str(this_month()), "note": "Koken", "receipt": "", "over_21": "no"}
    result = apply(act("expense.claim", data), kees)
    assert (result.status, result.outcome) == ("applied", "submitted")
    stored = ExpenseClaim.get_by_id(int(result.ref))
    assert (stored.amount_cents, stored.person_id, stored.note) == (1250, kees.id, "Koken")
    assert reload(kees).over_21 is False
    over = apply(act("expense.claim", {**data, "amount": "", "amount_cents": 22000,
                                       "over_21": ""}), kees)
    assert (over.status, over.outcome) == ("applied", "submitted_over_cap")
    assert ExpenseClaim.get_by_id(int(over.ref)).amount_cents == 22000
    assert reload(kees).over_21 is False             # an empty answer changes nothing
    # A member who is no volunteer cannot claim, also not through the outbox.
    refused = apply(act("expense.claim", data), person("mohammed"))
    assert (refused.status, refused.outcome) == ("rejected", "not_volunteer")


def test_sync_claim_reads_amount_cents_as_cents_when_sent_as_digits(ctx):
    result = apply(act("expense.claim", {"initiative": initiative("lucas-community").id,
                                         "kind": "allowance", "amount_cents": "450",
                                         "date": str(this_month())}), person("kees"))
    assert result.status == "applied"
    assert ExpenseClaim.get_by_id(int(result.ref)).amount_cents == 450


def test_sync_shared_phone_checks_in_by_name_and_pin_without_session(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    data = {"group": lucas.id, "person": kees.id, "pin": "2468", "kiosk": open_kiosk()}
    before = apply(act("shift.checkin", data), None)
    assert (before.status, before.outcome) == ("rejected", "pin_wrong")   # no PIN set yet
    services.set_pin(kees, "2468")
    wrong = apply(act("shift.checkin", {**data, "pin": "1357"}), None)
    assert (wrong.status, wrong.outcome) == ("rejected", "pin_wrong")
    assert Shift.select().count() == 0
    result = apply(act("shift.checkin", data), None)
    assert (result.status, result.outcome) == ("applied", "checked_in")
    shift = Shift.get_by_id(int(result.ref))
    assert (shift.person_id, shift.group_id, shift.state) == (kees.id, lucas.id, "open")
    # The shared phone checks out by group and name: Kees's open shift there ends.
    out = apply(act("shift.checkout", data, at=dt.datetime.now(clock.NETWORK_TZ) + MINUTE), None)
    assert (out.status, out.outcome, out.ref) == ("applied", "checked_out", str(shift.id))
    assert reload(shift).state == "closed"


def test_sync_pin_action_is_refused_without_shared_phone_token_and_counts_no_try(ctx):
    kees, lucas = person("kees"), group_of("lucas-community")
    services.set_pin(kees, "2468")
    token = open_kiosk()
    stopped = open_kiosk()
    services.stop_kiosk(person("fatima"), kiosk_of(stopped))
    elsewhere = open_kiosk("duurzaam-soesterkwartier")
    data = {"group": lucas.id, "person": kees.id, "pin": "0000"}
    for kiosk in (None, "", "not-a-token", stopped, elsewhere, 12):
        sent = data if kiosk is None else {**data, "kiosk": kiosk}
        for _ in range(3):
            refused = apply(act("shift.checkin", sent), None)
            assert (refused.status, refused.outcome) == ("rejected", "kiosk_required")
    # Eighteen refusals, and not one PIN try counted: Kees is not locked out.
    assert pin_tries(f"pin:{kees.id}") == 0
    right = apply(act("shift.checkin", {**data, "pin": "2468", "kiosk": token}), None)
    assert (right.status, right.outcome) == ("applied", "checked_in")


def test_sync_pin_lock_is_not_recorded_and_action_applies_when_lock_passes(ctx):
    from peerm.accounts.models import LoginFailure

    kees, lucas = person("kees"), group_of("lucas-community")
    services.set_pin(kees, "2468")
    data = {"group": lucas.id, "person": kees.id, "pin": "0000", "kiosk": open_kiosk()}
    for _ in range(services.PIN_FAILURES):
        assert apply(act("shift.checkin", data), None).outcome == "pin_wrong"
    # Kees checked in without signal an hour ago, with his right PIN.
    made = act("shift.checkin", {**data, "pin": "2468"},
               at=dt.datetime.now(clock.NETWORK_TZ) - HOUR)
    locked_out = apply(made, None)
    # Not a refusal for good: nothing is recorded, and the phone keeps it to send again.
    assert (locked_out.status, locked_out.outcome) == ("unauthorized", "pin_limited")
    assert SyncRecord.get_or_none(SyncRecord.action_id == made["id"]) is None
    assert apply(made, None).outcome == "pin_limited"
    # A quarter of an hour later the same action goes through, at the phone's time.
    for failure in LoginFailure.select():
        failure.at -= services.PIN_WINDOW
        failure.save()
    later = apply(made, None)
    assert (later.status, later.outcome) == ("applied", "checked_in")
    shift = Shift.get(Shift.checkin_action == made["id"])
    assert shift.checkin_at == parse_phone(made["at"])


def parse_phone(at):
    """A phone's time as it is stored: UTC."""
    return dt.datetime.fromisoformat(at).astimezone(dt.timezone.utc).replace(tzinfo=None)


def test_sync_wrong_pin_made_offline_is_kept_for_coordinator_who_may_keep_it(ctx):
    from peerm.volunteering.models import PinRefusal

    kees, lucas = person("kees"), group_of("lucas-community")
    services.set_pin(kees, "2468")
    token = open_kiosk()
    data = {"group": lucas.id, "person": kees.id, "pin": "2486", "kiosk": token}
    # Without signal, three hours ago: a mistyped PIN at check-in, the right one at check-out.
    made = act("shift.checkin", data, at=dt.datetime.now(clock.NETWORK_TZ) - 3 * HOUR)
    refused = apply(made, None)
    assert (refused.status, refused.outcome) == ("rejected", "pin_wrong")
    assert apply(made, None).outcome == "pin_wrong"          # the same action: one refusal
    [kept] = PinRefusal.select()
    assert (kept.action_id, kept.person_id, kept.group_id, kept.kind, kept.at) == (
        made["id"], kees.id, lucas.id, "checkin", parse_phone(made["at"]))
    assert kept.kiosk_id == kiosk_of(token).id and kept.kept_at is None
    # A wrong PIN for a name that is no volunteer here is counted, not kept.
    apply(act("shift.checkin", {**data, "person": person("mohammed").id}), None)
    assert PinRefusal.select().count() == 1
    # Kees cannot keep his own; Fatima, who checked with him, can: his shift starts then.
    assert error_code(services.keep_refused, kees, kept) == "not_allowed"
    assert error_code(services.keep_refused, person("peter"), kept) == "not_allowed"
    shift = services.keep_refused(person("fatima"), kept)
    assert (shift.person_id, shift.group_id, shift.checkin_at, shift.checkin_action) == (
        kees.id, lucas.id, parse_phone(made["at"]), made["id"])
    assert reload(kept).kept_by_id == person("fatima").id
    assert error_code(services.keep_refused, person("fatima"), reload(kept)) == "already_kept"
    out = apply(act("shift.checkout", {**data, "pin": "2468"},
                    at=dt.datetime.now(clock.NETWORK_TZ) - HOUR), None)
    assert (out.status, out.outcome, out.ref) == ("applied", "checked_out", str(shift.id))
    assert reload(shift).minutes == 120


def test_keep_refused_is_never_own_decision(ctx):
    from peerm.volunteering.models import PinRefusal

    fatima, lucas = person("fatima"), group_of("lucas-community")
    refusal = PinRefusal.create(action_id=str(uuid.uuid4()), person=fatima, group=lucas,
                                kind="checkin", at=MONDAY, arrived_at=MONDAY + HOUR)
    assert error_code(services.keep_refused, fatima, refusal) == "own_decision"
    assert services.keep_refused(person("beheer"), refusal).person_id == fatima.id


