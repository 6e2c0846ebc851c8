"""Design review (issue 11): the reviewer of every text a learner will read or answer, in the
studio, with findings, rewrites, dismissals and the programme review.

Findings themselves are not stored: they are computed from the current text by
`design_review.checker` whenever a page asks, so they can never go stale. What is stored is what
people decided about them — the audit log of accepted rewrites and dismissals with their
reasons (`Decision`) — and each programme's sign-off (`SignOff`), recorded with the number of
findings still open and, when there were any, why it was signed off anyway.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet
from programs.models import Activity, Program
from rapport import policy

#: Reviewed fields of an activity, in the order a learner meets them.
REVIEWED_FIELDS = ("title", "summary", "body")


class ReviewedField(models.TextChoices):
    TITLE = "title", _("Title")
    SUMMARY = "summary", _("Summary")
    BODY = "body", _("Body")


class DecisionKind(models.TextChoices):
    ACCEPTED = "accepted", _("Rewrite accepted")
    DISMISSED = "dismissed", _("Dismissed")


class ReviewQuerySet[M: models.Model](OrganizationScopedQuerySet[M]):
    def visible_to(self, user: "Any") -> "ReviewQuerySet[M]":
        """The rows of the person's organisation for those who may use the studio (designers
        and admins; platform superusers all); none for anyone else (docs/permissions.md,
        "Design review")."""
        if not policy.can_use_studio(user):
            return self.none()  # type: ignore[return-value]
        return self.in_organization_of(user)  # type: ignore[return-value]


class Decision(models.Model):
    """What a designer decided about one finding: its rewrite accepted, or dismissed with a
    reason. The audit log of the review; rows are never edited. A dismissal hides the same
    finding (field, code and words) from the open count while the words stay."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="review_decisions"
    )
    field = models.CharField(max_length=16, choices=ReviewedField.choices)
    code = models.CharField(max_length=32)
    words = models.TextField()
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    rewrite = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet["Decision"].as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["program", "activity"], name="review_decision_program")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.activity.organization_id
        self.program_id = self.activity.week.program_id
        super().save(*args, **kwargs)


class SignOff(models.Model):
    """A programme's review signed off as ready to publish, with the findings still open then
    and, when there were any, the reason it was signed off anyway (required)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="review_sign_offs")
    open_findings = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet["SignOff"].as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"Sign-off of {self.program_id} ({self.open_findings} open)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.program.organization_id
        super().save(*args, **kwargs)
