from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cohorts.access import enrollments_of
from cohorts.models import Cohort, EnrollmentRole
from rapport import policy


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Learners with one journey go straight to This week; everyone else sees their cohorts."""
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
    return render(
        request,
        "home.html",
        {
            "enrollments": enrollments,
            "org_cohorts": cohorts,
            "can_import": policy.can_manage_people(user),  # type: ignore[arg-type]
            "can_use_studio": policy.can_use_studio(user),  # type: ignore[arg-type]
            "nav": "home",
        },
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
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


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request, 500, "Something went wrong on our side", "Nothing you wrote was lost. Try again."
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Your form expired",
        "For your security the form could not be sent. Reload the page and try again.",
    )
