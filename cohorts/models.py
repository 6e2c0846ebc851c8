import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet
from programs.models import Activity, ActivityKind, Program
from rapport import policy
from rapport.lib.text import SingleLineCharField
from rapport.lib.timezones import get_zone

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

    def clean(self) -> None:
        """The precondition of cohorts.actions.enroll_many, as form errors: the person and
        their coach belong to the cohort's organisation, and nobody coaches themself. Studio
        forms run it, so a superuser (who sees every organisation) gets a message on the field
        instead of a seat that joins two organisations."""
        super().clean()
        try:
            cohort = self.cohort
        except Cohort.DoesNotExist:
            return  # the form reports the missing cohort
        organization_id = cohort.organization_id or (
            cohort.program.organization_id if cohort.program_id else None
        )
        errors: dict[str, Any] = {}
        if self.user_id is not None and self.user.organization_id != organization_id:
            errors["user"] = _("This person is not in the cohort's organisation.")
        if self.coach is not None:
            if self.coach_id == self.user_id:
                errors["coach"] = _("A person cannot be their own coach.")
            elif self.coach.organization_id != organization_id:
                errors["coach"] = _("This coach is not in the cohort's organisation.")
        if errors:
            raise ValidationError(errors)


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
    # The learner's own calendar day of the last `viewed` event recorded for this activity:
    # `record_visit` records at most one a day, and this makes the check free (docs/performance.md).
    viewed_on = models.DateField(null=True, blank=True)

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


class CohortSessionQuerySet(OrganizationScopedQuerySet["CohortSession"]):
    def visible_to(self, user: "User | Any") -> "CohortSessionQuerySet":
        """The sessions of the cohorts the person may see: the same rule as Cohort.visible_to."""
        return self.filter(cohort__in=Cohort.objects.visible_to(user))


class CohortSession(models.Model):
    """When and where one cohort meets for one live-session activity.

    The time belongs to the cohort: it starts as the activity's default for the cohort's week
    (`Activity.default_session_start`) and follows that default until someone moves it for this
    cohort in the studio (`follows_default` becomes false). It must fall inside the cohort's
    week of the activity, read in the activity's time zone (`clean`).

    Calendar invites (.ics) carry `ical_uid`, stable for the pair (activity, cohort), and
    `sequence`, which increases whenever the time, length or link changes, so calendar programs
    replace the event they hold instead of adding a second one (RFC 5545 §3.8.7.4).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": ActivityKind.LIVE_SESSION},
        verbose_name=_("live session"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=60, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    video_url = models.URLField(
        _("video link"),
        blank=True,
        max_length=500,
        help_text=_("Leave blank to use the activity's link."),
    )
    follows_default = models.BooleanField(default=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CohortSessionQuerySet.as_manager()

    TIMING_FIELDS = ("starts_at", "duration_minutes", "video_url")
    # Not stored: the activity as the page holds it (see _about).
    about: Any = None

    class Meta:
        verbose_name = _("live session time")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "activity"], name="one_session_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.cohort})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        loaded = getattr(self, "_loaded_timing", None)
        if loaded is not None and loaded != self._timing():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)
        self._loaded_timing = self._timing()

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> "CohortSession":
        instance = super().from_db(*args, **kwargs)
        instance._loaded_timing = instance._timing()
        return instance

    def _timing(self) -> tuple[Any, ...]:
        return tuple(self.__dict__.get(name) for name in self.TIMING_FIELDS)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def _about(self) -> Any:
        """The activity's fields: the copy a page already holds (`about`, set by
        cohorts.actions.ensure_session, maybe the cached outline's), else the row."""
        return self.about or self.activity

    @property
    def join_url(self) -> str:
        return self.video_url or self._about.external_url

    @property
    def ical_uid(self) -> str:
        """The same for the life of the session, whatever its time (and the UID invites had
        before sessions belonged to cohorts)."""
        return f"{self._about.public_id}-{self.cohort.public_id}@rapport"

    def week_dates(self) -> tuple[date, date]:
        number = self.activity.week.number
        return self.cohort.week_starts_on(number), self.cohort.week_ends_on(number)

    def clean(self) -> None:
        if self.starts_at is None or self.activity_id is None or self.cohort_id is None:
            return
        if self.activity.week.program_id != self.cohort.program_id:
            raise ValidationError({"activity": _("This session is not in the cohort's programme.")})
        first, last = self.week_dates()
        zone = get_zone(self.activity.session_time_zone)
        local = self.starts_at.astimezone(zone)
        if not first <= local.date() <= last:
            raise ValidationError(
                {
                    "starts_at": _(
                        "Week %(week)d of %(cohort)s runs from %(first)s to %(last)s, but this "
                        "time is %(when)s (%(zone)s). Choose a time inside that week."
                    )
                    % {
                        "week": self.activity.week.number,
                        "cohort": self.cohort.name,
                        "first": formats.date_format(first, "l j F Y"),
                        "last": formats.date_format(last, "l j F Y"),
                        "when": formats.date_format(local, "l j F Y, H:i"),
                        "zone": self.activity.session_time_zone,
                    }
                }
            )
