"""What coordinators do with events: write one (or a series of dates at once), change one,
call one off, and let people move up when there are more places. Each service runs in the
caller's `write_transaction()`, locks the event first, and raises `EventError` with a stable
code; nothing is changed when it does.

Times are typed as Dutch wall-clock times ("2026-12-20T12:00", what `<input
type="datetime-local">` sends) and stored in UTC through `peerm.core.clock`.
"""
import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..core import clock
from ..core.validation import text, whole_number
from ..initiatives.models import Initiative
from ..permissions import may_write_event
from .models import EVENT_KINDS, Event, Signup
from .services import EventError, find_event, promote

# Limits of what a coordinator types.
TITLE_MAX = 200
SUMMARY_MAX = 4000
PLACE_MAX = 160
URL_MAX = 500
CAPACITY_MAX = 10000
# An event lasts at most this long (a typing slip in the end date is caught).
LONGEST = dt.timedelta(days=3)
# Series: how the dates repeat, in months between two dates, and how many dates at most.
REPEATS = {"monthly": 1, "seasons": 3}
SERIES_MAX = 24
SEASONS = 4


@dataclass
class EventForm:
    """What a coordinator typed, read into plain values (the form shows them again when a
    value is refused)."""
    initiative: object = None
    kind: str = "local"
    title_nl: str = ""
    title_en: str = ""
    summary_nl: str = ""
    summary_en: str = ""
    theme_nl: str = ""
    theme_en: str = ""
    place: str = ""
    starts_at: object = None
    ends_at: object = None
    capacity: object = None
    signup_open: bool = True
    online_url: str = ""
    recording_url: str = ""
    repeat: str = ""
    count: object = None
    raw: dict = field(default_factory=dict)


def read_form(form, person, event=None):
    """The form's values, checked one by one; raises `EventError` at the first bad one."""
    raw = {key: (text(form.get(key)) or "").strip() for key in (
        "initiative", "kind", "title_nl", "title_en", "summary_nl", "summary_en", "theme_nl",
        "theme_en", "place", "starts_at", "ends_at", "capacity", "online_url",
        "recording_url", "repeat", "count")}
    raw["signup_open"] = bool(form.get("signup_open"))
    values = EventForm(raw=raw, signup_open=raw["signup_open"])
    if event is None:
        values.initiative = _initiative(raw["initiative"], person)
    else:
        values.initiative = event.initiative
    if raw["kind"] not in EVENT_KINDS:
        raise EventError(_("Choose what kind of event this is."), "kind_invalid")
    values.kind = raw["kind"]
    values.title_nl = _required(raw["title_nl"], TITLE_MAX, _("Write a title in Dutch."),
                                "title_missing")
    values.title_en = _optional(raw["title_en"], TITLE_MAX)
    values.summary_nl = _required(raw["summary_nl"], SUMMARY_MAX,
                                  _("Write in Dutch what happens at the event."),
                                  "summary_missing")
    values.summary_en = _optional(raw["summary_en"], SUMMARY_MAX)
    values.theme_nl = _optional(raw["theme_nl"], TITLE_MAX)
    values.theme_en = _optional(raw["theme_en"], TITLE_MAX)
    values.online_url = _link(raw["online_url"], "online_url_invalid")
    values.recording_url = _link(raw["recording_url"], "recording_invalid")
    if values.kind == "social_talk":
        values.place = _optional(raw["place"], PLACE_MAX) or "Online"
    else:
        values.place = _required(raw["place"], PLACE_MAX,
                                 _("Write the address where the event takes place."),
                                 "place_missing")
    values.starts_at = _moment(raw["starts_at"], _("Fill in when the event starts."))
    values.ends_at = _moment(raw["ends_at"], _("Fill in when the event ends."))
    if values.ends_at <= values.starts_at:
        raise EventError(_("The end is before the start. Check both times."), "ends_before_start")
    if values.ends_at - values.starts_at > LONGEST:
        raise EventError(_("An event lasts at most three days. Check the end date."),
                         "too_long")
    if raw["capacity"]:
        values.capacity = whole_number(raw["capacity"], CAPACITY_MAX)
        if values.capacity is None or values.capacity < 1:
            raise EventError(_("The number of places is a whole number from 1 to %(max)d, or "
                               "empty for no limit.", max=CAPACITY_MAX), "capacity_invalid")
    if event is None and raw["repeat"]:
        if raw["repeat"] not in REPEATS:
            raise EventError(_("Choose how the dates repeat."), "repeat_invalid")
        values.repeat = raw["repeat"]
        values.count = SEASONS if values.repeat == "seasons" else whole_number(raw["count"], SERIES_MAX)
        if values.count is None or not 2 <= values.count <= SERIES_MAX:
            raise EventError(_("A series has 2 to %(max)d dates.", max=SERIES_MAX),
                             "count_invalid")
    return values


