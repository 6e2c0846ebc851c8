"""Keeping the rollups current: `refresh()` folds new `events.Event` rows into `LearnerWeek`.

Incremental and safe to interrupt. Each batch of events (in id order, after the high-water mark
`RollupMark.last_event_id`) is added to the rollup and the mark is advanced in one transaction,
so a refresh killed midway loses nothing and counts nothing twice: the next run starts after
the last committed batch. Two refreshes at once take turns on the mark's row
(`select_for_update`; SQLite's IMMEDIATE transactions serialise them anyway), and each re-reads
the mark inside its transaction.

Counts are added in the database (`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`,
the same statement on SQLite and PostgreSQL), so a batch costs one read of its events and one
`executemany` of its learner-weeks, whatever the size of the rollup.

On PostgreSQL an event's id is given when it is inserted and becomes visible when its
transaction commits, so a long transaction could commit an id below the mark after a refresh.
The refresh therefore leaves alone the newest events (those stamped within `settle` of now) and
takes them on the next run; an event written with a timestamp in the past by a transaction
still open for longer than `settle` would be missed (the seeds write theirs before any refresh).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from analytics.models import LearnerWeek, RollupMark, RollupName
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.models import Event, ObjectType, Verb
from programs.models import Activity, ActivityKind

BATCH_SIZE = 50_000
SETTLE = timedelta(seconds=30)

# Which activity kinds are counted as resource use, and in which column.
KIND_COLUMNS = {
    ActivityKind.VIDEO: "video",
    ActivityKind.AUDIO: "audio",
    ActivityKind.ARTICLE: "article",
    ActivityKind.ELEARNING: "elearning",
}
# Verbs that are a use of a resource (not a completion tick or an undo).
USE_VERBS = frozenset(
    {Verb.VIEWED, Verb.PLAYED, Verb.PROGRESSED, Verb.LAUNCHED, Verb.DOWNLOADED, Verb.COMPLETED}
)
# Things done to or for a learner, not by them: a seat, an import, an invitation.
NOT_TAKING_PART = frozenset({Verb.REGISTERED, Verb.UNREGISTERED, Verb.IMPORTED, Verb.INVITED})
COUNTERS = ("events", "completions", "video", "audio", "article", "elearning", "posts")


@dataclass
class RefreshReport:
    """What one `refresh()` did: events read, learner-weeks written (inserted or added to),
    batches committed, the mark it left, and the cohorts its events were about (their
    dashboards' snapshots are out of date: `analytics.snapshots.rebuild_for_cohorts`)."""

    events: int = 0
    rows: int = 0
    batches: int = 0
    mark: int = 0
    cohorts: set[int] = field(default_factory=set)


class _Lookups:
    """Cohorts, learner seats and activity kinds, loaded once per refresh as batches need them."""

    def __init__(self) -> None:
        self.cohorts: dict[int, tuple[int, Any]] = {}  # id -> (organization id, start date)
        self.learners: set[tuple[int, int]] = set()  # (cohort id, user id) of learner seats
        self.kinds: dict[str, str] = {}  # activity public id (hex) -> kind

    def load(self, cohort_ids: set[int], activity_ids: set[Any]) -> None:
        missing = cohort_ids - self.cohorts.keys()
        if missing:
            for pk, org, start in Cohort.objects.filter(pk__in=missing).values_list(
                "pk", "organization_id", "start_date"
            ):
                self.cohorts[pk] = (org, start)
            self.learners.update(
                Enrollment.objects.filter(
                    cohort_id__in=missing, role=EnrollmentRole.LEARNER
                ).values_list("cohort_id", "user_id")
            )
        wanted = {a for a in activity_ids if a.hex not in self.kinds}
        if wanted:
            for public_id, kind in Activity.objects.filter(public_id__in=wanted).values_list(
                "public_id", "kind"
            ):
                self.kinds[public_id.hex] = kind
            for a in wanted:
                self.kinds.setdefault(a.hex, "")  # not an activity of ours: no kind


def _upper_bound(mark: int, now: datetime, settle: timedelta) -> int:
    """The largest event id this refresh may take: the newest id, less any event stamped within
    `settle` of now (two queries on indexed columns, over the new ids only)."""
    newest = Event.objects.aggregate(top=Max("id"))["top"] or 0
    if newest <= mark or settle <= timedelta(0):
        return newest
    recent = Event.objects.filter(id__gt=mark, timestamp__gt=now - settle).aggregate(
        first=Min("id")
    )["first"]
    return newest if recent is None else recent - 1


def _fold(
    rows: Iterable[tuple[Any, ...]], lookups: _Lookups
) -> dict[tuple[int, int, int], list[int]]:
    """Counts per (cohort, learner, week) of one batch; events of non-learners, and seats,
    imports and invitations (done to a learner, not by them), are skipped."""
    counts: dict[tuple[int, int, int], list[int]] = {}
    for _pk, cohort_id, actor_id, verb, object_type, object_id, stamp in rows:
        if verb in NOT_TAKING_PART or (cohort_id, actor_id) not in lookups.learners:
            continue
        _org, start = lookups.cohorts[cohort_id]
        day = stamp.date()
        week = 0 if day < start else (day - start).days // 7 + 1
        key = (cohort_id, actor_id, min(week, 32767))
        row = counts.get(key)
        if row is None:
            row = counts[key] = [0, 0, 0, 0, 0, 0, 0]
        row[0] += 1
        if verb == Verb.COMPLETED:
            row[1] += 1
        elif verb == Verb.UNCOMPLETED:
            row[1] -= 1
        elif verb == Verb.COMMENTED:
            row[6] += 1
        if object_type == ObjectType.ACTIVITY and verb in USE_VERBS:
            column = KIND_COLUMNS.get(lookups.kinds.get(object_id.hex, ""))  # type: ignore[call-overload]
            if column is not None:
                row[COUNTERS.index(column)] += 1
    return counts


def _upsert(counts: dict[tuple[int, int, int], list[int]], lookups: _Lookups) -> None:
    table = connection.ops.quote_name(LearnerWeek._meta.db_table)
    columns = ", ".join(COUNTERS)
    placeholders = ", ".join(["%s"] * (4 + len(COUNTERS)))
    additions = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    sql = (
        f"INSERT INTO {table} (organization_id, cohort_id, learner_id, week, {columns}) "
        f"VALUES ({placeholders}) "
        f"ON CONFLICT (cohort_id, learner_id, week) DO UPDATE SET {additions}"
    )
    params = [
        (lookups.cohorts[cohort_id][0], cohort_id, learner_id, week, *values)
        for (cohort_id, learner_id, week), values in counts.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def refresh(
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    now: datetime | None = None,
    settle: timedelta = SETTLE,
) -> RefreshReport:
    """Fold every event after the mark into `LearnerWeek`, a batch of `batch_size` events per
    transaction, and return what was done. Idempotent: a second run with no new events reads
    two rows and writes nothing. `max_batches` stops early (the rest waits for the next run);
    `now` and `settle` decide which newest events wait (see the module's docstring).
    """
    report = RefreshReport()
    lookups = _Lookups()
    now = now or timezone.now()
    RollupMark.objects.get_or_create(name=RollupName.LEARNER_WEEK)
    upper: int | None = None
    while max_batches is None or report.batches < max_batches:
        with transaction.atomic():
            mark = RollupMark.objects.select_for_update().get(name=RollupName.LEARNER_WEEK)
            if upper is None:
                upper = _upper_bound(mark.last_event_id, now, settle)
            report.mark = mark.last_event_id
            if mark.last_event_id >= upper:
                break
            rows = list(
                Event.objects.filter(
                    id__gt=mark.last_event_id, id__lte=upper, cohort_id__isnull=False
                )
                .order_by("id")
                .values_list(
                    "id", "cohort_id", "actor_id", "verb", "object_type", "object_id", "timestamp"
                )[:batch_size]
            )
            lookups.load(
                {row[1] for row in rows},
                {row[5] for row in rows if row[4] == ObjectType.ACTIVITY},
            )
            counts = _fold(rows, lookups)
            if counts:
                _upsert(counts, lookups)
            mark.last_event_id = rows[-1][0] if len(rows) == batch_size else upper
            mark.save(update_fields=["last_event_id", "updated_at"])
            report.cohorts.update(row[1] for row in rows)
            report.events += len(rows)
            report.rows += len(counts)
            report.batches += 1
            report.mark = mark.last_event_id
    return report
