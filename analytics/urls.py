from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<uuid:program_id>/", views.dashboard, name="dashboard"),
    path("programmes/<uuid:program_id>/export.csv", views.dashboard_csv, name="dashboard_csv"),
    path("programmes/<uuid:program_id>/connections/", views.connections, name="connections"),
    path("circles/not-yet-connected/", views.not_connected, name="not_connected"),
]
