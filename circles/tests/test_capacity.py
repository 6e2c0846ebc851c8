"""A circle holds at most MAX_SIZE members and a learner one circle per cohort, in the database
itself (`one_circle_per_cohort`, `one_member_per_place`, `place_within_capacity`) and in the
actions: two placements at the same moment (threads on the real database file: SQLite here,
PostgreSQL in CI's second pass) never put one person in two circles nor a circle past its
size; members who are not learners any more still take room; an admin cannot move someone
into a full published circle."""

import threading
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.test import TransactionTestCase

from circles import actions, formation
from circles.models import MAX_SIZE, Circle, CircleMember, CircleState
from circles.roster import load_people
from cohorts.actions import enroll
from cohorts.models import Enrollment, EnrollmentRole
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user

REGIONS = ("Europe", "Africa", "Asia")


class CapacityTestCase(TransactionTestCase):
    """One cohort: an admin, a coach and six learners formed into one published circle (one
    place left); more learners join late, unplaced until a test places them."""

    def setUp(self) -> None:
        self.org = make_org()
        self.cohort = make_cohort(make_program(self.org, weeks=1, per_week=1))
        self.admin = make_user(self.org, "admin@northwind.example", role=Role.ADMIN)
        coach = make_user(self.org, "coach@northwind.example", role=Role.COACH)
        enroll(coach, cohort=self.cohort, role=EnrollmentRole.COACH)
        for i in range(6):
            self.learner(f"first{i}", i)
        actions.form_draft(self.cohort, mix=["region"], by=self.admin)
        self.late = [self.learner(f"late{i}", i) for i in range(3)]
        actions.publish(self.cohort, by=self.admin, people=load_people(self.cohort))
        self.circle = Circle.objects.get(cohort=self.cohort)
        self.assertEqual(self.circle.state, CircleState.PUBLISHED)
        self.assertEqual(self.members(), 6)

    def learner(self, name: str, i: int) -> Enrollment:
        user = make_user(self.org, f"{name}@northwind.example", region=REGIONS[i % 3])
        return enroll(user, cohort=self.cohort)[0]

    def members(self, circle: Circle | None = None) -> int:
        return CircleMember.objects.filter(circle=circle or self.circle).count()

    def concurrently(self, *calls: Any) -> list[object]:
        """Run each call in its own thread and connection, released together by a barrier;
        their results (or exceptions) in order."""
        barrier = threading.Barrier(len(calls))
        outcomes: list[object] = [None] * len(calls)

        def run(index: int, call: Any) -> None:
            try:
                barrier.wait(timeout=10)
                outcomes[index] = call()
            except Exception as error:  # surfaced by the assertions below
                outcomes[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return outcomes


class ConcurrentPlacementTests(CapacityTestCase):
    def test_two_late_joiners_racing_for_the_last_place_one_gets_it(self) -> None:
        first, second = self.late[0], self.late[1]
        outcomes = self.concurrently(
            lambda: actions.place_late_joiner(first), lambda: actions.place_late_joiner(second)
        )
        self.assertFalse([o for o in outcomes if isinstance(o, Exception)], outcomes)
        placed = [o for o in outcomes if isinstance(o, Circle)]
        self.assertEqual(len(placed), 1, outcomes)
        self.assertEqual(self.members(), MAX_SIZE)
        places = list(
            CircleMember.objects.filter(circle=self.circle).values_list("place", flat=True)
        )
        self.assertEqual(sorted(places), list(range(1, MAX_SIZE + 1)))

    def test_one_person_placed_twice_at_once_has_one_seat(self) -> None:
        seat = self.late[0]
        outcomes = self.concurrently(
            lambda: actions.place_late_joiner(seat), lambda: actions.place_late_joiner(seat)
        )
        self.assertFalse([o for o in outcomes if isinstance(o, Exception)], outcomes)
        self.assertEqual(CircleMember.objects.filter(cohort=self.cohort, user=seat.user).count(), 1)
        self.assertEqual(self.members(), MAX_SIZE)

    def test_a_placement_and_an_admins_move_at_once_never_overfill(self) -> None:
        people = load_people(self.cohort)
        mover = people[self.late[1].user_id]
        outcomes = self.concurrently(
            lambda: actions.place_late_joiner(self.late[0]),
            lambda: actions.move_person(
                self.cohort, person=mover, to=self.circle, by=self.admin, people=people
            ),
        )
        errors = [o for o in outcomes if isinstance(o, Exception)]
        self.assertTrue(all(isinstance(e, actions.CircleError) for e in errors), outcomes)
        self.assertEqual(self.members(), MAX_SIZE)
        self.assertEqual(
            CircleMember.objects.filter(cohort=self.cohort).values("user").distinct().count(),
            CircleMember.objects.filter(cohort=self.cohort).count(),
        )


class DatabaseGuardTests(CapacityTestCase):
    def add_row(self, circle: Circle, seat: Enrollment, place: int | None) -> None:
        with transaction.atomic():
            CircleMember.objects.create(circle=circle, user=seat.user, enrollment=seat, place=place)

    def test_the_database_refuses_a_place_past_capacity_or_taken(self) -> None:
        taken = CircleMember.objects.filter(circle=self.circle).values_list("place", flat=True)
        with self.assertRaises(IntegrityError):
            self.add_row(self.circle, self.late[0], MAX_SIZE + 1)
        with self.assertRaises(IntegrityError):
            self.add_row(self.circle, self.late[0], next(iter(taken)))
        self.add_row(self.circle, self.late[0], MAX_SIZE)
        self.assertEqual(self.members(), MAX_SIZE)

    def test_the_database_refuses_a_second_circle_in_the_cohort(self) -> None:
        other = Circle.objects.create(cohort=self.cohort, name="Other")
        member = CircleMember.objects.filter(circle=self.circle).first()
        assert member is not None
        with self.assertRaises(IntegrityError):
            self.add_row(other, member.enrollment, 1)


class ActionGuardTests(CapacityTestCase):
    def test_a_member_who_is_no_longer_a_learner_still_takes_room(self) -> None:
        # One member's seat became a coach's: the formation no longer places by them, but they
        # are in the circle, so it has no room left after one more.
        member = CircleMember.objects.filter(circle=self.circle).first()
        assert member is not None
        Enrollment.objects.filter(pk=member.enrollment_id).update(role=EnrollmentRole.COACH)
        self.assertIsInstance(actions.place_late_joiner(self.late[0]), Circle)
        self.assertIsInstance(actions.place_late_joiner(self.late[1]), formation.Unplaced)
        self.assertEqual(self.members(), MAX_SIZE)

    def test_placing_again_changes_nothing(self) -> None:
        self.assertIsInstance(actions.place_late_joiner(self.late[0]), Circle)
        self.assertIsNone(actions.place_late_joiner(self.late[0]))
        self.assertEqual(self.members(), 7)

    def test_an_admin_cannot_move_someone_into_a_full_published_circle(self) -> None:
        self.assertIsInstance(actions.place_late_joiner(self.late[0]), Circle)
        people = load_people(self.cohort)
        with self.assertRaisesMessage(actions.CircleError, "is full"):
            actions.move_person(
                self.cohort,
                person=people[self.late[1].user_id],
                to=self.circle,
                by=self.admin,
                people=people,
            )
        self.assertEqual(self.members(), MAX_SIZE)
        self.assertFalse(CircleMember.objects.filter(user=self.late[1].user).exists())
