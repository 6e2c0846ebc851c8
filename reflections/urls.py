from django.urls import path

from rapport.participation import participants_only_urls
from reflections import views

app_name = "reflections"

urlpatterns = participants_only_urls(
    [
        path("", views.journal, name="journal"),
        path("new/", views.entry_new, name="new"),
        path("shared/", views.shared, name="shared"),
        path("access-log/", views.access_log, name="access_log"),
        path("draft/", views.draft_save, name="draft"),
        path("<uuid:entry_id>/", views.entry_detail, name="entry"),
        path("<uuid:entry_id>/edit/", views.entry_edit, name="edit"),
        path("<uuid:entry_id>/visibility/", views.entry_visibility, name="visibility"),
        path("<uuid:entry_id>/delete/", views.entry_delete, name="delete"),
        path("missions/<uuid:cohort_id>/<uuid:activity_id>/", views.mission, name="mission"),
        path("missions/<uuid:cohort_id>/<uuid:activity_id>/plan/", views.mission_plan, name="plan"),
        path(
            "missions/<uuid:cohort_id>/<uuid:activity_id>/reflect/",
            views.mission_reflect,
            name="reflect",
        ),
        path(
            "experience/<uuid:cohort_id>/<uuid:activity_id>/", views.experience, name="experience"
        ),
    ]
)
