"""Getters for cohorts and seats in them, each built on a `visible_to(user)` queryset (the rules
are in cohorts.models and programs.models): what a person may not see raises Http404, what they
may see but not do raises PermissionDenied."""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts.actions import ensure_session
from cohorts.models import Cohort, CohortSession, Enrollment, EnrollmentRole
from programs.outline import OutlineActivity, outline_of
from rapport import policy
from rapport.compiled import CompiledQuery

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


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


def _seat_query(user: "User | Any", cohort_public_id: uuid.UUID) -> "QuerySet[Enrollment]":
    # At most one row (one enrolment per person and cohort): `[:1]` without `.first()`'s
    # ORDER BY, which Django spends about a millisecond resolving on every page.
    return (
        Enrollment.objects.visible_to(user)
        .select_related("cohort__program", "coach")
        .filter(user=user, cohort__public_id=cohort_public_id)
        .order_by()[:1]
    )


# The statement is the same for every learner (and for every coach, every admin...): compiled
# once per process and role, re-run with the person's ids (rapport/compiled.py).
seat_query = CompiledQuery(_seat_query)


def get_seat_for_user(user: "User | Any", cohort_public_id: uuid.UUID) -> CohortSeat:
    """The cohort (with its programme) and the person's enrollment in it, or 404.

    Built on Enrollment.visible_to (the person's own enrolments in their current organisation)
    and, for those who preview without one, Cohort.visible_to. One query for anyone enrolled;
    designers and admins, who preview, cost one more. The first query's SQL is compiled once
    per process for each role (`seat_query`; tests/test_compiled_getters.py checks it against a
    fresh compile for every persona).
    """
    enrollment = next(iter(seat_query(user, cohort_public_id)), None)
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


def get_learner_seat(user: "User | Any", cohort_public_id: uuid.UUID) -> CohortSeat:
    """As get_seat_for_user, for actions only a learner takes (completing, resuming media):
    people who may only look get 403."""
    seat = get_seat_for_user(user, cohort_public_id)
    if not seat.is_learner:
        raise PermissionDenied("Only the cohort's learners record progress")
    return seat


def get_activity_in_seat(seat: CohortSeat, activity_public_id: uuid.UUID) -> OutlineActivity:
    """The activity if it belongs to the seat's programme, else 404.

    The rule is ActivityQuerySet.visible_to's: an activity is visible when its programme is, and
    a programme is visible to whoever can see a cohort running it, which the seat proves. So
    this applies the same rule to a programme already known to be visible, without a query
    (tests/test_visibility_rules.py checks the two agree for every persona). The activity comes
    from the programme's cached outline, as immutable values (programs/outline.py).
    """
    activity = outline_of(seat.cohort.program).activity(activity_public_id)
    if activity is None:
        raise Http404("No such activity")
    return activity


def get_session_in_seat(seat: CohortSeat, activity: OutlineActivity) -> CohortSession | None:
    """The seat's cohort's own session of a live-session activity (made from the activity's
    default the first time anyone needs it), or None for other kinds. Precondition: `activity`
    came from get_activity_in_seat, so the seat may see it. One query once the session exists."""
    return ensure_session(seat.cohort, activity)


def enrollments_of(user: "User | Any") -> list[Enrollment]:
    """The person's own seats in their current organisation, newest cohort first."""
    return list(
        Enrollment.objects.visible_to(user)
        .filter(user=user)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def get_cohort_for_import(user: "User | Any", cohort_public_id: uuid.UUID) -> Cohort:
    """The cohort, for importing learners into it: 404 if the person may not see it, 403 unless
    they are an admin of its organisation (the only people who put people in cohorts)."""
    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("program", "organization")
        .filter(public_id=cohort_public_id)
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    membership = policy.membership_of(user)
    if not (
        policy.can_manage_people(user)
        and membership is not None
        and membership.organization_id == cohort.organization_id
    ):
        raise PermissionDenied("Only organisation admins import people")
    return cohort
