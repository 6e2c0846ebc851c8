"""Builders for the reflections tests: entries written through the app's own actions."""

from typing import Any

from cohorts.access import get_activity_in_seat, get_seat_for_user
from cohorts.models import Cohort
from programs.models import Activity
from reflections.access import learner_seats
from reflections.actions import write_entry
from reflections.models import Entry, EntryKind, Visibility


def seat_of(user: Any, cohort: Cohort) -> Any:
    """The person's learner seat in the cohort, loaded as the views load it."""
    return next(s for s in learner_seats(user) if s.cohort_id == cohort.pk)


def outline(user: Any, cohort: Cohort, activity: Activity) -> Any:
    seat = get_seat_for_user(user, cohort.public_id)
    return get_activity_in_seat(seat, activity.public_id)


def free_entry(
    user: Any, cohort: Cohort, *, body: str, visibility: str = Visibility.PRIVATE, title: str = ""
) -> Entry:
    entry, _ = write_entry(
        seat_of(user, cohort), kind=EntryKind.FREE, body=body, title=title, visibility=visibility
    )
    return entry


def mission_reflection(
    user: Any, cohort: Cohort, activity: Activity, *, happened: str, visibility: str = "private"
) -> Entry:
    entry, _ = write_entry(
        seat_of(user, cohort),
        kind=EntryKind.MISSION,
        activity=outline(user, cohort, activity),
        answers={"happened": happened, "noticed": "", "learned": "", "next_step": ""},
        visibility=visibility,
    )
    return entry
