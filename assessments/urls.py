from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-growth/", views.growth, name="growth"),
    path("seat/<uuid:seat_id>/peers/", views.peers, name="peers"),
    path("<uuid:round_id>/rate/<uuid:seat_id>/", views.rate, name="rate"),
]
