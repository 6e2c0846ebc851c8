"""The outline of a programme — weeks, activities, competencies — as immutable values, cached.

Every journey page needs the whole outline, and it changes only when a designer edits it. The
outline is built from three queries into frozen dataclasses and tuples of plain values (never
ORM instances, so nothing a request does to it can leak into another) and kept in Django's cache
framework (`CACHES["default"]`: local memory, or Redis when REDIS_URL is set), with a small
per-process copy in front of it.

Freshness is the database's job, not the application's: `Program.outline_token` is a random
value that database triggers (`programs/outline_triggers.py`) replace whenever a row of the
programme's weeks, activities, activity competencies or competency names is inserted, updated or
deleted — by a save, `QuerySet.update`, `bulk_create`, raw SQL or a data migration alike — and
for an activity or week that moves, in the old programme as well as the new one. The token is
read with the learner's enrolment anyway (select_related), and the cache key holds it, so a stale
outline cannot be served: a changed programme simply has a new key. Being random rather than a
counter, a token is never reused for different content, even after a rolled-back transaction or a
database restored from a backup while the cache kept running.

Only programme content goes in: titles, summaries, bodies, file names, times. Never anything
about a person (docs/architecture.md, "Caches hold no private text").
"""

import logging
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from django.core.cache import caches
from django.db.models import Prefetch
from django.utils import translation

from organizations.models import Competency
from programs.models import MEDIA_KINDS, Activity, ActivityKind, Program, Week, session_start
from programs.validators import guess_media_type

logger = logging.getLogger(__name__)

# Part of every cache key: bump it when the shape of these classes changes, so a new release
# never unpickles an old release's outlines from a shared cache.
OUTLINE_FORMAT = 3  # 2: has_captions; 3: live sessions relative to the cohort's week
CACHE_ALIAS = "default"
CACHE_SECONDS = 24 * 60 * 60  # a changed programme gets a new key; old keys just expire
LOCAL_COPIES = 64  # programmes whose outline each process keeps unpickled


@lru_cache(maxsize=256)
def _kind_label(language: str | None, kind: str) -> str:
    return str(ActivityKind(kind).label)


def kind_label(kind: str) -> str:
    """The name of an activity kind (an `ActivityKind` value) in the active language.

    Memoised per language: the lists of the journey pages name a kind for every activity, and
    each lazy label goes through the translation catalogues anew. Raises ValueError for a
    value that is not a kind."""
    return _kind_label(translation.get_language(), kind)


@dataclass(frozen=True, slots=True)
class OutlineCompetency:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class OutlineWeek:
    id: int
    number: int
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class OutlineActivity:
    """One activity as the journey pages show it: the model's fields as plain values.

    `media` and `captions` are the stored file names ("" when there is none), so templates can
    keep asking `activity.media`; the files themselves are served by programs.views.
    """

    id: int
    public_id: uuid.UUID
    week: OutlineWeek
    position: int
    kind: str
    title: str
    summary: str
    body: str
    estimated_minutes: int
    media: str
    media_mime_type: str
    captions: str
    has_captions: bool  # captions that parse as WebVTT (Activity.has_captions)
    transcript: str
    external_url: str
    session_day: int | None
    session_time: time | None
    session_time_zone: str
    duration_minutes: int | None
    competencies: tuple[OutlineCompetency, ...]

    @property
    def pk(self) -> int:
        return self.id

    @property
    def kind_label(self) -> str:
        """The kind's name in the active language (never kept in the cached outline, which is
        the same in every language; memoised per language by `kind_label`)."""
        return kind_label(self.kind)

    @property
    def is_media(self) -> bool:
        return self.kind in MEDIA_KINDS

    def default_session_start(self, week_starts_on: date) -> datetime | None:
        """As Activity.default_session_start: the live session's default start in a cohort
        whose week of this activity starts on `week_starts_on`."""
        return session_start(
            self.session_day, self.session_time, self.session_time_zone, week_starts_on
        )

    @property
    def session_minutes(self) -> int:
        return self.duration_minutes or 60


