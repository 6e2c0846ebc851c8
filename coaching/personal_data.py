"""A person's coaching sessions and (for a coach) availability, for their export and erasure
(`accounts.personal_data`)."""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import iso
from coaching.models import (
    ActionItem,
    Attachment,
    Availability,
    Booking,
    CoachChangeRequest,
    Conversation,
    DayOff,
    GroupInvitee,
    GroupSession,
    MatchProfile,
    Message,
    Nudge,
    NudgeRecipient,
    SessionNote,
)


def export_sessions(user: User) -> list[dict[str, Any]]:
    """Every 1:1 session the person booked or coaches, cancelled ones too: their role in it,
    the other person's name (they met them), times (UTC), status and video link. One query."""
    bookings = (
        Booking.objects.filter(Q(learner=user) | Q(coach=user))
        .select_related("coach", "learner")
        .order_by("starts_at", "id")
    )
    return [
        {
            "role": "coach" if booking.coach_id == user.pk else "learner",
            "with": booking.other_party(user).full_name,
            "starts_at": iso(booking.starts_at),
            "ends_at": iso(booking.ends_at),
            "status": booking.get_status_display(),
            "video_link": booking.video_url,
            "booked_at": iso(booking.created_at),
            "cancelled_at": iso(booking.cancelled_at),
        }
        for booking in bookings
    ]


def export_availability(user: User) -> list[dict[str, Any]]:
    """A coach's weekly blocks and days off (wall-clock times in the block's own zone). Two
    queries."""
    blocks = [
        {
            "kind": "weekly",
            "weekday": block.get_weekday_display(),
            "from": block.start_time.strftime("%H:%M"),
            "until": block.end_time.strftime("%H:%M"),
            "time_zone": block.time_zone,
            "session_minutes": block.slot_minutes,
            "first_day": iso(block.starts_on),
            "last_day": iso(block.ends_on),
            "video_link": block.video_url,
        }
        for block in Availability.objects.filter(coach=user).order_by("weekday", "start_time")
    ]
    days_off = [
        {
            "kind": "day off",
            "weekday": day_off.day.strftime("%A"),
            "from": None,
            "until": None,
            "time_zone": None,
            "session_minutes": None,
            "first_day": iso(day_off.day),
            "last_day": iso(day_off.day),
            "video_link": "",
        }
        for day_off in DayOff.objects.filter(coach=user).order_by("day")
    ]
    return blocks + days_off


def erase_sessions(user: User) -> int:
    """Delete every session the person booked or coaches (the other person's list no longer
    shows it; for a session still ahead they were sent its cancellation first, by
    coaching.tasks.cancel_sessions_before_erasure, so it leaves their calendar).
    Returns the rows deleted."""
    return Booking.objects.filter(Q(learner=user) | Q(coach=user)).delete()[0]


def erase_availability(user: User) -> int:
    """Delete a coach's weekly blocks and days off. Returns the rows deleted."""
    return (
        Availability.objects.filter(coach=user).delete()[0]
        + DayOff.objects.filter(coach=user).delete()[0]
    )


def export_group_sessions(user: User) -> list[dict[str, Any]]:
    """Every circle session the person coached or was invited to, cancelled ones and those of
    a circle they left too: their role, the circle's name, times (UTC), status, video link and,
    for a member, when they were invited and whether the invite was withdrawn. Two queries."""
    invites = {
        row.session_id: row
        for row in GroupInvitee.objects.filter(user=user).only(
            "session_id", "invited_at", "removed_at"
        )
    }
    sessions = (
        GroupSession.objects.filter(Q(coach=user) | Q(pk__in=list(invites)))
        .select_related("circle")
        .order_by("starts_at", "id")
    )
    return [
        {
            "role": "coach" if session.coach_id == user.pk else "member",
            "circle": session.circle.name,
            "starts_at": iso(session.starts_at),
            "ends_at": iso(session.ends_at),
            "status": session.get_status_display(),
            "video_link": session.video_url,
            "invited_at": iso(invites[session.pk].invited_at) if session.pk in invites else None,
            "invite_withdrawn_at": (
                iso(invites[session.pk].removed_at) if session.pk in invites else None
            ),
        }
        for session in sessions
    ]


def erase_group_sessions(user: User) -> int:
    """Delete the circle sessions the person coaches (their members' lists no longer show
    them) and the person's invites to others' sessions. Returns the rows deleted."""
    return (
        GroupSession.objects.filter(coach=user).delete()[0]
        + GroupInvitee.objects.filter(user=user).delete()[0]
    )


# -- Messages, session notes and action plans (coach-talk) --------------------------------------


