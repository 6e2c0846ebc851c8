import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Competency, Organization, OrganizationScopedQuerySet
from programs.validators import captions_play, validate_captions_file, validate_media_file
from rapport import policy
from rapport.lib.text import SingleLineCharField
from rapport.lib.timezones import get_zone, time_zone_choices

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


def session_start(
    day: int | None, local_time: time | None, zone: str, week_starts_on: date
) -> datetime | None:
    """A live session's default start: day `day` (1 to 7) of a cohort's week that starts on
    `week_starts_on`, at `local_time` in the IANA zone `zone`, as an aware datetime (so 10:00
    in London is 09:00 UTC in summer). None when the day or time is not set."""
    if day is None or local_time is None:
        return None
    when = week_starts_on + timedelta(days=day - 1)
    return datetime.combine(when, local_time, tzinfo=get_zone(zone))


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
    # A live session's time belongs to each cohort (cohorts.CohortSession). The programme says
    # when it usually happens within the cohort's week: a day of that week (1 is the cohort's
    # start weekday) and a local time in a zone. Each cohort's session starts from this default
    # and can be moved in the studio; an absolute date would be wrong for every later cohort.
    session_day = models.PositiveSmallIntegerField(
        _("day of the week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text=_("Live sessions: which day of each cohort's week, 1 to 7 (1 is its first day)."),
    )
    session_time = models.TimeField(
        _("local start time"),
        null=True,
        blank=True,
        help_text=_("Live sessions: for example 14:00."),
    )
    session_time_zone = models.CharField(
        _("time zone of the start time"),
        max_length=64,
        default="UTC",
        choices=time_zone_choices,
        help_text=_("Live sessions: the zone the start time is in."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="activities")
    # Discussion prompts only (the discussions app reads them; its rule enforces the first).
    respond_before_reveal = models.BooleanField(
        _("respond before seeing others"),
        default=False,
        help_text=_(
            "Discussion prompts: each learner sees their peers' answers only after posting "
            "their own."
        ),
    )
    allow_pseudonyms = models.BooleanField(
        _("allow pseudonyms"),
        default=False,
        help_text=_(
            "Discussion prompts: learners may post under a name of their choosing; only the "
            "cohort's moderators see who wrote it."
        ),
    )

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
        if self.kind == ActivityKind.LIVE_SESSION:
            if self.session_day is None:
                errors["session_day"] = _("A live session needs the day of the week it is on.")
            if self.session_time is None:
                errors["session_time"] = _("A live session needs a start time.")
        if self.kind != ActivityKind.DISCUSSION and (
            self.respond_before_reveal or self.allow_pseudonyms
        ):
            errors["respond_before_reveal"] = _(
                "Only discussion prompts have these discussion settings."
            )
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

    def default_session_start(self, week_starts_on: date) -> "datetime | None":
        """When this live session starts by default for a cohort whose week (this activity's
        week) starts on `week_starts_on` (see session_start)."""
        return session_start(
            self.session_day, self.session_time, self.session_time_zone, week_starts_on
        )

    @property
    def session_minutes(self) -> int:
        return self.duration_minutes or 60

    @property
    def media_mime_type(self) -> str:
        from programs.validators import guess_media_type

        return guess_media_type(self.media.name or "") if self.media else ""
