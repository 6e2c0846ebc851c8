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

Capability change (baseline → end → a year later) is not shown yet: the ratings exist
(`assessments.aggregates.seat_scores`), but an average across people needs protection against
differencing (one group's mean against a group one person larger) before it can be shown; the
dashboard says so rather than showing anything.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import suppression
from analytics.models import LearnerWeek
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
    cohort: Cohort
    funnel: list[Cell]


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

    @property
    def hidden_count(self) -> int:
        cells = [c for _label, c in self.funnel]
        for w in self.weeks:
            cells += [w.active, w.completed, *w.kinds]
        cells += [a.completed for a in self.activities]
        for row in self.cohorts:
            cells += row.funnel
        return sum(1 for c in cells if c.hidden)


class _Tally:
    """Counts per measure and node, summed up the tree from the finest rows."""

    def __init__(self) -> None:
        self.counts: dict[Any, dict[Node, int]] = defaultdict(lambda: defaultdict(int))
        self.uses: dict[Any, dict[Node, int]] = defaultdict(lambda: defaultdict(int))

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
    ) -> None:
        self.program = program
        self.cohorts = cohorts
        self.activities = activities
        self.weeks = sorted({a["week_number"] for a in activities})
        self.tally = tally
        self.sizes = sizes
        self.values = values
        self.tree = tree
        self.threshold = policy.min_group_size()
        self.hidden_sizes = suppression.protect_sizes(sizes, tree, threshold=self.threshold)
        self._solved: dict[Any, set[Node]] = {}

    def hidden(self, key: Any) -> set[Node]:
        """The nodes whose count of measure `key` is suppressed (solved once per measure)."""
        if key not in self._solved:
            self._solved[key] = suppression.protect_measure(
                self.tally.counts.get(key, {}),
                self.sizes,
                self.hidden_sizes,
                self.tree,
                threshold=self.threshold,
            )
        return self._solved[key]

    def cell(self, key: Any, node: Node, *, with_uses: bool = False) -> Cell:
        """The count of measure `key` in group `node` as it may be shown."""
        if node in self.hidden_sizes or node not in self.sizes:
            return Cell(None)
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
        return keys + [("activity", a["pk"]) for a in self.activities]

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
                board.cohorts.append(
                    CohortRow(
                        cohort,
                        [self.cell(("funnel", key), cohort_node(cohort.pk)) for key, _l in FUNNEL],
                    )
                )
        if board.size is None:
            return board
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


def load(program: Program, cohorts: Iterable[Cohort]) -> Board:
    """The counts of `program` over `cohorts` (the programme's cohorts the person may see,
    all of them: the tree's totals are over these), in four queries: the activities, the
    seats (the funnel), the weekly rollup and the completed activities."""
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
