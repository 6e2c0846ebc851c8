"""The studio's People page: organisation admins add and edit the people of their organisation.

Nobody's password (or its hash) is ever shown. People created here get an unusable password and
set their own through "forgot your password", so an admin never knows anyone's password.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.models import Membership
from rapport.admin_scoping import (
    Audience,
    OrganizationScopedAdmin,
    ScopedTabularInline,
    is_superuser,
    organization_for,
)

# Rapport's roles live on Membership and rapport.policy decides what they allow, so Django's
# groups would only be a second, ignored place to grant access.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class MembershipInline(ScopedTabularInline[Membership, User]):
    model = Membership
    audience = Audience.PEOPLE
    fields = ("role", "region", "function", "level")
    verbose_name = verbose_name_plural = _("role in the organisation")
    can_delete = False  # a person always has their place in the organisation
    max_num = 1
    extra = 1


@admin.register(User)
class PersonAdmin(OrganizationScopedAdmin[User]):
    audience = Audience.PEOPLE
    fields = ("email", "full_name", "time_zone", "is_active", "last_login", "date_joined")
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "role", "region", "time_zone", "is_active")
    list_filter = ("membership__role", "is_active")
    list_select_related = ("membership",)
    # Also what the enrollment autocomplete searches, through this page's org-scoped queryset.
    search_fields = ("email", "full_name")
    ordering = ("email",)
    inlines = (MembershipInline,)

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
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Left untouched, the membership row is not saved; the person still joins the
        # admin's organisation as a learner, or they would vanish from this very page.
        organization = organization_for(request)
        members = Membership.objects.visible_to(request.user)
        if organization is not None and not members.filter(user=form.instance).exists():
            Membership(user=form.instance, organization=organization).save()

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description=_("region"), ordering="membership__region")
    def region(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return membership.region if membership else "—"
