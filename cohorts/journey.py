"""Read side of a learner's journey: what the This week, week and overview pages show.

The programme's outline (weeks, activities, competencies) comes, as immutable values, from the
cache in programs/outline.py; the only query here is the learner's progress on the activities
shown, so a page's query count does not depend on the size of the cohort, the programme or the
event log (asserted in cohorts/tests/test_query_counts.py).
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from cohorts.access import CohortSeat
from cohorts.models import ActivityProgress, Cohort, CohortSession, ProgressState
from programs.outline import OutlineActivity, OutlineWeek, ProgramOutline, outline_of
from rapport.compiled import CompiledQuery
from rapport.jinja2 import memoised_date_format, page_url

if TYPE_CHECKING:
    from django.db.models import QuerySet


class ItemState(StrEnum):
    NEW = "new"
    STARTED = "started"
    DONE = "done"


class WeekStatus(StrEnum):
    PAST = "past"
    CURRENT = "current"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class ActivityItem:
    activity: OutlineActivity
    progress: ActivityProgress | None
    # The cohort's own session of a live session, on the activity page (the lists leave it out).
    session: CohortSession | None = None

    @property
    def state(self) -> ItemState:
        if self.progress is None:
            return ItemState.NEW
        if self.progress.state == ProgressState.COMPLETED:
            return ItemState.DONE
        return ItemState.STARTED

    @property
    def is_done(self) -> bool:
        return self.state == ItemState.DONE


@dataclass
class WeekView:
    week: OutlineWeek
    status: WeekStatus
    starts_on: date
    activity_count: int
    items: list[ActivityItem] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.is_done)

    @property
    def next_item(self) -> ActivityItem | None:
        return next((item for item in self.items if not item.is_done), None)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.activity_count) if self.activity_count else 0


@dataclass
class Journey:
    seat: CohortSeat
    today: date
    current_number: int  # 0 before the start; past the last week once the cohort has ended
    weeks: list[WeekView]

    @property
    def total_activities(self) -> int:
        return sum(week.activity_count for week in self.weeks)

    @property
    def completed(self) -> int:
        return self.seat.enrollment.completed_count if self.seat.enrollment else 0

    @property
    def percent(self) -> int:
        total = self.total_activities
        return min(100, round(100 * self.completed / total)) if total else 0

    @property
    def has_started(self) -> bool:
        return self.current_number >= 1

    @property
    def has_ended(self) -> bool:
        return self.current_number > len(self.weeks)

    @property
    def focus_number(self) -> int:
        return _clamp_week(self.current_number, len(self.weeks))

    def week(self, number: int) -> WeekView | None:
        return next((w for w in self.weeks if w.week.number == number), None)


def _clamp_week(current: int, week_count: int) -> int:
    """The week This week shows: the current one, or week 1 before the start and the last
    week after the end."""
    return min(max(current, 1), max(week_count, 1))


def focus_week_number(cohort: Cohort, *, today: date) -> int:
    return _clamp_week(cohort.week_number_on(today), len(outline_of(cohort.program).weeks))


def _week_status(number: int, current: int) -> WeekStatus:
    if number < current:
        return WeekStatus.PAST
    if number == current:
        return WeekStatus.CURRENT
    return WeekStatus.UPCOMING


def _progress_query(
    viewer: None, enrollment_id: int, activity_ids: tuple[int, ...]
) -> "QuerySet[ActivityProgress]":
    return ActivityProgress.objects.filter(
        enrollment_id=enrollment_id, activity_id__in=activity_ids
    ).only("id", "activity_id", "state", "position_seconds", "completed_at")


# The same statement for every learner and week of a programme: compiled once per process and
# number of activities (rapport/compiled.py). The enrolment is the seat's own, so the rows are
# the person's own progress.
progress_query = CompiledQuery(_progress_query)


def _progress_by_activity(seat: CohortSeat, activity_ids: list[int]) -> dict[int, ActivityProgress]:
    if seat.enrollment is None or not activity_ids:
        return {}
    rows = progress_query(None, seat.enrollment.pk, tuple(activity_ids))
    return {row.activity_id: row for row in rows}


def load_journey(seat: CohortSeat, *, today: date, week_numbers: set[int] | None = None) -> Journey:
    """The journey for one seat, with activities (and progress) for `week_numbers`, or for all
    weeks when None. The outline comes from the cache; the learner's progress is one query."""
    cohort = seat.cohort
    outline = outline_of(cohort.program)
    current = cohort.week_number_on(today)
    views = {
        week.number: WeekView(
            week=week,
            status=_week_status(week.number, current),
            starts_on=cohort.week_starts_on(week.number),
            activity_count=outline.activity_count(week.number),
        )
        for week in outline.weeks
    }
    shown = [
        activity
        for week in outline.weeks
        if week_numbers is None or week.number in week_numbers
        for activity in outline.activities(week.number)
    ]
    progress = _progress_by_activity(seat, [a.pk for a in shown])
    for activity in shown:
        views[activity.week.number].items.append(
            ActivityItem(activity=activity, progress=progress.get(activity.pk))
        )
    return Journey(seat=seat, today=today, current_number=current, weeks=list(views.values()))


def week_outline(activity: OutlineActivity, outline: ProgramOutline) -> tuple[OutlineActivity, ...]:
    """The activities of an activity's week, in order, for previous/next links."""
    return outline.activities(activity.week.number)


@dataclass(frozen=True, slots=True)
class OverviewWeek:
    """One week of the journey overview, as its template writes it: computed once per page, so
    the template does not resolve the same values for every activity (docs/performance.md,
    round 5). Strings are plain text, escaped by the template like any other value."""

    status: str  # a WeekStatus value
    number: int
    dates: str  # the week's first and last day ("j M"), joined by an en dash, in the language
    url: str
    title: str
    summary: str
    done_count: int
    activity_count: int
    # One per activity, in order: (the state its dot shows — "started", "done", or "" for none
    # or for a preview —, its page's address, its title, its kind's name, whether it shows
    # "done"). A learner's own progress only; previews show no state.
    lines: tuple[tuple[str, str, str, str, bool], ...]


def overview_weeks(journey: Journey) -> list[OverviewWeek]:
    """The journey overview's weeks, each with the activities `journey` holds for it (load it
    with every week). A pure function of the journey, the active language and the URLconf."""
    cohort = journey.seat.cohort
    cohort_id = cohort.public_id
    learner = journey.seat.is_learner
    url = page_url()
    rows = []
    for view in journey.weeks:
        number = view.week.number
        lines = []
        done_count = 0
        for item in view.items:
            state = item.state
            done = state is ItemState.DONE
            done_count += done
            activity = item.activity
            lines.append(
                (
                    state.value if learner and state is not ItemState.NEW else "",
                    url("cohorts:activity", cohort_id, activity.public_id),
                    activity.title,
                    activity.kind_label,
                    learner and done,
                )
            )
        starts_on = view.starts_on
        rows.append(
            OverviewWeek(
                status=view.status.value,
                number=number,
                dates=f"{memoised_date_format(starts_on, 'j M')} \u2013 "
                f"{memoised_date_format(cohort.week_ends_on(number), 'j M')}",
                url=url("cohorts:week", cohort_id, number),
                title=view.week.title,
                summary=view.week.summary,
                done_count=done_count,
                activity_count=view.activity_count,
                lines=tuple(lines),
            )
        )
    return rows
