"""Learner journey pages: This week, a week, the journey overview, an activity, and the writes a
learner makes from them. Thin: load through access, validate, call an action, render."""

import uuid

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts import actions
from cohorts.access import (
    CohortSeat,
    get_activity_in_seat,
    get_learner_seat,
    get_seat_for_user,
    get_session_in_seat,
)
from cohorts.forms import CompletionForm, MediaPositionForm
from cohorts.journey import (
    ActivityItem,
    Journey,
    focus_week_number,
    load_journey,
    overview_weeks,
    week_outline,
)
from cohorts.models import ActivityProgress
from cohorts.panels import activity_panel
from events.models import Verb
from programs.models import ActivityKind
from programs.outline import outline_of
from rapport.lib.calendar import session_invite
from rapport.lib.markdown import render_markdown
from rapport.lib.timezones import local_today


def _journey(request: HttpRequest, seat: CohortSeat, week_numbers: set[int] | None) -> Journey:
    today = local_today(request.user.time_zone)  # type: ignore[union-attr]
    return load_journey(seat, today=today, week_numbers=week_numbers)


@login_required
@require_GET
def this_week(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    seat = get_seat_for_user(request.user, cohort_id)  # type: ignore[arg-type]
    today = local_today(request.user.time_zone)  # type: ignore[union-attr]
    focus = focus_week_number(seat.cohort, today=today)
    journey = load_journey(seat, today=today, week_numbers={focus})
    return render(
        request,
        "cohorts/this_week.html",
        {"seat": seat, "journey": journey, "week": journey.week(focus), "nav": "this_week"},
    )


@login_required
@require_GET
def week_detail(request: HttpRequest, cohort_id: uuid.UUID, number: int) -> HttpResponse:
    seat = get_seat_for_user(request.user, cohort_id)  # type: ignore[arg-type]
    journey = _journey(request, seat, {number})
    week = journey.week(number)
    if week is None:
        raise Http404("No such week")
    return render(
        request,
        "cohorts/week.html",
        {"seat": seat, "journey": journey, "week": week, "nav": "journey"},
    )


@login_required
@require_GET
def journey_overview(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    seat = get_seat_for_user(request.user, cohort_id)  # type: ignore[arg-type]
    journey = _journey(request, seat, None)
    return render(
        request,
        "cohorts/journey.html",
        {"seat": seat, "journey": journey, "weeks": overview_weeks(journey), "nav": "journey"},
    )


@login_required
@require_GET
def activity_detail(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    seat = get_seat_for_user(request.user, cohort_id)  # type: ignore[arg-type]
    activity = get_activity_in_seat(seat, activity_id)
    progress: ActivityProgress | None = None
    if seat.is_learner:
        assert seat.enrollment is not None
        progress = actions.record_visit(seat.enrollment, activity=activity)
    siblings = week_outline(activity, outline_of(seat.cohort.program))
    index = next(i for i, a in enumerate(siblings) if a.pk == activity.pk)
    return render(
        request,
        "cohorts/activity.html",
        {
            "seat": seat,
            "activity": activity,
            "item": ActivityItem(
                activity=activity,
                progress=progress,
                session=get_session_in_seat(seat, activity),
            ),
            "body_html": render_markdown(activity.body),
            "competencies": activity.competencies,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "position": index + 1,
            "sibling_count": len(siblings),
            "nav": "journey",
            "now": timezone.now(),
            # What a higher app adds for this kind (the discussion prompt's thread), or None.
            "panel": activity_panel(request, seat, activity),
        },
    )


def _form_message(form: Form) -> str:
    """The form's problems as one sentence per field, for a 400 answer."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _bad_request(request: HttpRequest, form: Form) -> HttpResponse:
    """400 with what was wrong, for a request no page of ours sends (nothing was changed)."""
    return render(
        request,
        "error.html",
        {
            "status": 400,
            "title": _("That request did not make sense"),
            "message": _form_message(form),
        },
        status=400,
    )


@login_required
@require_POST
def activity_complete(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    seat = get_learner_seat(request.user, cohort_id)  # type: ignore[arg-type]
    activity = get_activity_in_seat(seat, activity_id)
    data = request.POST.copy()
    data.setdefault("completed", "1")  # the "Mark as done" button's meaning when it is absent
    form = CompletionForm(data)
    if not form.is_valid():
        return _bad_request(request, form)
    assert seat.enrollment is not None
    progress = actions.set_completed(
        seat.enrollment, activity=activity, completed=form.cleaned_data["completed"]
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "cohorts/_completion.html",
            {"seat": seat, "item": ActivityItem(activity=activity, progress=progress)},
        )
    return HttpResponseRedirect(
        reverse("cohorts:activity", args=[seat.cohort.public_id, activity.public_id])
    )


# `ended` saves the final position like any progress, then records the completion itself.
_POSITION_VERBS = {
    "play": Verb.PLAYED,
    "pause": Verb.PAUSED,
    "progress": Verb.PROGRESSED,
    "ended": Verb.PROGRESSED,
}


@login_required
@require_POST
def media_position(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    seat = get_learner_seat(request.user, cohort_id)  # type: ignore[arg-type]
    activity = get_activity_in_seat(seat, activity_id)
    if not activity.is_media:
        return JsonResponse({"error": "This activity has no video or audio."}, status=400)
    form = MediaPositionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _form_message(form), "fields": form.errors}, status=400)
    assert seat.enrollment is not None
    progress = actions.save_media_position(
        seat.enrollment,
        activity=activity,
        position=form.cleaned_data["position"],
        verb=_POSITION_VERBS[form.cleaned_data["event"]],
        length=form.cleaned_data["length"],
    )
    if form.cleaned_data["event"] == "ended":  # watched or listened to the end: done
        progress = actions.set_completed(
            seat.enrollment,
            activity=activity,
            position=form.cleaned_data["position"],
            length=form.cleaned_data["length"],
        )
    return JsonResponse({"position": progress.position_seconds, "completed": progress.is_completed})


@login_required
@require_GET
def activity_launch(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    """Open an external e-learning module (recorded as `launched`). Only ever redirects to the
    URL the programme designer set, so it cannot be used as an open redirect."""
    seat = get_seat_for_user(request.user, cohort_id)  # type: ignore[arg-type]
    activity = get_activity_in_seat(seat, activity_id)
    if activity.kind != ActivityKind.ELEARNING or not activity.external_url:
        raise Http404("This activity has no external module")
    if seat.is_learner:
        assert seat.enrollment is not None
        actions.record_visit(seat.enrollment, activity=activity, verb=Verb.LAUNCHED)
    return redirect(activity.external_url)


@login_required
@require_GET
def activity_invite(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    """The cohort's own session as an iCalendar file. Its UID is stable for the session and its
    SEQUENCE grows when the time changes, so importing it again updates the calendar entry."""
    seat = get_seat_for_user(request.user, cohort_id)  # type: ignore[arg-type]
    activity = get_activity_in_seat(seat, activity_id)
    session = get_session_in_seat(seat, activity)
    if session is None:
        raise Http404("This activity is not a live session")
    if seat.is_learner:
        assert seat.enrollment is not None
        actions.record_visit(seat.enrollment, activity=activity, verb=Verb.DOWNLOADED)
    page = request.build_absolute_uri(
        reverse("cohorts:activity", args=[seat.cohort.public_id, activity.public_id])
    )
    ics = session_invite(
        uid=session.ical_uid,
        sequence=session.sequence,
        last_modified=session.updated_at,
        title=activity.title,
        description=f"{activity.summary}\n\n{page}".strip(),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        url=session.join_url,
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rapport-live-session.ics"'
    return response
