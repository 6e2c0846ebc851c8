"""Studio pages for organisations (superusers only) and the organisation's leadership model."""

from django.contrib import admin

from organizations.models import Competency, Organization
from rapport.studio import Audience, StudioModelAdmin, studio_site


@admin.register(Organization, site=studio_site)
class OrganizationAdmin(StudioModelAdmin[Organization]):
    """Tenants are created by whoever runs the installation, never by one of the tenants."""

    audience = Audience.PLATFORM
    fields = ("name", "slug")
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


@admin.register(Competency, site=studio_site)
class CompetencyAdmin(StudioModelAdmin[Competency]):
    fields = ("name", "framework", "description", "behaviours", "position")
    list_display = ("name", "framework", "position")
    list_filter = ("framework",)
    search_fields = ("name", "framework", "behaviours")
