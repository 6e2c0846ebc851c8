from django.urls import path

from experts import views
from rapport.participation import participants_only_urls

app_name = "experts"

urlpatterns = participants_only_urls(
    [
        path("", views.threads, name="threads"),
        path("new/", views.new_thread, name="new"),
        path("<uuid:expert_thread_id>/", views.thread, name="thread"),
        path("<uuid:expert_thread_id>/ask/", views.ask, name="ask"),
        path("<uuid:expert_thread_id>/close/", views.close, name="close"),
        path("<uuid:expert_thread_id>/office-hours.ics", views.invite, name="invite"),
        path("questions/<uuid:question_id>/vote/", views.vote, name="vote"),
        path("questions/<uuid:question_id>/answer/", views.answer, name="answer"),
    ]
)
