"""A person's peer circles, for their export and erasure (`accounts.personal_data`)."""

from typing import Any

from accounts.models import User
from accounts.personal_data import iso
from circles.models import CircleMember, CircleState


def export_circles(user: User) -> list[dict[str, Any]]:
    """The published circles the person is a member of (circle, cohort, since when). Drafts
    an admin has not published are not theirs to see yet. One query."""
    return [
        {
            "circle": member.circle.name,
            "cohort": member.cohort.name,
            "joined_at": iso(member.joined_at),
        }
        for member in CircleMember.objects.filter(user=user, circle__state=CircleState.PUBLISHED)
        .select_related("circle", "cohort")
        .order_by("joined_at", "id")
    ]


def erase_circles(user: User) -> int:
    """Take the person out of every circle (draft or published): the circle's page no longer
    lists them. Returns the memberships deleted."""
    return CircleMember.objects.filter(user=user).delete()[0]
