from django.urls import path

from design_review import views

app_name = "design_review"

urlpatterns = [
    path("programmes/<uuid:program_id>/", views.program_review, name="program"),
    path("programmes/<uuid:program_id>/report/", views.program_report, name="report"),
    path("activities/<uuid:activity_id>/", views.activity_review, name="activity"),
    path("activities/<uuid:activity_id>/accept/", views.accept, name="accept"),
    path("activities/<uuid:activity_id>/dismiss/", views.dismiss, name="dismiss"),
    path("activities/<uuid:activity_id>/preview/", views.preview, name="preview"),
    path("settings/", views.review_settings, name="settings"),
]
