"""A person's membership of their organisation, for their export and erasure
(`accounts.personal_data`)."""

from typing import Any

from accounts.models import User
from accounts.personal_data import label_of
from organizations.actions import deactivate_member
from organizations.models import Membership, Role


def export_membership(user: User) -> list[dict[str, Any]]:
    """The person's membership: organisation, role, and the region, function and level used to
    form peer circles. Never who their line manager is (that is HR's record, not something
    the person sees in Rapport). One query."""
    return [
        {
            "organisation": membership.organization.name,
            "role": label_of(Role, membership.role),
            "region": membership.region,
            "function": membership.function,
            "level": membership.level,
        }
        for membership in Membership.objects.filter(user=user).select_related("organization")
    ]


def erase_membership(user: User) -> int:
    """Close the membership through `organizations.actions.deactivate_member` (the one write
    path that closes one) and clear the facts that could single the person out (region,
    function, level, line manager). The row stays, so the organisation's counts of people
    who took part still count them. Returns the number of memberships closed (0 or 1)."""
    count = 0
    for membership in Membership.objects.filter(user=user).select_related("user"):
        deactivate_member(membership)
        membership.region = membership.function = membership.level = ""
        membership.line_manager = None
        membership.save(update_fields=["region", "function", "level", "line_manager"])
        count += 1
    return count
