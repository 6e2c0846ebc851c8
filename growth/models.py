"""Growth tools (issue 8): goals against the leadership model, mindset routines and check-ins,
the team charter, difficult-conversation plans and debriefs, emotion and energy check-ins.

Everything here is written by a person about themselves and is visible to its author only
(`OwnedQuerySet.visible_to`, docs/permissions.md "Growth"): no coach, peer, designer or admin
reads it, and the studio has no page for it. Every piece of text is a `ConfidentialTextField`
(encrypted at rest). Admins see only the organisation's emotion and energy aggregates
(growth.aggregates), which pass the small-group rule.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cohorts.models import Enrollment, EnrollmentRole
from organizations.models import Behaviour, Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.crypto import ConfidentialTextField

if TYPE_CHECKING:
    from accounts.models import User

# Limits of what a person can type, in characters (forms enforce them with a message).
SHORT_TEXT = 200
LONG_TEXT = 2000
NOTE_TEXT = 500
WORD_TEXT = 40


class OwnedQuerySet[M: models.Model](OrganizationScopedQuerySet[M]):
    """The rule for every growth model: a row is visible to its owner alone, in their own
    organisation. Platform superusers get no exception: this is personal text."""

    def visible_to(self, user: "User | Any") -> "OwnedQuerySet[M]":
        """The person's own rows (none for anonymous people or people without a membership)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()  # type: ignore[return-value]
        mine = self.in_organization_of(user).filter(owner_id=user.pk)
        return mine  # type: ignore[return-value]


class OwnedModel(models.Model):
    """The columns every growth row has: an opaque id for URLs, the organisation (from the
    owner's membership, set by growth.actions) and the owner."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SubmittedModel(OwnedModel):
    """A row a person creates with a form: `submission` is the form's one-time id (a UUID the
    page generates), so a double click or a resent form creates it once (growth.actions)."""

    submission = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def one_per_submission(model: str) -> models.UniqueConstraint:
    """The constraint that makes `submission` idempotent, per owner (a guessed id of someone
    else's form only ever matches the guesser's own rows)."""
    return models.UniqueConstraint(
        fields=["owner", "submission"], name=f"{model}_one_per_submission"
    )


# -- what's in it for me, behaviour picks, goals -------------------------------------------------


class GrowthProfile(OwnedModel):
    """One per person: "what's in it for me" and the behaviours of the leadership model they
    chose to grow."""

    whats_in_it_for_me: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    behaviours = models.ManyToManyField(Behaviour, blank=True, related_name="+")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner"], name="one_growth_profile_per_person")
        ]

    def __str__(self) -> str:
        return f"growth profile {self.public_id}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    PAUSED = "paused", _("On hold")
    LET_GO = "let_go", _("Let go")


class Goal(SubmittedModel):
    """A personal goal, optionally linked to one behaviour of the leadership model (the link is
    cleared, the goal kept, if an admin deletes the behaviour)."""

    title: str = ConfidentialTextField(max_length=SHORT_TEXT)
    why: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    how_i_will_know: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    behaviour = models.ForeignKey(
        Behaviour, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="goal_owner_idx")]
        constraints = [one_per_submission("goal")]

    def __str__(self) -> str:
        return f"goal {self.public_id}"


# -- mindset: belief → principle → routines → check-ins ------------------------------------------


class Belief(SubmittedModel):
    """A belief the person is challenging and the principle that replaces it."""

    belief: str = ConfidentialTextField(max_length=LONG_TEXT)
    principle: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [one_per_submission("belief")]

    def __str__(self) -> str:
        return f"belief {self.public_id}"


class Cadence(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class Routine(SubmittedModel):
    """A small practice that puts a principle to work, checked in daily or weekly."""

    belief = models.ForeignKey(Belief, on_delete=models.CASCADE, related_name="routines")
    text: str = ConfidentialTextField(max_length=SHORT_TEXT)
    cadence = models.CharField(max_length=8, choices=Cadence.choices, default=Cadence.DAILY)
    active = models.BooleanField(default=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [one_per_submission("routine")]

    def __str__(self) -> str:
        return f"routine {self.public_id}"


class RoutineCheckIn(OwnedModel):
    """One answer for one period of a routine: the day (daily) or the Monday of the week
    (weekly), in the owner's own time zone. Answering again for the same period replaces the
    answer (one row per routine and period)."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="check_ins")
    period = models.DateField()
    done = models.BooleanField()
    note: str = ConfidentialTextField(max_length=NOTE_TEXT, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["routine", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "period"], name="one_check_in_per_routine_period"
            )
        ]

    def __str__(self) -> str:
        return f"check-in {self.public_id}"


