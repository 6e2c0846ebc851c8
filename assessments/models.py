"""Assessments (issue 10): self, peer and coach ratings of the organisation's leadership-model
behaviours (`organizations.Behaviour`) at baseline, at the end of the programme and a year later,
with the peers' and the coach's situation-behaviour-impact feedback.

The rows and who sees them (docs/permissions.md, "Assessments"):

- `AssessmentRound` — one of a cohort's three rounds, with the dates it is open. Scheduled from
  the cohort's dates by `assessments.tasks` (run by `manage.py run_periodic`). Seen by
  everyone who sees the cohort.
- `PeerInvitation` — a learner asked a peer of their cohort to rate them. The same peers are
  asked again in every later round. Seen by the learner who asked and the peer asked (each
  knows of it); never by anyone else.
- `Response` — one person's answers about one learner in one round: self, peer or coach, with
  the feedback text (`ConfidentialTextField`, encrypted at rest). Seen row by row by its
  rater alone — and, for a coach's response, by the learner it is about (the form tells the
  coach so). A learner reads their peers' answers only through `assessments.report`, as
  averages and shuffled, unnamed comments, once the round has closed and at least
  `PEER_MIN_RATERS` peers answered.
- `Rating` — one behaviour's score in a response (1-5 on `SCALE`, or none for "not seen"),
  seen with its response.

Feedback between rounds (asked for at any time, named, not averaged):

- `FeedbackRequest` — a learner's request about one moment (its focus encrypted at rest). Seen
  by the learner, by everyone asked in it, and by the coach of the learner's seat while the
  learner shares it with them.
- `FeedbackAnswer` — one person's part of a request: waiting, answered (a strength and a growth
  edge as situation, behaviour, impact, encrypted at rest) or declined. Seen by its writer and
  by the learner who asked (with the writer's name); by the learner's coach only once answered
  and while the request is shared with them.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment
from organizations.models import Behaviour, Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.crypto import ConfidentialTextField

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from accounts.models import User

# A rater group (the peers) is shown to the learner only once this many of them answered in
# the round (issue 10), and a behaviour's peer average only once this many rated it.
PEER_MIN_RATERS = 3
# How many peers a learner may ask (a form error beyond it).
MAX_PEERS = 12
# Each part of a situation-behaviour-impact comment, in characters.
COMMENT_TEXT = 600


@dataclass(frozen=True)
class ScalePoint:
    """One point of the rating scale: its number, its short label and its anchor (what a
    rater should have seen to choose it)."""

    value: int
    label: "str | Promise"
    anchor: "str | Promise"


# A behavioural observation scale: how often the behaviour is seen, anchored in what a rater
# observes, not in a judgement of the person (Latham & Wexley's behavioural observation scales,
# 1977; the frequency anchors of most 360-degree instruments). "Not seen" is no score at all.
SCALE: tuple[ScalePoint, ...] = (
    ScalePoint(1, _("Rarely"), _("I have hardly seen this yet.")),
    ScalePoint(2, _("Sometimes"), _("Now and then, mostly when it is easy.")),
    ScalePoint(3, _("Often"), _("About half the time, in some harder moments too.")),
    ScalePoint(4, _("Usually"), _("Most of the time, even under pressure.")),
    ScalePoint(5, _("Consistently"), _("Nearly always; others learn it from them.")),
)
SCALE_MIN = SCALE[0].value
SCALE_MAX = SCALE[-1].value


class RoundKind(models.TextChoices):
    """The three rounds of a cohort, in order."""

    BASELINE = "baseline", _("Baseline")
    END = "end", _("End of programme")
    YEAR_LATER = "year_later", _("A year later")


ROUND_ORDER = {kind: n for n, kind in enumerate(RoundKind)}


class Relation(models.TextChoices):
    """Who a rater is to the learner rated."""

    SELF = "self", _("Self")
    PEER = "peer", _("Peer")
    COACH = "coach", _("Coach")


class AssessmentRoundQuerySet(OrganizationScopedQuerySet["AssessmentRound"]):
    def visible_to(self, user: "User | Any") -> "AssessmentRoundQuerySet":
        """The rounds of every cohort the person sees (`Cohort.visible_to`)."""
        return self.filter(cohort__in=Cohort.objects.visible_to(user))


class AssessmentRound(models.Model):
    """One round of a cohort: open from `opens_on` to `closes_on` (inclusive), dates in each
    person's own zone. Created and kept in step with the cohort's dates by
    `assessments.tasks.schedule_rounds` until it opens; `opened_notice_at` and
    `reminded_at` claim the round's notices so each goes out once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assessment_rounds")
    kind = models.CharField(max_length=16, choices=RoundKind.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    opened_notice_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "kind"], name="one_round_of_each_kind"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.opens_on}-{self.closes_on})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def is_closed_on(self, day: date) -> bool:
        return day > self.closes_on

    @property
    def order(self) -> int:
        return ROUND_ORDER[RoundKind(self.kind)]


