"""Circle pages: a cohort's circles for its people, the admin's forming and review page (form,
move, publish) and each circle's own page.

Thin: load through circles.access (404 for what a person may not see, 403 for what they may
see but not change), validate with a form, call circles.actions, render or redirect.
"""

import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from circles import actions, panels
from circles.access import (
    circles_i_see,
    circles_of_cohort,
    formation_of,
    get_circle_for_user,
    get_circle_named,
    get_cohort_for_circles,
    is_circles_admin,
    members_of,
)
from circles.forms import FormCirclesForm, MoveForm
from circles.prompts import check_in_prompt
from circles.roster import MixAttribute, load_people, review
from cohorts.access import get_seat_for_user
from rapport.lib.timezones import get_zone

CIRCLES_PER_PAGE = 30


@login_required
@require_GET
def cohort_circles(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """The cohort's circles as the person sees them: a learner in a circle goes straight to it;
    a coach sees the circles they coach; an admin sees every circle and the way to manage
    them; anyone else with a seat learns that there is no circle for them yet."""
    user: Any = request.user
    seat = get_seat_for_user(user, cohort_id)
    circles = circles_of_cohort(user, seat.cohort)
    if seat.is_learner and len(circles) == 1:
        return redirect("circles:detail", circle_id=circles[0].public_id)
    return render(
        request,
        "circles/cohort.html",
        {
            "seat": seat,
            "circles": circles,
            "can_manage": is_circles_admin(user, seat.cohort.organization_id),
            "nav": "circles",
        },
    )


@login_required
@require_GET
def my_circles(request: HttpRequest) -> HttpResponse:
    """ "Circles" in a coach's header: the circles they see across their cohorts (those they
    coach first-hand marked), grouped by cohort, each linked to its page."""
    user: Any = request.user
    circles = circles_i_see(user)
    cohorts: dict[int, dict[str, Any]] = {}
    for circle in circles:
        cohorts.setdefault(circle.cohort_id, {"cohort": circle.cohort, "circles": []})
        cohorts[circle.cohort_id]["circles"].append(circle)
    return render(
        request,
        "circles/mine.html",
        {"cohorts": list(cohorts.values()), "nav": "circles"},
    )


def _manage_page(
    request: HttpRequest, cohort: Any, form: FormCirclesForm | None = None, status: int = 200
) -> HttpResponse:
    record = formation_of(request.user, cohort)
    mix = record.mix_attributes if record else MixAttribute.NAMES[:2]
    context: dict[str, Any] = {
        "cohort": cohort,
        "record": record,
        "form": form or FormCirclesForm(initial={"mix": list(mix)}),
        "mix_labels": dict(MixAttribute.CHOICES),
        "nav": "circles",
    }
    if record is not None:
        report = review(cohort, mix)
        context.update(
            report=report,
            page=Paginator(report.circles, CIRCLES_PER_PAGE).get_page(request.GET.get("page")),
        )
    return render(request, "circles/manage.html", context, status=status)


@login_required
@require_GET
def manage(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """The admin's page: the form to form circles, then the proposal (circles with their
    members, each circle's rule check, the score against its bound, who is in no circle and
    why, a move form per person) and the button to publish."""
    cohort = get_cohort_for_circles(request.user, cohort_id)
    return _manage_page(request, cohort)


@login_required
@require_POST
def form_circles(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """Form the cohort's draft circles on the chosen attributes (400 with the form's message
    for a bad choice; nothing changes)."""
    user: Any = request.user
    cohort = get_cohort_for_circles(user, cohort_id)
    form = FormCirclesForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, cohort, form=form, status=400)
    try:
        result = actions.form_draft(cohort, mix=form.cleaned_data["mix"], by=user)
    except actions.CircleError as error:
        messages.error(request, str(error))
        return redirect("circles:manage", cohort_id=cohort.public_id)
    messages.success(
        request,
        _("Formed %(n)d draft circles. Review them, move people if you wish, then publish.")
        % {"n": len(result.circles)},
    )
    if result.unplaced:
        messages.warning(
            request,
            _("%(n)d people could not be placed: the list below says why.")
            % {"n": len(result.unplaced)},
        )
    return redirect("circles:manage", cohort_id=cohort.public_id)


@login_required
@require_POST
def move(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """Move one learner of the cohort to one of its circles, then say what (if anything) the
    circles they left and joined now break. Bad input: a message, nothing changed."""
    user: Any = request.user
    cohort = get_cohort_for_circles(user, cohort_id)
    form = MoveForm(request.POST)
    person = target = None
    people = load_people(cohort)
    if form.is_valid():
        by_public_id = {p.user.public_id: p for p in people.values()}
        person = by_public_id.get(form.cleaned_data["person"])
        target = get_circle_named(user, cohort, form.cleaned_data["circle"])
        if person is None:
            form.add_error("person", _("This person is not a learner of this cohort."))
        if target is None:
            form.add_error("circle", _("There is no such circle in this cohort."))
    if person is None or target is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("circles:manage", cohort_id=cohort.public_id)
    try:
        problems = actions.move_person(cohort, person=person, to=target, by=user, people=people)
    except actions.CircleError as error:
        messages.error(request, str(error))
        return redirect("circles:manage", cohort_id=cohort.public_id)
    messages.success(
        request,
        _("%(name)s is now in %(circle)s.")
        % {"name": person.user.full_name, "circle": target.name},
    )
    for problem in problems:
        messages.warning(request, problem)
    return redirect("circles:manage", cohort_id=cohort.public_id)


@login_required
@require_POST
def publish(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """Publish the cohort's draft circles (refused, with the reason, while a circle breaks a
    rule)."""
    user: Any = request.user
    cohort = get_cohort_for_circles(user, cohort_id)
    try:
        count = actions.publish(cohort, by=user, people=load_people(cohort))
    except actions.CircleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Published %(n)d circles: their members and coaches can see them now.")
            % {"n": count},
        )
    return redirect("circles:manage", cohort_id=cohort.public_id)


def local_time(now: datetime, zone_name: str) -> dict[str, Any]:
    """A person's local time now and whether it is inside their working hours (09:00-17:00,
    Monday to Friday, the hours circles are formed on)."""
    local = now.astimezone(get_zone(zone_name))
    working = local.weekday() < 5 and 9 <= local.hour < 17
    return {"local": local, "working": working}


@login_required
@require_GET
def detail(request: HttpRequest, circle_id: uuid.UUID) -> HttpResponse:
    """A circle's page: its members with their local time now, its coach, this week's check-in
    prompt and what other apps add (the conversation, through circles.panels)."""
    user: Any = request.user
    circle = get_circle_for_user(user, circle_id)
    now = timezone.now()
    members = [
        {
            "user": member.user,
            "membership": member.user.membership,
            **local_time(now, member.user.time_zone),
        }
        for member in members_of(user, circle)
    ]
    week = circle.cohort.week_number_on(now.astimezone(get_zone(user.time_zone)).date())
    return render(
        request,
        "circles/detail.html",
        {
            "circle": circle,
            "members": members,
            "coach": {"user": circle.coach, **local_time(now, circle.coach.time_zone)}
            if circle.coach
            else None,
            "week": week,
            "prompt": check_in_prompt(week),
            "panels": panels.render_panels(request, circle),
            "can_manage": is_circles_admin(user, circle.organization_id),
            "nav": "circles",
        },
    )
