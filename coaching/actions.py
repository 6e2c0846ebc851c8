"""Writes of the coaching app: a coach's availability and days off, and booking, moving and
cancelling 1:1 sessions. Each is atomic; invites go out once the transaction commits
(coaching.tasks.send_invites), to both people, as iTIP calendar messages.

Nothing here stores or sends text a person typed: a booking holds times, the two people, a
video link and its status.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from circles.formation import reference_day, working_window
from circles.models import Circle, CircleMember
from coaching.access import sessions_overlapping
from coaching.attachments import CheckedFile
from coaching.matching import CoachFacts, LearnerFacts, propose, score_pair
from coaching.models import (
    ActionItem,
    Attachment,
    Availability,
    Booking,
    BookingStatus,
    CoachChangeRequest,
    CoachChangeStatus,
    Conversation,
    DayOff,
    GroupInvitee,
    GroupSession,
    MatchProfile,
    MatchProposal,
    MatchRow,
    Message,
    Nudge,
    NudgeRecipient,
    NudgeStatus,
    ProposalState,
    SessionNote,
)
from coaching.slots import Slot, find_slot
from cohorts.actions import Seat, enroll_many
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.actions import ObjectRef, new_event, record_event, record_events
from events.models import ObjectType, ResultKey, Verb
from growth.models import Goal
from notifications.actions import notify
from notifications.models import NotificationKind
from organizations.models import Behaviour, Competency, Membership, Role
from rapport.lib.crypto import encrypt_bytes
from rapport.lib.timezones import get_zone

if TYPE_CHECKING:
    from coaching.access import Pair


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
                    # A new time is reminded of again (a new link alone is not).
                    **({"reminded_at": None} if moved else {}),
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


# -- Messages, session notes and action plans (coach-talk) --------------------------------------
# Confidential text (a message, a note, an action item) is written to its encrypted field and
# nowhere else: events name the conversation or item by its opaque id, notifications say who
# wrote and link to the conversation, never what was written.


def _conversation_for(pair: "Pair") -> Conversation:
    """The pair's conversation, made on first use. Two people writing their first message at
    the same moment both end up in the one conversation (`one_conversation_per_pair`)."""
    if pair.conversation is not None:
        return pair.conversation
    try:
        with transaction.atomic():
            return Conversation.objects.create(coach=pair.coach, learner=pair.learner)
    except IntegrityError:
        return Conversation.objects.get(coach=pair.coach, learner=pair.learner)


def send_message(
    pair: "Pair",
    *,
    body: str,
    files: tuple[CheckedFile, ...] = (),
    activity_id: int | None = None,
    cohort_id: int | None = None,
) -> Message:
    """`pair.me` sends the other person a message (text and/or files checked by
    coaching.attachments.check_upload), optionally about an activity of the learner's cohort.

    Preconditions: `pair` came from coaching.access.get_writable_pair (the two are coach and
    learner now); `activity` and `cohort` were checked against the learner's seat. Atomic:
    the conversation (made on first use), the message, its attachments (encrypted at rest), the
    conversation's last-message time and the sender's read state, and one `commented` event
    naming the conversation by its opaque id. Once committed, the other person gets a
    notification (kind `coach_message`) that says who wrote, never what; its email follows
    their preferences. Files written before a failure are deleted again.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            conversation = _conversation_for(pair)
            now = timezone.now()
            message = Message.objects.create(
                conversation=conversation,
                author=pair.me,
                body=body,
                activity_id=activity_id,
                cohort_id=cohort_id,
                created_at=now,
            )
            for checked in files:
                attachment = Attachment(
                    message=message,
                    name=checked.name,
                    content_type=checked.content_type,
                    size=checked.size,
                )
                attachment.file.save(
                    "attachment.bin", ContentFile(encrypt_bytes(checked.data)), save=False
                )
                stored.append(str(attachment.file.name))
                attachment.save()
            read_field = "coach_read_at" if pair.i_coach else "learner_read_at"
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=now, **{read_field: now}
            )
            record_event(
                pair.me,
                verb=Verb.COMMENTED,
                object_type=ObjectType.COACHING_CONVERSATION,
                object_id=conversation.public_id,
            )
            recipient, author = pair.other, pair.me
            url = reverse("talk:thread", args=[author.public_id])
            transaction.on_commit(
                lambda: notify(
                    kind=NotificationKind.COACH_MESSAGE,
                    recipients=[recipient],
                    actor=author,
                    actor_label=author.full_name,
                    place=str(_("your coaching conversation")),
                    url=url,
                )
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return message


def mark_read(pair: "Pair", *, now: datetime) -> bool:
    """Record that `pair.me` has read the conversation up to `now`. Writes only when a message
    arrived since they last opened it (a repeat view writes nothing). Returns whether it
    wrote."""
    conversation = pair.conversation
    if conversation is None or conversation.last_message_at is None:
        return False
    read_at = conversation.read_at_of(pair.me)
    if read_at is not None and read_at >= conversation.last_message_at:
        return False
    read_field = "coach_read_at" if pair.i_coach else "learner_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{read_field: now})
    setattr(conversation, read_field, now)
    return True


def save_note(booking: Booking, *, coach: User, body: str) -> SessionNote:
    """Write (or rewrite) the coach's private note on a session, encrypted at rest.

    Precondition: `coach` is the booking's coach (coaching.access.get_note_for_coach). Records
    no event and notifies nobody: a coach's private note is not the learner's learning record,
    and its existence is for the coach alone."""
    note, created = SessionNote.objects.get_or_create(
        booking=booking, defaults={"coach": coach, "body": body}
    )
    if not created and note.body != body:
        note.body = body
        note.save(update_fields=["body", "updated_at"])
    return note


def add_action_item(
    pair: "Pair",
    *,
    text: str,
    behaviour: Behaviour | None = None,
    goal: Goal | None = None,
) -> ActionItem:
    """Add an item to the pair's action plan (either person may). `goal` is one of the
    learner's own goals and only the learner links one (the coach then sees its title on the
    plan). Precondition: `pair` from get_writable_pair. Atomic, with one `committed` event
    naming the item by its opaque id."""
    if goal is not None and pair.i_coach:
        raise ValueError("Only the learner links one of their goals")
    with transaction.atomic():
        item = ActionItem.objects.create(
            conversation=_conversation_for(pair),
            text=text,
            behaviour=behaviour,
            goal=goal,
            added_by=pair.me,
        )
        record_event(
            pair.me,
            verb=Verb.COMMITTED,
            object_type=ObjectType.ACTION_ITEM,
            object_id=item.public_id,
        )
    return item


def set_action_item_done(item: ActionItem, *, by: User, done: bool) -> bool:
    """Mark an action item done or not yet (either person). Returns False, writing nothing,
    when it already is; otherwise records `completed` or `uncompleted`."""
    if item.is_done == done:
        return False
    with transaction.atomic():
        item.done_at = timezone.now() if done else None
        item.save(update_fields=["done_at"])
        record_event(
            by,
            verb=Verb.COMPLETED if done else Verb.UNCOMPLETED,
            object_type=ObjectType.ACTION_ITEM,
            object_id=item.public_id,
            result={ResultKey.COMPLETION: done},
        )
    return True


def follow_up_draft(booking: Booking, items: list[ActionItem], *, zone: str) -> str:
    """The follow-up a coach is offered after a session: a draft message built from the
    action plan's open items, for the coach to edit and send (never sent by itself). Plain
    text; the date in the coach's own zone."""
    day = booking.starts_at.astimezone(get_zone(zone))
    lines = [
        _("Hello %(name)s,") % {"name": booking.learner.get_short_name()},
        "",
        _("Thank you for our conversation on %(day)s.") % {"day": f"{day:%A %-d %B}"},
    ]
    open_items = [item for item in items if not item.is_done]
    if open_items:
        lines += ["", _("What we agreed:")]
        lines += [f"- {item.text}" for item in open_items]
    lines += ["", _("I look forward to hearing how it goes.")]
    return "\n".join(lines)


# -- Caseload and matching (issue 9) -------------------------------------------------------------
# Drafting a proposal, editing its rows and a person's match profile change nothing anyone else
# sees and record no event; what changes a coaching pair (publishing, an admin's assignment, a
# resolved request) records `assigned` per seat, and a request records `requested`.


class MatchRefused(Exception):
    """An assignment, a proposal edit or a publication that cannot happen, with the message to
    show. Raised before anything is written: nothing changed."""


def mark_missed(coach: User, *, booking: Booking, now: datetime | None = None) -> Booking:
    """The coach says the learner did not come to a session that has ended: its status becomes
    `missed` (the caseload lists the learner under "needs you now" for
    caseload.MISSED_DAYS days). Only the session's coach, only an active session that has
    ended; anything else is refused (BookingRefused) and nothing changes. Records `missed`."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.coach_id != coach.pk:
            raise BookingRefused(_("Only the coach of a session says it was missed."))
        if locked.status != BookingStatus.BOOKED:
            raise BookingRefused(_("This session was cancelled or already marked missed."))
        if locked.ends_at > now:
            raise BookingRefused(_("A session can be marked missed once it has ended."))
        locked.status = BookingStatus.MISSED
        locked.save(update_fields=["status", "updated_at"])
        _record(coach, Verb.MISSED, locked)
    return locked


def cohort_coaches(cohort: Cohort) -> list[User]:
    """The people holding a coach's seat in the cohort, active, by name: the coaches a learner
    of it may be given. One query."""
    seats = Enrollment.objects.filter(
        cohort=cohort, role=EnrollmentRole.COACH, user__is_active=True
    ).select_related("user")
    return sorted((seat.user for seat in seats), key=lambda u: (u.full_name, u.pk))


def _managers_of(user_ids: list[int]) -> dict[int, int | None]:
    """Each person's line manager's id (Membership.line_manager). One query."""
    return dict(
        Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "line_manager_id")
    )


def check_pair(
    seat: Enrollment, coach: User | None, *, coaches: list[User], manager_id: int | None
) -> None:
    """Raise MatchRefused if `coach` may not coach the seat's learner: not a coach of the
    cohort, the learner themself, or the learner's line manager. None (no coach) is allowed."""
    if coach is None:
        return
    if coach.pk not in {c.pk for c in coaches}:
        raise MatchRefused(_("%(name)s does not coach this cohort.") % {"name": coach.full_name})
    if coach.pk == seat.user_id:
        raise MatchRefused(_("A person cannot be their own coach."))
    if coach.pk == manager_id:
        raise MatchRefused(
            _("%(name)s is this learner's line manager: a coach never is.")
            % {"name": coach.full_name}
        )


def _assign(actor: User, cohort: Cohort, changes: list[tuple[Enrollment, int | None]]) -> int:
    """Give each seat its new coach (through cohorts.actions.enroll_many, the seats' one write
    path), record `assigned` per seat whose coach changed, and tell each learner and new coach
    (kind `coach_match`, naming only the cohort). The coach a learner leaves is told nothing:
    a reassignment looks the same whatever prompted it. Returns how many seats changed."""
    changed = [(seat, coach_id) for seat, coach_id in changes if seat.coach_id != coach_id]
    if not changed:
        return 0
    enroll_many(
        cohort,
        seats=[Seat(seat.user_id, EnrollmentRole.LEARNER, coach_id) for seat, coach_id in changed],
    )
    learners = {u.pk: u for u in User.objects.filter(pk__in=[s.user_id for s, _c in changed])}
    record_events(
        [
            new_event(
                actor,
                verb=Verb.ASSIGNED,
                object_type=ObjectType.PERSON,
                object_id=learners[seat.user_id].public_id,
                cohort=cohort,
                registration=seat.public_id,
            )
            for seat, _coach_id in changed
        ]
    )
    learner_ids = [seat.user_id for seat, _c in changed]
    coach_ids = sorted({c for _s, c in changed if c is not None})
    place = cohort.name

    def tell() -> None:
        notify(
            kind=NotificationKind.COACH_MATCH,
            recipients=learner_ids,
            actor=None,
            actor_label="",
            place=place,
            url=reverse("coaching:sessions"),
        )
        notify(
            kind=NotificationKind.COACH_MATCH,
            recipients=coach_ids,
            actor=None,
            actor_label="",
            place=place,
            url=reverse("caseload:index"),
        )

    transaction.on_commit(tell)
    return len(changed)


def assign_coach(admin: User, *, seat: Enrollment, coach: User | None) -> bool:
    """An admin gives a learner's seat a coach by hand (or none). Refused (MatchRefused) for a
    coach who does not coach the cohort or is the learner's line manager. Closes an open
    change-of-coach request of the seat when the coach changes. Returns whether it changed."""
    cohort = seat.cohort
    coaches = cohort_coaches(cohort)
    check_pair(
        seat, coach, coaches=coaches, manager_id=_managers_of([seat.user_id]).get(seat.user_id)
    )
    with transaction.atomic():
        changed = _assign(admin, cohort, [(seat, coach.pk if coach else None)])
        if changed:
            _close_requests(admin, [seat.pk], CoachChangeStatus.CHANGED)
    return bool(changed)


def _close_requests(admin: User, seat_ids: list[int], status: CoachChangeStatus) -> None:
    CoachChangeRequest.objects.filter(
        enrollment_id__in=seat_ids, status=CoachChangeStatus.OPEN
    ).update(status=status, resolved_at=timezone.now(), resolved_by=admin)


def change_request_handlers(seat: Enrollment) -> list[int]:
    """Who can act on a change-of-coach request for `seat`: the active admins of its
    organisation (only admins assign coaches, docs/permissions.md), never the seat's coach —
    even one who is an admin: the coach never learns of it — and never the learner themself
    (an admin cannot resolve their own request). Nobody else can: coaches, designers, experts
    and sponsors have no right to change a coach, so there is no one further to route it to.
    One query; user ids, possibly empty."""
    return list(
        Membership.objects.filter(
            organization_id=seat.organization_id, role=Role.ADMIN, user__is_active=True
        )
        .exclude(user_id__in=[seat.coach_id or 0, seat.user_id])
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


# What the learner reads when no one but their coach (or themself) could act on the request.
NOBODY_TO_ASK = (
    "Nobody could act on this request: your organisation's only admin is your coach (or you), "
    "and a request is never shown to the coach it is about. Nothing was sent. Ask your "
    "organisation to name another admin, or raise it with your programme's organisers directly."
)


def request_coach_change(learner: User, *, seat: Enrollment) -> tuple[CoachChangeRequest, bool]:
    """A learner asks for another coach for their seat; no reason is asked or stored.
    Idempotent: an open request of the seat is returned as it is. The people who can act on it
    (`change_request_handlers`: the organisation's admins but the coach and the learner) are
    told (kind `coach_request`, naming only the cohort) — never the coach, even one who is an
    admin. Records `requested` (object: the cohort). Returns (request, created).

    Refused (MatchRefused, NOBODY_TO_ASK, nothing stored) when nobody could act on it — the
    only admin is the coach (or the learner): a request nobody can see is not queued
    silently."""
    with transaction.atomic():
        existing = CoachChangeRequest.objects.filter(
            enrollment=seat, status=CoachChangeStatus.OPEN
        ).first()
        if existing is not None:
            return existing, False
        admins = change_request_handlers(seat)
        if not admins:
            raise MatchRefused(_(NOBODY_TO_ASK))
        try:
            with transaction.atomic():
                found = CoachChangeRequest.objects.create(
                    enrollment=seat, learner=learner, coach_at_request_id=seat.coach_id
                )
        except IntegrityError:  # a double click committed first
            return CoachChangeRequest.objects.get(
                enrollment=seat, status=CoachChangeStatus.OPEN
            ), False
        record_event(
            learner,
            verb=Verb.REQUESTED,
            object_type=ObjectType.COHORT,
            object_id=seat.cohort.public_id,
            cohort=seat.cohort,
            registration=seat.public_id,
        )
        place = seat.cohort.name
        transaction.on_commit(
            lambda: notify(
                kind=NotificationKind.COACH_REQUEST,
                recipients=admins,
                actor=None,
                actor_label="",
                place=place,
                url=reverse("matching:requests"),
            )
        )
    return found, True


def resolve_change_request(
    admin: User, *, change: CoachChangeRequest, coach: User | None
) -> CoachChangeRequest:
    """An admin resolves an open request: `coach` becomes the seat's coach (status `changed`),
    or None keeps the present one (status `kept`). Refused (MatchRefused) when it is already
    resolved, or `coach` is the present coach or may not coach the learner."""
    seat = change.enrollment
    with transaction.atomic():
        locked = CoachChangeRequest.objects.select_for_update().get(pk=change.pk)
        if locked.status != CoachChangeStatus.OPEN:
            raise MatchRefused(_("This request was resolved already."))
        if coach is None:
            _close_requests(admin, [seat.pk], CoachChangeStatus.KEPT)
        else:
            if coach.pk == seat.coach_id:
                raise MatchRefused(_("Choose a coach other than the present one."))
            coaches = cohort_coaches(seat.cohort)
            check_pair(
                seat,
                coach,
                coaches=coaches,
                manager_id=_managers_of([seat.user_id]).get(seat.user_id),
            )
            _assign(admin, seat.cohort, [(seat, coach.pk)])
            _close_requests(admin, [seat.pk], CoachChangeStatus.CHANGED)
    locked.refresh_from_db()
    return locked


def save_match_profile(
    person: User, *, languages: str, competencies: list[Competency], capacity: int | None = None
) -> MatchProfile:
    """Write what matching uses about `person` (their own preferences, or a coach's as an admin
    sets them). `capacity` is left as it is when None. Competencies must be of the person's
    organisation (the form offers only those)."""
    with transaction.atomic():
        profile, _created = MatchProfile.objects.get_or_create(user=person)
        profile.languages = languages
        if capacity is not None:
            profile.capacity = capacity
        profile.save()
        profile.competencies.set(
            [c for c in competencies if c.organization_id == person.organization_id]
        )
    return profile


def _facts(cohort: Cohort) -> tuple[list[Enrollment], list[LearnerFacts], list[CoachFacts]]:
    """The plain data coaching.matching works on, for a cohort: its learner seats, and its
    coaches with their room. Five queries."""
    day = reference_day(cohort.start_date)
    seats = list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER, user__is_active=True)
        .select_related("user", "user__membership")
        .order_by("user__full_name", "pk")
    )
    coaches = cohort_coaches(cohort)
    people = [s.user_id for s in seats] + [c.pk for c in coaches]
    profiles = {
        p.user_id: p
        for p in MatchProfile.objects.filter(user_id__in=people).prefetch_related("competencies")
    }
    elsewhere = dict(
        Enrollment.objects.filter(coach_id__in=[c.pk for c in coaches], role=EnrollmentRole.LEARNER)
        .exclude(cohort=cohort)
        .values("coach_id")
        .annotate(n=Count("pk"))
        .values_list("coach_id", "n")
    )

    def langs(user_id: int) -> frozenset[str]:
        profile = profiles.get(user_id)
        return profile.language_codes if profile else frozenset()

    def focus(user_id: int) -> frozenset[int]:
        profile = profiles.get(user_id)
        return frozenset(c.pk for c in profile.competencies.all()) if profile else frozenset()

    learners = [
        LearnerFacts(
            seat_id=seat.pk,
            user_id=seat.user_id,
            languages=langs(seat.user_id),
            focus=focus(seat.user_id),
            window=working_window(seat.user.time_zone, day),
            manager_id=seat.user.membership.line_manager_id,
            current_coach_id=seat.coach_id,
        )
        for seat in seats
    ]
    default_capacity = MatchProfile._meta.get_field("capacity").default
    coach_facts = [
        CoachFacts(
            user_id=coach.pk,
            languages=langs(coach.pk),
            focus=focus(coach.pk),
            window=working_window(coach.time_zone, day),
            room=max(
                0,
                (profiles[coach.pk].capacity if coach.pk in profiles else default_capacity)
                - elsewhere.get(coach.pk, 0),
            ),
        )
        for coach in coaches
    ]
    return seats, learners, coach_facts


