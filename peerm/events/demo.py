"""The events' demo data: a year of coming events, placed on their next date, and the Social
Talks that took place."""
import datetime as dt

from ..core import clock
from ..initiatives.demo import by_slug
from .models import Event
from .seed import EVENTS, PAST_TALKS, PICNIC_SERIES

# Places at the demo events, by kind (None: an online talk has no limit).
DEMO_CAPACITY = {"national_day": 300, "picnic": 60, "sociallab": 25, "social_talk": None,
                 "local": 12}


def load(today=None):
    """Add the demo events that are missing; returns how many were added."""
    today = today or clock.today()
    slugs = by_slug()
    added = 0
    for item in EVENTS:
        if Event.get_or_none(Event.seed_key == item["key"]):
            continue
        if "months_ahead" in item:
            # A date of the monthly series: the first Thursday of a coming month.
            day = first_thursday(today, item["months_ahead"])
        else:
            day = next_occurrence(today, item["month"], item["day"])
        Event.create(
            seed_key=item["key"], kind=item["kind"],
            initiative=slugs.get(item["initiative"]) if item["initiative"] else None,
            title_nl=item["title_nl"], title_en=item["title_en"],
            summary_nl=item["summary_nl"], summary_en=item["summary_en"],
            place=item["city"],
            starts_at=_at(day, item["start"]), ends_at=_at(day, item["end"]),
            capacity=DEMO_CAPACITY[item["kind"]],
            theme_nl=item.get("theme_nl", ""), theme_en=item.get("theme_en", ""),
            online_url=item.get("online_url", ""),
            series=PICNIC_SERIES if item["kind"] == "picnic" else item.get("series"),
        )
        added += 1
    for talk in PAST_TALKS:
        if Event.get_or_none(Event.seed_key == talk["key"]):
            continue
        day = dt.date.fromisoformat(talk["date"])
        Event.create(
            seed_key=talk["key"], kind="social_talk", place="Online",
            title_nl=talk["title_nl"], title_en=talk["title_en"],
            summary_nl="Online gesprek met sprekers en ervaringsdeskundigen.",
            summary_en="An online talk with speakers and experts by experience.",
            theme_nl=talk["theme_nl"], theme_en=talk["theme_en"],
            starts_at=_at(day, "20:00"), ends_at=_at(day, "21:00"))
    return {"events": added}


def first_thursday(today, months_ahead):
    """The first Thursday of the month `months_ahead` after this one."""
    index = today.month - 1 + months_ahead
    month = dt.date(today.year + index // 12, index % 12 + 1, 1)
    return month + dt.timedelta(days=(3 - month.weekday()) % 7)


def next_occurrence(today, month, day):
    """The first date on or after today that falls on this month and day (29 February waits
    for the next leap year)."""
    year = today.year
    while True:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year += 1


def _at(day, time_of_day):
    """A Dutch wall-clock time on a day ("20:00"), as a stored moment."""
    hours, minutes = (int(part) for part in time_of_day.split(":"))
    return clock.from_local(dt.datetime.combine(day, dt.time(hours, minutes)))
