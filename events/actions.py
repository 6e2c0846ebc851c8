import uuid
from typing import TYPE_CHECKING

from django.utils import timezone

from events.models import Event, Verb

if TYPE_CHECKING:
    from accounts.models import User
    from cohorts.models import Cohort

ResultValue = int | float | bool


def _checked_result(result: dict[str, ResultValue] | None) -> dict[str, ResultValue]:
    """Numbers and flags only: an event must never become a channel for personal free text."""
    clean: dict[str, ResultValue] = {}
    for key, value in (result or {}).items():
        if not isinstance(value, int | float | bool):
            raise TypeError(f"event result {key!r} must be a number or a flag, not {type(value)}")
        clean[key] = value
    return clean


def record_event(
    actor: "User",
    *,
    verb: Verb,
    object_type: str,
    object_id: uuid.UUID,
    cohort: "Cohort | None" = None,
    result: dict[str, ResultValue] | None = None,
) -> Event:
    """Append one event to the learning record. Call it inside the action's transaction so an
    event exists exactly when the change it describes does."""
    organization_id = cohort.organization_id if cohort else actor.membership.organization_id
    return Event.objects.create(
        organization_id=organization_id,
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        cohort=cohort,
        result=_checked_result(result),
        timestamp=timezone.now(),
    )
