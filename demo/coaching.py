"""The demo's coaching sessions: the demo coach's weekly availability (in her own zone, with
her video room), a day off, and 1:1 sessions booked this week with the demo learner and three
other learners she coaches, so My sessions, the booking page and her availability page have
something real to show.

Rows are written directly, not through coaching.actions.book_session, so seeding emails
nobody; the times are the coach's own free slots (coaching.slots), as a learner would have
booked them.
"""

from datetime import date, datetime, time, timedelta

from accounts.models import User
from circles.models import CircleMember
from coaching.actions import add_availability, add_day_off
from coaching.models import Booking, GroupInvitee, GroupSession
from coaching.slots import slots_of
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from rapport.lib.timezones import get_zone

VIDEO_ROOM = "https://meet.northwind.example/grace-mensah"
# (weekday, from, until, minutes): Tuesday mornings, Wednesday lunchtimes, Thursday afternoons.
WEEKLY = (
    (1, time(9), time(12), 45),
    (2, time(12, 30), time(14), 30),
    (3, time(14), time(17), 60),
)
# Which of the coach's next free slots each learner holds: the demo learner the second, so she
# sees a session soon and still has earlier times to move it to.
LEARNER_SLOT = 1
OTHERS_SLOTS = (0, 3, 5)


def seed_coaching(cohort: Cohort, *, learner: str, coach: str, now: datetime) -> dict[str, int]:
    """The coach's availability (from four weeks ago), a day off in three weeks, and sessions
    in her next free slots with `learner` and three more of her learners in `cohort`. Returns
    counts by kind."""
    grace = User.objects.get(email=coach)
    amara = User.objects.get(email=learner)
    first_day = (now - timedelta(days=28)).date()
    blocks = [
        add_availability(
            grace,
            weekday=weekday,
            start_time=start,
            end_time=end,
            slot_minutes=minutes,
            starts_on=first_day,
            ends_on=None,
            video_url=VIDEO_ROOM,
        )
        for weekday, start, end, minutes in WEEKLY
    ]
    off = _next_weekday(now.date() + timedelta(days=21), weekday=3)
    add_day_off(grace, day=off)
    others = list(
        User.objects.filter(
            enrollments__cohort=cohort,
            enrollments__role=EnrollmentRole.LEARNER,
            enrollments__coach=grace,
        )
        .exclude(pk=amara.pk)
        .order_by("pk")[: len(OTHERS_SLOTS)]
    )
    if not Enrollment.objects.filter(cohort=cohort, user=amara, coach=grace).exists():
        others = []
    slots = slots_of(blocks, [off], now=now, notice=timedelta(hours=2))
    holders = [(amara, LEARNER_SLOT), *zip(others, OTHERS_SLOTS, strict=False)]
    booked = Booking.objects.bulk_create(
        Booking(
            organization_id=grace.organization_id,
            coach=grace,
            learner=person,
            starts_at=slots[index].starts_at,
            ends_at=slots[index].ends_at,
            video_url=VIDEO_ROOM,
            booked_by=person,
        )
        for person, index in holders
        if index < len(slots)
    )
    return {"blocks": len(blocks), "days_off": 1, "sessions": len(booked)}


def _next_weekday(day: date, *, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


CIRCLE_ROOM = "https://meet.northwind.example/grace-circle"
# The circle session: 16:00 for 60 minutes, in the coach's zone, on the first Monday or Friday
# ahead (her 1:1 blocks are Tuesday to Thursday, so it never overlaps a booked session).
CIRCLE_SESSION_TIME = time(16)
CIRCLE_SESSION_DAYS = (0, 4)


def seed_group_session(cohort: Cohort, *, learner: str, coach: str, now: datetime) -> int:
    """A circle session this week: the demo coach with the demo learner's circle (when she
    coaches it), every member invited. Written directly, so seeding emails nobody. Returns 1,
    or 0 when the learner has no circle the coach coaches."""
    grace = User.objects.get(email=coach)
    place = (
        CircleMember.objects.filter(cohort=cohort, user__email=learner, circle__coach=grace)
        .select_related("circle")
        .first()
    )
    if place is None:
        return 0
    zone = get_zone(grace.time_zone)
    local_now = now.astimezone(zone)
    day = local_now.date() + timedelta(days=1)
    while day.weekday() not in CIRCLE_SESSION_DAYS:
        day += timedelta(days=1)
    starts_at = datetime.combine(day, CIRCLE_SESSION_TIME, tzinfo=zone)
    session = GroupSession.objects.create(
        circle=place.circle,
        coach=grace,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=60),
        video_url=CIRCLE_ROOM,
    )
    members = CircleMember.objects.filter(circle=place.circle).values_list("user_id", flat=True)
    GroupInvitee.objects.bulk_create(
        GroupInvitee(
            organization_id=session.organization_id, session=session, user_id=uid, invited_at=now
        )
        for uid in members
    )
    return 1


NUDGE = (
    "Hi {first_name}, a small nudge from me: {week_title} is a good week to try one "
    "conversation where you only ask questions. Ten minutes is enough. Tell me how it went "
    "when we next meet. {coach_name}"
)


def seed_nudge(cohort: Cohort, *, coach: str, now: datetime) -> int:
    """A nudge the demo coach scheduled for tomorrow at 08:30 (her zone) to her learners in
    `cohort` who have done at most three activities, through the action her page calls.
    Returns how many learners it will reach."""
    from coaching.actions import schedule_nudge
    from coaching.nudges import Audience, audience_of

    grace = User.objects.get(email=coach)
    zone = get_zone(grace.time_zone)
    day = now.astimezone(zone).date() + timedelta(days=1)
    seats = audience_of(
        grace, Audience(cohort_id=cohort.public_id, completed_at_most=3), now=now
    ) or audience_of(grace, Audience(cohort_id=cohort.public_id), now=now)
    if not seats:
        return 0
    schedule_nudge(
        grace,
        body=NUDGE,
        seats=seats,
        send_at=datetime.combine(day, time(8, 30), tzinfo=zone),
    )
    return len(seats)
