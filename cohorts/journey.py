"""Read side of a learner's journey: what the This week, week and overview pages show.

Each function makes a fixed number of queries whatever the size of the cohort, the programme or
the event log (asserted in tests/test_query_counts.py):
weeks with their activity counts (1), the activities shown (1, +1 for competencies), and the
learner's progress on them (1).
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Count, Prefetch

from cohorts.access import CohortSeat
from cohorts.models import ActivityProgress, ProgressState
from organizations.models import Competency
from programs.models import Activity, Week


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
    activity: Activity
    progress: ActivityProgress | None

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
    week: Week
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
        """The week This week shows: the current one, clamped to the programme."""
        return min(max(self.current_number, 1), max(len(self.weeks), 1))

    def week(self, number: int) -> WeekView | None:
        return next((w for w in self.weeks if w.week.number == number), None)


def _week_status(number: int, current: int) -> WeekStatus:
    if number < current:
        return WeekStatus.PAST
    if number == current:
        return WeekStatus.CURRENT
    return WeekStatus.UPCOMING


def _progress_by_activity(seat: CohortSeat, activity_ids: list[int]) -> dict[int, ActivityProgress]:
    if seat.enrollment is None or not activity_ids:
        return {}
    rows = ActivityProgress.objects.filter(
        enrollment=seat.enrollment, activity_id__in=activity_ids
    ).only("id", "activity_id", "state", "position_seconds", "completed_at")
    return {row.activity_id: row for row in rows}


def load_journey(seat: CohortSeat, *, today: date, week_numbers: set[int] | None = None) -> Journey:
    """The journey for one seat, with activities (and progress) for `week_numbers`, or for all
    weeks when None."""
    cohort = seat.cohort
    weeks = list(
        Week.objects.filter(program_id=cohort.program_id)
        .annotate(activity_count=Count("activities"))
        .order_by("number")
    )
    current = cohort.week_number_on(today)
    views = {
        w.number: WeekView(
            week=w,
            status=_week_status(w.number, current),
            starts_on=cohort.week_starts_on(w.number),
            activity_count=w.activity_count,  # type: ignore[attr-defined]
        )
        for w in weeks
    }
    wanted = [w.pk for w in weeks if week_numbers is None or w.number in week_numbers]
    if wanted:
        activities = list(
            Activity.objects.filter(week_id__in=wanted)
            .select_related("week")
            .prefetch_related(
                Prefetch("competencies", queryset=Competency.objects.only("id", "name"))
            )
            .order_by("week__number", "position", "id")
        )
        progress = _progress_by_activity(seat, [a.pk for a in activities])
        for activity in activities:
            views[activity.week.number].items.append(
                ActivityItem(activity=activity, progress=progress.get(activity.pk))
            )
    return Journey(seat=seat, today=today, current_number=current, weeks=list(views.values()))


def week_outline(activity: Activity) -> list[Activity]:
    """The activities of an activity's week, light, for previous/next links."""
    return list(
        Activity.objects.filter(week_id=activity.week_id)
        .order_by("position", "id")
        .only("id", "public_id", "title", "kind", "position")
    )
