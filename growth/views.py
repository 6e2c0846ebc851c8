"""Growth pages: My growth (what's in it for me, behaviour picks, goals), the leadership model,
mindset (beliefs, principles, routines and their check-ins), team charters, difficult
conversations (planner and debrief), the emotion and energy check-in with the person's own
trend, and the admin's organisation trends (aggregates only).

Thin: load through growth.access (another person's row is a 404), validate with growth.forms,
call growth.actions, redirect; a refused form is shown again with status 400 and everything
typed still in it. Every page about a person's own items says "Only you can see this".
"""

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from growth import access, actions, aggregates, framework_import, mindset, trends
from growth.forms import (
    CHARTER_SECTIONS,
    DEBRIEF_QUESTIONS,
    PLAN_QUESTIONS,
    BeliefForm,
    CharterForm,
    ConversationPlanForm,
    DebriefForm,
    GoalForm,
    MoodForm,
    PicksForm,
    RoutineCheckInForm,
    RoutineForm,
    WhatsInItForm,
)
from growth.models import GoalStatus
from rapport import policy
from rapport.lib.timezones import local_today

BAD_REQUEST = 400


def _user(request: HttpRequest) -> Any:
    user = request.user
    access.require_member(user)
    return user


def _today(user: Any) -> date:
    return local_today(user.time_zone)


