"""Studio pages for organisations (superusers only) and the organisation's leadership model:
competencies with their observable behaviours edited inline."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from organizations.actions import seed_default_framework
from organizations.models import Behaviour, Competency, Organization
from rapport.studio import Audience, StudioModelAdmin, StudioTabularInline, studio_site


@admin.register(Organization, site=studio_site)
class OrganizationAdmin(StudioModelAdmin[Organization]):
    """Tenants are created by whoever runs the installation, never by one of the tenants. A new
    organisation starts from the default leadership model (organizations.frameworks)."""

    audience = Audience.PLATFORM
    fields = ("name", "slug")
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            seed_default_framework(obj)


class BehaviourInline(StudioTabularInline[Behaviour, Competency]):
    """The competency's observable behaviours, one row each, in `position` order."""

    model = Behaviour
    fields = ("text", "position")
    organization_is_derived = True
    extra = 1


@admin.register(Competency, site=studio_site)
class CompetencyAdmin(StudioModelAdmin[Competency]):
    fields = ("name", "framework", "description", "position")
    list_display = ("name", "framework", "position")
    list_filter = ("framework",)
    search_fields = ("name", "framework", "behaviours__text")
    inlines = (BehaviourInline,)
