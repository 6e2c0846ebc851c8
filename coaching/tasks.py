"""Background work of the coaching app: the calendar invites of a booking (to both people, as
iTIP messages through the accounts email task) and the reminders before a session (run by
`manage.py run_periodic`)."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import RenderedEmail, render_email, send_rendered
from accounts.models import User
from accounts.tasks import send_email
from coaching.models import (
    Booking,
    BookingStatus,
    GroupInvitee,
    GroupSession,
    Nudge,
    NudgeRecipient,
    NudgeStatus,
)
from events.actions import new_event, record_events
from events.models import ObjectType, Verb
from notifications.actions import notify
from notifications.models import NotificationKind
from rapport.lib.calendar import scheduling_message
from rapport.lib.timezones import get_zone

# How long before a session both people get a reminder.
REMINDER_BEFORE = timedelta(hours=24)


def site_url(path: str) -> str:
    return settings.RAPPORT_SITE_URL.rstrip("/") + path


def session_title(booking: Booking) -> str:
    """ "Coaching session · Carol Jones and Alice Smith": names only, never typed text."""
    return _("Coaching session · %(coach)s and %(learner)s") % {
        "coach": booking.coach.full_name,
        "learner": booking.learner.full_name,
    }


def invite_for(booking: Booking, method: str) -> bytes:
    """The booking's iTIP message: the coach organises, the learner attends."""
    description = "\n".join(
        line
        for line in (
            _("A 1:1 coaching session on Rapport."),
            _("Video link: %(url)s") % {"url": booking.video_url} if booking.video_url else "",
            _("Check your camera, microphone and connection before you join: %(url)s")
            % {"url": site_url(reverse("coaching:readiness"))},
            _("Your sessions: %(url)s") % {"url": site_url(reverse("coaching:sessions"))},
        )
        if line
    )
    return scheduling_message(
        method=method,
        uid=booking.ical_uid,
        sequence=booking.sequence,
        title=session_title(booking),
        description=description,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        organizer=(booking.coach.full_name, booking.coach.email),
        attendees=[(booking.learner.full_name, booking.learner.email)],
        url=booking.video_url,
        last_modified=booking.updated_at,
    )


def render_invite_email(
    booking: Booking, person: User, other: User, *, method: str, change: str = ""
) -> RenderedEmail:
    """The email to `person` carrying the booking's calendar message, times in their zone."""
    zone = get_zone(person.time_zone)
    return render_email(
        "coaching/email/invite",
        {
            "person": person,
            "other": other,
            "booking": booking,
            "method": method,
            "change": change,
            "starts": booking.starts_at.astimezone(zone),
            "ends": booking.ends_at.astimezone(zone),
            "zone": person.time_zone,
            "sessions_url": site_url(reverse("coaching:sessions")),
            "readiness_url": site_url(reverse("coaching:readiness")),
        },
    )


def cancel_sessions_before_erasure(sender: object, *, user: User, **kwargs: object) -> int:
    """Receiver of `accounts.erasure.erasure_starting`: the other person of each of the erased
    person's sessions still ahead gets its cancellation (METHOD:CANCEL, the booking's UID, a
    higher sequence), so the event leaves their calendar before the booking rows go.

    Rendered now, while names and addresses are whole (the organiser must match the invite
    calendars hold), and sent once the erasure commits, straight through the mail backend:
    not as a background task, whose stored arguments would keep the erased person's address
    after the erasure. A failure to send is logged and does not undo the erasure. Returns how
    many cancellations were queued."""
    now = timezone.now()
    bookings = Booking.objects.filter(
        Q(learner=user) | Q(coach=user), status=BookingStatus.BOOKED, ends_at__gt=now
    ).select_related("coach", "learner")
    queued = 0
    for booking in bookings:
        other = booking.other_party(user)
        if not other.is_active:
            continue
        booking.status = BookingStatus.CANCELLED
        booking.sequence += 1
        booking.updated_at = now
        calendar = invite_for(booking, "CANCEL").decode()
        me = booking.learner if other.pk == booking.coach_id else booking.coach
        rendered = render_invite_email(booking, other, me, method="CANCEL")
        to = [other.email]
        transaction.on_commit(
            partial(send_rendered, rendered, to=to, calendar=calendar, calendar_method="CANCEL"),
            robust=True,
        )
        queued += 1
    return queued


