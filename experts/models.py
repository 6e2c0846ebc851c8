"""Experts (issue 9): office hours and ask-me-anything threads for a cohort, with questions
collected ahead and upvoted by learners, answered live or in writing.

Who sees what (docs/permissions.md, "Experts"): a thread, its questions and their vote counts
are for the people with a seat in its cohort (learners, coaches, experts) and the organisation's
admins. A question's author is shown to everyone who sees it only when they chose so; the
thread's host (the expert) and the organisation's admins — its moderators — always know who
asked. Nobody of another organisation or cohort sees any of it.

Questions and written answers can be reported to the cohort's moderators like a discussion
post (moderation.models.Report, `question` and `on_answer`); a moderator hides one with a
reason its author reads (`hidden_at`, `answer_hidden_at`), and the thread then shows everyone
else that it was hidden.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment
from organizations.models import Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User

# The longest question and written answer, in characters.
MAX_QUESTION = 2000
MAX_ANSWER = 10000


class ThreadKind(models.TextChoices):
    OFFICE_HOURS = "office_hours", _("Office hours")
    AMA = "ama", _("Ask me anything")


class ExpertThreadQuerySet(OrganizationScopedQuerySet["ExpertThread"]):
    def visible_to(self, user: "User | Any") -> "ExpertThreadQuerySet":
        """The threads of the cohorts the person has a seat in (any role), in their current
        organisation; every thread of the organisation for its admins (they moderate). Nobody
        else: another cohort, another organisation, anonymous or deactivated people."""
        mine: ExpertThreadQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.membership_of(user) is None:
            return mine
        if policy.can_manage_people(user):
            return mine
        seat = Enrollment.objects.filter(cohort=OuterRef("cohort_id"), user=user)
        return mine.filter(Exists(seat))


class ExpertThread(models.Model):
    """Office hours (a time, a video link, questions collected ahead) or an ask-me-anything
    thread (questions answered in writing, no time) that an expert or an admin opened for one
    cohort. `host` is the expert who answers (null once their account is erased). Office hours
    carry `starts_at`/`ends_at` and, for the `.ics` invite, `sequence`, which grows with every
    change of time or link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="expert_threads")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="expert_threads",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ThreadKind.choices)
    title = SingleLineCharField(_("title"), max_length=160)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    closed = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(2**31 - 1)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpertThreadQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "created_at"]
        indexes = [models.Index(fields=["cohort", "closed"], name="expert_thread_cohort")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ama")
                | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="office_hours_have_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)

    @property
    def is_office_hours(self) -> bool:
        return self.kind == ThreadKind.OFFICE_HOURS

    @property
    def ical_uid(self) -> str:
        return f"{self.public_id}@rapport"

    def is_moderator(self, user: "User | Any") -> bool:
        """The host and the organisation's admins: they answer (the host) or oversee (admins)
        and always know who asked."""
        return (self.host_id is not None and self.host_id == user.pk) or policy.can_manage_people(
            user
        )


class QuestionQuerySet(OrganizationScopedQuerySet["Question"]):
    def visible_to(self, user: "User | Any") -> "QuestionQuerySet":
        """The questions of the threads the person sees (ExpertThread's rule)."""
        return self.filter(thread__in=ExpertThread.objects.visible_to(user))


class Question(models.Model):
    """A question asked ahead (Markdown, shown sanitised by
    rapport.lib.markdown.render_untrusted_markdown). `show_name`: the asker's choice to be
    named to the cohort; moderators always see who asked. `vote_count` is denormalised (kept
    by experts.actions in the same transaction as the Vote rows). Answered in writing
    (`answer`) or marked answered live at the office hour (`answered_live`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(ExpertThread, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_questions"
    )
    body = models.TextField(_("question"), max_length=MAX_QUESTION)
    show_name = models.BooleanField(_("show my name"), default=True)
    vote_count = models.PositiveIntegerField(default=0)
    answer = models.TextField(_("answer"), max_length=MAX_ANSWER, blank=True)
    answered_live = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Who wrote the answer (the host or an admin): the author of the answer when it is reported.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Hidden by a moderator (moderation.actions), with the reason its author reads; the
    # question and its written answer are hidden separately.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(max_length=500, blank=True)
    answer_hidden_at = models.DateTimeField(null=True, blank=True)
    answer_hidden_reason = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-vote_count", "created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "-vote_count", "created_at"], name="question_rank")
        ]

    def __str__(self) -> str:
        return f"Question {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.thread.organization_id
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return bool(self.answer) or self.answered_live

    @property
    def answer_author_id(self) -> int | None:
        """Who wrote the written answer: `answered_by`, or the thread's host for an answer
        written before that was recorded; None without a written answer."""
        if not self.answer:
            return None
        return self.answered_by_id or self.thread.host_id


class VoteQuerySet(OrganizationScopedQuerySet["Vote"]):
    def visible_to(self, user: "User | Any") -> "VoteQuerySet":
        """A person's own votes only: who voted for what is nobody else's business (the
        question shows a count)."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(user=user, organization_id=user.membership.organization_id)


class Vote(models.Model):
    """One person's upvote of one question (`one_vote_per_person`); withdrawn by deleting it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_person")
        ]
        indexes = [models.Index(fields=["user", "question"], name="vote_user")]

    def __str__(self) -> str:
        return f"{self.user_id} for {self.question_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.question.organization_id
        super().save(*args, **kwargs)
