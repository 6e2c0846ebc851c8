"""Design-review pages: the programme review (findings by week and kind, resolved and open
counts, the sign-off), its printable report, and one activity's review with the accept,
dismiss and edit choices for each finding (the panel the studio's activity form shows).

Thin: load through design_review.access (404 for what a person may not see, 403 for learners
and coaches), validate with a form, call design_review.actions, render or redirect.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from design_review import actions
from design_review.access import (
    activities_of,
    decisions_of,
    get_activity_for_review,
    get_program_for_review,
    sign_offs_of,
)
from design_review.checker import NOTES
from design_review.codes import CATEGORY_LABELS, QUESTIONS, Category
from design_review.forms import DismissForm, FindingForm, SignOffForm
from design_review.review import review_activities, review_programme


def _programme_context(request: HttpRequest, program_id: uuid.UUID) -> dict[str, Any]:
    user = request.user
    program = get_program_for_review(user, program_id)
    decisions = decisions_of(user, program)
    result = review_programme(activities_of(user, program), decisions)
    return {
        "program": program,
        "result": result,
        "sign_offs": sign_offs_of(user, program),
        "questions": [(CATEGORY_LABELS[c], QUESTIONS[c]) for c in Category],
        "category_labels": CATEGORY_LABELS,
        "notes": NOTES,
    }


@login_required
@require_http_methods(["GET", "POST"])
def program_review(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """The programme review, and its sign-off form (POST: a reason is required while findings
    are open)."""
    context = _programme_context(request, program_id)
    open_count = context["result"].open_count
    form = SignOffForm(request.POST or None, open_count=open_count)
    if request.method == "POST":
        if form.is_valid():
            actions.sign_off(
                request.user,  # type: ignore[arg-type]
                program=context["program"],
                open_findings=open_count,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The review is signed off."))
            return redirect("design_review:program", program_id=program_id)
        status = 400
    else:
        status = 200
    context["form"] = form
    return render(request, "design_review/program.html", context, status=status)


@login_required
@require_GET
def program_report(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    """The printable review report for stakeholders."""
    return render(request, "design_review/report.html", _programme_context(request, program_id))


def _activity_page(request: HttpRequest, activity: Any, status: int = 200, **extra: Any) -> Any:
    user = request.user
    decisions = [
        d for d in decisions_of(user, activity.week.program) if d.activity_id == activity.pk
    ]
    (result,) = review_activities([activity], decisions)
    return render(
        request,
        "design_review/activity.html",
        {
            "activity": activity,
            "result": result,
            "decisions": decisions,
            "notes": NOTES,
            "studio_url": reverse("admin:programs_activity_change", args=[activity.pk]),
            **extra,
        },
        status=status,
    )


@login_required
@require_GET
def activity_review(request: HttpRequest, activity_id: uuid.UUID) -> HttpResponse:
    """One activity's review: each finding with its words, explanation, question and rewrite,
    to accept, dismiss with a reason, or edit in the studio."""
    return _activity_page(request, get_activity_for_review(request.user, activity_id))


def _after(request: HttpRequest, form: FindingForm, activity: Any) -> HttpResponse:
    target = form.cleaned_data.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("design_review:activity", activity_id=activity.public_id)


def _decide(request: HttpRequest, activity_id: uuid.UUID, *, accept: bool) -> HttpResponse:
    activity = get_activity_for_review(request.user, activity_id)
    form = (FindingForm if accept else DismissForm)(request.POST)
    if not form.is_valid():
        return _activity_page(request, activity, status=400, errors=form.errors)
    data = form.cleaned_data
    finding = {
        "activity": activity,
        "field": data["field"],
        "code": data["code"],
        "start": data["start"],
        "end": data["end"],
        "seen": data["digest"],
    }
    try:
        if accept:
            actions.accept_rewrite(request.user, **finding)  # type: ignore[arg-type]
            messages.success(request, _("Rewrite accepted and saved."))
        else:
            actions.dismiss_finding(
                request.user,  # type: ignore[arg-type]
                reason=data["reason"],
                **finding,
            )
            messages.success(request, _("Finding dismissed. Your reason is in the audit log."))
    except (actions.StaleFinding, ValueError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        activity.refresh_from_db()
        return _activity_page(request, activity, status=409, errors={"__all__": [message]})
    return _after(request, form, activity)


@login_required
@require_POST
def accept(request: HttpRequest, activity_id: uuid.UUID) -> HttpResponse:
    """Accept a finding's rewrite: the sentence is replaced and the activity saved."""
    return _decide(request, activity_id, accept=True)


@login_required
@require_POST
def dismiss(request: HttpRequest, activity_id: uuid.UUID) -> HttpResponse:
    """Dismiss a finding with a reason (kept in the audit log)."""
    return _decide(request, activity_id, accept=False)
