"""Forming peer circles: a pure function over plain data (no database), so it can be tested and
benchmarked on its own (`bench/circles.py`).

**The problem.** Split a cohort's learners into circles of 5-7 people such that, in every circle:

1. *shared working hours*: everyone's working window overlaps for at least two hours. A window is
   09:00-17:00 local time on the reference day (by default the Wednesday of the cohort's first
   week, so that daylight-saving time is the one in force then), expressed in minutes from
   00:00 UTC of that day (`working_window`). Members must share `min_shared_minutes` (120) of
   them: ``min(end) - max(start) >= 120``;
2. *no line manager*: nobody is with the person they report to (`Learner.manager_id`);
3. *no repeats*: no two people who shared a circle in an earlier cohort (`Learner.past_mates`);

and maximise the number of **new cross-boundary ties**: pairs of circle-mates who differ on at
least one of the attributes the admin chose to mix (for example region and function). Every pair
in a circle is new (rule 3), so the score is the number of pairs minus the pairs that agree on
every mixed attribute (their "key"). A person who cannot be placed without breaking a rule is
left out and reported with the reason (`Unplaced`); a rule is never broken silently.

**The upper bound** (`upper_bound`). For any split of N people into K circles of 5-7:
score = (pairs in all circles) - (same-key pairs). The pairs are at most those of the most
unequal sizes allowed (as many 7s as possible: C(s, 2) is convex). The same-key pairs of a key
held by n people are at least those of spreading them evenly over the K circles (convexity
again: n = qK + r gives r*C(q+1, 2) + (K-r)*C(q, 2)). Both relaxations only drop constraints, so
their difference bounds every feasible split with K circles; the bound is the largest over every
feasible K. It ignores time zones, line managers and repeats, so it may be unreachable; the
benchmark reports score / bound.

**The method.** (a) Sort people by the start of their window and cut the sorted list into
*bands*: consecutive runs whose windows all share two hours, with a size that can be split into
circles of 5-7. A small dynamic programme over the distinct windows chooses the cuts that leave
fewest people out, then use fewest bands (bigger bands mix more). Everyone in a band can meet
everyone else in it, so rule 1 holds for any circle inside a band. (b) Within a band of n people,
make m = ceil(n / 7) circles and *deal* the people, sorted by key, round-robin into them: each key
is spread evenly (the bound's relaxation, attained within the band) and sizes differ by at most
one. (c) Repair: a person who breaks rule 2 or 3 in their circle is swapped with someone of the
same key from another circle of the band (which leaves the score unchanged) or, failing that,
with anyone, where both circles then keep every rule; failing that they are left out and offered
to `place_late_joiner`. (d) People left out (a band too small, or no valid swap) go into a circle
with room by the late-joiner rule, or are reported. Running time is O(N log N): 100,000 people in
a few seconds. OR-Tools' CP-SAT was considered for step (c); dealing already attains the bound's
same-key spread in each band, so the measured gap is the band structure, which a local solver
would not change, and no solver is needed at run time.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MIN_SIZE = 5
MAX_SIZE = 7
MIN_SHARED_MINUTES = 120
WORKDAY_START = time(9)
WORKDAY_END = time(17)

# Why a person could not be placed (`Unplaced.reason`): stable codes, with sentences for pages.
NO_SHARED_HOURS = "no_shared_hours"
CONFLICTS = "conflicts"
TOO_FEW = "too_few"
TAKEN = "taken"
REASONS = {
    NO_SHARED_HOURS: "no circle with room shares two working hours with them",
    CONFLICTS: "every circle with room and shared hours holds their line manager, someone they "
    "manage, or someone they were in a circle with before",
    TOO_FEW: "fewer than 5 learners in the cohort share working hours with them",
    TAKEN: "the place found for them was taken at the same moment by another placement; "
    "place them by hand",
}


@dataclass(frozen=True, slots=True)
class Learner:
    """One person to place. `window` is (start, end) of their working hours in minutes from
    00:00 UTC on the reference day (`working_window`); `attributes` maps an attribute name
    (region, function, level) to its value; `manager_id` is their line manager's id or None;
    `past_mates` are the ids of people they shared a circle with in an earlier cohort."""

    id: int
    window: tuple[int, int]
    attributes: Mapping[str, str] = field(default_factory=dict)
    manager_id: int | None = None
    past_mates: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A person left out, and why (one of `REASONS`)."""

    id: int
    reason: str

    @property
    def explanation(self) -> str:
        return REASONS[self.reason]


