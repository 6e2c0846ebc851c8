import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


class EventQuerySet(OrganizationScopedQuerySet["Event"]):
    def visible_to(self, user: "User | Any") -> "EventQuerySet":
        """The learning record is read by platform superusers only, for now: analytics will read
        it through policy.suppress_small_groups, never row by row."""
        if policy.is_platform_superuser(user):
            return self
        return self.none()


class Verb(models.TextChoices):
    """What someone did. Each member maps to an xAPI verb IRI in `events.xapi.VERB_IRIS`.

    Adding a verb: a member here, its IRI there, and a migration (the choices change).
    """

    # Learning activities (cohorts.actions)
    VIEWED = "viewed", _("viewed")
    PLAYED = "played", _("played")
    PAUSED = "paused", _("paused")
    PROGRESSED = "progressed", _("progressed")
    COMPLETED = "completed", _("completed")
    UNCOMPLETED = "uncompleted", _("marked not done")  # a completion undone
    LAUNCHED = "launched", _("launched")
    DOWNLOADED = "downloaded", _("downloaded")
    # Taking part (enrolment, import, invitation)
    REGISTERED = "registered", _("enrolled")  # a seat in a cohort: object = the cohort
    UNREGISTERED = "unregistered", _("left the cohort")  # a seat removed: object = the cohort
    IMPORTED = "imported", _("imported")  # a list of people into a cohort: object = the cohort
    INVITED = "invited", _("invited")  # an invitation email sent: object = the person
    # Conversation (discussions.actions)
    COMMENTED = "commented", _("posted")  # a post or reply: object = the prompt, or the cohort
    # Connection (reflections.actions): object = the activity, or the cohort for a free entry
    PLANNED = "planned", _("planned")  # a mission's plan made
    REFLECTED = "reflected", _("reflected")  # a journal entry written
    SHARED = "shared", _("shared")  # a journal entry shared beyond its author
    # Community (circles.actions)
    JOINED = "joined", _("joined a circle")  # placed in a published circle: object = the circle
    # Growth (growth.actions): the object is the person's own item, by its opaque id; never text
    # and never a score (a mood check-in records that it happened, not how the person felt)
    COMMITTED = "committed", _("set a goal")  # object = the goal
    ACHIEVED = "achieved", _("achieved a goal")  # object = the goal
    PRACTISED = "practised", _("checked in on a routine")  # object = the routine; completion
    CHECKED_IN = "checked_in", _("checked in")  # an emotion and energy check-in; object = it
    # Coaching sessions (coaching.actions): object = the session (its public id)
    SCHEDULED = "scheduled", _("booked a session")
    RESCHEDULED = "rescheduled", _("moved a session")
    CANCELLED = "cancelled", _("cancelled a session")
    # Caseload and matching (coaching.actions): a session marked missed (object = the session);
    # a coach assigned to a learner's seat (object = the learner, registration = the seat);
    # a change of coach asked for (object = the cohort; never shown to the coach)
    MISSED = "missed", _("marked a session missed")
    ASSIGNED = "assigned", _("assigned a coach")
    REQUESTED = "requested", _("asked for a change of coach")
    # Assessments (assessments.actions): never who was rated, never a score or a comment
    # ASKED is shared with experts: the object tells them apart (a cohort: peers asked for their
    # view; a question: one asked of an expert)
    ASKED = "asked", _("asked")  # object = the learner's own cohort, or the question
    RESPONDED = "responded", _("answered an assessment")  # object = the round
    # Design review (design_review.actions): object = the activity, or the programme signed off
    REVISED = "revised", _("accepted a review's rewrite")
    DISMISSED = "dismissed", _("dismissed a review finding")
    APPROVED = "approved", _("signed off a programme's review")
    # Experts (experts.actions): object = the question (its public id); ASKED as above
    UPVOTED = "upvoted", _("upvoted a question")
    ANSWERED = "answered", _("answered a question")
    # Nudges (coaching.tasks.send_due_nudges): object = the learner nudged (a person)
    NUDGED = "nudged", _("nudged a learner")
    # Feedback between rounds (assessments.actions): ASKED (object = the learner's own feedback
    # request) and SHARED (the request shared with their coach) as above; the person asked
    # answers or declines their own part (object = that answer row, never the request, so the
    # record cannot tie a writer to the learner they wrote about) — never a word of either
    GAVE_FEEDBACK = "gave_feedback", _("gave feedback")
    DECLINED = "declined", _("declined to give feedback")


class ObjectType(models.TextChoices):
    """What an event is about; `object_id` (and a context reference's id) is that object's
    `public_id`. Each member maps to an xAPI object shape in `events.xapi.OBJECT_TYPES`."""

    ACTIVITY = "activity", _("activity")  # programs.Activity
    PROGRAM = "program", _("programme")  # programs.Program
    COHORT = "cohort", _("cohort")  # cohorts.Cohort
    PERSON = "person", _("person")  # accounts.User, as an opaque account
    CIRCLE = "circle", _("circle")  # circles.Circle
    GOAL = "goal", _("goal")  # growth.Goal
    ROUTINE = "routine", _("routine")  # growth.Routine
    CONVERSATION = "conversation", _("conversation plan")  # growth.ConversationPlan
    CHECK_IN = "check_in", _("check-in")  # growth.MoodCheckIn
    COACHING_SESSION = "coaching_session", _("coaching session")  # coaching.Booking
    COACHING_CONVERSATION = "coaching_conversation", _("coaching conversation")  # a Conversation
    ACTION_ITEM = "action_item", _("action plan item")  # coaching.ActionItem
    ASSESSMENT_ROUND = "assessment_round", _("assessment round")  # assessments.AssessmentRound
    QUESTION = "question", _("question")  # experts.Question
    FEEDBACK_REQUEST = "feedback_request", _("feedback request")  # assessments.FeedbackRequest
    FEEDBACK_ANSWER = "feedback_answer", _("feedback answer")  # assessments.FeedbackAnswer


