"""A programme's dashboard: counts of people from the rollups, through the small-group rule.

`build(program, cohorts, filters)` reads four things, whatever the number of events (the
rollups are per learner and week, never per event): the programme's activities; its learner
seats with their region, function and level and how far each got (the funnel); the
`LearnerWeek` rollup (weekly active learners, resource use by kind, completions by week); and
completed activities (`cohorts.ActivityProgress`). Every count is of people, in a tree of
groups — the programme, each cohort, and each region, function and level within a cohort — and
goes through `analytics.suppression` before anything is shown, so the page, the CSV export and
the charts show exactly the same numbers, and a hidden one stays hidden whichever filters are
chosen and compared. Uses (plays, views, launches) are shown only beside a shown count of the
people who made them.

Capability change (baseline → end of programme, baseline → a year later) per rater group (the
learner themself, their coach, their peers where at least three rated them:
`assessments.aggregates.seat_scores`) is over *paired* seats only: a seat counts for a
comparison and rater group when it has a score from that group in both rounds, and its change
is the later score minus the baseline (scale points). For each group of the tree: the number of
paired people (a measure like the others, through `suppression.protect_measure`), and, from the
sums of the changes and of their squares, the mean change, its 95% confidence interval and
Cohen's d_z with a plain-words size (`analytics.stats`), shown only where
`suppression.protect_sums` allows (never under the threshold, never recoverable by
subtraction along the tree's lines). Only statistics over the paired set of each comparison are
shown — no baseline average over a wider or narrower set of people that could be subtracted
from it. A cohort whose later round has not opened has nobody paired by construction (a
structural zero, known from its public dates): it is left out of that comparison's tree and
says "not yet", so it does not force its neighbours into suppression.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import stats, suppression
from analytics.models import LearnerWeek
from assessments.aggregates import seat_scores
from assessments.models import AssessmentRound, Response, RoundKind
from cohorts.models import ActivityProgress, Cohort, Enrollment, EnrollmentRole, ProgressState
from programs.models import Activity, ActivityKind, Program
from rapport import policy

ATTRIBUTES = (
    ("region", gettext_lazy("Region")),
    ("function", gettext_lazy("Function")),
    ("level", gettext_lazy("Level")),
)
RESOURCE_KINDS = (
    ("video", ActivityKind.VIDEO.label),
    ("audio", ActivityKind.AUDIO.label),
    ("article", ActivityKind.ARTICLE.label),
    ("elearning", ActivityKind.ELEARNING.label),
)
FUNNEL = (
    ("enrolled", gettext_lazy("Enrolled")),
    ("started", gettext_lazy("Took part at least once")),
    ("half", gettext_lazy("Completed half the activities")),
    ("all", gettext_lazy("Completed every activity")),
)
# The capability card's comparisons (the later round of each, paired with the baseline) and
# rater groups, in the order shown.
PAIRS = (
    (RoundKind.END.value, gettext_lazy("Baseline → end of programme")),
    (RoundKind.YEAR_LATER.value, gettext_lazy("Baseline → a year later")),
)
RATER_GROUPS = (
    ("self", gettext_lazy("Self")),
    ("coach", gettext_lazy("Coach")),
    ("peers", gettext_lazy("Peers (three or more)")),
)
NOT_GIVEN = "—"

type Node = tuple[Any, ...]
ROOT: Node = ("all",)


def cohort_node(cohort_id: int) -> Node:
    return ("cohort", cohort_id)


def group_node(cohort_id: int, attribute: str, value: str) -> Node:
    return ("cohort", cohort_id, attribute, value)


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: one cohort or all (`cohort` None), optionally one group of
    that cohort (`attribute` one of ATTRIBUTES' keys, `value` one of its values), and the
    dates whose weeks and cohorts are listed (`start`/`end`, inclusive; never a number that
    another range would not show the same)."""

    cohort: Cohort | None = None
    attribute: str = ""
    value: str = ""
    start: date | None = None
    end: date | None = None

    @property
    def node(self) -> Node:
        if self.cohort is None:
            return ROOT
        if self.attribute:
            return group_node(self.cohort.pk, self.attribute, self.value)
        return cohort_node(self.cohort.pk)


