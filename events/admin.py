"""The event log in the studio: read-only, and for superusers only.

Events describe what individual people did; designers and admins see them only as aggregates
(analytics), so the raw log stays out of the organisation's studio (data minimisation).
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events.forwarding import requeue_dead
from events.models import DeadStatement, Event, ObjectType, Verb
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


@admin.register(DeadStatement, site=studio_site)
class DeadStatementAdmin(StudioModelAdmin[DeadStatement]):
    """Statements the LRS refused for good (events.forwarding): when, its HTTP status and the
    reason, the verb and kind of object, and the statement id to look up at the LRS — no person,
    no text. Superusers only; *Send again* puts the chosen ones back in the outbox."""

    audience = Audience.PLATFORM
    read_only = True
    list_display = ("failed", "status", "reason", "verb", "object_type", "statement_id", "attempts")
    list_filter = ("reason", "status")
    list_select_related = ("event",)
    actions = ["send_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DeadStatement]:
        return DeadStatement.objects.visible_to(request.user).select_related("event")

    @admin.display(description=_("failed"), ordering="failed_at")
    def failed(self, obj: DeadStatement) -> str:
        return zoned(obj.failed_at)

    @admin.display(description=_("verb"))
    def verb(self, obj: DeadStatement) -> str:
        return str(Verb(obj.event.verb).label)

    @admin.display(description=_("object type"))
    def object_type(self, obj: DeadStatement) -> str:
        return str(ObjectType(obj.event.object_type).label)

    @admin.display(description=_("statement id"))
    def statement_id(self, obj: DeadStatement) -> str:
        return str(obj.event.public_id)

    @admin.action(description=_("Send again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[DeadStatement]) -> None:
        count = requeue_dead(list(queryset.values_list("event_id", flat=True)))
        self.message_user(
            request, _("%(count)d statement(s) will be sent again.") % {"count": count}
        )