@dataclass
class Formation:
    """The result: `circles` as lists of learner ids, who is left out and why, the score (new
    cross-boundary ties) and its upper bound (`upper_bound`)."""

    circles: list[list[int]]
    unplaced: list[Unplaced]
    score: int
    bound: int

    @property
    def ratio(self) -> float:
        return self.score / self.bound if self.bound else 1.0


def reference_day(start: date) -> date:
    """The Wednesday of the week starting on `start` (the cohort's first week): the day on which
    working hours are compared, with the UTC offsets in force then."""
    return start + timedelta(days=(2 - start.weekday()) % 7)


def working_window(
    zone: str, day: date, *, start: time = WORKDAY_START, end: time = WORKDAY_END
) -> tuple[int, int]:
    """Working hours `start`-`end` local time in `zone` on `day`, as minutes from 00:00 UTC on
    `day` (so 09:00-17:00 in Tokyo, UTC+9, is (0, 480); in Lima, UTC-5, (840, 1320))."""
    tz = ZoneInfo(zone)
    midnight_utc = datetime.combine(day, time(0), tzinfo=ZoneInfo("UTC"))

    def minutes(at: time) -> int:
        local = datetime.combine(day, at, tzinfo=tz)
        return int((local - midnight_utc).total_seconds() // 60)

    return minutes(start), minutes(end)


def key_of(learner: Learner, mix: Sequence[str]) -> tuple[str, ...]:
    """The values of the mixed attributes: two people with the same key make no cross-boundary
    tie."""
    return tuple(learner.attributes.get(name, "") for name in mix)


def shared_minutes(windows: Iterable[tuple[int, int]]) -> int:
    """Minutes every window has in common (0 if none, or no windows)."""
    latest_start, earliest_end = -math.inf, math.inf
    for start, end in windows:
        latest_start, earliest_end = max(latest_start, start), min(earliest_end, end)
    if latest_start == -math.inf:
        return 0
    return int(max(0, earliest_end - latest_start))


def conflict(a: Learner, b: Learner) -> bool:
    """True when rule 2 or 3 forbids a and b in one circle."""
    return (
        a.manager_id == b.id or b.manager_id == a.id or b.id in a.past_mates or a.id in b.past_mates
    )


def check_circle(
    members: Sequence[Learner],
    *,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
    min_shared_minutes: int = MIN_SHARED_MINUTES,
) -> list[str]:
    """Every rule the circle breaks, as sentences (empty: it keeps them all)."""
    problems = []
    if not min_size <= len(members) <= max_size:
        problems.append(f"{len(members)} members, outside {min_size}-{max_size}")
    if members and shared_minutes([m.window for m in members]) < min_shared_minutes:
        problems.append("fewer than two shared working hours")
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if a.manager_id == b.id or b.manager_id == a.id:
                problems.append("a person and their line manager")
            elif b.id in a.past_mates or a.id in b.past_mates:
                problems.append("two people who shared a circle before")
    return problems


def ties(members: Sequence[Learner], mix: Sequence[str]) -> int:
    """New cross-boundary ties in one circle: pairs that differ on at least one mixed
    attribute."""
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for m in members:
        counts[key_of(m, mix)] += 1
    n = len(members)
    return n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in counts.values())


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _even_pairs(n: int, k: int) -> int:
    q, r = divmod(n, k)
    return r * _pairs(q + 1) + (k - r) * _pairs(q)


