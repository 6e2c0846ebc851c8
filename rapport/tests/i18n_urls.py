"""A URLconf whose addresses depend on the active language, for rapport/tests/test_jinja2.py."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path


def _page(request: HttpRequest, number: int) -> HttpResponse:
    return HttpResponse(str(number))


urlpatterns = i18n_patterns(path("page/<int:number>/", _page, name="page"))
