"""iCalendar (.ics) invites for live sessions."""

from datetime import datetime

from django.utils import timezone
from icalendar import Calendar, Event


def session_invite(
    *,
    uid: str,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    url: str = "",
    sequence: int = 0,
    last_modified: datetime | None = None,
) -> bytes:
    """One VEVENT in a VCALENDAR, as bytes (RFC 5545).

    `uid` must stay the same for the life of the event and `sequence` must grow each time its
    time or place changes: calendar programs then replace the copy they hold instead of adding
    a second event (RFC 5545 §3.8.4.7 and §3.8.7.4). DTSTAMP is when this file was made.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Rapport//Live sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    if last_modified is not None:
        event.add("last-modified", last_modified)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", title)
    event.add("description", description)
    if url:
        event.add("url", url)
        event.add("location", url)
    calendar.add_component(event)
    return calendar.to_ical()
