from django.urls import path

from coaching import matching_views as views
from rapport.participation import participants_only_urls

app_name = "matching"

urlpatterns = participants_only_urls(
    [
        path("", views.index, name="index"),
        path("cohorts/<uuid:cohort_id>/", views.cohort, name="cohort"),
        path("cohorts/<uuid:cohort_id>/propose/", views.propose, name="propose"),
        path("seats/<uuid:seat_id>/assign/", views.assign, name="assign"),
        path("proposals/<uuid:proposal_id>/", views.proposal, name="proposal"),
        path(
            "proposals/<uuid:proposal_id>/seats/<uuid:seat_id>/",
            views.proposal_row,
            name="proposal_row",
        ),
        path("proposals/<uuid:proposal_id>/publish/", views.publish, name="publish"),
        path("coaches/<uuid:coach_id>/", views.coach_profile, name="coach_profile"),
        path("requests/", views.requests, name="requests"),
        path("requests/<uuid:request_id>/resolve/", views.resolve, name="resolve"),
        path("my-coach/", views.my_coach, name="my_coach"),
        path("my-coach/<uuid:seat_id>/change/", views.ask_for_change, name="ask_for_change"),
        path("my-preferences/", views.my_preferences, name="my_preferences"),
    ]
)
