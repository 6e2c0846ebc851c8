"""iCalendar (.ics): invites for live sessions (published) and scheduling messages for
coaching sessions (iTIP requests and cancellations)."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    # icalendar is imported when an invite is made, not when Django starts: the coaching
    # tasks import this module, so every process paid for it at its start (about 0.08 s).
    from icalendar import Calendar, Event


def _calendar_with_event(
    *,
    prodid: str,
    method: str,
    uid: str,
    sequence: int,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    url: str,
    last_modified: datetime | None,
) -> "tuple[Calendar, Event]":
    """A VCALENDAR of `method` holding one VEVENT with the fields both kinds of invite share
    (the caller adds its own and then `calendar.add_component(event)`). DTSTAMP is now."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
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
    return calendar, event


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
    calendar, event = _calendar_with_event(
        prodid="-//Rapport//Live sessions//EN",
        method="PUBLISH",
        uid=uid,
        sequence=sequence,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        url=url,
        last_modified=last_modified,
    )
    calendar.add_component(event)
    return calendar.to_ical()


def scheduling_message(
    *,
    method: str,
    uid: str,
    sequence: int,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    organizer: tuple[str, str],
    attendees: list[tuple[str, str]],
    url: str = "",
    last_modified: datetime | None = None,
) -> bytes:
    """An iTIP scheduling message (RFC 5546) for one event, as bytes, to send by email (iMIP,
    RFC 6047) as a `text/calendar; method=…` part.

    - `method`: "REQUEST" (a new event, or a change to one: the same `uid` with a higher
      `sequence` replaces what the calendar holds) or "CANCEL" (the event is off: STATUS is
      CANCELLED).
    - `organizer` and each of `attendees`: (name, email address). Attendees of a REQUEST are
      asked to reply (RSVP); a CANCEL names the same attendees.
    - Times are aware datetimes, written in UTC (no VTIMEZONE needed, every program reads them).
    Raises ValueError for another method or a missing organizer or attendee.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    if not organizer[1] or not attendees or not all(email for _, email in attendees):
        raise ValueError("an iTIP message needs an organizer and attendees with addresses")
    calendar, event = _calendar_with_event(
        prodid="-//Rapport//Coaching sessions//EN",
        method=method,
        uid=uid,
        sequence=sequence,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        url=url,
        last_modified=last_modified,
    )
    from icalendar import vCalAddress

    event.add("organizer", vCalAddress(f"mailto:{organizer[1]}"), parameters={"cn": organizer[0]})
    for name, email in attendees:
        event.add(
            "attendee",
            vCalAddress(f"mailto:{email}"),
            parameters={
                "cn": name,
                "role": "REQ-PARTICIPANT",
                "partstat": "NEEDS-ACTION",
                "rsvp": "TRUE" if method == "REQUEST" else "FALSE",
            },
        )
    event.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
