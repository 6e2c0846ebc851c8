"""The programme studio: Django's admin, scoped to the signed-in person's own organisation.

Every studio page is a `OrganizationScopedAdmin` (or `OrganizationScopedInline`), which

- shows only the person's organisation's rows (`get_queryset`), so another organisation's object
  opened by URL is "not found" exactly like a missing one, and nothing else can reveal it;
- offers only that organisation's rows as choices in every ForeignKey and ManyToMany field, so a
  tampered POST cannot attach a week, competency or person from elsewhere;
- never shows the `organization` field to anyone but superusers, and sets it on save;
- asks `rapport.policy` — not Django's per-model permissions — who may see and change what.

Who enters the studio at all is the policy's `can_use_studio` (designers, admins, superusers), so
nobody has to keep `User.is_staff` in step with membership roles.
"""

import enum
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields.related import RelatedField
from django.http import HttpRequest

from organizations.models import Organization
from rapport import policy

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


def for_organization[M: models.Model](
    queryset: QuerySet[M], organization: Organization | None
) -> QuerySet[M]:
    """The rows of `queryset` that belong to `organization`. Models with no known way to reach an
    organisation give nothing: a new model must say how it is scoped before the studio shows it."""
    if organization is None:
        return queryset.none()
    model = queryset.model
    if model is Organization:
        return queryset.filter(pk=organization.pk)
    if issubclass(model, get_user_model()):
        return queryset.filter(membership__organization=organization)
    if has_organization_field(model):
        return queryset.filter(organization=organization)
    return queryset.none()


def scope_for_request[M: models.Model](queryset: QuerySet[M], request: HttpRequest) -> QuerySet[M]:
    if is_superuser(request):
        return queryset
    return for_organization(queryset, organization_for(request))


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


class ProtectedFileInput(forms.ClearableFileInput):
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


class _OrganizationScoping[M: models.Model](BaseModelAdmin[M]):
    audience: ClassVar[Audience] = Audience.STUDIO
    # True where the model's save() copies the organisation from its parent (Week, Activity,
    # Cohort, Enrollment): the field is then never shown, not even to superusers.
    organization_is_derived: ClassVar[bool] = False
    # The event log and similar records are never edited by hand.
    read_only: ClassVar[bool] = False

    form: type[forms.ModelForm[Any]] = StudioModelForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        return scope_for_request(super().get_queryset(request), request)

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
        return scope_for_request(queryset, request)

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
        # A superuser works across organisations, so must say which one a new row belongs to.
        if has_organization_field(self.model) and "organization" not in fields:
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

    def in_scope(self, request: HttpRequest, obj: models.Model | None) -> bool:
        """Belt and braces for object checks: rows are loaded through get_queryset anyway."""
        if obj is None or is_superuser(request) or not has_organization_field(type(obj)):
            return True
        organization = organization_for(request)
        return organization is not None and obj.organization_id == organization.pk  # type: ignore[attr-defined]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allows(self.audience, request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and allows(self.audience, request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and allows(self.audience, request)


class OrganizationScopedAdmin[M: models.Model](_OrganizationScoping[M], admin.ModelAdmin[M]):
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

    def has_view_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

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


class OrganizationScopedInline[C: models.Model, P: models.Model](
    _OrganizationScoping[C], InlineModelAdmin[C, P]
):
    """An inline on a studio page. `obj` in its permission checks is the parent row."""

    def get_formset(self, request: HttpRequest, obj: P | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset.form, StudioModelForm):
            formset.form.studio_organization = self.new_rows_organization(request)
        return formset

    def has_add_permission(self, request: HttpRequest, obj: P | None = None) -> bool:
        return not self.read_only and allows(self.audience, request)


class ScopedTabularInline[C: models.Model, P: models.Model](OrganizationScopedInline[C, P]):
    template = "admin/edit_inline/tabular.html"


class ScopedStackedInline[C: models.Model, P: models.Model](OrganizationScopedInline[C, P]):
    template = "admin/edit_inline/stacked.html"


# -- who enters the studio -----------------------------------------------------------------------


def has_studio_permission(request: HttpRequest) -> bool:
    """Django asks `is_active and is_staff`; Rapport asks the policy."""
    user = studio_user(request)
    return user is not None and policy.can_use_studio(user)


# The default site is adjusted rather than replaced so that rapport/urls.py (`admin.site.urls`)
# and every `@admin.register` keep working as they are. Every app's admin module imports this one,
# so the adjustment is in place before the first request.
studio_site = admin.site
studio_site.has_permission = has_studio_permission  # type: ignore[method-assign]
studio_site.login_form = StudioAuthenticationForm
