"""Getters for coaching sessions, each built on a `visible_to(user)` queryset (the rules are in
coaching.models): what a person may not see raises Http404, what they may see but not change
raises PermissionDenied."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404

from accounts.models import User
from circles.models import Circle, CircleMember, CircleState
from coaching.models import (
    ActionItem,
    Attachment,
    Availability,
    Booking,
    BookingStatus,
    CoachChangeRequest,
    Conversation,
    DayOff,
    GroupSession,
    MatchProfile,
    MatchProposal,
    MatchRow,
    Message,
    Nudge,
    SessionNote,
)
from coaching.slots import BOOKING_HORIZON_DAYS, Slot, slots_of
from cohorts.models import Enrollment, EnrollmentRole
from growth.models import Goal
from organizations.models import Behaviour, Role
from rapport import policy

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cohorts.models import Cohort


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


# -- Messages, session notes and action plans (coach-talk) --------------------------------------
# The rules are in coaching.models (Conversation, Message, Attachment, ActionItem, SessionNote):
# a conversation is its learner's, and its coach's while the learner's current seat names them.

MESSAGES_PER_PAGE = 30


@dataclass(frozen=True)
class Pair:
    """A coach and one of their learners, as seen by one of the two (`me`).

    `conversation` is None until the first message or action item. `can_write` is whether the
    two are coach and learner now (a learner keeps reading a conversation with a former coach,
    without writing to it)."""

    me: User
    coach: User
    learner: User
    conversation: Conversation | None
    can_write: bool

    @property
    def other(self) -> User:
        return self.learner if self.me.pk == self.coach.pk else self.coach

    @property
    def i_coach(self) -> bool:
        return self.me.pk == self.coach.pk


def _learner_seat_coached_by(coach: "User | Any", learner_id: uuid.UUID) -> Enrollment | None:
    """A current learner seat of the person `learner_id` names that names `coach` as coach
    (their organisation, an active learner), with its learner. One query."""
    return (
        Enrollment.objects.in_organization_of(coach)
        .filter(
            coach=coach,
            role=EnrollmentRole.LEARNER,
            user__public_id=learner_id,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )


def get_pair(user: "User | Any", person_id: uuid.UUID) -> Pair:
    """The person's coaching pair with `person_id`: one of their own coaches, a learner whose
    current seat names them as coach, or the other person of a conversation they can still
    see (a former coach: read only). Anything else — someone else's learner, another coach,
    a tampered id — raises Http404. At most three queries."""
    coach: User | None = None
    learner: User | None = None
    for candidate in coaches_of(user):
        if candidate.public_id == person_id:
            coach, learner = candidate, user
    if coach is None:
        seat = _learner_seat_coached_by(user, person_id)
        if seat is not None:
            coach, learner = user, seat.user
    conversation = (
        Conversation.objects.visible_to(user)
        .filter(
            Q(coach=user, learner__public_id=person_id)
            | Q(learner=user, coach__public_id=person_id)
        )
        .select_related("coach", "learner")
        .first()
    )
    if coach is not None and learner is not None:
        return Pair(user, coach, learner, conversation, can_write=True)
    if conversation is not None:
        return Pair(user, conversation.coach, conversation.learner, conversation, can_write=False)
    raise Http404("No such conversation")


def get_writable_pair(user: "User | Any", person_id: uuid.UUID) -> Pair:
    """As get_pair, for writing: 403 when the two are no longer coach and learner."""
    pair = get_pair(user, person_id)
    if not pair.can_write:
        raise PermissionDenied("No longer your coach")
    return pair


def _unread_filter(user: "User | Any") -> Q:
    """Messages of a conversation that are unread for `user`: by the other person, after the
    user last opened it."""
    return ~Q(messages__author_id=user.pk) & (
        Q(coach_id=user.pk, coach_read_at__isnull=True)
        | Q(coach_id=user.pk, messages__created_at__gt=F("coach_read_at"))
        | Q(learner_id=user.pk, learner_read_at__isnull=True)
        | Q(learner_id=user.pk, messages__created_at__gt=F("learner_read_at"))
    )


def conversations_of(user: "User | Any") -> list[Conversation]:
    """The conversations the person sees, latest message first, each with both people and
    `unread` (messages from the other person since they last opened it). One query."""
    return list(
        Conversation.objects.visible_to(user)
        .select_related("coach", "learner")
        .annotate(unread=Count("messages", filter=_unread_filter(user)))
        .order_by(F("last_message_at").desc(nulls_last=True), "id")
    )


def unread_counts_for_coach(coach: "User | Any") -> dict[int, int]:
    """For a coach's caseload: {learner's user id: unread messages from that learner}, for the
    learners they coach now who have written something the coach has not opened yet (learners
    with nothing unread are left out). Counts only, never text. One query, whatever the
    caseload's size."""
    rows = (
        Conversation.objects.visible_to(coach)
        .filter(coach_id=coach.pk)
        .annotate(unread=Count("messages", filter=_unread_filter(coach)))
        .filter(unread__gt=0)
        .values_list("learner_id", "unread")
    )
    return dict(rows)


