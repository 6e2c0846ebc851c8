"""The coach's caseload: each learner's week and progress, last contact, what they chose to
share, upcoming and missed sessions, and the "needs you now" list; the coach's own health
(people, sessions this week, their own latest check-in). Read-side only, in a fixed number of
queries whatever the caseload's size (asserted at 5 and 300 learners in
coaching/tests/test_caseload.py).

What a coach reads here is only what the rules already give them: their own learners' seats
(`coaching.access.caseload_seats`: the learner seats that name them as coach), the dates of
their own sessions with them, how many journal entries each learner shared with them
(`Visibility.COACH` on the learner's seat, as `reflections.models.EntryQuerySet.visible_to`
allows), and the day and two numbers of the emotion and energy check-ins each learner chose to
share with them (`growth.models.MoodCheckInQuerySet.shared_with_coach`), and how many of the
learner's messages to them they have not opened and when the two last wrote (the conversation's
`last_message_at`, counted as contact). Never a message's text, a check-in's word or note, a
goal, a private entry or anything of another coach's learners.

"Needs you now", most urgent first (`Reason`): a session missed in the last `MISSED_DAYS`
days, a message from the learner waiting unopened, a low energy check-in shared in the last
`LOW_ENERGY_DAYS` days (energy at most `LOW_ENERGY`), no activity for
`RAPPORT_CASELOAD_QUIET_DAYS` days (a setting, default 7). A learner with several reasons comes
before one with fewer; ties go to who has been quiet longest.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from coaching.models import Booking, BookingStatus, Conversation
from cohorts.models import ActivityProgress, Cohort, Enrollment
from growth.models import MoodCheckIn
from programs.outline import outline_of
from rapport import policy
from rapport.lib.timezones import get_zone, local_today
from reflections.models import Entry

if TYPE_CHECKING:
    from accounts.models import User

MISSED_DAYS = 14
LOW_ENERGY_DAYS = 7
LOW_ENERGY = 2  # on the 1 (drained) to 5 (full of energy) scale of growth.MoodCheckIn


def quiet_days() -> int:
    """`settings.RAPPORT_CASELOAD_QUIET_DAYS` (default 7, at least 1): days without any
    activity after which a learner is listed under "needs you now"."""
    return max(1, int(getattr(settings, "RAPPORT_CASELOAD_QUIET_DAYS", 7)))


class Reason(IntEnum):
    """Why a learner needs the coach now, most urgent first (the lower, the sooner)."""

    MISSED_SESSION = 1
    MESSAGE_WAITING = 2
    LOW_ENERGY = 3
    QUIET = 4

    @property
    def label(self) -> str:
        return str(_REASON_LABELS[self])


_REASON_LABELS = {
    Reason.MISSED_SESSION: _("Missed a session"),
    Reason.MESSAGE_WAITING: _("A message waiting for you"),
    Reason.LOW_ENERGY: _("Shared a low-energy check-in"),
    Reason.QUIET: _("No activity lately"),
}


@dataclass
class LearnerRow:
    """One learner of the caseload as the page shows them. Dates are aware UTC date-times
    (shown in the coach's zone); `week` is the learner's programme week on their own local
    date (0 before the start, clamped to the programme's length); `finished` is true once
    the cohort's last week is over; `progress` in whole percent of the programme's
    activities."""

    seat: Enrollment
    week: int
    weeks: int
    progress: int
    last_active: datetime | None
    last_contact: datetime | None
    next_session: datetime | None
    missed_at: datetime | None
    shared_entries: int
    last_shared_at: datetime | None
    shared_energy: int | None
    shared_energy_day: date | None
    quiet_for: int | None  # whole days since the last activity (None: never active)
    unread: int = 0  # messages from the learner the coach has not opened (coaching.access)
    reasons: list[Reason] = field(default_factory=list)
    finished: bool = False

    @property
    def learner(self) -> "User":
        return self.seat.user

    @property
    def cohort(self) -> Cohort:
        return self.seat.cohort

    @property
    def needs_you(self) -> bool:
        return bool(self.reasons)


@dataclass
class Health:
    """The coach's own numbers: people in the caseload, their sessions this week (Monday to
    Sunday in the coach's zone, booked or held), and their own latest check-in (a MoodCheckIn
    of theirs from the last LOW_ENERGY_DAYS days, or None)."""

    people: int
    sessions_this_week: int
    own_check_in: MoodCheckIn | None


@dataclass
class Caseload:
    """The whole page: every learner (`rows`, by name), those who need the coach now
    (`needs_you`, most urgent first), the coach's cohorts (for the filter) and health."""

    rows: list[LearnerRow]
    needs_you: list[LearnerRow]
    cohorts: list[Cohort]
    health: Health


def _latest(queryset: Any, value: str) -> Subquery:
    return Subquery(queryset.values(value)[:1])


def _seats(coach: "User", *, now: datetime) -> list[Enrollment]:
    """The coach's learner seats with every per-learner figure annotated: one query."""
    from coaching.access import caseload_seats

    sessions = Booking.objects.filter(coach=coach, learner=OuterRef("user_id"))
    entries = Entry.objects.filter(
        enrollment=OuterRef("pk"), visibility=policy.Visibility.COACH
    ).order_by()
    moods = (
        MoodCheckIn.objects.shared_with_coach(coach)
        .filter(
            owner=OuterRef("user_id"), day__gte=(now - timedelta(days=LOW_ENERGY_DAYS + 1)).date()
        )
        .order_by("-day", "-created_at")
    )
    return list(
        caseload_seats(coach)
        .select_related("user", "cohort__program")
        .annotate(
            last_active=_latest(
                ActivityProgress.objects.filter(enrollment=OuterRef("pk")).order_by("-updated_at"),
                "updated_at",
            ),
            last_contact=_latest(
                sessions.filter(status=BookingStatus.BOOKED, starts_at__lte=now).order_by(
                    "-starts_at"
                ),
                "starts_at",
            ),
            next_session=_latest(
                sessions.filter(status=BookingStatus.BOOKED, starts_at__gt=now).order_by(
                    "starts_at"
                ),
                "starts_at",
            ),
            missed_at=_latest(
                sessions.filter(
                    status=BookingStatus.MISSED,
                    starts_at__gte=now - timedelta(days=MISSED_DAYS),
                ).order_by("-starts_at"),
                "starts_at",
            ),
            shared_entries=Subquery(
                entries.values("enrollment").annotate(n=Count("pk")).values("n")[:1]
            ),
            last_shared_at=_latest(
                entries.order_by(F("shared_at").desc(nulls_last=True)), "shared_at"
            ),
            shared_energy=_latest(moods, "energy"),
            shared_energy_day=_latest(moods, "day"),
            last_message_at=_latest(
                Conversation.objects.filter(coach=coach, learner=OuterRef("user_id")),
                "last_message_at",
            ),
        )
        .order_by("user__full_name", "cohort__start_date")
    )


def _row(seat: Any, *, now: datetime, quiet: int, unread: int = 0) -> LearnerRow:
    cohort = seat.cohort
    outline = outline_of(cohort.program)
    weeks = len(outline.weeks)
    today = local_today(seat.user.time_zone, now)
    week = min(cohort.week_number_on(today), weeks)
    finished = cohort.week_number_on(today) > weeks
    total = outline.total_activities
    progress = round(100 * min(seat.completed_count, total) / total) if total else 0
    last_active = seat.last_active
    quiet_for = None if last_active is None else (now - last_active).days
    reasons = []
    if seat.missed_at is not None:
        reasons.append(Reason.MISSED_SESSION)
    if unread:
        reasons.append(Reason.MESSAGE_WAITING)
    if (
        seat.shared_energy is not None
        and seat.shared_energy <= LOW_ENERGY
        and seat.shared_energy_day >= today - timedelta(days=LOW_ENERGY_DAYS)
    ):
        reasons.append(Reason.LOW_ENERGY)
    started = cohort.start_date <= today
    # Once the programme is over, quiet is what finishing looks like: nobody is flagged for it
    # (a cohort of last year, still coached for its year-later round, is not "drifting").
    if started and not finished and (quiet_for is None or quiet_for >= quiet):
        # Never active counts from the cohort's start, so a brand-new cohort is not "quiet".
        since_start = (today - cohort.start_date).days
        if quiet_for is not None or since_start >= quiet:
            reasons.append(Reason.QUIET)
    return LearnerRow(
        seat=seat,
        week=week,
        weeks=weeks,
        progress=progress,
        last_active=last_active,
        # The latest of their last session and their conversation's last message.
        last_contact=max(
            (t for t in (seat.last_contact, seat.last_message_at) if t is not None), default=None
        ),
        next_session=seat.next_session,
        missed_at=seat.missed_at,
        shared_entries=seat.shared_entries or 0,
        last_shared_at=seat.last_shared_at,
        shared_energy=seat.shared_energy,
        shared_energy_day=seat.shared_energy_day,
        quiet_for=quiet_for,
        unread=unread,
        reasons=reasons,
        finished=finished,
    )


def _urgency(row: LearnerRow) -> tuple[int, int, int, str]:
    quiet_for = row.quiet_for if row.quiet_for is not None else 10**6
    return (-len(row.reasons), min(row.reasons), -quiet_for, row.learner.full_name)


def _health(coach: "User", people: int, *, now: datetime) -> Health:
    """Two queries: the coach's sessions this week and their own latest check-in."""
    zone = get_zone(coach.time_zone)
    today = local_today(coach.time_zone, now)
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone)
    end = start + timedelta(days=7)
    sessions = Booking.objects.visible_to(coach).filter(
        coach=coach,
        status__in=[BookingStatus.BOOKED, BookingStatus.MISSED],
        starts_at__gte=start,
        starts_at__lt=end,
    )
    own = (
        MoodCheckIn.objects.visible_to(coach)
        .filter(day__gte=today - timedelta(days=LOW_ENERGY_DAYS))
        .order_by("-day", "-created_at")
        .first()
    )
    return Health(people=people, sessions_this_week=sessions.count(), own_check_in=own)


