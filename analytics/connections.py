"""Connection analytics: who got to know whom in a cohort, week by week, in aggregate only.

The interaction graph of a cohort's learners: a *tie* joins two learners once one replied to
the other's post or reacted to it, or answered their request for feedback between rounds
(either way round), read from the discussions of the cohort (its prompts' threads, its
community space and its circles' conversations) and from its answered feedback requests
(`assessments.FeedbackAnswer`: named, so a tie reveals nothing the two did not already know;
a declined request makes none; assessment ratings, which peers give as a group, make none). Circle
co-membership is read too, to tell ties *beyond one's circle* (people who would not otherwise
have met) from ties inside it; coaching contacts are the learners who have had a 1:1 session
with their coach. Nothing a person wrote is read: authors, parents, reactions and dates only.

`for_cohort(cohort)` makes seven queries whatever the size (the seats with their region and
function, the programme's weeks, circle members, coaching sessions, and the replies, the
reactions and the feedback answers, each one row of three integers per interaction — who, to
whom, the week, worked out in SQL by `week_of` — read straight from the cursor) and groups
them with numpy (`directed_pairs`: the first contact of each directed pair; then each tie, in
the earlier week of its two directions). It returns, for each programme week (cumulative to
its end): the learners with a new tie that week, the learners with no tie yet (isolates),
those who have met their coach, as counts of people through
`rapport.policy.suppress_small_groups` (each against the rest of the cohort); and the ties
made, their share across regions, across functions and beyond one's circle, and how many of
the directed pairs are returned (reciprocity, as networkx's `overall_reciprocity` of the
directed graph to that week, worked out from the two counts it depends on), shown only when
the learners with a tie are a shown count. Counting first contacts per week is all the graph
this needs; the networkx computation it replaced (every interaction into a graph, the directed
graph copied each week for its reciprocity) is kept in
analytics/tests/test_connections_oracle.py, which checks that both give the same figures.
`not_yet_connected(coach)` is the one list with names: for a coach, the members of the
published circles they coach who have no tie yet; nobody else sees it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection
from django.db.models import Case, F, IntegerField, Max, QuerySet, Value, When
from django.utils import timezone

from analytics.models import ConnectionSnapshot
from assessments.models import FeedbackAnswer, FeedbackState
from circles.models import Circle, CircleMember, CircleState
from coaching.models import Booking, BookingStatus
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from discussions.models import Post, Reaction
from programs.models import Week
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User

SNAPSHOT_VERSION = 2  # 2: answered feedback between rounds makes a tie
# Reactions record no event, so a snapshot is also rebuilt once it is this old.
STALE = timedelta(hours=1)


@dataclass
class People:
    """A count of people and the rest of the cohort, as they may be shown (None: suppressed)."""

    value: int | None
    percent: int | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass
class ConnectionWeek:
    """One programme week, counted to its end. The tie figures are None when suppressed."""

    number: int
    new_tie: People
    isolated: People
    coached: People
    ties: int | None
    new_ties: int | None
    per_learner: float | None
    across_regions: int | None  # percent of the ties
    across_functions: int | None
    beyond_circle: int | None
    reciprocity: int | None  # percent of directed interactions returned


@dataclass
class CohortConnections:
    """A cohort's connections; `isolated` are the ids of its learners with no tie yet (only
    ever shown, by name, to the coach of their circle)."""

    cohort: Cohort
    learners: int | None  # None: the cohort is too small to show anything
    weeks: list[ConnectionWeek] = field(default_factory=list)
    isolated: list[int] = field(default_factory=list)
    built_at: datetime | None = None


def _week(cohort: Cohort, moment: datetime | date, last: int) -> int:
    day = moment.date() if isinstance(moment, datetime) else moment
    return min(max(cohort.week_number_on(day), 1), max(last, 1))


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _people(value: int, size: int) -> People:
    shown = policy.suppress_small_groups({"yes": value, "no": size - value})
    count = shown.cells["yes"]
    return People(count, None if count is None else _percent(count, size))


def week_of(cohort: Cohort, moment: str, last: int) -> Case | Value:
    """`_week` in SQL, for the datetime expression `moment`: 1 until the end of the first week
    (earlier moments too), then each week to midnight UTC after its last day, `last` from
    then on. The same clamped number `_week` gives for the moment's UTC date. A balanced tree
    of CASEs, so a row costs about log2(`last`) comparisons rather than up to `last`."""
    ends = [
        datetime.combine(cohort.week_ends_on(number) + timedelta(days=1), time(), tzinfo=UTC)
        for number in range(1, last)
    ]

    def weeks(low: int, high: int) -> Case | Value:
        if low >= high:
            return Value(low, output_field=IntegerField())
        middle = (low + high) // 2  # before the end of week `middle`: low..middle
        return Case(
            When(**{f"{moment}__lt": ends[middle - 1]}, then=weeks(low, middle)),
            default=weeks(middle + 1, high),
            output_field=IntegerField(),
        )

    return weeks(1, max(last, 1))


def _contact_queries(cohort: Cohort, last: int) -> list[QuerySet[Any, tuple[int, int, int]]]:
    """The three reads of `directed_pairs`: the cohort's replies, reactions and answered
    feedback, one row `(from, to, week)` per interaction (self-contacts left out), the week
    clamped to 1..`last` in SQL (`week_of`)."""
    replies = (
        Post.objects.filter(thread__cohort=cohort, parent__isnull=False)
        .exclude(author_id=F("parent__author_id"))
        .order_by()
        .annotate(week=week_of(cohort, "created_at", last))
        .values_list("author_id", "parent__author_id", "week")
    )
    reactions = (
        Reaction.objects.filter(post__thread__cohort=cohort)
        .exclude(user_id=F("post__author_id"))
        .order_by()
        .annotate(week=week_of(cohort, "created_at", last))
        .values_list("user_id", "post__author_id", "week")
    )
    feedback = (
        FeedbackAnswer.objects.filter(
            request__seat__cohort=cohort,
            state=FeedbackState.ANSWERED,
            answered_at__isnull=False,
        )
        .exclude(writer_id=F("request__seat__user_id"))
        .order_by()
        .annotate(week=week_of(cohort, "answered_at", last))
        .values_list("writer_id", "request__seat__user_id", "week")
    )
    return [replies, reactions, feedback]


def _earliest(
    first: np.ndarray, second: np.ndarray, week: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per distinct (`first`, `second`) pair, with its smallest `week` (the rows
    sorted by pair)."""
    if not len(first):
        return first, second, week
    # One sort of one integer per row: the pair, then the week.
    span, weeks = int(second.max()) + 1, int(week.max()) + 1
    keys = np.sort((first * span + second) * weeks + week)
    pairs = keys // weeks
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    keep[1:] = pairs[1:] != pairs[:-1]
    pairs = pairs[keep]
    return pairs // span, pairs % span, keys[keep] % weeks


