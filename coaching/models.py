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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMember
from cohorts.models import Enrollment, EnrollmentRole
from organizations.models import Competency, Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.crypto import ConfidentialFileField, ConfidentialTextField
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
    # The session's time passed and the learner did not come: the coach says so afterwards
    # (coaching.actions.mark_missed); the caseload's "needs you now" lists it.
    MISSED = "missed", _("Missed")


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
    # When the day-ahead reminder went out (coaching.tasks.send_reminders); a move clears it.
    reminded_at = models.DateTimeField(null=True, blank=True)

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


# -- Messages, session notes and action plans (coach-talk) --------------------------------------
#
# Who sees what (docs/permissions.md, "Coaching messages, notes and action plans"):
# - a conversation (one per coach and learner pair), its messages, attachments and action items:
#   its learner, always (their own history, even after their coach changes), and its coach
#   while a current learner seat of the learner names them as coach. A coach who replaces
#   another starts a new conversation and sees none of the earlier one. Nobody else: not
#   another coach, not an admin or designer, not a platform superuser.
# - a session note: the coach who wrote it, only. Never its learner.


class ConversationQuerySet(OrganizationScopedQuerySet["Conversation"]):
    def visible_to(self, user: "User | Any") -> "ConversationQuerySet":
        """The person's conversations as learner (all of them), and as coach those with the
        learners whose current seat names them as coach (`Enrollment.coach`), in their current
        organisation. Nobody else's."""
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        coached = Enrollment.objects.filter(
            user=OuterRef("learner_id"),
            coach=user,
            role=EnrollmentRole.LEARNER,
            cohort__organization_id=membership.organization_id,
        )
        return self.filter(
            Q(learner=user) | Q(Q(coach=user) & Q(Exists(coached))),
            organization_id=membership.organization_id,
        )


class Conversation(models.Model):
    """The confidential thread between a coach and one of their learners: one per pair.

    Read state is per person: `coach_read_at` / `learner_read_at` is when each last opened it;
    a message by the other person after that is unread for them. `last_message_at` orders the
    inbox and tells whether opening it has anything to mark read (so a repeat view writes
    nothing). Holds no text itself.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_conversations"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_conversations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    coach_read_at = models.DateTimeField(null=True, blank=True)
    learner_read_at = models.DateTimeField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "learner"], name="one_conversation_per_pair")
        ]
        indexes = [models.Index(fields=["learner"], name="conversation_learner_idx")]

    def __str__(self) -> str:
        return f"conversation {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.coach.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)

    def other_party(self, user: "User | Any") -> "User":
        return self.learner if user.pk == self.coach_id else self.coach

    def read_at_of(self, user: "User | Any") -> datetime | None:
        return self.coach_read_at if user.pk == self.coach_id else self.learner_read_at


class MessageQuerySet(OrganizationScopedQuerySet["Message"]):
    def visible_to(self, user: "User | Any") -> "MessageQuerySet":
        """The messages of the conversations the person sees (Conversation.visible_to)."""
        return self.filter(conversation__in=Conversation.objects.visible_to(user))


class Message(models.Model):
    """One message in a conversation. `body` is confidential (encrypted at rest); it never
    reaches an event, a notification, an email, a log line, the studio or a cache.

    `activity` (with the `cohort` of the learner's seat) is the activity a learner asked about
    ("Ask my coach"): a reference, never a copy of its text.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body: str = ConfidentialTextField(_("message"), max_length=10_000, blank=True)
    activity = models.ForeignKey(
        "programs.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread_idx")]

    def __str__(self) -> str:
        return f"message {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.conversation.organization_id
        super().save(*args, **kwargs)


def _attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name: the person's file name is confidential and kept (encrypted) in `name`."""
    return f"coaching/attachments/{uuid.uuid4().hex}.bin"


class AttachmentQuerySet(OrganizationScopedQuerySet["Attachment"]):
    def visible_to(self, user: "User | Any") -> "AttachmentQuerySet":
        """The attachments of messages the person sees (Message.visible_to's rule)."""
        return self.filter(message__conversation__in=Conversation.objects.visible_to(user))


class Attachment(models.Model):
    """A file sent with a message: PDF, image, Office document or plain text, checked by its
    bytes (coaching.attachments). Stored encrypted under a random name outside any public URL;
    served only through `coaching.talk_views.attachment` to the conversation's two people.
    `name` (the file's own name) is confidential too; `size` is the original size in bytes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = ConfidentialFileField(upload_to=_attachment_path, max_length=200)
    name: str = ConfidentialTextField(max_length=255)
    content_type = SingleLineCharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attachment {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.message.organization_id
        self.uploaded_by_id = self.message.author_id
        super().save(*args, **kwargs)


class SessionNoteQuerySet(OrganizationScopedQuerySet["SessionNote"]):
    def visible_to(self, user: "User | Any") -> "SessionNoteQuerySet":
        """The notes the person wrote as coach, in their current organisation. Nobody else
        sees a note: not the session's learner, not an admin, not a platform superuser."""
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        return self.filter(coach=user, organization_id=membership.organization_id)


