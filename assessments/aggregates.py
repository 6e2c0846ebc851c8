"""Capability scores for aggregate readers (the analytics app's programme dashboards): one row per
learner seat, round and rater group, never one per rater.

What a row holds is already safe to leave this module for aggregation, and nothing more:

- `self` and `coach`: that rater's average over the behaviours they rated (not "not seen");
- `peers`: the average over every peer rating of the seat in the round, and only when at least
  `PEER_MIN_RATERS` peers answered (fewer peers' scores never leave this module, as on the
  learner's own page); no peer is named or counted individually.

Rows carry no name, no text and no rater id. Whoever shows them (a dashboard cell, a CSV, a chart)
still counts people through `rapport.policy.suppress_small_groups` first: these are per-person
values, not publishable aggregates. One query whatever the number of rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count

from assessments.models import PEER_MIN_RATERS, Rating, Relation


@dataclass(frozen=True)
class SeatScore:
    """One learner seat's score in one round from one rater group: `mean` on the 1-5 scale over
    `ratings` ratings from `raters` people (1 for self; for peers at least PEER_MIN_RATERS)."""

    cohort_id: int
    enrollment_id: int
    round_kind: str
    group: str  # "self", "peers" or "coach"
    mean: float
    ratings: int
    raters: int


def seat_scores(cohort_ids: Iterable[int]) -> list[SeatScore]:
    """Every seat's scores in the given cohorts' rounds, by rater group (module docstring).
    A peer counts as a rater when they rated at least one behaviour. One query."""
    rows = (
        Rating.objects.filter(response__round__cohort_id__in=list(cohort_ids), score__isnull=False)
        .values(
            "response__round__cohort_id",
            "response__subject_id",
            "response__round__kind",
            "response__relation",
        )
        .annotate(mean=Avg("score"), n=Count("id"), raters=Count("response_id", distinct=True))
        .order_by("response__subject_id", "response__round__kind", "response__relation")
    )
    groups = {Relation.SELF: "self", Relation.COACH: "coach", Relation.PEER: "peers"}
    return [
        SeatScore(
            cohort_id=row["response__round__cohort_id"],
            enrollment_id=row["response__subject_id"],
            round_kind=row["response__round__kind"],
            group=groups[Relation(row["response__relation"])],
            mean=float(row["mean"]),
            ratings=row["n"],
            raters=row["raters"],
        )
        for row in rows
        if row["response__relation"] != Relation.PEER or row["raters"] >= PEER_MIN_RATERS
    ]