@dataclass(frozen=True, slots=True)
class ProgramOutline:
    """Weeks in order, and every activity in (week number, position) order. `spans[i]` is the
    (start, stop) slice of `activities` that belongs to `weeks[i]`."""

    weeks: tuple[OutlineWeek, ...]
    activities_in_order: tuple[OutlineActivity, ...]
    spans: tuple[tuple[int, int], ...]

    def activities(self, week_number: int) -> tuple[OutlineActivity, ...]:
        """The week's activities in order; () for a week the programme does not have."""
        for week, (start, stop) in zip(self.weeks, self.spans, strict=True):
            if week.number == week_number:
                return self.activities_in_order[start:stop]
        return ()

    def activity_count(self, week_number: int) -> int:
        return len(self.activities(week_number))

    @property
    def total_activities(self) -> int:
        return len(self.activities_in_order)

    def activity(self, public_id: uuid.UUID) -> OutlineActivity | None:
        """The activity with this public id, or None if it is not in this programme."""
        return next((a for a in self.activities_in_order if a.public_id == public_id), None)


def _outline_activity(activity: Activity, week: OutlineWeek) -> OutlineActivity:
    media = activity.media.name or ""
    return OutlineActivity(
        id=activity.pk,
        public_id=activity.public_id,
        week=week,
        position=activity.position,
        kind=str(activity.kind),
        title=activity.title,
        summary=activity.summary,
        body=activity.body,
        estimated_minutes=activity.estimated_minutes,
        media=media,
        media_mime_type=guess_media_type(media) if media else "",
        captions=activity.captions.name or "",
        has_captions=activity.has_captions,
        transcript=activity.transcript,
        external_url=activity.external_url,
        session_day=activity.session_day,
        session_time=activity.session_time,
        session_time_zone=activity.session_time_zone,
        duration_minutes=activity.duration_minutes,
        competencies=tuple(
            OutlineCompetency(id=c.pk, name=c.name) for c in activity.competencies.all()
        ),
    )


def build_outline(program_id: int) -> ProgramOutline:
    """The outline of the programme with this primary key, from the database (three queries:
    weeks, activities, their competencies)."""
    weeks = tuple(
        OutlineWeek(id=w.pk, number=w.number, title=w.title, summary=w.summary)
        for w in Week.objects.filter(program_id=program_id).order_by("number")
    )
    by_id = {week.id: week for week in weeks}
    rows = (
        Activity.objects.filter(week__program_id=program_id)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.only("id", "name").order_by("id"))
        )
        .order_by("week__number", "position", "id")
    )
    activities = tuple(_outline_activity(row, by_id[row.week_id]) for row in rows)
    spans = []
    start = 0
    for week in weeks:
        stop = start
        while stop < len(activities) and activities[stop].week.id == week.id:
            stop += 1
        spans.append((start, stop))
        start = stop
    return ProgramOutline(weeks=weeks, activities_in_order=activities, spans=tuple(spans))


def cache_key(program_public_id: uuid.UUID, token: uuid.UUID) -> str:
    return f"outline:{OUTLINE_FORMAT}:{program_public_id}:{token.hex}"


# In front of the shared cache: the same keys, so it can never be staler than the cache itself.
_local: OrderedDict[str, ProgramOutline] = OrderedDict()
_lock = threading.Lock()


def _remember(key: str, outline: ProgramOutline) -> None:
    with _lock:
        _local[key] = outline
        _local.move_to_end(key)
        while len(_local) > LOCAL_COPIES:
            _local.popitem(last=False)


def outline_of(program: Program) -> ProgramOutline:
    """The programme's outline, current as of the moment `program` was read from the database.

    No query when the outline is cached; three (build_outline) when it is not. A cache that is
    down costs a rebuild, never an error page.
    """
    key = cache_key(program.public_id, program.outline_token)
    with _lock:
        outline = _local.get(key)
        if outline is not None:
            _local.move_to_end(key)
            return outline
    cache = caches[CACHE_ALIAS]
    try:
        outline = cache.get(key)
    except Exception:  # any cache backend's outage: serve from the database instead
        logger.warning("outline cache unavailable; building from the database", exc_info=True)
    if not isinstance(outline, ProgramOutline):
        outline = build_outline(program.pk)
        try:
            cache.set(key, outline, CACHE_SECONDS)
        except Exception:
            logger.warning("outline cache unavailable; not storing", exc_info=True)
    _remember(key, outline)
    return outline


def forget_local_copies() -> None:
    """Drop this process's unpickled copies (tests that count the queries of a cold outline)."""
    with _lock:
        _local.clear()