class ResultKey(models.TextChoices):
    """The only keys an event's `result` may hold, each with one value type
    (`events.actions.RESULT_TYPES`): numbers and flags, never text."""

    COMPLETION = "completion", _("completion")  # bool: the activity is done
    POSITION = "position", _("position")  # float seconds into a video or podcast
    LENGTH = "length", _("length")  # float seconds: the whole video or podcast, as played
    # Counts of people, for `imported` (cohorts.imports.ImportReport's buckets)
    CREATED = "created", _("people created")
    ENROLLED = "enrolled", _("people enrolled")
    UPDATED = "updated", _("people updated")
    UNCHANGED = "unchanged", _("people unchanged")
    ERRORS = "errors", _("rows refused")


class Event(models.Model):
    """One meaningful action: actor, verb, object, context, result — an xAPI statement in waiting.

    Context follows xAPI's: `registration` is the enrolment (its public id) the action happened
    in, `cohort` the cohort, and two typed references name the object's `parent` (the activity a
    discussion post answers, the circle a meeting belongs to) and a wider `grouping` (a coaching
    relationship, a circle). Events never carry personal free text: verbs, object types and
    result keys are closed vocabularies and `result` holds numbers and flags only (enforced in
    events.actions.record_event), so the event log can be exported and forwarded safely.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # No single-column indexes on actor and cohort: the composite indexes below lead with them,
    # and every index is paid for on each of the many event writes.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    verb = models.CharField(max_length=16, choices=Verb.choices)
    object_type = models.CharField(max_length=32, choices=ObjectType.choices)
    object_id = models.UUIDField()
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    registration = models.UUIDField(
        null=True, blank=True, help_text=_("The enrolment's public id (xAPI registration).")
    )
    # db_default: rows inserted in bulk without these columns (the demo seed) stay valid.
    parent_type = models.CharField(
        max_length=32, choices=ObjectType.choices, blank=True, db_default=""
    )
    parent_id = models.UUIDField(null=True, blank=True)
    grouping_type = models.CharField(
        max_length=32, choices=ObjectType.choices, blank=True, db_default=""
    )
    grouping_id = models.UUIDField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp"]
        indexes = [
            models.Index(fields=["cohort", "verb", "timestamp"]),
            models.Index(fields=["actor", "timestamp"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"


class PendingStatementQuerySet(models.QuerySet["PendingStatement"]):
    def visible_to(self, user: "User | Any") -> "PendingStatementQuerySet":
        """The outbox is machinery of the platform: superusers only, like the event log."""
        if policy.is_platform_superuser(user):
            return self
        return self.none()


class PendingStatement(models.Model):
    """The xAPI outbox: one row per event still to reach the Learning Record Store.

    Written in the transaction that records the event (`events.actions`, only while an LRS is
    configured, or by `manage.py forward_xapi --backfill`), so it survives restarts; claimed a
    batch at a time by a conditional UPDATE (`events.forwarding`), deleted once the LRS has
    accepted the statement, or moved to `DeadStatement` when the LRS refuses it for good.
    `next_attempt_at` holds the exponential backoff after a failed attempt.
    """

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)

    objects = PendingStatementQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], name="events_pending_due")]
        verbose_name = _("waiting xAPI statement")

    def __str__(self) -> str:
        return f"pending statement of event {self.event_id}"


class DeadReason(models.TextChoices):
    """Why the LRS refused a statement for good (a closed vocabulary: the LRS's answer itself
    is never stored, as it may echo the statement)."""

    INVALID = "invalid", _("refused as invalid (400)")
    CONFLICT = "conflict", _("another statement has this id (409)")
    TOO_LARGE = "too_large", _("too large (413)")
    UNPROCESSABLE = "unprocessable", _("not processable (422)")
    REFUSED = "refused", _("refused (another 4xx)")


class DeadStatementQuerySet(models.QuerySet["DeadStatement"]):
    def visible_to(self, user: "User | Any") -> "DeadStatementQuerySet":
        """Dead letters are read by platform superusers only (the studio's PLATFORM pages)."""
        if policy.is_platform_superuser(user):
            return self
        return self.none()


class DeadStatement(models.Model):
    """A statement the LRS refused on its own (a 4xx for a batch of one): kept out of the
    outbox so it never blocks the others, with the HTTP status and a reason from a closed
    vocabulary — no personal data, no text of the LRS's answer. A superuser sees them in the
    studio and can send them again (`events.forwarding.requeue_dead`)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    status = models.PositiveSmallIntegerField(help_text=_("The LRS's HTTP status."))
    reason = models.CharField(max_length=16, choices=DeadReason.choices)
    attempts = models.PositiveIntegerField(default=1)
    failed_at = models.DateTimeField(default=timezone.now)

    objects = DeadStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at"]
        verbose_name = _("dead xAPI statement")

    def __str__(self) -> str:
        return f"dead statement of event {self.event_id} ({self.status})"
