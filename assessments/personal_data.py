"""What the assessments app holds about a person, for their export and their erasure
(accounts.personal_data).

The export keeps the promise of the forms: a rater gets back what they wrote (whom they rated,
their scores and comments: their own writing); a learner gets the peers they asked (they chose
them by name) and what they received exactly as My growth over time shows it — their own
ratings, their coach's with the coach's name, and their peers only as averages and shuffled,
unnamed comments under the rules of assessments.report. Never which peer answered or wrote what.

The erasure deletes the person's own answers (as a rater and about themself: their
self-ratings) and the invitations they made or received, and the answers of everyone about the
person's seats (there is nobody left to show them to). Aggregates are computed from the rows,
so erased answers simply stop counting.

Feedback between rounds: a learner's export holds their requests (their focus, whom they asked,
each person's state and answer with the writer's name, as their request page shows it); a
writer's holds what they were asked for (whose request, never its focus: the learner's words)
and their own answers. The erasure deletes the person's requests (with every answer to them)
and every part asked of them, answered or not.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from accounts.personal_data import iso, label_of
from assessments.models import (
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackState,
    PeerInvitation,
    Relation,
    Response,
    RoundKind,
)
from assessments.report import growth_report

if TYPE_CHECKING:
    from accounts.models import User

TEXTS = (
    "strength_situation",
    "strength_behaviour",
    "strength_impact",
    "edge_situation",
    "edge_behaviour",
    "edge_impact",
)


def export_assessments(user: "User") -> list[dict[str, Any]]:
    """The person's answers as a rater, the peers they asked, and what they received (as My
    growth over time shows it), each item with a `kind`. A fixed number of queries."""
    out: list[dict[str, Any]] = []
    given = (
        Response.objects.filter(rater=user)
        .select_related("round__cohort", "subject__user")
        .prefetch_related("ratings__behaviour")
        .order_by("submitted_at", "id")
    )
    for response in given:
        out.append(
            {
                "kind": "answer_given",
                "as": label_of(Relation, response.relation),
                "about": (
                    None if response.relation == Relation.SELF else response.subject.user.full_name
                ),
                "round": label_of(RoundKind, response.round.kind),
                "cohort": response.round.cohort.name,
                "submitted_at": iso(response.submitted_at),
                "ratings": [
                    {"behaviour": r.behaviour.text, "score": r.score}
                    for r in response.ratings.all()
                ],
                **{name: getattr(response, name) for name in TEXTS},
            }
        )
    for invitation in (
        PeerInvitation.objects.filter(subject__user=user)
        .select_related("rater", "subject__cohort")
        .order_by("invited_at", "id")
    ):
        out.append(
            {
                "kind": "peer_asked",
                "peer": invitation.rater.full_name,
                "cohort": invitation.subject.cohort.name,
                "asked_at": iso(invitation.invited_at),
            }
        )
    for report in growth_report(user, today=timezone.localdate()):
        for n, column in enumerate(report.columns):
            if not column.opened:
                continue
            out.append(
                {
                    "kind": "received",
                    "round": label_of(RoundKind, column.round.kind),
                    "cohort": report.seat.cohort.name,
                    "peers_answered": column.peers_answered if column.peers_shown else None,
                    "coach": column.coach_name or None,
                    "behaviours": [
                        {
                            "competency": block.name,
                            "behaviour": row.behaviour.text,
                            "self": row.cells[n].self_score,
                            "peers_average": row.cells[n].peer_mean,
                            "coach": row.cells[n].coach_score,
                        }
                        for block in report.competencies
                        for row in block.rows
                    ],
                    "peers_observed": [
                        {"situation": c.situation, "behaviour": c.behaviour, "impact": c.impact}
                        for c in column.peers_observed.strengths + column.peers_observed.edges
                    ],
                    "coach_observed": [
                        {"situation": c.situation, "behaviour": c.behaviour, "impact": c.impact}
                        for c in column.coach_observed.strengths + column.coach_observed.edges
                    ],
                }
            )
    out.extend(_export_feedback(user))
    return out


def _sbi(answer: FeedbackAnswer) -> dict[str, str]:
    return {name: getattr(answer, name) for name in TEXTS}


def _export_feedback(user: "User") -> list[dict[str, Any]]:
    """The person's feedback requests with their answers, and their own parts of others'
    requests. Three queries."""
    out: list[dict[str, Any]] = []
    for request in (
        FeedbackRequest.objects.filter(seat__user=user)
        .select_related("seat__cohort", "behaviour")
        .prefetch_related("answers__writer")
        .order_by("created_at", "id")
    ):
        out.append(
            {
                "kind": "feedback_requested",
                "cohort": request.seat.cohort.name,
                "focus": request.focus,
                "behaviour": request.behaviour.text if request.behaviour else None,
                "useful_by": request.due_on.isoformat() if request.due_on else None,
                "asked_at": iso(request.created_at),
                "closed_at": iso(request.closed_at) if request.closed_at else None,
                "shared_with_coach": request.shared_with_coach,
                "asked": [
                    {
                        "person": answer.writer.full_name,
                        "as": label_of(Relation, answer.relation),
                        "state": label_of(FeedbackState, answer.state),
                        **(_sbi(answer) if answer.state == FeedbackState.ANSWERED else {}),
                    }
                    for answer in request.answers.all()
                ],
            }
        )
    for answer in (
        FeedbackAnswer.objects.filter(writer=user)
        .select_related("request__seat__user", "request__seat__cohort")
        .order_by("asked_at", "id")
    ):
        out.append(
            {
                "kind": "feedback_asked_of_you",
                "by": answer.request.seat.user.full_name,
                "cohort": answer.request.seat.cohort.name,
                "asked_at": iso(answer.asked_at),
                "state": label_of(FeedbackState, answer.state),
                **(_sbi(answer) if answer.state == FeedbackState.ANSWERED else {}),
            }
        )
    return out


def erase_assessments(user: "User") -> int:
    """Delete every answer the person gave or that is about their seats (ratings with them),
    every invitation they made or received, their feedback requests (with every answer to
    them) and every part of a request asked of them. Returns the rows deleted."""
    answers = Response.objects.filter(Q(rater=user) | Q(subject__user=user)).delete()[0]
    invitations = PeerInvitation.objects.filter(Q(rater=user) | Q(subject__user=user)).delete()[0]
    asked_of = FeedbackAnswer.objects.filter(writer=user).delete()[0]
    requests = FeedbackRequest.objects.filter(seat__user=user).delete()[0]
    return answers + invitations + asked_of + requests