class SessionNote(models.Model):
    """A coach's private note on one session (encrypted at rest). The learner cannot see it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="note")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body: str = ConfidentialTextField(_("private note"), max_length=20_000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionNoteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"note {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.booking.organization_id
        super().save(*args, **kwargs)


class ActionItemQuerySet(OrganizationScopedQuerySet["ActionItem"]):
    def visible_to(self, user: "User | Any") -> "ActionItemQuerySet":
        """The action plan of the conversations the person sees (Conversation.visible_to):
        the learner and their current coach, both."""
        return self.filter(conversation__in=Conversation.objects.visible_to(user))


class ActionItem(models.Model):
    """One item of the action plan a coach and learner agree (either may add one), linked to
    a behaviour of the organisation's leadership model and, only if the learner picks it, to
    one of the learner's growth goals (the coach then sees that goal's title on the plan).
    `text` is confidential; `done_at` is set while it is done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="action_items"
    )
    text: str = ConfidentialTextField(_("what we agreed"), max_length=1_000)
    behaviour = models.ForeignKey(
        "organizations.Behaviour",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    goal = models.ForeignKey(
        "growth.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"action item {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.conversation.organization_id
        super().save(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# -- Caseload and matching (issue 9: matching, change of coach) ----------------------------------


def _admin_org_id(user: "User | Any") -> int | None:
    """The organisation a person manages people in (an org admin), else None."""
    if not policy.can_manage_people(user):
        return None
    membership = policy.membership_of(user)
    return None if membership is None else membership.organization_id


class MatchProfileQuerySet(OrganizationScopedQuerySet["MatchProfile"]):
    def visible_to(self, user: "User | Any") -> "MatchProfileQuerySet":
        """A person's own profile; an organisation admin every profile of their organisation
        (they match people with it). Nobody else's."""
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        mine = self.filter(organization_id=membership.organization_id)
        if _admin_org_id(user) is not None:
            return mine
        return mine.filter(user=user)


class MatchProfile(models.Model):
    """What matching a learner with a coach uses about one person (coaching.matching):
    the languages they can be coached in (or coach in) as ISO 639-1 codes, the competencies
    of the leadership model they want to focus on (or coach best), and, for a coach, how many
    learners they can take (`capacity`, across cohorts). Nothing confidential: the person and
    their organisation's admins see it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_profile"
    )
    languages = SingleLineCharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Two-letter codes, separated by commas: en, fr, pt."),
    )
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="+", verbose_name=_("focus competencies")
    )
    capacity = models.PositiveSmallIntegerField(
        _("learners at most"), default=12, validators=[MaxValueValidator(500)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchProfileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"match profile {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.user.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)

    @property
    def language_codes(self) -> frozenset[str]:
        return frozenset(c.strip().lower() for c in self.languages.split(",") if c.strip())


class CoachChangeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an admin")
    CHANGED = "changed", _("New coach assigned")
    KEPT = "kept", _("Closed without a change")


class CoachChangeRequestQuerySet(OrganizationScopedQuerySet["CoachChangeRequest"]):
    def visible_to(self, user: "User | Any") -> "CoachChangeRequestQuerySet":
        """The learner's own requests; an organisation admin's organisation's requests except
        one about themself as the coach (an admin who coaches the learner never learns of it).
        Never the coach: no rule shows a coach a request about them."""
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        mine = self.filter(organization_id=membership.organization_id)
        if _admin_org_id(user) is not None:
            return mine.filter(
                Q(learner=user) | ~Q(coach_at_request=user) | Q(coach_at_request=None)
            )
        return mine.filter(learner=user)

    def open(self) -> "CoachChangeRequestQuerySet":
        return self.filter(status=CoachChangeStatus.OPEN)


class CoachChangeRequest(models.Model):
    """A learner asked for another coach for one seat, without a reason (none is asked).

    It goes to the organisation's admins (a notification of kind `coach_request`), never to
    the coach: nothing about it reaches the coach on any page, notification, email or event
    they can read, and when an admin assigns another coach the old coach is told nothing
    (any reassignment looks the same to them). At most one open request per seat."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    coach_at_request = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=CoachChangeStatus.choices, default=CoachChangeStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = CoachChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status="open"),
                name="one_open_coach_change_per_seat",
            )
        ]

    def __str__(self) -> str:
        return f"coach change {self.public_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.enrollment.organization_id
        super().save(*args, **kwargs)


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class MatchProposalQuerySet(OrganizationScopedQuerySet["MatchProposal"]):
    def visible_to(self, user: "User | Any") -> "MatchProposalQuerySet":
        """An organisation's admins only: they propose, edit and publish."""
        org_id = _admin_org_id(user)
        if org_id is None:
            return self.none()
        return self.filter(organization_id=org_id)


class MatchProposal(models.Model):
    """Rapport's proposal of a coach for every learner of a cohort (coaching.matching), which
    an admin reviews, edits row by row and publishes in one transaction
    (coaching.actions.publish_proposal)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = MatchProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"match proposal {self.public_id} ({self.state})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)


class MatchRowQuerySet(OrganizationScopedQuerySet["MatchRow"]):
    def visible_to(self, user: "User | Any") -> "MatchRowQuerySet":
        """The rows of the proposals the person may see (admins of the organisation)."""
        org_id = _admin_org_id(user)
        if org_id is None:
            return self.none()
        return self.filter(organization_id=org_id)


class MatchRow(models.Model):
    """One learner's line of a proposal: the coach proposed (None: nobody fits), the coach
    they had when it was made, and why (the score's parts). `edited`: an admin chose it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="rows")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    proposed_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    current_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score = models.FloatField(default=0)
    shared_language = models.BooleanField(default=True)
    overlap_minutes = models.PositiveIntegerField(default=0)
    shared_focus = models.PositiveSmallIntegerField(default=0)
    edited = models.BooleanField(default=False)

    objects = MatchRowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "enrollment"], name="one_row_per_seat")
        ]

    def __str__(self) -> str:
        return f"match row {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.proposal.organization_id
        super().save(*args, **kwargs)

    @property
    def moves(self) -> bool:
        return self.proposed_coach_id != self.current_coach_id


