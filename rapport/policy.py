"""The privacy and access policy: the one place that decides who may see and do what.

Every view, export and admin screen asks this module, through the `visible_to(user)` queryset
methods and the `access.py` getters built on it, so list pages and detail pages cannot disagree.
The matrix it implements is docs/permissions.md. Rules:

- Nothing crosses organisations: every rule starts from the person's own organisation.
- Learners, coaches and experts see the cohorts they are enrolled in, and those programmes.
- Designers and admins see all of their organisation's programmes and cohorts (content, never a
  person's private text); only admins import people.
- Anonymous people and people without a membership see nothing.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet

from organizations.models import Membership, Role

if TYPE_CHECKING:
    from accounts.models import User
    from cohorts.models import Cohort

STAFF_ROLES = frozenset({Role.DESIGNER, Role.ADMIN})


def membership_of(user: "User | Any") -> Membership | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "membership", None)


def is_org_staff(user: "User") -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in STAFF_ROLES


def can_use_studio(user: "User") -> bool:
    """Designers and admins build programmes and cohorts in the admin site, in their own org."""
    return bool(getattr(user, "is_superuser", False)) or is_org_staff(user)


def can_manage_people(user: "User") -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.ADMIN


def can_import_into(user: "User", cohort: "Cohort") -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.ADMIN
        and membership.organization_id == cohort.organization_id
    )


def cohorts_visible_to[Q: QuerySet[Any]](queryset: Q, user: "User") -> Q:
    from cohorts.models import Enrollment

    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    queryset = queryset.filter(organization_id=membership.organization_id)
    if membership.role in STAFF_ROLES:
        return queryset
    enrolled = Enrollment.objects.filter(user=user, cohort=OuterRef("pk"))
    return queryset.filter(Exists(enrolled))


def activities_visible_to[Q: QuerySet[Any]](queryset: Q, user: "User") -> Q:
    from cohorts.models import Enrollment

    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    queryset = queryset.filter(organization_id=membership.organization_id)
    if membership.role in STAFF_ROLES:
        return queryset
    enrolled = Enrollment.objects.filter(user=user, cohort__program=OuterRef("week__program"))
    return queryset.filter(Exists(enrolled))
