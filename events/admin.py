"""The event log in the studio: read-only, and for superusers only.

Events describe what individual people did; designers and admins see them only as aggregates
(analytics), so the raw log stays out of the organisation's studio (data minimisation).
"""

from django.contrib import admin

from events.models import Event
from rapport.admin_scoping import Audience, OrganizationScopedAdmin


@admin.register(Event)
class EventAdmin(OrganizationScopedAdmin[Event]):
    audience = Audience.PLATFORM
    read_only = True
    list_display = ("timestamp", "verb", "object_type", "object_id", "organization", "cohort")
    list_filter = ("verb", "object_type")
    list_select_related = ("organization", "cohort")
    show_full_result_count = False  # the log is large; counting it on every page costs a scan
