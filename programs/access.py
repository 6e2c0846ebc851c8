import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User
    from programs.models import Activity, ActivityQuerySet


def activities_visible_to(queryset: "ActivityQuerySet", user: "User") -> "ActivityQuerySet":
    return policy.activities_visible_to(queryset, user)


def get_activity_for_user(user: "User", public_id: uuid.UUID) -> "Activity":
    """The activity, if the person may see it; otherwise 404, so its existence never leaks."""
    from programs.models import Activity

    activity = (
        Activity.objects.visible_to(user).select_related("week").filter(public_id=public_id).first()
    )
    if activity is None:
        raise Http404("No such activity")
    return activity
