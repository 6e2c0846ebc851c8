from django.urls import path

from coaching import caseload_views as views

app_name = "caseload"

urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("sessions/<uuid:booking_id>/missed/", views.mark_missed, name="mark_missed"),
]
