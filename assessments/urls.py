from django.urls import path

from assessments import views
from rapport.participation import participants_only_urls

app_name = "assessments"

urlpatterns = participants_only_urls(
    [
        path("", views.index, name="index"),
        path("my-growth/", views.growth, name="growth"),
        path("seat/<uuid:seat_id>/peers/", views.peers, name="peers"),
        path("<uuid:round_id>/rate/<uuid:seat_id>/", views.rate, name="rate"),
        path("feedback/", views.feedback, name="feedback"),
        path("feedback/seat/<uuid:seat_id>/ask/", views.feedback_ask, name="feedback_ask"),
        path(
            "feedback/requests/<uuid:feedback_id>/", views.feedback_request, name="feedback_request"
        ),
        path(
            "feedback/requests/<uuid:feedback_id>/share/",
            views.feedback_share,
            name="feedback_share",
        ),
        path(
            "feedback/requests/<uuid:feedback_id>/close/",
            views.feedback_close,
            name="feedback_close",
        ),
        path("feedback/answers/<uuid:answer_id>/", views.feedback_answer, name="feedback_answer"),
        path(
            "feedback/answers/<uuid:answer_id>/decline/",
            views.feedback_decline,
            name="feedback_decline",
        ),
    ]
)
