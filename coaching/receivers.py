"""Group sessions follow their circle: when someone is placed in a circle, moves to another or
leaves one (their membership row saved or deleted, late joiners placed in bulk after new seats),
the group sessions ahead are reconciled once that commits (coaching.actions.sync_group_invitees):
a joiner gets an invite, a leaver a cancellation. A signal, because circles sits below coaching
and may not import it."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from circles.models import CircleMember
from cohorts.actions import seats_added


def _sync_later(user_ids: list[int]) -> None:
    from coaching.actions import sync_group_sessions_of

    transaction.on_commit(lambda: sync_group_sessions_of(user_ids, now=timezone.now()))


@receiver(post_save, sender=CircleMember, dispatch_uid="coaching_group_sessions_member_saved")
@receiver(post_delete, sender=CircleMember, dispatch_uid="coaching_group_sessions_member_gone")
def _circle_member_changed(sender: Any, instance: CircleMember, **kwargs: Any) -> None:
    _sync_later([instance.user_id])


@receiver(seats_added, dispatch_uid="coaching_group_sessions_seats_added")
def _seats_added(sender: Any, enrollments: Any = (), **kwargs: Any) -> None:
    """Late joiners are placed by circles' receiver of the same signal (circles comes first in
    INSTALLED_APPS), in bulk and without a save signal: reconcile their circles' sessions."""
    _sync_later([enrollment.user_id for enrollment in enrollments])
