"""Office hours in My sessions (coaching.calendar.register_calendar_source): the upcoming office
hours of the person's cohorts, one query."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from coaching.calendar import CalendarEntry
from experts.access import office_hours_of


def office_hours_entries(user: Any, now: datetime) -> list[CalendarEntry]:
    """Each upcoming office hour the person sees, as a My sessions entry linking to its
    thread (where its `.ics` invite is). One query."""
    return [
        CalendarEntry(
            starts_at=thread.starts_at,
            ends_at=thread.ends_at,
            kind="office_hours",
            title=thread.title,
            join_url=thread.video_url,
            cohort_name=thread.cohort.name,
            url=reverse("experts:thread", args=[thread.public_id]),
            badge=_("Office hours"),
        )
        for thread in office_hours_of(user, now=now)
        if thread.starts_at is not None and thread.ends_at is not None
    ]
