"""My growth over time: what a learner reads about themself, per behaviour and round — their
own ratings, their coach's (named: the coach was told), and their peers' as a group.

The peers' promise (every peer form states it, and this module is the only place it is kept):

- a round's peer averages and peer comments are shown only once the round has **closed** and at
  least `PEER_MIN_RATERS` peers answered in it (closed, so that the learner cannot watch the
  numbers move as each peer answers and work out one person's ratings by difference);
- a behaviour's peer average only once at least `PEER_MIN_RATERS` peers rated it (not "not seen");
- comments are shown without names, in an order shuffled per viewer and round (a hash of the
  viewer's and each response's opaque ids): stable on reload, unrelated to the order of writing.

Nothing here returns a peer's name, address, id or response id. Nine queries for a person,
whatever the number of rounds, behaviours, raters or activities.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count

from accounts.models import User
from assessments.access import behaviours_of, learner_seats_of, rounds_of
from assessments.models import (
    PEER_MIN_RATERS,
    AssessmentRound,
    Rating,
    Relation,
    Response,
)
from cohorts.models import ActivityProgress, Enrollment, ProgressState
from organizations.models import Behaviour


@dataclass(frozen=True)
class Comment:
    """One strength or growth edge as situation, behaviour, impact (blank parts left out)."""

    situation: str
    behaviour: str
    impact: str


@dataclass(frozen=True)
class Observed:
    """What one group wrote in a round: strengths and growth edges (peers shuffled)."""

    strengths: list[Comment]
    edges: list[Comment]

    @property
    def empty(self) -> bool:
        return not self.strengths and not self.edges


@dataclass(frozen=True)
class Cell:
    """A behaviour in a round: the learner's score, the peers' average (None when hidden or
    nobody rated it) with how many peers rated it, and the coach's score."""

    self_score: int | None
    peer_mean: float | None
    peer_count: int
    coach_score: int | None


@dataclass
class RoundColumn:
    """One round as the learner sees it: whether it opened and closed, how many peers
    answered (shown only once it reaches PEER_MIN_RATERS), whether the peers are shown yet
    (`peers_shown`) and why not (`peers_note`), and what peers and the coach wrote."""

    round: AssessmentRound
    opened: bool
    closed: bool
    peers_answered: int
    peers_shown: bool
    self_done: bool
    coach_done: bool
    coach_name: str
    peers_observed: Observed
    coach_observed: Observed


@dataclass
class BehaviourRow:
    behaviour: Behaviour
    cells: list[Cell]


@dataclass
class CompetencyBlock:
    name: str
    rows: list[BehaviourRow] = field(default_factory=list)


@dataclass(frozen=True)
class WeekActivity:
    number: int
    completed: int


@dataclass
class SeatReport:
    """Everything about one learner seat: its rounds (columns), its competencies (blocks of
    behaviour rows, one cell per column), its weekly activity and the streak of weeks with at
    least one activity done, counted back from the latest such week."""

    seat: Enrollment
    columns: list[RoundColumn]
    competencies: list[CompetencyBlock]
    weeks: list[WeekActivity]
    streak: int
    completed: int

    @property
    def any_scores(self) -> bool:
        return any(c.self_done or c.coach_done or c.peers_shown for c in self.columns)


def shuffle_key(viewer: User, response_public_id: Any, round_public_id: Any) -> str:
    """The order key of a peer comment for `viewer`: a hash of opaque ids, so the order is the
    same on every visit of the same person and unrelated to when each peer wrote."""
    text = f"{viewer.public_id}:{round_public_id}:{response_public_id}"
    return hashlib.sha256(text.encode()).hexdigest()


def _comment(row: dict[str, str], prefix: str) -> Comment | None:
    parts = [row[f"{prefix}_{p}"] for p in ("situation", "behaviour", "impact")]
    if not any(parts):
        return None
    return Comment(*parts)


def _observed(rows: list[dict[str, Any]]) -> Observed:
    strengths = [c for c in (_comment(r, "strength") for r in rows) if c]
    edges = [c for c in (_comment(r, "edge") for r in rows) if c]
    return Observed(strengths, edges)


TEXT_FIELDS = (
    "strength_situation",
    "strength_behaviour",
    "strength_impact",
    "edge_situation",
    "edge_behaviour",
    "edge_impact",
)


