"""The one clock of Peer'M.

Every moment is stored in UTC, without an offset (`now()`), and shown as Dutch wall-clock
time (`local()`), because the network lives in the Netherlands. A day ("today", a claim's
date, a loan's due date) is a Dutch calendar day. Times people type in a form are Dutch
wall-clock times (`from_local()`); times a phone sends carry their own offset
(`from_aware()`). Nothing else in the app asks the system for the time, so that tests can
stop the clock (`frozen()`) and every process agrees.
"""
import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

NETWORK_TZ = ZoneInfo("Europe/Amsterdam")
UTC = dt.timezone.utc

# Set by `frozen()` in tests: the moment every thread of this process sees as now.
_frozen_at = None


def now():
    """This moment in UTC, to the second, as moments are stored."""
    moment = _frozen_at or dt.datetime.now(UTC)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def local(moment):
    """A stored moment as Dutch wall-clock time (None stays None)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(NETWORK_TZ).replace(tzinfo=None)


def local_now():
    """Dutch wall-clock time now: what a form fills in as "now"."""
    return local(now())


def today():
    """The Dutch calendar day of this moment."""
    return local_now().date()


def from_local(wall):
    """A Dutch wall-clock time (as typed in a form) as a stored moment. In the hour that
    happens twice in autumn, the first one is meant."""
    if wall is None:
        return None
    return wall.replace(tzinfo=NETWORK_TZ, fold=0).astimezone(UTC).replace(tzinfo=None)


def from_aware(moment):
    """A time with an offset (as a phone sends it) as a stored moment."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def start_of_day(day):
    """The stored moment at which a Dutch calendar day begins."""
    return from_local(dt.datetime.combine(day, dt.time()))


@contextmanager
def frozen(moment):
    """Stop the clock of this process at a moment (aware, or naive UTC), for a test."""
    global _frozen_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    previous, _frozen_at = _frozen_at, moment
    try:
        yield
    finally:
        _frozen_at = previous
