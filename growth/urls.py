from django.urls import path

from growth import views
from rapport.participation import participants_only_urls

app_name = "growth"

urlpatterns = participants_only_urls(
    [
        path("", views.index, name="index"),
        path("whats-in-it-for-me/", views.whats_in_it, name="whats_in_it"),
        path("behaviours/", views.picks, name="picks"),
        path("goals/new/", views.goal_new, name="goal_new"),
        path("goals/<uuid:goal_id>/", views.goal, name="goal"),
        path("goals/<uuid:goal_id>/delete/", views.goal_delete, name="goal_delete"),
        path("leadership-model/", views.model, name="model"),
        path("mindset/", views.mindset_index, name="mindset"),
        path("mindset/beliefs/new/", views.belief_new, name="belief_new"),
        path("mindset/beliefs/<uuid:belief_id>/", views.belief, name="belief"),
        path("mindset/beliefs/<uuid:belief_id>/delete/", views.belief_delete, name="belief_delete"),
        path("mindset/beliefs/<uuid:belief_id>/routines/", views.routine_new, name="routine_new"),
        path(
            "mindset/routines/<uuid:routine_id>/check-in/",
            views.routine_check_in,
            name="routine_check_in",
        ),
        path(
            "mindset/routines/<uuid:routine_id>/delete/",
            views.routine_delete,
            name="routine_delete",
        ),
        path("charters/", views.charters, name="charters"),
        path("charters/<uuid:charter_id>/", views.charter, name="charter"),
        path("charters/<uuid:charter_id>/print/", views.charter_print, name="charter_print"),
        path("charters/<uuid:charter_id>/delete/", views.charter_delete, name="charter_delete"),
        path("conversations/", views.conversations, name="conversations"),
        path("conversations/<uuid:plan_id>/", views.conversation, name="conversation"),
        path("conversations/<uuid:plan_id>/debrief/", views.debrief, name="debrief"),
        path(
            "conversations/<uuid:plan_id>/delete/",
            views.conversation_delete,
            name="conversation_delete",
        ),
        path("check-in/", views.check_in, name="check_in"),
        path("organisation-trends/", views.organisation_trends, name="trends"),
    ]
)
