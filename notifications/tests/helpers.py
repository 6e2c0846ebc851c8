"""Builders shared by the notifications tests."""

from typing import Any

from accounts.models import User
from notifications.actions import notify
from notifications.models import Notification, NotificationKind


def notify_one(recipient: User, *, actor: User | None = None, **overrides: Any) -> Notification:
    """One reply notification for `recipient` (by `actor`), returned as stored."""
    arguments: dict[str, Any] = {
        "kind": NotificationKind.REPLY,
        "recipients": [recipient],
        "actor": actor,
        "actor_label": actor.full_name if actor else "",
        "place": "Week 2 · What listening changed",
        "url": "/cohorts/",
    }
    arguments.update(overrides)
    created = notify(**arguments)
    assert created == 1, created
    return Notification.objects.filter(recipient=recipient).order_by("-pk").first()  # type: ignore[return-value]
