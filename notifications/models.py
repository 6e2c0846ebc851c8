"""In-app notifications, email (immediate or digest), preferences, quiet hours and one-click
unsubscribe.

A notification says what happened, to whom, by whom and where — never text a person typed: a
post's body is not copied into a notification, so no notification page or email can leak a
thread's text (the contract of issue 7). `place` is the title of where it happened (programme
content, "Circle Lisbon", "Community space") and `url` the product page that shows it, where
the page's own access rules decide what the recipient may read.
"""

import uuid
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.text import SingleLineCharField
from rapport.lib.timezones import get_zone

if TYPE_CHECKING:
    from accounts.models import User


class NotificationKind(models.TextChoices):
    """What a notification is about (CONTRACT-7); each kind has its own email preference."""

    REPLY = "reply", _("Replies to you")
    MENTION = "mention", _("Mentions of you")
    REACTION = "reaction", _("Reactions to your posts")
    CIRCLE = "circle", _("Activity in your circle")
    NEW_WEEK = "new_week", _("A new week starts")
    MODERATION = "moderation", _("Moderation of your posts and reports")
    SHARED_WITH_YOU = "shared_with_you", _("Reflections your learners share with you")
    MISSION_REMINDER = "mission_reminder", _("Reminders of the missions you planned")
    SESSION = "session", _("Reminders of your coaching sessions")
    COACH_MESSAGE = "coach_message", _("Messages between you and your coach or learners")
    COACH_MATCH = "coach_match", _("A new coach, or a new learner to coach")
    COACH_REQUEST = "coach_request", _("Requests for a change of coach (admins)")
    ASSESSMENT = "assessment", _("Assessments: your view asked for, rounds opening and closing")
    NUDGE = "nudge", _("Nudges from your coach")
    FEEDBACK_ASKED = "feedback_asked", _("Feedback a peer or a learner asks of you")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given on your requests")


class EmailChoice(models.TextChoices):
    """When a notification of one kind reaches the person by email. In-app is always on."""

    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    NEVER = "never", _("Never")


# Replies, mentions, a new week and moderation matter now; reactions are nice to hear about
# once a week; circle chatter once a day.
DEFAULT_EMAIL: dict[str, str] = {
    NotificationKind.REPLY: EmailChoice.IMMEDIATE,
    NotificationKind.MENTION: EmailChoice.IMMEDIATE,
    NotificationKind.REACTION: EmailChoice.WEEKLY,
    NotificationKind.CIRCLE: EmailChoice.DAILY,
    NotificationKind.NEW_WEEK: EmailChoice.IMMEDIATE,
    NotificationKind.MODERATION: EmailChoice.IMMEDIATE,
    NotificationKind.SHARED_WITH_YOU: EmailChoice.IMMEDIATE,
    NotificationKind.MISSION_REMINDER: EmailChoice.IMMEDIATE,
    NotificationKind.SESSION: EmailChoice.IMMEDIATE,
    NotificationKind.COACH_MESSAGE: EmailChoice.IMMEDIATE,
    NotificationKind.COACH_MATCH: EmailChoice.IMMEDIATE,
    NotificationKind.COACH_REQUEST: EmailChoice.IMMEDIATE,
    NotificationKind.ASSESSMENT: EmailChoice.IMMEDIATE,
    NotificationKind.NUDGE: EmailChoice.IMMEDIATE,
    NotificationKind.FEEDBACK_ASKED: EmailChoice.IMMEDIATE,
    NotificationKind.FEEDBACK_GIVEN: EmailChoice.IMMEDIATE,
}
DIGEST_CHOICES = (EmailChoice.DAILY, EmailChoice.WEEKLY)

# Kinds that reach only some roles of an organisation (who each kind is sent to): what a learner
# shares with her coach reaches coaches (and admins who coach); a change-of-coach request
# reaches the organisation's admins. "A new coach" (COACH_MATCH) reaches learners as well.
ROLE_ONLY_KINDS: dict[str, frozenset[str]] = {
    NotificationKind.SHARED_WITH_YOU: frozenset(
        {policy.Role.COACH, policy.Role.ADMIN, policy.Role.DESIGNER, policy.Role.EXPERT}
    ),
    NotificationKind.COACH_REQUEST: frozenset({policy.Role.ADMIN}),
}


def kinds_for_role(role: str | None) -> list[str]:
    """The notification kinds (values, in NotificationKind's order) that can reach someone of
    organisation `role` (a Role value; None for no membership: every kind, as before), so
    that Notification preferences offers only those. Saved choices for the others are kept."""
    return [
        kind.value
        for kind in NotificationKind
        if role is None or role in ROLE_ONLY_KINDS.get(kind.value, frozenset({role}))
    ]


