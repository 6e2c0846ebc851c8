"""Getters for programme content. Each is `visible_to(user).filter(public_id=…)`, so a page can
never show what a list would hide: invisible rows raise Http404 and their existence never leaks.
The rule itself is programs.models.ProgramQuerySet.visible_to."""

import uuid
from typing import TYPE_CHECKING, Any

from django.http import Http404

from programs.models import Activity

if TYPE_CHECKING:
    from accounts.models import User


def get_activity_for_user(user: "User | Any", public_id: uuid.UUID) -> Activity:
    """The activity with its week, if its programme is visible to the person; otherwise 404.

    Used by media streaming: the same rule the journey pages apply (see
    cohorts.access.get_activity_in_seat). One query.
    """
    activity = (
        Activity.objects.visible_to(user).select_related("week").filter(public_id=public_id).first()
    )
    if activity is None:
        raise Http404("No such activity")
    return activity
