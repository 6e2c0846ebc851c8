"""The programme studio: a Django `AdminSite` of its own, mounted at /studio/.

Every studio page is a `StudioModelAdmin` (or `StudioInline`), which

- shows only the rows the person may see, by each model's own rule, `visible_to(user)`
  (`get_queryset`), so another organisation's object opened by URL is "not found" exactly like a
  missing one, and nothing else can reveal it;
- offers only rows by that same rule as choices in every ForeignKey and ManyToMany field, so a
  tampered POST cannot attach a week, competency or person from elsewhere;
- never shows the `organization` field to anyone but superusers, and sets it on save;
- asks `rapport.policy` — not Django's per-model permissions — who may see and change what.

Who enters the studio at all is the policy's `can_use_studio` (designers, admins, superusers), so
nobody has to keep `User.is_staff` in step with membership roles. Every studio page runs in the
signed-in person's own time zone (`User.time_zone`): the times they type are read in it and the
times shown are in it, each labelled with the zone (`ZonedSplitDateTime`).
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import update_wrapper
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin
from django.contrib.admin.widgets import (
    AdminDateWidget,
    AdminFileWidget,
    AdminSplitDateTime,
    AdminTimeWidget,
)
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields.related import RelatedField
from django.forms.renderers import BaseRenderer
from django.http import HttpRequest, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from rapport import policy
from rapport.lib.timezones import get_zone

if TYPE_CHECKING:
    from accounts.models import User


class Audience(enum.Enum):
    """Who may manage a studio page's rows (superusers always may)."""

    STUDIO = "studio"  # designers and admins: programmes, weeks, activities, competencies, cohorts
    PEOPLE = "people"  # admins only: people, memberships, enrollments
    PLATFORM = "platform"  # superusers only: organisations, the event log


def studio_user(request: HttpRequest) -> "User | None":
    """The signed-in, active person making the request, or None."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    return user


def is_superuser(request: HttpRequest) -> bool:
    user = studio_user(request)
    return user is not None and user.is_superuser


def organization_for(request: HttpRequest) -> Organization | None:
    user = studio_user(request)
    membership = policy.membership_of(user) if user is not None else None
    return membership.organization if membership is not None else None


def allows(audience: Audience, request: HttpRequest) -> bool:
    user = studio_user(request)
    if user is None:
        return False
    if user.is_superuser:
        return True
    match audience:
        case Audience.STUDIO:
            return policy.can_use_studio(user)
        case Audience.PEOPLE:
            return policy.can_manage_people(user)
        case Audience.PLATFORM:
            return False


def has_organization_field(model: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field("organization")
    except FieldDoesNotExist:
        return False
    return field.is_relation and field.related_model is Organization


def visible_rows[M: models.Model](queryset: QuerySet[M], request: HttpRequest) -> QuerySet[M]:
    """The rows of `queryset` the requester may see, by the model's own rule: its queryset's
    `visible_to(user)`, the same rule every product page uses, so the studio and the product can
    never disagree. A model without the rule is a configuration error, never shown unscoped."""
    visible_to = getattr(queryset, "visible_to", None)
    if visible_to is None:
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} has no visible_to(user) queryset method: the studio "
            "shows no model without its access rule (see docs/permissions.md)."
        )
    return visible_to(request.user)  # type: ignore[no-any-return]


def take_saved[M: models.Model](target: M, saved: M) -> None:
    """Make `target`, the object an admin page built from its form, the row an action saved
    (`saved`), so that the page's history entry, message and redirect name the real row."""
    state = target._state
    target.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    state.adding = False
    state.db = saved._state.db
    target._state = state


# -- forms ---------------------------------------------------------------------------------------


