"""The journal's pages and writes: the journal, free entries, an entry's page (with its "who can
see this" label and sharing), a mission's plan and reflection, "connect it to your own
experience", drafts, "Shared with me" and the access log. Thin: load through
reflections.access, validate with a form, call an action, render.

A form that cannot be accepted (empty, too long, a visibility the seat does not allow, a time
that has passed) is shown again with the message and the person's text, kept as their draft,
status 400; nothing is saved."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.lib.timezones import get_zone
from reflections import access, actions
from reflections.forms import (
    DRAFT_FIELD_MAX,
    DraftForm,
    EntryForm,
    ExperienceForm,
    MissionReflectionForm,
    PlanForm,
    VisibilityForm,
)
from reflections.models import Entry, EntryKind, Visibility

ANSWER_FIELDS = ("happened", "noticed", "learned", "next_step")


def _errors(form: Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"status": 400, "title": _("That request did not make sense"), "message": message},
        status=400,
    )


def _typed(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str]:
    """What the person typed in these fields, to keep as a draft when a form is refused."""
    return {
        name: request.POST.get(name, "")[:DRAFT_FIELD_MAX] for name in names if name in request.POST
    }


def mission_key(cohort_id: uuid.UUID, activity_id: uuid.UUID, form: str) -> str:
    """The draft key of one of an activity's forms (reflections.forms.DRAFT_KEY)."""
    return f"{form}-{cohort_id}-{activity_id}"


# -- the journal ------------------------------------------------------------------------------


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """My journal: every entry the person wrote, newest first, each with who can see it."""
    entries = access.journal_of(request.user)
    return render(
        request,
        "reflections/journal.html",
        {
            "entries": entries[: access.PAGE_SIZE],
            "more": len(entries) > access.PAGE_SIZE,
            "plans": access.plans_of(request.user),
            "can_write": access.can_write_entries(request.user),
            "nav": "journal",
        },
    )


def _seat_choices(seats: list[Any]) -> list[tuple[str, str]]:
    return [(str(s.cohort.public_id), f"{s.cohort.program.title} · {s.cohort.name}") for s in seats]


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    """A free journal entry, in one of the person's learner seats."""
    seats = access.learner_seats(request.user)
    if not seats:
        raise PermissionDenied("Only learners keep a journal")
    choices = _seat_choices(seats)
    draft = access.drafts_of(request.user, ["new"]).get("new", {})
    if request.method == "GET":
        form = EntryForm(initial={"visibility": Visibility.PRIVATE, **draft}, seats=choices)
        return _render_entry_form(request, form, seats[0], status=200)
    form = EntryForm(request.POST, seats=choices)
    chosen = request.POST.get("seat") or str(seats[0].cohort.public_id)
    seat = next((s for s in seats if str(s.cohort.public_id) == chosen), seats[0])
    if form.is_valid():
        try:
            entry, _created = actions.write_entry(
                seat,
                kind=EntryKind.FREE,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                draft_key="new",
            )
        except actions.ReflectionError as error:
            form.add_error("visibility", str(error))
        else:
            messages.success(request, _("Saved in your journal."))
            return HttpResponseRedirect(reverse("reflections:entry", args=[entry.public_id]))
    actions.save_draft(request.user, key="new", fields=_typed(request, ("title", "body")))  # type: ignore[arg-type]
    return _render_entry_form(request, form, seat, status=400)


def _render_entry_form(
    request: HttpRequest, form: Form, seat: Any, *, status: int, entry: Entry | None = None
) -> HttpResponse:
    return render(
        request,
        "reflections/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "audiences": access.audiences_for(seat),
            "draft_key": f"entry-{entry.public_id}" if entry else "new",
            "nav": "journal",
        },
        status=status,
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """An entry: its author sees it with who can see it and the sharing choice; a coach or a
    peer it was shared with reads it (and the author's access log records that)."""
    entry = access.get_entry_for_user(request.user, entry_id)
    mine = entry.author_id == request.user.pk
    if not mine:
        actions.record_view(entry, viewer=request.user)  # type: ignore[arg-type]
    return _render_entry(request, entry, mine=mine)


