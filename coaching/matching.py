"""Proposing a coach for every learner of a cohort: a pure function over plain data (no
database), so it can be tested on its own; coaching.actions.propose_matches feeds it and
stores its answer as a `MatchProposal` for an admin to review, edit and publish.

**Rules** (the issue's): a learner is never matched with their own line manager
(`Membership.line_manager`), never with a coach who shares no language with them (when both
said which languages they speak: `MatchProfile.languages`), and never with a coach whose
working hours (09:00-17:00 local, `circles.formation.working_window`, on a reference day of the
cohort so that daylight-saving time is the one in force then) overlap theirs by less than
`MIN_OVERLAP_MINUTES`; no coach gets more learners than they have room for (their capacity
less the learners they coach in other cohorts).

**Score** of a pair that keeps the rules: `BASE` for any match, plus an hour of shared working
time worth `PER_HOUR` (at most 8 hours), each shared focus competency `PER_FOCUS`, and
`STAY` when the coach is the learner's coach already (so a new proposal moves people only
for a real gain: the admin sees who moved).

**Method.** Maximising the total score under those capacities is a transportation problem,
solved exactly as a minimum-cost flow with OR-Tools (`SimpleMinCostFlow`): source → each
learner (capacity 1) → each allowed coach (capacity 1, cost -score) → sink (the coach's room),
and each learner → "nobody" → sink at cost 0, so a learner no coach may take is left
unmatched and reported rather than given a coach who breaks a rule. Integral capacities make
the optimum integral; a few hundred learners and a dozen coaches take milliseconds.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

BASE = 10.0
PER_HOUR = 1.0
PER_FOCUS = 3.0
STAY = 2.0
MIN_OVERLAP_MINUTES = 60
MAX_COUNTED_HOURS = 8
# OR-Tools' min-cost flow works in integers: scores are scaled by this before solving.
SCALE = 100


@dataclass(frozen=True)
class LearnerFacts:
    """What matching knows of one learner's seat. `window`: working hours in minutes from
    00:00 UTC of the reference day (circles.formation.working_window)."""

    seat_id: int
    user_id: int
    languages: frozenset[str]
    focus: frozenset[int]
    window: tuple[int, int]
    manager_id: int | None = None
    current_coach_id: int | None = None


@dataclass(frozen=True)
class CoachFacts:
    """What matching knows of one coach: `room` is how many more learners they can take in
    this cohort (capacity less their learners elsewhere; never negative)."""

    user_id: int
    languages: frozenset[str]
    focus: frozenset[int]
    window: tuple[int, int]
    room: int


@dataclass(frozen=True)
class PairScore:
    """Why a pair scores what it does (shown to the admin)."""

    score: float
    shared_language: bool
    overlap_minutes: int
    shared_focus: int


@dataclass(frozen=True)
class Pairing:
    """A learner's seat and the coach proposed (None: no coach may take them), with why."""

    seat_id: int
    coach_id: int | None
    why: PairScore | None


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Minutes two working windows share (0 if none)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_pair(learner: LearnerFacts, coach: CoachFacts) -> PairScore | None:
    """The pair's score, or None when a rule forbids it (the module docstring lists them)."""
    if coach.user_id in (learner.user_id, learner.manager_id):
        return None
    shared_language = not (learner.languages and coach.languages) or bool(
        learner.languages & coach.languages
    )
    if not shared_language:
        return None
    minutes = overlap(learner.window, coach.window)
    if minutes < MIN_OVERLAP_MINUTES:
        return None
    focus = len(learner.focus & coach.focus)
    score = (
        BASE
        + PER_HOUR * min(minutes / 60, MAX_COUNTED_HOURS)
        + PER_FOCUS * focus
        + (STAY if coach.user_id == learner.current_coach_id else 0.0)
    )
    return PairScore(round(score, 2), bool(learner.languages & coach.languages), minutes, focus)


def propose(learners: Sequence[LearnerFacts], coaches: Sequence[CoachFacts]) -> list[Pairing]:
    """One pairing per learner, in the order given, maximising the total score under every
    rule and each coach's room (exact: a minimum-cost flow). Learners no coach may take, or
    for whom there is no room left, get `coach_id=None`."""
    if not learners:
        return []
    flow = min_cost_flow.SimpleMinCostFlow()
    n = len(learners)
    source, nobody, sink = 0, n + len(coaches) + 1, n + len(coaches) + 2
    coach_node = {coach.user_id: n + 1 + i for i, coach in enumerate(coaches)}
    arcs: dict[int, tuple[int, int, PairScore]] = {}
    for i, learner in enumerate(learners):
        node = 1 + i
        flow.add_arc_with_capacity_and_unit_cost(source, node, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(node, nobody, 1, 0)
        for coach in coaches:
            why = score_pair(learner, coach)
            if why is None or coach.room <= 0:
                continue
            arc = flow.add_arc_with_capacity_and_unit_cost(
                node, coach_node[coach.user_id], 1, -round(why.score * SCALE)
            )
            arcs[arc] = (i, coach.user_id, why)
    for coach in coaches:
        flow.add_arc_with_capacity_and_unit_cost(
            coach_node[coach.user_id], sink, max(0, coach.room), 0
        )
    flow.add_arc_with_capacity_and_unit_cost(nobody, sink, n, 0)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: "nobody" always has room for everyone
        raise RuntimeError(f"matching found no optimum (status {status})")
    chosen: dict[int, tuple[int, PairScore]] = {}
    for arc, (i, coach_id, why) in arcs.items():
        if flow.flow(arc) > 0:
            chosen[i] = (coach_id, why)
    pairings = []
    for i, learner in enumerate(learners):
        coach_id, why = chosen.get(i, (None, None))  # type: ignore[assignment]
        pairings.append(Pairing(learner.seat_id, coach_id, why))
    return pairings
