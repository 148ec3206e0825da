"""Events as iCalendar (RFC 5545) text, for one event's `.ics` file and the subscribable feed."""

from flask import request

from ..core import clock

PRODID = "-//Peer'M//Initiatief.nu//NL"


def _escape(text):
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def ics(events, url_of):
    """A calendar with these events; `url_of(event)` gives each event's page."""
    stamp = _utc(clock.now())
    host = request.host.split(":")[0]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Peer'M"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.ends_at)}",
            f"SUMMARY:{_escape(event.title)}",
            f"DESCRIPTION:{_escape(event.summary)}",
            f"LOCATION:{_escape(event.online_url or event.place)}",
            f"URL:{url_of(event)}",
            # A cancelled event stays in the feed, so that subscribed calendars drop it.
            f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
