"""One learner, two writes that would give them two sessions at once, at the same moment, on
the real database (SQLite here, PostgreSQL in CI's second pass): exactly one wins and the other
gets a clear message. Two coaches booked for the same time; a 1:1 with another coach while the
learner's circle coach schedules a circle session over it."""

import threading
from collections.abc import Callable
from datetime import time, timedelta

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from coaching import actions
from coaching.access import free_slots
from coaching.models import Booking, GroupSession
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from organizations.models import Role
from rapport.testing import make_circle, make_cohort, make_org, make_program, make_user


def race(attempts: list[Callable[[], object]]) -> list[object]:
    """Run the attempts in threads released together; each outcome is its result or the
    exception it raised."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[object] = [None] * len(attempts)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = attempts[index]()
        except Exception as error:  # surfaced by the caller's assertions
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


class OverlapRaceTests(TransactionTestCase):
    def setUp(self) -> None:
        org = make_org()
        program = make_program(org, weeks=1, per_week=1)
        self.learner = make_user(org, "learner@northwind.example", time_zone="Asia/Tokyo")
        self.peer = make_user(org, "peer@northwind.example")
        self.coaches = [
            make_user(org, f"coach{i}@northwind.example", role=Role.COACH) for i in range(2)
        ]
        self.day = timezone.now() + timedelta(days=2)
        for index, coach in enumerate(self.coaches):
            cohort = make_cohort(program, name=f"Cohort {index}")
            enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
            enroll(self.learner, cohort=cohort, coach=coach)
            if index == 0:
                enroll(self.peer, cohort=cohort, coach=coach)
                self.circle = make_circle(
                    cohort, [self.learner, self.peer], name="Circle", coach=coach
                )
            actions.add_availability(
                coach,
                weekday=self.day.weekday(),
                start_time=time(9),
                end_time=time(10),
                slot_minutes=60,
                starts_on=timezone.now().date(),
                ends_on=None,
            )

    def book(self, coach, slots, target) -> Callable[[], object]:
        return lambda: (
            actions.book_session(
                self.learner, coach=coach, starts_at=target, slots=slots, now=timezone.now()
            ).booking
        )

    def test_two_coaches_at_once_one_booking_wins(self) -> None:
        now = timezone.now()
        slots = [free_slots(self.learner, coach, now=now) for coach in self.coaches]
        target = slots[0][0].starts_at
        self.assertEqual(target, slots[1][0].starts_at)
        outcomes = race([self.book(c, s, target) for c, s in zip(self.coaches, slots, strict=True)])
        won = [o for o in outcomes if isinstance(o, Booking)]
        refused = [o for o in outcomes if isinstance(o, actions.BookingRefused)]
        self.assertEqual((len(won), len(refused)), (1, 1), outcomes)
        self.assertIn("You already have a session then", str(refused[0]))
        self.assertEqual(Booking.objects.filter(learner=self.learner).count(), 1)

    def test_a_1to1_and_a_circle_session_at_once_one_wins(self) -> None:
        now = timezone.now()
        slots = free_slots(self.learner, self.coaches[1], now=now)
        target = slots[0].starts_at

        def schedule() -> object:
            return actions.schedule_group_session(
                self.coaches[0],
                circle=self.circle,
                starts_at=target,
                ends_at=target + timedelta(minutes=60),
                video_url="",
                now=timezone.now(),
            ).session

        outcomes = race([self.book(self.coaches[1], slots, target), schedule])
        won = [o for o in outcomes if isinstance(o, Booking | GroupSession)]
        refused = [o for o in outcomes if isinstance(o, actions.BookingRefused)]
        self.assertEqual((len(won), len(refused)), (1, 1), outcomes)
        self.assertEqual(
            Booking.objects.filter(learner=self.learner).count()
            + GroupSession.objects.filter(circle=self.circle).count(),
            1,
        )
