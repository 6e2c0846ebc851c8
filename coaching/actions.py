"""Writes of the coaching app: a coach's availability and days off, and booking, moving and
cancelling 1:1 sessions. Each is atomic; invites go out once the transaction commits
(coaching.tasks.send_invites), to both people, as iTIP calendar messages.

Nothing here stores or sends text a person typed: a booking holds times, the two people, a
video link and its status.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from circles.models import Circle, CircleMember
from coaching.access import sessions_overlapping
from coaching.models import (
    Availability,
    Booking,
    BookingStatus,
    DayOff,
    GroupInvitee,
    GroupSession,
)
from coaching.slots import Slot, find_slot
from events.actions import ObjectRef, record_event
from events.models import ObjectType, Verb
from rapport.lib.timezones import get_zone


class BookingRefused(Exception):
    """A booking, move or cancellation that cannot happen, with the message to show. Raised
    before anything is written (or after a rollback): nothing changed."""


@dataclass(frozen=True)
class BookingResult:
    booking: Booking
    created: bool


def _lost_race() -> BookingRefused:
    """The refusal when the unique constraint `one_active_booking_per_slot` turned an insert or
    move away: someone else's booking of that time committed first."""
    return BookingRefused(
        _("Someone booked that time a moment before you. Choose another time from the list.")
    )


