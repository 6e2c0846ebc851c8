"""Getters of the assessments app, each built on a `visible_to(user)` queryset (the rules are in
assessments.models): what a person may not see or answer raises Http404, so a tampered id tells
nothing.

Who rates whom: the learner rates themself; the peers the learner asked (`PeerInvitation`,
learners of the same cohort) rate them as peers; the coach of the learner's seat
(`Enrollment.coach`) rates them as their coach.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404

from accounts.models import User
from assessments.models import (
    AssessmentRound,
    PeerInvitation,
    Relation,
    Response,
    RoundKind,
)
from cohorts.models import Enrollment, EnrollmentRole
from organizations.models import Behaviour


def learner_seats_of(user: "User | Any") -> list[Enrollment]:
    """The person's own learner seats (current organisation), newest cohort first, with cohort,
    programme and coach. One query."""
    return list(
        Enrollment.objects.visible_to(user)
        .filter(user=user, role=EnrollmentRole.LEARNER)
        .select_related("cohort__program", "coach")
        .order_by("-cohort__start_date", "pk")
    )


def get_own_seat(user: "User | Any", seat_id: uuid.UUID) -> Enrollment:
    """One of the person's own learner seats, else 404 (someone else's seat, a tampered id).
    One query."""
    for seat in learner_seats_of(user):
        if seat.public_id == seat_id:
            return seat
    raise Http404("No such seat")


def rounds_of(cohort_ids: list[int], user: "User | Any") -> list[AssessmentRound]:
    """The rounds of these cohorts the person may see, in order of opening. One query."""
    return list(
        AssessmentRound.objects.visible_to(user)
        .filter(cohort_id__in=cohort_ids)
        .select_related("cohort")
        .order_by("cohort_id", "opens_on")
    )


def behaviours_of(user: "User | Any") -> list[Behaviour]:
    """The organisation's leadership-model behaviours with their competency, in the model's
    order. One query."""
    return list(
        Behaviour.objects.visible_to(user)
        .select_related("competency")
        .order_by("competency__framework", "competency__position", "competency__name", "position")
    )


def peers_asked_by(seat: Enrollment, user: "User | Any") -> list[PeerInvitation]:
    """The peers the learner asked for their seat, by name; who answered is not part of it.
    One query."""
    return list(
        PeerInvitation.objects.visible_to(user)
        .filter(subject=seat, subject__user=user)
        .select_related("rater")
        .order_by("rater__full_name")
    )


def peers_to_ask(seat: Enrollment, user: "User | Any") -> "Any":
    """The seats of the learners of the seat's cohort the learner may still ask: active, not
    themself, not asked already. A queryset (a form's choices)."""
    asked = PeerInvitation.objects.visible_to(user).filter(subject=seat).values("rater_id")
    return (
        Enrollment.objects.filter(
            cohort_id=seat.cohort_id,
            role=EnrollmentRole.LEARNER,
            user__is_active=True,
            organization_id=seat.organization_id,
        )
        .exclude(user_id=seat.user_id)
        .exclude(user_id__in=asked)
        .select_related("user")
        .order_by("user__full_name")
    )


@dataclass(frozen=True)
class Task:
    """Something the person may answer: rate `seat`'s learner in `round` as `relation`."""

    round: AssessmentRound
    seat: Enrollment
    relation: Relation
    answered: bool

    @property
    def is_self(self) -> bool:
        return self.relation == Relation.SELF


def _relation(user: "User | Any", seat: Enrollment, peer_subjects: set[int]) -> Relation | None:
    if seat.user_id == user.pk:
        return Relation.SELF
    if seat.coach_id == user.pk:
        return Relation.COACH
    if seat.pk in peer_subjects:
        return Relation.PEER
    return None


def tasks_of(user: "User | Any", *, today: date) -> list[Task]:
    """Everything the person may answer in the rounds open today: themself in each learner
    seat, each learner who asked them as a peer (while both still learn in that cohort), and
    each learner whose seat names them as coach. Five queries whatever the numbers."""
    own = Enrollment.objects.visible_to(user).filter(user=user, role=EnrollmentRole.LEARNER)
    own_cohorts = set(own.values_list("cohort_id", flat=True))
    invited = {
        inv.subject_id: inv
        for inv in PeerInvitation.objects.visible_to(user)
        .filter(rater=user, subject__cohort_id__in=own_cohorts, subject__user__is_active=True)
        .select_related("subject__user", "subject__cohort")
    }
    seats = list(
        Enrollment.objects.in_organization_of(user)
        .filter(role=EnrollmentRole.LEARNER, user__is_active=True)
        .filter(pk__in=list(invited) + list(own.values_list("pk", flat=True)))
        .select_related("user", "cohort")
    ) + list(
        Enrollment.objects.in_organization_of(user)
        .filter(role=EnrollmentRole.LEARNER, coach=user, user__is_active=True)
        .select_related("user", "cohort")
    )
    open_rounds = list(
        AssessmentRound.objects.visible_to(user).filter(
            cohort_id__in={seat.cohort_id for seat in seats},
            opens_on__lte=today,
            closes_on__gte=today,
        )
    )
    answered = set(
        Response.objects.visible_to(user)
        .filter(rater=user, round__in=[r.pk for r in open_rounds])
        .values_list("round_id", "subject_id")
    )
    tasks: list[Task] = []
    seen: set[tuple[int, int]] = set()
    for round_ in sorted(open_rounds, key=lambda r: (r.opens_on, r.pk)):
        for seat in seats:
            if seat.cohort_id != round_.cohort_id or (round_.pk, seat.pk) in seen:
                continue
            relation = _relation(user, seat, set(invited))
            if relation is None:
                continue
            seen.add((round_.pk, seat.pk))
            tasks.append(Task(round_, seat, relation, (round_.pk, seat.pk) in answered))
    tasks.sort(key=lambda t: (t.answered, not t.is_self, t.seat.user.full_name))
    return tasks


def get_task(user: "User | Any", round_id: uuid.UUID, seat_id: uuid.UUID, *, today: date) -> Task:
    """What the person may answer about the seat `seat_id` in the round `round_id` today, else
    404: a round they cannot see, a seat they do not rate (someone who did not ask them, a
    learner they do not coach), a tampered id. A round not open today is returned (the page
    says it is closed or not open yet, and nothing can be sent)."""
    round_ = (
        AssessmentRound.objects.visible_to(user)
        .select_related("cohort")
        .filter(public_id=round_id)
        .first()
    )
    if round_ is None:
        raise Http404("No such round")
    seat = (
        Enrollment.objects.in_organization_of(user)
        .filter(
            public_id=seat_id,
            cohort_id=round_.cohort_id,
            role=EnrollmentRole.LEARNER,
            user__is_active=True,
        )
        .select_related("user", "cohort", "coach")
        .first()
    )
    if seat is None:
        raise Http404("No such learner")
    peer_subjects: set[int] = set()
    if seat.user_id != user.pk and seat.coach_id != user.pk:
        still_learning = (
            Enrollment.objects.visible_to(user)
            .filter(user=user, cohort_id=round_.cohort_id, role=EnrollmentRole.LEARNER)
            .exists()
        )
        if still_learning and (
            PeerInvitation.objects.visible_to(user).filter(subject=seat, rater=user).exists()
        ):
            peer_subjects.add(seat.pk)
    relation = _relation(user, seat, peer_subjects)
    if relation is None:
        raise Http404("Not yours to rate")
    answered = (
        Response.objects.visible_to(user).filter(round=round_, subject=seat, rater=user).exists()
    )
    return Task(round_, seat, relation, answered)


def round_kind_label(kind: str) -> str:
    """The label of a round kind (a stored value that is no longer a kind shows as itself)."""
    try:
        return str(RoundKind(kind).label)
    except ValueError:
        return kind
