"""Assessment pages: Assessments (what I may answer, the peers I asked, my rounds), asking peers,
the rating form, and My growth over time.

Thin: load through assessments.access (404 for what a person may not see or answer), validate
with a form, call assessments.actions, render or redirect. Every form says who will see the
answer and whether the learner will know who wrote it.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import actions
from assessments.access import (
    behaviours_of,
    get_own_seat,
    get_task,
    learner_seats_of,
    peers_asked_by,
    peers_to_ask,
    rounds_of,
    tasks_of,
)
from assessments.charts import activity_chart, competency_chart
from assessments.forms import InvitePeersForm, RatingForm
from assessments.models import PEER_MIN_RATERS, SCALE
from assessments.report import growth_report
from rapport.lib.timezones import local_today


def _today(request: HttpRequest) -> Any:
    return local_today(request.user.time_zone)  # type: ignore[union-attr]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """What the person may answer today (themself, peers who asked them, learners they coach),
    and for each of their learner seats the cohort's rounds and the peers they asked. A fixed
    number of queries."""
    user: Any = request.user
    today = _today(request)
    seats = learner_seats_of(user)
    rounds = rounds_of([s.cohort_id for s in seats], user)
    sections = [
        {
            "seat": seat,
            "rounds": [r for r in rounds if r.cohort_id == seat.cohort_id],
            "asked": [],
        }
        for seat in seats
    ]
    if seats:
        # The newest seat's peers (one query); an older seat's are on its own peers page.
        sections[0]["asked"] = peers_asked_by(seats[0], user)
    return render(
        request,
        "assessments/index.html",
        {
            "tasks": tasks_of(user, today=today),
            "sections": sections,
            "today": today,
            "min_raters": PEER_MIN_RATERS,
            "nav": "growth",
        },
    )


def _peers_page(
    request: HttpRequest, seat: Any, form: InvitePeersForm | None = None, *, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    asked = peers_asked_by(seat, user)
    if form is None:
        form = InvitePeersForm(choices=peers_to_ask(seat, user), already=len(asked))
    return render(
        request,
        "assessments/peers.html",
        {
            "seat": seat,
            "asked": asked,
            "form": form,
            "min_raters": PEER_MIN_RATERS,
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def peers(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    """Ask peers of one's own cohort to rate one (their own seat only: 404 otherwise). A peer
    outside the cohort, someone asked already or too many peers: 400 with the page and a
    message, nobody asked."""
    user: Any = request.user
    seat = get_own_seat(user, seat_id)
    if request.method == "GET":
        return _peers_page(request, seat)
    asked = peers_asked_by(seat, user)
    form = InvitePeersForm(request.POST, choices=peers_to_ask(seat, user), already=len(asked))
    if not form.is_valid():
        return _peers_page(request, seat, form, status=400)
    today = _today(request)
    current = next(
        (r for r in rounds_of([seat.cohort_id], user) if r.opens_on <= today <= r.closes_on),
        None,
    )
    try:
        made = actions.invite_peers(
            user,
            seat=seat,
            peers=list(form.cleaned_data["peers"]),
            already=len(asked),
            current_round=current,
        )
    except actions.AssessmentRefused as refusal:
        form.add_error("peers", str(refusal))
        return _peers_page(request, seat, form, status=400)
    messages.success(
        request,
        _("Asked %(n)d peers. They will find your request under Assessments.") % {"n": len(made)},
    )
    return redirect("assessments:peers", seat_id=seat.public_id)


def _rate_page(
    request: HttpRequest, task: Any, form: RatingForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    today = _today(request)
    return render(
        request,
        "assessments/rate.html",
        {
            "task": task,
            "form": form,
            "scale": SCALE,
            "error": error,
            "is_open": task.round.is_open_on(today),
            "not_yet": today < task.round.opens_on,
            "min_raters": PEER_MIN_RATERS,
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, round_id: uuid.UUID, seat_id: uuid.UUID) -> HttpResponse:
    """Rate a learner (oneself, a peer who asked, a learner one coaches) in one round: 404 for
    anyone else. A rating off the scale, a missing answer, a closed round or a second
    submission: 400 with the page, what was typed kept, nothing written."""
    user: Any = request.user
    today = _today(request)
    task = get_task(user, round_id, seat_id, today=today)
    behaviours = behaviours_of(user)
    with_comments = not task.is_self
    if request.method == "GET":
        return _rate_page(
            request, task, RatingForm(behaviours=behaviours, with_comments=with_comments)
        )
    form = RatingForm(request.POST, behaviours=behaviours, with_comments=with_comments)
    if not form.is_valid():
        return _rate_page(request, task, form, status=400)
    try:
        actions.submit_response(
            user,
            task=task,
            scores=form.scores(),
            behaviours=behaviours,
            comments=form.comments(),
            today=today,
        )
    except actions.AssessmentRefused as refusal:
        return _rate_page(request, task, form, error=str(refusal), status=400)
    messages.success(request, _("Thank you: your answers are saved."))
    return redirect("assessments:index")


@login_required
@require_GET
def growth(request: HttpRequest) -> HttpResponse:
    """My growth over time: per behaviour and round, me, my peers (as a group, under the rules
    of assessments.report) and my coach, a chart per competency with its table, what peers and
    my coach observed, and my activity and streak. A fixed number of queries."""
    user: Any = request.user
    reports = growth_report(user, today=_today(request))
    charts = [
        {
            "report": report,
            "competencies": [
                (block, competency_chart(block, report.columns)) for block in report.competencies
            ],
            "activity": activity_chart(report.weeks) if report.weeks else None,
        }
        for report in reports
    ]
    return render(
        request,
        "assessments/growth.html",
        {"charts": charts, "min_raters": PEER_MIN_RATERS, "scale": SCALE, "nav": "growth"},
    )