class PeerInvitationQuerySet(OrganizationScopedQuerySet["PeerInvitation"]):
    def visible_to(self, user: "User | Any") -> "PeerInvitationQuerySet":
        """The invitations the person made (as the learner) or received (as the peer), in their
        current organisation. Nobody else's: not a coach's, not an admin's."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(
            Q(subject__user=user) | Q(rater=user),
            organization_id=user.membership.organization_id,
        )


class PeerInvitation(models.Model):
    """A learner (`subject`, their seat) asked `rater`, a learner of the same cohort, to rate
    them in every round of the cohort. Made by `assessments.actions.invite_peers`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    objects = PeerInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "rater"], name="one_invitation_per_peer")
        ]

    def __str__(self) -> str:
        return f"peer invitation {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.subject.organization_id
        super().save(*args, **kwargs)


class ResponseQuerySet(OrganizationScopedQuerySet["Response"]):
    def visible_to(self, user: "User | Any") -> "ResponseQuerySet":
        """A response is its rater's; a coach's response is also the learner's it is about.
        A peer's response is never shown row by row to anyone but its rater (the learner reads
        peers through `assessments.report` only). Platform superusers get no exception."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(
            Q(rater=user) | Q(subject__user=user, relation=Relation.COACH),
            organization_id=user.membership.organization_id,
        )


class Response(models.Model):
    """One rater's answers about one learner's seat in one round: a `Rating` per behaviour,
    and (peers and coaches) one strength and one growth edge, each as situation, behaviour,
    impact. Once per (round, seat, rater): a second submission is refused."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    subject = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=8, choices=Relation.choices)
    strength_situation: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    strength_behaviour: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    strength_impact: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    edge_situation: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    edge_behaviour: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    edge_impact: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["subject", "relation"], name="response_subject_relation")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject", "rater"], name="one_response_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"response {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.round.organization_id
        super().save(*args, **kwargs)

    @property
    def has_strength(self) -> bool:
        return bool(self.strength_situation or self.strength_behaviour or self.strength_impact)

    @property
    def has_edge(self) -> bool:
        return bool(self.edge_situation or self.edge_behaviour or self.edge_impact)


class RatingQuerySet(models.QuerySet["Rating"]):
    def visible_to(self, user: "User | Any") -> "RatingQuerySet":
        """The ratings of the responses the person sees (`Response.visible_to`)."""
        return self.filter(response__in=Response.objects.visible_to(user))