def export_messages(user: User) -> list[dict[str, Any]]:
    """A learner's conversations with their coaches: every message (who wrote it, when, its
    text, the activity it asked about, its files by name and size) and the action plan. Only
    in the learner's own export: a coach's export holds none of their learners' words (the
    brief: messages are in no export but the learner's). Three queries."""
    rows: list[dict[str, Any]] = []
    messages = (
        Message.objects.filter(conversation__learner=user)
        .select_related("conversation__coach", "author", "activity")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    for message in messages:
        rows.append(
            {
                "type": "message",
                "with": message.conversation.coach.full_name,
                "from": "me" if message.author_id == user.pk else message.author.full_name,
                "sent_at": iso(message.created_at),
                "text": message.body,
                "about_activity": message.activity.title if message.activity else None,
                "files": [
                    {"name": file.name, "bytes": file.size} for file in message.attachments.all()
                ],
            }
        )
    items = (
        ActionItem.objects.filter(conversation__learner=user)
        .select_related("conversation__coach", "behaviour", "goal")
        .order_by("created_at", "id")
    )
    for item in items:
        rows.append(
            {
                "type": "action plan item",
                "with": item.conversation.coach.full_name,
                "text": item.text,
                "behaviour": item.behaviour.text if item.behaviour else None,
                "goal": item.goal.title if item.goal else None,
                "added_by": "me" if item.added_by_id == user.pk else "coach",
                "added_at": iso(item.created_at),
                "done_at": iso(item.done_at),
            }
        )
    return rows


def export_session_notes(user: User) -> list[dict[str, Any]]:
    """A coach's own private notes (they wrote them): the session's time, the learner's name,
    the note. Never in the learner's export. One query."""
    notes = SessionNote.objects.filter(coach=user).select_related("booking__learner")
    return [
        {
            "session_starts_at": iso(note.booking.starts_at),
            "learner": note.booking.learner.full_name,
            "note": note.body,
            "changed_at": iso(note.updated_at),
        }
        for note in notes.order_by("created_at", "id")
    ]


def erase_messages(user: User) -> int:
    """Delete every conversation the person is in, as learner or coach, with its messages,
    attachments (their files too, once the erasure commits) and action plan. A coach's
    erasure takes the conversations with their learners away from those learners as well
    (as their sessions go): the words in them are both people's. Returns the rows deleted."""
    conversations = Conversation.objects.filter(Q(learner=user) | Q(coach=user))
    files = list(
        Attachment.objects.filter(message__conversation__in=conversations).values_list(
            "file", flat=True
        )
    )
    deleted = conversations.delete()[0]
    transaction.on_commit(lambda: _delete_files(files))
    return deleted


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def erase_session_notes(user: User) -> int:
    """Delete a coach's private notes (a learner's sessions, deleted with their account, take
    the notes on them along). Returns the rows deleted."""
    return SessionNote.objects.filter(coach=user).delete()[0]


def export_matching(user: User) -> list[dict[str, Any]]:
    """What matching knows of the person (languages, focus competencies by name, a coach's
    capacity) and the changes of coach they asked for (the cohort, when, what became of it):
    never who resolved them. Two queries (three with competencies)."""
    out: list[dict[str, Any]] = []
    profile = MatchProfile.objects.filter(user=user).prefetch_related("competencies").first()
    if profile is not None:
        out.append(
            {
                "kind": "matching preferences",
                "languages": profile.languages,
                "focus": [c.name for c in profile.competencies.all()],
                "capacity": profile.capacity,
            }
        )
    for change in (
        CoachChangeRequest.objects.filter(learner=user)
        .select_related("enrollment__cohort")
        .order_by("created_at")
    ):
        out.append(
            {
                "kind": "change of coach asked for",
                "cohort": change.enrollment.cohort.name,
                "asked_at": iso(change.created_at),
                "status": change.get_status_display(),
                "resolved_at": iso(change.resolved_at),
            }
        )
    return out


def erase_matching(user: User) -> int:
    """Delete the person's matching preferences and the changes of coach they asked for.
    Returns the rows deleted."""
    return (
        MatchProfile.objects.filter(user=user).delete()[0]
        + CoachChangeRequest.objects.filter(learner=user).delete()[0]
    )


def export_nudges(user: User) -> list[dict[str, Any]]:
    """The nudges the person sent as a coach (the message as written, when, status, how many
    learners) and those delivered to them (the text as they read it). Three queries and one
    per received nudge's week title at most."""
    from coaching.nudges import render_nudge, values_for, week_titles

    sent = [
        {
            "role": "coach",
            "message": nudge.body,
            "send_at": iso(nudge.send_at),
            "status": nudge.get_status_display(),
            "learners": nudge.recipients.count(),
        }
        for nudge in Nudge.objects.filter(coach=user).order_by("send_at", "id")
    ]
    rows = list(
        NudgeRecipient.objects.filter(learner=user, delivered_at__isnull=False)
        .select_related("nudge__coach", "enrollment__cohort", "learner")
        .order_by("delivered_at", "id")
    )
    titles = week_titles([row.enrollment for row in rows], now=timezone.now()) if rows else {}
    received = []
    for row in rows:
        seat = row.enrollment
        seat.user = row.learner
        values = values_for(seat, row.nudge.coach, titles.get(seat.pk, ""))
        received.append(
            {
                "role": "learner",
                "from": row.nudge.coach.full_name,
                "message": render_nudge(row.nudge.body, values),
                "send_at": iso(row.delivered_at),
                "status": row.nudge.get_status_display(),
                "learners": 1,
            }
        )
    return sent + received


def erase_nudges(user: User) -> int:
    """Delete the nudges the person sent (their learners no longer find them) and their
    rows as a recipient. Returns the rows deleted."""
    return (
        Nudge.objects.filter(coach=user).delete()[0]
        + NudgeRecipient.objects.filter(learner=user).delete()[0]
    )
