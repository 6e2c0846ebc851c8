from django.urls import path

from coaching import views
from rapport.participation import participants_only_urls

app_name = "coaching"

urlpatterns = participants_only_urls(
    [
        path("", views.sessions, name="sessions"),
        path("book/", views.book, name="book"),
        path("book/<uuid:coach_id>/", views.book_slot, name="book_slot"),
        path("<uuid:booking_id>/", views.session, name="session"),
        path("<uuid:booking_id>/move/", views.move, name="move"),
        path("<uuid:booking_id>/cancel/", views.cancel, name="cancel"),
        path("<uuid:booking_id>/video-link/", views.video_link, name="video_link"),
        path("availability/", views.availability, name="availability"),
        path("availability/day-off/", views.add_day_off, name="add_day_off"),
        path(
            "availability/<uuid:availability_id>/remove/",
            views.remove_availability,
            name="remove_availability",
        ),
        path("day-off/<uuid:day_off_id>/remove/", views.remove_day_off, name="remove_day_off"),
        path("groups/new/", views.group_new, name="group_new"),
        path("groups/<uuid:group_id>/", views.group_session, name="group_session"),
        path("groups/<uuid:group_id>/change/", views.group_change, name="group_change"),
        path("groups/<uuid:group_id>/cancel/", views.group_cancel, name="group_cancel"),
        path("nudges/", views.nudges, name="nudges"),
        path("nudges/<uuid:nudge_id>/", views.nudge, name="nudge"),
        path("nudges/<uuid:nudge_id>/cancel/", views.nudge_cancel, name="nudge_cancel"),
        path("readiness/", views.readiness, name="readiness"),
        path("readiness/probe/", views.readiness_probe, name="readiness_probe"),
    ]
)