@dataclass
class Cell:
    """One shown-or-hidden count of people (`value` None: suppressed) and, where it has one,
    its share of the group (0 to 100, None when either is hidden) and a number of uses."""

    value: int | None
    percent: int | None = None
    uses: int | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


def change_key(later: str, group: str) -> tuple[str, str, str]:
    """The measure of people paired between the baseline and round `later` by rater `group`."""
    return ("paired", later, group)


@dataclass
class ChangeCell:
    """Capability change of one group for one comparison and rater group, as it may be shown.

    `people`: the paired people (a count cell; hidden when suppressed); `mean`, `low`, `high`
    (the 95% confidence interval) in scale points and `d_z` (Cohen's d_z), each rounded to two
    places, all None when hidden (`stats_hidden`) or when the comparison's later round has not
    opened for the group yet (`not_yet`: nobody can be paired). `d_z` is None too when every
    paired person changed by the same amount."""

    people: Cell
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    d_z: float | None = None
    not_yet: bool = False
    stats_hidden: bool = False

    @property
    def size(self) -> str:
        """The effect size in plain words ("small"...), "" when there is none."""
        return stats.size_label(self.d_z)

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass
class ChangeRow:
    """One line of the capability table: a comparison (`later` round) and a rater `group`."""

    later: str
    pair_label: str
    group: str
    group_label: str
    change: ChangeCell


@dataclass
class WeekRow:
    number: int
    starts: date | None
    ends: date | None
    active: Cell
    completed: Cell
    kinds: list[Cell]


@dataclass
class ActivityRow:
    week: int
    title: str
    kind: str
    completed: Cell


@dataclass
class CohortRow:
    """A cohort in the year-over-year tables: its funnel, and its capability change per
    comparison (`changes`: the comparison's label and one cell per rater group)."""

    cohort: Cohort
    funnel: list[Cell]
    changes: list[tuple[str, list[ChangeCell]]] = field(default_factory=list)


