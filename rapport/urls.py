from django.urls import include, path

from rapport import views
from rapport.studio import studio_site

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("content/", include("programs.urls")),
    path("discussions/", include("discussions.urls")),
    path("notifications/", include("notifications.urls")),
    path("circles/", include("circles.urls")),
    path("moderation/", include("moderation.urls")),
    path("reflections/", include("reflections.urls")),
    path("growth/", include("growth.urls")),
    path("sessions/", include("coaching.urls")),
    path("analytics/", include("analytics.urls")),
    path("coach/", include("coaching.talk_urls")),
    path("caseload/", include("coaching.caseload_urls")),
    path("matching/", include("coaching.matching_urls")),
    path("assessments/", include("assessments.urls")),
    path("design-review/", include("design_review.urls")),
    path("experts/", include("experts.urls")),
    path("studio/", studio_site.urls),
]

handler400 = "rapport.views.bad_request"
handler403 = "rapport.views.permission_denied"
handler404 = "rapport.views.page_not_found"
handler500 = "rapport.views.server_error"
