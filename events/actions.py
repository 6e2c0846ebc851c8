"""Appending to the learning record. Every action that changes learning state calls
`record_event` inside its own transaction, so an event exists exactly when the change does."""

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from events.models import Event, ObjectType, PendingStatement, ResultKey, Verb

if TYPE_CHECKING:
    from accounts.models import User
    from cohorts.models import Cohort

ResultValue = int | float | bool
BATCH_SIZE = 500  # rows per insert in record_events: under SQLite's parameter limit

# The one value type each result key takes. bool is checked before int: True is an int too.
RESULT_TYPES: dict[ResultKey, type] = {
    ResultKey.COMPLETION: bool,
    ResultKey.POSITION: float,
    ResultKey.LENGTH: float,
    ResultKey.CREATED: int,
    ResultKey.ENROLLED: int,
    ResultKey.UPDATED: int,
    ResultKey.UNCHANGED: int,
    ResultKey.ERRORS: int,
}


class InvalidEvent(ValueError):
    """An event outside the vocabulary (an unknown verb, object type or result key) or with a
    value of the wrong kind. Raised before anything is written."""


@dataclass(frozen=True)
class ObjectRef:
    """A typed reference to something an event's context names: (`type`, its `public_id`)."""

    type: ObjectType
    id: uuid.UUID


def _member[E: (Verb, ObjectType, ResultKey)](enum: type[E], value: object, what: str) -> E:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return enum(value)
    except ValueError:
        known = ", ".join(enum.values)
        raise InvalidEvent(f"{what} {value!r} is not one of: {known}") from None


def _checked_id(value: object, what: str) -> uuid.UUID:
    if not isinstance(value, uuid.UUID):
        raise InvalidEvent(f"{what} must be a UUID (a public_id), not {type(value).__name__}")
    return value


def _checked_ref(ref: object, what: str) -> ObjectRef | None:
    if ref is None:
        return None
    if not isinstance(ref, ObjectRef):
        raise InvalidEvent(f"the {what} must be an ObjectRef, not {type(ref).__name__}")
    kind = _member(ObjectType, ref.type, f"{what} type")
    if kind == ObjectType.PERSON:  # xAPI context activities are activities, never agents
        raise InvalidEvent(f"a person cannot be an event's {what}: name an activity or a group")
    return ObjectRef(kind, _checked_id(ref.id, f"{what} id"))


def _checked_value(key: ResultKey, value: object) -> ResultValue:
    expected = RESULT_TYPES[key]
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    else:
        ok = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value >= 0
        )
    if not ok:
        kind = {bool: "a flag", int: "a count (0 or more)", float: "a number (0 or more)"}
        raise InvalidEvent(f"event result {key.value!r} must be {kind[expected]}, not {value!r}")
    return float(value) if expected is float else value  # type: ignore[arg-type,return-value]


def checked_result(result: Mapping[str, object] | None) -> dict[str, ResultValue]:
    """The result as stored: known keys only, each with its one value type (RESULT_TYPES).

    Raises InvalidEvent for an unknown key (a sentence, a typo) or a value of the wrong kind:
    an event must never become a channel for personal free text.
    """
    clean: dict[str, ResultValue] = {}
    for key, value in (result or {}).items():
        member = _member(ResultKey, key, "event result key")
        clean[member.value] = _checked_value(member, value)
    return clean


def new_event(
    actor: "User | int",
    *,
    verb: Verb,
    object_type: ObjectType,
    object_id: uuid.UUID,
    cohort: "Cohort | None" = None,
    registration: uuid.UUID | None = None,
    parent: ObjectRef | None = None,
    grouping: ObjectRef | None = None,
    result: Mapping[str, object] | None = None,
) -> Event:
    """A checked, unsaved event: `actor` (a User, or a user's primary key) did `verb` to the
    object (`object_type`, `object_id` = its public_id). For `record_events`, which saves many
    at once; `record_event` saves one.

    Context, as xAPI's: `cohort` it happened in, `registration` = the enrolment's public_id,
    `parent` = the object's immediate container and `grouping` = a wider one, each an ObjectRef
    to anything but a person (xAPI context activities are activities).
    `result` maps ResultKey values to numbers or flags (RESULT_TYPES).

    The event belongs to the cohort's organisation, or to the actor's when there is no cohort
    (an actor given by id then needs a cohort). Raises InvalidEvent for anything outside the
    vocabulary.
    """
    verb = _member(Verb, verb, "event verb")
    object_type = _member(ObjectType, object_type, "event object type")
    object_id = _checked_id(object_id, "event object id")
    if registration is not None:
        registration = _checked_id(registration, "event registration")
    parent = _checked_ref(parent, "parent")
    grouping = _checked_ref(grouping, "grouping")
    clean_result = checked_result(result)
    if cohort is not None:
        organization_id = cohort.organization_id
    elif isinstance(actor, int):
        raise InvalidEvent("an event without a cohort needs the actor, not only their id")
    else:
        try:
            organization_id = actor.membership.organization_id
        except ObjectDoesNotExist:
            raise InvalidEvent(
                "an event without a cohort needs an actor with a membership"
            ) from None
    event = Event(
        organization_id=organization_id,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        cohort=cohort,
        registration=registration,
        parent_type=parent.type if parent else "",
        parent_id=parent.id if parent else None,
        grouping_type=grouping.type if grouping else "",
        grouping_id=grouping.id if grouping else None,
        result=clean_result,
        timestamp=timezone.now(),
    )
    if isinstance(actor, int):
        event.actor_id = actor
    else:
        event.actor = actor
    return event


def queue_statements(events: Sequence[Event]) -> None:
    """Put saved events in the xAPI outbox (`PendingStatement`), in the caller's transaction, so
    a statement is waiting exactly when its event exists. Does nothing (no query) while no
    Learning Record Store is configured (`RAPPORT_XAPI_LRS_URL` empty): `manage.py forward_xapi
    --backfill` queues the history once one is. One insert per BATCH_SIZE events."""
    if not events or not getattr(settings, "RAPPORT_XAPI_LRS_URL", ""):
        return
    PendingStatement.objects.bulk_create(
        [PendingStatement(event_id=event.pk) for event in events], batch_size=BATCH_SIZE
    )


def record_event(
    actor: "User",
    *,
    verb: Verb,
    object_type: ObjectType,
    object_id: uuid.UUID,
    cohort: "Cohort | None" = None,
    registration: uuid.UUID | None = None,
    parent: ObjectRef | None = None,
    grouping: ObjectRef | None = None,
    result: Mapping[str, object] | None = None,
) -> Event:
    """Append one event to the learning record (arguments and errors as `new_event`): one
    insert. Call it inside the action's transaction so an event exists exactly when the change
    it describes does; InvalidEvent is raised before anything is written."""
    event = new_event(
        actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        cohort=cohort,
        registration=registration,
        parent=parent,
        grouping=grouping,
        result=result,
    )
    event.save(force_insert=True)
    queue_statements([event])
    return event


def record_events(events: Sequence[Event]) -> list[Event]:
    """Append many events made by `new_event` (a bulk enrolment's `registered`, say) in one
    insert per BATCH_SIZE rows, inside the caller's transaction. Raises InvalidEvent, writing
    nothing, if any of them was not made by `new_event` (its vocabulary is checked again)."""
    for event in events:
        _member(Verb, event.verb, "event verb")
        _member(ObjectType, event.object_type, "event object type")
        checked_result(event.result)
    created = Event.objects.bulk_create(events, batch_size=BATCH_SIZE)
    queue_statements(created)
    return created