@task()
def send_invites(*, booking_id: int, method: str, change: str = "") -> int:
    """Email the booking's coach and learner its calendar message (`method` "REQUEST" for a
    new or moved session, "CANCEL" for a cancelled one; `change` "link" when only the video
    link changed), each with the time in their own zone.
    A REQUEST for a booking cancelled meanwhile is not sent (its CANCEL follows). Returns how
    many emails were queued."""
    booking = Booking.objects.select_related("coach", "learner").filter(pk=booking_id).first()
    if booking is None:
        return 0
    if method == "REQUEST" and booking.status != BookingStatus.BOOKED:
        return 0
    calendar = invite_for(booking, method).decode()
    queued = 0
    for person, other in ((booking.learner, booking.coach), (booking.coach, booking.learner)):
        if not person.is_active:
            continue
        rendered = render_invite_email(booking, person, other, method=method, change=change)
        send_email.enqueue(
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            to=[person.email],
            calendar=calendar,
            calendar_method=method,
        )
        queued += 1
    return queued


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind both people of each active session starting within REMINDER_BEFORE, exactly
    once: each booking is claimed by a conditional UPDATE of `reminded_at` (moving a booking
    clears it), so two runs at once or a rerun after a crash remind nobody twice. The
    notification (kind `session`) names the session only — no text anyone typed — and goes
    by email as the person chose. Circle sessions (GroupSession) are reminded the same way, to
    their coach and every member still invited. Returns how many sessions were reminded."""
    now = now or timezone.now()
    due = list(
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_BEFORE,
        )
        .select_related("coach", "learner")
        .order_by("starts_at")[:500]
    )
    reminded = 0
    url = reverse("coaching:sessions")
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=booking.pk, reminded_at__isnull=True, status=BookingStatus.BOOKED
            ).update(reminded_at=now)
            if not claimed:
                continue
            notify(
                kind=NotificationKind.SESSION,
                recipients=[booking.learner, booking.coach],
                actor=None,
                actor_label="",
                place=str(_("Your coaching session")),
                url=url,
                target_id=booking.public_id,
            )
            reminded += 1
    return reminded + _send_group_reminders(now=now)


def _send_group_reminders(*, now: datetime) -> int:
    """The circle sessions' day-ahead reminders: claimed one by one on `reminded_at` (as a
    booking's), to the coach and the members still invited; the headline names the circle."""
    due = list(
        GroupSession.objects.filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_BEFORE,
        )
        .select_related("circle", "coach")
        .order_by("starts_at")[:500]
    )
    reminded = 0
    url = reverse("coaching:sessions")
    for session in due:
        with transaction.atomic():
            claimed = GroupSession.objects.filter(
                pk=session.pk, reminded_at__isnull=True, status=BookingStatus.BOOKED
            ).update(reminded_at=now)
            if not claimed:
                continue
            members = list(
                User.objects.filter(
                    group_invites__session=session, group_invites__removed_at__isnull=True
                )
            )
            notify(
                kind=NotificationKind.SESSION,
                recipients=[session.coach, *members],
                actor=None,
                actor_label="",
                place=group_title(session),
                url=url,
                target_id=session.public_id,
            )
            reminded += 1
    return reminded


# --- Group (circle) sessions ---------------------------------------------------------------


def group_title(session: GroupSession) -> str:
    """ "Circle session · Circle Lisbon with Carol Jones": names only, never typed text."""
    return _("Circle session · %(circle)s with %(coach)s") % {
        "circle": session.circle.name,
        "coach": session.coach.full_name,
    }


def group_invite_for(session: GroupSession, method: str, attendees: list[User]) -> bytes:
    """The group session's iTIP message: the coach organises; `attendees` are every member
    invited (a REQUEST, or the CANCEL of the whole session) or only the person who left (the
    CANCEL that takes the event out of their calendar, RFC 5546 §3.2.5)."""
    description = "\n".join(
        line
        for line in (
            _("A circle session on Rapport with %(circle)s.") % {"circle": session.circle.name},
            _("Video link: %(url)s") % {"url": session.video_url} if session.video_url else "",
            _("Check your camera, microphone and connection before you join: %(url)s")
            % {"url": site_url(reverse("coaching:readiness"))},
            _("Your sessions: %(url)s") % {"url": site_url(reverse("coaching:sessions"))},
        )
        if line
    )
    return scheduling_message(
        method=method,
        uid=session.ical_uid,
        sequence=session.sequence,
        title=group_title(session),
        description=description,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        organizer=(session.coach.full_name, session.coach.email),
        attendees=[(person.full_name, person.email) for person in attendees],
        url=session.video_url,
        last_modified=session.updated_at,
    )


