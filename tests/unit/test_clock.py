"""The one clock: moments are stored in UTC, shown as Dutch wall-clock time, across summer and
winter time; a day is a Dutch calendar day; tests can stop it."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from peerm.core import clock

UTC = dt.timezone.utc


def test_now_is_naive_utc_to_the_second():
    now = clock.now()
    assert now.tzinfo is None and now.microsecond == 0
    assert abs(now - dt.datetime.now(UTC).replace(tzinfo=None)) < dt.timedelta(seconds=5)


@pytest.mark.parametrize("stored, wall", [
    (dt.datetime(2026, 1, 15, 18, 30), dt.datetime(2026, 1, 15, 19, 30)),   # winter: UTC+1
    (dt.datetime(2026, 7, 15, 17, 30), dt.datetime(2026, 7, 15, 19, 30)),   # summer: UTC+2
    (dt.datetime(2026, 3, 29, 0, 59), dt.datetime(2026, 3, 29, 1, 59)),     # before the spring
    (dt.datetime(2026, 3, 29, 1, 0), dt.datetime(2026, 3, 29, 3, 0)),       # ... and after
])
def test_local_and_from_local_turn_stored_moments_into_dutch_time_and_back(stored, wall):
    assert clock.local(stored) == wall
    assert clock.from_local(wall) == stored


def test_from_local_takes_the_first_of_the_hour_that_happens_twice():
    # 25 October 2026: 02:30 happens at 00:30 UTC and again at 01:30 UTC.
    assert clock.from_local(dt.datetime(2026, 10, 25, 2, 30)) == dt.datetime(2026, 10, 25, 0, 30)


def test_today_is_the_dutch_day_when_utc_is_still_yesterday():
    with clock.frozen(dt.datetime(2026, 12, 31, 23, 30)):
        assert clock.today() == dt.date(2027, 1, 1)
        assert clock.local_now() == dt.datetime(2027, 1, 1, 0, 30)


def test_a_shift_over_the_autumn_change_lasts_its_real_hours():
    start, end = clock.from_local(dt.datetime(2026, 10, 25, 1, 0)), dt.datetime(2026, 10, 25, 3)
    # 01:00 to 03:00 Dutch time on the night the clocks go back is three hours of work.
    assert clock.from_local(end) - start == dt.timedelta(hours=3)


def test_frozen_stops_the_clock_and_gives_it_back():
    moment = dt.datetime(2030, 5, 1, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with clock.frozen(moment):
        assert clock.now() == dt.datetime(2030, 5, 1, 6, 0)
    assert clock.now().year != 2030 or clock.now() != dt.datetime(2030, 5, 1, 6, 0)


def test_start_of_day_is_dutch_midnight():
    assert clock.start_of_day(dt.date(2026, 7, 1)) == dt.datetime(2026, 6, 30, 22, 0)