def unread_total(user: "User | Any") -> int:
    """How many messages wait unread for the person across their conversations. One query."""
    return sum(c for c in unread_counts_of(user).values())


def unread_counts_of(user: "User | Any") -> dict[int, int]:
    """{conversation id: unread messages} for the person, as coach or learner. One query."""
    rows = (
        Conversation.objects.visible_to(user)
        .annotate(unread=Count("messages", filter=_unread_filter(user)))
        .filter(unread__gt=0)
        .values_list("id", "unread")
    )
    return dict(rows)


def learners_of(coach: "User | Any") -> list[User]:
    """The active learners whose current seat names the person as coach, by name, each once,
    each with `coached_in`: the names of the cohorts in which they are (most recent first), to
    tell apart two people of the same name. One query."""
    seats = (
        Enrollment.objects.in_organization_of(coach)
        .filter(coach=coach, role=EnrollmentRole.LEARNER, user__is_active=True)
        .select_related("user", "cohort")
        .order_by("user__full_name", "user_id", "-cohort__start_date")
    )
    learners: dict[int, User] = {}
    for seat in seats:
        learner = learners.setdefault(seat.user_id, seat.user)
        learner.coached_in = [*getattr(learner, "coached_in", []), seat.cohort.name]  # type: ignore[attr-defined]
    return list(learners.values())


def messages_page(pair: Pair, page_number: Any) -> Page[Message]:
    """One page of the pair's messages, newest page first (page 1 holds the latest
    MESSAGES_PER_PAGE), each with its author, the activity it asks about and its attachments;
    an empty page when there is no conversation yet. A page number that is not a page gives
    the nearest one. Three queries (count, page, attachments), whatever the thread's length."""
    if pair.conversation is None:
        rows = Message.objects.none()
    else:
        rows = (
            Message.objects.visible_to(pair.me)
            .filter(conversation=pair.conversation)
            .select_related("author", "activity", "cohort")
            .prefetch_related("attachments")
            .order_by("-created_at", "-id")
        )
    return Paginator(rows, MESSAGES_PER_PAGE).get_page(page_number)


def get_attachment_for_user(user: "User | Any", attachment_id: uuid.UUID) -> Attachment:
    """An attachment of a conversation the person sees, else 404. One query."""
    attachment = Attachment.objects.visible_to(user).filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404("No such file")
    return attachment


def action_items_of(pair: Pair) -> list[ActionItem]:
    """The pair's action plan, oldest first, with each item's behaviour (and its competency),
    the goal the learner linked and who added it. One query (none without a conversation)."""
    if pair.conversation is None:
        return []
    return list(
        ActionItem.objects.visible_to(pair.me)
        .filter(conversation=pair.conversation)
        .select_related("behaviour__competency", "goal", "added_by")
        .order_by("created_at", "id")
    )


