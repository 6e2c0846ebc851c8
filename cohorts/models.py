import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet
from programs.models import Activity, Program
from rapport import policy
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User


class CohortQuerySet(OrganizationScopedQuerySet["Cohort"]):
    def visible_to(self, user: "User | Any") -> "CohortQuerySet":
        """Designers and admins see every cohort of their organisation; learners, coaches and
        experts the cohorts of their organisation they are enrolled in (an enrolment left in an
        organisation the person has since moved from counts for nothing); platform superusers
        all; anyone else none."""
        mine: CohortQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.is_org_staff(user):
            return mine
        if policy.membership_of(user) is None:
            return mine  # already empty
        enrolled = Enrollment.objects.filter(user=user, cohort=OuterRef("pk"))
        return mine.filter(Exists(enrolled))


class Cohort(models.Model):
    """A group of people running a programme on dates. Week 1 starts on `start_date`, at local
    midnight for each learner, so someone in Tokyo and someone in Lima each get a whole week."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cohorts")
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    name = SingleLineCharField(max_length=200)
    start_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.organization_id = self.program.organization_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def week_number_on(self, local_day: date) -> int:
        """The programme week on a learner's local date: 0 before the start, and past the last
        week once it is over (callers clamp for display)."""
        if local_day < self.start_date:
            return 0
        return (local_day - self.start_date).days // 7 + 1

    def week_starts_on(self, number: int) -> date:
        return self.start_date + timedelta(days=7 * (number - 1))

    def week_ends_on(self, number: int) -> date:
        return self.week_starts_on(number) + timedelta(days=6)


class EnrollmentRole(models.TextChoices):
    LEARNER = "learner", _("Learner")
    COACH = "coach", _("Coach")
    EXPERT = "expert", _("Expert")


class EnrollmentQuerySet(OrganizationScopedQuerySet["Enrollment"]):
    def learners(self) -> "EnrollmentQuerySet":
        return self.filter(role=EnrollmentRole.LEARNER)

    def visible_to(self, user: "User | Any") -> "EnrollmentQuerySet":
        """Organisation admins see their organisation's enrolments (they put people in
        cohorts); everyone else their own, in their current organisation; platform superusers
        all. Coaches will see their learners' with the coaching issue."""
        mine: EnrollmentQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if (
            policy.is_platform_superuser(user)
            or policy.can_manage_people(user)
            or policy.membership_of(user) is None  # then `mine` is empty
        ):
            return mine
        return mine.filter(user=user)


class Enrollment(models.Model):
    """A person's place in a cohort: learning in it (with a coach) or coaching it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    role = models.CharField(
        max_length=16, choices=EnrollmentRole.choices, default=EnrollmentRole.LEARNER
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_enrollments",
    )
    # Denormalised so that progress shows without counting rows on every page.
    completed_count = models.PositiveIntegerField(default=0, editable=False)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_enrollment_per_cohort")
        ]
        indexes = [models.Index(fields=["user", "role"]), models.Index(fields=["coach"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ProgressState(models.TextChoices):
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Done")


class ActivityProgressQuerySet(models.QuerySet["ActivityProgress"]):
    def visible_to(self, user: "User | Any") -> "ActivityProgressQuerySet":
        """Progress is a learner's own: nobody else sees another person's rows (aggregates over
        enough people come later, through policy.suppress_small_groups); platform superusers
        see all."""
        if policy.is_platform_superuser(user):
            return self
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user).filter(user=user))


class ActivityProgress(models.Model):
    """How far one learner is with one activity; the media position lets them resume."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=16, choices=ProgressState.choices, default=ProgressState.STARTED
    )
    position_seconds = models.FloatField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ActivityProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "activity"], name="one_progress_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}/{self.activity_id}: {self.state}"

    @property
    def is_completed(self) -> bool:
        return self.state == ProgressState.COMPLETED
