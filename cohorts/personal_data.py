"""A person's seats in cohorts and their progress, for their export and erasure
(`accounts.personal_data`)."""

from typing import Any

from accounts.models import User
from accounts.personal_data import iso, label_of
from cohorts.models import ActivityProgress, Enrollment, EnrollmentRole, ProgressState


def export_cohorts(user: User) -> list[dict[str, Any]]:
    """Each seat (cohort, programme, role, coach's name as the journey shows it, activities
    done) with the progress on each activity (state, media position, dates). Two queries."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("cohort__program", "coach")
        .order_by("enrolled_at", "id")
    )
    progress: dict[int, list[dict[str, Any]]] = {e.pk: [] for e in enrollments}
    for row in (
        ActivityProgress.objects.filter(enrollment__user=user)
        .select_related("activity__week")
        .order_by("activity__week__number", "activity__position", "id")
    ):
        progress.setdefault(row.enrollment_id, []).append(
            {
                "activity": f"Week {row.activity.week.number} · {row.activity.title}",
                "state": label_of(ProgressState, row.state),
                "position_seconds": row.position_seconds,
                "started_at": iso(row.started_at),
                "completed_at": iso(row.completed_at),
                "last_viewed_on": iso(row.viewed_on),  # the day of the last `viewed` recorded
            }
        )
    return [
        {
            "cohort": enrollment.cohort.name,
            "programme": enrollment.cohort.program.title,
            "role": label_of(EnrollmentRole, enrollment.role),
            "coach": enrollment.coach.full_name if enrollment.coach else None,
            "activities_done": enrollment.completed_count,
            "enrolled_at": iso(enrollment.enrolled_at),
            "progress": progress.get(enrollment.pk, []),
        }
        for enrollment in enrollments
    ]


def erase_cohorts(user: User) -> int:
    """Seats and progress hold nothing the person typed: they stay, attached to the now
    anonymous account, so a cohort's numbers of learners and of activities done still count
    them. Returns 0 (nothing deleted or anonymised here)."""
    return 0
