"""Getters and page queries for the growth tools, each built on the model's
`visible_to(user)` (growth.models.OwnedQuerySet: the owner alone). Another person's row, a
guessed id and a row of another organisation are all the same 404: existence never leaks.
"""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cohorts.models import Enrollment, EnrollmentRole
from growth.models import (
    Belief,
    Charter,
    ConversationPlan,
    Goal,
    GrowthProfile,
    MoodCheckIn,
    OwnedModel,
    Routine,
    RoutineCheckIn,
)
from organizations.models import Behaviour, Competency
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


def require_member(user: "User | Any") -> None:
    """Growth tools are for members of an organisation: anyone else gets 404."""
    if policy.membership_of(user) is None:
        raise Http404("Growth tools belong to members of an organisation")


def _get[M: OwnedModel](rows: QuerySet[M], public_id: uuid.UUID, what: str) -> M:
    """The row of `rows` (a model's `visible_to(user)` queryset) with this id, else 404."""
    row = rows.filter(public_id=public_id).first()
    if row is None:
        raise Http404(f"No such {what}")
    return row


def get_goal_for_user(user: "User | Any", public_id: uuid.UUID) -> Goal:
    """One of the person's goals, with its behaviour and competency (one query), else 404."""
    return _get(
        Goal.objects.visible_to(user).select_related("behaviour__competency"), public_id, "goal"
    )


def get_belief_for_user(user: "User | Any", public_id: uuid.UUID) -> Belief:
    """One of the person's beliefs, else 404 (one query)."""
    return _get(Belief.objects.visible_to(user), public_id, "belief")


def get_routine_for_user(user: "User | Any", public_id: uuid.UUID) -> Routine:
    """One of the person's routines, else 404 (one query)."""
    return _get(Routine.objects.visible_to(user), public_id, "routine")


def get_charter_for_user(user: "User | Any", public_id: uuid.UUID) -> Charter:
    """One of the person's team charters, else 404 (one query)."""
    return _get(Charter.objects.visible_to(user), public_id, "charter")


def get_plan_for_user(user: "User | Any", public_id: uuid.UUID) -> ConversationPlan:
    """One of the person's conversation plans with its debrief if any (one query), else 404."""
    return _get(
        ConversationPlan.objects.visible_to(user).select_related("debrief"), public_id, "plan"
    )


# -- page queries --------------------------------------------------------------------------------


def leadership_model(user: "User | Any") -> list[Competency]:
    """The organisation's competencies, each with its behaviours prefetched (two queries):
    shared content every member may read."""
    return list(
        Competency.objects.visible_to(user).prefetch_related(
            Prefetch("behaviours", queryset=Behaviour.objects.visible_to(user))
        )
    )


def behaviours_of_model(user: "User | Any") -> Any:
    """The organisation's behaviours with their competency, for choices (lazy queryset)."""
    return (
        Behaviour.objects.visible_to(user)
        .select_related("competency")
        .order_by("competency__framework", "competency__position", "competency__name", "position")
    )


@dataclass(frozen=True)
class MyGrowth:
    """What the My growth page shows: the profile (None until first saved), the ids of the
    picked behaviours, the goals (oldest first) and the leadership model."""

    profile: GrowthProfile | None
    picked: frozenset[int]
    goals: list[Goal]
    model: list[Competency]


def my_growth(user: "User | Any") -> MyGrowth:
    """Five queries whatever the number of goals and behaviours: the profile, its picks, the
    goals (with behaviour and competency), the competencies, their behaviours."""
    profile = (
        GrowthProfile.objects.visible_to(user)
        .prefetch_related(Prefetch("behaviours", queryset=Behaviour.objects.only("id")))
        .first()
    )
    picked = frozenset(b.pk for b in profile.behaviours.all()) if profile else frozenset()
    goals = list(Goal.objects.visible_to(user).select_related("behaviour__competency"))
    return MyGrowth(profile, picked, goals, leadership_model(user))


def beliefs_with_routines(user: "User | Any", *, since: Any) -> list[Belief]:
    """The person's beliefs, each with its routines and their check-ins from `since` (a date)
    on: three queries whatever the number of rows."""
    check_ins = RoutineCheckIn.objects.visible_to(user).filter(period__gte=since)
    routines = Routine.objects.visible_to(user).prefetch_related(
        Prefetch("check_ins", queryset=check_ins)
    )
    return list(
        Belief.objects.visible_to(user).prefetch_related(Prefetch("routines", queryset=routines))
    )


def check_ins_of(user: "User | Any", routine: Routine, *, since: Any) -> list[RoutineCheckIn]:
    """The person's check-ins of one of their routines from `since` (a date) on."""
    return list(RoutineCheckIn.objects.visible_to(user).filter(routine=routine, period__gte=since))


def charters_of(user: "User | Any") -> list[Charter]:
    """The person's charters (one query)."""
    return list(Charter.objects.visible_to(user))


def plans_of(user: "User | Any") -> list[ConversationPlan]:
    """The person's conversation plans, newest first, with their debriefs (one query)."""
    return list(ConversationPlan.objects.visible_to(user).select_related("debrief"))


def has_coach(user: "User | Any") -> bool:
    """Whether one of the person's learner seats (in their current organisation) names a coach:
    only then is "share with my coach" offered on a check-in. One query."""
    return (
        Enrollment.objects.visible_to(user)
        .filter(user=user, role=EnrollmentRole.LEARNER, coach__isnull=False)
        .exists()
    )


def moods_of(user: "User | Any", *, since: Any) -> list[MoodCheckIn]:
    """The person's emotion and energy check-ins from `since` (a date) on, newest first."""
    return list(MoodCheckIn.objects.visible_to(user).filter(day__gte=since))
