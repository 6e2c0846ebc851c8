"""Caseload sizes and session counts for an organisation's admins, in aggregate only.

For each cohort, the learners per coach (and without one) pass
`rapport.policy.suppress_small_groups`: a cohort smaller than `RAPPORT_MIN_GROUP_SIZE` shows
nothing, and a coach's count that could single someone out is hidden. Across the organisation,
each coach's caseload size passes the same rule, and their session counts (held or missed in
the last `PAST_DAYS` days, booked in the next `NEXT_DAYS`) are shown only beside a caseload
size that is shown. Coaches are named (they are staff whose workload this is); learners never
are, and no note, message, reflection or check-in is read here. Four queries.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from coaching.models import Booking, BookingStatus
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User

PAST_DAYS = 30
NEXT_DAYS = 30


@dataclass(frozen=True)
class CoachLine:
    """A coach's line: `learners` None when hidden; sessions None when the size is hidden."""

    name: str
    learners: int | None
    held: int | None
    upcoming: int | None


@dataclass(frozen=True)
class CohortLines:
    """A cohort's learners per coach (`unassigned`: without a coach), after suppression;
    `total` None when the cohort is too small to show anything."""

    cohort: Cohort
    total: int | None
    coaches: list[tuple[str, int | None]]
    unassigned: int | None


@dataclass(frozen=True)
class Overview:
    cohorts: list[CohortLines]
    coaches: list[CoachLine]
    threshold: int


def caseload_overview(admin: "User | Any", *, now: datetime) -> Overview:
    """The admin's organisation's caseloads in aggregate (module docstring). Nothing for
    anyone who is not an organisation admin."""
    threshold = policy.min_group_size()
    if not policy.can_manage_people(admin):
        return Overview([], [], threshold)
    membership = policy.membership_of(admin)
    assert membership is not None
    org_id = membership.organization_id
    cohorts = list(Cohort.objects.visible_to(admin).select_related("program"))
    per_cell = (
        Enrollment.objects.filter(
            organization_id=org_id, role=EnrollmentRole.LEARNER, user__is_active=True
        )
        .values("cohort_id", "coach_id", "coach__full_name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[int, dict[int | None, int]] = {}
    names: dict[int, str] = {}
    per_coach: dict[int, int] = {}
    for cell in per_cell:
        cells.setdefault(cell["cohort_id"], {})[cell["coach_id"]] = cell["n"]
        if cell["coach_id"] is not None:
            names[cell["coach_id"]] = cell["coach__full_name"]
            per_coach[cell["coach_id"]] = per_coach.get(cell["coach_id"], 0) + cell["n"]
    sessions = {
        row["coach_id"]: row
        for row in Booking.objects.filter(organization_id=org_id, coach_id__in=list(per_coach))
        .values("coach_id")
        .annotate(
            held=Count(
                "pk",
                filter=Q(
                    status__in=[BookingStatus.BOOKED, BookingStatus.MISSED],
                    starts_at__lt=now,
                    starts_at__gte=now - timedelta(days=PAST_DAYS),
                ),
            ),
            upcoming=Count(
                "pk",
                filter=Q(
                    status=BookingStatus.BOOKED,
                    starts_at__gte=now,
                    starts_at__lt=now + timedelta(days=NEXT_DAYS),
                ),
            ),
        )
        .order_by()
    }
    cohort_lines = []
    for cohort in cohorts:
        counts = cells.get(cohort.pk, {})
        if not counts:
            continue
        shown = policy.suppress_small_groups(counts)
        coaches = sorted(
            ((names[k], v) for k, v in shown.cells.items() if k is not None),
            key=lambda item: item[0],
        )
        unassigned = shown.cells.get(None) if None in counts else 0
        cohort_lines.append(
            CohortLines(cohort, shown.total, coaches if shown.total is not None else [], unassigned)
        )
    sizes = policy.suppress_small_groups(per_coach)
    coach_lines = []
    for coach_id, size in sizes.cells.items():
        row: Any = sessions.get(coach_id, {})
        coach_lines.append(
            CoachLine(
                names[coach_id],
                size,
                row.get("held", 0) if size is not None else None,
                row.get("upcoming", 0) if size is not None else None,
            )
        )
    coach_lines.sort(key=lambda line: line.name)
    return Overview(cohort_lines, coach_lines, threshold)
