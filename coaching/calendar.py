"""My sessions: one person's upcoming coaching sessions (1:1 and with their circle) and their
cohorts' live sessions, in one list in time order. A fixed number of queries whatever the
number of sessions or cohorts (coaching/tests/test_pages.py counts them)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from coaching.access import bookings_of, group_sessions_of
from coaching.models import Booking, GroupSession
from cohorts.models import CohortSession, Enrollment
from programs.models import Activity, ActivityKind

# Live sessions stay in the list this long after they end (someone joining late finds the link).
LIVE_GRACE = timedelta(minutes=0)


@dataclass(frozen=True)
class CalendarEntry:
    """One line of My sessions: a coaching session (`booking`) or a cohort's live session
    (`title`, `cohort_name`), with aware UTC times and the link to join."""

    starts_at: datetime
    ends_at: datetime
    kind: str  # "coaching", "group" (a circle session) or "live"
    title: str
    join_url: str
    booking: Booking | None = None
    group: GroupSession | None = None
    cohort_name: str = ""
    activity_id: Any = None
    cohort_id: Any = None
    # An entry from a registered source (an app above coaching): its page and its badge.
    url: str = ""
    badge: str = ""


# Apps above coaching add their sessions to My sessions without coaching importing them: a
# source is a function (person, now) -> entries ahead, in a fixed number of queries; it is
# registered in the app's AppConfig.ready() (experts: office hours).
CalendarSource = Callable[[Any, datetime], list[CalendarEntry]]
_SOURCES: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> None:
    """Add `source`'s entries to every person's My sessions (once, however often called)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def live_sessions_of(user: Any, *, now: datetime) -> list[CalendarEntry]:
    """The live sessions still ahead in the cohorts the person has a seat in: each cohort's own
    time where one was set (cohorts.CohortSession), else the activity's default for the
    cohort's week. Three queries: seats, live-session activities, sessions."""
    seats = list(Enrollment.objects.visible_to(user).filter(user=user).select_related("cohort"))
    if not seats:
        return []
    cohorts = {seat.cohort_id: seat.cohort for seat in seats}
    programs = {cohort.program_id for cohort in cohorts.values()}
    activities = list(
        Activity.objects.filter(week__program_id__in=programs, kind=ActivityKind.LIVE_SESSION)
        .select_related("week")
        .order_by("pk")
    )
    if not activities:
        return []
    stored = {
        (s.cohort_id, s.activity_id): s
        for s in CohortSession.objects.visible_to(user).filter(cohort_id__in=cohorts)
    }
    entries = []
    for cohort in cohorts.values():
        for activity in activities:
            if activity.week.program_id != cohort.program_id:
                continue
            session = stored.get((cohort.pk, activity.pk))
            if session is not None:
                starts_at, minutes = session.starts_at, session.duration_minutes
                url = session.video_url or activity.external_url
            else:
                default = activity.default_session_start(
                    cohort.week_starts_on(activity.week.number)
                )
                if default is None:
                    continue
                starts_at, minutes, url = default, activity.session_minutes, activity.external_url
            ends_at = starts_at + timedelta(minutes=minutes)
            if ends_at + LIVE_GRACE <= now:
                continue
            entries.append(
                CalendarEntry(
                    starts_at=starts_at,
                    ends_at=ends_at,
                    kind="live",
                    title=activity.title,
                    join_url=url,
                    cohort_name=cohort.name,
                    activity_id=activity.public_id,
                    cohort_id=cohort.public_id,
                )
            )
    return entries


def my_calendar(user: Any, *, now: datetime) -> list[CalendarEntry]:
    """Coaching sessions (1:1 and circle), live sessions and the registered sources' entries
    ahead, soonest first. Five queries, and each source's own (office hours: one)."""
    entries = [
        CalendarEntry(
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            kind="coaching",
            title="",
            join_url=booking.video_url,
            booking=booking,
        )
        for booking in bookings_of(user, now=now)
    ]
    entries.extend(
        CalendarEntry(
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            kind="group",
            title=session.circle.name,
            join_url=session.video_url,
            group=session,
            cohort_name=session.circle.cohort.name,
        )
        for session in group_sessions_of(user, now=now)
    )
    entries.extend(live_sessions_of(user, now=now))
    for source in _SOURCES:
        entries.extend(source(user, now))
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.kind))
