"""A programme's headline figures, for a sponsor's home page: how many people were enrolled,
took part at least once and completed every activity, over all its cohorts.

Read from the programme's dashboard snapshot (`analytics.snapshots`), so every figure is one the
dashboard itself shows — already through the small-group rule, `None` where it is suppressed —
and the home page never solves a board: a programme whose snapshot is missing or was made under
another threshold shows no figures and says so (its dashboard makes one when it is opened, and
`manage.py run_periodic` after each rollup refresh). Two queries, whatever the number of
programmes, cohorts or learners.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from analytics import access, snapshots
from analytics.dashboard import ROOT, Cell
from analytics.models import DashboardSnapshot
from programs.models import Program
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Headline:
    """One programme's figures: counts of people (None = suppressed or not computed yet),
    each with its share of those enrolled in whole percent (None likewise)."""

    program: Program
    cohorts: int
    enrolled: int | None
    took_part: Cell
    completed: Cell
    built_at: datetime | None

    @property
    def computed(self) -> bool:
        """Whether the figures exist yet (the programme's snapshot was built)."""
        return self.built_at is not None


def programme_headlines(user: "User | Any") -> list[Headline]:
    """The headline figures of every programme of the reader's organisation, by title.

    PermissionDenied for anyone but an organisation admin or sponsor
    (`access.require_dashboard_reader`). Two queries: the programmes with their number of
    cohorts, and their snapshots.
    """
    access.require_dashboard_reader(user)
    programs = list(
        Program.objects.in_organization_of(user)
        .annotate(cohort_count=Count("cohorts"))
        .order_by("title", "pk")
    )
    found = {s.program_id: s for s in DashboardSnapshot.objects.filter(program__in=programs)}
    threshold = policy.min_group_size()
    headlines = []
    for program in programs:
        snapshot = found.get(program.pk)
        cohorts = int(getattr(program, "cohort_count", 0))
        if (
            snapshot is None
            or snapshot.data.get("version") != snapshots.VERSION
            or snapshot.data.get("threshold") != threshold
        ):
            headlines.append(Headline(program, cohorts, None, Cell(None), Cell(None), None))
            continue
        board = snapshots.FrozenBoard(program, [], [], snapshot.data, snapshot.built_at)
        headlines.append(
            Headline(
                program,
                cohorts,
                board.size_of(ROOT),
                board.cell(("funnel", "started"), ROOT),
                board.cell(("funnel", "all"), ROOT),
                snapshot.built_at,
            )
        )
    return headlines
