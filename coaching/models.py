"""Coaching sessions (issue 9, first part): a coach's recurring weekly availability in their own
time zone, days off, and the 1:1 sessions their learners book in it.

Who sees what (docs/permissions.md, "Coaching sessions"): a coach sees their own availability,
days off and bookings; a learner the availability and days off of the coaches of their seats
(`cohorts.Enrollment.coach`, to book a slot) and their own bookings. Nobody else sees any of
it — not another learner, not an admin, not a platform superuser: who meets their coach when
is the two people's business.
"""

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMember
from cohorts.models import Enrollment, EnrollmentRole
from organizations.models import Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User


class Weekday(models.IntegerChoices):
    """Python's `date.weekday()` numbering."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SlotLength(models.IntegerChoices):
    MINUTES_30 = 30, _("30 minutes")
    MINUTES_45 = 45, _("45 minutes")
    MINUTES_60 = 60, _("60 minutes")


def _coaches_of(user: "User | Any") -> models.QuerySet[Enrollment]:
    """The learner seats of `user` (in their current organisation) that have a coach."""
    return Enrollment.objects.visible_to(user).filter(
        user=user, role=EnrollmentRole.LEARNER, coach__isnull=False
    )


class CoachRowQuerySet[M: models.Model](OrganizationScopedQuerySet[M]):
    def visible_to(self, user: "User | Any") -> "CoachRowQuerySet[M]":
        """A coach's own rows, and the rows of the coaches of the person's learner seats (so a
        learner can see when their coach is free). Nobody else's — admins included."""
        if policy.membership_of(user) is None:
            return self.none()
        coached = _coaches_of(user).filter(coach=OuterRef("coach"))
        return self.filter(
            Q(coach=user) | Q(Exists(coached)), organization_id=user.membership.organization_id
        )


class AvailabilityQuerySet(CoachRowQuerySet["Availability"]):
    pass


