"""Writes of the assessments app: a learner asking peers to rate them, and a rater sending their
answers in a round. Each is atomic and records one event.

What events carry: who acted, the verb and the round (or the learner's own cohort), never who
was rated, never a score or a comment — so the learning record, the studio and a Learning Record
Store cannot tie a peer's answers to the learner they are about. Notifications name the round
and the cohort; a peer asked hears who asked them (they are told by name on the form anyway).
"""

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from assessments.access import Task
from assessments.models import (
    MAX_PEERS,
    SCALE_MAX,
    SCALE_MIN,
    AssessmentRound,
    PeerInvitation,
    Rating,
    Response,
)
from assessments.tasks import place_of
from cohorts.models import Enrollment
from events.actions import record_event
from events.models import ObjectType, Verb
from notifications.actions import notify
from notifications.models import NotificationKind
from organizations.models import Behaviour


class AssessmentRefused(Exception):
    """An answer or an invitation that cannot be accepted, with the message to show. Raised
    before anything is written (or after a rollback): nothing changed."""


SBI_FIELDS = (
    "strength_situation",
    "strength_behaviour",
    "strength_impact",
    "edge_situation",
    "edge_behaviour",
    "edge_impact",
)


def invite_peers(
    learner: User,
    *,
    seat: Enrollment,
    peers: Sequence[Enrollment],
    already: int,
    current_round: AssessmentRound | None,
) -> list[PeerInvitation]:
    """Ask `peers` (seats of learners of the same cohort, checked by the form against
    `assessments.access.peers_to_ask`) to rate `learner` in every round of the seat's cohort.

    `already`: how many peers the learner had asked before (at most MAX_PEERS in all, else
    AssessmentRefused). Idempotent per peer: someone asked already is not asked twice. Each
    new peer gets a notification naming the learner (who asked) and the round open now, if any
    (`current_round`), else the cohort. Records one `asked` event about the learner's own
    cohort — never who was asked.
    """
    if seat.user_id != learner.pk:
        raise AssessmentRefused("Only the learner asks peers for their own seat.")
    chosen = [p for p in peers if p.cohort_id == seat.cohort_id and p.user_id != learner.pk]
    if len(chosen) != len(peers):
        raise AssessmentRefused("Everyone you ask must be a learner of your cohort.")
    if already + len(chosen) > MAX_PEERS:
        raise AssessmentRefused(f"You can ask up to {MAX_PEERS} peers.")
    with transaction.atomic():
        made = [
            invitation
            for invitation in (
                PeerInvitation.objects.get_or_create(subject=seat, rater_id=peer.user_id)
                for peer in chosen
            )
            if invitation[1]
        ]
        invitations = [invitation for invitation, _ in made]
        if not invitations:
            return []
        record_event(
            learner,
            verb=Verb.ASKED,
            object_type=ObjectType.COHORT,
            object_id=seat.cohort.public_id,
            cohort=seat.cohort,
            registration=seat.public_id,
        )
        notify(
            kind=NotificationKind.ASSESSMENT,
            recipients=[invitation.rater_id for invitation in invitations],
            actor=learner,
            actor_label=learner.full_name,
            place=place_of(current_round) if current_round else seat.cohort.name[:200],
            url=reverse("assessments:index"),
            target_id=current_round.public_id if current_round else None,
        )
    return invitations


def submit_response(
    rater: User,
    *,
    task: Task,
    scores: Mapping[int, int | None],
    behaviours: Sequence[Behaviour],
    comments: Mapping[str, str],
    today: date,
) -> Response:
    """Record `rater`'s answers about the task's learner in the task's round.

    `scores`: behaviour pk → a score on the scale (SCALE_MIN-SCALE_MAX) or None ("not seen"),
    for every one of `behaviours` (the organisation's model when the form was shown).
    `comments`: the six situation-behaviour-impact parts (SBI_FIELDS), blank allowed; a
    self-assessment keeps none.

    Raises AssessmentRefused, writing nothing, when the round is not open today (in the
    rater's zone), when they have already answered in it (a second submission, a double
    click, two tabs: the unique constraint decides a race), or for a score off the scale.
    Records one `responded` event: the rater, the round and the rater's own seat if they
    learn in the cohort — never whom they rated, never a score or a word.
    """
    round_ = task.round
    if today < round_.opens_on:
        raise AssessmentRefused("This round is not open yet. Come back when it opens.")
    if today > round_.closes_on:
        raise AssessmentRefused("This round has closed, so no more answers can be sent.")
    if task.answered:
        raise AssessmentRefused("You have already sent your answers for this round.")
    missing = [b for b in behaviours if b.pk not in scores]
    if missing:
        raise AssessmentRefused("Every behaviour needs an answer (or “not seen”).")
    for value in scores.values():
        if value is not None and not (SCALE_MIN <= value <= SCALE_MAX):
            raise AssessmentRefused(
                f"Each rating is a whole number from {SCALE_MIN} to {SCALE_MAX}."
            )
    texts = {} if task.is_self else {name: comments.get(name, "") for name in SBI_FIELDS}
    own_seat = (
        Enrollment.objects.filter(user=rater, cohort_id=round_.cohort_id)
        .values_list("public_id", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                round=round_,
                subject=task.seat,
                rater=rater,
                relation=task.relation,
                **texts,
            )
            Rating.objects.bulk_create(
                Rating(response=response, behaviour=b, score=scores[b.pk]) for b in behaviours
            )
            record_event(
                rater,
                verb=Verb.RESPONDED,
                object_type=ObjectType.ASSESSMENT_ROUND,
                object_id=round_.public_id,
                cohort=round_.cohort,
                registration=own_seat,
            )
    except IntegrityError:
        raise AssessmentRefused("You have already sent your answers for this round.") from None
    return response