def directed_pairs(
    cohort: Cohort, learners: Iterable[int], last: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who first replied or reacted to whom among `learners` of the cohort, or answered
    their request for feedback, and when: three integer arrays of equal length (sources,
    targets, weeks), one entry per directed pair, in the week of its first contact clamped to
    1..`last` as the page counts them. Three queries, one row of three integers per
    interaction read straight from the cursor (no model, no per-row conversion), the pairs
    grouped here with numpy: SQLite's GROUP BY over the same rows costs more than the read
    (docs/performance.md, "Connections"). Self-contacts and anyone not in `learners` are left
    out."""
    rows: list[tuple[int, int, int]] = []
    for query in _contact_queries(cohort, last):
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows += cursor.fetchall()
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=3 * len(rows))
    table = flat.reshape(len(rows), 3)
    seated = np.array(sorted(set(learners)), dtype=np.int64)
    inside = np.isin(table[:, 0], seated) & np.isin(table[:, 1], seated)
    table = table[inside]
    return _earliest(table[:, 0], table[:, 1], table[:, 2])


def first_contacts(
    cohort: Cohort, learners: Iterable[int], last: int
) -> dict[tuple[int, int], int]:
    """`directed_pairs` as `{(from, to): week}`."""
    sources, targets, weeks = directed_pairs(cohort, learners, last)
    return {
        (source, target): week
        for source, target, week in zip(
            sources.tolist(), targets.tolist(), weeks.tolist(), strict=True
        )
    }


def _codes(values: list[Any]) -> np.ndarray:
    """Each value's number among the distinct values (None is a value of its own)."""
    numbers: dict[Any, int] = {}
    return np.array([numbers.setdefault(v, len(numbers)) for v in values], dtype=np.int64)


def _per_week(weeks: np.ndarray, last: int) -> list[int]:
    """How many of `weeks` fall in each week 0..`last` (index = week)."""
    return [int(n) for n in np.bincount(weeks, minlength=last + 1)[: last + 1]]


def for_cohort(cohort: Cohort, *, now: datetime | None = None) -> CohortConnections:
    """The cohort's connections week by week (seven queries; see the module's docstring)."""
    now = now or timezone.now()
    seats = list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER).values_list(
            "user_id", F("user__membership__region"), F("user__membership__function")
        )
    )
    threshold = policy.min_group_size()
    size = len(seats)
    result = CohortConnections(cohort, size if size >= threshold else None, built_at=now)
    if result.learners is None:
        result.isolated = [user for user, _r, _f in seats]
        return result
    last = Week.objects.filter(program_id=cohort.program_id).aggregate(n=Max("number"))["n"] or 1
    circle_of = dict(
        CircleMember.objects.filter(cohort=cohort, circle__state=CircleState.PUBLISHED)
        .values_list("user_id", "circle_id")
        .order_by()
    )
    seats.sort()
    ids = np.array([user for user, _r, _f in seats], dtype=np.int64)
    first_session: dict[int, int] = {}
    for learner, starts in (
        Booking.objects.filter(
            learner_id__in=ids.tolist(), status=BookingStatus.BOOKED, starts_at__lte=now
        )
        .values_list("learner_id", "starts_at")
        .order_by("starts_at")
    ):
        first_session.setdefault(learner, _week(cohort, starts, last))

    # Who first spoke to whom, and in which week (a directed pair each); a tie is made in the
    # earlier week of its two directions. Learners are counted by their index in `ids`.
    sources, targets, weeks = directed_pairs(cohort, ids.tolist(), last)
    directed_in = _per_week(weeks, last)
    a, b, tie_week = _earliest(
        np.searchsorted(ids, np.minimum(sources, targets)),
        np.searchsorted(ids, np.maximum(sources, targets)),
        weeks,
    )
    # Per week: the ties made, those across regions, across functions and beyond one's circle
    # (either one has no circle, or they are in different ones).
    region = _codes([r for _u, r, _f in seats])
    function = _codes([f for _u, _r, f in seats])
    circle = np.array([circle_of.get(user, -1) for user, _r, _f in seats], dtype=np.int64)
    made_in = _per_week(tie_week, last)
    regions_in = _per_week(tie_week[region[a] != region[b]], last)
    functions_in = _per_week(tie_week[function[a] != function[b]], last)
    beyond_in = _per_week(tie_week[(circle[a] < 0) | (circle[a] != circle[b])], last)
    # Who made a tie in each week (each learner once a week), and in which week their first.
    person, week_met = _earliest(
        np.concatenate([a, b]),
        np.concatenate([tie_week, tie_week]),
        np.zeros(2 * len(a), dtype=np.int64),
    )[:2]
    met_in = _per_week(week_met, last)
    firsts = np.ones(len(person), dtype=bool)
    firsts[1:] = person[1:] != person[:-1]
    first_in = _per_week(week_met[firsts], last)

    connected = total = directed = across_regions = across_functions = beyond = 0
    for number in range(1, last + 1):
        new = made_in[number]
        across_regions += regions_in[number]
        across_functions += functions_in[number]
        beyond += beyond_in[number]
        connected += first_in[number]
        total += new
        directed += directed_in[number]
        isolated = size - connected
        connected_people = _people(connected, size)
        shown = not connected_people.hidden  # tie figures only beside a shown count of people
        result.weeks.append(
            ConnectionWeek(
                number=number,
                new_tie=_people(met_in[number], size),
                isolated=_people(isolated, size),
                coached=_people(sum(1 for w in first_session.values() if w <= number), size),
                ties=total if shown else None,
                new_ties=new if shown else None,
                per_learner=round(2 * total / size, 1) if shown else None,
                across_regions=_percent(across_regions, total) if shown else None,
                across_functions=_percent(across_functions, total) if shown else None,
                beyond_circle=_percent(beyond, total) if shown else None,
                # networkx's overall reciprocity of the directed graph to this week: the share
                # of its edges whose reverse is there too, 2 * (directed - undirected) / directed
                reciprocity=round(100 * (2 * (directed - total) / directed))
                if shown and directed
                else None,
            )
        )
    unconnected = np.ones(len(ids), dtype=bool)
    unconnected[person] = False
    result.isolated = ids[unconnected].tolist()
    return result


