"""The programme studio's content pages: programmes, their weeks, and the activities in them.

Designers and admins of an organisation build journeys here; everything is scoped to their own
organisation by rapport.studio.
"""

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Activity, Program, Week
from programs.validators import MAX_CAPTIONS_BYTES, CaptionsError, convert_srt_to_webvtt
from rapport.studio import (
    ProtectedFileInput,
    StudioModelAdmin,
    StudioModelForm,
    StudioTabularInline,
    studio_site,
)

COMPACT_TEXT: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
}


class WeekChoiceField(forms.ModelChoiceField[Any]):
    """Every programme has a "Week 1", so the programme's title comes first."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.program.title} · {obj}"


class WeekInline(StudioTabularInline[Week, Program]):
    model = Week
    fields = ("number", "title", "summary")
    formfield_overrides = COMPACT_TEXT
    organization_is_derived = True
    show_change_link = True
    extra = 1


@admin.register(Program, site=studio_site)
class ProgramAdmin(StudioModelAdmin[Program]):
    # A link to the programme's design review beside History (design_review).
    change_form_template = "admin/programs/program/change_form.html"
    list_display = ("title", "week_count", "activity_count", "created_at")
    search_fields = ("title",)
    inlines = (WeekInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Program]:
        # Counted in the list's one query rather than one query per row. Each activity belongs
        # to one week, so the join yields one row per activity and only weeks need `distinct`.
        return (
            super()
            .get_queryset(request)
            .annotate(
                week_total=Count("weeks", distinct=True),
                activity_total=Count("weeks__activities"),
            )
        )

    @admin.display(description=_("weeks"), ordering="week_total")
    def week_count(self, obj: Any) -> int:
        return int(obj.week_total)

    @admin.display(description=_("activities"), ordering="activity_total")
    def activity_count(self, obj: Any) -> int:
        return int(obj.activity_total)


class ActivityInline(StudioTabularInline[Activity, Week]):
    """The week's running order at a glance; media, links and times are in the full form."""

    model = Activity
    fields = ("position", "kind", "title", "estimated_minutes")
    ordering = ("position", "id")
    organization_is_derived = True
    show_change_link = True
    extra = 1


@admin.register(Week, site=studio_site)
class WeekAdmin(StudioModelAdmin[Week]):
    fields = ("program", "number", "title", "summary")
    list_display = ("__str__", "program", "activity_count")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("program",)
    search_fields = ("title", "program__title")
    ordering = ("program__title", "number")
    organization_is_derived = True
    inlines = (ActivityInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Week]:
        return super().get_queryset(request).annotate(activity_total=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_total")
    def activity_count(self, obj: Any) -> int:
        return int(obj.activity_total)


class ActivityForm(StudioModelForm):
    """The activity form, with the offer to convert SubRip captions to WebVTT.

    Captions browsers cannot play are refused by the model's validator (programs.validators).
    When the upload (or the file already stored) is SRT, or WebVTT with SRT commas, ticking
    "Convert from SRT" converts it with webvtt-py and stores the WebVTT result instead.
    """

    convert_from_srt = forms.BooleanField(
        label=_("Convert from SRT"),
        required=False,
        help_text=_(
            "Tick this if the captions are a SubRip (.srt) file, or WebVTT with commas in its "
            "timings: they are converted to WebVTT, which browsers play."
        ),
    )

    class Meta:
        model = Activity
        fields = ["captions"]  # the admin adds the other fields of its fieldsets

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("convert_from_srt"):
            return cleaned
        upload = cleaned.get("captions")
        source = upload if upload else (self.instance.captions or None)
        if not source:
            self.add_error("convert_from_srt", _("Choose a captions file to convert."))
            return cleaned
        if upload:
            upload.seek(0)
            data = upload.read(MAX_CAPTIONS_BYTES + 1)
        else:
            with source.open("rb") as stored:
                data = stored.read(MAX_CAPTIONS_BYTES + 1)
        if len(data) > MAX_CAPTIONS_BYTES:
            self.add_error("captions", _("A captions file may be at most 2 MB."))
            return cleaned
        try:
            converted = convert_srt_to_webvtt(data)
        except CaptionsError as exc:
            self.add_error("captions", exc)
            return cleaned
        name = PurePath(source.name or "captions").stem + ".vtt"
        cleaned["captions"] = SimpleUploadedFile(name, converted, content_type="text/vtt")
        return cleaned


@admin.register(Activity, site=studio_site)
class ActivityAdmin(StudioModelAdmin[Activity]):
    form = ActivityForm
    # Adds the design review's panel under a saved activity's form (design_review, loaded by
    # static/design_review/panel.js from its own page; programs imports nothing of it).
    change_form_template = "admin/programs/activity/change_form.html"
    fieldsets = (
        (
            _("Basics"),
            {
                "fields": (
                    "week",
                    "position",
                    "kind",
                    "title",
                    "summary",
                    "estimated_minutes",
                    "competencies",
                )
            },
        ),
        (_("Content"), {"fields": ("body",)}),
        (
            _("Discussion"),
            {
                "fields": ("respond_before_reveal", "allow_pseudonyms"),
                "description": _("Discussion prompts only: how each cohort's thread works."),
            },
        ),
        (
            _("Media"),
            {
                "fields": ("media", "captions", "convert_from_srt", "transcript"),
                "description": _(
                    "Videos and podcasts only. Add captions or a transcript so that everyone "
                    "can follow."
                ),
            },
        ),
        (
            _("Links and times"),
            {
                "fields": (
                    "external_url",
                    "session_day",
                    "session_time",
                    "session_time_zone",
                    "duration_minutes",
                ),
                "description": _(
                    "E-learning modules and live sessions. A live session's day and time are "
                    "within each cohort's week, read in the time zone chosen here (your own "
                    "unless you choose another); each cohort gets its own session at that time, "
                    "which can be moved on the cohort's page."
                ),
            },
        ),
    )
    # A list of checkboxes rather than the admin's two-box filter, whose search boxes carry ARIA
    # labels on elements that may not have them (and an organisation has a few dozen at most).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_display = ("title", "kind", "program_title", "week_label", "position")
    list_filter = ("kind", ("week__program", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("week__program",)
    search_fields = ("title", "summary", "week__program__title")
    ordering = ("week__program__title", "week__number", "position", "id")
    organization_is_derived = True

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new activity's live-session time is read in the designer's own zone (the studio
        runs each page in it) until she chooses another: typing 10:00 means 10:00 where she is."""
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        initial.setdefault("session_time_zone", timezone.get_current_timezone_name())
        return initial

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "week":
            kwargs["queryset"] = (
                Week.objects.visible_to(request.user)
                .select_related("program")
                .order_by("program__title", "number")
            )
            kwargs["form_class"] = WeekChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Activity | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            # Show the current files through the access-checked view; media has no public URL.
            for name in ("media", "captions"):
                field = form.base_fields.get(name)
                if field is not None:
                    widget = ProtectedFileInput(
                        url=reverse(f"programs:{name}", args=[obj.public_id])
                    )
                    widget.is_required = field.required
                    field.widget = widget
        return form

    @admin.display(description=_("programme"), ordering="week__program__title")
    def program_title(self, obj: Activity) -> str:
        return obj.week.program.title

    @admin.display(description=_("week"), ordering="week__number")
    def week_label(self, obj: Activity) -> str:
        return str(obj.week)
