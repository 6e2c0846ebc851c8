"""Matching learners with coaches (`/matching/`): for an organisation's admins, a cohort's
seats with their coaches (assign by hand), Rapport's proposal for the whole cohort (review,
edit, publish), coaches' profiles and the change-of-coach requests; for a learner, their coach
and a way to ask for another without giving a reason, and their own matching preferences.

Thin: load through coaching.access (404 for what a person may not see, 403 for what they may
see but not change), validate with a form, call coaching.actions, render or redirect.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import actions
from coaching.access import (
    change_requests_of,
    coaches_of_organisation,
    cohort_seats_for_admin,
    competencies_of,
    get_change_request_for_admin,
    get_coach_for_admin,
    get_cohort_for_admin,
    get_match_profile,
    get_own_coached_seat,
    get_proposal_for_admin,
    get_proposal_row,
    get_seat_for_admin,
    open_change_requests,
    own_coached_seats,
    proposal_rows,
    proposals_of,
    require_admin,
)
from coaching.caseload_forms import CoachChoiceForm, MatchProfileForm
from coaching.models import CoachChangeStatus, ProposalState
from cohorts.models import Cohort
from rapport import policy

BAD_REQUEST = 400


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The admin's starting point: cohorts to match, coaches and their profiles, requests."""
    user: Any = request.user
    require_admin(user)
    return render(
        request,
        "coaching/matching_index.html",
        {
            "cohorts": list(Cohort.objects.visible_to(user).select_related("program")),
            "coaches": coaches_of_organisation(user),
            "open_requests": len(open_change_requests(user)),
            "nav": "home",
        },
    )


