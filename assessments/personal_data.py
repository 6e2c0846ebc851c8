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
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from accounts.personal_data import iso, label_of
from assessments.models import PeerInvitation, Relation, Response, RoundKind
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
    return out


def erase_assessments(user: "User") -> int:
    """Delete every answer the person gave or that is about their seats (ratings with them),
    and every invitation they made or received. Returns the rows deleted."""
    answers = Response.objects.filter(Q(rater=user) | Q(subject__user=user)).delete()[0]
    invitations = PeerInvitation.objects.filter(Q(rater=user) | Q(subject__user=user)).delete()[0]
    return answers + invitations
