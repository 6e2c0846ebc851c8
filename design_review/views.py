"""Design-review pages: the programme review (findings by week and kind, resolved and open
counts, the sign-off), its printable report, one activity's review with the accept, dismiss
and edit choices for each finding (the panel the studio's activity form shows), the preview
of that panel for the text as typed (not yet saved), and the organisation's review settings.

Thin: load through design_review.access (404 for what a person may not see, 403 for learners
and coaches), validate with a form, call design_review.actions, render or redirect.
"""

import copy
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
    get_review_settings,
    sign_offs_of,
)
from design_review.checker import NOTES
from design_review.codes import CATEGORY_LABELS, QUESTIONS, Category
from design_review.forms import (
    DismissForm,
    FindingForm,
    PreviewForm,
    ReviewSettingsForm,
    SignOffForm,
)
from design_review.models import (
    MAX_READING_GRADE,
    MIN_READING_GRADE,
    REVIEWED_FIELDS,
    reading_grade_of,
)
from design_review.review import review_activities, review_programme
from rapport import policy


def _programme_context(request: HttpRequest, program_id: uuid.UUID) -> dict[str, Any]:
    user = request.user
    program = get_program_for_review(user, program_id)
    decisions = decisions_of(user, program)
    grade = reading_grade_of(program.organization)
    result = review_programme(activities_of(user, program), decisions, max_grade=grade)
    return {
        "program": program,
        # The programme's own studio page, where the breadcrumb leads back to.
        "program_studio_url": reverse("admin:programs_program_change", args=[program.pk]),
        "reading_grade": grade,
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


def _activity_decisions(request: HttpRequest, activity: Any) -> list[Any]:
    return [
        d for d in decisions_of(request.user, activity.week.program) if d.activity_id == activity.pk
    ]


def _activity_page(request: HttpRequest, activity: Any, status: int = 200, **extra: Any) -> Any:
    decisions = _activity_decisions(request, activity)
    grade = reading_grade_of(activity.organization)
    (result,) = review_activities([activity], decisions, max_grade=grade)
    return render(
        request,
        "design_review/activity.html",
        {
            "activity": activity,
            "result": result,
            "decisions": decisions,
            "notes": NOTES,
            "reading_grade": grade,
            "studio_url": reverse("admin:programs_activity_change", args=[activity.pk]),
            "program_studio_url": reverse(
                "admin:programs_program_change", args=[activity.week.program.pk]
            ),
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


def _same_text(typed: str, saved: str) -> bool:
    """Whether the form's text is the saved text, line breaks aside (CRLF or LF)."""
    return typed.replace("\r\n", "\n") == saved.replace("\r\n", "\n")


@login_required
@require_POST
def preview(request: HttpRequest, activity_id: uuid.UUID) -> HttpResponse:
    """The review panel (a fragment) for the studio form's text as typed, not yet saved:
    the same checker, the organisation's reading level and the real visibility of the kind
    the form shows. Nothing is stored. Findings on a field whose text (and the kind) is as
    saved keep their accept and dismiss choices; the others say to save first, since a
    decision is made on saved text. Bad input is a 400 fragment that says what is wrong."""
    activity = get_activity_for_review(request.user, activity_id)
    studio_url = reverse("admin:programs_activity_change", args=[activity.pk])
    form = PreviewForm(request.POST)
    context: dict[str, Any] = {
        "activity": activity,
        "notes": NOTES,
        "studio_url": studio_url,
        "next_url": studio_url,
        "reading_grade": reading_grade_of(activity.organization),
        "can_change_settings": policy.can_manage_people(request.user),
    }
    if not form.is_valid():
        context["errors"] = form.errors
        return render(request, "design_review/preview.html", context, status=400)
    data = form.cleaned_data
    target = data["next"]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        context["next_url"] = target
    typed = copy.copy(activity)  # never saved: the review reads its attributes only
    typed.kind = data["kind"] or activity.kind
    same_kind = typed.kind == activity.kind
    saved_fields = set()
    for name in REVIEWED_FIELDS:
        saved = getattr(activity, name) or ""
        if _same_text(data[name], saved):
            # Reviewed as saved, so that the offsets and digests of its decisions are the
            # saved text's (a browser sends line breaks as CRLF, whatever was stored).
            setattr(typed, name, saved)
            if same_kind:
                saved_fields.add(name)
        else:
            setattr(typed, name, data[name])
    (result,) = review_activities(
        [typed], _activity_decisions(request, activity), max_grade=context["reading_grade"]
    )
    context["result"] = result
    context["saved_fields"] = saved_fields
    context["unsaved"] = len(context["saved_fields"]) < len(REVIEWED_FIELDS)
    context["nothing_typed"] = not any(data[name].strip() for name in REVIEWED_FIELDS)
    return render(request, "design_review/preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_settings(request: HttpRequest) -> HttpResponse:
    """The organisation's review settings (the reading level): designers read them, the
    organisation's admins change them (POST; a grade out of range is a 400 naming the range,
    and nothing changes)."""
    can_change = policy.can_manage_people(request.user)
    settings_row = get_review_settings(request.user, for_write=request.method == "POST")
    form = ReviewSettingsForm(request.POST or None, instance=settings_row)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user  # type: ignore[assignment]
            saved.save()
            messages.success(
                request,
                _("Texts are now reviewed against grade %(grade)d.")
                % {"grade": saved.max_reading_grade},
            )
            return redirect("design_review:settings")
        status = 400
    return render(
        request,
        "design_review/settings.html",
        {
            "form": form,
            "settings_row": settings_row,
            "can_change": can_change,
            "low": MIN_READING_GRADE,
            "high": MAX_READING_GRADE,
        },
        status=status,
    )
