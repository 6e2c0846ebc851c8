"""Pages of confidential coaching messages, action plans, private session notes and follow-ups
(coach-talk; the session pages are coaching.views).

Thin: load through coaching.access (404 for what a person may not see, 403 for what they may
see but not change), validate with a form, call coaching.actions, render or redirect. Nothing
here logs, caches or copies what people wrote.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import actions
from coaching.access import (
    Pair,
    action_items_of,
    behaviours_for,
    coaches_of,
    conversations_of,
    get_action_item_for_user,
    get_attachment_for_user,
    get_booking_for_coach,
    get_note_for_coach,
    get_pair,
    get_writable_pair,
    goals_for,
    learners_of,
    messages_page,
    sessions_of_pair,
)
from coaching.forms import ActionItemForm, ItemStatusForm, MessageForm, NoteForm
from cohorts.access import get_activity_in_seat, get_learner_seat
from rapport.lib.crypto import decrypt_bytes


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Messages: the person's conversations (latest first, with what is unread), and the
    people they may write to without one yet — their coaches, or the learners they coach.
    Four queries, whatever the number of conversations."""
    user: Any = request.user
    conversations = conversations_of(user)
    talking_to = {c.other_party(user).pk for c in conversations}
    coaches = [p for p in coaches_of(user) if p.pk not in talking_to]
    learners: list[Any] = [p for p in learners_of(user) if p.pk not in talking_to]
    # A coach of hundreds finds a learner by cohort: one group per cohort, most recent first.
    by_cohort: dict[str, list[Any]] = {}
    for learner in learners:
        by_cohort.setdefault(learner.coached_in[0], []).append(learner)
    return render(
        request,
        "coaching/talk/inbox.html",
        {
            "conversations": conversations,
            "coaches": coaches,
            "by_cohort": list(by_cohort.items()),
            "others": coaches or learners,
            "nav": "messages",
        },
    )


