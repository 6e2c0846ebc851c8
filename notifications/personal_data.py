"""A person's notifications and email preferences, for their export and erasure
(`accounts.personal_data`). Notifications hold no text anyone typed (notifications.actions)."""

from typing import Any

from accounts.models import User
from accounts.personal_data import ERASED_NAME, iso, label_of
from notifications.models import (
    DigestDelivery,
    EmailChoice,
    EmailPreference,
    Notification,
    NotificationKind,
    QuietHours,
)


def export_notifications(user: User) -> list[dict[str, Any]]:
    """The person's notifications, newest first (what happened, who acted under the name they
    showed, where, the link, when, when read), then their email choices per kind and their
    quiet hours, as rows with a `type`. Three queries."""
    rows: list[dict[str, Any]] = [
        {
            "type": "notification",
            "kind": label_of(NotificationKind, note.kind),
            "by": note.actor_label,
            "place": note.place,
            "link": note.url,
            "created_at": iso(note.created_at),
            "read_at": iso(note.read_at),
        }
        for note in Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    ]
    rows += [
        {
            "type": "email preference",
            "kind": label_of(NotificationKind, preference.kind),
            "email": label_of(EmailChoice, preference.email),
        }
        for preference in EmailPreference.objects.filter(user=user).order_by("kind")
    ]
    rows += [
        {"type": "quiet hours", "start": quiet.start.isoformat(), "end": quiet.end.isoformat()}
        for quiet in QuietHours.objects.filter(user=user)
    ]
    return rows


def erase_notifications(user: User) -> int:
    """Delete the person's notifications, digests, email preferences and quiet hours; in other
    people's notifications about something the person did, the name shown (their name or a
    pseudonym) becomes "Erased account". Returns the rows deleted or changed."""
    count = Notification.objects.filter(recipient=user).delete()[0]
    count += DigestDelivery.objects.filter(recipient=user).delete()[0]
    count += EmailPreference.objects.filter(user=user).delete()[0]
    count += QuietHours.objects.filter(user=user).delete()[0]
    count += Notification.objects.filter(actor=user).update(actor=None, actor_label=ERASED_NAME)
    return count
