"""Getters for notifications, built on `Notification.objects.visible_to(user)` (the recipient
alone): anyone else's notification, or a made-up id, is a 404."""

import uuid
from typing import TYPE_CHECKING, Any

from django.http import Http404

from accounts.models import User as UserModel
from notifications.models import Notification, NotificationQuerySet
from notifications.tokens import Unsubscribe, read_unsubscribe_token

if TYPE_CHECKING:
    from accounts.models import User


def notifications_for_user(user: "User | Any") -> NotificationQuerySet:
    """The person's own notifications, newest first."""
    return Notification.objects.visible_to(user).order_by("-created_at", "-id")


def get_notification_for_user(user: "User | Any", notification_id: uuid.UUID) -> Notification:
    """The person's own notification with this public_id, or Http404."""
    found = Notification.objects.visible_to(user).filter(public_id=notification_id).first()
    if found is None:
        raise Http404("No such notification.")
    return found


def unread_count_for_user(user: "User | Any") -> int:
    """How many of the person's notifications are unread: one COUNT on a partial index."""
    return Notification.objects.visible_to(user).unread().count()


def get_unsubscriber(token: str) -> tuple["User", Unsubscribe] | None:
    """The active person and scope an unsubscribe token names, or None for a token this site
    did not sign or a person who is gone. The token alone grants this one action (no sign-in:
    RFC 8058), so nothing else about the person is exposed by it."""
    found = read_unsubscribe_token(token)
    if found is None:
        return None
    user = UserModel.objects.filter(public_id=found.user_public_id, is_active=True).first()
    return None if user is None else (user, found)
