"""The Dutch tax-free limits of the volunteer allowance (vrijwilligersvergoeding).

An allowance stays tax-free only while all three caps hold — per hour, per month and per
year — added up over every organisation the volunteer works for. Going over makes the whole
allowance taxable. Itemised costs (receipts, a kilometre log) are paid on top and do not count;
flat cost payments do. Amounts in euro cents, one row per year.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Caps:
    hour: int
    hour_under_21: int
    month: int
    year: int


CAPS_BY_YEAR = {
    2025: Caps(hour=560, hour_under_21=330, month=21000, year=210000),
    2026: Caps(hour=575, hour_under_21=340, month=22000, year=220000),
}


class UnknownYear(LookupError):
    """No caps are known for this year yet: add its row to CAPS_BY_YEAR."""


def caps_for(year):
    """The caps of a year; a year after the last known one uses the last known caps."""
    if year in CAPS_BY_YEAR:
        return CAPS_BY_YEAR[year]
    known = sorted(CAPS_BY_YEAR)
    if year > known[-1]:
        return CAPS_BY_YEAR[known[-1]]
    raise UnknownYear(year)


@dataclass(frozen=True)
class CapCheck:
    """What a new allowance would do to the caps; `passed` names the caps it would go over."""
    year: int
    hourly_cents: int | None
    month_total: int
    year_total: int
    caps: Caps
    under_21: bool
    passed: tuple

    @property
    def ok(self):
        return not self.passed


def check(year, month_total, year_total, hourly_cents=None, under_21=False):
    """Compare totals (including the new allowance) with the caps of their year.

    `hourly_cents` is the allowance per hour worked, when it is paid by the hour or can be
    worked out; None when no hours are known.
    """
    caps = caps_for(year)
    hour_cap = caps.hour_under_21 if under_21 else caps.hour
    passed = []
    if hourly_cents is not None and hourly_cents > hour_cap:
        passed.append("hour")
    if month_total > caps.month:
        passed.append("month")
    if year_total > caps.year:
        passed.append("year")
    return CapCheck(year, hourly_cents, month_total, year_total, caps, under_21, tuple(passed))
