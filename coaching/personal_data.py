"""A person's coaching sessions and (for a coach) availability, for their export and erasure
(`accounts.personal_data`)."""

from typing import Any

from django.db.models import Q

from accounts.models import User
from accounts.personal_data import iso
from coaching.models import Availability, Booking, DayOff, GroupInvitee, GroupSession


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
    shows it; an invite already in their calendar stays there until they remove it).
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
