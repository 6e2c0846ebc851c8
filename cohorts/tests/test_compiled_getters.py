"""The getters whose SQL is compiled once per process (rapport/compiled.py) run, for every
persona, exactly the statement a fresh compile of their `visible_to` queryset gives, and find
the same rows: the kept statement is never a way around the rule."""

from typing import Any

from accounts.backends import EmailBackend, _signed_in_query, signed_in_query
from accounts.models import User
from cohorts.access import _seat_query, get_seat_for_user, seat_query
from cohorts.actions import _progress_row_query, progress_row_query, record_visit
from cohorts.journey import _progress_query, progress_query
from cohorts.models import Enrollment
from programs.models import Activity
from rapport.testing import PersonaTestCase, make_user


class CompiledGetterTests(PersonaTestCase):
    def personas(self) -> list[Any]:
        expert = make_user(self.org, "expert@northwind.example", role="expert")  # type: ignore[arg-type]
        sponsor = make_user(self.org, "sponsor@northwind.example", role="sponsor")  # type: ignore[arg-type]
        loner = User.objects.create_user("loner@northwind.example", full_name="Loner")
        root = User.objects.create_superuser("root@northwind.example", password="x", full_name="R")
        people = [self.alice, self.bob, self.carol, self.dave, self.dora, self.adam]
        people += [self.erin, self.oscar, self.fay, expert, sponsor, loner, root]
        # As the authentication backend loads them: with membership and organisation.
        return [
            User.objects.select_related("membership__organization").get(pk=p.pk) for p in people
        ]

    def test_the_seat_statement_equals_a_fresh_compile_for_every_persona(self) -> None:
        cohorts = [self.cohort_a, self.cohort_b, self.cohort_c, self.other_cohort]
        compiled_for = set()
        for person in self.personas():
            for cohort in cohorts:
                with self.subTest(person=person.email, cohort=cohort.name):
                    fresh = _seat_query(person, cohort.public_id)
                    kept = seat_query.sql_with_params(person, cohort.public_id)
                    if kept is not None:
                        compiled_for.add(person.email)
                        self.assertEqual(kept, fresh.query.sql_with_params())
                    rows = seat_query(person, cohort.public_id)
                    self.assertEqual(
                        [(e.pk, e.cohort_id, e.cohort.program_id, e.coach_id) for e in rows],
                        [(e.pk, e.cohort_id, e.cohort.program_id, e.coach_id) for e in fresh],
                    )
        # Every role with a membership is compiled (only the loner and the operator are not).
        self.assertEqual(len(compiled_for), 11)

    def test_a_learner_gets_only_their_own_seat_however_many_share_the_statement(self) -> None:
        for person in (self.alice, self.bob, self.fay):
            seat = get_seat_for_user(person, self.cohort_a.public_id)
            assert seat.enrollment is not None
            self.assertEqual(seat.enrollment.user_id, person.pk)
        oscar = get_seat_for_user(self.oscar, self.other_cohort.public_id)
        self.assertEqual(oscar.cohort.pk, self.other_cohort.pk)

    def test_the_progress_statement_equals_a_fresh_compile(self) -> None:
        activities = list(Activity.objects.filter(week__program=self.program).order_by("pk"))
        for person in (self.alice, self.bob):
            enrollment = Enrollment.objects.get(user=person, cohort=self.cohort_a)
            record_visit(enrollment, activity=activities[0])
        for person in (self.alice, self.bob, self.fay):
            enrollment = Enrollment.objects.get(user=person, cohort=self.cohort_a)
            for ids in (tuple(a.pk for a in activities), (activities[0].pk,)):
                with self.subTest(person=person.email, ids=len(ids)):
                    fresh = _progress_query(None, enrollment.pk, ids)
                    kept = progress_query.sql_with_params(None, enrollment.pk, ids)
                    self.assertEqual(kept, fresh.query.sql_with_params())
                    rows = progress_query(None, enrollment.pk, ids)
                    self.assertEqual(
                        sorted((r.pk, r.activity_id, r.state) for r in rows),
                        sorted((r.pk, r.activity_id, r.state) for r in fresh),
                    )
                    self.assertTrue(all(r.enrollment_id == enrollment.pk for r in rows))

    def test_the_visit_progress_statement_equals_a_fresh_compile(self) -> None:
        activity = Activity.objects.filter(week__program=self.program).order_by("pk").first()
        assert activity is not None
        for person in (self.alice, self.bob):
            enrollment = Enrollment.objects.get(user=person, cohort=self.cohort_a)
            with self.subTest(person=person.email):
                self.assertEqual(
                    progress_row_query.sql_with_params(None, enrollment.pk, activity.pk),
                    _progress_row_query(None, enrollment.pk, activity.pk).query.sql_with_params(),
                )
                self.assertEqual(progress_row_query(None, enrollment.pk, activity.pk), [])
                first = record_visit(enrollment, activity=activity)
                with self.assertNumQueries(1):  # the same day: one read, no write
                    again = record_visit(enrollment, activity=activity)
                self.assertEqual((again.pk, again.viewed_on), (first.pk, first.viewed_on))
                self.assertEqual(again.enrollment_id, enrollment.pk)

    def test_the_signed_in_person_statement_equals_a_fresh_compile(self) -> None:
        for person in self.personas():
            with self.subTest(person=person.email):
                self.assertEqual(
                    signed_in_query.sql_with_params(None, person.pk),
                    _signed_in_query(None, person.pk).query.sql_with_params(),
                )
                user = EmailBackend().get_user(person.pk)
                assert user is not None
                self.assertEqual(user.pk, person.pk)
                with self.assertNumQueries(0):
                    membership = getattr(user, "membership", None)
                    self.assertEqual(
                        membership and membership.organization_id,
                        person.membership.organization_id
                        if hasattr(person, "membership")
                        else None,
                    )

    def test_a_deactivated_or_unknown_person_is_not_signed_in(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(is_active=False)
        self.assertIsNone(EmailBackend().get_user(self.alice.pk))
        self.assertIsNone(EmailBackend().get_user(10**9))
        self.assertIsNotNone(EmailBackend().get_user(self.bob.pk))