def get_action_item_for_user(user: "User | Any", item_id: uuid.UUID) -> ActionItem:
    """An item of an action plan the person sees, with its conversation and both people,
    else 404; 403 when the two are no longer coach and learner (a plan with a former coach
    is read only). Two queries."""
    item = (
        ActionItem.objects.visible_to(user)
        .select_related("conversation__coach", "conversation__learner")
        .filter(public_id=item_id)
        .first()
    )
    if item is None:
        raise Http404("No such item")
    conversation = item.conversation
    if conversation.learner_id == user.pk and not any(
        c.pk == conversation.coach_id for c in coaches_of(user)
    ):
        raise PermissionDenied("No longer your coach")
    return item


def behaviours_for(user: "User | Any") -> "QuerySet[Behaviour]":
    """The organisation's leadership-model behaviours, by competency, for an action item's
    link."""
    return Behaviour.objects.visible_to(user).select_related("competency")


def goals_for(user: "User | Any") -> "QuerySet[Goal]":
    """The person's own growth goals (growth.Goal is its owner's alone), for a learner to link
    one to an action item."""
    return Goal.objects.visible_to(user).order_by("created_at", "id")


def get_note_for_coach(
    user: "User | Any", booking_id: uuid.UUID
) -> tuple[Booking, SessionNote | None]:
    """A session the person coaches and their private note on it (None before they write one).
    404 for a session they cannot see, 403 for its learner (notes are the coach's alone).
    Two queries."""
    booking = get_booking_for_user(user, booking_id)
    if booking.coach_id != user.pk:
        raise PermissionDenied("Only the coach writes notes")
    return booking, note_of(user, booking)


def note_of(user: "User | Any", booking: Booking) -> SessionNote | None:
    """The person's own note on a booking, or None (always None for its learner). One query."""
    return SessionNote.objects.visible_to(user).filter(booking=booking).first()


def sessions_of_pair(pair: Pair, *, limit: int = 6) -> list[Booking]:
    """The pair's latest 1:1 sessions that were not cancelled, latest first, at most `limit`
    (for links from their conversation to each session's page). One query."""
    return list(
        Booking.objects.visible_to(pair.me)
        .active()
        .filter(coach=pair.coach, learner=pair.learner)
        .order_by("-starts_at")[:limit]
    )


# -- Caseload and matching (issue 9) -------------------------------------------------------------


def caseload_seats(coach: "User | Any") -> "QuerySet[Enrollment]":
    """THE rule for a coach's caseload: the learner seats of their current organisation that
    name them as coach (`Enrollment.coach`), of active people. A seat that names another coach
    is never in it, whatever cohort the two share. Lazy; one query when evaluated."""
    membership = policy.membership_of(coach)
    if membership is None:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(
        organization_id=membership.organization_id,
        coach=coach,
        role=EnrollmentRole.LEARNER,
        user__is_active=True,
    )


def require_admin(user: "User | Any") -> None:
    """403 for anyone who does not manage the organisation's people (matching is theirs)."""
    if not policy.can_manage_people(user):
        raise PermissionDenied("Only your organisation's admins match coaches")


def get_cohort_for_admin(user: "User | Any", cohort_id: uuid.UUID) -> "Cohort":
    """A cohort of the admin's organisation (404 otherwise); 403 for anyone who is not an
    organisation admin but may see it."""
    from cohorts.models import Cohort

    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("program")
        .filter(public_id=cohort_id)
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    require_admin(user)
    return cohort


