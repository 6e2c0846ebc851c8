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
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import actions
from assessments.access import (
    answer_of_writer,
    behaviour_choices,
    behaviours_of,
    chosen_peers,
    circle_peers_of,
    feedback_asked_of,
    feedback_peers_of,
    feedback_requests_of,
    feedback_shared_with,
    get_answer_for_writer,
    get_own_request,
    get_own_seat,
    get_request_for_user,
    get_task,
    is_reader_of,
    learner_seats_of,
    open_requests_of,
    peers_asked_by,
    peers_to_ask,
    rounds_of,
    search_peers,
    tasks_of,
)
from assessments.charts import activity_chart, competency_chart
from assessments.forms import (
    FeedbackAnswerForm,
    FeedbackRequestForm,
    InvitePeersForm,
    RatingForm,
    ShareForm,
)
from assessments.models import (
    MAX_FEEDBACK_PEERS,
    MAX_OPEN_REQUESTS,
    PEER_MIN_RATERS,
    SCALE,
    FeedbackState,
)
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


# -- Feedback between rounds ------------------------------------------------------------------


@login_required
@require_GET
def feedback(request: HttpRequest) -> HttpResponse:
    """Feedback between rounds: what the person has been asked for (waiting first), their own
    requests with who answered, and (a coach) what their learners shared with them. At most
    seven queries whatever the numbers."""
    user: Any = request.user
    seats = learner_seats_of(user)
    return render(
        request,
        "assessments/feedback.html",
        {
            "seats": seats,
            "mine": feedback_requests_of(user),
            "asked": feedback_asked_of(user),
            "shared": feedback_shared_with(user),
            "nav": "growth",
        },
    )


