"""Periodic work of the cohorts app: telling each learner that their cohort's new week has
started, at local midnight in their own time zone (notifications kind `new_week`).

Run by `manage.py run_periodic` (rapport/management/commands/run_periodic.py). It lives here,
not in notifications, because it reads cohorts, which sit above notifications in the layers.
"""

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from notifications.actions import notify
from notifications.models import Notification, NotificationKind
from programs.models import Week
from rapport.lib.timezones import local_today


def week_notice_id(cohort: Cohort, number: int) -> uuid.UUID:
    """The stable target_id of "week `number` of `cohort` has started": the same every run, so
    the notification's unique constraint (one per learner and target) makes it once only."""
    return uuid.uuid5(cohort.public_id, f"week-{number}")


def notify_new_weeks(*, now: datetime | None = None) -> int:
    """Notify every active learner whose cohort's current week (on their local date) has not
    been announced to them yet. Returns how many notifications were created.

    Only the week running now is announced: someone enrolled in week 3 hears of week 3, not of
    weeks 1 and 2. Idempotent: a learner gets one notice per cohort week, however often and
    however concurrently this runs (pre-filtered here, and unique in the database). Queries: the
    running cohorts with their programmes, their learners, their week titles, the notices
    already sent, then one notify() per cohort week.
    """
    now = now or timezone.now()
    # Every zone's local date is within a day of UTC's.
    today_utc = now.date()
    cohorts = {
        cohort.pk: cohort
        for cohort in Cohort.objects.select_related("program").filter(
            start_date__lte=today_utc + timedelta(days=1)
        )
    }
    if not cohorts:
        return 0
    titles = {
        (program_id, number): title
        for program_id, number, title in Week.objects.filter(
            program_id__in={c.program_id for c in cohorts.values()}
        ).values_list("program_id", "number", "title")
    }
    due: dict[tuple[int, int], list[int]] = defaultdict(list)
    learners = Enrollment.objects.filter(
        cohort_id__in=list(cohorts), role=EnrollmentRole.LEARNER, user__is_active=True
    ).values_list("cohort_id", "user_id", "user__time_zone")
    for cohort_id, user_id, zone in learners.iterator(5000):
        cohort = cohorts[cohort_id]
        number = cohort.week_number_on(local_today(zone, now))
        if (cohort.program_id, number) in titles:
            due[(cohort_id, number)].append(user_id)
    if not due:
        return 0
    targets = {key: week_notice_id(cohorts[key[0]], key[1]) for key in due}
    sent = set(
        Notification.objects.filter(
            kind=NotificationKind.NEW_WEEK, target_id__in=list(targets.values())
        ).values_list("recipient_id", "target_id")
    )
    created = 0
    for (cohort_id, number), user_ids in due.items():
        cohort = cohorts[cohort_id]
        target = targets[(cohort_id, number)]
        recipients = [pk for pk in user_ids if (pk, target) not in sent]
        if not recipients:
            continue
        created += notify(
            kind=NotificationKind.NEW_WEEK,
            recipients=recipients,
            actor=None,
            actor_label="",
            place=f"{cohort.program.title} · Week {number}: {titles[(cohort.program_id, number)]}"[
                :200
            ],
            url=reverse("cohorts:week", args=[cohort.public_id, number]),
            target_id=target,
        )
    return created