class NotificationQuerySet(OrganizationScopedQuerySet["Notification"]):
    def visible_to(self, user: "User | Any") -> "NotificationQuerySet":
        """A notification is its recipient's alone: nobody else sees it — not a coach, not an
        admin, not a platform superuser (it says who replied to whom). Anonymous people and
        people without an active membership see none."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(recipient=user, organization_id=user.membership.organization_id)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened that one person should hear about.

    `email` is the person's choice for this kind when it was created (so a later change of
    preference applies to later notifications); `emailed_at` is set once it went out by email,
    alone or in `digest`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name shown for the actor: a pseudonym when they posted under one.
    actor_label = SingleLineCharField(max_length=150, blank=True)
    place = SingleLineCharField(max_length=200)
    url = SingleLineCharField(max_length=500)
    target_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=EmailChoice.choices)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "DigestDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread",
            ),
            models.Index(
                fields=["email", "recipient"],
                condition=models.Q(emailed_at__isnull=True),
                name="notif_email_pending",
            ),
        ]
        constraints = [
            # A new week is announced once per learner and week (its target_id is derived from
            # the cohort and the week number), however often the periodic job runs.
            models.UniqueConstraint(
                fields=["recipient", "target_id"],
                condition=models.Q(kind="new_week"),
                name="one_new_week_notice_per_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.place}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.recipient.organization_id  # type: ignore[assignment]
        super().save(*args, **kwargs)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def headline(self) -> str:
        """One line saying what happened, built from the actor's label and the place only."""
        return headline(self.kind, self.actor_label, self.place)


_HEADLINES = {
    NotificationKind.REPLY: _("%(actor)s replied to you in %(place)s"),
    NotificationKind.MENTION: _("%(actor)s mentioned you in %(place)s"),
    NotificationKind.REACTION: _("%(actor)s reacted to your post in %(place)s"),
    NotificationKind.CIRCLE: _("%(actor)s posted in %(place)s"),
    NotificationKind.NEW_WEEK: _("A new week starts: %(place)s"),
    NotificationKind.MODERATION: _("The moderators have news about %(place)s"),
    # `place` is programme content or "A journal entry": never what the learner wrote.
    NotificationKind.SHARED_WITH_YOU: _("%(actor)s shared a reflection with you: %(place)s"),
    NotificationKind.MISSION_REMINDER: _("It is time for the mission you planned: %(place)s"),
    NotificationKind.SESSION: _("Coming up within a day: %(place)s"),
    # `place` is "Messages with <name>": never the message's text.
    NotificationKind.COACH_MESSAGE: _("%(actor)s sent you a message: %(place)s"),
    # Neither names anyone: the page it links to says who (coaching.actions).
    NotificationKind.COACH_MATCH: _("Your coaching changed in %(place)s"),
    NotificationKind.COACH_REQUEST: _("A learner asked for a change of coach in %(place)s"),
    # `place` names the round and the cohort; never who rated whom, never a score.
    NotificationKind.ASSESSMENT: _("%(actor)s asked for your view: %(place)s"),
    # `place` is "A nudge from your coach": never the nudge's text (its page shows that).
    NotificationKind.NUDGE: _("%(actor)s sent you a nudge: %(place)s"),
    # `place` is "Feedback between rounds · <cohort>": never the request's focus or an answer.
    NotificationKind.FEEDBACK_ASKED: _("%(actor)s asked for your feedback: %(place)s"),
    NotificationKind.FEEDBACK_GIVEN: _("%(actor)s answered your request for feedback: %(place)s"),
}
_HEADLINES_WITHOUT_ACTOR = {
    NotificationKind.CIRCLE: _("News from %(place)s"),
    NotificationKind.SESSION: _("Coming up within a day: %(place)s"),
    NotificationKind.COACH_MATCH: _("Your coaching changed in %(place)s"),
    NotificationKind.COACH_REQUEST: _("A learner asked for a change of coach in %(place)s"),
    NotificationKind.ASSESSMENT: _("Your view is asked for: %(place)s"),
}


def headline(kind: str, actor_label: str, place: str, *, language: str | None = None) -> str:
    """ "Ana replied to you in Week 2 · Listening": the sentence a notification shows, in the
    active language (or `language`, the active one already looked up by a caller that makes
    many). Without an actor label, "Someone" (or a kind's own wording)."""
    if language is None:
        language = translation.get_language()
    wording, someone = _headline_wording(language, kind, bool(actor_label))
    return wording % {"actor": actor_label or someone, "place": place}


