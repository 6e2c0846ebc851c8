"""The event log in the studio: read-only, and for superusers only.

Events describe what individual people did; designers and admins see them only as aggregates
(analytics), so the raw log stays out of the organisation's studio (data minimisation).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.models import Event
from rapport.studio import Audience, StudioModelAdmin, studio_site, zoned


@admin.register(Event, site=studio_site)
class EventAdmin(StudioModelAdmin[Event]):
    audience = Audience.PLATFORM
    read_only = True
    list_display = ("when", "verb", "object_type", "object_id", "organization", "cohort")
    list_filter = ("verb", "object_type")
    list_select_related = ("organization", "cohort")
    show_full_result_count = False  # the log is large; counting it on every page costs a scan

    @admin.display(description=_("timestamp"), ordering="timestamp")
    def when(self, obj: Event) -> str:
        return zoned(obj.timestamp)
