"""Getters for coaching sessions, each built on a `visible_to(user)` queryset (the rules are in
coaching.models): what a person may not see raises Http404, what they may see but not change
raises PermissionDenied."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.models import User
from circles.models import Circle, CircleMember, CircleState
from coaching.models import Availability, Booking, BookingStatus, DayOff, GroupSession
from coaching.slots import BOOKING_HORIZON_DAYS, Slot, slots_of
from cohorts.models import Enrollment, EnrollmentRole
from organizations.models import Role
from rapport import policy

if TYPE_CHECKING:
    from django.db.models import QuerySet


def is_coach(user: "User | Any") -> bool:
    """Whether the person coaches: their organisation role is coach, or they hold a coach's
    seat in a cohort, or a learner's seat names them as coach. At most one query."""
    membership = policy.membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.COACH:
        return True
    return (
        Enrollment.objects.visible_to(user).filter(user=user, role=EnrollmentRole.COACH).exists()
        or Enrollment.objects.in_organization_of(user).filter(coach=user).exists()
    )


def require_coach(user: "User | Any") -> None:
    """403 for anyone who does not coach (availability is a coach's page)."""
    if not is_coach(user):
        raise PermissionDenied("Only coaches publish availability")


def coaches_of(user: "User | Any") -> list[User]:
    """The coaches of the person's learner seats (their current organisation), by name, each
    once. One query."""
    seats = Enrollment.objects.visible_to(user).filter(
        user=user, role=EnrollmentRole.LEARNER, coach__isnull=False, coach__is_active=True
    )
    coaches: dict[int, User] = {}
    for seat in seats.select_related("coach").order_by("coach__full_name"):
        assert seat.coach is not None
        coaches.setdefault(seat.coach.pk, seat.coach)
    return list(coaches.values())


def get_coach_of(user: "User | Any", coach_id: uuid.UUID) -> User:
    """One of the person's own coaches, by public id, else 404 (another coach, a tampered id)."""
    for coach in coaches_of(user):
        if coach.public_id == coach_id:
            return coach
    raise Http404("Not your coach")


def availability_of(user: "User | Any", coach: User) -> tuple[list[Availability], list[DayOff]]:
    """The coach's weekly blocks and days off, as `user` may see them (their own, or their
    coach's). Two queries."""
    blocks = list(Availability.objects.visible_to(user).filter(coach=coach))
    days_off = list(DayOff.objects.visible_to(user).filter(coach=coach))
    return blocks, days_off


def busy_times_of(coach: User, *, now: datetime) -> list[tuple[datetime, datetime]]:
    """(starts_at, ends_at) of the coach's active 1:1 bookings and group sessions from now on,
    whoever booked them: the times only, never who (this is what makes a slot look taken to
    another learner). One query (a UNION)."""
    bookings = (
        Booking.objects.filter(coach=coach, status=BookingStatus.BOOKED, ends_at__gt=now)
        .order_by()
        .values_list("starts_at", "ends_at")
    )
    groups = (
        GroupSession.objects.filter(coach=coach, status=BookingStatus.BOOKED, ends_at__gt=now)
        .order_by()
        .values_list("starts_at", "ends_at")
    )
    return sorted(bookings.union(groups, all=True))


def free_slots(
    user: "User | Any", coach: User, *, now: datetime, ignore: Booking | None = None
) -> list[Slot]:
    """The coach's free slots the person may book (coaching.slots.slots_of), leaving out the
    times of every active booking except `ignore` (the one being moved). Three queries."""
    blocks, days_off = availability_of(user, coach)
    busy = busy_times_of(coach, now=now)
    if ignore is not None:
        busy = [t for t in busy if t != (ignore.starts_at, ignore.ends_at)]
    slots = slots_of(blocks, days_off, now=now, taken=busy, horizon_days=BOOKING_HORIZON_DAYS)
    # A slot that overlaps a session (a group session need not start on the slot grid).
    return [s for s in slots if not any(b < s.ends_at and s.starts_at < e for b, e in busy)]


def get_booking_for_user(
    user: "User | Any", booking_id: uuid.UUID, *, for_write: bool = False
) -> Booking:
    """The booking (with its coach and learner) if the person is its learner or coach, else
    404. `for_write`: 403 once it is cancelled or over (nothing left to change). One query."""
    booking = (
        Booking.objects.visible_to(user)
        .select_related("coach", "learner")
        .filter(public_id=booking_id)
        .first()
    )
    if booking is None:
        raise Http404("No such session")
    if for_write and not booking.is_active:
        raise PermissionDenied("This session was cancelled")
    return booking


def _own_row[M: (Availability, DayOff)](
    user: "User | Any", model: type[M], public_id: uuid.UUID, what: str
) -> M:
    """One of the coach's own rows of `model`: 404 if the person may not see it, 403 if they
    see it as their coach's (a learner may not change it). One query."""
    row = model.objects.visible_to(user).filter(public_id=public_id).first()  # type: ignore[attr-defined]
    if row is None:
        raise Http404(f"No such {what}")
    if row.coach_id != user.pk:
        raise PermissionDenied(f"Not your {what}")
    return row  # type: ignore[no-any-return]


