"""Keeping the community safe: reports of what people write, and the moderation audit log.

- **Report** — someone asks the moderators to look at a discussion post, an expert question,
  an expert's written answer or a journal entry shared with a circle or cohort
  (`moderation.targets`: one report model for every kind). The
  moderators of the text's cohort (its enrolled coaches and the organisation's admins)
  see it in their queue, with the reporter's name so they can follow up — except the reported
  person's line manager, who never does, whatever their role, and the text's own author.
  Nobody else ever sees a report but the reporter. `ReportQuerySet.visible_to` and
  `moderated_by` are the rules.
- **ModerationAction** — the append-only audit log: who hid, unhid or dismissed what, and why.
  Nothing updates or deletes a row (the model and its queryset refuse); organisation admins read
  it on the audit page.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from discussions.models import Post
from experts.models import Question
from organizations.models import Membership, Organization, OrganizationScopedQuerySet
from rapport import policy
from reflections.models import Entry

if TYPE_CHECKING:
    from accounts.models import User

# The longest "anything else the moderators should know", in characters.
MAX_DETAILS_LENGTH = 2_000
# The longest note to the reporter (or reason shown to the author), in characters.
MAX_NOTE_LENGTH = 500


class ReportReason(models.TextChoices):
    """Why a post is reported. The first is the one a safe space for reflection needs most."""

    VULNERABILITY = "vulnerability", _("Uses someone's vulnerability against them")
    HARASSMENT = "harassment", _("Harassment or bullying")
    CONFIDENCE = "confidence", _("Shares something told in confidence")
    DISCRIMINATORY = "discriminatory", _("Discriminatory")
    SPAM = "spam", _("Spam")
    OTHER = "other", _("Something else")


class ReportState(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    ACTIONED = "actioned", _("Hidden")
    DISMISSED = "dismissed", _("No action taken")


class ReportQuerySet(OrganizationScopedQuerySet["Report"]):
    def moderated_by(self, user: "User | Any") -> "ReportQuerySet":
        """The reports a person handles as a moderator, in their organisation: reports on text
        (a post, an expert question or answer, a shared journal entry) in cohorts they coach
        (an enrolled coach), or any cohort's when they are an organisation admin — never
        reports on their own text, never reports on text by someone they line-manage.
        Platform superusers all; everyone else none. Built on the report's `cohort` and
        `author`, whatever its kind."""
        mine: ReportQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user):
            return mine
        if policy.membership_of(user) is None:
            return mine  # already empty
        if policy.role_of(user) != policy.Role.ADMIN:
            coached = Enrollment.objects.filter(user=user, role=EnrollmentRole.COACH)
            mine = mine.filter(cohort_id__in=coached.values("cohort_id"))
        mine = mine.exclude(author=user)
        managed = Membership.objects.filter(line_manager=user).values("user_id")
        return mine.exclude(author_id__in=managed)

    def visible_to(self, user: "User | Any") -> "ReportQuerySet":
        """The reports a person made themselves ("My reports") and those they moderate
        (`moderated_by`). The reported person never sees a report about their post; peers,
        designers and other organisations see none."""
        mine: ReportQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.membership_of(user) is None:
            return mine
        moderated = self.moderated_by(user).values("pk")
        return mine.filter(Q(reporter=user) | Q(pk__in=moderated))


class Report(models.Model):
    """Someone asks the moderators to look at a piece of text: a reason from `ReportReason`,
    optional details, and whether their name may be shared with peers (`anonymous_to_peers`:
    by default it is not; the moderators always see it, so they can follow up). One report per
    person and text. A moderator hides the text (`actioned`) or dismisses the report
    (`dismissed`), with a note the reporter reads on "My reports".

    The text is a discussion `post`, an expert `question` — its written answer when
    `on_answer` — or a journal `entry`: at most one of them (`report_has_one_target`). Posts
    and questions are never deleted from under a report (a deleted post is a tombstone), but an
    entry's author may delete it for good: the report then stays with none of the three
    (`entry` set to NULL), for the reporter's "My reports", the moderators (who can only
    dismiss it) and the audit log. `moderation.targets.target_of` reads every case the same
    way. `author` (whose text it is) and `cohort` (whose coaches
    moderate it; None: admins only) are copied from it in `save`, so the moderators' rule
    (`ReportQuerySet.moderated_by`) is one filter whatever the kind."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    on_answer = models.BooleanField(default=False)
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    details = models.TextField(max_length=MAX_DETAILS_LENGTH, blank=True)
    anonymous_to_peers = models.BooleanField(
        default=True,
        help_text=_("Keep my name from the person I report and from other learners."),
    )
    state = models.CharField(max_length=16, choices=ReportState.choices, default=ReportState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(max_length=MAX_NOTE_LENGTH, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person"),
            models.UniqueConstraint(
                fields=["question", "on_answer", "reporter"],
                condition=Q(question__isnull=False),
                name="one_report_per_person_and_question",
            ),
            models.UniqueConstraint(
                fields=["entry", "reporter"],
                condition=Q(entry__isnull=False),
                name="one_report_per_person_and_entry",
            ),
            # A post, a question (or its answer), or an entry — the last one also once its
            # author deleted it (entry NULL): never two at once.
            models.CheckConstraint(
                condition=Q(
                    post__isnull=False, question__isnull=True, entry__isnull=True, on_answer=False
                )
                | Q(post__isnull=True, question__isnull=False, entry__isnull=True)
                | Q(post__isnull=True, question__isnull=True, on_answer=False),
                name="report_has_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state", "created_at"], name="report_queue_idx")
        ]

    def __str__(self) -> str:
        return f"Report {self.public_id} ({self.state})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from moderation.targets import target_of

        if self._state.adding and not (self.post_id or self.question_id or self.entry_id):
            raise ValueError("A report is about a post, a question or a journal entry.")
        target = target_of(self)
        self.organization_id = target.organization_id
        if self._state.adding:
            self.author_id, self.cohort_id = target.author_id, target.cohort_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state == ReportState.OPEN


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hid reported text")
    UNHIDE = "unhide", _("Showed it again")
    DISMISS = "dismiss", _("Dismissed a report")


class AppendOnlyError(Exception):
    """The audit log is never changed or deleted."""


class ModerationActionQuerySet(OrganizationScopedQuerySet["ModerationAction"]):
    def visible_to(self, user: "User | Any") -> "ModerationActionQuerySet":
        """The audit log is for the organisation's admins (and platform superusers); nobody
        else reads it."""
        mine: ModerationActionQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.can_manage_people(user):
            return mine
        return mine.none()

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The moderation audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The moderation audit log is append-only.")


class ModerationAction(models.Model):
    """One moderation decision, kept for ever: who (`actor`), what (`action`), on which post,
    expert question (`question`; its answer when the report is `on_answer`) or journal `entry`
    and report,
    why (`reason`: the reason shown to the author, or the note to the reporter), when (`at`).
    Append-only: saving an existing row or deleting any raises AppendOnlyError.
    Written by `moderation.actions` only."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # The rows outlive what they are about: a person, post or report removed with its cohort
    # or organisation leaves the entry with an empty reference (never deletes it).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=ActionKind.choices)
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    reason = models.TextField(max_length=MAX_NOTE_LENGTH, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The moderation audit log is append-only.")
        if self.post is not None:
            self.organization_id = self.post.organization_id
        elif self.question is not None:
            self.organization_id = self.question.organization_id
        elif self.entry is not None:
            self.organization_id = self.entry.organization_id
        elif self.report is not None:  # a report on an entry its author deleted since
            self.organization_id = self.report.organization_id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The moderation audit log is append-only.")
