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
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet
from programs.models import Activity, Program
from rapport import policy

#: The reading levels (Flesch-Kincaid grades) an organisation may choose: 6 is plain language
#: for the widest audience, 16 a graduate's reading; 12 (the checker's own default,
#: `design_review.checker.DEFAULT_MAX_GRADE`) unless the organisation chose another.
MIN_READING_GRADE = 6
MAX_READING_GRADE = 16
DEFAULT_READING_GRADE = 12

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


class ReviewSettingsQuerySet(OrganizationScopedQuerySet["ReviewSettings"]):
    def visible_to(self, user: "Any") -> "ReviewSettingsQuerySet":
        """The person's own organisation's settings, for those who may use the studio
        (designers read them, admins change them: `design_review.access`); none for anyone
        else."""
        if not policy.can_use_studio(user):
            return self.none()
        return self.in_organization_of(user)  # type: ignore[return-value]


class ReviewSettings(models.Model):
    """An organisation's settings of the design review: the reading level its texts are
    reviewed against (`max_reading_grade`, a Flesch-Kincaid grade from `MIN_READING_GRADE` to
    `MAX_READING_GRADE`). At most one row per organisation; without one, the defaults apply
    (`reading_grade_of`). Changed by the organisation's admins only."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="review_settings"
    )
    max_reading_grade = models.PositiveSmallIntegerField(
        _("highest reading level (grade)"),
        default=DEFAULT_READING_GRADE,
        validators=[MinValueValidator(MIN_READING_GRADE), MaxValueValidator(MAX_READING_GRADE)],
        help_text=_(
            "A text whose Flesch-Kincaid grade is above this is a finding: 6 is plain language "
            "for everyone, 8 to 10 suits most workplaces, 12 is the end of secondary school, "
            "16 a graduate's reading."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ReviewSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self) -> str:
        return f"Review settings of {self.organization_id}"


def reading_grade_of(organization: Organization) -> int:
    """The organisation's reading level (a whole grade), or the default when it set none.
    No query when the organisation was loaded with `select_related("review_settings")` (the
    review's getters do), else one."""
    try:
        row = organization.review_settings  # type: ignore[attr-defined]
    except ReviewSettings.DoesNotExist:
        return DEFAULT_READING_GRADE
    return int(row.max_reading_grade)