def propose_matches(admin: User, *, cohort: Cohort) -> MatchProposal:
    """Rapport proposes a coach for every learner of the cohort in one action
    (coaching.matching.propose: exact, under every rule), stored as a draft for the admin to
    review, edit and publish. Nothing changes for anyone until it is published."""
    seats, learners, coaches = _facts(cohort)
    pairings = propose(learners, coaches)
    with transaction.atomic():
        proposal = MatchProposal.objects.create(cohort=cohort, created_by=admin)
        MatchRow.objects.bulk_create(
            [
                MatchRow(
                    organization_id=proposal.organization_id,
                    proposal=proposal,
                    enrollment=seat,
                    proposed_coach_id=pairing.coach_id,
                    current_coach_id=seat.coach_id,
                    score=pairing.why.score if pairing.why else 0,
                    shared_language=pairing.why.shared_language if pairing.why else False,
                    overlap_minutes=pairing.why.overlap_minutes if pairing.why else 0,
                    shared_focus=pairing.why.shared_focus if pairing.why else 0,
                )
                for seat, pairing in zip(seats, pairings, strict=True)
            ]
        )
    return proposal


def _editable(proposal: MatchProposal) -> None:
    if proposal.state != ProposalState.DRAFT:
        raise MatchRefused(_("This proposal was published already; make a new one."))


