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
    # Experts (experts.actions): object = the question (its public id)
    ASKED = "asked", _("asked a question")
    UPVOTED = "upvoted", _("upvoted a question")
    ANSWERED = "answered", _("answered a question")


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
    QUESTION = "question", _("question")  # experts.Question


class ResultKey(models.TextChoices):
    """The only keys an event's `result` may hold, each with one value type
    (`events.actions.RESULT_TYPES`): numbers and flags, never text."""

    COMPLETION = "completion", _("completion")  # bool: the activity is done
    POSITION = "position", _("position")  # float seconds into a video or podcast
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