def _thread_page(
    request: HttpRequest,
    pair: Pair,
    *,
    form: MessageForm | None = None,
    about: Any = None,
    status: int = 200,
) -> HttpResponse:
    page = messages_page(pair, request.GET.get("page"))
    if request.method == "GET":
        actions.mark_read(pair, now=timezone.now())
    return render(
        request,
        "coaching/talk/thread.html",
        {
            "pair": pair,
            "page": page,
            "shown": list(reversed(page.object_list)),
            "form": form or MessageForm(),
            "about": about,
            "sessions": sessions_of_pair(pair),
            "now": timezone.now(),
            "zone": request.user.time_zone,  # type: ignore[union-attr]
            "nav": "messages",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The conversation with one's coach or one of one's learners (404 for anyone else):
    latest messages first page, marked read when opened; a POST sends a message (400 with the
    form, the typed text kept, for an empty message or a refused file — nothing saved)."""
    user: Any = request.user
    if request.method == "GET":
        return _thread_page(request, get_pair(user, person_id))
    pair = get_writable_pair(user, person_id)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _thread_page(request, pair, form=form, status=400)
    activity_id = cohort_id = None
    if form.cleaned_data.get("activity"):
        try:
            seat, activity = _asked_about(
                user, form.cleaned_data["cohort"], form.cleaned_data["activity"]
            )
        except (Http404, PermissionDenied):
            seat = None
        if (
            seat is None
            or pair.i_coach
            or seat.enrollment is None
            or seat.enrollment.coach_id != pair.coach.pk
        ):
            return _thread_page(request, pair, form=_unlinked(request), status=400)
        activity_id, cohort_id = activity.id, seat.cohort.pk
    actions.send_message(
        pair,
        body=form.cleaned_data["body"],
        files=tuple(form.cleaned_data["attachments"]),
        activity_id=activity_id,
        cohort_id=cohort_id,
    )
    messages.success(
        request, _("Sent. %(name)s gets a notification.") % {"name": pair.other.get_short_name()}
    )
    return redirect("talk:thread", person_id=person_id)


def _unlinked(request: HttpRequest) -> MessageForm:
    """The message form as sent, without the activity it named (one no longer in the learner's
    seat with this coach: removed from the programme, another cohort, a tampered id), and a
    message saying so: the text stays in the box to send as it is. The same words whatever
    the reason, so the answer tells nothing about an activity the person cannot see."""
    data = request.POST.copy()
    for name in ("activity", "cohort"):
        data.pop(name, None)
    form = MessageForm(data)
    form.is_valid()
    form.add_error(
        None,
        _(
            "That activity is not one of yours with this coach any more, so your message was "
            "not sent. Your text is kept below, without the link: send it as it is, and choose "
            "any files again."
        ),
    )
    return form


def _asked_about(user: Any, cohort_id: uuid.UUID, activity_id: uuid.UUID) -> Any:
    """The learner's own seat in the cohort and the activity in it (403 for someone without a
    learner's seat, 404 for an activity outside it)."""
    seat = get_learner_seat(user, cohort_id)
    return seat, get_activity_in_seat(seat, activity_id)


@login_required
@require_GET
def ask(request: HttpRequest, cohort_id: uuid.UUID, activity_id: uuid.UUID) -> HttpResponse:
    """ "Ask my coach" from an activity: the conversation with the coach of the learner's seat,
    its composer linked to the activity (a reference, not a copy of its text). 403 for someone
    without a learner's seat, 404 for a seat without a coach or an activity outside it."""
    user: Any = request.user
    seat, activity = _asked_about(user, cohort_id, activity_id)
    coach = seat.enrollment.coach if seat.enrollment else None
    if coach is None or not coach.is_active:
        raise Http404("No coach for this seat")
    pair = get_writable_pair(user, coach.public_id)
    form = MessageForm(initial={"activity": activity.public_id, "cohort": seat.cohort.public_id})
    return _thread_page(request, pair, form=form, about=activity)


@login_required
@require_GET
def follow_up(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """After a session, its coach gets a draft follow-up built from the action plan, in the
    composer, to edit and send (never sent by itself). 404 for a session the person cannot
    see, 403 for its learner or a cancelled one, 400 before the session has ended."""
    user: Any = request.user
    booking = get_booking_for_coach(user, booking_id)
    pair = get_writable_pair(user, booking.learner.public_id)
    if booking.ends_at > timezone.now():
        raise PermissionDenied("The session has not ended yet")
    draft = actions.follow_up_draft(booking, action_items_of(pair), zone=user.time_zone)
    messages.info(request, _("A draft follow-up: change anything, then send it when it is right."))
    return _thread_page(request, pair, form=MessageForm(initial={"body": draft}))


@login_required
@require_GET
@never_cache
def attachment(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponse:
    """A message's file, to the conversation's two people only (404 for anyone else), as a
    download: never shown inline, never cached, its type as checked on upload."""
    found = get_attachment_for_user(request.user, attachment_id)
    with found.file.open("rb") as handle:
        data = decrypt_bytes(handle.read())
    response = HttpResponse(data, content_type=found.content_type)
    response["Content-Disposition"] = _disposition(found.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _disposition(name: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=name) or "attachment"


def _plan_page(
    request: HttpRequest, pair: Pair, *, form: ActionItemForm | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "coaching/talk/plan.html",
        {
            "pair": pair,
            "items": action_items_of(pair),
            "form": form or _item_form(user, pair),
            "nav": "messages",
        },
        status=status,
    )


def _item_form(user: Any, pair: Pair, data: Any = None) -> ActionItemForm:
    return ActionItemForm(
        data,
        behaviours=behaviours_for(user),
        goals=None if pair.i_coach else goals_for(user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The action plan a coach and learner agree, for both of them (404 for anyone else); a
    POST adds an item (400 with the form and the typed text for a bad one)."""
    user: Any = request.user
    if request.method == "GET":
        return _plan_page(request, get_pair(user, person_id))
    pair = get_writable_pair(user, person_id)
    form = _item_form(user, pair, request.POST)
    if not form.is_valid():
        return _plan_page(request, pair, form=form, status=400)
    actions.add_action_item(
        pair,
        text=form.cleaned_data["text"],
        behaviour=form.cleaned_data.get("behaviour"),
        goal=form.cleaned_data.get("goal"),
    )
    messages.success(request, _("Added to your action plan."))
    return redirect("talk:plan", person_id=person_id)


@login_required
@require_POST
def item_status(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """Mark an action plan item done or not yet (either of the two; 404 for anyone else, 400
    for a value that is neither)."""
    user: Any = request.user
    item = get_action_item_for_user(user, item_id)
    form = ItemStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose done or not yet."), status=400, content_type="text/plain")
    actions.set_action_item_done(item, by=user, done=form.cleaned_data["done"])
    other = item.conversation.other_party(user)
    return redirect("talk:plan", person_id=other.public_id)


@login_required
@require_POST
def note(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """The coach writes or edits their private note on a session (403 for its learner, 404
    for anyone else; 400 with the typed text kept for a note that is too long)."""
    from coaching.views import session_page

    user: Any = request.user
    booking, _note = get_note_for_coach(user, booking_id)
    form = NoteForm(request.POST, auto_id="note-%s")
    if not form.is_valid():
        return session_page(request, booking, note_form=form, status=400)
    actions.save_note(booking, coach=user, body=form.cleaned_data["body"])
    messages.success(request, _("Note saved. Only you can see it."))
    return redirect("coaching:session", booking_id=booking.public_id)
