"""Moderation pages: reporting a post, blocking its author, the moderators' queue and their
decisions, "My reports", and the admins' audit log. Thin: load through access, validate with a
form, call an action, render."""

import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from moderation import access, actions, targets
from moderation.forms import AboutTextForm, DismissForm, HideForm, ReportForm, UnhideForm
from moderation.models import ModerationAction, Report

# The most rows the audit page shows (newest first).
AUDIT_PAGE_SIZE = 200


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    """The report form for a post the person can see (404 otherwise): reasons, details, and
    who will see the report. A second report of the same post says so and changes nothing."""
    post = access.get_reportable_post(request.user, post_id)
    return _report_page(request, targets.post_target(post))


@login_required
@require_http_methods(["GET", "POST"])
def report_question(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    """The report form for an expert question the person can see (404 otherwise)."""
    question = access.get_reportable_question(request.user, question_id)
    return _report_page(request, targets.question_target(question))


@login_required
@require_http_methods(["GET", "POST"])
def report_entry(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """The report form for a journal entry the person can read and that its author shared with
    a circle or cohort (404 otherwise: an entry they cannot read, one shared with the author's
    coach only, private or deleted — also when that changed after the form was opened)."""
    entry = access.get_reportable_entry(request.user, entry_id)
    return _report_page(request, targets.entry_target(entry))


@login_required
@require_http_methods(["GET", "POST"])
def report_answer(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    """The report form for the written answer of an expert question the person can see (404
    otherwise, and for a question without a written answer)."""
    question = access.get_reportable_question(request.user, question_id)
    if not question.answer:
        raise Http404("No written answer")
    return _report_page(request, targets.question_target(question, answer=True))


def _report_page(request: HttpRequest, target: targets.Target) -> HttpResponse:
    """GET: the form, with the reported text quoted. POST: validate, report
    (`actions.report`), then "My reports"; a refused form or report is a 400 with the form."""
    form = ReportForm(request.POST if request.method == "POST" else None, noun=target.noun)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.report(
                target,
                reporter=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                anonymous_to_peers=form.cleaned_data["anonymous_to_peers"],
            )
        except actions.ModerationError as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                _("Thank you. The moderators will look at this %(noun)s.") % {"noun": target.noun},
            )
            return redirect("moderation:mine")
    invalid = request.method == "POST"
    return render(
        request,
        "moderation/report.html",
        {
            "post": target,
            "noun": target.noun,
            "form": form,
            "error": error,
            "place": target.place_label,
            "author_label": target.author_label(request.user),
            "body_html": target.body_html(),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_author(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    """Block the author of a post the person can see (404 otherwise): GET explains what
    blocking does, POST blocks (again: nothing changes) and returns to Settings."""
    post = access.get_reportable_post(request.user, post_id)
    error = ""
    if request.method == "POST":
        try:
            block, created = actions.block_author(post, blocker=request.user)  # type: ignore[arg-type]
        except actions.ModerationError as refused:
            error = str(refused)
        else:
            if created:
                messages.success(request, _("You blocked %(name)s.") % {"name": block.label()})
            else:
                messages.info(
                    request, _("You had already blocked %(name)s.") % {"name": block.label()}
                )
            return redirect("accounts:profile")
    return render(
        request,
        "moderation/block.html",
        {"post": post, "author_label": post.public_label, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def unblock(request: HttpRequest, block_id: uuid.UUID) -> HttpResponse:
    """Remove one of the person's own blocks (404 for anyone else's) and return to Settings."""
    block = access.get_own_block(request.user, block_id)
    actions.unblock(block)
    messages.success(request, _("You unblocked %(name)s.") % {"name": block.label()})
    return redirect("accounts:profile")


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports the person made, with where, why, what became of them and the moderators'
    note. Never shows who else reported, nor the moderator's name."""
    reports = list(access.reports_made_by(request.user))
    return render(
        request,
        "moderation/mine.html",
        {"reports": [(r, targets.target_of(r).place_label) for r in reports], "nav": "moderation"},
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The moderator's open reports (403 for people who moderate nothing): each with the
    reported post's text (that post only), where it is, why, and who reported it."""
    access.check_moderator(request.user)
    reports = list(access.moderation_queue(request.user))
    return render(
        request,
        "moderation/queue.html",
        {
            "items": [_item(r) for r in reports],
            "is_admin": access.can_read_audit_log(request.user),
            "nav": "moderation",
        },
    )


def _item(report: Report) -> dict[str, object]:
    """What a moderator sees of a report's text, whatever its kind (`moderation.targets`)."""
    target = targets.target_of(report)
    return {
        "report": report,
        "post": target,
        "noun": target.noun,
        "place": target.place_label,
        "author_label": target.author_label(None, moderator=True),
        "body_html": target.body_html(),
    }


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """One report a person moderates (404 otherwise), with the forms to hide the post, dismiss
    the report or show a hidden post again."""
    report = access.get_report_for_moderator(request.user, report_id)
    return _detail(request, report)


FORMS: dict[str, type[AboutTextForm]] = {
    "hide": HideForm,
    "dismiss": DismissForm,
    "unhide": UnhideForm,
}


def _detail(
    request: HttpRequest,
    report: Report,
    *,
    bound: tuple[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The report page, with a fresh form for each decision except `bound` (the name and form
    of a decision that was sent and refused, shown with its errors)."""
    noun = targets.target_of(report).noun
    decision_forms: dict[str, forms.Form] = {
        name: form_class(auto_id=f"{name}_%s", noun=noun) for name, form_class in FORMS.items()
    }
    if bound is not None:
        decision_forms[bound[0]] = bound[1]
    return render(
        request,
        "moderation/report_detail.html",
        {
            **_item(report),
            **{f"{name}_form": form for name, form in decision_forms.items()},
            "error": error,
            "nav": "moderation",
        },
        status=status,
    )


def _decide(
    request: HttpRequest,
    report_id: uuid.UUID,
    name: str,
    act: Callable[[Report, dict[str, str]], object],
    done: str,
) -> HttpResponse:
    """Load the report as its moderator (404 otherwise), validate the decision's form, call
    the action; a refused form or action shows the report page again with a 400."""
    report = access.get_report_for_moderator(request.user, report_id)
    form = FORMS[name](request.POST, auto_id=f"{name}_%s", noun=targets.target_of(report).noun)
    if not form.is_valid():
        return _detail(request, report, bound=(name, form), status=400)
    try:
        act(report, form.cleaned_data)
    except actions.ModerationError as refused:
        return _detail(request, report, bound=(name, form), error=str(refused), status=400)
    messages.success(request, done)
    if name == "unhide":  # stay on the report, now showing the post as visible again
        return redirect("moderation:report_detail", report_id=report.public_id)
    return redirect("moderation:queue")  # on to the next report


@login_required
@require_POST
def hide(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """Hide the reported post with a reason for its author (and a note for the reporter)."""
    return _decide(
        request,
        report_id,
        "hide",
        lambda report, data: actions.hide_reported_post(
            report,
            by=request.user,  # type: ignore[arg-type]
            reason=data["reason"],
            note=data["note"],
        ),
        _("It is hidden: its author sees your reason, the reporter your note."),
    )


@login_required
@require_POST
def dismiss(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """Close the report without action, with an optional note for the reporter."""
    return _decide(
        request,
        report_id,
        "dismiss",
        lambda report, data: actions.dismiss_report(
            report,
            by=request.user,  # type: ignore[arg-type]
            note=data["note"],
        ),
        _("The report is closed: the person who reported it sees your note."),
    )


@login_required
@require_POST
def unhide(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """Show the reported post again (a hide that was a mistake); logged."""
    return _decide(
        request,
        report_id,
        "unhide",
        lambda report, data: actions.unhide_reported_post(
            report,
            by=request.user,  # type: ignore[arg-type]
            reason=data["reason"],
        ),
        _("It is shown again."),
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The organisation's moderation audit log, newest first (403 for anyone but admins)."""
    entries = list(access.audit_log(request.user)[:AUDIT_PAGE_SIZE])
    return render(
        request,
        "moderation/log.html",
        {
            "entries": [(e, _place_of_entry(e)) for e in entries],
            "page_size": AUDIT_PAGE_SIZE,
            "nav": "moderation",
        },
    )


def _place_of_entry(entry: ModerationAction) -> str:
    """Where an audit log entry's text was (its post, question or journal entry), as the
    table cell's label (a capital first), or "" once it is gone."""
    if entry.post is not None:
        return targets.post_target(entry.post).place_label
    if entry.question is not None:
        return targets.question_target(entry.question).place_label
    if entry.entry is not None:
        return targets.capital_first(targets.entry_place(entry.entry))
    return ""
