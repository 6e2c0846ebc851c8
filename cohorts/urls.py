from django.urls import path

from cohorts import import_views, views

app_name = "cohorts"

urlpatterns = [
    path("<uuid:cohort_id>/", views.this_week, name="this_week"),
    path("<uuid:cohort_id>/journey/", views.journey_overview, name="journey"),
    path("<uuid:cohort_id>/weeks/<int:number>/", views.week_detail, name="week"),
    path("<uuid:cohort_id>/activities/<uuid:activity_id>/", views.activity_detail, name="activity"),
    path(
        "<uuid:cohort_id>/activities/<uuid:activity_id>/complete/",
        views.activity_complete,
        name="activity_complete",
    ),
    path(
        "<uuid:cohort_id>/activities/<uuid:activity_id>/position/",
        views.media_position,
        name="media_position",
    ),
    path(
        "<uuid:cohort_id>/activities/<uuid:activity_id>/launch/",
        views.activity_launch,
        name="activity_launch",
    ),
    path(
        "<uuid:cohort_id>/activities/<uuid:activity_id>/invite.ics",
        views.activity_invite,
        name="activity_invite",
    ),
    path("<uuid:cohort_id>/import/", import_views.import_learners, name="import"),
]
