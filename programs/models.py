import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Competency, Organization, OrganizationScopedQuerySet
from programs.validators import captions_play, validate_captions_file, validate_media_file
from rapport import policy
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User


class ProgramQuerySet(OrganizationScopedQuerySet["Program"]):
    def visible_to(self, user: "User | Any") -> "ProgramQuerySet":
        """The one rule for programme content (its weeks, activities and media follow it):

        - designers and admins see every programme of their organisation;
        - learners, coaches and experts see the programmes run by a cohort they can see, which
          (cohorts.models.CohortQuerySet.visible_to) is a cohort of their organisation they are
          enrolled in;
        - platform superusers see all; anyone else nothing.

        The cohort rule is reached through the `cohorts` reverse relation, so this app never
        imports the cohorts app that depends on it.
        """
        mine: ProgramQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.is_org_staff(user):
            return mine
        cohort_model: Any = self.model._meta.get_field("cohorts").related_model
        running = cohort_model._default_manager.visible_to(user).values("program_id")
        return mine.filter(pk__in=running)


class Program(models.Model):
    """A multi-week learning journey, designed once and run by any number of cohorts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="programs"
    )
    title = SingleLineCharField(max_length=200)
    summary = models.TextField(blank=True, help_text=_("Why this journey matters, in a few lines."))
    # Replaced by database triggers whenever a week, activity or competency of the programme
    # changes, so a cached outline is never served stale (programs/outline.py).
    outline_token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class WeekQuerySet(OrganizationScopedQuerySet["Week"]):
    def visible_to(self, user: "User | Any") -> "WeekQuerySet":
        """A week is visible exactly when its programme is (ProgramQuerySet.visible_to)."""
        return self.filter(program__in=Program.objects.visible_to(user))


class Week(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="weeks", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    title = SingleLineCharField(max_length=200)
    summary = models.TextField(blank=True)

    objects = WeekQuerySet.as_manager()

    class Meta:
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_week_number")
        ]

    def __str__(self) -> str:
        return f"Week {self.number}: {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.organization_id = self.program.organization_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ActivityKind(models.TextChoices):
    """What an activity is. Each kind renders through templates/cohorts/kinds/<value>.html."""

    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Podcast")
    ARTICLE = "article", _("Article")
    ELEARNING = "elearning", _("E-learning")
    DISCUSSION = "discussion", _("Discussion prompt")
    MISSION = "mission", _("Offline mission")
    LIVE_SESSION = "live_session", _("Live session")


MEDIA_KINDS = (ActivityKind.VIDEO, ActivityKind.AUDIO)


def _media_path(activity: "Activity", filename: str) -> str:
    return f"org-{activity.organization_id}/activities/{activity.public_id}/{filename}"


class ActivityQuerySet(OrganizationScopedQuerySet["Activity"]):
    def visible_to(self, user: "User | Any") -> "ActivityQuerySet":
        """An activity (and its media) is visible exactly when its programme is
        (ProgramQuerySet.visible_to). The journey pages apply the same rule to a programme
        already known to be visible: see cohorts.access.get_activity_in_seat."""
        return self.filter(week__program__in=Program.objects.visible_to(user))


class Activity(models.Model):
    """One thing to do in a week: watch, listen, read, practise, discuss or join."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    title = SingleLineCharField(max_length=200)
    summary = SingleLineCharField(
        max_length=300, blank=True, help_text=_("One line shown on the week's list.")
    )
    body = models.TextField(
        blank=True,
        help_text=_(
            "Markdown. The article itself, or the instructions for a prompt, mission or session."
        ),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    media = models.FileField(
        upload_to=_media_path,
        blank=True,
        validators=[validate_media_file],
        help_text=_("Video (WebM, MP4) or audio (MP3, M4A, Ogg, Opus, WAV, WebM)."),
    )
    captions = models.FileField(
        upload_to=_media_path,
        blank=True,
        validators=[validate_captions_file],
        help_text=_("WebVTT captions for the video or podcast."),
    )
    # Whether the captions parse as WebVTT, checked when the activity is saved (reading the file
    # on every page would cost a storage round trip). Only then does the player offer them.
    captions_play = models.BooleanField(default=False, editable=False)
    transcript = models.TextField(blank=True, help_text=_("Full text of the video or podcast."))
    external_url = models.URLField(
        blank=True,
        max_length=500,
        help_text=_("The e-learning module, or the video link of a live session."),
    )
    starts_at = models.DateTimeField(null=True, blank=True, help_text=_("Live sessions only."))
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="activities")

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("activities")
        ordering = ["week__number", "position", "id"]
        indexes = [models.Index(fields=["week", "position"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.organization_id = self.week.organization_id
        self.captions_play = bool(self.captions) and captions_play(self.captions)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "captions" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "captions_play"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def has_captions(self) -> bool:
        """Captions a browser will show: a file that parsed as WebVTT when it was saved."""
        return bool(self.captions) and self.captions_play

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind in MEDIA_KINDS and not self.media:
            errors["media"] = _("A video or podcast needs its media file.")
        if self.kind in MEDIA_KINDS and not (self.transcript.strip() or self.captions):
            errors["transcript"] = _(
                "Add a transcript or captions, so that everyone can follow it."
            )
        if self.kind == ActivityKind.ELEARNING and not self.external_url:
            errors["external_url"] = _("An e-learning activity needs the link to the module.")
        if self.kind == ActivityKind.LIVE_SESSION and not self.starts_at:
            errors["starts_at"] = _("A live session needs a start time.")
        if self.kind not in MEDIA_KINDS and self.media:
            errors["media"] = _("Only videos and podcasts carry a media file.")
        if errors:
            raise ValidationError(errors)

    @property
    def kind_label(self) -> str:
        """The kind's translated name. Cheaper than get_kind_display(), which hashes every
        choice on each call: it appears several times on every journey page."""
        return str(ActivityKind(self.kind).label)

    @property
    def is_media(self) -> bool:
        return self.kind in MEDIA_KINDS

    @property
    def ends_at(self) -> "datetime | None":
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes or 60)

    @property
    def media_mime_type(self) -> str:
        from programs.validators import guess_media_type

        return guess_media_type(self.media.name or "") if self.media else ""