def _initiative(slug, person):
    """The organising co-operative chosen in the form ("" for the whole network), if this
    person may write its events."""
    initiative = Initiative.get_or_none(Initiative.slug == slug) if slug else None
    if slug and initiative is None or not may_write_event(person, initiative):
        raise EventError(_("You cannot write events for this co-operative."), "not_allowed")
    return initiative


def _required(value, limit, message, code):
    if not value:
        raise EventError(message, code)
    return _optional(value, limit)


def _optional(value, limit):
    if len(value) > limit:
        raise EventError(_("This text is too long: at most %(max)d characters.", max=limit),
                         "too_long_text")
    return value


def _link(value, code):
    if value and not (value.startswith("https://") and len(value) <= URL_MAX
                      and " " not in value):
        raise EventError(_("A link starts with https:// and has no spaces."), code)
    return value


def _moment(value, message):
    """A Dutch wall-clock time as typed ("2026-12-20T12:00" or "2026-12-20 12:00")."""
    if not value:
        raise EventError(message, "time_missing")
    try:
        wall = dt.datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        raise EventError(_("Write a date and time like 20-12-2026 12:00."), "time_invalid")
    if wall.tzinfo is not None or not 2000 <= wall.year <= 2100:
        raise EventError(_("Write a date and time like 20-12-2026 12:00."), "time_invalid")
    return clock.from_local(wall.replace(second=0, microsecond=0))


def _not_past(starts_at, now):
    if starts_at <= now:
        raise EventError(_("This date is in the past. Choose a date that is still to come."),
                         "date_past")


def _fields(values):
    return dict(kind=values.kind, title_nl=values.title_nl, title_en=values.title_en,
                summary_nl=values.summary_nl, summary_en=values.summary_en,
                theme_nl=values.theme_nl, theme_en=values.theme_en, place=values.place,
                capacity=values.capacity, signup_open=values.signup_open,
                online_url=values.online_url, recording_url=values.recording_url)


def series_dates(starts_at, months, count):
    """The starts of a series: the same weekday of the month as the first date (the first
    Thursday, the third Saturday…) at the same Dutch time, every `months` months. A month
    without a fifth such weekday takes its last one."""
    first = clock.local(starts_at)
    nth = (first.day - 1) // 7
    dates = []
    for step in range(count):
        month_index = first.month - 1 + step * months
        year, month = first.year + month_index // 12, month_index % 12 + 1
        days = [day for day in range(1, calendar.monthrange(year, month)[1] + 1)
                if dt.date(year, month, day).weekday() == first.weekday()]
        day = days[min(nth, len(days) - 1)]
        dates.append(clock.from_local(first.replace(year=year, month=month, day=day)))
    return dates


def create_event(values, now=None):
    """Make an event, or every date of a series at once; returns the events made."""
    now = now or clock.now()
    _not_past(values.starts_at, now)
    if not values.repeat:
        return [Event.create(initiative=values.initiative, starts_at=values.starts_at,
                             ends_at=values.ends_at, **_fields(values))]
    length = values.ends_at - values.starts_at
    series = uuid.uuid4().hex
    return [Event.create(initiative=values.initiative, starts_at=start, ends_at=start + length,
                         series=series, **_fields(values))
            for start in series_dates(values.starts_at, REPEATS[values.repeat], values.count)]


def update_event(event_id, values, now=None):
    """Change one event (one date of a series stays apart from the others). More places let
    people move up from the waiting list, first come first; fewer than the places already
    taken are refused."""
    now = now or clock.now()
    event = find_event(event_id, lock=True)
    if event.is_cancelled:
        raise EventError(_("This event is cancelled and cannot be changed any more."),
                         "event_cancelled")
    if values.starts_at != event.starts_at:
        _not_past(values.starts_at, now)
    taken = event.seats_taken()
    if values.capacity is not None and values.capacity < taken:
        raise EventError(_("%(num)d people have a place already, so there cannot be fewer "
                           "than %(num)d places.", num=taken), "capacity_below_signups")
    for name, value in _fields(values).items():
        setattr(event, name, value)
    event.starts_at, event.ends_at = values.starts_at, values.ends_at
    event.save()
    promoted = promote(event, now)
    return event, promoted


def cancel_event(event_id, now=None):
    """Call an event off. The sign-ups stay (so that every phone can tell its person); returns
    the event and those who left a way to reach them, for the coordinator to tell."""
    now = now or clock.now()
    event = find_event(event_id, lock=True)
    if event.is_cancelled:
        raise EventError(_("This event was already cancelled."), "event_cancelled")
    if event.has_ended(now):
        raise EventError(_("This event is over, so it cannot be cancelled any more."),
                         "event_past")
    event.cancelled_at = now
    event.save()
    return event, list(to_tell(event))


def to_tell(event):
    """Those signed up (or waiting) who left a phone number or e-mail address."""
    return (Signup.select().where((Signup.event == event) & (Signup.contact != "")
                                  & (Signup.status != "cancelled"))
            .order_by(Signup.id))