def _cohort_page(
    request: HttpRequest,
    cohort: Cohort,
    *,
    errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    coaches = actions.cohort_coaches(cohort)
    seats = cohort_seats_for_admin(user, cohort)
    return render(
        request,
        "coaching/matching_cohort.html",
        {
            "cohort": cohort,
            "seats": seats,
            "coaches": coaches,
            "without_coach": sum(1 for seat in seats if seat.coach_id is None),
            "proposals": proposals_of(user, cohort),
            "errors": errors or {},
            "nav": "home",
        },
        status=status,
    )


@login_required
@require_GET
def cohort(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """A cohort's learners and their coaches, each with a choice to assign by hand."""
    return _cohort_page(request, get_cohort_for_admin(request.user, cohort_id))


@login_required
@require_POST
def assign(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    """An admin assigns a coach (or none) to one seat; a refused choice re-renders the
    cohort's page with the message beside that seat (400), nothing changed."""
    user: Any = request.user
    seat = get_seat_for_admin(user, seat_id)
    form = CoachChoiceForm(request.POST, coaches=actions.cohort_coaches(seat.cohort))
    error = ""
    if form.is_valid():
        try:
            changed = actions.assign_coach(user, seat=seat, coach=form.cleaned_data["coach"])
        except actions.MatchRefused as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("%(name)s's coach is saved.") % {"name": seat.user.full_name}
                if changed
                else _("Nothing changed."),
            )
            return redirect("matching:cohort", cohort_id=seat.cohort.public_id)
    else:
        error = " ".join(str(e) for e in form.errors.get("coach", [])) or _("Choose a coach.")
    return _cohort_page(request, seat.cohort, errors={seat.pk: error}, status=BAD_REQUEST)


@login_required
@require_POST
def propose(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """Rapport proposes a coach for every learner of the cohort; the admin reviews it next."""
    user: Any = request.user
    found = get_cohort_for_admin(user, cohort_id)
    proposal = actions.propose_matches(user, cohort=found)
    return redirect("matching:proposal", proposal_id=proposal.public_id)


def _proposal_page(
    request: HttpRequest,
    proposal: Any,
    *,
    errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    rows = proposal_rows(user, proposal)
    return render(
        request,
        "coaching/matching_proposal.html",
        {
            "proposal": proposal,
            "cohort": proposal.cohort,
            "rows": rows,
            "coaches": actions.cohort_coaches(proposal.cohort),
            "moved": sum(1 for row in rows if row.proposed_coach_id and row.moves),
            "unmatched": sum(1 for row in rows if row.proposed_coach_id is None),
            "draft": proposal.state == ProposalState.DRAFT,
            "errors": errors or {},
            "nav": "home",
        },
        status=status,
    )


@login_required
@require_GET
def proposal(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """A proposal to review: each learner's proposed coach, the score and why, who moves."""
    return _proposal_page(request, get_proposal_for_admin(request.user, proposal_id))


@login_required
@require_POST
def proposal_row(request: HttpRequest, proposal_id: uuid.UUID, seat_id: uuid.UUID) -> HttpResponse:
    """The admin changes one learner's proposed coach (or none) in a draft."""
    user: Any = request.user
    found = get_proposal_for_admin(user, proposal_id)
    row = get_proposal_row(user, found, seat_id)
    form = CoachChoiceForm(request.POST, coaches=actions.cohort_coaches(found.cohort))
    error = ""
    if form.is_valid():
        try:
            actions.set_proposed_coach(
                user, proposal=found, row=row, coach=form.cleaned_data["coach"]
            )
        except actions.MatchRefused as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Changed in the proposal. Publish it when it is right."))
            return redirect("matching:proposal", proposal_id=found.public_id)
    else:
        error = " ".join(str(e) for e in form.errors.get("coach", [])) or _("Choose a coach.")
    return _proposal_page(request, found, errors={row.pk: error}, status=BAD_REQUEST)


@login_required
@require_POST
def publish(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """Publish a draft proposal in one transaction (a second click is a message, no change)."""
    user: Any = request.user
    found = get_proposal_for_admin(user, proposal_id)
    try:
        changed = actions.publish_proposal(user, proposal=found)
    except actions.MatchRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("matching:proposal", proposal_id=found.public_id)
    messages.success(
        request,
        _("Published: %(n)d learners have a new coach; they and their coaches are told.")
        % {"n": changed},
    )
    return redirect("matching:cohort", cohort_id=found.cohort.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def coach_profile(request: HttpRequest, coach_id: uuid.UUID) -> HttpResponse:
    """An admin sets what matching knows of a coach: languages, focus, learners at most."""
    user: Any = request.user
    coach = get_coach_for_admin(user, coach_id)
    profile = get_match_profile(user, coach)
    competencies = competencies_of(user)
    initial = {
        "languages": profile.languages if profile else "",
        "competencies": list(profile.competencies.all()) if profile else [],
        "capacity": profile.capacity if profile else 12,
    }
    form = MatchProfileForm(
        request.POST or None, initial=initial, competencies=competencies, with_capacity=True
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            actions.save_match_profile(
                coach,
                languages=data["languages"],
                competencies=data["competencies"],
                capacity=data["capacity"],
            )
            messages.success(request, _("Saved. New proposals use it."))
            return redirect("matching:index")
        status = BAD_REQUEST
    return render(
        request,
        "coaching/matching_profile.html",
        {"form": form, "person": coach, "for_admin": True, "nav": "home"},
        status=status,
    )


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Open change-of-coach requests, oldest first, each with a choice of another coach."""
    user: Any = request.user
    require_admin(user)
    found = open_change_requests(user)
    forms_by = {
        change.pk: CoachChoiceForm(
            coaches=[
                c
                for c in actions.cohort_coaches(change.enrollment.cohort)
                if c.pk != change.enrollment.coach_id
            ],
            none_label=_("Keep the present coach"),
            auto_id=f"request-{change.public_id}-%s",
        )
        for change in found
    }
    return render(
        request,
        "coaching/matching_requests.html",
        {"requests": [(change, forms_by[change.pk]) for change in found], "nav": "home"},
    )


@login_required
@require_POST
def resolve(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Resolve one request: another coach, or keep the present one (a refusal is a message)."""
    user: Any = request.user
    change = get_change_request_for_admin(user, request_id)
    coaches = [
        c
        for c in actions.cohort_coaches(change.enrollment.cohort)
        if c.pk != change.enrollment.coach_id
    ]
    form = CoachChoiceForm(request.POST, coaches=coaches)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("coach", [])))
        return redirect("matching:requests")
    try:
        actions.resolve_change_request(user, change=change, coach=form.cleaned_data["coach"])
    except actions.MatchRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("matching:requests")
    messages.success(request, _("Resolved. The learner sees it on their page."))
    return redirect("matching:requests")


@login_required
@require_GET
def my_coach(request: HttpRequest) -> HttpResponse:
    """The learner's coaches, seat by seat, each with "ask for another coach" and the state
    of their own requests. No reason is asked; the coach is never told."""
    user: Any = request.user
    seats = own_coached_seats(user)
    mine = change_requests_of(user)
    open_by_seat = {r.enrollment_id for r in mine if r.status == CoachChangeStatus.OPEN}
    return render(
        request,
        "coaching/my_coach.html",
        {"seats": seats, "open_by_seat": open_by_seat, "requests": mine, "nav": "sessions"},
    )


@login_required
@require_POST
def ask_for_change(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    """Ask for another coach for one of the person's own seats (404 for any other seat)."""
    user: Any = request.user
    seat = get_own_coached_seat(user, seat_id)
    try:
        _found, created = actions.request_coach_change(user, seat=seat)
    except actions.MatchRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("matching:my_coach")
    messages.success(
        request,
        _("Your request went to your organisation's admins. Your coach is not told.")
        if created
        else _("You asked already; an admin will get back to you."),
    )
    return redirect("matching:my_coach")


@login_required
@require_http_methods(["GET", "POST"])
def my_preferences(request: HttpRequest) -> HttpResponse:
    """The person's own matching preferences: languages and focus competencies."""
    user: Any = request.user
    if policy.membership_of(user) is None:
        raise Http404("Matching preferences belong to members of an organisation")
    profile = get_match_profile(user, user)
    initial = {
        "languages": profile.languages if profile else "",
        "competencies": list(profile.competencies.all()) if profile else [],
    }
    form = MatchProfileForm(
        request.POST or None,
        initial=initial,
        competencies=competencies_of(user),
        with_capacity=False,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actions.save_match_profile(
                user,
                languages=form.cleaned_data["languages"],
                competencies=form.cleaned_data["competencies"],
            )
            messages.success(
                request, _("Saved. Your organisation's admins use it to match coaches.")
            )
            return redirect("matching:my_coach")
        status = BAD_REQUEST
    return render(
        request,
        "coaching/matching_profile.html",
        {"form": form, "person": user, "for_admin": False, "nav": "sessions"},
        status=status,
    )