def set_proposed_coach(
    admin: User, *, proposal: MatchProposal, row: MatchRow, coach: User | None
) -> MatchRow:
    """The admin picks another coach (or none) for one row of a draft proposal; the row's
    score becomes that pair's (coaching.matching.score_pair). Refused (MatchRefused) for a
    published proposal or a coach the rules forbid (check_pair)."""
    _editable(proposal)
    seat = row.enrollment
    coaches = cohort_coaches(proposal.cohort)
    manager_id = _managers_of([seat.user_id]).get(seat.user_id)
    check_pair(seat, coach, coaches=coaches, manager_id=manager_id)
    row.proposed_coach = coach
    row.edited = True
    row.score, row.shared_language, row.overlap_minutes, row.shared_focus = 0, False, 0, 0
    if coach is not None:
        _seats, learners, facts = _facts(proposal.cohort)
        learner = next((f for f in learners if f.seat_id == seat.pk), None)
        fact = next((f for f in facts if f.user_id == coach.pk), None)
        why = score_pair(learner, fact) if learner and fact else None
        if why is not None:
            row.score, row.shared_language = why.score, why.shared_language
            row.overlap_minutes, row.shared_focus = why.overlap_minutes, why.shared_focus
    row.save()
    return row


def publish_proposal(admin: User, *, proposal: MatchProposal) -> int:
    """Apply every row of a draft proposal in one transaction: each seat gets its proposed
    coach (a row without one keeps the coach it has), `assigned` is recorded per seat that
    changed, learners and new coaches are told after the commit, open change-of-coach requests
    of the seats that changed are closed as changed. Refused (MatchRefused) when it was
    published already (a second click changes nothing). Returns how many seats changed."""
    with transaction.atomic():
        locked = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
        _editable(locked)
        rows = list(
            MatchRow.objects.filter(proposal=locked, proposed_coach__isnull=False).select_related(
                "enrollment"
            )
        )
        changes = [(row.enrollment, row.proposed_coach_id) for row in rows]
        moved = [seat.pk for seat, coach_id in changes if seat.coach_id != coach_id]
        changed = _assign(admin, locked.cohort, changes)
        _close_requests(admin, moved, CoachChangeStatus.CHANGED)
        locked.state = ProposalState.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
    proposal.state, proposal.published_at = locked.state, locked.published_at
    return changed


# --- Nudges --------------------------------------------------------------------------------


def schedule_nudge(
    coach: User, *, body: str, seats: "list[Enrollment]", send_at: datetime
) -> Nudge:
    """Schedule a nudge from `coach` to the learners of `seats` (coaching.nudges.audience_of:
    the coach's own learners, one seat each) at `send_at` (now or later: the task worker sends
    it on its next run after that, coaching.tasks.send_due_nudges). Preconditions: the form
    checked the placeholders and, for a small group, that the coach confirmed. Records
    nothing yet: the event is recorded when it is delivered."""
    with transaction.atomic():
        nudge = Nudge.objects.create(coach=coach, body=body, send_at=send_at)
        NudgeRecipient.objects.bulk_create(
            NudgeRecipient(
                organization_id=nudge.organization_id,
                nudge=nudge,
                learner_id=seat.user_id,
                enrollment=seat,
            )
            for seat in seats
        )
    return nudge


def cancel_nudge(nudge: Nudge) -> bool:
    """Cancel a nudge not sent yet; False (nothing changed) once it was sent or cancelled."""
    return bool(
        Nudge.objects.filter(pk=nudge.pk, status=NudgeStatus.SCHEDULED).update(
            status=NudgeStatus.CANCELLED
        )
    )
