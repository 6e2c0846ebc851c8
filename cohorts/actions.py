"""Writes of the cohorts domain. Each is atomic and records the event it stands for."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from cohorts.models import (
    ActivityProgress,
    Cohort,
    CohortSession,
    Enrollment,
    EnrollmentRole,
    ProgressState,
)
from events.actions import new_event, record_event, record_events
from events.models import ObjectType, Verb
from programs.models import Activity, ActivityKind
from rapport.compiled import CompiledQuery
from rapport.lib.timezones import local_today

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from programs.outline import OutlineActivity

MAX_MEDIA_SECONDS = 24 * 60 * 60
# Rows per look-up and per insert: under SQLite's and PostgreSQL's parameter limits.
BATCH_SIZE = 500

# Sent once new seats are committed, with `cohort` and the new `enrollments` (any role), so that
# apps above cohorts (circles: late joiners) act on every enrolment, however it was made.
seats_added = Signal()


@dataclass(frozen=True)
class Seat:
    """One person's place in a cohort, as `enroll_many` takes it: the person's id, their role
    in the cohort, and (for learners) their coach's id."""

    user_id: int
    role: EnrollmentRole = EnrollmentRole.LEARNER
    coach_id: int | None = None


def enroll_many(cohort: Cohort, *, seats: Sequence[Seat]) -> list[tuple[Enrollment, bool]]:
    """Put people in a cohort, or update the role and coach of those already in it. Returns
    (enrollment, created) per seat, in order. Idempotent: the same seats twice change nothing.

    Bulk: one look-up and one insert per BATCH_SIZE seats, one insert of their `registered`
    events per BATCH_SIZE new seats, plus one UPDATE per distinct change, so 4,500 learners take
    a handful of queries. Preconditions: each person and coach belongs
    to the cohort's organisation (the caller checked, as the import and the studio do), and no
    person appears twice in `seats`.
    """
    by_user: dict[int, Enrollment] = {}
    user_ids = [seat.user_id for seat in seats]
    results: list[tuple[Enrollment, bool]] = []
    # No savepoint when nested: an error rolls back the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(user_ids), BATCH_SIZE):
            chunk = user_ids[start : start + BATCH_SIZE]
            for taken in Enrollment.objects.filter(cohort=cohort, user_id__in=chunk):
                by_user[taken.user_id] = taken
        new: list[Enrollment] = []
        changed: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        for seat in seats:
            enrollment = by_user.get(seat.user_id)
            if enrollment is None:
                # bulk_create skips Enrollment.save, so the organisation it copies is set here.
                enrollment = Enrollment(
                    organization_id=cohort.organization_id,
                    cohort=cohort,
                    user_id=seat.user_id,
                    role=seat.role,
                    coach_id=seat.coach_id,
                )
                new.append(enrollment)
                results.append((enrollment, True))
                continue
            if (enrollment.role, enrollment.coach_id) != (seat.role, seat.coach_id):
                enrollment.role, enrollment.coach_id = seat.role, seat.coach_id
                changed[(seat.role, seat.coach_id)].append(enrollment.pk)
            results.append((enrollment, False))
        Enrollment.objects.bulk_create(new, batch_size=BATCH_SIZE)
        # Each new seat is a `registered` statement by the person enrolled, with the seat's id
        # as the xAPI registration, so every later statement of theirs in the cohort joins it.
        record_events(
            [
                new_event(
                    enrollment.user_id,
                    verb=Verb.REGISTERED,
                    object_type=ObjectType.COHORT,
                    object_id=cohort.public_id,
                    cohort=cohort,
                    registration=enrollment.public_id,
                )
                for enrollment in new
            ]
        )
        for (role, coach_id), pks in changed.items():
            for start in range(0, len(pks), BATCH_SIZE):
                Enrollment.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
                    role=role, coach_id=coach_id
                )
        if new:
            transaction.on_commit(
                lambda: seats_added.send(sender=Enrollment, cohort=cohort, enrollments=new)
            )
    return results


def enroll(
    user: "User",
    *,
    cohort: Cohort,
    role: EnrollmentRole = EnrollmentRole.LEARNER,
    coach: "User | None" = None,
) -> tuple[Enrollment, bool]:
    """Put one person in a cohort, or update their role and coach: `enroll_many` for one seat
    (same rules). Returns (enrollment, created)."""
    seat = Seat(user.pk, role, coach.pk if coach else None)
    return enroll_many(cohort, seats=[seat])[0]


