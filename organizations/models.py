import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.lib.text import SingleLineCharField


class Organization(models.Model):
    """A tenant. Every domain row belongs to exactly one; no request ever crosses organisations."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = SingleLineCharField(max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    COACH = "coach", _("Coach")
    DESIGNER = "designer", _("Programme designer")
    ADMIN = "admin", _("Organisation admin")
    EXPERT = "expert", _("Expert")


class Membership(models.Model):
    """A person's place in their organisation: their role and the facts used to form peer circles.

    A person belongs to one organisation (docs/decisions/0002-one-organisation-per-person.md).
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
    behaviours = models.TextField(blank=True, help_text=_("Observable behaviours, one per line."))
    position = models.PositiveSmallIntegerField(default=0)

    objects = OrganizationScopedQuerySet.as_manager()

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
        return [line.strip() for line in self.behaviours.splitlines() if line.strip()]
