"""When each cohort's three assessment rounds are open, worked out from the cohort's dates, and
the periodic jobs that keep them and tell people (run by `manage.py run_periodic`).

The dates (each inclusive, in each person's own zone):

- **baseline**: from a week before the cohort starts to the end of its first week (or the day
  before the last week starts, for a programme shorter than two weeks, so no two rounds of a
  cohort overlap);
- **end of programme**: from the first day of the last week to two weeks after it ends;
- **a year later**: from 365 days after the end round opens, for three weeks.

Rounds that have not opened yet follow the cohort when its start date or its number of weeks
changes; a round that has opened keeps its dates (people are answering in it).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentRound,
    PeerInvitation,
    Response,
    RoundKind,
)
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from notifications.actions import notify
from notifications.models import NotificationKind

BEFORE_START = timedelta(days=7)
AFTER_END = timedelta(days=14)
YEAR = timedelta(days=365)
YEAR_LATER_OPEN = timedelta(days=20)
# People who have not answered hear again this many days before a round closes.
REMIND_BEFORE_CLOSE = timedelta(days=3)
BATCH = 500


@dataclass(frozen=True)
class RoundDates:
    kind: RoundKind
    opens_on: date
    closes_on: date


def round_dates(start_date: date, weeks: int) -> list[RoundDates]:
    """The three rounds of a cohort starting on `start_date` with a programme of `weeks` weeks
    (at least 1), in order. Pure: the rules are in the module docstring."""
    weeks = max(1, weeks)
    last_week_starts = start_date + timedelta(days=7 * (weeks - 1))
    last_week_ends = last_week_starts + timedelta(days=6)
    baseline_closes = start_date + timedelta(days=6)
    if baseline_closes >= last_week_starts:
        baseline_closes = max(start_date - timedelta(days=1), last_week_starts - timedelta(days=1))
    end_opens = last_week_starts
    year_opens = end_opens + YEAR
    return [
        RoundDates(RoundKind.BASELINE, start_date - BEFORE_START, baseline_closes),
        RoundDates(RoundKind.END, end_opens, last_week_ends + AFTER_END),
        RoundDates(RoundKind.YEAR_LATER, year_opens, year_opens + YEAR_LATER_OPEN),
    ]


def schedule_rounds(*, today: date | None = None) -> int:
    """Create every cohort's missing rounds and move the rounds that have not opened yet to
    the cohort's current dates. Idempotent. Returns how many rounds were created or moved.
    Two queries plus one write per round created or moved."""
    today = today or timezone.localdate()
    cohorts = Cohort.objects.annotate(weeks=Count("program__weeks")).order_by("pk")
    existing: dict[tuple[int, str], AssessmentRound] = {
        (r.cohort_id, r.kind): r for r in AssessmentRound.objects.all()
    }
    changed = 0
    for cohort in cohorts:
        for dates in round_dates(cohort.start_date, cohort.weeks):  # type: ignore[attr-defined]
            current = existing.get((cohort.pk, dates.kind))
            if current is None:
                AssessmentRound.objects.create(
                    cohort=cohort,
                    kind=dates.kind,
                    opens_on=dates.opens_on,
                    closes_on=dates.closes_on,
                )
                changed += 1
            elif current.opens_on > today and (current.opens_on, current.closes_on) != (
                dates.opens_on,
                dates.closes_on,
            ):
                AssessmentRound.objects.filter(pk=current.pk, opens_on__gt=today).update(
                    opens_on=dates.opens_on, closes_on=dates.closes_on
                )
                changed += 1
    return changed


def place_of(round_: AssessmentRound) -> str:
    """ "Baseline assessment · Spring 2027": the round and its cohort (programme content and
    a choice label, never anything a person typed about someone)."""
    return _("%(round)s assessment · %(cohort)s") % {
        "round": round_.get_kind_display(),
        "cohort": round_.cohort.name,
    }


def _people_to_ask(round_: AssessmentRound, *, unanswered_only: bool) -> set[int]:
    """User ids of everyone with something to answer in the round: each learner of the cohort
    (themself), the peers they asked and their coaches. With `unanswered_only`, only those
    who still owe an answer about someone. Four queries."""
    seats = list(
        Enrollment.objects.filter(
            cohort_id=round_.cohort_id, role=EnrollmentRole.LEARNER, user__is_active=True
        ).values_list("pk", "user_id", "coach_id")
    )
    owed: set[tuple[int, int]] = set()  # (seat, rater)
    for seat, user_id, coach_id in seats:
        owed.add((seat, user_id))
        if coach_id is not None:
            owed.add((seat, coach_id))
    for seat, rater in PeerInvitation.objects.filter(
        subject__cohort_id=round_.cohort_id
    ).values_list("subject_id", "rater_id"):
        owed.add((seat, rater))
    if unanswered_only:
        answered = set(Response.objects.filter(round=round_).values_list("subject_id", "rater_id"))
        owed -= answered
    return {rater for _, rater in owed}


def send_round_notices(*, now: datetime | None = None) -> int:
    """Tell everyone with something to answer when a round opens (learners, the peers they
    asked — the same people every round — and coaches), and remind those who have not
    answered REMIND_BEFORE_CLOSE before it closes. Each notice is claimed by a conditional
    UPDATE in the same transaction as its notifications, so it goes out once however often or
    concurrently this runs. Notifications name the round and the cohort only, with no actor:
    never who is rated or by whom. Returns how many notifications were created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    url = reverse("assessments:index")
    opening = list(
        AssessmentRound.objects.filter(
            opened_notice_at__isnull=True, opens_on__lte=today, closes_on__gte=today
        ).select_related("cohort")[:BATCH]
    )
    for round_ in opening:
        with transaction.atomic():
            if not AssessmentRound.objects.filter(
                pk=round_.pk, opened_notice_at__isnull=True
            ).update(opened_notice_at=now):
                continue
            sent += notify(
                kind=NotificationKind.ASSESSMENT,
                recipients=_people_to_ask(round_, unanswered_only=False),
                actor=None,
                actor_label="",
                place=place_of(round_),
                url=url,
                target_id=round_.public_id,
            )
    closing = list(
        AssessmentRound.objects.filter(
            reminded_at__isnull=True,
            opens_on__lte=today,
            closes_on__gte=today,
            closes_on__lte=today + REMIND_BEFORE_CLOSE,
        ).select_related("cohort")[:BATCH]
    )
    for round_ in closing:
        with transaction.atomic():
            if not AssessmentRound.objects.filter(pk=round_.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            sent += notify(
                kind=NotificationKind.ASSESSMENT,
                recipients=_people_to_ask(round_, unanswered_only=True),
                actor=None,
                actor_label="",
                place=place_of(round_),
                url=url,
                target_id=round_.public_id,
            )
    return sent
