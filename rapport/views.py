import logging
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from analytics.headlines import programme_headlines
from coaching.access import open_change_requests
from coaching.caseload import caseload_of
from cohorts.access import enrollments_of
from cohorts.models import Cohort, EnrollmentRole
from discussions.threads import waiting_for_reply
from rapport import policy


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Learners with one journey go straight to This week; a sponsor sees their programmes'
    headline figures; everyone else sees their cohorts and what their role opens."""
    user = request.user
    enrollments = enrollments_of(user)  # type: ignore[arg-type]
    staff = policy.is_org_staff(user)  # type: ignore[arg-type]
    learning = [e for e in enrollments if e.role == EnrollmentRole.LEARNER]
    if not staff and len(enrollments) == 1 and learning:
        return redirect("cohorts:this_week", cohort_id=learning[0].cohort.public_id)
    cohorts = (
        list(Cohort.objects.visible_to(user).select_related("program"))  # type: ignore[arg-type]
        if staff
        else []
    )
    coaching = any(e.role == EnrollmentRole.COACH for e in enrollments)
    waiting = waiting_for_reply(user) if coaching else []
    # A coach's home starts with their caseload's health and who needs them now (coaching).
    caseload = caseload_of(user, now=timezone.now()) if coaching else None  # type: ignore[arg-type]
    can_manage = policy.can_manage_people(user)  # type: ignore[arg-type]
    # A sponsor's home is their programmes' headline figures, each a way into its dashboard
    # (counts through the small-group rule; an admin has the dashboards' card instead).
    sponsor = policy.role_of(user) == policy.Role.SPONSOR  # type: ignore[arg-type]
    headlines = programme_headlines(user) if sponsor else []
    return render(
        request,
        "home.html",
        {
            "enrollments": enrollments,
            "org_cohorts": cohorts,
            "can_import": can_manage,
            "caseload": caseload,
            "change_requests": len(open_change_requests(user)) if can_manage else 0,
            "can_use_studio": policy.can_use_studio(user),  # type: ignore[arg-type]
            # Moderators (moderation.access.is_a_moderator), from what is loaded: no query.
            "can_moderate": coaching or can_manage,
            "coaching": coaching,
            "waiting": waiting,
            "sponsor": sponsor,
            "headlines": headlines,
            "min_group": policy.min_group_size(),
            "nav": "home",
        },
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


logger = logging.getLogger(__name__)


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """The product's own error page (templates/error.html), never Django's technical one."""
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "That request did not make sense", "Please go back and try again.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "Not available to you", "You can see this page but not change it.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "We couldn't find that page",
        "It may have moved, or it isn't shared with you.",
    )


def method_not_allowed(request: HttpRequest, allowed: str = "") -> HttpResponse:
    """405 as a page: someone reached a form's address by typing it or following an old link."""
    response = _error(
        request,
        405,
        "That page can't be used this way",
        "This address only answers the buttons on its page. Go back and use those.",
    )
    response["Allow"] = allowed
    return response


# What a browser gets when even the error page cannot be rendered (the database is down, say):
# no template, no database, no user. Styled inline is impossible under our CSP, so it is plain.
_BARE_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Something went wrong · Rapport</title></head><body><main>"
    "<h1>Something went wrong on our side</h1>"
    "<p>Nothing you wrote was lost. Please try again in a minute.</p>"
    '<p><a href="/">Go to your home page</a></p></main></body></html>'
)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _error(
            request,
            500,
            "Something went wrong on our side",
            "Nothing you wrote was lost. Try again.",
        )
    except Exception:
        logger.exception("The 500 page itself failed; sent the bare one")
        return HttpResponse(_BARE_500, status=500)


class ErrorPageMiddleware:
    """Gives a page to the bare 405 answers of `require_GET`/`require_POST` (Django's
    HttpResponseNotAllowed has an empty body and no handler setting like handler404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return method_not_allowed(request, allowed=response["Allow"])
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Your form expired",
        "For your security the form could not be sent. Reload the page and try again.",
    )