def upper_bound(
    key_counts: Iterable[int], total: int, *, min_size: int = MIN_SIZE, max_size: int = MAX_SIZE
) -> int:
    """The most new cross-boundary ties any split of `total` people into circles of
    `min_size`-`max_size` can have, given how many people hold each key (see the module
    docstring for the argument). 0 when no split exists."""
    counts = [c for c in key_counts if c > 1]
    best = 0
    for k in range(math.ceil(total / max_size), total // min_size + 1):
        # Largest sum of C(s, 2): as many circles as possible at max_size.
        extra = total - min_size * k
        step = max_size - min_size
        full, rest = divmod(extra, step)
        full = min(full, k)
        rest = extra - full * step
        sizes_pairs = full * _pairs(max_size)
        if full < k:
            sizes_pairs += _pairs(min_size + rest) + (k - full - 1) * _pairs(min_size)
        same = sum(_even_pairs(c, k) for c in counts)
        best = max(best, sizes_pairs - same)
    return best


def _splittable(n: int, min_size: int, max_size: int) -> bool:
    return n > 0 and math.ceil(n / max_size) * min_size <= n


def _bands(
    people: list[Learner], min_size: int, max_size: int, min_shared: int
) -> tuple[list[list[Learner]], list[Learner]]:
    """Cut people (sorted by window start) into bands of mutually compatible, splittable runs,
    over the distinct windows, leaving out as few as possible, then using as few bands as
    possible. Returns (bands, left out)."""
    groups: list[list[Learner]] = []
    for person in people:
        if groups and groups[-1][0].window == person.window:
            groups[-1].append(person)
        else:
            groups.append([person])
    g = len(groups)
    inf = (math.inf, math.inf)
    best: list[tuple[float, float]] = [inf] * (g + 1)
    choice: list[tuple[int, bool]] = [(0, False)] * (g + 1)
    best[0] = (0, 0)
    for j in range(1, g + 1):
        # Skip group j-1 (its people are left out for now).
        skipped = (best[j - 1][0] + len(groups[j - 1]), best[j - 1][1])
        best[j], choice[j] = skipped, (j - 1, False)
        size, max_start, min_end = 0, -math.inf, math.inf
        for i in range(j - 1, -1, -1):
            start, end = groups[i][0].window
            max_start, min_end = max(max_start, start), min(min_end, end)
            if min_end - max_start < min_shared:
                break
            size += len(groups[i])
            if _splittable(size, min_size, max_size):
                candidate = (best[i][0], best[i][1] + 1)
                if candidate < best[j]:
                    best[j], choice[j] = candidate, (i, True)
    bands: list[list[Learner]] = []
    left: list[Learner] = []
    j = g
    while j > 0:
        i, is_band = choice[j]
        members = [p for group in groups[i:j] for p in group]
        if is_band:
            bands.append(members)
        else:
            left.extend(members)
        j = i
    bands.reverse()
    return bands, left


def _fits(person: Learner, circle: list[Learner], min_shared: int, skip: Learner | None) -> bool:
    windows = [person.window]
    for other in circle:
        if other is skip:
            continue
        if conflict(person, other):
            return False
        windows.append(other.window)
    return shared_minutes(windows) >= min_shared


def _has_conflict(person: Learner, circle: list[Learner]) -> bool:
    return any(other is not person and conflict(person, other) for other in circle)


def _repair(circles: list[list[Learner]], mix: Sequence[str], min_shared: int) -> list[Learner]:
    """Swap people out of circles where they break rule 2 or 3 (see the module docstring);
    returns those no swap could place, removed from their circle."""
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, circle in enumerate(circles):
        for person in circle:
            by_key[key_of(person, mix)].append(index)
    left: list[Learner] = []
    for index, circle in enumerate(circles):
        for person in list(circle):
            if not _has_conflict(person, circle):
                continue
            same_key = by_key[key_of(person, mix)]
            # Same-key partners first (the swap keeps the score), then anyone.
            candidates = [c for c in dict.fromkeys([*same_key, *range(len(circles))]) if c != index]
            done = False
            for other_index in candidates:
                other = circles[other_index]
                for partner in other:
                    if _fits(person, other, min_shared, skip=partner) and _fits(
                        partner, circle, min_shared, skip=person
                    ):
                        circle[circle.index(person)] = partner
                        other[other.index(partner)] = person
                        done = True
                        break
                if done:
                    break
            if not done:
                circle.remove(person)
                left.append(person)
    return left


def place_late_joiner(
    person: Learner,
    circles: Sequence[Sequence[Learner]],
    mix: Sequence[str] = (),
    *,
    max_size: int = MAX_SIZE,
    min_shared_minutes: int = MIN_SHARED_MINUTES,
    sizes: Sequence[int] | None = None,
) -> int | Unplaced:
    """The index of the circle to put `person` in, or why none fits: a circle with room (fewer
    than `max_size`), sharing two working hours with them, holding no line manager, report or
    earlier circle-mate of theirs. Among those, the one where they make the most new ties, then
    the smallest, then the first. `sizes`, when given, is each circle's real number of members
    (it may hold people who are not learners to place by, e.g. a seat whose role changed): room
    is counted on it, never on fewer."""
    best: tuple[int, int, int] | None = None
    saw_hours = False
    key = key_of(person, mix)
    for index, circle in enumerate(circles):
        size = max(len(circle), sizes[index]) if sizes is not None else len(circle)
        if size >= max_size:
            continue
        if shared_minutes([person.window, *(m.window for m in circle)]) < min_shared_minutes:
            continue
        saw_hours = True
        if any(conflict(person, other) for other in circle):
            continue
        new_ties = sum(1 for other in circle if key_of(other, mix) != key)
        rank = (-new_ties, size, index)
        if best is None or rank < best:
            best = rank
    if best is not None:
        return best[2]
    return Unplaced(person.id, CONFLICTS if saw_hours else NO_SHARED_HOURS)


def form_circles(
    learners: Iterable[Learner],
    mix: Sequence[str],
    *,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
    min_shared_minutes: int = MIN_SHARED_MINUTES,
) -> Formation:
    """Split `learners` into circles that keep every rule and mix them on `mix` (see the module
    docstring for the rules, the method and the bound). Deterministic for a given input order.
    Raises ValueError when min_size > max_size or min_size < 2."""
    if not 2 <= min_size <= max_size:
        raise ValueError("circle sizes must satisfy 2 <= min_size <= max_size")
    people = sorted(learners, key=lambda p: (p.window, p.id))
    bands, left = _bands(people, min_size, max_size, min_shared_minutes)
    circles: list[list[Learner]] = []
    for band in bands:
        count = math.ceil(len(band) / max_size)
        dealt: list[list[Learner]] = [[] for _ in range(count)]
        ordered = sorted(band, key=lambda p: (key_of(p, mix), p.id))
        for position, person in enumerate(ordered):
            dealt[position % count].append(person)
        left.extend(_repair(dealt, mix, min_shared_minutes))
        circles.extend(dealt)
    # Circles a repair left too small give their people back to be placed elsewhere.
    for circle in [c for c in circles if len(c) < min_size]:
        circles.remove(circle)
        left.extend(circle)
    unplaced: list[Unplaced] = []
    for person in sorted(left, key=lambda p: p.id):
        placed = place_late_joiner(
            person, circles, mix, max_size=max_size, min_shared_minutes=min_shared_minutes
        )
        if not isinstance(placed, Unplaced):
            circles[placed].append(person)
        elif placed.reason == NO_SHARED_HOURS and (
            sum(
                1
                for other in people
                if shared_minutes([person.window, other.window]) >= min_shared_minutes
            )
            < min_size
        ):
            unplaced.append(Unplaced(person.id, TOO_FEW))
        else:
            unplaced.append(placed)
    key_counts: dict[tuple[str, ...], int] = defaultdict(int)
    for person in people:
        key_counts[key_of(person, mix)] += 1
    return Formation(
        circles=[[p.id for p in circle] for circle in circles],
        unplaced=unplaced,
        score=sum(ties(circle, mix) for circle in circles),
        bound=upper_bound(key_counts.values(), len(people), min_size=min_size, max_size=max_size),
    )