def _dump(result: CohortConnections) -> dict[str, Any]:
    def people(p: People) -> list[int | None]:
        return [p.value, p.percent]

    return {
        "version": SNAPSHOT_VERSION,
        "threshold": policy.min_group_size(),
        "learners": result.learners,
        "isolated": result.isolated,
        "weeks": [
            {
                **{k: v for k, v in vars(w).items() if not isinstance(v, People)},
                **{k: people(v) for k, v in vars(w).items() if isinstance(v, People)},
            }
            for w in result.weeks
        ],
    }


def _load(cohort: Cohort, data: dict[str, Any], built_at: datetime) -> CohortConnections:
    weeks = []
    for w in data["weeks"]:
        values = dict(w)
        for name in ("new_tie", "isolated", "coached"):
            values[name] = People(*values[name])
        weeks.append(ConnectionWeek(**values))
    return CohortConnections(cohort, data["learners"], weeks, list(data["isolated"]), built_at)


def rebuild(cohort: Cohort, *, now: datetime | None = None) -> ConnectionSnapshot:
    """Compute `cohort`'s connections (`for_cohort`) and keep them in its snapshot."""
    result = for_cohort(cohort, now=now)
    snapshot, _created = ConnectionSnapshot.objects.update_or_create(
        cohort=cohort,
        defaults={
            "organization_id": cohort.organization_id,
            "data": _dump(result),
            "built_at": result.built_at or timezone.now(),
        },
    )
    return snapshot


