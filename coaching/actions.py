"""Writes of the coaching app: a coach's availability and days off, and booking, moving and
cancelling 1:1 sessions. Each is atomic; invites go out once the transaction commits
(coaching.tasks.send_invites), to both people, as iTIP calendar messages.

Nothing here stores or sends text a person typed: a booking holds times, the two people, a
video link and its status.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coaching.models import Availability, Booking, BookingStatus, DayOff
from coaching.slots import Slot, find_slot
from events.actions import record_event
from events.models import ObjectType, Verb


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
