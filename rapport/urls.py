from django.contrib import admin
from django.urls import include, path

from rapport import views

admin.site.site_header = "Rapport studio"
admin.site.site_title = "Rapport studio"
admin.site.index_title = "Programmes, cohorts and people"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("content/", include("programs.urls")),
    path("studio/", admin.site.urls),
]

handler400 = "rapport.views.bad_request"
handler403 = "rapport.views.permission_denied"
handler404 = "rapport.views.page_not_found"
handler500 = "rapport.views.server_error"
