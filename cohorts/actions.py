"""Writes of the cohorts domain. Each is atomic and records the event it stands for."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cohorts.models import ActivityProgress, Cohort, Enrollment, EnrollmentRole, ProgressState
from events.actions import record_event
from events.models import ObjectType, Verb

if TYPE_CHECKING:
    from accounts.models import User
    from programs.models import Activity

MAX_MEDIA_SECONDS = 24 * 60 * 60


def enroll(
    user: "User",
    *,
    cohort: Cohort,
    role: EnrollmentRole = EnrollmentRole.LEARNER,
    coach: "User | None" = None,
) -> tuple[Enrollment, bool]:
    """Put a person in a cohort, or update their role and coach. Returns (enrollment, created).

    Idempotent, so importing the same list twice changes nothing.
    """
    enrollment, created = Enrollment.objects.get_or_create(
        cohort=cohort, user=user, defaults={"role": role, "coach": coach}
    )
    if not created and (enrollment.role != role or enrollment.coach_id != (coach and coach.pk)):
        enrollment.role = role
        enrollment.coach = coach
        enrollment.save(update_fields=["role", "coach"])
    return enrollment, created


def bulk_enroll(cohort: Cohort, *, learners: "list[tuple[User, int | None]]") -> list[Enrollment]:
    """Enroll many new learners at once, as (person, coach id) pairs: the rows `enroll` makes,
    in one insert. Preconditions: none of them is in the cohort yet (the CSV import checks)."""
    # bulk_create skips Enrollment.save, so the organisation it copies is set here.
    return Enrollment.objects.bulk_create(
        Enrollment(
            organization_id=cohort.organization_id,
            cohort=cohort,
            user=user,
            role=EnrollmentRole.LEARNER,
            coach_id=coach_id,
        )
        for user, coach_id in learners
    )


def _activity_event(
    enrollment: Enrollment,
    activity: "Activity",
    verb: Verb,
    result: dict[str, int | float | bool] | None = None,
) -> None:
    record_event(
        enrollment.user,
        verb=verb,
        object_type=ObjectType.ACTIVITY,
        object_id=activity.public_id,
        cohort=enrollment.cohort,
        registration=enrollment.public_id,
        result=result,
    )


def record_visit(
    enrollment: Enrollment, *, activity: "Activity", verb: Verb = Verb.VIEWED
) -> ActivityProgress:
    """A learner opened an activity (`viewed`), its external module (`launched`) or its calendar
    invite (`downloaded`): remember the activity as started and log the event."""
    with transaction.atomic():
        progress, _ = ActivityProgress.objects.get_or_create(
            enrollment=enrollment, activity=activity
        )
        _activity_event(enrollment, activity, verb)
    return progress


def set_completed(
    enrollment: Enrollment, *, activity: "Activity", completed: bool = True
) -> ActivityProgress:
    """Mark an activity done (`completed`) or not done again (`uncompleted`). Idempotent: a
    second click changes nothing and records nothing."""
    with transaction.atomic():
        progress, _ = ActivityProgress.objects.select_for_update().get_or_create(
            enrollment=enrollment, activity=activity
        )
        if progress.is_completed == completed:
            return progress
        progress.state = ProgressState.COMPLETED if completed else ProgressState.STARTED
        progress.completed_at = timezone.now() if completed else None
        progress.save(update_fields=["state", "completed_at", "updated_at"])
        Enrollment.objects.filter(pk=enrollment.pk).update(
            completed_count=F("completed_count") + (1 if completed else -1)
        )
        enrollment.completed_count += 1 if completed else -1
        if completed:
            _activity_event(enrollment, activity, Verb.COMPLETED, {"completion": True})
        else:
            _activity_event(enrollment, activity, Verb.UNCOMPLETED, {"completion": False})
    return progress


def save_media_position(
    enrollment: Enrollment, *, activity: "Activity", position: float, verb: Verb
) -> ActivityProgress:
    """Remember where the learner is in a video or podcast, so they can resume on any device."""
    position = min(max(position, 0.0), float(MAX_MEDIA_SECONDS))
    with transaction.atomic():
        progress, created = ActivityProgress.objects.get_or_create(
            enrollment=enrollment, activity=activity, defaults={"position_seconds": position}
        )
        if not created:
            progress.position_seconds = position
            progress.save(update_fields=["position_seconds", "updated_at"])
        _activity_event(enrollment, activity, verb, {"position": round(position, 1)})
    return progress
