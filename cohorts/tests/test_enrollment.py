"""cohorts.actions.enroll_many and enroll: the one way anyone takes a seat in a cohort."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.actions import Seat, enroll, enroll_many
from cohorts.models import Enrollment, EnrollmentRole
from events.models import Event, ObjectType, Verb
from organizations.actions import NewPerson, add_members
from rapport.testing import PersonaTestCase


class EnrollManyTests(PersonaTestCase):
    def new_learners(self, count: int) -> list[int]:
        people = [
            NewPerson(email=f"l{n}@northwind.example", full_name=f"L {n}") for n in range(count)
        ]
        return [m.user_id for m in add_members(self.org, people=people)]

    def test_new_seats_are_created_with_role_coach_and_organisation(self) -> None:
        (user_id,) = self.new_learners(1)
        [(enrollment, created)] = enroll_many(
            self.cohort_b, seats=[Seat(user_id, EnrollmentRole.LEARNER, self.carol.pk)]
        )
        self.assertTrue(created)
        stored = Enrollment.objects.get(pk=enrollment.pk)
        self.assertEqual(
            (stored.cohort, stored.coach, stored.role), (self.cohort_b, self.carol, "learner")
        )
        self.assertEqual(stored.organization_id, self.org.pk)

    def test_enrolling_the_same_seats_again_changes_nothing_and_writes_nothing(self) -> None:
        seats = [Seat(pk, coach_id=self.carol.pk) for pk in self.new_learners(5)]
        enroll_many(self.cohort_a, seats=seats)
        with CaptureQueriesContext(connection) as queries:
            results = enroll_many(self.cohort_a, seats=seats)
        self.assertEqual([created for _, created in results], [False] * 5)
        self.assertEqual([q["sql"].split()[0] for q in queries.captured_queries], ["SELECT"])

    def test_a_changed_coach_or_role_is_updated_in_one_query_per_change(self) -> None:
        ids = self.new_learners(4)
        enroll_many(self.cohort_a, seats=[Seat(pk) for pk in ids])
        # 1 the existing seats, 2 the coach change for three people, 3 the role change.
        with self.assertNumQueries(3):
            enroll_many(
                self.cohort_a,
                seats=[Seat(pk, coach_id=self.carol.pk) for pk in ids[:3]]
                + [Seat(ids[3], EnrollmentRole.EXPERT)],
            )
        coaches = dict(
            Enrollment.objects.filter(user_id__in=ids).values_list("user_id", "coach_id")
        )
        self.assertEqual(
            coaches,
            {ids[0]: self.carol.pk, ids[1]: self.carol.pk, ids[2]: self.carol.pk, ids[3]: None},
        )
        self.assertEqual(Enrollment.objects.get(user_id=ids[3]).role, EnrollmentRole.EXPERT)

    def test_enrolling_many_takes_the_same_queries_for_10_or_600_people(self) -> None:
        ids = self.new_learners(610)
        # 1 seats already taken, 2 insert the new ones, 3 insert their `registered` events.
        with self.assertNumQueries(3):
            enroll_many(self.cohort_b, seats=[Seat(pk) for pk in ids[:10]])
        # 600 seats: two batches of 500 for each of the look-up, the insert and the events.
        with self.assertNumQueries(6):
            enroll_many(self.cohort_b, seats=[Seat(pk) for pk in ids[10:]])
        self.assertEqual(Enrollment.objects.filter(cohort=self.cohort_b).count(), 611)

    def test_each_new_seat_records_one_registered_event_with_its_registration(self) -> None:
        ids = self.new_learners(3)
        results = enroll_many(self.cohort_b, seats=[Seat(pk) for pk in ids])
        events = Event.objects.filter(verb=Verb.REGISTERED, cohort=self.cohort_b, actor_id__in=ids)
        self.assertEqual(
            sorted((e.actor_id, e.registration) for e in events),
            sorted((e.user_id, e.public_id) for e, _ in results),
        )
        self.assertEqual(
            {(e.object_type, e.object_id, e.cohort_id) for e in events},
            {(ObjectType.COHORT, self.cohort_b.public_id, self.cohort_b.pk)},
        )
        self.assertEqual([e.result for e in events], [{}, {}, {}])
        # Enrolling the same people again, or changing a coach, is no new registration.
        enroll_many(self.cohort_b, seats=[Seat(pk, coach_id=self.carol.pk) for pk in ids])
        self.assertEqual(events.count(), 3)

    def test_enroll_is_the_single_seat_form(self) -> None:
        enrollment, created = enroll(self.dave, cohort=self.cohort_b, coach=self.carol)
        self.assertFalse(created)
        self.assertEqual(Enrollment.objects.get(pk=enrollment.pk).coach, self.carol)
