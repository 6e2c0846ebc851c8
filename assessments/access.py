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

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User, blocker_ids_of
from assessments.models import (
    AssessmentRound,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackState,
    PeerInvitation,
    Relation,
    Response,
    RoundKind,
)
from circles.models import CircleMember, CircleState
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


def behaviour_choices(user: "User | Any") -> "QuerySet[Behaviour]":
    """The organisation's behaviours as a form's choices (a queryset), in the model's order."""
    return (
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


# -- Feedback between rounds ------------------------------------------------------------------
# The rules are FeedbackRequest.visible_to and FeedbackAnswer.visible_to; every getter below
# starts from them.

# How many people a name search offers at once on the request form.
PEER_SEARCH_LIMIT = 20


def feedback_peers_of(seat: Enrollment) -> "QuerySet[Enrollment]":
    """The seats of everyone the seat's learner may ask for feedback: active learners of the
    same cohort, not themself, not anyone who has blocked them. A queryset (the request form's
    choices; it is never listed whole, a cohort may hold thousands)."""
    return (
        Enrollment.objects.filter(
            cohort_id=seat.cohort_id,
            role=EnrollmentRole.LEARNER,
            user__is_active=True,
            organization_id=seat.organization_id,
        )
        .exclude(user_id=seat.user_id)
        .exclude(user_id__in=blocker_ids_of(seat.user))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def circle_peers_of(seat: Enrollment, user: "User | Any") -> list[Enrollment]:
    """The seats of the other members of the learner's published circle in the seat's cohort,
    by name: the people most likely to have seen them at work, offered first. Two queries."""
    members = CircleMember.objects.visible_to(user).filter(
        circle__cohort_id=seat.cohort_id,
        circle__state=CircleState.PUBLISHED,
        circle__members__user=user,
    )
    return list(feedback_peers_of(seat).filter(pk__in=members.values("enrollment_id")).distinct())


def search_peers(seat: Enrollment, query: str) -> list[Enrollment]:
    """Up to PEER_SEARCH_LIMIT seats of `feedback_peers_of` whose name or email contains
    `query` (any case), by name; none for a query under two characters. One query."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        feedback_peers_of(seat).filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )[:PEER_SEARCH_LIMIT]
    )


def chosen_peers(seat: Enrollment, public_ids: list[str]) -> list[Enrollment]:
    """The seats among `public_ids` (strings, as posted) that are `feedback_peers_of`, so that
    a form shown again keeps them ticked; anything else is left out. One query (none without
    ids)."""
    valid = []
    for value in public_ids[:50]:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not valid:
        return []
    return list(feedback_peers_of(seat).filter(public_id__in=valid))


def open_requests_of(seat: Enrollment, user: "User | Any") -> int:
    """How many of the learner's requests for this seat are still open. One query."""
    return (
        FeedbackRequest.objects.visible_to(user)
        .filter(seat=seat, seat__user=user, closed_at__isnull=True)
        .count()
    )


def _answers_for(user: "User | Any") -> Prefetch:
    return Prefetch(
        "answers",
        queryset=FeedbackAnswer.objects.visible_to(user)
        .select_related("writer")
        .order_by("relation", "writer__full_name", "pk"),
        to_attr="visible_answers",
    )


def feedback_requests_of(user: "User | Any") -> list[FeedbackRequest]:
    """The person's own requests for feedback (every learner seat), newest first, each with
    its cohort, behaviour and `visible_answers` (everyone asked, by name, with their state and
    answer). Two queries."""
    return list(
        FeedbackRequest.objects.visible_to(user)
        .filter(seat__user=user)
        .select_related("seat__cohort", "behaviour")
        .prefetch_related(_answers_for(user))
        .order_by("-created_at", "-pk")
    )


def feedback_asked_of(user: "User | Any") -> list[FeedbackAnswer]:
    """What the person has been asked for (their own part of others' requests), waiting ones
    first, then newest: each with the request, its learner, cohort and behaviour. One query."""
    return sorted(
        FeedbackAnswer.objects.visible_to(user)
        .filter(writer=user)
        .select_related("request__seat__user", "request__seat__cohort", "request__behaviour"),
        key=lambda a: (
            not (a.state == FeedbackState.WAITING and a.request.is_open),
            -a.asked_at.timestamp(),
        ),
    )


def feedback_shared_with(user: "User | Any") -> list[FeedbackRequest]:
    """The requests of the learners the person coaches that those learners chose to share
    with them, newest first, each with the learner, cohort, behaviour and the answered parts
    (`visible_answers`). Two queries."""
    return list(
        FeedbackRequest.objects.visible_to(user)
        .filter(seat__coach=user, shared_with_coach=True)
        .exclude(seat__user=user)
        .select_related("seat__user", "seat__cohort", "behaviour")
        .prefetch_related(_answers_for(user))
        .order_by("-created_at", "-pk")
    )


def get_request_for_user(user: "User | Any", request_id: uuid.UUID) -> FeedbackRequest:
    """A request the person may read in full: the learner's own, or one shared with them as
    the learner's coach, with `visible_answers`. 404 for a request they cannot see (existence
    never leaks). Someone asked in it reads it only through their own answer page: the view
    sends them there (`answer_of_writer`). Two queries."""
    found = (
        FeedbackRequest.objects.visible_to(user)
        .filter(public_id=request_id)
        .select_related("seat__user", "seat__cohort", "seat__coach", "behaviour")
        .prefetch_related(_answers_for(user))
        .first()
    )
    if found is None:
        raise Http404("No such request")
    return found


def is_reader_of(request: FeedbackRequest, user: "User | Any") -> bool:
    """Whether the person reads the whole request: its learner, or its learner's coach while
    it is shared with them."""
    seat = request.seat
    return seat.user_id == user.pk or (request.shared_with_coach and seat.coach_id == user.pk)


def answer_of_writer(request: FeedbackRequest, user: "User | Any") -> FeedbackAnswer | None:
    """The person's own part of a request they can see, if they were asked in it."""
    return next((a for a in request.visible_answers if a.writer_id == user.pk), None)  # type: ignore[attr-defined]


def get_own_request(user: "User | Any", request_id: uuid.UUID) -> FeedbackRequest:
    """A request to change (share, close): the learner's own. 404 for one the person cannot
    see, 403 for one they see but did not make (their coach, someone asked in it)."""
    request = get_request_for_user(user, request_id)
    if request.seat.user_id != user.pk:
        raise PermissionDenied("Only the learner who asked changes a request.")
    return request


def get_answer_for_writer(user: "User | Any", answer_id: uuid.UUID) -> FeedbackAnswer:
    """The person's own part of a request, to read or answer, with the request, its learner,
    the learner's seat and coach, and the behaviour. 404 for a part they cannot see; 403 for
    one they see but was asked of someone else (the learner who asked, their coach). One
    query."""
    found = (
        FeedbackAnswer.objects.visible_to(user)
        .filter(public_id=answer_id)
        .select_related(
            "request__seat__user",
            "request__seat__cohort",
            "request__seat__coach",
            "request__behaviour",
        )
        .first()
    )
    if found is None:
        raise Http404("No such request")
    if found.writer_id != user.pk:
        raise PermissionDenied("This was asked of someone else.")
    return found
