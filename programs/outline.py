"""The outline of a programme — weeks, activities, competencies — memoised per app server.

Every journey page needs the whole outline, and it changes only when a designer edits it, so
each process keeps it in memory keyed by (programme, outline_version). The version is read with
the learner's enrollment anyway (select_related), which makes a stale copy impossible: an edit
bumps the version in the database (programs/signals.py) and every process rebuilds on its next
request. This takes three queries and most of the ORM's work off every page.

Outline objects are shared between requests: treat them as read-only.
"""

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from organizations.models import Competency
from programs.models import Activity, Program, Week

MAX_PROGRAMS = 64


@dataclass(frozen=True)
class ProgramOutline:
    weeks: tuple[Week, ...]
    activities_by_week: dict[int, tuple[Activity, ...]] = field(default_factory=dict)
    by_public_id: dict[uuid.UUID, Activity] = field(default_factory=dict)

    def activity_count(self, week_number: int) -> int:
        return len(self.activities_by_week.get(week_number, ()))

    @property
    def total_activities(self) -> int:
        return len(self.by_public_id)

    def activities(self, week_number: int) -> tuple[Activity, ...]:
        return self.activities_by_week.get(week_number, ())


# Keyed by the public UUID, never reused, unlike an integer id that SQLite may hand out again.
_memo: OrderedDict[tuple[uuid.UUID, int], ProgramOutline] = OrderedDict()
_lock = threading.Lock()


def _build(program_id: int) -> ProgramOutline:
    weeks = tuple(Week.objects.filter(program_id=program_id).order_by("number"))
    activities = (
        Activity.objects.filter(week__program_id=program_id)
        .select_related("week")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.only("id", "name")))
        .order_by("week__number", "position", "id")
    )
    by_week: dict[int, list[Activity]] = {week.number: [] for week in weeks}
    by_id: dict[uuid.UUID, Activity] = {}
    for activity in activities:
        by_week[activity.week.number].append(activity)
        by_id[activity.public_id] = activity
    return ProgramOutline(
        weeks=weeks,
        activities_by_week={number: tuple(items) for number, items in by_week.items()},
        by_public_id=by_id,
    )


def outline_of(program: Program) -> ProgramOutline:
    key = (program.public_id, program.outline_version)
    with _lock:
        cached = _memo.get(key)
        if cached is not None:
            _memo.move_to_end(key)
            return cached
    outline = _build(program.pk)
    with _lock:
        _memo[key] = outline
        while len(_memo) > MAX_PROGRAMS:
            _memo.popitem(last=False)
    return outline


def bump_outline_version(program_ids: list[int] | set[int]) -> None:
    if program_ids:
        Program.objects.filter(pk__in=program_ids).update(outline_version=F("outline_version") + 1)


def clear_memo() -> None:
    """For tests that roll back database changes the memo has seen."""
    with _lock:
        _memo.clear()