def growth_report(user: User, *, today: date) -> list[SeatReport]:
    """The person's report for each of their learner seats whose cohort has rounds. Nine
    queries (seats, rounds, behaviours, own and coach responses, their ratings, peer counts,
    peer averages, peer comments, activity)."""
    seats = learner_seats_of(user)
    if not seats:
        return []
    seat_ids = [s.pk for s in seats]
    rounds = rounds_of([s.cohort_id for s in seats], user)
    behaviours = behaviours_of(user)

    # The learner's own responses and their coach's (both theirs to read: Response.visible_to).
    named = list(
        Response.objects.visible_to(user)
        .filter(subject_id__in=seat_ids, relation__in=[Relation.SELF, Relation.COACH])
        .filter(subject__user=user)
        .select_related("rater")
        .prefetch_related("ratings")
    )
    # Peers: counted, averaged and read here only, never row by row (module docstring).
    peers = Response.objects.filter(
        subject_id__in=seat_ids, subject__user=user, relation=Relation.PEER
    )
    peer_counts = dict(
        peers.values("round_id", "subject_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
        .order_by()
    )
    peer_means: dict[tuple[int, int], tuple[float, int]] = {
        (row["response__round_id"], row["behaviour_id"]): (row["mean"], row["n"])
        for row in Rating.objects.filter(
            response__in=peers.filter(round__closes_on__lt=today), score__isnull=False
        )
        .values("response__round_id", "behaviour_id")
        .annotate(mean=Avg("score"), n=Count("id"))
        .order_by()
    }
    peer_texts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    round_ids = {r.pk: r for r in rounds}
    for response in peers.filter(round__closes_on__lt=today).only(
        "public_id", "round_id", *TEXT_FIELDS
    ):
        row = {name: getattr(response, name) for name in TEXT_FIELDS}
        round_ = round_ids.get(response.round_id)
        if round_ is None:
            continue
        row["key"] = shuffle_key(user, response.public_id, round_.public_id)
        peer_texts[response.round_id].append(row)

    progress = list(
        ActivityProgress.objects.visible_to(user)
        .filter(enrollment_id__in=seat_ids, state=ProgressState.COMPLETED)
        .values_list("enrollment_id", "completed_at")
    )

    reports = []
    for seat in seats:
        seat_rounds = [r for r in rounds if r.cohort_id == seat.cohort_id]
        if not seat_rounds:
            continue
        columns = []
        mine = {(r.round_id, r.relation): r for r in named if r.subject_id == seat.pk}
        for round_ in sorted(seat_rounds, key=lambda r: r.order):
            answered = peer_counts.get(round_.pk, 0)
            closed = round_.is_closed_on(today)
            shown = closed and answered >= PEER_MIN_RATERS
            texts = sorted(peer_texts.get(round_.pk, []), key=lambda r: r["key"]) if shown else []
            coach = mine.get((round_.pk, Relation.COACH))
            columns.append(
                RoundColumn(
                    round=round_,
                    opened=round_.opens_on <= today,
                    closed=closed,
                    peers_answered=answered if answered >= PEER_MIN_RATERS else 0,
                    peers_shown=shown,
                    self_done=(round_.pk, Relation.SELF) in mine,
                    coach_done=coach is not None,
                    coach_name=coach.rater.full_name if coach else "",
                    peers_observed=_observed(texts),
                    coach_observed=_observed(
                        [{n: getattr(coach, n) for n in TEXT_FIELDS}] if coach else []
                    ),
                )
            )
        scores: dict[tuple[int, str], dict[int, int | None]] = {}
        for (round_id, relation), response in mine.items():
            scores[(round_id, relation)] = {r.behaviour_id: r.score for r in response.ratings.all()}
        blocks: dict[int, CompetencyBlock] = {}
        for behaviour in behaviours:
            block = blocks.setdefault(
                behaviour.competency_id, CompetencyBlock(behaviour.competency.name)
            )
            cells = []
            for column in columns:
                rid = column.round.pk
                mean, n = peer_means.get((rid, behaviour.pk), (None, 0))
                visible = column.peers_shown and n >= PEER_MIN_RATERS
                cells.append(
                    Cell(
                        self_score=scores.get((rid, Relation.SELF), {}).get(behaviour.pk),
                        peer_mean=round(mean, 1) if visible and mean is not None else None,
                        peer_count=n if visible else 0,
                        coach_score=scores.get((rid, Relation.COACH), {}).get(behaviour.pk),
                    )
                )
            block.rows.append(BehaviourRow(behaviour, cells))
        weeks_done: dict[int, int] = defaultdict(int)
        completed = 0
        for enrollment_id, completed_at in progress:
            if enrollment_id != seat.pk or completed_at is None:
                continue
            completed += 1
            weeks_done[seat.cohort.week_number_on(completed_at.date())] += 1
        last = max([n for n in weeks_done if n > 0], default=0)
        weeks = [WeekActivity(n, weeks_done.get(n, 0)) for n in range(1, last + 1)]
        streak = 0
        for week in reversed(weeks):
            if not week.completed:
                break
            streak += 1
        reports.append(SeatReport(seat, columns, list(blocks.values()), weeks, streak, completed))
    return reports
