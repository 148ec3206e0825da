"""The tax-free caps of the volunteer allowance, as a table per year: each cap of 2025 and 2026
at its boundary (a cent under, exactly at, a cent over), the lower hourly cap under 21, later
years on the last known caps, earlier years refused.

Pure functions: no app, no database, run once.
"""
import pytest

from peerm.volunteering import caps
from peerm.volunteering.caps import UnknownYear, caps_for, check

# The caps as the Belastingdienst publishes them, in cents — written out here on purpose, so
# that a typo in CAPS_BY_YEAR fails the suite.
PUBLISHED = {
    2025: {"hour": 560, "hour_under_21": 330, "month": 21000, "year": 210000},
    2026: {"hour": 575, "hour_under_21": 340, "month": 22000, "year": 220000},
}
BOUNDARY = [(-1, ()), (0, ()), (1, None)]   # None: the cap's own name is passed


def expected(offset_passed, name):
    return (name,) if offset_passed is None else offset_passed


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_caps_for_returns_published_caps_when_year_is_known(year):
    known = caps_for(year)
    assert (known.hour, known.hour_under_21, known.month, known.year) == tuple(
        PUBLISHED[year][key] for key in ("hour", "hour_under_21", "month", "year"))


@pytest.mark.parametrize("year", sorted(PUBLISHED))
@pytest.mark.parametrize("offset, passed", BOUNDARY)
def test_check_hour_cap_holds_up_to_cap_when_21_or_over(year, offset, passed):
    hourly = PUBLISHED[year]["hour"] + offset
    result = check(year, 0, 0, hourly_cents=hourly, under_21=False)
    assert result.passed == expected(passed, "hour")
    assert result.ok is (passed is not None)
    assert result.hourly_cents == hourly


@pytest.mark.parametrize("year", sorted(PUBLISHED))
@pytest.mark.parametrize("offset, passed", BOUNDARY)
def test_check_hour_cap_is_lower_when_under_21(year, offset, passed):
    hourly = PUBLISHED[year]["hour_under_21"] + offset
    assert check(year, 0, 0, hourly_cents=hourly, under_21=True).passed == expected(passed,
                                                                                 "hour")
    # The same hourly allowance is well within the cap of someone of 21 or over.
    assert check(year, 0, 0, hourly_cents=hourly, under_21=False).passed == ()


@pytest.mark.parametrize("year", sorted(PUBLISHED))
@pytest.mark.parametrize("offset, passed", BOUNDARY)
def test_check_month_cap_holds_up_to_cap(year, offset, passed):
    month = PUBLISHED[year]["month"] + offset
    result = check(year, month, month)
    assert result.passed == expected(passed, "month")
    assert (result.month_total, result.year_total) == (month, month)


@pytest.mark.parametrize("year", sorted(PUBLISHED))
@pytest.mark.parametrize("offset, passed", BOUNDARY)
def test_check_year_cap_holds_up_to_cap(year, offset, passed):
    total = PUBLISHED[year]["year"] + offset
    assert check(year, 0, total).passed == expected(passed, "year")


def test_check_names_every_cap_passed_when_all_are_over():
    result = check(2026, 22001, 220001, hourly_cents=576)
    assert result.passed == ("hour", "month", "year")
    assert not result.ok


def test_check_ignores_hour_cap_when_no_hours_are_known():
    assert check(2026, 100, 100, hourly_cents=None, under_21=True).passed == ()


def test_check_2025_boundary_differs_from_2026():
    # 2026's month cap is higher: what goes over in 2025 is within the cap in 2026.
    assert check(2025, 21500, 21500).passed == ("month",)
    assert check(2026, 21500, 21500).passed == ()
    assert check(2025, 0, 0, hourly_cents=570).passed == ("hour",)
    assert check(2026, 0, 0, hourly_cents=570).passed == ()


@pytest.mark.parametrize("year", [2027, 2030, 2099])
def test_caps_for_uses_last_known_caps_when_year_is_later(year):
    assert caps_for(year) == caps.CAPS_BY_YEAR[2026]
    assert check(year, 22000, 220000, hourly_cents=575).passed == ()
    assert check(year, 22001, 220001, hourly_cents=576).passed == ("hour", "month", "year")
    assert check(year, 0, 0).year == year


@pytest.mark.parametrize("year", [2024, 2000])
def test_caps_for_raises_unknown_year_when_year_is_before_2025(year):
    with pytest.raises(UnknownYear):
        caps_for(year)
    with pytest.raises(UnknownYear):
        check(year, 0, 0)