# -- the team charter ----------------------------------------------------------------------------


class Charter(SubmittedModel):
    """A team charter for digital interaction, drafted by a person to share with their own team
    (printed or saved as a PDF from the printable page; Rapport shows it to nobody else)."""

    team: str = ConfidentialTextField(max_length=SHORT_TEXT)
    how_we_meet: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    our_attention: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    staying_connected: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    feedback: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    our_promise: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [one_per_submission("charter")]

    def __str__(self) -> str:
        return f"charter {self.public_id}"


# -- hard moments --------------------------------------------------------------------------------


class ConversationPlan(SubmittedModel):
    """Preparing a difficult conversation: purpose, values, feelings and how to calm them, the
    hoped-for outcome, an opening line, what to listen for. `subject` is the person's own
    label; the form asks them not to name the other person."""

    subject: str = ConfidentialTextField(max_length=SHORT_TEXT)
    purpose: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    values: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    feelings: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    calming: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    outcome: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    opening_line: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    listen_for: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    planned_for = models.DateField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [one_per_submission("conversation_plan")]

    def __str__(self) -> str:
        return f"conversation plan {self.public_id}"


class ConversationDebrief(OwnedModel):
    """The blameless debrief after the conversation, one per plan."""

    plan = models.OneToOneField(ConversationPlan, on_delete=models.CASCADE, related_name="debrief")
    what_happened: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    what_went_well: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    what_i_noticed: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)
    next_time: str = ConfidentialTextField(max_length=LONG_TEXT, blank=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"debrief {self.public_id}"


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class MoodCheckInQuerySet(OwnedQuerySet["MoodCheckIn"]):
    def shared_with_coach(self, coach: "User | Any") -> "MoodCheckInQuerySet":
        """The check-ins their owners chose to share with `coach` (`shared_with_coach`, off by
        default, per check-in) while `coach` is the coach of one of the owner's learner seats,
        in the coach's current organisation. What a coach may read of them is the two numbers
        and the day (coaching.caseload): never the word or the note, which stay the owner's.
        Nobody else gets any row from this (it is not part of `visible_to`)."""
        membership = policy.membership_of(coach)
        if membership is None:
            return self.none()
        coached = Enrollment.objects.filter(
            user_id=OuterRef("owner_id"),
            coach=coach,
            role=EnrollmentRole.LEARNER,
            organization_id=membership.organization_id,
        )
        return self.filter(  # type: ignore[no-any-return]
            Exists(coached), shared_with_coach=True, organization_id=membership.organization_id
        )


class MoodCheckIn(SubmittedModel):
    """Ten seconds: how I feel (1 = very low … 5 = very good) and my energy (1 = drained …
    5 = full of energy), an optional word and note. `day` is the date in the owner's time zone.
    Only the owner sees a check-in; admins see weekly aggregates over enough people.

    `shared_with_coach` (off unless the owner ticks it, per check-in): the owner's coach may
    then see the day and the two numbers on their caseload (`MoodCheckInQuerySet.
    shared_with_coach`); never the word or the note."""

    day = models.DateField()
    feeling = models.PositiveSmallIntegerField(validators=SCALE)
    energy = models.PositiveSmallIntegerField(validators=SCALE)
    word: str = ConfidentialTextField(max_length=WORD_TEXT, blank=True)
    note: str = ConfidentialTextField(max_length=NOTE_TEXT, blank=True)
    shared_with_coach = models.BooleanField(
        _("share how I feel and my energy with my coach"), default=False
    )

    objects = MoodCheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "day"], name="mood_owner_day_idx"),
            models.Index(fields=["organization", "day"], name="mood_org_day_idx"),
        ]
        constraints = [
            one_per_submission("mood"),
            models.CheckConstraint(
                condition=models.Q(feeling__gte=1, feeling__lte=5, energy__gte=1, energy__lte=5),
                name="mood_scales_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"mood check-in {self.public_id}"