def rebuild_stale(cohort_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Rebuild the snapshots of these cohorts (new events: a post, a seat) and of every cohort
    whose snapshot is older than STALE (reactions record no event); returns how many."""
    now = now or timezone.now()
    stale = ConnectionSnapshot.objects.filter(built_at__lt=now - STALE).values_list(
        "cohort_id", flat=True
    )
    wanted = set(cohort_ids) | set(stale)
    count = 0
    for cohort in Cohort.objects.filter(pk__in=wanted):
        rebuild(cohort, now=now)
        count += 1
    return count


def snapshot_for(cohort: Cohort) -> CohortConnections:
    """The cohort's connections from its snapshot (one query), computed now when it has none
    or it was made under another threshold."""
    snapshot = ConnectionSnapshot.objects.filter(cohort=cohort).first()
    if (
        snapshot is None
        or snapshot.data.get("version") != SNAPSHOT_VERSION
        or snapshot.data.get("threshold") != policy.min_group_size()
    ):
        snapshot = rebuild(cohort)
    return _load(cohort, snapshot.data, snapshot.built_at)


@dataclass
class CircleList:
    """A circle the coach coaches and its members with no tie yet (names: the coach's own)."""

    circle: Circle
    members: int
    not_connected: list["User"]


def not_yet_connected(coach: "User | Any") -> list[CircleList]:
    """For each published circle `coach` coaches (`Circle.coach`, through
    `Circle.objects.visible_to`), its members who have not yet replied or reacted to a peer
    of their cohort, nor been replied or reacted to by one, as of their cohort's connection
    snapshot (three queries, and one computation per cohort without a snapshot). Empty for
    anyone who coaches no circle."""
    circles = list(
        Circle.objects.visible_to(coach)
        .filter(coach=coach, state=CircleState.PUBLISHED)
        .select_related("cohort")
        .order_by("cohort__start_date", "name")
    )
    if not circles:
        return []
    members = list(
        CircleMember.objects.filter(circle__in=circles)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    cohorts = {c.cohort_id: c.cohort for c in circles}
    snapshots = {s.cohort_id: s for s in ConnectionSnapshot.objects.filter(cohort_id__in=cohorts)}
    isolated: dict[int, set[int]] = {}
    for cohort_id, cohort in cohorts.items():
        snapshot = snapshots.get(cohort_id)
        if snapshot is None or snapshot.data.get("version") != SNAPSHOT_VERSION:
            snapshot = rebuild(cohort)
        isolated[cohort_id] = set(snapshot.data["isolated"])
    by_circle: dict[int, list[CircleMember]] = defaultdict(list)
    for member in members:
        by_circle[member.circle_id].append(member)
    return [
        CircleList(
            circle,
            len(by_circle[circle.pk]),
            [m.user for m in by_circle[circle.pk] if m.user_id in isolated[circle.cohort_id]],
        )
        for circle in circles
    ]
