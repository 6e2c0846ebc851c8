"""Keep each cohort's live sessions on their default time while they follow it: when a designer
changes an activity's default day or time, or a cohort's start date moves."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from cohorts.actions import follow_session_defaults
from cohorts.models import Cohort, CohortSession
from programs.models import Activity, ActivityKind


@receiver(post_save, sender=Activity)
def _activity_saved(sender: type[Activity], instance: Activity, **kwargs: Any) -> None:
    if instance.kind == ActivityKind.LIVE_SESSION and not kwargs.get("raw"):
        follow_session_defaults(CohortSession.objects.filter(activity=instance))


@receiver(post_save, sender=Cohort)
def _cohort_saved(sender: type[Cohort], instance: Cohort, **kwargs: Any) -> None:
    if not kwargs.get("created") and not kwargs.get("raw"):
        follow_session_defaults(CohortSession.objects.filter(cohort=instance))