def lock_people(user_ids: Iterable[int]) -> None:
    """Serialise the writes that decide who is busy when: on PostgreSQL, lock the people's
    account rows (`SELECT … FOR UPDATE`, in id order so two writers never deadlock) until the
    transaction ends; on SQLite every write transaction is IMMEDIATE (rapport.settings), which
    already lets one writer at a time check and write. Call inside `transaction.atomic`."""
    list(
        User.objects.select_for_update()
        .filter(pk__in=sorted(set(user_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _when(person: User, starts_at: datetime, ends_at: datetime) -> str:
    """A time span in the person's zone: "Tuesday 3 December, 09:00-09:45 (Asia/Tokyo)"."""
    zone = get_zone(person.time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    return f"{date_format(start, 'l j F')}, {start:%H:%M}\u2013{end:%H:%M} ({person.time_zone})"


def _refuse_overlap(
    learner: User,
    coach: User,
    starts_at: datetime,
    ends_at: datetime,
    *,
    ignore: int | None = None,
) -> None:
    """BookingRefused when the learner already has a session (1:1 with any coach, or a group
    session of their circle) overlapping the time, or the coach has one (booked or scheduled
    a moment ago: the refusal of a lost race). Called under `lock_people`, so two bookings of
    the same person cannot both pass."""
    mine = sessions_overlapping(
        [learner.pk], starts_at=starts_at, ends_at=ends_at, ignore_booking=ignore
    )
    if mine:
        raise BookingRefused(
            _(
                "You already have a session then (%(when)s). Choose a time that does not "
                "overlap it, or move or cancel that session first."
            )
            % {"when": _when(learner, *mine[0])}
        )
    if sessions_overlapping(
        [coach.pk], starts_at=starts_at, ends_at=ends_at, ignore_booking=ignore
    ):
        # The slot was free when the page listed it: someone took it meanwhile.
        raise _lost_race()


def _record(actor: User, verb: Verb, booking: Booking) -> None:
    """The learning record of a booking, a move or a cancellation: who, what, which session
    (its opaque id) — never when or with whom beyond that, never text."""
    record_event(
        actor, verb=verb, object_type=ObjectType.COACHING_SESSION, object_id=booking.public_id
    )


def _queue_invites(booking: Booking, method: str, *, change: str = "") -> None:
    """Send both people the booking's calendar message once the transaction commits
    (coaching.tasks.send_invites); `change` "link" says only the video link changed."""
    from coaching.tasks import send_invites

    booking_id = booking.pk
    transaction.on_commit(
        lambda: send_invites.enqueue(booking_id=booking_id, method=method, change=change)
    )


def book_session(
    learner: User, *, coach: User, starts_at: datetime, slots: list[Slot], now: datetime
) -> BookingResult:
    """Book the slot of `coach` starting at `starts_at` for `learner`.

    Preconditions: `coach` is one of the learner's coaches (coaching.access.get_coach_of) and
    `slots` their free slots now (coaching.access.free_slots). Idempotent for a double click:
    if the learner already holds this very slot, that booking is returned (`created` false).
    Race-free: when another learner takes the slot between the page and the click, the unique
    constraint `one_active_booking_per_slot` refuses the second insert, and this raises
    BookingRefused with a clear message (the savepoint is rolled back; nothing is written).
    Raises BookingRefused for a slot that is not free, or past.
    """
    mine = (
        Booking.objects.filter(
            coach=coach, learner=learner, starts_at=starts_at, status=BookingStatus.BOOKED
        )
        .select_related("coach", "learner")
        .first()
    )
    if mine is not None:
        return BookingResult(mine, created=False)
    if starts_at <= now:
        raise BookingRefused(_("That time has already passed. Choose a time from the list."))
    slot = find_slot(slots, starts_at)
    if slot is None:
        raise BookingRefused(
            _("That time is no longer free with your coach. Choose another time from the list.")
        )
    try:
        with transaction.atomic():
            lock_people([learner.pk, coach.pk])
            _refuse_overlap(learner, coach, slot.starts_at, slot.ends_at)
            booking = Booking.objects.create(
                coach=coach,
                learner=learner,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                video_url=slot.video_url,
                booked_by=learner,
            )
            _record(learner, Verb.SCHEDULED, booking)
            _queue_invites(booking, "REQUEST")
    except IntegrityError:
        raise _lost_race() from None
    return BookingResult(booking, created=True)


def move_session(
    booking: Booking, *, by: User, starts_at: datetime, slots: list[Slot], now: datetime
) -> Booking:
    """Move an active booking to another free slot of its coach (either person may). The
    booking keeps its UID and its `sequence` grows, so both calendars move the event.

    `slots`: the coach's free slots, leaving out this booking's own time
    (coaching.access.free_slots with `ignore`). Raises BookingRefused for a cancelled or past
    booking, a time that is not free, or a race lost to another learner (nothing changes).
    Moving to the time it already has changes nothing.
    """
    if not booking.is_active:
        raise BookingRefused(_("This session was cancelled, so it cannot be moved."))
    if booking.starts_at <= now:
        raise BookingRefused(_("This session has already started, so it cannot be moved."))
    if starts_at == booking.starts_at:
        return booking
    slot = find_slot(slots, starts_at)
    if slot is None or starts_at <= now:
        raise BookingRefused(
            _("That time is not free with this coach. Choose another time from the list.")
        )
    try:
        with transaction.atomic():
            lock_people([booking.learner_id, booking.coach_id])
            _refuse_overlap(
                booking.learner, booking.coach, slot.starts_at, slot.ends_at, ignore=booking.pk
            )
            updated = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.BOOKED, sequence=booking.sequence
            ).update(
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                sequence=booking.sequence + 1,
                reminded_at=None,
                updated_at=timezone.now(),
            )
            if not updated:
                raise BookingRefused(
                    _("This session changed a moment ago. Look at it again, then choose a time.")
                )
            _record(by, Verb.RESCHEDULED, booking)
            _queue_invites(booking, "REQUEST")
    except IntegrityError:
        raise _lost_race() from None
    booking.refresh_from_db()
    return booking


def cancel_session(booking: Booking, *, by: User, now: datetime) -> Booking:
    """Cancel a booking (either person may, until it ends). Both get a cancellation
    (METHOD:CANCEL, a higher sequence, STATUS:CANCELLED) that removes the event from their
    calendars. Idempotent: cancelling a cancelled booking changes nothing and sends nothing.
    Raises BookingRefused for a session that is over."""
    if not booking.is_active:
        return booking
    if booking.ends_at <= now:
        raise BookingRefused(_("This session is over, so there is nothing to cancel."))
    with transaction.atomic():
        updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED,
            sequence=booking.sequence + 1,
            cancelled_by=by,
            cancelled_at=now,
            updated_at=timezone.now(),
        )
        if updated:
            _record(by, Verb.CANCELLED, booking)
            _queue_invites(booking, "CANCEL")
    booking.refresh_from_db()
    return booking


def change_video_link(booking: Booking, *, by: User, video_url: str) -> bool:
    """Set (or clear) the video link of an active booking; the coach's to change
    (coaching.access.get_booking_for_coach). Both people get an updated invite (a REQUEST with
    a higher sequence). Returns False, changing nothing and sending nothing, when the link is
    the same. Records no event: where a meeting happens is not learning state."""
    if video_url == booking.video_url:
        return False
    with transaction.atomic():
        updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            video_url=video_url, sequence=booking.sequence + 1, updated_at=timezone.now()
        )
        if not updated:
            raise BookingRefused(_("This session was cancelled, so its link cannot change."))
        _queue_invites(booking, "REQUEST", change="link")
    booking.refresh_from_db()
    return True


def add_availability(
    coach: User,
    *,
    weekday: int,
    start_time: time,
    end_time: time,
    slot_minutes: int,
    starts_on: date,
    ends_on: date | None,
    video_url: str = "",
) -> Availability:
    """A new weekly block in the coach's own time zone (User.time_zone). Precondition: the
    form checked it overlaps none of the coach's blocks (coaching.forms.AvailabilityForm)."""
    return Availability.objects.create(
        coach=coach,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        time_zone=coach.time_zone,
        slot_minutes=slot_minutes,
        starts_on=starts_on,
        ends_on=ends_on,
        video_url=video_url,
    )


def remove_availability(block: Availability) -> None:
    """Take a weekly block away. Sessions already booked in it stay booked (the coach cancels
    those one by one, so each learner hears about it)."""
    block.delete()


def add_day_off(coach: User, *, day: date) -> tuple[DayOff, bool]:
    """A day without slots; (row, created). Idempotent: the same day twice is one day off.
    Sessions already booked that day stay booked (as remove_availability)."""
    return DayOff.objects.get_or_create(coach=coach, day=day)


def remove_day_off(day_off: DayOff) -> None:
    day_off.delete()


# --- Group (circle) sessions ---------------------------------------------------------------
# A coach schedules a session with a circle they coach; every current member is invited, and
# the invitee list follows the circle (sync_group_invitees). The same rule as 1:1 booking:
# nobody — coach or member — has two sessions at once.

# How far ahead a group session may be scheduled.
GROUP_HORIZON = timedelta(days=180)


@dataclass(frozen=True)
class GroupResult:
    session: GroupSession
    created: bool


def _members_of(circle_id: int) -> list[int]:
    """The user ids of the circle's members with active accounts, in id order."""
    return list(
        CircleMember.objects.filter(circle_id=circle_id, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _check_group_time(
    coach: User,
    members: list[int],
    starts_at: datetime,
    ends_at: datetime,
    *,
    now: datetime,
    ignore: int | None = None,
) -> None:
    """BookingRefused for a past or far-off time, or one at which the coach or any member
    already has a session. For members the message says only that someone is busy, never who
    or with whom (the coach may not read another coach's calendar)."""
    if starts_at <= now:
        raise BookingRefused(_("That time has already passed. Choose a time ahead."))
    if starts_at > now + GROUP_HORIZON:
        raise BookingRefused(_("Choose a time within the next six months."))
    theirs = sessions_overlapping(
        [coach.pk], starts_at=starts_at, ends_at=ends_at, ignore_group=ignore
    )
    if theirs:
        raise BookingRefused(
            _("You already have a session then (%(when)s). Choose a time that does not overlap it.")
            % {"when": _when(coach, *theirs[0])}
        )
    if members and sessions_overlapping(
        members, starts_at=starts_at, ends_at=ends_at, ignore_group=ignore
    ):
        raise BookingRefused(
            _(
                "Someone in this circle already has a session at that time. Choose another "
                "time, so that everyone can come."
            )
        )


def _record_group(actor: User, verb: Verb, session: GroupSession) -> None:
    """The learning record of scheduling, moving or cancelling a group session: the session
    (its opaque id) in the circle's cohort, grouped by the circle. No time, no text."""
    circle = session.circle
    record_event(
        actor,
        verb=verb,
        object_type=ObjectType.COACHING_SESSION,
        object_id=session.public_id,
        cohort=circle.cohort,
        grouping=ObjectRef(ObjectType.CIRCLE, circle.public_id),
    )


def _queue_group_invites(
    session: GroupSession, method: str, user_ids: Iterable[int], *, change: str = ""
) -> None:
    """Email these people the session's calendar message once the transaction commits
    (coaching.tasks.send_group_invites decides, at sending time, what each may still get)."""
    from coaching.tasks import send_group_invites

    session_id, ids = session.pk, sorted(set(user_ids))
    if ids:
        transaction.on_commit(
            lambda: send_group_invites.enqueue(
                session_id=session_id, method=method, user_ids=ids, change=change
            )
        )


def _queue_sync(session: GroupSession) -> None:
    """Reconcile the invitees with the circle once this commits: a member who joined or left
    while this transaction ran (on PostgreSQL it could not see them) is then told."""
    session_id = session.pk
    transaction.on_commit(lambda: sync_group_invitees(session_id, now=timezone.now()))


def schedule_group_session(
    coach: User,
    *,
    circle: Circle,
    starts_at: datetime,
    ends_at: datetime,
    video_url: str,
    now: datetime,
) -> GroupResult:
    """Schedule a session of `coach` with `circle` and invite each current member.

    Preconditions: the coach coaches the circle (coaching.access.get_coached_circle) and the
    times are aware, `ends_at` after `starts_at`. Idempotent for a double click: the circle's
    active session at that very start is returned (`created` false). Refused (BookingRefused,
    nothing written) for a circle without members, a past or far-off time, and a time at which
    the coach or a member already has a session — checked under `lock_people` on the coach
    and every member, so a 1:1 booked at the same moment cannot slip in beside it.
    The coach and every member get an iTIP REQUEST (one event, every member an ATTENDEE).
    """
    with transaction.atomic():
        members = _members_of(circle.pk)
        lock_people([coach.pk, *members])
        same = (
            GroupSession.objects.filter(
                circle=circle, starts_at=starts_at, status=BookingStatus.BOOKED
            )
            .select_related("circle__cohort", "coach")
            .first()
        )
        if same is not None:
            return GroupResult(same, created=False)
        if not members:
            raise BookingRefused(_("This circle has no members yet, so there is nobody to invite."))
        _check_group_time(coach, members, starts_at, ends_at, now=now)
        try:
            with transaction.atomic():
                session = GroupSession.objects.create(
                    circle=circle,
                    coach=coach,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    video_url=video_url,
                )
        except IntegrityError:
            raise BookingRefused(
                _("This circle has a session starting then already. Look at My sessions.")
            ) from None
        GroupInvitee.objects.bulk_create(
            GroupInvitee(
                organization_id=session.organization_id,
                session=session,
                user_id=uid,
                invited_at=now,
            )
            for uid in members
        )
        _record_group(coach, Verb.SCHEDULED, session)
        _queue_group_invites(session, "REQUEST", [coach.pk, *members])
        _queue_sync(session)
    return GroupResult(session, created=True)


def change_group_session(
    session: GroupSession,
    *,
    by: User,
    starts_at: datetime,
    ends_at: datetime,
    video_url: str,
    now: datetime,
) -> bool:
    """Move a group session, change its length or its video link (its coach's to do:
    coaching.access.get_group_session_for_user with `for_write`). Everyone invited gets an
    updated REQUEST (same UID, a higher SEQUENCE). Returns False, sending nothing, when nothing
    changed. Refused as `schedule_group_session` for a new time, and when it already started
    or was changed meanwhile (nothing changes)."""
    if (starts_at, ends_at, video_url) == (session.starts_at, session.ends_at, session.video_url):
        return False
    if session.starts_at <= now:
        raise BookingRefused(_("This session has already started, so it cannot change."))
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    with transaction.atomic():
        members = _members_of(session.circle_id)
        lock_people([session.coach_id, *members])
        if moved:
            _check_group_time(
                session.coach, members, starts_at, ends_at, now=now, ignore=session.pk
            )
        try:
            with transaction.atomic():
                updated = GroupSession.objects.filter(
                    pk=session.pk, status=BookingStatus.BOOKED, sequence=session.sequence
                ).update(
                    starts_at=starts_at,
                    ends_at=ends_at,
                    video_url=video_url,
                    sequence=session.sequence + 1,
                    updated_at=timezone.now(),
                )
        except IntegrityError:
            raise BookingRefused(
                _("This circle has a session starting then already. Choose another time.")
            ) from None
        if not updated:
            raise BookingRefused(
                _("This session changed a moment ago. Look at it again, then change it.")
            )
        if moved:
            _record_group(by, Verb.RESCHEDULED, session)
        invited = GroupInvitee.objects.filter(session=session, removed_at__isnull=True)
        _queue_group_invites(
            session,
            "REQUEST",
            [session.coach_id, *invited.values_list("user_id", flat=True)],
            change="" if moved else "link",
        )
        _queue_sync(session)
    session.refresh_from_db()
    return True


def cancel_group_session(session: GroupSession, *, by: User, now: datetime) -> GroupSession:
    """Cancel a group session (its coach's to do) until it ends: the coach and everyone
    invited get METHOD:CANCEL with a higher SEQUENCE. Idempotent: a second cancel changes and
    sends nothing. Refused (BookingRefused) once it is over."""
    if not session.is_active:
        return session
    if session.ends_at <= now:
        raise BookingRefused(_("This session is over, so there is nothing to cancel."))
    with transaction.atomic():
        updated = GroupSession.objects.filter(pk=session.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED,
            sequence=session.sequence + 1,
            cancelled_at=now,
            updated_at=timezone.now(),
        )
        if updated:
            _record_group(by, Verb.CANCELLED, session)
            invited = GroupInvitee.objects.filter(session=session, removed_at__isnull=True)
            _queue_group_invites(
                session, "CANCEL", [session.coach_id, *invited.values_list("user_id", flat=True)]
            )
    session.refresh_from_db()
    return session


def sync_group_invitees(session_id: int, *, now: datetime) -> tuple[list[int], list[int]]:
    """Bring an upcoming, active group session's invitees in line with its circle: invite
    whoever joined (a REQUEST naming every attendee), cancel for whoever left or was
    deactivated (a CANCEL naming only them), and grow the SEQUENCE once when anyone changed.
    Returns (joined, left) user ids. Race-free: the session row is locked while it compares,
    so two runs at once tell each person once; safe to run any number of times."""
    with transaction.atomic():
        session = (
            GroupSession.objects.select_for_update()
            .filter(pk=session_id, status=BookingStatus.BOOKED, ends_at__gt=now)
            .first()
        )
        if session is None:
            return [], []
        members = set(_members_of(session.circle_id))
        rows = {row.user_id: row for row in GroupInvitee.objects.filter(session=session)}
        invited = {uid for uid, row in rows.items() if row.removed_at is None}
        joined, left = sorted(members - invited), sorted(invited - members)
        if not joined and not left:
            return [], []
        GroupInvitee.objects.filter(session=session, user_id__in=left).update(removed_at=now)
        back = [uid for uid in joined if uid in rows]
        GroupInvitee.objects.filter(session=session, user_id__in=back).update(
            removed_at=None, invited_at=now
        )
        GroupInvitee.objects.bulk_create(
            GroupInvitee(
                organization_id=session.organization_id,
                session=session,
                user_id=uid,
                invited_at=now,
            )
            for uid in joined
            if uid not in rows
        )
        GroupSession.objects.filter(pk=session.pk).update(
            sequence=session.sequence + 1, updated_at=timezone.now()
        )
        _queue_group_invites(session, "REQUEST", joined)
        _queue_group_invites(session, "CANCEL", left)
    return joined, left


def group_sessions_to_sync(user_ids: Iterable[int], *, now: datetime) -> list[int]:
    """The upcoming active group sessions whose invitees may be out of step for these people:
    those of the circles they are in now and those they hold an invite to."""
    ids = sorted(set(user_ids))
    circles = CircleMember.objects.filter(user_id__in=ids).values("circle_id")
    invited = GroupInvitee.objects.filter(user_id__in=ids, removed_at__isnull=True).values(
        "session_id"
    )
    return list(
        GroupSession.objects.filter(status=BookingStatus.BOOKED, ends_at__gt=now)
        .filter(Q(circle_id__in=circles) | Q(pk__in=invited))
        .values_list("pk", flat=True)
    )


def sync_group_sessions_of(user_ids: Iterable[int], *, now: datetime) -> int:
    """`sync_group_invitees` for every group session these people's circle changes may touch
    (coaching.receivers calls it once a circle placement, move or removal commits). Returns
    how many people were invited or cancelled."""
    changed = 0
    for session_id in group_sessions_to_sync(user_ids, now=now):
        joined, left = sync_group_invitees(session_id, now=now)
        changed += len(joined) + len(left)
    return changed
