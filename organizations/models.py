import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport import policy
from rapport.lib.text import SingleLineCharField
from rapport.policy import Role

if TYPE_CHECKING:
    from accounts.models import User

__all__ = [
    "Behaviour",
    "Competency",
    "Membership",
    "Organization",
    "OrganizationScopedQuerySet",
    "Role",
]


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user: "User | Any") -> "OrganizationQuerySet":
        """A member sees their own organisation; platform superusers see all; nobody else any."""
        if policy.is_platform_superuser(user):
            return self
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        return self.filter(pk=membership.organization_id)


class Organization(models.Model):
    """A tenant. Every domain row belongs to exactly one; no request ever crosses organisations."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = SingleLineCharField(max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: "User | Any") -> "MembershipQuerySet":
        """Organisation admins see their organisation's memberships (they manage people);
        everyone else only their own; platform superusers all."""
        if policy.is_platform_superuser(user):
            return self
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        mine = self.filter(organization_id=membership.organization_id)
        if membership.role == Role.ADMIN:
            return mine
        return mine.filter(pk=membership.pk)


class Membership(models.Model):
    """A person's place in their organisation: their role and the facts used to form peer circles.

    An account belongs to one organisation; the same address elsewhere is another account
    (docs/decisions/0006-accounts-per-organisation.md).
    Which cohorts they learn or coach in is recorded on cohorts.Enrollment.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.LEARNER)
    region = SingleLineCharField(max_length=80, blank=True)
    function = SingleLineCharField(max_length=80, blank=True)
    level = SingleLineCharField(max_length=80, blank=True)
    # Who this person reports to: peer circles never put a person with their line manager.
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("line manager"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"


class OrganizationScopedQuerySet[M: models.Model](models.QuerySet[M]):
    def for_organization(
        self, organization: Organization | None
    ) -> "OrganizationScopedQuerySet[M]":
        if organization is None:
            return self.none()
        return self.filter(organization=organization)

    def in_organization_of(self, user: "User | Any") -> "OrganizationScopedQuerySet[M]":
        """The rows of the person's own organisation (all rows for platform superusers, none
        for people without a membership): where every `visible_to` rule starts."""
        if policy.is_platform_superuser(user):
            return self
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        return self.filter(organization_id=membership.organization_id)


class CompetencyQuerySet(OrganizationScopedQuerySet["Competency"]):
    def visible_to(self, user: "User | Any") -> "CompetencyQuerySet":
        """The leadership model is shared content: every member sees their organisation's."""
        return self.in_organization_of(user)  # type: ignore[return-value]


class Competency(models.Model):
    """One competency of the organisation's leadership model, with its observable behaviours."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="competencies"
    )
    framework = SingleLineCharField(
        max_length=120, default="Communication skills", help_text=_("The model it belongs to.")
    )
    name = SingleLineCharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("competencies")
        ordering = ["framework", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "framework", "name"], name="unique_competency_per_framework"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def behaviour_list(self) -> list[str]:
        """The texts of its observable behaviours, in order (one query unless prefetched as
        `behaviours`)."""
        return [b.text for b in self.behaviours.all()]


class BehaviourQuerySet(OrganizationScopedQuerySet["Behaviour"]):
    def visible_to(self, user: "User | Any") -> "BehaviourQuerySet":
        """Like its competency: every member sees their organisation's leadership model."""
        return self.in_organization_of(user)  # type: ignore[return-value]


class Behaviour(models.Model):
    """One observable behaviour of a competency ("Plays back what they heard…"): what a learner
    picks to grow and links a personal goal to (growth app). Its own row, with an opaque id, so
    a pick survives a reworded behaviour; deleting it deletes nobody's goal (the link is
    cleared). Not part of the cached programme outline (which holds competency names only)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="behaviours"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="behaviours")
    text = SingleLineCharField(max_length=300, verbose_name=_("behaviour"))
    position = models.PositiveSmallIntegerField(default=0)

    objects = BehaviourQuerySet.as_manager()

    class Meta:
        ordering = ["competency", "position", "id"]
        indexes = [
            models.Index(fields=["organization", "competency"], name="behaviour_org_competency_idx")
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived from its competency, so a row can never sit in another organisation.
        self.organization_id = self.competency.organization_id
        super().save(*args, **kwargs)