@task()
def send_group_invites(
    *, session_id: int, method: str, user_ids: list[int], change: str = ""
) -> int:
    """Email each of `user_ids` the group session's calendar message, in their own zone, as
    things stand when the task runs (a REQUEST is for the coach and members still invited, and
    not once the session is cancelled; a CANCEL of a session still on goes only to those whose
    invite was withdrawn: they left the circle). `change` "link" when only the video link
    changed. Returns how many emails were queued."""
    session = GroupSession.objects.select_related("circle", "coach").filter(pk=session_id).first()
    if session is None:
        return 0
    rows = {
        row.user_id: row
        for row in GroupInvitee.objects.filter(session=session).select_related("user")
    }
    invited = sorted(
        (row.user for row in rows.values() if row.removed_at is None and row.user.is_active),
        key=lambda person: (person.full_name, person.pk),
    )
    whole_cancel = method == "CANCEL" and session.status != BookingStatus.BOOKED
    if method == "REQUEST" and session.status != BookingStatus.BOOKED:
        return 0
    queued = 0
    shared: bytes | None = None
    for user_id in user_ids:
        if user_id == session.coach_id:
            person = session.coach
            left = False
        elif user_id in rows:
            person = rows[user_id].user
            left = rows[user_id].removed_at is not None
        else:
            continue
        if not person.is_active or (method == "REQUEST" and left):
            continue
        if method == "CANCEL" and not whole_cancel and not left:
            continue  # they came back meanwhile: their invite stands
        if method == "CANCEL" and not whole_cancel:
            calendar = group_invite_for(session, method, [person])
        else:
            if not invited:
                return queued
            shared = shared or group_invite_for(session, method, invited)
            calendar = shared
        zone = get_zone(person.time_zone)
        rendered = render_email(
            "coaching/email/group_invite",
            {
                "person": person,
                "session": session,
                "method": method,
                "left": left,
                "change": change,
                "starts": session.starts_at.astimezone(zone),
                "ends": session.ends_at.astimezone(zone),
                "zone": person.time_zone,
                "sessions_url": site_url(reverse("coaching:sessions")),
                "readiness_url": site_url(reverse("coaching:readiness")),
            },
        )
        send_email.enqueue(
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            to=[person.email],
            calendar=calendar.decode(),
            calendar_method=method,
        )
        queued += 1
    return queued


# --- Nudges --------------------------------------------------------------------------------


def send_due_nudges(*, now: datetime | None = None) -> int:
    """Deliver each scheduled nudge whose time has come, exactly once: the nudge is claimed
    by a conditional UPDATE of its status (two runs at once, or a rerun after a crash, deliver
    nothing twice), then each recipient is notified (kind `nudge`: the coach's name and "A
    nudge from your coach", never the text; email as the person chose, after their quiet hours
    in their own zone, or in their digest) and one `nudged` event per learner is recorded, all
    in the claim's transaction. Returns how many nudges were delivered. Run by
    `manage.py run_periodic`."""
    now = now or timezone.now()
    due = list(
        Nudge.objects.filter(status=NudgeStatus.SCHEDULED, send_at__lte=now)
        .select_related("coach")
        .order_by("send_at")[:200]
    )
    sent = 0
    for nudge in due:
        with transaction.atomic():
            claimed = Nudge.objects.filter(pk=nudge.pk, status=NudgeStatus.SCHEDULED).update(
                status=NudgeStatus.SENT, sent_at=now
            )
            if not claimed:
                continue
            rows = list(
                NudgeRecipient.objects.filter(nudge=nudge, learner__is_active=True)
                .select_related("learner")
                .order_by("pk")
            )
            NudgeRecipient.objects.filter(pk__in=[r.pk for r in rows]).update(delivered_at=now)
            if nudge.coach.is_active and rows:
                notify(
                    kind=NotificationKind.NUDGE,
                    recipients=[r.learner for r in rows],
                    actor=nudge.coach,
                    actor_label=nudge.coach.full_name,
                    place=str(_("A nudge from your coach")),
                    url=reverse("coaching:nudge", args=[nudge.public_id]),
                    target_id=nudge.public_id,
                )
                record_events(
                    [
                        new_event(
                            nudge.coach,
                            verb=Verb.NUDGED,
                            object_type=ObjectType.PERSON,
                            object_id=r.learner.public_id,
                        )
                        for r in rows
                    ]
                )
            sent += 1
    return sent