@dataclass
class Dashboard:
    """Everything one page shows; `size` None means the group is too small to show."""

    program: Program
    filters: Filters
    threshold: int
    size: int | None
    funnel: list[tuple[str, Cell]] = field(default_factory=list)
    weeks: list[WeekRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    cohorts: list[CohortRow] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    capability: list[ChangeRow] = field(default_factory=list)

    @property
    def hidden_count(self) -> int:
        """How many "suppressed" marks the page shows: one per hidden count, one per hidden
        set of change statistics in the group's capability table, and one per hidden change
        in the year-over-year table."""
        cells = [c for _label, c in self.funnel]
        for w in self.weeks:
            cells += [w.active, w.completed, *w.kinds]
        cells += [a.completed for a in self.activities]
        for row in self.cohorts:
            cells += row.funnel
        marks = sum(1 for c in cells if c.hidden)
        for line in self.capability:
            if not line.change.not_yet:
                marks += line.change.people.hidden + line.change.stats_hidden
        for row in self.cohorts:
            for _label, changes in row.changes:
                marks += sum(1 for c in changes if c.stats_hidden)
        return marks


class _Tally:
    """Counts per measure and node, summed up the tree from the finest rows; for the paired
    capability measures also the sums of the changes and of their squares (`moments`)."""

    def __init__(self) -> None:
        self.counts: dict[Any, dict[Node, int]] = defaultdict(lambda: defaultdict(int))
        self.uses: dict[Any, dict[Node, int]] = defaultdict(lambda: defaultdict(int))
        self.moments: dict[Any, dict[Node, list[float]]] = defaultdict(
            lambda: defaultdict(lambda: [0.0, 0.0])
        )

    def add_change(
        self, measure: Any, cohort_id: int, attrs: tuple[str, str, str], d: float
    ) -> None:
        """One paired person whose score changed by `d` scale points."""
        for node in self.nodes(cohort_id, attrs):
            self.counts[measure][node] += 1
            sums = self.moments[measure][node]
            sums[0] += d
            sums[1] += d * d

    @staticmethod
    def nodes(cohort_id: int, attrs: tuple[str, str, str]) -> tuple[Node, ...]:
        return (
            ROOT,
            cohort_node(cohort_id),
            *(
                group_node(cohort_id, name, value)
                for (name, _label), value in zip(ATTRIBUTES, attrs, strict=True)
            ),
        )

    def add(self, measure: Any, cohort_id: int, attrs: tuple[str, str, str], n: int) -> None:
        if n:
            for node in self.nodes(cohort_id, attrs):
                self.counts[measure][node] += n

    def add_uses(self, measure: Any, cohort_id: int, attrs: tuple[str, str, str], n: int) -> None:
        if n:
            for node in self.nodes(cohort_id, attrs):
                self.uses[measure][node] += n


def _attrs(row: Mapping[str, Any]) -> tuple[str, str, str]:
    return tuple((row[name] or NOT_GIVEN) for name, _label in ATTRIBUTES)  # type: ignore[return-value]


def _membership_fields(prefix: str) -> dict[str, F]:
    return {name: F(f"{prefix}membership__{name}") for name, _label in ATTRIBUTES}


def activities_of(program: Program) -> list[dict[str, Any]]:
    """The programme's activities in order (one query): id, week number, kind, title."""
    return [
        dict(row)
        for row in Activity.objects.filter(week__program=program)
        .order_by("week__number", "position", "pk")
        .values("pk", "kind", "title", week_number=F("week__number"))
    ]


class Board:
    """A programme's counts, read and protected once; `view(filters)` gives one page of it.

    Made by `load`. Every view of one board shows the same number for the same group and
    measure, since the small-group rule runs over the whole tree of groups whatever is asked.
    """

    def __init__(
        self,
        program: Program,
        cohorts: list[Cohort],
        activities: list[dict[str, Any]],
        tally: _Tally,
        sizes: dict[Node, int],
        values: dict[str, list[str]],
        tree: dict[Node, list[list[Node]]],
        opened: dict[str, set[int]] | None = None,
    ) -> None:
        self.program = program
        self.cohorts = cohorts
        self.activities = activities
        self.weeks = sorted({a["week_number"] for a in activities})
        self.tally = tally
        self.sizes = sizes
        self.values = values
        self.tree = tree
        self.opened = opened or {}
        self.threshold = policy.min_group_size()
        self.hidden_sizes = suppression.protect_sizes(sizes, tree, threshold=self.threshold)
        self._solved: dict[Any, set[Node]] = {}
        self._solved_sums: dict[Any, set[Node]] = {}

    def restricted(self, later: str) -> tuple[dict[Node, list[list[Node]]], dict[Node, int]]:
        """The tree and sizes of comparison `later`: the cohorts whose `later` round has
        opened, with everything under them (the others are structural zeros, module
        docstring); the programme's node is the sum of those cohorts."""
        opened = self.opened.get(later, set())
        tree: dict[Node, list[list[Node]]] = {
            ROOT: [[child for child in self.tree[ROOT][0] if child[1] in opened]]
        }
        for parent, partitions in self.tree.items():
            if parent != ROOT and parent[1] in opened:
                tree[parent] = partitions
        sizes = {node: n for node, n in self.sizes.items() if node != ROOT and node[1] in opened}
        sizes[ROOT] = sum(sizes[child] for child in tree[ROOT][0])
        return tree, sizes

    def has_opened(self, later: str, node: Node) -> bool:
        """Whether any cohort of group `node` has had its `later` round open."""
        opened = self.opened.get(later, set())
        return bool(opened) if node == ROOT else node[1] in opened

    def hidden(self, key: Any) -> set[Node]:
        """The nodes whose count of measure `key` is suppressed (solved once per measure)."""
        if key not in self._solved:
            tree, sizes = self.tree, self.sizes
            if key[0] == "paired":
                tree, sizes = self.restricted(key[1])
            self._solved[key] = suppression.protect_measure(
                self.tally.counts.get(key, {}),
                sizes,
                self.hidden_sizes & sizes.keys(),
                tree,
                threshold=self.threshold,
            )
        return self._solved[key]

    def hidden_sums(self, key: Any) -> set[Node]:
        """The nodes whose change statistics for paired measure `key` are suppressed."""
        if key not in self._solved_sums:
            tree, _sizes = self.restricted(key[1])
            self._solved_sums[key] = suppression.protect_sums(
                self.tally.counts.get(key, {}),
                self.hidden(key),
                tree,
                threshold=self.threshold,
            )
        return self._solved_sums[key]

    def stats(self, key: Any, node: Node) -> tuple[float, float, float, float | None] | None:
        """The mean change, its confidence interval and d_z of paired measure `key` in group
        `node`, rounded to two places, or None where they are suppressed."""
        if node in self.hidden_sums(key):
            return None
        n = self.tally.counts[key][node]
        total, squares = self.tally.moments[key][node]
        change = stats.paired_change(n, total, squares)
        assert change.low is not None and change.high is not None  # n >= threshold >= 3
        return (
            round(change.mean, 2),
            round(change.low, 2),
            round(change.high, 2),
            None if change.d_z is None else round(change.d_z, 2),
        )

    def change(self, later: str, group: str, node: Node) -> ChangeCell:
        """The capability change of group `node` from the baseline to round `later`, as rated
        by rater `group`, as it may be shown."""
        if not self.has_opened(later, node):
            return ChangeCell(Cell(None), not_yet=True)
        key = change_key(later, group)
        people = self.cell(key, node)
        if people.value is None:
            return ChangeCell(Cell(None), stats_hidden=True)
        found = self.stats(key, node)
        if found is None:
            return ChangeCell(Cell(people.value), stats_hidden=True)
        mean, low, high, d_z = found
        return ChangeCell(Cell(people.value), mean, low, high, d_z)

    def cell(self, key: Any, node: Node, *, with_uses: bool = False) -> Cell:
        """The count of measure `key` in group `node` as it may be shown."""
        if node in self.hidden_sizes or node not in self.sizes:
            return Cell(None)
        if key[0] == "paired" and not self.has_opened(key[1], node):
            return Cell(None)  # a structural zero: left out of the comparison's tree
        size = self.sizes[node]
        if key == ("funnel", "enrolled"):
            return Cell(size, 100 if size else None)
        if node in self.hidden(key):
            return Cell(None)
        value = self.tally.counts.get(key, {}).get(node, 0)
        uses = self.tally.uses.get(key, {}).get(node, 0) if with_uses else None
        return Cell(value, round(100 * value / size) if size else None, uses)

    def size_of(self, node: Node) -> int | None:
        """The number of learners in group `node`, or None where it is suppressed."""
        if node in self.hidden_sizes or node not in self.sizes:
            return None
        return self.sizes[node]

    def measures(self) -> list[Any]:
        """Every measure a page of this board can show."""
        keys: list[Any] = [("funnel", key) for key, _l in FUNNEL if key != "enrolled"]
        for week in self.weeks:
            keys += [("active", week), ("completed", week)]
            keys += [(kind, week) for kind, _l in RESOURCE_KINDS]
        keys += [("activity", a["pk"]) for a in self.activities]
        return keys + [
            change_key(later, group) for later, _l in PAIRS for group, _g in RATER_GROUPS
        ]

    def view(self, filters: Filters) -> Dashboard:
        """The page for `filters` (no query)."""
        node = filters.node
        board = Dashboard(
            program=self.program,
            filters=filters,
            threshold=self.threshold,
            size=self.size_of(node),
            values=self.values,
        )
        for cohort in self.cohorts:
            if _in_range(cohort.start_date, cohort.start_date, filters):
                at = cohort_node(cohort.pk)
                board.cohorts.append(
                    CohortRow(
                        cohort,
                        [self.cell(("funnel", key), at) for key, _l in FUNNEL],
                        [
                            (str(label), [self.change(later, g, at) for g, _g in RATER_GROUPS])
                            for later, label in PAIRS
                        ],
                    )
                )
        if board.size is None:
            return board
        board.capability = [
            ChangeRow(later, str(pair), group, str(label), self.change(later, group, node))
            for later, pair in PAIRS
            for group, label in RATER_GROUPS
        ]
        board.funnel = [(str(label), self.cell(("funnel", key), node)) for key, label in FUNNEL]
        for number in self.weeks:
            starts = ends = None
            if filters.cohort is not None:
                starts = filters.cohort.week_starts_on(number)
                ends = starts + timedelta(days=6)
                if not _in_range(starts, ends, filters):
                    continue
            board.weeks.append(
                WeekRow(
                    number,
                    starts,
                    ends,
                    self.cell(("active", number), node),
                    self.cell(("completed", number), node),
                    [
                        self.cell((kind, number), node, with_uses=True)
                        for kind, _l in RESOURCE_KINDS
                    ],
                )
            )
        kinds = dict(ActivityKind.choices)
        board.activities = [
            ActivityRow(
                a["week_number"],
                a["title"],
                str(kinds.get(a["kind"], a["kind"])),
                self.cell(("activity", a["pk"]), node),
            )
            for a in self.activities
        ]
        return board


def load(program: Program, cohorts: Iterable[Cohort], *, today: date | None = None) -> Board:
    """The counts of `program` over `cohorts` (the programme's cohorts the person may see,
    all of them: the tree's totals are over these), in seven queries whatever the number of
    people, events or ratings: the activities, the seats (the funnel), the weekly rollup, the
    completed activities, and for capability change the rounds that have opened by `today`
    (default: the server's date), the rated seats' groups and the seats' scores."""
    cohorts = sorted(cohorts, key=lambda c: (c.start_date, c.name))
    cohort_ids = [c.pk for c in cohorts]
    activities = activities_of(program)
    total_activities = len(activities)
    weeks = sorted({a["week_number"] for a in activities})
    tally = _Tally()
    sizes: dict[Node, int] = defaultdict(int)
    values: dict[str, set[str]] = {name: set() for name, _label in ATTRIBUTES}

    # 1. Seats and the funnel.
    half = (total_activities + 1) // 2
    took_part = LearnerWeek.objects.filter(
        cohort_id=OuterRef("cohort_id"), learner_id=OuterRef("user_id")
    )
    seats = (
        Enrollment.objects.filter(cohort_id__in=cohort_ids, role=EnrollmentRole.LEARNER)
        .annotate(took_part=Exists(took_part))
        .values("cohort_id", **_membership_fields("user__"))
        .annotate(
            n=Count("id"),
            started=Count("id", filter=Q(took_part=True) | Q(completed_count__gt=0)),
            half=Count("id", filter=Q(completed_count__gte=max(half, 1))),
            all=Count("id", filter=Q(completed_count__gte=max(total_activities, 1))),
        )
        .order_by()
    )
    for row in seats:
        attrs = _attrs(row)
        for (name, _label), value in zip(ATTRIBUTES, attrs, strict=True):
            values[name].add(value)
        for node in _Tally.nodes(row["cohort_id"], attrs):
            sizes[node] += row["n"]
        for key in ("started", "half", "all"):
            tally.add(("funnel", key), row["cohort_id"], attrs, row[key])

    # 2. The weekly rollup.
    per_week = (
        LearnerWeek.objects.filter(cohort_id__in=cohort_ids, week__in=weeks)
        .values("cohort_id", "week", **_membership_fields("learner__"))
        .annotate(
            active=Count("id"),
            completed=Count("id", filter=Q(completions__gt=0)),
            **{f"{k}_people": Count("id", filter=Q(**{f"{k}__gt": 0})) for k, _l in RESOURCE_KINDS},
            **{f"{k}_uses": Sum(k) for k, _l in RESOURCE_KINDS},
        )
        .order_by()
    )
    for week_row in per_week:
        counts: dict[str, Any] = dict(week_row)
        attrs, cohort_id, week = _attrs(counts), counts["cohort_id"], counts["week"]
        tally.add(("active", week), cohort_id, attrs, counts["active"])
        tally.add(("completed", week), cohort_id, attrs, counts["completed"])
        for kind, _label in RESOURCE_KINDS:
            tally.add((kind, week), cohort_id, attrs, counts[f"{kind}_people"])
            tally.add_uses((kind, week), cohort_id, attrs, counts[f"{kind}_uses"] or 0)

    # 3. Completions per activity.
    done = (
        ActivityProgress.objects.filter(
            enrollment__cohort_id__in=cohort_ids,
            enrollment__role=EnrollmentRole.LEARNER,
            state=ProgressState.COMPLETED,
        )
        .values(
            "activity_id",
            cohort_id=F("enrollment__cohort_id"),
            **_membership_fields("enrollment__user__"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for done_row in done:
        tally.add(
            ("activity", done_row["activity_id"]),
            done_row["cohort_id"],
            _attrs(done_row),
            done_row["n"],
        )

    # 4. Capability change: paired seats per comparison and rater group.
    today = today or timezone.localdate()
    opened: dict[str, set[int]] = {later: set() for later, _l in PAIRS}
    for cohort_id, kind in AssessmentRound.objects.filter(
        cohort_id__in=cohort_ids, kind__in=list(opened), opens_on__lte=today
    ).values_list("cohort_id", "kind"):
        opened[kind].add(cohort_id)
    rated = Response.objects.filter(subject_id=OuterRef("pk"))
    groups_of_seat = {
        row["pk"]: (row["cohort_id"], _attrs(row))
        for row in Enrollment.objects.filter(cohort_id__in=cohort_ids, role=EnrollmentRole.LEARNER)
        .filter(Exists(rated))
        .values("pk", "cohort_id", **_membership_fields("user__"))
        .order_by()
    }
    by_seat: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for score in seat_scores(cohort_ids):
        if score.enrollment_id in groups_of_seat:
            by_seat[score.enrollment_id, score.group][score.round_kind] = score.mean
    for (seat_id, group), means in by_seat.items():
        baseline = means.get(RoundKind.BASELINE.value)
        if baseline is None:
            continue
        cohort_id, attrs = groups_of_seat[seat_id]
        for later, _label in PAIRS:
            if later in means and cohort_id in opened[later]:
                tally.add_change(
                    change_key(later, group), cohort_id, attrs, means[later] - baseline
                )

    # The tree: the programme split into cohorts; each cohort by region, function and level.
    tree: dict[Node, list[list[Node]]] = {ROOT: [[cohort_node(pk) for pk in cohort_ids]]}
    groups_of: dict[int, dict[str, list[str]]] = {
        pk: {name: [] for name, _l in ATTRIBUTES} for pk in cohort_ids
    }
    for node in sizes:
        if len(node) == 4:
            groups_of[node[1]][node[2]].append(node[3])
    for pk in cohort_ids:
        tree[cohort_node(pk)] = [
            [group_node(pk, name, v) for v in sorted(groups_of[pk][name])]
            for name, _l in ATTRIBUTES
        ]
    sizes.setdefault(ROOT, 0)
    for pk in cohort_ids:
        sizes.setdefault(cohort_node(pk), 0)
    return Board(
        program,
        cohorts,
        activities,
        tally,
        dict(sizes),
        {name: sorted(v) for name, v in values.items()},
        tree,
        opened,
    )


def _in_range(starts: date, ends: date, filters: Filters) -> bool:
    if filters.start is not None and ends < filters.start:
        return False
    return not (filters.end is not None and starts > filters.end)


def describe(filters: Filters) -> str:
    """The filters in words, for the page's heading and the CSV's first line."""
    who = filters.cohort.name if filters.cohort is not None else _("All cohorts")
    if filters.attribute:
        label = dict(ATTRIBUTES)[filters.attribute]
        who += f" · {label}: {filters.value}"
    return who
