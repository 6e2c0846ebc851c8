from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path(
        "activities/<uuid:activity_id>/media/",
        views.activity_file,
        {"which": "media"},
        name="media",
    ),
    path(
        "activities/<uuid:activity_id>/captions.vtt",
        views.activity_file,
        {"which": "captions"},
        name="captions",
    ),
]
