"""Writes of the assessments app: a learner asking peers to rate them, and a rater sending their
answers in a round. Each is atomic and records one event.

What events carry: who acted, the verb and the round (or the learner's own cohort), never who
was rated, never a score or a comment — so the learning record, the studio and a Learning Record
Store cannot tie a peer's answers to the learner they are about. Notifications name the round
and the cohort; a peer asked hears who asked them (they are told by name on the form anyway).
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments.access import Task
from assessments.models import (
    FOCUS_TEXT,
    MAX_FEEDBACK_PEERS,
    MAX_OPEN_REQUESTS,
    MAX_PEERS,
    SCALE_MAX,
    SCALE_MIN,
    AssessmentRound,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackState,
    PeerInvitation,
    Rating,
    Relation,
    Response,
)
from assessments.tasks import place_of
from cohorts.models import Enrollment, EnrollmentRole
from events.actions import record_event
from events.models import ObjectType, Verb
from notifications.actions import notify
from notifications.models import NotificationKind
from organizations.models import Behaviour


class AssessmentRefused(Exception):
    """An answer or an invitation that cannot be accepted, with the message to show. Raised
    before anything is written (or after a rollback): nothing changed."""


class AlreadyAsked(AssessmentRefused):
    """The learner sent a request identical to one still open (same focus, behaviour, date and
    people: the form sent again after Back). `request` is that open request; nothing new is
    written and nobody is asked twice."""

    def __init__(self, message: str, *, request: "FeedbackRequest") -> None:
        super().__init__(message)
        self.request = request


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


# -- Feedback between rounds ------------------------------------------------------------------
# Privacy consequences, for every action below: the request's focus and the answers are
# encrypted at rest and never leave these rows except on the pages of the people who may read
# them (FeedbackRequest.visible_to, FeedbackAnswer.visible_to). Notifications name the actor
# and "Feedback between rounds · <cohort>" only. Events carry the actor, a verb and their own
# row's opaque id (the learner's request; the writer's answer row), never whom a writer wrote
# about, never a word.


def feedback_place(seat: Enrollment) -> str:
    """ "Feedback between rounds · Spring 2027": where a feedback notification happened (a
    fixed phrase and the cohort's name, never anything typed)."""
    return (_("Feedback between rounds · %(cohort)s") % {"cohort": seat.cohort.name})[:200]


def _own_seat_id(user: User, cohort_id: int) -> object:
    return (
        Enrollment.objects.filter(user=user, cohort_id=cohort_id)
        .values_list("public_id", flat=True)
        .first()
    )


def request_feedback(
    learner: User,
    *,
    seat: Enrollment,
    focus: str,
    behaviour: Behaviour | None,
    peers: Sequence[Enrollment],
    ask_coach: bool,
    due_on: date | None,
    today: date,
) -> FeedbackRequest:
    """`learner` asks `peers` (seats of learners of the same cohort, checked by the form
    against `assessments.access.feedback_peers_of`) and, with `ask_coach`, the coach of their
    `seat`, for feedback on `focus` (their own words), optionally about `behaviour`, useful by
    `due_on` (None, or from `today` in the learner's zone).

    Raises AssessmentRefused, writing nothing: a seat not the learner's own, a peer outside
    the seat's cohort (or the learner themself, or not a learner), no peer, more than
    MAX_FEEDBACK_PEERS, MAX_OPEN_REQUESTS requests already open, asking a coach the seat does
    not have, an empty or over-long focus, a date in the past. Each person asked is told by a
    notification naming the learner (never the focus); one `asked` event about the request.
    """
    if seat.user_id != learner.pk or seat.role != EnrollmentRole.LEARNER:
        raise AssessmentRefused(_("Only the learner asks for feedback on their own seat."))
    focus = focus.strip()
    if not focus or len(focus) > FOCUS_TEXT:
        raise AssessmentRefused(
            _("Say what you would like feedback on, in at most %(n)d characters.")
            % {"n": FOCUS_TEXT}
        )
    chosen = {p.pk: p for p in peers}
    if any(
        p.cohort_id != seat.cohort_id or p.user_id == learner.pk or p.role != EnrollmentRole.LEARNER
        for p in chosen.values()
    ):
        raise AssessmentRefused(_("Everyone you ask must be a learner of your cohort."))
    if not chosen:
        raise AssessmentRefused(_("Choose at least one peer of your cohort."))
    if len(chosen) > MAX_FEEDBACK_PEERS:
        raise AssessmentRefused(
            _("Ask up to %(max)d peers at a time.") % {"max": MAX_FEEDBACK_PEERS}
        )
    if ask_coach and seat.coach_id is None:
        raise AssessmentRefused(_("You have no coach in this cohort to ask."))
    if due_on is not None and due_on < today:
        raise AssessmentRefused(_("Choose today or a later day, or leave the date empty."))
    if behaviour is not None and behaviour.organization_id != seat.organization_id:
        raise AssessmentRefused(_("Choose a behaviour of your own leadership model."))
    writers = [(p.user_id, Relation.PEER) for p in chosen.values()]
    if ask_coach and seat.coach_id not in {w for w, _ in writers}:
        writers.append((seat.coach_id, Relation.COACH))  # type: ignore[arg-type]
    with transaction.atomic():
        open_now = FeedbackRequest.objects.filter(seat=seat, closed_at__isnull=True).count()
        if open_now >= MAX_OPEN_REQUESTS:
            raise AssessmentRefused(
                _(
                    "You have %(n)d requests open: close one you have heard enough on before "
                    "asking again."
                )
                % {"n": open_now}
            )
        _refuse_repeat(seat, focus=focus, behaviour=behaviour, due_on=due_on, writers=writers)
        request = FeedbackRequest.objects.create(
            seat=seat, focus=focus, behaviour=behaviour, due_on=due_on
        )
        answers = FeedbackAnswer.objects.bulk_create(
            FeedbackAnswer(
                request=request,
                organization_id=request.organization_id,
                writer_id=writer,
                relation=relation,
            )
            for writer, relation in writers
        )
        record_event(
            learner,
            verb=Verb.ASKED,
            object_type=ObjectType.FEEDBACK_REQUEST,
            object_id=request.public_id,
            cohort=seat.cohort,
            registration=seat.public_id,
        )
        place = feedback_place(seat)
        for answer in answers:
            notify(
                kind=NotificationKind.FEEDBACK_ASKED,
                recipients=[answer.writer_id],
                actor=learner,
                actor_label=learner.full_name,
                place=place,
                url=reverse("assessments:feedback_answer", args=[answer.public_id]),
                target_id=answer.public_id,
            )
    return request


def _refuse_repeat(
    seat: Enrollment,
    *,
    focus: str,
    behaviour: Behaviour | None,
    due_on: date | None,
    writers: Sequence[tuple[int, str]],
) -> None:
    """Raise AlreadyAsked when one of the seat's open requests (at most MAX_OPEN_REQUESTS, read
    inside the caller's transaction) asks the same people the same thing: the focus is
    encrypted at rest, so it is compared here, not in SQL. Two queries."""
    wanted = {writer for writer, _relation in writers}
    open_requests = list(
        FeedbackRequest.objects.filter(seat=seat, closed_at__isnull=True).order_by("-pk")
    )
    if not open_requests:
        return
    asked: dict[int, set[int]] = defaultdict(set)
    for request_id, writer_id in FeedbackAnswer.objects.filter(
        request__in=open_requests
    ).values_list("request_id", "writer_id"):
        asked[request_id].add(writer_id)
    behaviour_id = behaviour.pk if behaviour is not None else None
    for existing in open_requests:
        if (
            existing.focus.strip() == focus
            and existing.behaviour_id == behaviour_id
            and existing.due_on == due_on
            and asked[existing.pk] == wanted
        ):
            raise AlreadyAsked(
                _("You had already sent this request: here it is. Nobody was asked twice."),
                request=existing,
            )


def _refusal_for(answer_id: int) -> str:
    """Why a part of a request can no longer be answered or declined (read after a refused
    conditional update, so it reports what stopped it)."""
    current = FeedbackAnswer.objects.select_related("request").get(pk=answer_id)
    if current.state == FeedbackState.ANSWERED:
        return _("You have already sent your feedback on this request.")
    if current.state == FeedbackState.DECLINED:
        return _("You declined this request, so it can no longer be answered.")
    return _("This request was closed by the person who asked, so it can no longer be answered.")


def give_feedback(writer: User, *, answer: FeedbackAnswer, comments: Mapping[str, str]) -> None:
    """Record `writer`'s answer to their part of a request: the six situation-behaviour-impact
    parts (SBI_FIELDS, each non-empty, checked by the form).

    Raises AssessmentRefused, writing nothing: a part asked of someone else, one answered or
    declined already (a second submission, two tabs: the conditional update decides a race),
    a request the learner closed. The learner is told by a notification naming the writer
    (the form says the learner reads the answer with the writer's name); one `gave_feedback`
    event about the writer's own answer row — never the learner, never a word.
    """
    if answer.writer_id != writer.pk:
        raise AssessmentRefused(_("This request was asked of someone else."))
    texts = {name: str(comments.get(name, "")).strip() for name in SBI_FIELDS}
    if not all(texts.values()):
        raise AssessmentRefused(_("Every part of the strength and the growth edge is needed."))
    now = timezone.now()
    with transaction.atomic():
        # A conditional UPDATE claims the part once (the confidential fields are encrypted by
        # their get_prep_value, as on save).
        claimed = FeedbackAnswer.objects.filter(
            pk=answer.pk,
            writer=writer,
            state=FeedbackState.WAITING,
            request__closed_at__isnull=True,
        ).update(state=FeedbackState.ANSWERED, answered_at=now, **texts)
        if not claimed:
            raise AssessmentRefused(_refusal_for(answer.pk))
        seat = answer.request.seat
        record_event(
            writer,
            verb=Verb.GAVE_FEEDBACK,
            object_type=ObjectType.FEEDBACK_ANSWER,
            object_id=answer.public_id,
            cohort=seat.cohort,
            registration=_own_seat_id(writer, seat.cohort_id),  # type: ignore[arg-type]
        )
        notify(
            kind=NotificationKind.FEEDBACK_GIVEN,
            recipients=[seat.user_id],
            actor=writer,
            actor_label=writer.full_name,
            place=feedback_place(seat),
            url=reverse("assessments:feedback_request", args=[answer.request.public_id]),
            target_id=answer.request.public_id,
        )
    answer.state = FeedbackState.ANSWERED
    answer.answered_at = now
    for name, text in texts.items():
        setattr(answer, name, text)


def decline_feedback(writer: User, *, answer: FeedbackAnswer) -> None:
    """`writer` declines their part of a request: the learner's page shows "declined" beside
    their name (no reason is asked). Raises AssessmentRefused, writing nothing, for a part
    asked of someone else, answered or declined already, or a closed request. One `declined`
    event about the writer's own answer row; no notification."""
    if answer.writer_id != writer.pk:
        raise AssessmentRefused(_("This request was asked of someone else."))
    with transaction.atomic():
        claimed = FeedbackAnswer.objects.filter(
            pk=answer.pk,
            writer=writer,
            state=FeedbackState.WAITING,
            request__closed_at__isnull=True,
        ).update(state=FeedbackState.DECLINED, answered_at=timezone.now())
        if not claimed:
            raise AssessmentRefused(_refusal_for(answer.pk))
        seat = answer.request.seat
        record_event(
            writer,
            verb=Verb.DECLINED,
            object_type=ObjectType.FEEDBACK_ANSWER,
            object_id=answer.public_id,
            cohort=seat.cohort,
            registration=_own_seat_id(writer, seat.cohort_id),  # type: ignore[arg-type]
        )
    answer.state = FeedbackState.DECLINED


def close_feedback_request(learner: User, *, request: FeedbackRequest) -> bool:
    """The learner closes their request (withdraws it, if nobody has answered yet): nothing
    more can be answered, and the people still asked no longer see it waiting. The answers
    given stay, for the learner (and their coach, if shared). Idempotent: returns whether it
    was open. No event (nothing was learnt), no notification."""
    if request.seat.user_id != learner.pk:
        raise AssessmentRefused(_("Only the learner who asked closes a request."))
    closed = FeedbackRequest.objects.filter(pk=request.pk, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    return bool(closed)


def share_feedback_with_coach(learner: User, *, request: FeedbackRequest, shared: bool) -> None:
    """The learner lets the coach of their seat read the request and its answers (`shared`),
    or stops (the coach no longer sees them, on any page). Raises AssessmentRefused for a
    request not the learner's own or a seat without a coach. Sharing records one `shared`
    event about the request; nobody is notified."""
    if request.seat.user_id != learner.pk:
        raise AssessmentRefused(_("Only the learner who asked shares a request."))
    if shared and request.seat.coach_id is None:
        raise AssessmentRefused(_("You have no coach in this cohort to share it with."))
    with transaction.atomic():
        changed = (
            FeedbackRequest.objects.filter(pk=request.pk)
            .exclude(shared_with_coach=shared)
            .update(shared_with_coach=shared)
        )
        if changed and shared:
            record_event(
                learner,
                verb=Verb.SHARED,
                object_type=ObjectType.FEEDBACK_REQUEST,
                object_id=request.public_id,
                cohort=request.seat.cohort,
                registration=request.seat.public_id,
            )
    request.shared_with_coach = shared
