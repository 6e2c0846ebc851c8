"""Who may open the programme dashboards: an organisation's admins and sponsors, for its own
programmes (`policy.can_see_programme_dashboards`).

Both read counts of people through the small-group rule only — the page, the CSV export, the
charts and a cohort's connection aggregates — never a person's row, name or words. Anyone else
gets 403; a programme of another organisation, or a guessed id, is a 404.

The programmes and cohorts a dashboard covers are the organisation's
(`in_organization_of`), not `Program.objects.visible_to` / `Cohort.objects.visible_to`: those
rules open the programme's content and journeys, which a sponsor (who builds nothing and learns
in no cohort by their role) must not see, while the dashboards cover every cohort of the
programme for admins and sponsors alike. For an admin the two are the same rows.
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


def require_dashboard_reader(user: "User | Any") -> None:
    """Raises PermissionDenied for anyone but an organisation admin or sponsor."""
    if not policy.can_see_programme_dashboards(user):
        raise PermissionDenied("Only organisation admins and sponsors see programme dashboards")


def dashboard_programs(user: "User | Any") -> list[Program]:
    """The organisation's programmes, by title (one query); PermissionDenied for anyone who
    may not read the dashboards."""
    require_dashboard_reader(user)
    return list(Program.objects.in_organization_of(user).order_by("title", "pk"))


def get_dashboard_program(user: "User | Any", public_id: uuid.UUID) -> Program:
    """One programme of the reader's organisation (one query); PermissionDenied for anyone who
    may not read the dashboards, Http404 for another organisation's or a made-up id."""
    require_dashboard_reader(user)
    program = Program.objects.in_organization_of(user).filter(public_id=public_id).first()
    if program is None:
        raise Http404("No such programme")
    return program


def cohorts_of(user: "User | Any", program: Program) -> list[Cohort]:
    """The programme's cohorts a dashboard covers, oldest first (one query): all of them, for
    a dashboard reader of the programme's organisation; none for anyone else."""
    if not policy.can_see_programme_dashboards(user):
        return []
    return list(
        Cohort.objects.in_organization_of(user)
        .filter(program=program)
        .order_by("start_date", "name")
    )


def require_coach(user: "User | Any") -> None:
    """Raises PermissionDenied for anyone but a coach: the "not yet connected" list is theirs."""
    if policy.role_of(user) != policy.Role.COACH:
        raise PermissionDenied("Only coaches have circles to look after")