class Rating(models.Model):
    """One behaviour's score in a response: `SCALE_MIN`-`SCALE_MAX`, or None when the rater
    has not had the chance to see it (counted in no average)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    behaviour = models.ForeignKey(Behaviour, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "behaviour"], name="one_rating_each"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCALE_MIN, score__lte=SCALE_MAX),
                name="rating_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.behaviour_id}: {self.score}"


# -- Feedback between rounds (issue 10) ------------------------------------------------------
# A learner asks, at any time during the programme, for feedback on one moment ("I ran my first
# skip-level meeting on Tuesday; how did I come across?") from peers of their cohort and,
# optionally, their coach. Each person asked answers as situation, behaviour, impact: one
# strength and one growth edge, named (the learner knows who wrote what), or declines.

# The focus of a request, in characters: a sentence or two.
FOCUS_TEXT = 300
# How many peers one request may ask (the coach, if asked, comes on top).
MAX_FEEDBACK_PEERS = 6
# How many requests a learner may have open at once (a form error beyond it).
MAX_OPEN_REQUESTS = 5


class FeedbackState(models.TextChoices):
    """Where one person's part of a request stands."""

    WAITING = "waiting", _("Waiting")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class FeedbackRequestQuerySet(OrganizationScopedQuerySet["FeedbackRequest"]):
    def visible_to(self, user: "User | Any") -> "FeedbackRequestQuerySet":
        """A request (its focus and behaviour) is seen by the learner who made it, by everyone
        it asks (peers and, if asked, the coach: they answer it), and by the coach of the
        learner's seat while the learner shares it with them. Nobody else: not another peer,
        not an admin or designer, not a platform superuser."""
        if policy.membership_of(user) is None:
            return self.none()
        asked = FeedbackAnswer.objects.filter(writer=user).values("request_id")
        return self.filter(
            Q(seat__user=user) | Q(pk__in=asked) | Q(seat__coach=user, shared_with_coach=True),
            organization_id=user.membership.organization_id,
        )


class FeedbackRequest(models.Model):
    """A learner's request for feedback on one moment (`focus`, their own words, encrypted at
    rest), optionally about one `behaviour` of the organisation's leadership model, hoped for
    by `due_on` (a soft date: late answers are still welcome). Asked of people through its
    `FeedbackAnswer` rows. `closed_at`: the learner withdrew or closed it; nothing more can be
    answered. `shared_with_coach`: the learner lets the coach of their seat read it and its
    answers (off unless they choose it; they may change it at any time). Made by
    `assessments.actions.request_feedback`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    seat = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    focus: str = ConfidentialTextField(_("what you would like feedback on"), max_length=FOCUS_TEXT)
    behaviour = models.ForeignKey(
        Behaviour, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("useful by"), null=True, blank=True)
    shared_with_coach = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["seat", "-created_at"], name="feedback_request_seat")]

    def __str__(self) -> str:
        return f"feedback request {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.seat.organization_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class FeedbackAnswerQuerySet(OrganizationScopedQuerySet["FeedbackAnswer"]):
    def visible_to(self, user: "User | Any") -> "FeedbackAnswerQuerySet":
        """One person's part of a request: seen by its writer (the person asked) and by the
        learner who asked (with the writer's name: the form tells the writer so); by the coach
        of the learner's seat only once answered and while the learner shares the request with
        them. Never by another person asked, an admin, a designer or a platform superuser."""
        if policy.membership_of(user) is None:
            return self.none()
        return self.filter(
            Q(writer=user)
            | Q(request__seat__user=user)
            | Q(
                request__seat__coach=user,
                request__shared_with_coach=True,
                state=FeedbackState.ANSWERED,
            ),
            organization_id=user.membership.organization_id,
        )


class FeedbackAnswer(models.Model):
    """One person asked in a request (`writer`: a learner of the same cohort, or the coach of
    the learner's seat, `relation`), and their answer: one strength and one growth edge, each
    as situation, behaviour, impact (encrypted at rest). Answered or declined once: a second
    submission is refused (`assessments.actions.give_feedback`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="answers")
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=8, choices=Relation.choices)
    state = models.CharField(
        max_length=8, choices=FeedbackState.choices, default=FeedbackState.WAITING
    )
    strength_situation: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    strength_behaviour: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    strength_impact: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    edge_situation: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    edge_behaviour: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    edge_impact: str = ConfidentialTextField(max_length=COMMENT_TEXT, blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["writer", "state"], name="feedback_answer_writer")]
        constraints = [
            models.UniqueConstraint(fields=["request", "writer"], name="one_ask_per_person"),
            models.CheckConstraint(
                condition=~Q(relation="self"), name="feedback_is_from_someone_else"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback answer {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.request.organization_id
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.state == FeedbackState.ANSWERED