@lru_cache(maxsize=512)
def _headline_wording(language: str | None, kind: str, has_actor: bool) -> tuple[str, str]:
    """The headline's translated wording for `kind` (with or without an actor) and the actor
    it names when there is none ("Someone"), memoised per language: a digest makes a headline
    for each notification, twice, and each lazy translation walks Django's catalogues."""
    if not has_actor and kind in _HEADLINES_WITHOUT_ACTOR:
        return str(_HEADLINES_WITHOUT_ACTOR[NotificationKind(kind)]), ""
    return str(_HEADLINES[NotificationKind(kind)]), str(_("Someone"))


class EmailPreferenceQuerySet(OrganizationScopedQuerySet["EmailPreference"]):
    def visible_to(self, user: "User | Any") -> "EmailPreferenceQuerySet":
        """Only the person's own preferences."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(user=user)


class EmailPreference(models.Model):
    """A person's email choice for one kind. Without a row the kind's default applies
    (`DEFAULT_EMAIL`)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    email = models.CharField(max_length=10, choices=EmailChoice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmailPreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.email}"


class QuietHoursQuerySet(OrganizationScopedQuerySet["QuietHours"]):
    def visible_to(self, user: "User | Any") -> "QuietHoursQuerySet":
        """Only the person's own quiet hours."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(user=user)


class QuietHours(models.Model):
    """Local times (in the person's `User.time_zone`) between which no email reaches them.

    `start` may be after `end` (22:00 to 07:00 spans midnight); `start == end` is refused by the
    form. Immediate emails that fall inside are sent when the quiet hours end; digests go out
    at `DIGEST_HOUR` local time, or when the quiet hours end if that hour is inside them.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    start = models.TimeField()
    end = models.TimeField()

    objects = QuietHoursQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.start:%H:%M} to {self.end:%H:%M}"


# Digests go out at this local hour (or when quiet hours end, if it falls inside them).
DIGEST_HOUR = time(8)
# Weekly digests go out on this local weekday (Monday = 0).
DIGEST_WEEKDAY = 0


def in_quiet_hours(start: time | None, end: time | None, local: datetime) -> bool:
    """Whether the local wall-clock time `local` is inside the quiet hours [start, end).
    No quiet hours (None) or an empty span (start == end) is never quiet."""
    if start is None or end is None or start == end:
        return False
    now = local.time().replace(tzinfo=None)
    if start < end:
        return start <= now < end
    return now >= start or now < end


def quiet_hours_end(
    start: time | None, end: time | None, zone_name: str, now: datetime
) -> datetime:
    """The aware UTC instant at which the person may next be emailed: `now` when outside quiet
    hours, else the next local `end` in their zone. Local times that do not exist on a
    daylight-saving change (02:30 on a spring-forward night) resolve to the instant the clock
    shows them after the jump, so nobody waits an extra day."""
    zone = get_zone(zone_name)
    local = now.astimezone(zone)
    if not in_quiet_hours(start, end, local):
        return now
    assert end is not None
    candidate = datetime.combine(local.date(), end)
    if candidate.time() <= local.time().replace(tzinfo=None):
        candidate += timedelta(days=1)
    # A wall time in a DST gap (fold=0) is read with the offset before the gap, which in UTC is
    # the instant the clock shows that time plus the jump, just after the gap.
    return candidate.replace(tzinfo=zone).astimezone(UTC)


class DigestDeliveryQuerySet(OrganizationScopedQuerySet["DigestDelivery"]):
    def visible_to(self, user: "User | Any") -> "DigestDeliveryQuerySet":
        """Only the person's own digests."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(recipient=user)

    def unsent(self) -> "DigestDeliveryQuerySet":
        return self.filter(sent_at__isnull=True)


class DigestDelivery(models.Model):
    """One digest email for one person and period ("daily:2026-11-30", "weekly:2026-W49").

    Created in the same transaction that attaches the pending notifications to it, so each
    notification belongs to exactly one digest; unique per (recipient, period), so nobody is
    sent the same period twice. A sending task claims it (`claimed_at`), sends it, and sets
    `sent_at`; a delivery left claimed by a worker that died is claimed again after
    `RAPPORT_DIGEST_LEASE_SECONDS` (notifications.tasks).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = SingleLineCharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)

    objects = DigestDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period"], name="one_digest_per_period")
        ]
        indexes = [
            models.Index(
                fields=["enqueued_at"],
                condition=models.Q(sent_at__isnull=True),
                name="digest_unsent",
            )
        ]

    def __str__(self) -> str:
        return self.period
