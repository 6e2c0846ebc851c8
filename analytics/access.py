"""Who may open the programme dashboards: an organisation's admins, for its own programmes.

Built on `Program.objects.visible_to(user)` and `Cohort.objects.visible_to(user)`: a programme
of another organisation, or a guessed id, is a 404; anyone but an admin gets 403 (there is no
sponsor role in `rapport.policy.Role` yet; when one comes, it joins here). Admins never see a
person's rows: the dashboard shows counts through the small-group rule only.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts.models import Cohort
from programs.models import Program
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


def require_admin(user: "User | Any") -> None:
    """Raises PermissionDenied for anyone but an organisation admin."""
    if not policy.can_manage_people(user):
        raise PermissionDenied("Only organisation admins see programme dashboards")


def programs_for_admin(user: "User | Any") -> list[Program]:
    """The organisation's programmes, by name (one query); PermissionDenied for non-admins."""
    require_admin(user)
    return list(Program.objects.visible_to(user).order_by("title", "pk"))


def get_program_for_admin(user: "User | Any", public_id: uuid.UUID) -> Program:
    """One programme of the admin's organisation, else 404 (one query)."""
    require_admin(user)
    program = Program.objects.visible_to(user).filter(public_id=public_id).first()
    if program is None:
        raise Http404("No such programme")
    return program


def cohorts_of(user: "User | Any", program: Program) -> list[Cohort]:
    """The programme's cohorts the person may see, oldest first (one query)."""
    return list(
        Cohort.objects.visible_to(user).filter(program=program).order_by("start_date", "name")
    )


def require_coach(user: "User | Any") -> None:
    """Raises PermissionDenied for anyone but a coach: the "not yet connected" list is theirs."""
    if policy.role_of(user) != policy.Role.COACH:
        raise PermissionDenied("Only coaches have circles to look after")
