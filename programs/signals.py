"""Keep programme outlines fresh: any change to a week, an activity, an activity's competencies
or a competency's name bumps the version of the programmes it belongs to."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from organizations.models import Competency
from programs.models import Activity, Program, Week
from programs.outline import bump_outline_version


@receiver([post_save, post_delete], sender=Week)
def _week_changed(sender: type[Week], instance: Week, **kwargs: Any) -> None:
    bump_outline_version({instance.program_id})


@receiver([post_save, post_delete], sender=Activity)
def _activity_changed(sender: type[Activity], instance: Activity, **kwargs: Any) -> None:
    program_id = Week.objects.filter(pk=instance.week_id).values_list("program_id", flat=True)
    bump_outline_version(set(program_id))


@receiver(m2m_changed, sender=Activity.competencies.through)
def _activity_competencies_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("action", "").startswith("post_") and isinstance(instance, Activity):
        bump_outline_version({instance.week.program_id})
    elif kwargs.get("action", "").startswith("post_") and isinstance(instance, Competency):
        _competency_changed(Competency, instance)


# pre_delete: once deleted, the competency's links to activities are gone too.
@receiver([post_save, pre_delete], sender=Competency)
def _competency_changed(sender: type[Competency], instance: Competency, **kwargs: Any) -> None:
    bump_outline_version(
        set(
            Program.objects.filter(weeks__activities__competencies=instance).values_list(
                "pk", flat=True
            )
        )
    )