def _ask_page(
    request: HttpRequest,
    seat: Any,
    form: FeedbackRequestForm,
    *,
    results: list[Any] | None = None,
    searched: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The request form. The peers offered are the ones already ticked (kept from what was
    posted), the learner's circle, and the results of a name search: never the whole cohort."""
    user: Any = request.user
    posted = request.POST.getlist("peers") if request.method == "POST" else []
    ticked = chosen_peers(seat, posted)
    offered: dict[int, Any] = {}
    for group in (ticked, circle_peers_of(seat, user)):
        for peer in group:
            offered.setdefault(peer.pk, peer)
    # The search's own count speaks of the names it adds, not those already listed above.
    added = [peer for peer in results or [] if peer.pk not in offered]
    for peer in added:
        offered[peer.pk] = peer
    return render(
        request,
        "assessments/feedback_ask.html",
        {
            "seat": seat,
            "form": form,
            "offered": list(offered.values()),
            "ticked": {str(p.public_id) for p in ticked},
            "results": results or [],
            "added": added,
            "searched": searched,
            "max_peers": MAX_FEEDBACK_PEERS,
            "open_requests": open_requests_of(seat, user),
            "max_open": MAX_OPEN_REQUESTS,
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_ask(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    """Ask peers of one's own cohort (and one's coach) for feedback on one moment: one's own
    seat only (404 otherwise). "Find" searches the cohort by name and shows the form again
    with everything typed and ticked. A peer outside the cohort, oneself, too many peers, a
    date in the past, an empty focus: 400 with the page, what was typed kept, nobody asked."""
    user: Any = request.user
    seat = get_own_seat(user, seat_id)
    today = _today(request)

    def make_form(*args: Any, **kwargs: Any) -> FeedbackRequestForm:
        return FeedbackRequestForm(
            *args,
            behaviours=behaviour_choices(user),
            peers=feedback_peers_of(seat),
            coach_name=seat.coach.full_name if seat.coach is not None else None,
            today=today,
            **kwargs,
        )

    if request.method == "GET":
        return _ask_page(request, seat, make_form())
    if "find" in request.POST:
        # Show the form again, unvalidated (no error for what is not filled in yet), with
        # what was typed as its initial values and the people found.
        query = request.POST.get("q", "")[:100]
        initial: dict[str, Any] = {
            name: request.POST.get(name, "") for name in ("focus", "behaviour", "due_on", "q")
        }
        initial["ask_coach"] = bool(request.POST.get("ask_coach"))
        return _ask_page(
            request,
            seat,
            make_form(initial=initial),
            results=search_peers(seat, query),
            searched=True,
        )
    form = make_form(request.POST)
    results = search_peers(seat, request.POST.get("q", "")[:100])
    if not form.is_valid():
        return _ask_page(request, seat, form, results=results, status=400)
    try:
        made = actions.request_feedback(
            user,
            seat=seat,
            focus=form.cleaned_data["focus"],
            behaviour=form.cleaned_data["behaviour"],
            peers=list(form.cleaned_data["peers"]),
            ask_coach=bool(form.cleaned_data.get("ask_coach")),
            due_on=form.cleaned_data["due_on"],
            today=today,
        )
    except actions.AlreadyAsked as resent:
        # The same request sent again (Back, then Send): nobody is asked twice; the learner
        # is taken to the request already on its way.
        messages.info(request, str(resent))
        return redirect("assessments:feedback_request", feedback_id=resent.request.public_id)
    except actions.AssessmentRefused as refusal:
        form.add_error(None, str(refusal))
        return _ask_page(request, seat, form, results=results, status=400)
    messages.success(
        request,
        _("Your request is on its way. You will hear when someone answers."),
    )
    return redirect("assessments:feedback_request", feedback_id=made.public_id)


@login_required
@require_GET
def feedback_request(request: HttpRequest, feedback_id: uuid.UUID) -> HttpResponse:
    """One request with everyone asked, their state and their answers by name: for the learner
    who asked, and for their coach while it is shared with them (read only). Someone asked in
    it is sent to their own answer page; anyone else gets 404."""
    user: Any = request.user
    found = get_request_for_user(user, feedback_id)
    if not is_reader_of(found, user):
        own = answer_of_writer(found, user)
        if own is None:  # pragma: no cover - visible_to admits readers and writers only
            raise Http404("No such request")
        return redirect("assessments:feedback_answer", answer_id=own.public_id)
    return render(
        request,
        "assessments/feedback_request.html",
        {
            "req": found,
            "is_learner": found.seat.user_id == user.pk,
            "answers": found.visible_answers,  # type: ignore[attr-defined]
            "nav": "growth",
        },
    )


@login_required
@require_POST
def feedback_share(request: HttpRequest, feedback_id: uuid.UUID) -> HttpResponse:
    """Share a request and its answers with one's coach, or stop: the learner's own request
    (404 for one the person cannot see, 403 for one they see but did not make). Anything but
    `shared` = 1 or 0: 400, nothing changed."""
    user: Any = request.user
    found = get_own_request(user, feedback_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Choose 1 (share) or 0 (stop sharing)."), status=400, content_type="text/plain"
        )
    try:
        actions.share_feedback_with_coach(user, request=found, shared=form.cleaned_data["shared"])
    except actions.AssessmentRefused as refusal:
        return HttpResponse(str(refusal), status=400, content_type="text/plain")
    if found.shared_with_coach:
        messages.success(request, _("Shared with your coach. You can stop sharing at any time."))
    else:
        messages.success(request, _("Your coach no longer sees this request."))
    return redirect("assessments:feedback_request", feedback_id=found.public_id)


@login_required
@require_POST
def feedback_close(request: HttpRequest, feedback_id: uuid.UUID) -> HttpResponse:
    """Close (withdraw) one's own request: nothing more can be answered; the answers given
    stay. 404 / 403 as `feedback_share`. Closing a closed request changes nothing."""
    user: Any = request.user
    found = get_own_request(user, feedback_id)
    if actions.close_feedback_request(user, request=found):
        messages.success(request, _("Request closed. The answers you had stay here."))
    return redirect("assessments:feedback_request", feedback_id=found.public_id)


def _answer_page(
    request: HttpRequest,
    answer: Any,
    form: FeedbackAnswerForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/feedback_answer.html",
        {
            "answer": answer,
            "req": answer.request,
            "learner": answer.request.seat.user,
            "coach": answer.request.seat.coach,
            "form": form,
            "error": error,
            "can_answer": answer.state == FeedbackState.WAITING and answer.request.is_open,
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_answer(request: HttpRequest, answer_id: uuid.UUID) -> HttpResponse:
    """Answer a request asked of oneself: a strength and a growth edge as situation,
    behaviour, impact. The page says who will read it. 404 for a request one cannot see, 403
    for one asked of someone else. A missing or over-long part, a second submission, a
    request withdrawn or closed: 400 with the page, everything typed kept, nothing written."""
    user: Any = request.user
    answer = get_answer_for_writer(user, answer_id)
    if request.method == "GET":
        return _answer_page(request, answer, FeedbackAnswerForm())
    form = FeedbackAnswerForm(request.POST)
    if not form.is_valid():
        return _answer_page(request, answer, form, status=400)
    try:
        actions.give_feedback(user, answer=answer, comments=form.comments())
    except actions.AssessmentRefused as refusal:
        answer.refresh_from_db(fields=["state"])
        answer.request.refresh_from_db(fields=["closed_at"])
        return _answer_page(request, answer, form, error=str(refusal), status=400)
    messages.success(
        request,
        _("Thank you: %(name)s can read your feedback now.")
        % {"name": answer.request.seat.user.get_short_name()},
    )
    return redirect("assessments:feedback")


@login_required
@require_POST
def feedback_decline(request: HttpRequest, answer_id: uuid.UUID) -> HttpResponse:
    """Decline a request asked of oneself (no reason asked). 404 / 403 as `feedback_answer`;
    one answered, declined or closed already: 400 with the page, nothing changed."""
    user: Any = request.user
    answer = get_answer_for_writer(user, answer_id)
    try:
        actions.decline_feedback(user, answer=answer)
    except actions.AssessmentRefused as refusal:
        answer.refresh_from_db(fields=["state"])
        answer.request.refresh_from_db(fields=["closed_at"])
        return _answer_page(request, answer, FeedbackAnswerForm(), error=str(refusal), status=400)
    messages.success(
        request,
        _("Declined. %(name)s will see that you could not answer this time.")
        % {"name": answer.request.seat.user.get_short_name()},
    )
    return redirect("assessments:feedback")
