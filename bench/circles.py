#!/usr/bin/env python
"""Benchmark: forming peer circles for 4,500 and 100,000 learners (circles.formation).

Builds a synthetic global cohort (`synthetic_cohort`): people in 18 time zones weighted like a
large company's offices, a region that follows the zone, eight functions, teams of about seven
under a line manager who is often in the programme too, and a third of people who were in a
circle in an earlier cohort (their old circle-mates are in their zone band, where they would
most likely meet again). Forms circles mixing region and function, then checks every circle
against every rule from scratch (`check_circle`) and prints wall time, score / upper bound, the
number of violations (must be 0) and who was left out.

    .venv/bin/python bench/circles.py                 # 4,500 and 100,000
    .venv/bin/python bench/circles.py --learners 4500 --learners 20000
"""

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import NamedTuple

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from circles.formation import Learner, check_circle, form_circles, working_window

# (zone, region, weight): where a global company's managers sit.
ZONES = [
    ("America/Los_Angeles", "North America", 8),
    ("America/Chicago", "North America", 6),
    ("America/New_York", "North America", 12),
    ("America/Mexico_City", "Latin America", 4),
    ("America/Sao_Paulo", "Latin America", 6),
    ("Europe/London", "Europe", 10),
    ("Europe/Paris", "Europe", 10),
    ("Europe/Berlin", "Europe", 6),
    ("Africa/Lagos", "Africa", 3),
    ("Africa/Nairobi", "Africa", 3),
    ("Africa/Johannesburg", "Africa", 2),
    ("Asia/Dubai", "Middle East", 3),
    ("Asia/Kolkata", "South Asia", 8),
    ("Asia/Singapore", "East Asia", 5),
    ("Asia/Shanghai", "East Asia", 5),
    ("Asia/Tokyo", "East Asia", 4),
    ("Australia/Sydney", "Oceania", 4),
    ("Pacific/Auckland", "Oceania", 1),
]
FUNCTIONS = [
    ("Operations", 25),
    ("Sales", 18),
    ("Engineering", 15),
    ("Finance", 10),
    ("Marketing", 10),
    ("Research", 10),
    ("People", 8),
    ("Legal", 4),
]
REFERENCE_DAY = date(2027, 1, 13)  # a Wednesday
MIX = ("region", "function")


class _Person(NamedTuple):
    id: int
    zone: str
    region: str
    function: str


def synthetic_cohort(n: int, *, seed: int = 7, day: date = REFERENCE_DAY) -> list[Learner]:
    """`n` learners as described in the module docstring; the same for the same seed."""
    rng = random.Random(seed)
    windows = {zone: working_window(zone, day) for zone, _, _ in ZONES}
    zones = rng.choices(ZONES, weights=[w for *_, w in ZONES], k=n)
    functions = rng.choices([f for f, _ in FUNCTIONS], weights=[w for _, w in FUNCTIONS], k=n)
    people = [
        _Person(i + 1, zone, region, function)
        for i, ((zone, region, _), function) in enumerate(zip(zones, functions, strict=True))
    ]
    # Teams of about seven sharing a zone and a function; in 40% of them the manager is in the
    # programme as a learner too.
    managers: dict[int, int] = {}
    teams: dict[tuple[str, str], list[int]] = {}
    for person in people:
        teams.setdefault((person.zone, person.function), []).append(person.id)
    for members in teams.values():
        for start in range(0, len(members), 7):
            team = members[start : start + 7]
            if len(team) > 1 and rng.random() < 0.4:
                for report in team[1:]:
                    managers[report] = team[0]
    # A third took part in an earlier cohort, in circles of six within their zone.
    mates: dict[int, set[int]] = {}
    veterans = sorted(
        (p for p in people if rng.random() < 1 / 3), key=lambda p: (p.zone, rng.random())
    )
    for start in range(0, len(veterans), 6):
        circle = [p.id for p in veterans[start : start + 6]]
        for pid in circle:
            mates[pid] = set(circle) - {pid}
    return [
        Learner(
            id=p.id,
            window=windows[p.zone],
            attributes={"region": p.region, "function": p.function},
            manager_id=managers.get(p.id),
            past_mates=frozenset(mates.get(p.id, set())),
        )
        for p in people
    ]


def run(n: int) -> dict[str, object]:
    learners = synthetic_cohort(n)
    began = time.perf_counter()
    formation = form_circles(learners, MIX)
    seconds = time.perf_counter() - began
    by_id = {p.id: p for p in learners}
    violations = sum(len(check_circle([by_id[i] for i in circle])) for circle in formation.circles)
    placed = [i for circle in formation.circles for i in circle]
    assert len(placed) == len(set(placed)), "someone is in two circles"
    missing = set(by_id) - set(placed) - {u.id for u in formation.unplaced}
    return {
        "learners": n,
        "seconds": round(seconds, 3),
        "circles": len(formation.circles),
        "sizes": dict(sorted(Counter(len(c) for c in formation.circles).items())),
        "score": formation.score,
        "bound": formation.bound,
        "ratio": round(formation.ratio, 4),
        "violations": violations,
        "unplaced": len(formation.unplaced),
        "unplaced_reasons": dict(Counter(u.reason for u in formation.unplaced)),
        "lost": len(missing),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, action="append")
    args = parser.parse_args()
    for n in args.learners or [4500, 100_000]:
        result = run(n)
        print(
            f"{n:>7} learners: {result['seconds']:.2f} s, {result['circles']} circles "
            f"{result['sizes']}, score {result['score']} / bound {result['bound']} "
            f"= {result['ratio']:.2%}, violations {result['violations']}, "
            f"unplaced {result['unplaced']} {result['unplaced_reasons']}, lost {result['lost']}"
        )


if __name__ == "__main__":
    main()
