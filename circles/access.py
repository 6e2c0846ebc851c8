"""Getters for circles, each built on `Circle.objects.visible_to(user)` (the rule is in
circles.models): what a person may not see raises Http404, what they may see but not do raises
PermissionDenied."""

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from circles.models import Circle, CircleFormation, CircleMember
from cohorts.models import Cohort
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


def get_circle_for_user(user: "User | Any", circle_id: uuid.UUID) -> Circle:
    """The circle (with its cohort, programme and coach) if the person may see it, else 404.

    Members and coaches see published circles only; admins of its organisation see drafts too
    (for managing them). One query."""
    circle = (
        Circle.objects.visible_to(user)
        .select_related("cohort__program", "coach")
        .filter(public_id=circle_id)
        .first()
    )
    if circle is None:
        raise Http404("No such circle")
    return circle


def get_circle_for_management(user: "User | Any", circle_id: uuid.UUID) -> Circle:
    """As get_circle_for_user, for changing a circle (moving members, publishing): 403 unless the
    person is an admin of its organisation."""
    circle = get_circle_for_user(user, circle_id)
    _require_admin_of(user, circle.organization_id)
    return circle


def get_cohort_for_circles(user: "User | Any", cohort_public_id: uuid.UUID) -> Cohort:
    """The cohort, for forming and reviewing its circles: 404 if the person may not see it,
    403 unless they are an admin of its organisation (only admins form circles). One query."""
    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("program")
        .filter(public_id=cohort_public_id)
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    _require_admin_of(user, cohort.organization_id)
    return cohort


def _require_admin_of(user: "User | Any", organization_id: int) -> None:
    if not is_circles_admin(user, organization_id):
        raise PermissionDenied("Only organisation admins form and publish circles")


def is_circles_admin(user: "User | Any", organization_id: int) -> bool:
    """True for an organisation admin of that organisation: they form, move and publish."""
    membership = policy.membership_of(user)
    return bool(
        policy.can_manage_people(user)
        and membership is not None
        and membership.organization_id == organization_id
    )


def circles_of_cohort(user: "User | Any", cohort: Cohort) -> list[Circle]:
    """The cohort's circles the person sees (their own, those they coach, all for admins), with
    their coach, by name. One query."""
    return list(
        Circle.objects.visible_to(user)
        .filter(cohort=cohort)
        .select_related("coach")
        .order_by("name")
    )


def circles_i_see(user: "User | Any") -> list[Circle]:
    """Every circle a coach sees (Circle.visible_to: the published circles they coach or of
    cohorts where they hold a coach seat), with cohort, programme and coach, by cohort then
    name. One query. Http404 for anyone whose role is not coach (there is no such page for them:
    a learner's circle is in her journey, an admin's in each cohort's Form circles)."""
    if policy.role_of(user) != policy.Role.COACH:
        raise Http404("The circles page is a coach's")
    return list(
        Circle.objects.visible_to(user)
        .select_related("cohort__program", "coach")
        .order_by("cohort__start_date", "cohort__name", "cohort_id", "name")
    )


def get_circle_named(user: "User | Any", cohort: Cohort, name: str) -> Circle | None:
    """The circle of the cohort with this name (names are unique in a cohort) if the person
    sees it, or None (for the form that moves a person by the circle's name)."""
    return Circle.objects.visible_to(user).filter(cohort=cohort, name=name.strip()).first()


def members_of(user: "User | Any", circle: Circle) -> list[CircleMember]:
    """The circle's members (with their accounts and memberships) as the person sees them,
    by name. One query."""
    return list(
        CircleMember.objects.visible_to(user)
        .filter(circle=circle)
        .select_related("user__membership")
        .order_by("user__full_name", "pk")
    )


def formation_of(user: "User | Any", cohort: Cohort) -> CircleFormation | None:
    """How the cohort's circles were formed, for its admins; None if not formed yet (or for
    anyone else). One query."""
    return CircleFormation.objects.visible_to(user).filter(cohort=cohort).first()
