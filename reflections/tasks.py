"""Periodic work of the reflections app: the reminder of a planned mission, at the time the
learner planned it (stored in UTC, typed in their own zone), in-app and by email as their
preferences say (notifications kind `mission_reminder`).

Run by `manage.py run_periodic` (rapport/management/commands/run_periodic.py).
"""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.actions import notify
from notifications.models import NotificationKind
from reflections.models import Entry, EntryKind, MissionPlan

BATCH = 500


def send_mission_reminders(*, now: datetime | None = None) -> int:
    """Remind every learner whose planned mission time has come and who has not reflected on
    it yet. Returns how many reminders were sent.

    Exactly once per planned time, however often and however concurrently this runs: each
    plan is claimed by a conditional UPDATE (`reminded_at` still empty) in the same
    transaction as its notification, so only one run sends it; moving the time re-arms it
    (reflections.actions.plan_mission). A plan whose mission was already reflected on is
    marked without a reminder. Learners who left the organisation are skipped by notify().
    The notification names the mission (programme content), never the plan's text.
    """
    now = now or timezone.now()
    due = list(
        MissionPlan.objects.filter(reminded_at__isnull=True, planned_for__lte=now)
        .select_related("enrollment__cohort", "activity")
        .order_by("planned_for")[:BATCH]
    )
    if not due:
        return 0
    reflected = set(
        Entry.objects.filter(
            kind=EntryKind.MISSION,
            enrollment_id__in={plan.enrollment_id for plan in due},
            activity_id__in={plan.activity_id for plan in due},
        ).values_list("enrollment_id", "activity_id")
    )
    sent = 0
    for plan in due:
        with transaction.atomic():
            claimed = MissionPlan.objects.filter(pk=plan.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed or (plan.enrollment_id, plan.activity_id) in reflected:
                continue
            cohort = plan.enrollment.cohort
            sent += notify(
                kind=NotificationKind.MISSION_REMINDER,
                recipients=[plan.author_id],
                actor=None,
                actor_label="",
                place=plan.activity.title[:200],
                url=reverse("cohorts:activity", args=[cohort.public_id, plan.activity.public_id])
                + "#mission",
                target_id=plan.public_id,
            )
    return sent