class ActivityRef(Protocol):
    """What the progress actions need of an activity: its ids. Both a programs.Activity and the
    cached outline's immutable OutlineActivity have them; nothing else of either is read."""

    @property
    def pk(self) -> int: ...

    @property
    def public_id(self) -> uuid.UUID: ...


def _activity_event(
    enrollment: Enrollment,
    activity: ActivityRef,
    verb: Verb,
    result: dict[str, int | float | bool] | None = None,
) -> None:
    record_event(
        enrollment.user,
        verb=verb,
        object_type=ObjectType.ACTIVITY,
        object_id=activity.public_id,
        cohort=enrollment.cohort,
        registration=enrollment.public_id,
        result=result,
    )


def _progress_row_query(
    viewer: None, enrollment_id: int, activity_id: int
) -> "QuerySet[ActivityProgress]":
    return ActivityProgress.objects.filter(
        enrollment_id=enrollment_id, activity_id=activity_id
    ).order_by()[:1]


# Read on every view of an activity page: compiled once per process (rapport/compiled.py).
progress_row_query = CompiledQuery(_progress_row_query)


def record_visit(
    enrollment: Enrollment, *, activity: ActivityRef, verb: Verb = Verb.VIEWED
) -> ActivityProgress:
    """A learner opened an activity (`viewed`), its external module (`launched`) or its calendar
    invite (`downloaded`): remember the activity as started and log the event.

    `viewed` is recorded at most once per activity per learner per day, the learner's own
    calendar day (`User.time_zone`), kept as `ActivityProgress.viewed_on`: opening the page again
    that day costs one read and writes nothing, so the page's hot path makes no write and takes
    no SQLite write lock. Two first views at once record one event (the conditional UPDATE
    below lets only one of them through). `launched` and `downloaded` are deliberate acts and
    are recorded every time. Expects `enrollment.user` loaded (the seat getters set it).
    """
    today = local_today(enrollment.user.time_zone) if verb == Verb.VIEWED else None
    progress = next(iter(progress_row_query(None, enrollment.pk, activity.pk)), None)
    if today is not None and progress is not None and progress.viewed_on == today:
        progress.enrollment = enrollment
        return progress
    with transaction.atomic():
        if progress is None:
            progress, created = ActivityProgress.objects.get_or_create(
                enrollment=enrollment, activity_id=activity.pk, defaults={"viewed_on": today}
            )
        else:
            created = False
        first_today = created
        if today is not None and not created:
            # NULL-safe "viewed_on is not today": only one of two concurrent views wins the row.
            first_today = bool(
                ActivityProgress.objects.filter(pk=progress.pk)
                .exclude(viewed_on=today)
                .update(viewed_on=today)
            )
            progress.viewed_on = today
        if today is None or first_today:
            _activity_event(enrollment, activity, verb)
    progress.enrollment = enrollment
    return progress


def set_completed(
    enrollment: Enrollment,
    *,
    activity: ActivityRef,
    completed: bool = True,
    position: float | None = None,
    length: float | None = None,
) -> ActivityProgress:
    """Mark an activity done (`completed`) or not done again (`uncompleted`). Idempotent: a
    second click changes nothing and records nothing. A video or podcast played to its end
    gives its final `position` and `length` (seconds), which its `completed` event carries
    (the xAPI video profile's time, progress and length)."""
    with transaction.atomic():
        progress, _ = ActivityProgress.objects.select_for_update().get_or_create(
            enrollment=enrollment, activity_id=activity.pk
        )
        if progress.is_completed == completed:
            return progress
        progress.state = ProgressState.COMPLETED if completed else ProgressState.STARTED
        progress.completed_at = timezone.now() if completed else None
        progress.save(update_fields=["state", "completed_at", "updated_at"])
        Enrollment.objects.filter(pk=enrollment.pk).update(
            completed_count=F("completed_count") + (1 if completed else -1)
        )
        enrollment.completed_count += 1 if completed else -1
        if completed:
            result: dict[str, int | float | bool] = {"completion": True}
            result.update(_media_result(position, length))
            _activity_event(enrollment, activity, Verb.COMPLETED, result)
        else:
            _activity_event(enrollment, activity, Verb.UNCOMPLETED, {"completion": False})
    return progress


