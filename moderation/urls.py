from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.my_reports, name="mine"),
    path("log/", views.audit_log, name="log"),
    path("posts/<uuid:post_id>/report/", views.report_post, name="report"),
    path("posts/<uuid:post_id>/block/", views.block_author, name="block"),
    path("blocks/<uuid:block_id>/unblock/", views.unblock, name="unblock"),
    path("reports/<uuid:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:report_id>/hide/", views.hide, name="hide"),
    path("reports/<uuid:report_id>/dismiss/", views.dismiss, name="dismiss"),
    path("reports/<uuid:report_id>/unhide/", views.unhide, name="unhide"),
]