# --- Nudges --------------------------------------------------------------------------------
# A coach's short message, with placeholders, to one of their learners or a filtered group of
# them, delivered at a chosen time through notifications (coaching.tasks.send_due_nudges).


class NudgeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class NudgeQuerySet(OrganizationScopedQuerySet["Nudge"]):
    def visible_to(self, user: "User | Any") -> "NudgeQuerySet":
        """A nudge is its coach's, and each recipient's once it was delivered to them; nobody
        else sees it (another learner of the group, an admin, a platform superuser)."""
        if policy.membership_of(user) is None:
            return self.none()
        received = NudgeRecipient.objects.filter(
            nudge=OuterRef("pk"), learner=user, delivered_at__isnull=False
        )
        return self.filter(
            Q(coach=user) | Q(Exists(received)), organization_id=user.membership.organization_id
        )


class Nudge(models.Model):
    """A coach's nudge: `body` (encrypted at rest, with placeholders such as {first_name},
    rendered per learner by coaching.nudges.render_nudge), to the learners listed in its
    recipients (chosen when it was scheduled, from the coach's own learners), sent at
    `send_at` exactly once (the status moves from scheduled to sent in one conditional
    UPDATE). The body never reaches a notification, an email, an event or a log: the
    notification says a nudge arrived and links to it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges_sent"
    )
    body: str = ConfidentialTextField(_("message"), max_length=1000)
    send_at = models.DateTimeField(_("send at"))
    status = models.CharField(
        max_length=12, choices=NudgeStatus.choices, default=NudgeStatus.SCHEDULED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NudgeQuerySet.as_manager()

    class Meta:
        ordering = ["-send_at"]
        indexes = [
            models.Index(fields=["send_at"], condition=Q(status="scheduled"), name="nudge_to_send"),
            models.Index(fields=["coach", "send_at"], name="nudge_coach"),
        ]

    def __str__(self) -> str:
        return f"Nudge {self.public_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.coach.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)


class NudgeRecipientQuerySet(OrganizationScopedQuerySet["NudgeRecipient"]):
    def visible_to(self, user: "User | Any") -> "NudgeRecipientQuerySet":
        """The coach sees every recipient of their nudges; a learner only their own row."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(
            Q(nudge__coach=user) | Q(learner=user),
            organization_id=user.membership.organization_id,
        )


class NudgeRecipient(models.Model):
    """One learner a nudge goes to, through their seat (`enrollment`, whose cohort gives
    {week_title}); `delivered_at` once notified."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="recipients")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges_received"
    )
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = NudgeRecipientQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nudge", "learner"], name="one_nudge_per_learner")
        ]
        indexes = [models.Index(fields=["learner", "nudge"], name="nudge_recipient_learner")]

    def __str__(self) -> str:
        return f"{self.learner_id} of {self.nudge_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.nudge.organization_id
        super().save(*args, **kwargs)
