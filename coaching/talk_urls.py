"""Confidential coaching messages, action plans, private session notes and follow-ups
(coaching.talk_views), under /coach/."""

from django.urls import path

from coaching import talk_views
from rapport.participation import participants_only_urls

app_name = "talk"

urlpatterns = participants_only_urls(
    [
        path("messages/", talk_views.inbox, name="inbox"),
        path("messages/<uuid:person_id>/", talk_views.thread, name="thread"),
        path("messages/<uuid:person_id>/plan/", talk_views.plan, name="plan"),
        path("plan-items/<uuid:item_id>/", talk_views.item_status, name="item_status"),
        path("files/<uuid:attachment_id>/", talk_views.attachment, name="attachment"),
        path("ask/<uuid:cohort_id>/<uuid:activity_id>/", talk_views.ask, name="ask"),
        path("sessions/<uuid:booking_id>/note/", talk_views.note, name="note"),
        path("sessions/<uuid:booking_id>/follow-up/", talk_views.follow_up, name="follow_up"),
    ]
)