def _edit(
    request: HttpRequest,
    row: Any,
    *,
    form_class: Any,
    names: Sequence[str],
    template: str,
    message: str,
    done: HttpResponse,
    context: dict[str, Any],
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """The edit page of one of the person's rows (loaded through growth.access): GET shows
    `names` filled in; a valid POST saves them (growth.actions.update_row) and answers `done`;
    an invalid one is shown again, with status 400 and everything typed."""
    kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            actions.update_row(row, **{name: form.cleaned_data[name] for name in names})
            messages.success(request, message)
            return done
        return render(request, template, {**context, "form": form}, status=BAD_REQUEST)
    form = form_class(initial={name: getattr(row, name) for name in names}, **kwargs)
    return render(request, template, {**context, "form": form})


def _delete(request: HttpRequest, row: Any, *, message: str, to: str) -> HttpResponse:
    """Delete one of the person's rows (loaded through growth.access) and go on to `to`."""
    actions.delete_row(row)
    messages.success(request, message)
    return redirect(to)


# -- My growth ------------------------------------------------------------------------------------


def _index_page(
    request: HttpRequest,
    *,
    whats_form: WhatsInItForm | None = None,
    picks_form: PicksForm | None = None,
    goal_form: GoalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    page = access.my_growth(user)
    behaviours = access.behaviours_of_model(user)
    profile = page.profile
    return render(
        request,
        "growth/index.html",
        {
            "page": page,
            "whats_form": whats_form
            or WhatsInItForm(initial={"text": profile.whats_in_it_for_me if profile else ""}),
            "picks_form": picks_form or PicksForm(behaviours=behaviours),
            "goal_form": goal_form or GoalForm(behaviours=behaviours),
            "statuses": dict(GoalStatus.choices),
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """My growth: what's in it for me, the behaviours I pick, my goals."""
    _user(request)
    return _index_page(request)


@login_required
@require_POST
def whats_in_it(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = WhatsInItForm(request.POST)
    if not form.is_valid():
        return _index_page(request, whats_form=form, status=BAD_REQUEST)
    actions.save_whats_in_it_for_me(user, text=form.cleaned_data["text"])
    messages.success(request, _("Saved. Only you can see this."))
    return redirect("growth:index")


@login_required
@require_POST
def picks(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PicksForm(request.POST, behaviours=access.behaviours_of_model(user))
    if not form.is_valid():
        return _index_page(request, picks_form=form, status=BAD_REQUEST)
    actions.pick_behaviours(user, behaviours=form.cleaned_data["behaviours"])
    messages.success(request, _("Your behaviours are saved."))
    return redirect("growth:index")


@login_required
@require_POST
def goal_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = GoalForm(request.POST, behaviours=access.behaviours_of_model(user))
    if not form.is_valid():
        return _index_page(request, goal_form=form, status=BAD_REQUEST)
    data = form.cleaned_data
    actions.create_goal(
        user,
        submission=data["submission"],
        title=data["title"],
        why=data["why"],
        how_i_will_know=data["how_i_will_know"],
        behaviour=data["behaviour"],
        target_date=data["target_date"],
    )
    messages.success(request, _("Your goal is saved. Only you can see it."))
    return redirect("growth:index")


@login_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    """Edit one of my goals (its status among the rest)."""
    user = _user(request)
    row = access.get_goal_for_user(user, goal_id)
    return _edit(
        request,
        row,
        form_class=GoalForm,
        names=["title", "behaviour", "why", "how_i_will_know", "target_date", "status"],
        template="growth/goal.html",
        message=_("Your goal is saved."),
        done=redirect("growth:index"),
        context={"goal": row, "nav": "growth"},
        form_kwargs={"behaviours": access.behaviours_of_model(user), "editing": True},
    )


@login_required
@require_POST
def goal_delete(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    row = access.get_goal_for_user(_user(request), goal_id)
    return _delete(request, row, message=_("The goal is deleted."), to="growth:index")


# -- the leadership model ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def model(request: HttpRequest) -> HttpResponse:
    """The organisation's leadership model, for every member; admins can import one from a
    CSV file here (growth.framework_import): a bad file is refused row by row and nothing
    changes."""
    user = _user(request)
    can_import = policy.can_manage_people(user)
    form = framework_import.FrameworkImportForm()
    report = None
    status = 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied("Only organisation admins import a leadership model")
        form = framework_import.FrameworkImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = framework_import.apply(user, form.parsed, framework=form.framework_name())
            if not report.errors:
                messages.success(request, report.summary())
                return redirect("growth:model")
        status = BAD_REQUEST
    return render(
        request,
        "growth/model.html",
        {
            "competencies": access.leadership_model(user),
            "can_import": can_import,
            "can_edit": policy.can_use_studio(user),
            "form": form,
            "report": report,
            "columns": framework_import.COLUMNS,
            "nav": "growth",
        },
        status=status,
    )


# -- mindset -------------------------------------------------------------------------------------


def _mindset_page(
    request: HttpRequest,
    *,
    belief_form: BeliefForm | None = None,
    routine_forms: dict[uuid.UUID, RoutineForm] | None = None,
    check_in_forms: dict[uuid.UUID, RoutineCheckInForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = _today(user)
    beliefs = mindset.mindset_page(user, today=today)
    routine_forms = routine_forms or {}
    return render(
        request,
        "growth/mindset.html",
        {
            "beliefs": beliefs,
            "belief_form": belief_form or BeliefForm(),
            "routine_forms": {
                b.belief.public_id: routine_forms.get(b.belief.public_id) or RoutineForm()
                for b in beliefs
            },
            # A refused check-in (sent without JavaScript) is shown again on its routine.
            "check_in_forms": check_in_forms or {},
            "today": today,
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_GET
def mindset_index(request: HttpRequest) -> HttpResponse:
    """Beliefs, principles and routines, with today's one-tap check-ins and gentle streaks."""
    _user(request)
    return _mindset_page(request)


@login_required
@require_POST
def belief_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = BeliefForm(request.POST)
    if not form.is_valid():
        return _mindset_page(request, belief_form=form, status=BAD_REQUEST)
    data = form.cleaned_data
    actions.create_belief(
        user, submission=data["submission"], belief=data["belief"], principle=data["principle"]
    )
    messages.success(request, _("Saved. Now add a routine that puts it into practice."))
    return redirect("growth:mindset")


@login_required
@require_http_methods(["GET", "POST"])
def belief(request: HttpRequest, belief_id: uuid.UUID) -> HttpResponse:
    """Edit a belief and its principle."""
    row = access.get_belief_for_user(_user(request), belief_id)
    return _edit(
        request,
        row,
        form_class=BeliefForm,
        names=["belief", "principle"],
        template="growth/belief.html",
        message=_("Saved."),
        done=redirect("growth:mindset"),
        context={"belief": row, "nav": "growth"},
    )


@login_required
@require_POST
def belief_delete(request: HttpRequest, belief_id: uuid.UUID) -> HttpResponse:
    row = access.get_belief_for_user(_user(request), belief_id)
    message = _("The belief and its routines are deleted.")
    return _delete(request, row, message=message, to="growth:mindset")


@login_required
@require_POST
def routine_new(request: HttpRequest, belief_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    row = access.get_belief_for_user(user, belief_id)
    form = RoutineForm(request.POST)
    if not form.is_valid():
        return _mindset_page(request, routine_forms={row.public_id: form}, status=BAD_REQUEST)
    actions.add_routine(
        user,
        belief=row,
        submission=form.cleaned_data["submission"],
        text=form.cleaned_data["text"],
        cadence=form.cleaned_data["cadence"],
    )
    messages.success(request, _("Routine added. Check in with one tap when you've done it."))
    return redirect("growth:mindset")


@login_required
@require_POST
def routine_delete(request: HttpRequest, routine_id: uuid.UUID) -> HttpResponse:
    row = access.get_routine_for_user(_user(request), routine_id)
    return _delete(request, row, message=_("The routine is deleted."), to="growth:mindset")


@login_required
@require_POST
def routine_check_in(request: HttpRequest, routine_id: uuid.UUID) -> HttpResponse:
    """One tap: did it / not today, for today (or this week), with an optional note. Answers
    an htmx request with the routine's card alone."""
    user = _user(request)
    routine = access.get_routine_for_user(user, routine_id)
    form = RoutineCheckInForm(request.POST)
    today = _today(user)
    if form.is_valid():
        actions.check_in_routine(
            user,
            routine=routine,
            period=mindset.period_of(routine.cadence, today),
            done=form.cleaned_data["done"],
            note=form.cleaned_data["note"],
        )
        status = 200
    else:
        status = BAD_REQUEST
    if not request.headers.get("HX-Request"):
        if status == BAD_REQUEST:
            return _mindset_page(
                request, check_in_forms={routine.public_id: form}, status=BAD_REQUEST
            )
        return redirect("growth:mindset")
    card = mindset.routine_card(user, routine_id, today=today)
    announce = ""
    if status == 200:
        announce = _("Checked in. %(summary)s") % {"summary": card.summary}
    return render(
        request,
        "growth/_routine.html",
        {"routine": card, "form": form if status == BAD_REQUEST else None, "announce": announce},
        status=status,
    )


# -- team charters -------------------------------------------------------------------------------


def _list_and_create(
    request: HttpRequest,
    *,
    form_class: Any,
    create: Any,
    template: str,
    context: dict[str, Any],
    message: str,
    detail: str,
    parameter: str,
) -> HttpResponse:
    """A list of the person's items with the form for a new one: a valid POST creates it once
    per submission (`create(user, submission=…, **fields)`) and opens its page (`detail`, with
    its id as `parameter`); an invalid one is shown again with status 400."""
    user = request.user
    form = form_class()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            row, _created = create(user, submission=data.pop("submission"), **data)
            messages.success(request, message)
            return redirect(detail, **{parameter: row.public_id})
        status = BAD_REQUEST
    return render(request, template, {**context, "form": form, "nav": "growth"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def charters(request: HttpRequest) -> HttpResponse:
    """My team charters, and a guided draft of a new one with suggestions to copy in."""
    user = _user(request)
    return _list_and_create(
        request,
        form_class=CharterForm,
        create=actions.create_charter,
        template="growth/charters.html",
        context={"charters": access.charters_of(user)},
        message=_("Your charter is saved. Only you can see it here."),
        detail="growth:charter",
        parameter="charter_id",
    )


@login_required
@require_http_methods(["GET", "POST"])
def charter(request: HttpRequest, charter_id: uuid.UUID) -> HttpResponse:
    """Edit one of my charters."""
    row = access.get_charter_for_user(_user(request), charter_id)
    return _edit(
        request,
        row,
        form_class=CharterForm,
        names=["team", *(name for name, _l, _s in CHARTER_SECTIONS)],
        template="growth/charter.html",
        message=_("Your charter is saved."),
        done=redirect("growth:charter", charter_id=row.public_id),
        context={"charter": row, "nav": "growth"},
    )


@login_required
@require_GET
def charter_print(request: HttpRequest, charter_id: uuid.UUID) -> HttpResponse:
    """The charter as a clean printable page (print CSS), to share with the team."""
    user = _user(request)
    row = access.get_charter_for_user(user, charter_id)
    sections = [(label, getattr(row, name)) for name, label, _s in CHARTER_SECTIONS]
    return render(
        request,
        "growth/charter_print.html",
        {"charter": row, "sections": [(label, text) for label, text in sections if text]},
    )


@login_required
@require_POST
def charter_delete(request: HttpRequest, charter_id: uuid.UUID) -> HttpResponse:
    row = access.get_charter_for_user(_user(request), charter_id)
    return _delete(request, row, message=_("The charter is deleted."), to="growth:charters")


# -- difficult conversations ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversations(request: HttpRequest) -> HttpResponse:
    """My conversation plans, and the planner for a new one."""
    user = _user(request)
    return _list_and_create(
        request,
        form_class=ConversationPlanForm,
        create=actions.create_conversation_plan,
        template="growth/conversations.html",
        context={"plans": access.plans_of(user)},
        message=_("Your plan is saved. Only you can see it."),
        detail="growth:conversation",
        parameter="plan_id",
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """One plan: read and edit it, and its debrief once the conversation happened."""
    row = access.get_plan_for_user(_user(request), plan_id)
    debrief = getattr(row, "debrief", None)
    answers = []
    if debrief is not None:
        answers = [(label, getattr(debrief, name)) for name, label, _h in DEBRIEF_QUESTIONS]
    return _edit(
        request,
        row,
        form_class=ConversationPlanForm,
        names=["subject", "planned_for", *(name for name, _l, _h in PLAN_QUESTIONS)],
        template="growth/conversation.html",
        message=_("Your plan is saved."),
        done=redirect("growth:conversation", plan_id=row.public_id),
        context={
            "plan": row,
            "debrief": debrief,
            "debrief_answers": answers,
            "nav": "growth",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def debrief(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """The blameless debrief of one plan (written or rewritten)."""
    user = _user(request)
    plan = access.get_plan_for_user(user, plan_id)
    existing = getattr(plan, "debrief", None)
    if request.method == "POST":
        form = DebriefForm(request.POST)
        if form.is_valid():
            actions.save_debrief(user, plan=plan, **form.cleaned_data)
            messages.success(request, _("Your debrief is saved. Only you can see it."))
            return redirect("growth:conversation", plan_id=plan.public_id)
        status = BAD_REQUEST
    else:
        names = [name for name, _l, _h in DEBRIEF_QUESTIONS]
        form = DebriefForm(initial={n: getattr(existing, n) for n in names} if existing else None)
        status = 200
    return render(
        request,
        "growth/debrief.html",
        {"plan": plan, "form": form, "nav": "growth"},
        status=status,
    )


@login_required
@require_POST
def conversation_delete(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    row = access.get_plan_for_user(_user(request), plan_id)
    message = _("The plan and its debrief are deleted.")
    return _delete(request, row, message=message, to="growth:conversations")


# -- emotion and energy ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    """The ten-second emotion and energy check-in, and my own trend (a table and a chart)."""
    user = _user(request)
    today = _today(user)
    form = MoodForm()
    status = 200
    has_coach = access.has_coach(user)
    if request.method == "POST":
        form = MoodForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            actions.record_mood(
                user,
                submission=data["submission"],
                day=today,
                feeling=data["feeling"],
                energy=data["energy"],
                word=data["word"],
                note=data["note"],
                shared_with_coach=data["shared_with_coach"] and has_coach,
            )
            messages.success(
                request,
                _("Thank you for checking in. Your coach sees how you feel and your energy.")
                if data["shared_with_coach"] and has_coach
                else _("Thank you for checking in. Only you can see this."),
            )
            return redirect("growth:check_in")
        status = BAD_REQUEST
    since = today - timedelta(days=trends.TREND_DAYS - 1)
    moods = access.moods_of(user, since=since)
    return render(
        request,
        "growth/check_in.html",
        {
            "form": form,
            "trend": trends.own_trend(moods, today=today),
            "recent": moods[:10],
            "has_coach": has_coach,
            "nav": "growth",
        },
        status=status,
    )


@login_required
@require_GET
def organisation_trends(request: HttpRequest) -> HttpResponse:
    """Admins: the organisation's emotion and energy by week and by cohort, aggregates only,
    each shown only when enough people answered (the small-group rule)."""
    user = _user(request)
    if not policy.can_manage_people(user):
        raise PermissionDenied("Only organisation admins see the organisation's trends")
    today = _today(user)
    return render(
        request,
        "growth/trends.html",
        {
            "weeks": aggregates.by_week(user, today=today),
            "cohorts": aggregates.by_cohort(user, today=today),
            "min_group": policy.min_group_size(),
            "nav": "growth",
        },
    )