def _media_result(position: float | None, length: float | None) -> dict[str, float]:
    """An event's media result: the playhead and the media's length, in seconds, where known."""
    result: dict[str, float] = {}
    if position is not None:
        result["position"] = round(min(max(position, 0.0), float(MAX_MEDIA_SECONDS)), 1)
    if length:
        result["length"] = round(min(max(length, 0.0), float(MAX_MEDIA_SECONDS)), 1)
    return result


def save_media_position(
    enrollment: Enrollment,
    *,
    activity: ActivityRef,
    position: float,
    verb: Verb,
    length: float | None = None,
) -> ActivityProgress:
    """Remember where the learner is in a video or podcast, so they can resume on any device.
    The event carries the position and, when the player knows it, the media's `length`."""
    position = min(max(position, 0.0), float(MAX_MEDIA_SECONDS))
    with transaction.atomic():
        progress, created = ActivityProgress.objects.get_or_create(
            enrollment=enrollment,
            activity_id=activity.pk,
            defaults={"position_seconds": position},
        )
        if not created:
            progress.position_seconds = position
            progress.save(update_fields=["position_seconds", "updated_at"])
        _activity_event(enrollment, activity, verb, _media_result(position, length))
    return progress


# --- Live sessions: each cohort's own time -------------------------------------------------------


def _default_timing(
    cohort: Cohort, activity: "Activity | OutlineActivity"
) -> dict[str, Any] | None:
    """The activity's default time placed in the cohort's week, or None if it has none."""
    starts_at = activity.default_session_start(cohort.week_starts_on(activity.week.number))
    if starts_at is None:
        return None
    return {"starts_at": starts_at, "duration_minutes": activity.session_minutes}


def ensure_session(cohort: Cohort, activity: "Activity | OutlineActivity") -> CohortSession | None:
    """The cohort's session for a live-session activity, made from the activity's default the
    first time it is needed. None for other kinds, or a session without a default time.
    One query when the session exists; a second to create it. The activity (a model row or the
    cached outline's copy) is kept on the session as `about`, so reading its link and UID costs
    no query."""
    if activity.kind != ActivityKind.LIVE_SESSION:
        return None
    session = CohortSession.objects.filter(cohort=cohort, activity_id=activity.pk).first()
    if session is None:
        timing = _default_timing(cohort, activity)
        if timing is None:
            return None
        session, _ = CohortSession.objects.get_or_create(
            cohort=cohort, activity_id=activity.pk, defaults=timing
        )
    session.cohort = cohort  # already loaded: no query later
    session.about = activity
    return session


def ensure_sessions(cohort: Cohort) -> None:
    """Make the missing sessions of every live session in the cohort's programme (so the
    studio can show and move each one). Existing sessions are left as they are."""
    activities = Activity.objects.filter(
        week__program_id=cohort.program_id, kind=ActivityKind.LIVE_SESSION
    ).select_related("week")
    have = set(CohortSession.objects.filter(cohort=cohort).values_list("activity_id", flat=True))
    missing = []
    for activity in activities:
        timing = _default_timing(cohort, activity) if activity.pk not in have else None
        if timing is not None:
            missing.append(
                CohortSession(
                    organization_id=cohort.organization_id,
                    cohort=cohort,
                    activity=activity,
                    **timing,
                )
            )
    CohortSession.objects.bulk_create(missing, ignore_conflicts=True)


def follow_session_defaults(sessions: "QuerySet[CohortSession]") -> int:
    """Move the sessions that still follow their activity's default to the default as it is
    now (after the designer changed it, or a cohort's start date moved). Sessions moved for
    their cohort stay where they are. Each moved session's `sequence` increases, so calendar
    invites update. Returns how many moved."""
    moved = 0
    for session in sessions.filter(follows_default=True).select_related("cohort", "activity__week"):
        timing = _default_timing(session.cohort, session.activity)
        if timing is None:
            continue
        changed = [name for name, value in timing.items() if getattr(session, name) != value]
        if changed:
            for name in changed:
                setattr(session, name, timing[name])
            session.save()
            moved += 1
    return moved
