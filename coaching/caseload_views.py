"""The coach's caseload (`/caseload/`), marking a session missed, and the admins' aggregate
view of caseloads (`/caseload/overview/`: sizes and session counts through the small-group
rule, never a learner's name, a note or a message).

Thin: load through coaching.access, validate with a form, call coaching.actions, render.
"""

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coaching import actions
from coaching.access import get_booking_for_user, require_admin, require_coach
from coaching.aggregates import caseload_overview
from coaching.caseload import Filters, caseload_of, narrow, quiet_days
from coaching.caseload_forms import CaseloadFilterForm

# Learners a page of the caseload's table ("needs you now" above it is never paged): rendering
# 300 rows was a third of the page's CPU (docs/performance.md).
PAGE_SIZE = 50


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The coach's whole caseload with its filters (403 for anyone who does not coach; a
    filter that makes no sense is a 400 page that says what is accepted). A fixed number of
    queries whatever the number of learners."""
    user: Any = request.user
    require_coach(user)
    now = timezone.now()
    caseload = caseload_of(user, now=now)
    form = CaseloadFilterForm(request.GET or None, cohorts=caseload.cohorts)
    status = 200
    page_number = 1
    if form.is_bound:
        if form.is_valid():
            page_number = form.cleaned_data["page"] or 1
            data = form.cleaned_data
            caseload = narrow(
                caseload,
                Filters(cohort=data["cohort"], week=data["week"], status=data["status"]),
            )
        else:
            status = 400
    page = Paginator(caseload.rows, PAGE_SIZE).get_page(page_number)
    keep = {k: v for k, v in (request.GET.items() if status == 200 else []) if k != "page" and v}
    return render(
        request,
        "coaching/caseload.html",
        {
            "caseload": caseload,
            "page": page,
            "query": urlencode(keep),
            "form": form,
            "filtered": form.is_bound
            and status == 200
            and any(v for k, v in form.cleaned_data.items() if k != "page"),
            "quiet_days": quiet_days(),
            "zone": user.time_zone,
            "now": now,
            "nav": "caseload",
        },
        status=status,
    )


@login_required
@require_POST
def mark_missed(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """The coach marks an ended session missed (404 for anyone who may not see it, 403 for its
    learner; a session not ended yet or not active is a message and nothing changes)."""
    user: Any = request.user
    booking = get_booking_for_user(user, booking_id)
    if booking.coach_id != user.pk:
        raise PermissionDenied("Only the coach marks a session missed")
    try:
        actions.mark_missed(user, booking=booking)
    except actions.BookingRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("coaching:session", booking_id=booking.public_id)
    messages.success(
        request,
        _("Marked missed. %(name)s is on your “needs you now” list for two weeks.")
        % {"name": booking.learner.get_short_name()},
    )
    return redirect("caseload:index")


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Caseload sizes and session counts per coach and cohort, for the organisation's admins
    (403 for everyone else): counts of learners pass `rapport.policy.suppress_small_groups`."""
    user: Any = request.user
    require_admin(user)
    return render(
        request,
        "coaching/caseload_overview.html",
        {"overview": caseload_overview(user, now=timezone.now()), "nav": "home"},
    )