def get_availability_for_coach(user: "User | Any", availability_id: uuid.UUID) -> Availability:
    """One of the coach's own weekly blocks (404 / 403 as `_own_row`)."""
    return _own_row(user, Availability, availability_id, "availability")


def get_day_off_for_coach(user: "User | Any", day_off_id: uuid.UUID) -> DayOff:
    """One of the coach's own days off (404 / 403 as `_own_row`)."""
    return _own_row(user, DayOff, day_off_id, "day off")


def get_booking_for_coach(user: "User | Any", booking_id: uuid.UUID) -> Booking:
    """An active booking the person coaches, for what only the coach changes (its video link):
    404 if they may not see it, 403 for its learner or once it is cancelled."""
    booking = get_booking_for_user(user, booking_id, for_write=True)
    if booking.coach_id != user.pk:
        raise PermissionDenied("Only the coach changes the video link")
    return booking


def bookings_of(user: "User | Any", *, now: datetime) -> "QuerySet[Booking]":
    """The person's active bookings that have not ended, as learner or coach, soonest first,
    with both people. One query when evaluated."""
    return (
        Booking.objects.visible_to(user)
        .active()
        .filter(ends_at__gt=now)
        .select_related("coach", "learner")
        .order_by("starts_at")
    )


# --- Group (circle) sessions and overlapping sessions ---------------------------------------


def coached_circles(user: "User | Any") -> list[Circle]:
    """The published circles the person coaches (`Circle.coach`), with their cohorts, by
    cohort and name: the circles they may hold group sessions with. One query."""
    if policy.membership_of(user) is None:
        return []
    return list(
        Circle.objects.visible_to(user)
        .filter(coach=user, state=CircleState.PUBLISHED)
        .select_related("cohort")
        .order_by("cohort__name", "name")
    )


def get_coached_circle(user: "User | Any", circle_id: uuid.UUID) -> Circle:
    """One of the circles the person coaches, by public id, else 404 (another coach's circle,
    a circle of another organisation, a tampered id). One query."""
    for circle in coached_circles(user):
        if circle.public_id == circle_id:
            return circle
    raise Http404("Not a circle you coach")


def get_group_session_for_user(
    user: "User | Any", session_id: uuid.UUID, *, for_write: bool = False
) -> GroupSession:
    """A group session (with its circle, cohort and coach) for its coach or a current member
    of its circle, else 404. `for_write`: 403 for a member (only the coach changes it) and
    once it is cancelled. One query."""
    session = (
        GroupSession.objects.visible_to(user)
        .select_related("circle__cohort", "coach")
        .filter(public_id=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such session")
    if for_write:
        if session.coach_id != user.pk:
            raise PermissionDenied("Only the coach changes a group session")
        if not session.is_active:
            raise PermissionDenied("This session was cancelled")
    return session


def group_members_of(session: GroupSession) -> list[User]:
    """The circle's current members (active accounts), by name: the people a group session's
    page lists (each member already sees them on the circle's page). One query."""
    return [
        row.user
        for row in CircleMember.objects.filter(circle_id=session.circle_id, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    ]


def group_sessions_of(user: "User | Any", *, now: datetime) -> "QuerySet[GroupSession]":
    """The person's active group sessions that have not ended (as coach or circle member),
    soonest first, with circle, cohort and coach. One query when evaluated."""
    return (
        GroupSession.objects.visible_to(user)
        .active()
        .filter(ends_at__gt=now)
        .select_related("circle__cohort", "coach")
        .order_by("starts_at")
    )


def sessions_overlapping(
    user_ids: "list[int]",
    *,
    starts_at: datetime,
    ends_at: datetime,
    ignore_booking: int | None = None,
    ignore_group: int | None = None,
) -> list[tuple[datetime, datetime]]:
    """(starts_at, ends_at) of the active sessions of any of these people that overlap
    [starts_at, ends_at): 1:1 bookings as learner or coach, group sessions they coach or whose
    circle they are in. `ignore_*`: the session being moved (its primary key). Times only,
    never with whom. One query (a UNION). The rule it serves: nobody has two sessions at once
    (coaching.actions)."""
    bookings = Booking.objects.filter(
        Q(learner_id__in=user_ids) | Q(coach_id__in=user_ids),
        status=BookingStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if ignore_booking is not None:
        bookings = bookings.exclude(pk=ignore_booking)
    member = CircleMember.objects.filter(circle=OuterRef("circle_id"), user_id__in=user_ids)
    groups = GroupSession.objects.filter(
        Q(coach_id__in=user_ids) | Q(Exists(member)),
        status=BookingStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if ignore_group is not None:
        groups = groups.exclude(pk=ignore_group)
    return sorted(
        bookings.order_by()
        .values_list("starts_at", "ends_at")
        .union(groups.order_by().values_list("starts_at", "ends_at"), all=True)
    )
