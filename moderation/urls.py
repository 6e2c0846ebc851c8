from django.urls import path

from moderation import views
from rapport.participation import participants_only_urls

app_name = "moderation"

urlpatterns = participants_only_urls(
    [
        path("", views.queue, name="queue"),
        path("mine/", views.my_reports, name="mine"),
        path("log/", views.audit_log, name="log"),
        path("posts/<uuid:post_id>/report/", views.report_post, name="report"),
        path("posts/<uuid:post_id>/block/", views.block_author, name="block"),
        path("questions/<uuid:question_id>/report/", views.report_question, name="report_question"),
        path(
            "questions/<uuid:question_id>/answer/report/",
            views.report_answer,
            name="report_answer",
        ),
        path("entries/<uuid:entry_id>/report/", views.report_entry, name="report_entry"),
        path("blocks/<uuid:block_id>/unblock/", views.unblock, name="unblock"),
        path("reports/<uuid:report_id>/", views.report_detail, name="report_detail"),
        path("reports/<uuid:report_id>/hide/", views.hide, name="hide"),
        path("reports/<uuid:report_id>/dismiss/", views.dismiss, name="dismiss"),
        path("reports/<uuid:report_id>/unhide/", views.unhide, name="unhide"),
    ]
)
