import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationScopedQuerySet


class Verb(models.TextChoices):
    """What a learner did. Each maps to an xAPI verb IRI in events.xapi."""

    VIEWED = "viewed", _("viewed")
    PLAYED = "played", _("played")
    PAUSED = "paused", _("paused")
    PROGRESSED = "progressed", _("progressed")
    COMPLETED = "completed", _("completed")
    LAUNCHED = "launched", _("launched")
    DOWNLOADED = "downloaded", _("downloaded")


class Event(models.Model):
    """One meaningful action: actor, verb, object, context, result — an xAPI statement in waiting.

    Events never carry personal free text: `result` holds numbers and flags only (enforced in
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
    object_type = models.CharField(max_length=32)
    object_id = models.UUIDField()
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    result = models.JSONField(default=dict, blank=True)
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)

    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp"]
        indexes = [
            models.Index(fields=["cohort", "verb", "timestamp"]),
            models.Index(fields=["actor", "timestamp"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"
