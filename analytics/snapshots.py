"""The dashboards' solved cells, kept as a rollup: what a page may show, worked out once.

Solving the small-group rule over a programme's whole tree of groups (`analytics.dashboard`,
`analytics.suppression`) takes seconds at 100,000 learners, so it is not done per request:
`rebuild` solves a programme's board and stores only the counts that may be shown (hidden ones
are simply absent) in its `DashboardSnapshot`; `board_for` serves pages from it in one query.
`manage.py run_periodic` rebuilds the snapshots of the programmes whose cohorts had new events
after each rollup refresh (a seat, a completion, a post all record one), and a programme
without a snapshot gets one on its first view. Pages say when their figures were computed.

A snapshot holds counts already through the small-group rule, the same an admin's page shows,
and the capability card's change statistics only where `suppression.protect_sums` lets them
be shown (rounded as the page shows them): no person's row, no name, nothing typed.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from analytics.dashboard import (
    ATTRIBUTES,
    Board,
    Cell,
    Dashboard,
    Filters,
    Node,
    activities_of,
    load,
)
from analytics.models import DashboardSnapshot
from cohorts.models import Cohort
from programs.models import Program
from rapport import policy

VERSION = 2  # 2: capability change (paired counts, change statistics, opened rounds)


def _key(parts: Iterable[Any]) -> str:
    return "|".join(str(part) for part in parts)


def freeze(board: Board) -> dict[str, Any]:
    """The board's shown counts, as JSON: sizes and cells by group, uses beside their count."""
    sizes = {_key(node): size for node in board.sizes if (size := board.size_of(node)) is not None}
    cells: dict[str, dict[str, list[int | None]]] = {}
    for measure in board.measures():
        shown: dict[str, list[int | None]] = {}
        for node in board.sizes:
            cell = board.cell(measure, node, with_uses=True)
            if cell.value is not None:
                shown[_key(node)] = [cell.value, cell.uses]
        cells[_key(measure)] = shown
    changes: dict[str, dict[str, list[float | None]]] = {}
    for measure in board.measures():
        if measure[0] != "paired":
            continue
        figures: dict[str, list[float | None]] = {}
        for node in board.sizes:
            if board.has_opened(measure[1], node) and cells[_key(measure)].get(_key(node)):
                found = board.stats(measure, node)
                if found is not None:
                    figures[_key(node)] = list(found)
        changes[_key(measure)] = figures
    return {
        "version": VERSION,
        "threshold": board.threshold,
        "sizes": sizes,
        "cells": cells,
        "changes": changes,
        "opened": {later: sorted(ids) for later, ids in board.opened.items()},
        "values": board.values,
    }


class FrozenBoard(Board):
    """A board served from its snapshot: the same `view` and `cell` as `Board`, no solving."""

    def __init__(
        self,
        program: Program,
        cohorts: list[Cohort],
        activities: list[dict[str, Any]],
        data: dict[str, Any],
        built_at: datetime,
    ) -> None:
        self.program = program
        self.cohorts = sorted(cohorts, key=lambda c: (c.start_date, c.name))
        self.activities = activities
        self.weeks = sorted({a["week_number"] for a in activities})
        self.data = data
        self.values = {name: list(data["values"].get(name, [])) for name, _l in ATTRIBUTES}
        self.threshold = int(data["threshold"])
        self.opened = {later: set(ids) for later, ids in data.get("opened", {}).items()}
        self.built_at = built_at

    def size_of(self, node: Node) -> int | None:
        size = self.data["sizes"].get(_key(node))
        return None if size is None else int(size)

    def cell(self, key: Any, node: Node, *, with_uses: bool = False) -> Cell:
        size = self.size_of(node)
        if size is None:
            return Cell(None)
        if key == ("funnel", "enrolled"):
            return Cell(size, 100 if size else None)
        found = self.data["cells"].get(_key(key), {}).get(_key(node))
        if found is None:
            return Cell(None)
        value, uses = found
        return Cell(value, round(100 * value / size) if size else None, uses if with_uses else None)

    def stats(self, key: Any, node: Node) -> tuple[float, float, float, float | None] | None:
        found = self.data.get("changes", {}).get(_key(key), {}).get(_key(node))
        if found is None:
            return None
        mean, low, high, d_z = found
        return mean, low, high, d_z

    def view(self, filters: Filters) -> Dashboard:
        return Board.view(self, filters)


def rebuild(program: Program, *, today: date | None = None) -> DashboardSnapshot:
    """Solve `program`'s board over all its cohorts and store what may be shown. `today`
    (default: the server's date) decides which assessment rounds have opened."""
    cohorts = list(Cohort.objects.filter(program=program))
    data = freeze(load(program, cohorts, today=today))
    with transaction.atomic():
        snapshot, _created = DashboardSnapshot.objects.update_or_create(
            program=program,
            defaults={
                "organization_id": program.organization_id,
                "data": data,
                "built_at": timezone.now(),
            },
        )
    return snapshot


def rebuild_for_cohorts(cohort_ids: Iterable[int], *, today: date | None = None) -> int:
    """Rebuild the snapshots of the programmes of these cohorts (`today` as for `rebuild`);
    returns how many."""
    programs = Program.objects.filter(cohorts__pk__in=list(cohort_ids)).distinct()
    count = 0
    for program in programs:
        rebuild(program, today=today)
        count += 1
    return count


def board_for(program: Program, cohorts: list[Cohort]) -> FrozenBoard:
    """The programme's board from its snapshot (two queries: the activities and the snapshot),
    made now when it has none or it was made under another threshold."""
    activities = activities_of(program)
    snapshot = DashboardSnapshot.objects.filter(program=program).first()
    if (
        snapshot is None
        or snapshot.data.get("version") != VERSION
        or snapshot.data.get("threshold") != policy.min_group_size()
    ):
        snapshot = rebuild(program)
    return FrozenBoard(program, cohorts, activities, snapshot.data, snapshot.built_at)
