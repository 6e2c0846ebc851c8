from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("<uuid:thread_id>/post/", views.post_create, name="post"),
    path("<uuid:thread_id>/draft/", views.draft_save, name="draft"),
    path("<uuid:thread_id>/people/", views.mention_suggestions, name="people"),
    path("community/<uuid:cohort_id>/", views.community, name="community"),
    path("posts/<uuid:post_id>/", views.post_link, name="post_link"),
    path("posts/<uuid:post_id>/replies/", views.post_replies, name="replies"),
    path("posts/<uuid:post_id>/edit/", views.post_edit, name="edit"),
    path("posts/<uuid:post_id>/delete/", views.post_delete, name="delete"),
    path("posts/<uuid:post_id>/react/", views.post_react, name="react"),
    path("posts/<uuid:post_id>/history/", views.post_history, name="history"),
]