def _render_entry(
    request: HttpRequest,
    entry: Entry,
    *,
    mine: bool,
    form: VisibilityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audiences = access.audiences_for(entry.enrollment) if mine else {}
    if mine and form is None:
        form = VisibilityForm(initial={"visibility": entry.visibility})
    return render(
        request,
        "reflections/entry.html",
        {
            "entry": entry,
            "mine": mine,
            "form": form,
            "audiences": audiences,
            "nav": "journal" if mine else "shared",
        },
        status=status,
    )


def _entry_form_for(entry: Entry, data: Any = None, initial: dict[str, str] | None = None) -> Form:
    if entry.kind == EntryKind.MISSION:
        return MissionReflectionForm(data, initial=initial)
    if entry.kind == EntryKind.EXPERIENCE:
        return ExperienceForm(data, initial=initial)
    return EntryForm(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Change an entry's text and who can see it (its author only: 403 for readers)."""
    entry = access.get_own_entry(request.user, entry_id)
    key = f"entry-{entry.public_id}"
    if request.method == "GET":
        stored = {name: getattr(entry, name) for name in ("title", "body", *ANSWER_FIELDS)} | {
            "visibility": entry.visibility
        }
        draft = access.drafts_of(request.user, [key]).get(key, {})
        form = _entry_form_for(entry, initial=stored | draft)
        return _render_entry_form(request, form, entry.enrollment, status=200, entry=entry)
    form = _entry_form_for(entry, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_entry(
                entry,
                by=request.user,  # type: ignore[arg-type]
                title=data.get("title", ""),
                body=data.get("body", ""),
                answers={name: data.get(name, "") for name in ANSWER_FIELDS},
                visibility=data["visibility"],
                draft_key=key,
            )
        except actions.ReflectionError as error:
            form.add_error("visibility", str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return HttpResponseRedirect(reverse("reflections:entry", args=[entry.public_id]))
    fields = _typed(request, ("title", "body", *ANSWER_FIELDS))
    actions.save_draft(request.user, key=key, fields=fields)  # type: ignore[arg-type]
    return _render_entry_form(request, form, entry.enrollment, status=400, entry=entry)


@login_required
@require_POST
def entry_visibility(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Share the entry at another level, or make it private again (author only)."""
    entry = access.get_own_entry(request.user, entry_id)
    form = VisibilityForm(request.POST)
    if form.is_valid():
        try:
            changed = actions.set_visibility(
                entry,
                by=request.user,  # type: ignore[arg-type]
                visibility=form.cleaned_data["visibility"],
            )
        except actions.ReflectionError as error:
            form.add_error("visibility", str(error))
        else:
            if changed:
                messages.success(request, _("Saved. %(who)s") % {"who": _who(entry)})
            return HttpResponseRedirect(reverse("reflections:entry", args=[entry.public_id]))
    return _render_entry(request, entry, mine=True, form=form, status=400)


def _who(entry: Entry) -> str:
    return access.audiences_for(entry.enrollment)[entry.visibility].label


@login_required
@require_POST
def entry_delete(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = access.get_own_entry(request.user, entry_id)
    actions.delete_entry(entry, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The entry is deleted."))
    return HttpResponseRedirect(reverse("reflections:journal"))


# -- missions and activities ---------------------------------------------------------------------


def mission_context(
    request: HttpRequest, seat: Any, activity: Any, **forms: Form | None
) -> dict[str, Any]:
    """What the mission panel (on the activity page) and the mission page show: the stage,
    the plan and reflection forms (filled from the stored rows or the person's drafts) and who
    could see the reflection. Queries: plan, reflection, drafts, then audiences_for's three."""
    enrollment = seat.enrollment
    user = request.user
    zone = get_zone(user.time_zone)  # type: ignore[union-attr]
    state = access.mission_state(enrollment, activity.pk, now=timezone.now())
    plan_key = mission_key(seat.cohort.public_id, activity.public_id, "plan")
    reflect_key = mission_key(seat.cohort.public_id, activity.public_id, "reflect")
    drafts = access.drafts_of(user, [plan_key, reflect_key])
    plan_form = forms.get("plan_form")
    if plan_form is None:
        initial: dict[str, Any] = {}
        if state.plan is not None:
            initial = {
                "planned_for": state.plan.planned_for.astimezone(zone).replace(tzinfo=None),
                "with_whom": state.plan.with_whom,
                "what_i_will_try": state.plan.what_i_will_try,
            }
        plan_form = PlanForm(initial=initial | drafts.get(plan_key, {}), zone=zone)
    reflect_form = forms.get("reflect_form")
    if reflect_form is None:
        reflect_form = MissionReflectionForm(
            initial={"visibility": Visibility.PRIVATE} | drafts.get(reflect_key, {})
        )
    return {
        "seat": seat,
        "activity": activity,
        "state": state,
        "plan_form": plan_form,
        "reflect_form": reflect_form,
        "plan_key": plan_key,
        "reflect_key": reflect_key,
        "audiences": access.audiences_for(enrollment),
        "zone_name": str(zone),
        "zone_offset": _offset(zone),
    }


def _offset(zone: Any) -> str:
    from rapport.studio import offset_label

    return offset_label(timezone.now().astimezone(zone).utcoffset())


def _render_mission(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "reflections/mission.html", context | {"nav": "journal"}, status=status)


@login_required
@require_GET
def mission(request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID) -> HttpResponse:
    """A mission's plan → do → reflect on a page of its own (the activity page shows the same
    panel)."""
    seat, activity = access.get_mission_for_learner(request.user, cohort_id, activity_id)
    return _render_mission(request, mission_context(request, seat, activity), 200)


def _activity_url(seat: Any, activity: Any) -> str:
    return reverse("cohorts:activity", args=[seat.cohort.public_id, activity.public_id])


@login_required
@require_POST
def mission_plan(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    seat, activity = access.get_mission_for_learner(request.user, cohort_id, activity_id)
    state = access.mission_state(seat.enrollment, activity.pk, now=timezone.now())  # type: ignore[arg-type]
    zone = get_zone(request.user.time_zone)  # type: ignore[union-attr]
    form = PlanForm(
        request.POST, zone=zone, previous=state.plan.planned_for if state.plan else None
    )
    key = mission_key(cohort_id, activity_id, "plan")
    if form.is_valid():
        actions.plan_mission(
            seat.enrollment,  # type: ignore[arg-type]
            activity=activity,
            planned_for=form.cleaned_data["planned_for"],
            time_zone=str(zone),
            with_whom=form.cleaned_data["with_whom"],
            what_i_will_try=form.cleaned_data["what_i_will_try"],
            draft_key=key,
        )
        messages.success(request, _("Your plan is saved. We will remind you at that time."))
        return HttpResponseRedirect(_activity_url(seat, activity) + "#mission")
    fields = _typed(request, ("planned_for", "with_whom", "what_i_will_try"))
    actions.save_draft(request.user, key=key, fields=fields)  # type: ignore[arg-type]
    return _render_mission(request, mission_context(request, seat, activity, plan_form=form), 400)


@login_required
@require_POST
def mission_reflect(
    request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID
) -> HttpResponse:
    seat, activity = access.get_mission_for_learner(request.user, cohort_id, activity_id)
    form = MissionReflectionForm(request.POST)
    key = mission_key(cohort_id, activity_id, "reflect")
    if form.is_valid():
        try:
            entry, _created = actions.write_entry(
                seat.enrollment,  # type: ignore[arg-type]
                kind=EntryKind.MISSION,
                activity=activity,
                answers={name: form.cleaned_data[name] for name in ANSWER_FIELDS},
                visibility=form.cleaned_data["visibility"],
                draft_key=key,
            )
        except actions.ReflectionError as error:
            form.add_error("visibility", str(error))
        else:
            messages.success(request, _("Your reflection is saved in your journal."))
            return HttpResponseRedirect(reverse("reflections:entry", args=[entry.public_id]))
    actions.save_draft(request.user, key=key, fields=_typed(request, ANSWER_FIELDS))  # type: ignore[arg-type]
    return _render_mission(
        request, mission_context(request, seat, activity, reflect_form=form), 400
    )


@login_required
@require_http_methods(["GET", "POST"])
def experience(request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID) -> HttpResponse:
    """ "Connect it to your own experience": one reflection per activity, written or rewritten
    here (linked from every activity page's collapsed panel)."""
    seat, activity = access.get_activity_for_learner(request.user, cohort_id, activity_id)
    existing = access.experience_entry(seat.enrollment, activity.pk)  # type: ignore[arg-type]
    key = mission_key(cohort_id, activity_id, "experience")
    status = 200
    if request.method == "POST":
        form = ExperienceForm(request.POST)
        if form.is_valid():
            try:
                entry, _created = actions.write_entry(
                    seat.enrollment,  # type: ignore[arg-type]
                    kind=EntryKind.EXPERIENCE,
                    activity=activity,
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data["visibility"],
                    draft_key=key,
                )
            except actions.ReflectionError as error:
                form.add_error("visibility", str(error))
            else:
                messages.success(request, _("Your reflection is saved in your journal."))
                return HttpResponseRedirect(reverse("reflections:entry", args=[entry.public_id]))
        actions.save_draft(request.user, key=key, fields=_typed(request, ("body",)))  # type: ignore[arg-type]
        status = 400
    else:
        initial: dict[str, str] = {"visibility": Visibility.PRIVATE}
        if existing is not None:
            initial = {"body": existing.body, "visibility": existing.visibility}
        initial |= access.drafts_of(request.user, [key]).get(key, {})
        form = ExperienceForm(initial=initial)
    return render(
        request,
        "reflections/experience.html",
        {
            "seat": seat,
            "activity": activity,
            "existing": existing,
            "form": form,
            "draft_key": key,
            "audiences": access.audiences_for(seat.enrollment),  # type: ignore[arg-type]
            "nav": "journal",
        },
        status=status,
    )


@login_required
@require_POST
def draft_save(request: HttpRequest) -> HttpResponse:
    """Keep what the person is typing (sent by static/js/reflections.js as they type)."""
    form = DraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _errors(form)}, status=400)
    try:
        draft = actions.save_draft(
            request.user,  # type: ignore[arg-type]
            key=form.cleaned_data["key"],
            fields=form.cleaned_data["payload"],
        )
    except actions.ReflectionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"saved": draft is not None})


# -- what others shared, and who read what I shared ----------------------------------------------


@login_required
@require_GET
def shared(request: HttpRequest) -> HttpResponse:
    """Shared with me: what learners shared with the person as their coach, and what peers
    shared with their circle or cohort. A fixed number of queries whatever their number."""
    entries = access.shared_with(request.user)
    return render(
        request,
        "reflections/shared.html",
        {
            "entries": entries[: access.PAGE_SIZE],
            "more": len(entries) > access.PAGE_SIZE,
            "nav": "shared",
        },
    )


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed what you shared: each time a coach or a peer opened one of your entries."""
    views = access.access_log_of(request.user)
    return render(
        request,
        "reflections/access_log.html",
        {
            "views": views[: access.PAGE_SIZE],
            "more": len(views) > access.PAGE_SIZE,
            "nav": "journal",
        },
    )
