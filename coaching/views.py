"""Coaching-session pages: My sessions, booking a slot with one's coach, one session (move,
cancel), the coach's availability, and the readiness check with its connection probe.

Thin: load through coaching.access (404 for what a person may not see, 403 for what they may
see but not change), validate with a form, call coaching.actions, render or redirect.
"""

import os
import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import actions
from coaching.access import (
    availability_of,
    coached_circles,
    coaches_of,
    free_slots,
    get_availability_for_coach,
    get_booking_for_coach,
    get_booking_for_user,
    get_coach_of,
    get_day_off_for_coach,
    get_group_session_for_user,
    get_nudge_for_user,
    get_own_nudge,
    group_members_of,
    is_coach,
    my_learners,
    note_of,
    nudges_of,
    require_coach,
)
from coaching.calendar import my_calendar
from coaching.forms import (
    AvailabilityForm,
    DayOffForm,
    GroupSessionForm,
    NoteForm,
    NudgeForm,
    SlotForm,
    VideoLinkForm,
)
from coaching.models import NudgeRecipient
from coaching.nudges import Audience, audience_of, render_nudge, values_for, week_titles
from coaching.slots import Slot
from rapport import policy
from rapport.lib.timezones import get_zone, local_today

# Bytes the connection probe sends: enough to time a download, small enough for a phone.
PROBE_BYTES = 256 * 1024


