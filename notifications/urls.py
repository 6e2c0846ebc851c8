from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("badge", views.notification_badge, name="badge"),
    path("read-all", views.notification_read_all, name="read_all"),
    path("preferences", views.preferences, name="preferences"),
    path("<uuid:notification_id>/open", views.notification_open, name="open"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