class StudioModelForm(forms.ModelForm[Any]):
    """The base form of every studio page.

    Model.clean() may name a field that a compact form (a tabular inline) does not show — an
    activity's media, say. Django would raise ValueError (a 500); we show the message on the row
    instead, prefixed with the field's name, so the designer knows what to add in the full form.
    """

    # Set by the admin's get_form for the requester's organisation: new rows belong to it.
    studio_organization: ClassVar[Organization | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if (
            self.studio_organization is not None
            and self.instance._state.adding
            and "organization" not in self.fields
            and has_organization_field(type(self.instance))
        ):
            self.instance.organization = self.studio_organization

    def _get_validation_exclusions(self) -> set[str]:
        # Django skips every uniqueness rule that involves a field the form does not show. Ours
        # are mostly "unique within the organisation", so skipping them would turn a duplicate
        # competency into an IntegrityError (a 500) instead of a message on the form.
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        if getattr(self.instance, "organization_id", None) is not None:
            exclude.discard("organization")
        return exclude

    def add_error(self, field: str | None, error: Any) -> None:
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(self._fold_unknown_fields(error.error_dict))
        super().add_error(field, error)

    def _fold_unknown_fields(
        self, error_dict: dict[str, list[ValidationError]]
    ) -> dict[str, list[ValidationError]]:
        folded: dict[str, list[ValidationError]] = {}
        for name, errors in error_dict.items():
            if name == NON_FIELD_ERRORS or name in self.fields:
                folded.setdefault(name, []).extend(errors)
                continue
            label = self._label_of(name)
            folded.setdefault(NON_FIELD_ERRORS, []).extend(
                ValidationError("%(label)s: %(message)s", params={"label": label, "message": m})
                for m in ValidationError(errors).messages
            )
        return folded

    def _label_of(self, name: str) -> str:
        try:
            return str(self._meta.model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            return name


class StudioAuthenticationForm(AdminAuthenticationForm):
    """The studio's sign-in form: the policy decides who may enter, not `is_staff`."""

    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)  # active accounts only
        if not policy.can_use_studio(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class _LinkedFile:
    """What ClearableFileInput shows as "Currently": the file's own name, linked to a URL."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url

    def __str__(self) -> str:
        return self.name


class StudioFileInput(AdminFileWidget):
    """The admin's file input, labelled by the field's own label.

    Django groups a file input with its "Clear" box in a fieldset whose legend is the label, and
    a legend names no input: the file input would have no accessible name (WCAG 4.1.2).
    """

    use_fieldset = False


class ProtectedFileInput(StudioFileInput):
    """A file input whose "Currently" link goes through an access-checked view.

    Media is never served from a public URL (settings.MEDIA_URL is deliberately a dead end), and
    the storage path names the organisation and the activity's id, which nobody needs to see.
    """

    def __init__(self, *, url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.file_url = url

    def format_value(self, value: Any) -> Any:
        if self.is_initial(value):
            return _LinkedFile(PurePath(value.name).name, self.file_url)
        return super().format_value(value)


# -- the shared behaviour of pages and inlines ---------------------------------------------------


class _StudioRules[M: models.Model](BaseModelAdmin[M]):
    audience: ClassVar[Audience] = Audience.STUDIO
    # True where the model's save() copies the organisation from its parent (Week, Activity,
    # Cohort, Enrollment): the field is then never shown, not even to superusers.
    organization_is_derived: ClassVar[bool] = False
    # The event log and similar records are never edited by hand.
    read_only: ClassVar[bool] = False

    form: type[forms.ModelForm[Any]] = StudioModelForm

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if isinstance(db_field, models.DateTimeField):
            # Read and shown in the person's own zone, and labelled with it.
            kwargs.setdefault("widget", ZonedSplitDateTime)
        elif isinstance(db_field, models.DateField):
            kwargs.setdefault("widget", StudioDateInput)
        elif isinstance(db_field, models.TimeField):
            kwargs.setdefault("widget", StudioTimeInput)
        elif isinstance(db_field, models.FileField):
            kwargs.setdefault("widget", StudioFileInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        return visible_rows(super().get_queryset(request), request)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        kwargs["queryset"] = self._choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        kwargs["queryset"] = self._choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _choices(
        self, db_field: RelatedField[Any, Any], request: HttpRequest, queryset: QuerySet[Any] | None
    ) -> QuerySet[Any]:
        if queryset is None:
            # Same ordering Django would use: the related page's own.
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        return visible_rows(queryset, request)

    def hides_organization(self, request: HttpRequest) -> bool:
        if not has_organization_field(self.model):
            return False
        return self.organization_is_derived or not is_superuser(request)

    def new_rows_organization(self, request: HttpRequest) -> Organization | None:
        """The organisation a new row of this page joins before it is validated, or None where
        the form shows the field (superusers) or the model's save() derives it."""
        if self.organization_is_derived or not self.hides_organization(request):
            return None
        return organization_for(request)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or ())
        if self.hides_organization(request):
            exclude.append("organization")
        return exclude

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if self.hides_organization(request):
            return [f for f in fields if f != "organization"]
        # A superuser works across organisations, so must say which one a new row belongs to
        # (unless the model sets it itself: a person's is their membership's).
        if (
            has_organization_field(self.model)
            and self.model._meta.get_field("organization").editable
            and "organization" not in fields
        ):
            fields.insert(0, "organization")
        return fields

    def set_organization(self, request: HttpRequest, obj: models.Model) -> None:
        """New rows join the requester's organisation, whatever the POST says."""
        if not has_organization_field(type(obj)) or self.organization_is_derived:
            return
        if is_superuser(request) and obj.organization_id is not None:  # type: ignore[attr-defined]
            return  # the superuser chose one in the form
        organization = organization_for(request)
        if organization is not None:
            obj.organization = organization  # type: ignore[attr-defined]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allows(self.audience, request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and allows(self.audience, request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and allows(self.audience, request)


class StudioModelAdmin[M: models.Model](_StudioRules[M], admin.ModelAdmin[M]):
    """A studio page for one model, scoped to the requester's organisation."""

    def get_form(
        self, request: HttpRequest, obj: M | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, StudioModelForm):
            form.studio_organization = self.new_rows_organization(request)
        return form

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allows(self.audience, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.read_only and allows(self.audience, request)

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        if not change:
            self.set_organization(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances: Iterable[models.Model] = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            if instance.pk is None:
                self.set_organization(request, instance)
            instance.save()
        formset.save_m2m()


class StudioInline[C: models.Model, P: models.Model](_StudioRules[C], InlineModelAdmin[C, P]):
    """An inline on a studio page. `obj` in its permission checks is the parent row."""

    def get_formset(self, request: HttpRequest, obj: P | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset.form, StudioModelForm):
            formset.form.studio_organization = self.new_rows_organization(request)
        return formset

    def has_add_permission(self, request: HttpRequest, obj: P | None = None) -> bool:
        return not self.read_only and allows(self.audience, request)


class StudioTabularInline[C: models.Model, P: models.Model](StudioInline[C, P]):
    template = "admin/edit_inline/tabular.html"


class StudioStackedInline[C: models.Model, P: models.Model](StudioInline[C, P]):
    template = "admin/edit_inline/stacked.html"


# -- time zones ----------------------------------------------------------------------------------


def offset_label(offset: timedelta | None) -> str:
    """`UTC+01:00` or `UTC+05:45`; negative offsets take the true minus sign (U+2212), which
    screen readers read as "minus"."""
    minutes = int((offset or timedelta()).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "\N{MINUS SIGN}"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def next_offset_change(zone: tzinfo, today: date, *, days: int = 366) -> date | None:
    """The first day after `today`, within `days`, whose midday offset from UTC differs from
    today's (the day the clocks change), or None where the zone keeps one offset all year."""
    noon = time(12)
    current = zone.utcoffset(datetime.combine(today, noon))
    for n in range(1, days + 1):
        day = today + timedelta(days=n)
        if zone.utcoffset(datetime.combine(day, noon)) != current:
            return day
    return None


@dataclass(frozen=True)
class ZoneNote:
    """What a date-time field says about its zone: the zone's name, and its offset from UTC on
    the date entered (`offset`), or, with no date yet, today and from the next change (`undated`).
    `dated_pattern` (with `%(offset)s` and `%(date)s`) lets the browser say the same for a date
    typed after the page loaded (static/studio/zoned-datetime.js)."""

    zone: str
    offset: str
    undated: str
    dated_pattern: str


def _entered_wall_time(value: Any) -> datetime | None:
    """The naive local date-time a SplitDateTime widget shows: from a stored (aware) value, or
    from what was typed (a [date, time] pair of strings, parsed with the input formats). A date
    without a valid time counts as midday; no valid date gives None."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if not isinstance(value, (list, tuple)) or not value:
        return None
    try:
        day = forms.DateField().clean(value[0])
    except ValidationError:
        return None
    if day is None:
        return None
    try:
        clock = forms.TimeField(required=False).clean(value[1] if len(value) > 1 else "")
    except ValidationError:
        clock = None
    return datetime.combine(day, clock or time(12))


def zone_note(zone: tzinfo, entered: datetime | None, today: date) -> ZoneNote:
    """The note for a date-time field in `zone`, for the wall time `entered` (naive, or None).

    The offset is the one that applies on the date entered, not today's: London is UTC+00:00 in
    November and UTC+01:00 on 1 April, and a designer typing an April session in November must see
    the April one.
    """
    dated_pattern = str(_("%(offset)s on %(date)s"))
    today_offset = offset_label(zone.utcoffset(datetime.combine(today, time(12))))
    change = next_offset_change(zone, today)
    if change is None:
        undated = today_offset
    else:
        undated = str(_("%(today)s today, %(then)s from %(date)s")) % {
            "today": today_offset,
            "then": offset_label(zone.utcoffset(datetime.combine(change, time(12)))),
            "date": date_format(change, "j F Y"),
        }
    offset = undated
    if entered is not None:
        offset = dated_pattern % {
            "offset": offset_label(zone.utcoffset(entered)),
            "date": date_format(entered.date(), "j F Y"),
        }
    return ZoneNote(zone=str(zone), offset=offset, undated=undated, dated_pattern=dated_pattern)


class ZonedSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, followed by a note naming the zone the time is read in
    (the person's own, activated for every studio page by `StudioSite.admin_view`) and its offset
    from UTC on the date entered, kept up to date as the date is typed by a small static script.

    The note carries the id Django's inputs already point at with `aria-describedby`, and the
    class of Django's own time-zone warning, which therefore never appears: that warning compares
    the browser's offset with the server's *today*, which is wrong for any other date.
    """

    class Media:
        js = ("studio/zoned-datetime.js",)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        described_by = (attrs or {}).get("aria-describedby")  # the field's help text, if any
        if described_by:
            for widget in context["widget"]["subwidgets"]:
                widget["attrs"]["aria-describedby"] += f" {described_by}"
        return context

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        inputs = super().render(name, value, attrs, renderer)
        note = zone_note(
            timezone.get_current_timezone(), _entered_wall_time(value), timezone.localdate()
        )
        # Rendered here rather than in a template: widget templates come from the form
        # renderer, which does not look in the project's template directories.
        return format_html(
            '<div class="studio-zoned">{inputs}<div class="help timezonewarning studio-zone"'
            ' id="id_{name}_timezone_warning_helptext" data-studio-zone="{zone}"'
            ' data-undated="{undated}" data-dated-pattern="{pattern}">{intro}'
            ' <span class="studio-zone-offset" aria-live="polite">{offset}</span></div></div>',
            inputs=inputs,
            name=name,
            zone=note.zone,
            undated=note.undated,
            pattern=note.dated_pattern,
            intro=_("Times are in your own time zone, %(zone)s:") % {"zone": note.zone},
            offset=note.offset,
        )


class StudioDateInput(AdminDateWidget):
    """The admin's date input without Django's "You are 5 hours behind" note, which a date alone
    (a cohort's start date) has no zone to be behind in: static/studio/zoned-datetime.js removes
    it once Django's shortcuts have added it."""

    class Media:
        js = ("studio/zoned-datetime.js",)


class StudioTimeInput(AdminTimeWidget):
    """The admin's time input without Django's note for the same reason: a time alone (a live
    session's default, read in the zone chosen beside it) is not in the browser's zone."""

    class Media:
        js = ("studio/zoned-datetime.js",)


def zoned(value: datetime | None) -> str:
    """A stored moment as the studio shows it: in the active (the person's) zone, zone named."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y, H:i')} ({timezone.get_current_timezone_name()})"


def zone_of(request: HttpRequest) -> tzinfo:
    """The zone a studio request runs in: the signed-in person's own (UTC for anonymous ones)."""
    user = studio_user(request)
    return get_zone(user.time_zone if user is not None else "UTC")


# -- the site ------------------------------------------------------------------------------------


class StudioSite(admin.AdminSite):
    """The programme studio: Django's admin, entered by the policy's `can_use_studio` (never by
    `is_staff`), and run in the signed-in person's own time zone."""

    site_header = _("Rapport studio")
    site_title = _("Rapport studio")
    index_title = _("Programmes, cohorts and people")
    login_form = StudioAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        """Django asks `is_active and is_staff`; Rapport asks the policy."""
        user = studio_user(request)
        return user is not None and policy.can_use_studio(user)

    def admin_view[V: Callable[..., HttpResponseBase]](self, view: V, cacheable: bool = False) -> V:
        """Every studio page runs in the person's zone: the forms read typed times in it, and
        the page is rendered inside it too (a TemplateResponse would otherwise render after the
        zone is deactivated, showing UTC)."""
        inner = super().admin_view(view, cacheable)

        def in_own_zone(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            with timezone.override(zone_of(request)):
                response = inner(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                    response.render()
            return response

        return cast(V, update_wrapper(in_own_zone, inner))

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["studio_time_zone"] = timezone.get_current_timezone_name()
        return context


studio_site = StudioSite(name="studio")