def _days(slots: list[Slot], zone_name: str) -> list[tuple[date, list[dict[str, Any]]]]:
    """Slots grouped by the viewer's local day, each with its local and coach-local times."""
    zone = get_zone(zone_name)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for slot in slots:
        local = slot.starts_at.astimezone(zone)
        coach_local = slot.starts_at.astimezone(get_zone(slot.availability.time_zone))
        days[local.date()].append(
            {
                "value": slot.starts_at.isoformat(),
                "local": local,
                "local_end": slot.ends_at.astimezone(zone),
                "coach_local": coach_local,
                "coach_zone": slot.availability.time_zone,
                "minutes": int((slot.ends_at - slot.starts_at).total_seconds() // 60),
            }
        )
    return sorted(days.items())


@login_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    """My sessions: the person's upcoming coaching sessions (as learner or coach) and their
    cohorts' live sessions, in one list, in their own zone. A constant number of queries."""
    user: Any = request.user
    now = timezone.now()
    entries = my_calendar(user, now=now)
    return render(
        request,
        "coaching/sessions.html",
        {
            "entries": entries,
            "coaches": coaches_of(user),
            "coaching": is_coach(user),
            "zone": user.time_zone,
            "nav": "sessions",
        },
    )


def _book_page(
    request: HttpRequest, *, coach_errors: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    now = timezone.now()
    coaches = coaches_of(user)
    sections = [
        {
            "coach": coach,
            "days": _days(free_slots(user, coach, now=now), user.time_zone),
            "error": (coach_errors or {}).get(coach.pk, ""),
            "chosen": request.POST.get("starts_at", "") if request.method == "POST" else "",
        }
        for coach in coaches
    ]
    return render(
        request,
        "coaching/book.html",
        {"sections": sections, "zone": user.time_zone, "nav": "sessions"},
        status=status,
    )


@login_required
@require_GET
def book(request: HttpRequest) -> HttpResponse:
    """The free slots of each of the learner's coaches, in the learner's zone (the coach's
    time beside it when their zones differ)."""
    return _book_page(request)


@login_required
@require_POST
def book_slot(request: HttpRequest, coach_id: uuid.UUID) -> HttpResponse:
    """Book one slot with one's own coach: 404 for someone else's coach; 400 with the page and
    a message for a bad, past, taken or raced slot (nothing written)."""
    user: Any = request.user
    coach = get_coach_of(user, coach_id)
    form = SlotForm(request.POST)
    if not form.is_valid():
        error = str(form.errors["starts_at"][0])
        return _book_page(request, coach_errors={coach.pk: error}, status=400)
    now = timezone.now()
    try:
        result = actions.book_session(
            user,
            coach=coach,
            starts_at=form.cleaned_data["starts_at"],
            slots=free_slots(user, coach, now=now),
            now=now,
        )
    except actions.BookingRefused as refusal:
        return _book_page(request, coach_errors={coach.pk: str(refusal)}, status=400)
    if result.created:
        messages.success(
            request,
            _("Booked. You and %(name)s each get a calendar invite by email.")
            % {"name": coach.full_name},
        )
    return redirect("coaching:session", booking_id=result.booking.public_id)


def _session_page(
    request: HttpRequest,
    booking: Any,
    *,
    error: str = "",
    link_form: VideoLinkForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    now = timezone.now()
    i_coach = booking.coach_id == user.pk
    if i_coach and note_form is None:  # the coach's private note (coach-talk)
        note = note_of(user, booking)
        note_form = NoteForm(initial={"body": note.body if note else ""}, auto_id="note-%s")
    can_move = booking.is_active and booking.starts_at > now
    days = _days(free_slots_for_booking(user, booking, now=now), user.time_zone) if can_move else []
    zone = get_zone(user.time_zone)
    return render(
        request,
        "coaching/session.html",
        {
            "booking": booking,
            "other": booking.other_party(user),
            "i_coach": i_coach,
            "note_form": note_form,
            "ended": booking.ends_at <= now,
            "starts": booking.starts_at.astimezone(zone),
            "ends": booking.ends_at.astimezone(zone),
            "zone": user.time_zone,
            "can_move": can_move,
            "can_cancel": booking.is_active and booking.ends_at > now,
            "days": days,
            "error": error,
            "link_form": link_form
            or VideoLinkForm(initial={"video_url": booking.video_url}, auto_id="link-%s"),
            "nav": "sessions",
        },
        status=status,
    )


session_page = _session_page  # for coaching.talk_views (a refused note shows this page)


def free_slots_for_booking(user: Any, booking: Any, *, now: datetime) -> list[Slot]:
    """The coach's free slots for moving this booking. The coach reads their own availability;
    the learner their coach's (the booking's coach, who may no longer coach their seat: then
    the slots are those the learner can still see, possibly none)."""
    return free_slots(user, booking.coach, now=now, ignore=booking)


@login_required
@require_GET
def session(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """One session for its learner or coach (404 for anyone else): when, with whom, the video
    link, and the ways to move or cancel it."""
    return _session_page(request, get_booking_for_user(request.user, booking_id))


@login_required
@require_POST
def move(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Move a session to another free slot of its coach (either person). 400 with a message
    for a bad, taken or raced time; 403 once cancelled."""
    user: Any = request.user
    booking = get_booking_for_user(user, booking_id, for_write=True)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _session_page(request, booking, error=str(form.errors["starts_at"][0]), status=400)
    now = timezone.now()
    try:
        actions.move_session(
            booking,
            by=user,
            starts_at=form.cleaned_data["starts_at"],
            slots=free_slots_for_booking(user, booking, now=now),
            now=now,
        )
    except actions.BookingRefused as refusal:
        return _session_page(request, booking, error=str(refusal), status=400)
    messages.success(request, _("Moved. You both get an updated calendar invite by email."))
    return redirect("coaching:session", booking_id=booking.public_id)


@login_required
@require_POST
def video_link(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """The coach sets or clears a session's video link (403 for its learner or once
    cancelled); a bad address is a 400 with the typed text kept."""
    user: Any = request.user
    booking = get_booking_for_coach(user, booking_id)
    form = VideoLinkForm(request.POST, auto_id="link-%s")
    if not form.is_valid():
        return _session_page(request, booking, link_form=form, status=400)
    try:
        changed = actions.change_video_link(
            booking, by=user, video_url=form.cleaned_data["video_url"]
        )
    except actions.BookingRefused as refusal:
        return _session_page(request, booking, error=str(refusal), status=400)
    if changed:
        messages.success(request, _("Saved. You both get an updated calendar invite by email."))
    return redirect("coaching:session", booking_id=booking.public_id)


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Cancel a session (either person; a second click changes nothing). 400 once it is over."""
    user: Any = request.user
    booking = get_booking_for_user(user, booking_id)
    was_active = booking.is_active
    try:
        actions.cancel_session(booking, by=user, now=timezone.now())
    except actions.BookingRefused as refusal:
        return _session_page(request, booking, error=str(refusal), status=400)
    if was_active:
        messages.success(request, _("Cancelled. You both get a cancellation by email."))
    return redirect("coaching:sessions")


def _availability_page(
    request: HttpRequest,
    *,
    form: AvailabilityForm | None = None,
    day_off_form: DayOffForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    blocks, days_off = availability_of(user, user)
    today = local_today(user.time_zone)
    return render(
        request,
        "coaching/availability.html",
        {
            "blocks": blocks,
            "days_off": [d for d in days_off if d.day >= today],
            "form": form
            or AvailabilityForm(coach=user, existing=blocks, initial={"starts_on": today}),
            "day_off_form": day_off_form or DayOffForm(),
            "zone": user.time_zone,
            "nav": "sessions",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    """The coach's weekly availability and days off (403 for anyone who does not coach); a
    POST adds a block (400 with the form and its message for overlap or bad times)."""
    user: Any = request.user
    require_coach(user)
    if request.method == "GET":
        return _availability_page(request)
    blocks, _days_off = availability_of(user, user)
    form = AvailabilityForm(request.POST, coach=user, existing=blocks)
    if not form.is_valid():
        return _availability_page(request, form=form, status=400)
    actions.add_availability(user, **form.cleaned_data)
    messages.success(request, _("Added. Your learners can book these times now."))
    return redirect("coaching:availability")


@login_required
@require_POST
def add_day_off(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_coach(user)
    form = DayOffForm(request.POST)
    if not form.is_valid():
        return _availability_page(request, day_off_form=form, status=400)
    if form.cleaned_data["day"] < local_today(user.time_zone):
        form.add_error("day", _("That day has passed. Choose today or a later day."))
        return _availability_page(request, day_off_form=form, status=400)
    actions.add_day_off(user, day=form.cleaned_data["day"])
    messages.success(request, _("Day off added: no sessions can be booked that day."))
    return redirect("coaching:availability")


@login_required
@require_POST
def remove_availability(request: HttpRequest, availability_id: uuid.UUID) -> HttpResponse:
    block = get_availability_for_coach(request.user, availability_id)
    actions.remove_availability(block)
    messages.success(request, _("Removed. Sessions already booked in it stay booked."))
    return redirect("coaching:availability")


@login_required
@require_POST
def remove_day_off(request: HttpRequest, day_off_id: uuid.UUID) -> HttpResponse:
    day_off = get_day_off_for_coach(request.user, day_off_id)
    actions.remove_day_off(day_off)
    messages.success(request, _("Day off removed."))
    return redirect("coaching:availability")


@login_required
@require_GET
def readiness(request: HttpRequest) -> HttpResponse:
    """The readiness check: camera preview, microphone level, a connection check against
    `readiness_probe`, and plain advice (static/js/coaching-readiness.js; no inline script)."""
    return render(
        request,
        "coaching/readiness.html",
        {"probe_bytes": PROBE_BYTES, "nav": "sessions"},
    )


@login_required
@require_GET
@never_cache
def readiness_probe(request: HttpRequest) -> HttpResponse:
    """Random bytes for the connection check to time (never cached, never compressed):
    `?size=small` sends one byte, for a round-trip time."""
    size = 1 if request.GET.get("size") == "small" else PROBE_BYTES
    response = HttpResponse(os.urandom(size), content_type="application/octet-stream")
    response["Cache-Control"] = "no-store"
    return response


# --- Group (circle) sessions ---------------------------------------------------------------


def _group_new_page(
    request: HttpRequest,
    *,
    form: GroupSessionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    circles = coached_circles(user)
    return render(
        request,
        "coaching/group_new.html",
        {
            "form": form
            or GroupSessionForm(
                coach=user,
                circles=circles,
                initial={"day": local_today(user.time_zone), "minutes": 60},
            ),
            "circles": circles,
            "error": error,
            "zone": user.time_zone,
            "nav": "sessions",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    """A coach schedules a session with one of the circles they coach (403 for anyone who
    does not coach). A POST that is refused (a bad or past time, someone busy, a circle not
    theirs) is a 400 with the form as typed and the reason; nothing is written."""
    user: Any = request.user
    require_coach(user)
    if request.method == "GET":
        return _group_new_page(request)
    form = GroupSessionForm(request.POST, coach=user, circles=coached_circles(user))
    if not form.is_valid():
        return _group_new_page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        result = actions.schedule_group_session(
            user,
            circle=data["circle"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            video_url=data["video_url"],
            now=timezone.now(),
        )
    except actions.BookingRefused as refusal:
        return _group_new_page(request, form=form, error=str(refusal), status=400)
    if result.created:
        messages.success(
            request, _("Scheduled. You and every member of the circle get a calendar invite.")
        )
    return redirect("coaching:group_session", group_id=result.session.public_id)


def _group_page(
    request: HttpRequest,
    session: Any,
    *,
    form: GroupSessionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    now = timezone.now()
    zone = get_zone(user.time_zone)
    i_coach = session.coach_id == user.pk
    coach_zone = get_zone(session.coach.time_zone)
    local_start = session.starts_at.astimezone(coach_zone)
    return render(
        request,
        "coaching/group_session.html",
        {
            "session": session,
            "members": group_members_of(session),
            "i_coach": i_coach,
            "starts": session.starts_at.astimezone(zone),
            "ends": session.ends_at.astimezone(zone),
            "zone": user.time_zone,
            "can_change": i_coach and session.is_active and session.starts_at > now,
            "can_cancel": i_coach and session.is_active and session.ends_at > now,
            "form": form
            or GroupSessionForm(
                coach=user,
                auto_id="change-%s",
                initial={
                    "day": local_start.date(),
                    "start_time": local_start.time().replace(second=0, microsecond=0),
                    "minutes": session.minutes,
                    "video_url": session.video_url,
                },
            ),
            "error": error,
            "nav": "sessions",
        },
        status=status,
    )


@login_required
@require_GET
def group_session(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """One circle session for its coach and the circle's current members (404 for anyone
    else): when, with whom, the video link; for the coach the ways to change or cancel it."""
    return _group_page(request, get_group_session_for_user(request.user, group_id))


@login_required
@require_POST
def group_change(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """The coach moves a circle session, changes its length or its video link: everyone
    invited gets an updated invite. 403 for a member or once cancelled; 400 with the form as
    typed for a bad, past or busy time."""
    user: Any = request.user
    session = get_group_session_for_user(user, group_id, for_write=True)
    form = GroupSessionForm(request.POST, coach=user, auto_id="change-%s")
    if not form.is_valid():
        return _group_page(request, session, form=form, status=400)
    data = form.cleaned_data
    try:
        changed = actions.change_group_session(
            session,
            by=user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            video_url=data["video_url"],
            now=timezone.now(),
        )
    except actions.BookingRefused as refusal:
        return _group_page(request, session, form=form, error=str(refusal), status=400)
    if changed:
        messages.success(request, _("Saved. Everyone invited gets an updated calendar invite."))
    return redirect("coaching:group_session", group_id=session.public_id)


@login_required
@require_POST
def group_cancel(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    """The coach cancels a circle session (a second click changes nothing): everyone invited
    gets a cancellation. 403 for a member; 400 once it is over."""
    user: Any = request.user
    session = get_group_session_for_user(user, group_id)
    if session.coach_id != user.pk:
        raise PermissionDenied("Only the coach cancels a circle session")
    was_active = session.is_active
    try:
        actions.cancel_group_session(session, by=user, now=timezone.now())
    except actions.BookingRefused as refusal:
        return _group_page(request, session, error=str(refusal), status=400)
    if was_active:
        messages.success(request, _("Cancelled. Everyone invited gets a cancellation by email."))
    return redirect("coaching:sessions")


# --- Nudges --------------------------------------------------------------------------------


def _nudges_page(
    request: HttpRequest,
    *,
    form: NudgeForm | None = None,
    preview: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    learners, cohorts = my_learners(user)
    return render(
        request,
        "coaching/nudges.html",
        {
            "form": form or NudgeForm(coach=user, learners=learners, cohorts=cohorts),
            "nudges": list(nudges_of(user)),
            "preview": preview,
            "error": error,
            "zone": user.time_zone,
            "threshold": policy.min_group_size(),
            "nav": "sessions",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def nudges(request: HttpRequest) -> HttpResponse:
    """A coach's nudges and the form for a new one (403 for anyone who does not coach).
    `action=preview` shows who it reaches and what each reads, writing nothing; `action=send`
    schedules it. A group smaller than the small-group threshold (but not one learner chosen
    by name) is sent only once the coach ticks the confirmation: until then a 400 that says
    so, with the form as typed."""
    user: Any = request.user
    require_coach(user)
    if request.method == "GET":
        return _nudges_page(request)
    learners, cohorts = my_learners(user)
    form = NudgeForm(request.POST, coach=user, learners=learners, cohorts=cohorts)
    if not form.is_valid():
        return _nudges_page(request, form=form, status=400)
    data = form.cleaned_data
    now = timezone.now()
    audience = Audience(
        learner_id=uuid.UUID(data["learner"]) if data["learner"] else None,
        cohort_id=uuid.UUID(data["cohort"]) if data["cohort"] else None,
        completed_at_most=data["completed_at_most"],
        inactive_days=data["inactive_days"],
    )
    seats = audience_of(user, audience, now=now)
    if not seats:
        return _nudges_page(
            request,
            form=form,
            error=_("None of your learners matches. Change the filters."),
            status=400,
        )
    titles = week_titles(seats, now=now)
    small = not audience.is_one_person and len(seats) < policy.min_group_size()
    preview = {
        "count": len(seats),
        "names": [seat.user.full_name for seat in seats],
        "samples": [
            (
                seat.user.full_name,
                render_nudge(data["body"], values_for(seat, user, titles[seat.pk])),
            )
            for seat in seats[:3]
        ],
        "small": small,
    }
    action = request.POST.get("action")
    if action != "send":
        return _nudges_page(request, form=form, preview=preview)
    if small and not data["confirm_small"]:
        return _nudges_page(
            request,
            form=form,
            preview=preview,
            error=_(
                "This group has fewer than %(n)d people, so each of them may feel singled out. "
                "Tick the confirmation to send it anyway."
            )
            % {"n": policy.min_group_size()},
            status=400,
        )
    actions.schedule_nudge(user, body=data["body"], seats=seats, send_at=data["send_at"] or now)
    messages.success(
        request,
        ngettext(
            "Scheduled for %(n)d learner. They get a notification when it is sent.",
            "Scheduled for %(n)d learners. Each gets a notification when it is sent.",
            len(seats),
        )
        % {"n": len(seats)},
    )
    return redirect("coaching:nudges")


@login_required
@require_GET
def nudge(request: HttpRequest, nudge_id: uuid.UUID) -> HttpResponse:
    """A nudge: for a learner it was delivered to, the text written for them; for its coach,
    the message, its recipients and status (404 for anyone else)."""
    user: Any = request.user
    item = get_nudge_for_user(user, nudge_id)
    mine = item.coach_id == user.pk
    rows = list(
        NudgeRecipient.objects.visible_to(user)
        .filter(nudge=item)
        .select_related("learner", "enrollment__cohort")
        .order_by("learner__full_name")
    )
    text = ""
    if not mine:
        seat = rows[0].enrollment
        titles = week_titles([seat], now=timezone.now())
        seat.user = user
        text = render_nudge(item.body, values_for(seat, item.coach, titles[seat.pk]))
    return render(
        request,
        "coaching/nudge.html",
        {
            "nudge": item,
            "mine": mine,
            "text": text,
            "recipients": [row.learner for row in rows] if mine else [],
            "zone": user.time_zone,
            "nav": "sessions",
        },
    )


@login_required
@require_POST
def nudge_cancel(request: HttpRequest, nudge_id: uuid.UUID) -> HttpResponse:
    """The coach cancels a nudge not sent yet (403 for a recipient; a second click, or a
    nudge already sent, changes nothing)."""
    item = get_own_nudge(request.user, nudge_id)
    if actions.cancel_nudge(item):
        messages.success(request, _("Cancelled. Nobody gets it."))
    return redirect("coaching:nudges")
