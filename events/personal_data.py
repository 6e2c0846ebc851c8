"""A person's learning record (their statements), for their export and erasure
(`accounts.personal_data`). Statements carry no text anyone typed (a closed vocabulary)."""

from typing import Any

from accounts.models import User
from accounts.personal_data import iso, label_of
from events.models import Event, ObjectType, Verb


def export_events(user: User) -> list[dict[str, Any]]:
    """Every statement the person is the actor of, oldest first: when, verb, what kind of
    object and its opaque id, and the result (numbers and flags). One query."""
    return [
        {
            "timestamp": iso(event.timestamp),
            "verb": label_of(Verb, event.verb),
            "object_type": label_of(ObjectType, event.object_type),
            "object_id": str(event.object_id),
            "result": event.result,
        }
        for event in Event.objects.filter(actor=user).order_by("timestamp", "id")
    ]


def erase_events(user: User) -> int:
    """Statements stay, so every aggregate (completions, posts per week, active learners)
    still counts them: their actor is the anonymised account, whose `public_id` the erasure
    renews, so they identify nobody. Returns how many statements were kept anonymous (one
    query)."""
    return Event.objects.filter(actor=user).count()