class Availability(models.Model):
    """One weekly block in which a coach takes sessions: every `weekday` from `start_time` to
    `end_time`, wall-clock times in `time_zone` (the coach's own when it was made), cut into
    slots of `slot_minutes`, between `starts_on` and `ends_on` (inclusive; open-ended when
    `ends_on` is empty). Slots are generated in that zone (coaching.slots), so a daylight-saving
    change keeps 09:00 at 09:00 for the coach and moves it for learners elsewhere.

    Two blocks of one coach may not overlap (coaching.forms.AvailabilityForm says so).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    time_zone = SingleLineCharField(_("time zone"), max_length=64)
    slot_minutes = models.PositiveSmallIntegerField(
        _("session length"), choices=SlotLength.choices, default=SlotLength.MINUTES_45
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    video_url = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        help_text=_("Your meeting room at any provider; sessions booked in this block use it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("availability")
        ordering = ["weekday", "start_time"]
        indexes = [models.Index(fields=["coach", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="availability_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.coach.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)

    def runs_on(self, day: Any) -> bool:
        return (
            day.weekday() == self.weekday
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


class DayOffQuerySet(CoachRowQuerySet["DayOff"]):
    pass


class DayOff(models.Model):
    """A day (in the coach's own zone) on which none of their weekly blocks applies."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="days_off"
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DayOffQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("days off")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["coach", "day"], name="one_day_off_per_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.coach.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class BookingQuerySet(OrganizationScopedQuerySet["Booking"]):
    def visible_to(self, user: "User | Any") -> "BookingQuerySet":
        """A booking is its learner's and its coach's, in their current organisation; nobody
        else sees it (another learner, an admin, a platform superuser)."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(
            Q(learner=user) | Q(coach=user), organization_id=user.membership.organization_id
        )

    def active(self) -> "BookingQuerySet":
        return self.filter(status=BookingStatus.BOOKED)


class Booking(models.Model):
    """A 1:1 coaching session a learner booked with their coach.

    Race-free: at most one active booking per (coach, starts_at) — the database refuses a
    second (`one_active_booking_per_slot`), and coaching.actions turns that refusal into a
    clear message. Calendar invites carry `ical_uid` (stable for the booking's life) and
    `sequence`, which grows with every change of time, link or status (RFC 5546 §2.1.4), so
    calendar programs update or cancel the event they hold. Holds no text anyone typed.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_bookings"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(2**31 - 1)]
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["learner", "starts_at"], name="booking_learner_time"),
            models.Index(
                fields=["starts_at"],
                condition=Q(status="booked", reminded_at__isnull=True),
                name="booking_to_remind",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "starts_at"],
                condition=Q(status="booked"),
                name="one_active_booking_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.coach.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)

    @property
    def ical_uid(self) -> str:
        """The same for the booking's whole life, whatever its time or status."""
        return f"{self.public_id}@rapport"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def other_party(self, user: "User | Any") -> "User":
        return self.learner if user.pk == self.coach_id else self.coach

    def is_upcoming(self, now: datetime) -> bool:
        return self.is_active and self.ends_at > now


# --- Group (circle) sessions ---------------------------------------------------------------
# A coach's session with one of the circles they coach. Who is invited follows the circle's
# membership (coaching.actions.sync_group_invitees keeps GroupInvitee in step with it, so a
# person who leaves gets a cancellation and one who joins an invite).


class GroupSessionQuerySet(OrganizationScopedQuerySet["GroupSession"]):
    def visible_to(self, user: "User | Any") -> "GroupSessionQuerySet":
        """A group session is its coach's and its circle's current members', in their current
        organisation. Nobody else sees it: not another circle, not an admin, not a platform
        superuser (as 1:1 sessions). A member who leaves the circle stops seeing it."""
        if policy.membership_of(user) is None:
            return self.none()
        member = CircleMember.objects.filter(circle=OuterRef("circle_id"), user=user)
        return self.filter(
            Q(coach=user) | Q(Exists(member)), organization_id=user.membership.organization_id
        )

    def active(self) -> "GroupSessionQuerySet":
        return self.filter(status=BookingStatus.BOOKED)


class GroupSession(models.Model):
    """A session a coach holds with one of the circles they coach (`circle.coach`).

    Holds no text anyone typed: its title is made from the circle's name. Calendar invites
    carry `ical_uid` and `sequence` as a 1:1 booking's do; `sequence` also grows when someone
    joins or leaves the circle (the invitee list changed). At most one active session of a
    circle starts at a given time (`one_active_group_session_per_start`: a double click
    schedules one).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="group_sessions")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_sessions_coached"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(2**31 - 1)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["coach", "starts_at"], name="group_session_coach_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "starts_at"],
                condition=Q(status="booked"),
                name="one_active_group_session_per_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="group_session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.circle.organization_id
        super().save(*args, **kwargs)

    @property
    def ical_uid(self) -> str:
        """The same for the session's whole life, whatever its time, members or status."""
        return f"{self.public_id}@rapport"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class GroupInviteeQuerySet(OrganizationScopedQuerySet["GroupInvitee"]):
    def visible_to(self, user: "User | Any") -> "GroupInviteeQuerySet":
        """The invitees of the group sessions the person sees (their circle's members, whom
        they already see on the circle's page)."""
        return self.filter(session__in=GroupSession.objects.visible_to(user))


class GroupInvitee(models.Model):
    """Who holds a group session's invite: a row per person ever invited, `removed_at` set when
    they left the circle (they were sent a cancellation) and cleared if they come back. The
    circle's membership decides who is invited; this row records what was sent, so that a
    leaver is told exactly once."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_invites"
    )
    invited_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = GroupInviteeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_invite_per_person")
        ]
        indexes = [models.Index(fields=["user", "session"], name="group_invitee_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.session.organization_id
        super().save(*args, **kwargs)