@dataclass(frozen=True)
class Filters:
    """What the caseload page is narrowed to: a cohort (by public id), a programme week, and
    a status ("needs": needs you now, "fine": the others). Empty values do not narrow."""

    cohort: Any = None
    week: int | None = None
    status: str = ""


def narrow(caseload: Caseload, filters: Filters) -> Caseload:
    """The caseload with only the rows `filters` keep (no query: everything is loaded)."""
    rows = caseload.rows
    if filters.cohort is not None:
        rows = [row for row in rows if row.cohort.public_id == filters.cohort]
    if filters.week is not None:
        rows = [row for row in rows if row.week == filters.week]
    if filters.status == "needs":
        rows = [row for row in rows if row.needs_you]
    elif filters.status == "fine":
        rows = [row for row in rows if not row.needs_you]
    needs_you = sorted((row for row in rows if row.needs_you), key=_urgency)
    return Caseload(
        rows=rows, needs_you=needs_you, cohorts=caseload.cohorts, health=caseload.health
    )


def caseload_of(coach: "User", *, now: datetime, filters: Filters | None = None) -> Caseload:
    """The coach's caseload, filtered (`narrow`). Three queries (the seats with every figure,
    the sessions this week, the coach's own check-in) and one for the unread messages
    (`coaching.access.unread_counts_for_coach`), plus three per programme whose outline
    is not cached yet (programs.outline)."""
    quiet = quiet_days()
    from coaching.access import unread_counts_for_coach

    unread = unread_counts_for_coach(coach)
    rows = [
        _row(seat, now=now, quiet=quiet, unread=unread.get(seat.user_id, 0))
        for seat in _seats(coach, now=now)
    ]
    cohorts: dict[int, Cohort] = {}
    for row in rows:
        cohorts.setdefault(row.cohort.pk, row.cohort)
    health = _health(coach, len({row.learner.pk for row in rows}), now=now)
    everyone = Caseload(
        rows=rows,
        needs_you=sorted((row for row in rows if row.needs_you), key=_urgency),
        cohorts=sorted(cohorts.values(), key=lambda c: (c.start_date, c.name)),
        health=health,
    )
    return narrow(everyone, filters) if filters is not None else everyone
