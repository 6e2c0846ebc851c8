"""The studio's People page: organisation admins add and edit the people of their organisation.

Nobody's password (or its hash) is ever shown. People created here get an unusable password and
set their own (organizations.actions.add_member), so an admin never knows anyone's password.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.actions import AlreadyMembers, add_member, change_role, deactivate_member
from organizations.models import Membership, Role
from rapport.lib.timezones import time_zone_choices
from rapport.studio import (
    Audience,
    StudioModelAdmin,
    StudioTabularInline,
    is_superuser,
    organization_for,
    studio_site,
    take_saved,
    zoned,
)


class MembershipFormSet(BaseInlineFormSet[Membership, User, Any]):
    """The membership row of the People page. When the row names the organisation (a superuser
    adding someone), the new person's address is checked against that organisation here, with
    the model's own rule (User.validate_constraints), so an address already in use there is a
    form error on the row instead of add_member's AlreadyMembers (a 500). An organisation
    admin's new person already has their organisation, and the person form checks it."""

    def clean(self) -> None:
        super().clean()
        person: User = self.instance
        if person.pk is not None or not person.email:
            return
        for row in self.forms:
            organization = getattr(row, "cleaned_data", {}).get("organization")
            if organization is None:
                continue
            person.organization = organization
            try:
                person.validate_constraints()
            except ValidationError as error:
                row.add_error(None, error)


class MembershipInline(StudioTabularInline[Membership, User]):
    """The person's one place in the organisation. Its row is created with the person, by
    organizations.actions.add_member, and a role change goes through change_role."""

    model = Membership
    fk_name = "user"  # not `line_manager`, the other key to User
    formset = MembershipFormSet
    audience = Audience.PEOPLE
    fields = ("role", "region", "function", "level")
    verbose_name = verbose_name_plural = _("role in the organisation")
    can_delete = False  # a person always has their place in the organisation
    max_num = 1
    extra = 1

    def get_min_num(self, request: HttpRequest, obj: User | None = None, **kwargs: Any) -> int:
        # A superuser works across organisations: the row, and its organisation, must be filled
        # in. Anyone else adds people to their own organisation, as learners unless they say.
        return 1 if obj is None and is_superuser(request) else 0

    def has_add_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Only with the person: a membership is never attached to an existing account here.
        return obj is None and super().has_add_permission(request, obj)


@admin.register(User, site=studio_site)
class PersonAdmin(StudioModelAdmin[User]):
    """People of the admin's organisation. Every write goes through organizations.actions: the
    person and their membership are created together (`add_member`), a role changes through
    `change_role` and an account closes through `deactivate_member`; a person's own details
    (name, time zone, region…) are plain edits."""

    audience = Audience.PEOPLE
    fields = ("email", "full_name", "time_zone", "is_active", "last_signed_in", "joined")
    readonly_fields = ("last_signed_in", "joined")
    list_display = ("email", "full_name", "role", "region", "time_zone", "is_active")
    list_filter = ("membership__role", "is_active")
    list_select_related = ("membership",)
    # Also what the enrollment autocomplete searches, through this page's visible_to queryset.
    search_fields = ("email", "full_name")
    ordering = ("email",)
    inlines = (MembershipInline,)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Django's, with one more refusal answered: if someone else adds the same address in
        the moment between the form's check and the save, add_member refuses (AlreadyMembers),
        the page's transaction is rolled back whole, and the admin is sent back to the form
        with a message saying so, instead of a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except AlreadyMembers:
            self.message_user(
                request,
                gettext(
                    "Someone in this organisation already has this email: it was added while "
                    "you were filling in the form. Nothing was saved; search the People page "
                    "for the address."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """The time zone is picked from the same grouped list as in Settings (every IANA zone,
        by region), not typed: "London" or "CET+1" cannot be entered by mistake."""
        if db_field.name == "time_zone":
            return forms.ChoiceField(
                label=db_field.verbose_name.capitalize(),
                choices=time_zone_choices,
                initial=db_field.default,
                help_text=_(
                    "Their weeks start at midnight here, and live sessions show in this time. "
                    "They can change it in Settings."
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if not is_superuser(request):
            # An organisation admin must never edit (say, re-address and take over) the account
            # of someone who runs the whole installation.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs.setdefault("help_texts", {})["is_active"] = _(
            "Uncheck to close the account: the person can no longer sign in, and what they "
            "wrote stays where it is."
        )
        form_class = super().get_form(request, obj, change, **kwargs)
        organization = organization_for(request)

        class PersonForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                # An address is unique within the organisation (accounts.User's constraints):
                # a new person belongs to the admin's, so a duplicate is a form error.
                if self.instance.pk is None and organization is not None:
                    self.instance.organization = organization

        return PersonForm

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is None:
            fields = [f for f in fields if f not in self.readonly_fields]
        if is_superuser(request):
            fields.insert(fields.index("is_active") + 1, "is_superuser")
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Admins deactivate people (uncheck "active"); erasing a person and everything they
        # wrote is a separate, deliberate process, not a button next to "save".
        return is_superuser(request)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            return  # created with their membership in save_related, by add_member
        closing = "is_active" in form.changed_data and not obj.is_active
        if closing:
            obj.is_active = True  # closed below, by the action, once the other edits are saved
        super().save_model(request, obj, form, change)
        if not closing:
            return
        membership = Membership.objects.visible_to(request.user).filter(user=obj).first()
        if membership is not None:
            deactivate_member(membership)
        else:  # a platform account outside every organisation (only superusers see those)
            User.objects.visible_to(request.user).filter(pk=obj.pk).update(is_active=False)
        obj.is_active = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)
            return
        row = next((f for fs in formsets if fs.model is Membership for f in fs.forms), None)
        details = row.cleaned_data if row is not None and row.has_changed() else {}
        organization = details.get("organization") or organization_for(request)
        if organization is None:
            raise PermissionDenied  # has_add_permission lets in only people with a membership
        person: User = form.instance
        membership = add_member(
            organization,
            email=person.email,
            full_name=person.full_name,
            time_zone=person.time_zone,
            role=details.get("role") or Role.LEARNER,
            region=details.get("region", ""),
            function=details.get("function", ""),
            level=details.get("level", ""),
            invited_by=request.user,  # type: ignore[arg-type]
        )
        take_saved(person, membership.user)
        for formset in formsets:  # what the page's history entry lists as added
            formset.new_objects = [membership] if formset.model is Membership else []
            formset.changed_objects, formset.deleted_objects = [], []
        if not form.cleaned_data.get("is_active", True):
            deactivate_member(membership)
        if form.cleaned_data.get("is_superuser"):
            person.is_superuser = True
            person.save(update_fields=["is_superuser"])

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or row.instance.pk is None:
                continue
            membership: Membership = row.save(commit=False)
            role = Role(membership.role)
            membership.role = row.initial.get("role", role)
            membership.save()  # region, function and level: the person's details
            change_role(membership, role=role)
            formset.changed_objects.append((membership, row.changed_data))

    @admin.display(description=_("last signed in"))
    def last_signed_in(self, obj: User) -> str:
        return zoned(obj.last_login)

    @admin.display(description=_("joined"))
    def joined(self, obj: User) -> str:
        return zoned(obj.date_joined)

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description=_("region"), ordering="membership__region")
    def region(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return membership.region if membership else "—"
