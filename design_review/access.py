"""Getters of the design review, each built on a `visible_to(user)` queryset: what a person may
not see raises Http404 (another organisation, a programme they have no seat in, a tampered id);
what they may see but not review raises PermissionDenied (learners and coaches: only designers
and admins review)."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from design_review.models import Decision, ReviewSettings, SignOff
from programs.models import Activity, Program
from rapport import policy


def _require_reviewer(user: Any) -> None:
    if not policy.can_use_studio(user):
        raise PermissionDenied("Only designers and admins review programme content")


def get_program_for_review(user: Any, program_id: uuid.UUID) -> Program:
    """A programme of the person's organisation they may review, with the organisation's
    review settings (one query), else 404 or 403."""
    program = (
        Program.objects.visible_to(user)
        .select_related("organization__review_settings")
        .filter(public_id=program_id)
        .first()
    )
    if program is None:
        raise Http404("No such programme")
    _require_reviewer(user)
    return program


def get_activity_for_review(user: Any, activity_id: uuid.UUID) -> Activity:
    """An activity (with its week, programme, organisation and the organisation's review
    settings) the person may review (one query), else 404 or 403."""
    activity = (
        Activity.objects.visible_to(user)
        .select_related("week__program", "organization__review_settings")
        .filter(public_id=activity_id)
        .first()
    )
    if activity is None:
        raise Http404("No such activity")
    _require_reviewer(user)
    return activity


def activities_of(user: Any, program: Program) -> list[Activity]:
    """The programme's activities with their weeks, in journey order (one query)."""
    return list(
        Activity.objects.visible_to(user)
        .filter(week__program=program)
        .select_related("week")
        .order_by("week__number", "position", "id")
    )


def decisions_of(user: Any, program: Program) -> list[Decision]:
    """The programme's review decisions, newest first, with who decided (one query)."""
    return list(
        Decision.objects.visible_to(user).filter(program=program).select_related("decided_by")
    )


def sign_offs_of(user: Any, program: Program) -> list[SignOff]:
    """The programme's sign-offs, newest first, with who signed (one query)."""
    return list(
        SignOff.objects.visible_to(user).filter(program=program).select_related("signed_by")
    )


def get_review_settings(user: Any, *, for_write: bool = False) -> ReviewSettings:
    """The review settings of the person's organisation (one query), unsaved with the defaults
    when it has none yet. Learners and coaches (and people without an organisation) get 403;
    with `for_write`, so do designers: only the organisation's admins change them."""
    _require_reviewer(user)
    membership = policy.membership_of(user)
    if membership is None:  # a platform superuser outside any organisation
        raise PermissionDenied("Review settings belong to an organisation")
    if for_write and not policy.can_manage_people(user):
        raise PermissionDenied("Only the organisation's admins change the review settings")
    found = ReviewSettings.objects.visible_to(user).filter(organization=membership.organization_id)
    return found.first() or ReviewSettings(organization_id=membership.organization_id)
