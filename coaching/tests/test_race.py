"""Two learners, one slot, at the same moment, on the real database (SQLite here, PostgreSQL in
CI's second pass): one booking wins, the other learner gets a clear message, and the database
holds exactly one active booking for the slot."""

import threading
from datetime import time, timedelta

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from coaching import actions
from coaching.access import free_slots
from coaching.models import Booking
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user


class BookingRaceTests(TransactionTestCase):
    def setUp(self) -> None:
        org = make_org()
        cohort = make_cohort(make_program(org, weeks=1, per_week=1))
        self.coach = make_user(org, "coach@northwind.example", role=Role.COACH)
        self.learners = [
            make_user(org, f"learner{i}@northwind.example", time_zone=zone)
            for i, zone in enumerate(("Asia/Tokyo", "America/Lima"))
        ]
        enroll(self.coach, cohort=cohort, role=EnrollmentRole.COACH)
        for learner in self.learners:
            enroll(learner, cohort=cohort, coach=self.coach)
        actions.add_availability(
            self.coach,
            weekday=(timezone.now() + timedelta(days=2)).weekday(),
            start_time=time(9),
            end_time=time(10),
            slot_minutes=60,
            starts_on=timezone.now().date(),
            ends_on=None,
        )

    def test_two_learners_one_slot_one_wins(self) -> None:
        now = timezone.now()
        slots = {learner.pk: free_slots(learner, self.coach, now=now) for learner in self.learners}
        target = slots[self.learners[0].pk][0].starts_at
        self.assertEqual(target, slots[self.learners[1].pk][0].starts_at)
        barrier = threading.Barrier(len(self.learners))
        outcomes: dict[int, object] = {}

        def attempt(learner) -> None:
            try:
                barrier.wait(timeout=10)
                result = actions.book_session(
                    learner, coach=self.coach, starts_at=target, slots=slots[learner.pk], now=now
                )
                outcomes[learner.pk] = result.booking
            except actions.BookingRefused as refusal:
                outcomes[learner.pk] = refusal
            except Exception as error:  # surfaced below: nothing else may happen
                outcomes[learner.pk] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(p,)) for p in self.learners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        won = [o for o in outcomes.values() if isinstance(o, Booking)]
        refused = [o for o in outcomes.values() if isinstance(o, actions.BookingRefused)]
        self.assertEqual((len(won), len(refused)), (1, 1), outcomes)
        self.assertIn("a moment before you", str(refused[0]))
        self.assertEqual(Booking.objects.filter(coach=self.coach, starts_at=target).count(), 1)
