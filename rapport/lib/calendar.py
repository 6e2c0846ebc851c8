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
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Rapport//Live sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", title)
    event.add("description", description)
    if url:
        event.add("url", url)
        event.add("location", url)
    calendar.add_component(event)
    return calendar.to_ical()