def get_proposal_for_admin(user: "User | Any", proposal_id: uuid.UUID) -> MatchProposal:
    """A match proposal of the admin's organisation, with its cohort, else 404 (everyone who
    is not its organisation's admin: proposals are theirs alone). One query."""
    proposal = (
        MatchProposal.objects.visible_to(user)
        .select_related("cohort__program")
        .filter(public_id=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def get_change_request_for_admin(user: "User | Any", request_id: uuid.UUID) -> CoachChangeRequest:
    """An open or closed change-of-coach request an admin may see (never one about themself as
    the coach), else 404; 403 for the learner who made it (they may see it, not resolve it)."""
    found = (
        CoachChangeRequest.objects.visible_to(user)
        .select_related("enrollment__cohort", "learner", "coach_at_request")
        .filter(public_id=request_id)
        .first()
    )
    if found is None:
        raise Http404("No such request")
    require_admin(user)
    if found.learner_id == user.pk:
        raise PermissionDenied("Your own request is for an admin to resolve")
    return found


def change_requests_of(user: "User | Any") -> list[CoachChangeRequest]:
    """The person's own change-of-coach requests, newest first, with their seat's cohort.
    One query."""
    return list(
        CoachChangeRequest.objects.visible_to(user)
        .filter(learner=user)
        .select_related("enrollment__cohort")
        .order_by("-created_at")
    )


def open_change_requests(user: "User | Any") -> list[CoachChangeRequest]:
    """The open requests an admin may resolve (their organisation's, never about themself as
    the coach, never their own), oldest first. One query; [] for anyone else."""
    if not policy.can_manage_people(user):
        return []
    return list(
        CoachChangeRequest.objects.visible_to(user)
        .open()
        .exclude(learner=user)
        .select_related("enrollment__cohort", "learner", "coach_at_request")
        .order_by("created_at")
    )


def get_own_coached_seat(user: "User | Any", seat_id: uuid.UUID) -> Enrollment:
    """One of the person's own learner seats that has a coach, by public id, else 404."""
    seat = (
        Enrollment.objects.visible_to(user)
        .filter(user=user, role=EnrollmentRole.LEARNER, coach__isnull=False, public_id=seat_id)
        .select_related("cohort", "coach")
        .first()
    )
    if seat is None:
        raise Http404("No such seat")
    return seat


def get_match_profile(user: "User | Any", person: User) -> MatchProfile | None:
    """`person`'s match profile if `user` may see it (their own, or an admin's organisation's).
    One query."""
    return (
        MatchProfile.objects.visible_to(user)
        .filter(user=person)
        .prefetch_related("competencies")
        .first()
    )


def cohort_seats_for_admin(user: "User | Any", cohort: "Cohort") -> list[Enrollment]:
    """The cohort's learner seats (with each person, their membership and their coach) as an
    admin sees them, by name. One query."""
    require_admin(user)
    return list(
        Enrollment.objects.visible_to(user)
        .filter(cohort=cohort, role=EnrollmentRole.LEARNER)
        .select_related("user", "coach", "cohort")
        .order_by("user__full_name", "pk")
    )


def get_seat_for_admin(user: "User | Any", seat_id: uuid.UUID) -> Enrollment:
    """A learner seat of the admin's organisation (404 for a seat the person may not see,
    403 for one they see, their own, without being an admin). One query."""
    seat = (
        Enrollment.objects.visible_to(user)
        .filter(public_id=seat_id, role=EnrollmentRole.LEARNER)
        .select_related("cohort", "user", "coach")
        .first()
    )
    if seat is None:
        raise Http404("No such seat")
    require_admin(user)
    return seat


def get_coach_for_admin(user: "User | Any", coach_id: uuid.UUID) -> User:
    """A coach of the admin's organisation (someone who coaches: `is_coach`), else 404;
    403 for a person who is not an admin (they may only see themself)."""
    person = User.objects.visible_to(user).filter(public_id=coach_id, is_active=True).first()
    if person is None or not is_coach(person):
        raise Http404("No such coach")
    require_admin(user)
    return person


def proposal_rows(user: "User | Any", proposal: MatchProposal) -> list[MatchRow]:
    """A proposal's rows with each seat's person and both coaches, by name. One query."""
    return list(
        MatchRow.objects.visible_to(user)
        .filter(proposal=proposal)
        .select_related("enrollment__user", "proposed_coach", "current_coach")
        .order_by("enrollment__user__full_name", "pk")
    )


def get_proposal_row(user: "User | Any", proposal: MatchProposal, seat_id: uuid.UUID) -> MatchRow:
    """The row of a proposal for one seat, else 404."""
    row = (
        MatchRow.objects.visible_to(user)
        .filter(proposal=proposal, enrollment__public_id=seat_id)
        .select_related("enrollment__user", "enrollment__cohort")
        .first()
    )
    if row is None:
        raise Http404("No such row")
    return row


def proposals_of(user: "User | Any", cohort: "Cohort") -> list[MatchProposal]:
    """The cohort's proposals, newest first (admins only; [] for anyone else). One query."""
    return list(MatchProposal.objects.visible_to(user).filter(cohort=cohort)[:5])


def coaches_of_organisation(user: "User | Any") -> list[User]:
    """The active people of the admin's organisation whose role is coach, by name (for the
    admin's list of coach profiles). One query; [] for anyone but an admin."""
    if not policy.can_manage_people(user):
        return []
    return list(
        User.objects.visible_to(user)
        .filter(is_active=True, membership__role=Role.COACH)
        .select_related("match_profile")
        .order_by("full_name")
    )


def competencies_of(user: "User | Any") -> "QuerySet[Any]":
    """The organisation's leadership-model competencies (everyone may read them)."""
    from organizations.models import Competency

    return Competency.objects.visible_to(user).order_by("position", "pk")


def own_coached_seats(user: "User | Any") -> list[Enrollment]:
    """The person's own learner seats that have a coach, with the coach and cohort. One query."""
    return list(
        Enrollment.objects.visible_to(user)
        .filter(user=user, role=EnrollmentRole.LEARNER, coach__isnull=False)
        .select_related("cohort", "coach")
        .order_by("cohort__start_date")
    )


# --- Nudges --------------------------------------------------------------------------------


def my_learners(user: "User | Any") -> tuple[list[User], list[Any]]:
    """The people the coach coaches (their learner seats name them) and those seats' cohorts,
    each by name, once: the choices of the nudge form. One query."""
    seats = (
        Enrollment.objects.in_organization_of(user)
        .filter(coach=user, role=EnrollmentRole.LEARNER, user__is_active=True)
        .select_related("user", "cohort")
        .order_by("user__full_name")
    )
    people: dict[int, User] = {}
    cohorts: dict[int, Any] = {}
    for seat in seats:
        people.setdefault(seat.user_id, seat.user)
        cohorts.setdefault(seat.cohort_id, seat.cohort)
    return list(people.values()), sorted(cohorts.values(), key=lambda c: c.name)


def nudges_of(user: "User | Any") -> "QuerySet[Nudge]":
    """The coach's own nudges, newest first. One query when evaluated."""
    return Nudge.objects.visible_to(user).filter(coach=user).order_by("-send_at")[:50]


def get_nudge_for_user(user: "User | Any", nudge_id: uuid.UUID) -> Nudge:
    """A nudge for its coach, or for a learner it was delivered to; else 404 (another
    learner of the same group before delivery included). One query."""
    nudge = (
        Nudge.objects.visible_to(user).select_related("coach").filter(public_id=nudge_id).first()
    )
    if nudge is None:
        raise Http404("No such nudge")
    return nudge


def get_own_nudge(user: "User | Any", nudge_id: uuid.UUID) -> Nudge:
    """One of the coach's own nudges: 404 if the person may not see it, 403 for a
    recipient (only the coach cancels). One query."""
    nudge = get_nudge_for_user(user, nudge_id)
    if nudge.coach_id != user.pk:
        raise PermissionDenied("Only the coach cancels a nudge")
    return nudge
