import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from programs.models import Activity
from programs.outline import outline_of
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User
    from cohorts.models import CohortQuerySet


def cohorts_visible_to(queryset: "CohortQuerySet", user: "User") -> "CohortQuerySet":
    return policy.cohorts_visible_to(queryset, user)


@dataclass(frozen=True)
class CohortSeat:
    """Who is looking at a cohort's journey, and as what.

    `enrollment` is set for the learner, coach or expert enrolled in it; designers and admins
    preview the journey without one. Only a learner's own enrollment records progress.
    """

    cohort: Cohort
    enrollment: Enrollment | None

    @property
    def is_learner(self) -> bool:
        return self.enrollment is not None and self.enrollment.role == EnrollmentRole.LEARNER


def get_seat_for_user(user: "User", cohort_public_id: uuid.UUID) -> CohortSeat:
    """The cohort (with its programme) and the person's enrollment in it, or 404.

    One query for anyone enrolled; designers and admins, who preview, cost one more.
    """
    if policy.membership_of(user) is None:
        raise Http404("No such cohort")
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "coach")
        .filter(user=user, cohort__public_id=cohort_public_id)
        .first()
    )
    if enrollment is not None:
        enrollment.user = user  # the same person: saves a query when actions record events
        return CohortSeat(cohort=enrollment.cohort, enrollment=enrollment)
    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("program")
        .filter(public_id=cohort_public_id)
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    return CohortSeat(cohort=cohort, enrollment=None)


def get_learner_seat(user: "User", cohort_public_id: uuid.UUID) -> CohortSeat:
    """As get_seat_for_user, for actions only a learner takes (completing, resuming media):
    people who may only look get 403."""
    seat = get_seat_for_user(user, cohort_public_id)
    if not seat.is_learner:
        raise PermissionDenied("Only the cohort's learners record progress")
    return seat


def get_activity_in_seat(seat: CohortSeat, activity_public_id: uuid.UUID) -> Activity:
    """The activity if it belongs to the seat's programme, else 404.

    Holding a seat in the cohort is exactly what policy.activities_visible_to asks for, so this
    is the same rule applied to a programme already known to be visible. The activity comes from
    the programme's in-memory outline: shared between requests, so read-only.
    """
    activity = outline_of(seat.cohort.program).by_public_id.get(activity_public_id)
    if activity is None:
        raise Http404("No such activity")
    return activity


def enrollments_of(user: "User") -> list[Enrollment]:
    """The person's own seats, newest cohort first."""
    if policy.membership_of(user) is None:
        return []
    return list(
        Enrollment.objects.filter(user=user)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def get_cohort_for_import(user: "User", cohort_public_id: uuid.UUID) -> Cohort:
    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("program", "organization")
        .filter(public_id=cohort_public_id)
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    if not policy.can_import_into(user, cohort):
        raise PermissionDenied("Only organisation admins import people")
    return cohort
