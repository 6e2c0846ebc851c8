"""rapport.compiled: a queryset compiled once per shape, re-run with each call's values, gives
exactly what the ORM gives, and anything it cannot reproduce takes the ORM path."""

import uuid
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from cohorts.models import Cohort, Enrollment
from rapport.compiled import CompiledQuery
from rapport.testing import PersonaTestCase, make_user


def fields_of(obj: Model | None) -> tuple[Any, ...] | None:
    """Every concrete field's value, with its type (a date must come back a date)."""
    if obj is None:
        return None
    return tuple(
        (f.attname, type(getattr(obj, f.attname)), getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
    )


class Counting:
    """A build function that counts how often it is called."""

    def __init__(self, build: Any) -> None:
        self.build = build
        self.calls = 0

    def __call__(self, viewer: Any, *values: Any) -> QuerySet[Any]:
        self.calls += 1
        return self.build(viewer, *values)  # type: ignore[no-any-return]


def _enrollments(viewer: Any, cohort_public_id: uuid.UUID) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.visible_to(viewer)
        .select_related("cohort__program", "coach")
        .filter(cohort__public_id=cohort_public_id)
        .order_by("pk")
    )


class CompiledQueryTests(PersonaTestCase):
    def test_it_gives_what_the_orm_gives_with_related_objects_and_converted_types(self) -> None:
        query = CompiledQuery(_enrollments)
        for viewer in (self.alice, self.bob, self.carol, self.adam, self.oscar):
            for cohort in (self.cohort_a, self.cohort_b, self.other_cohort):
                with self.subTest(viewer=viewer.email, cohort=cohort.name):
                    compiled = query(viewer, cohort.public_id)
                    fresh = list(_enrollments(viewer, cohort.public_id))
                    self.assertEqual(
                        [fields_of(e) for e in compiled], [fields_of(e) for e in fresh]
                    )
                    self.assertEqual(
                        [(fields_of(e.cohort), fields_of(e.cohort.program)) for e in compiled],
                        [(fields_of(e.cohort), fields_of(e.cohort.program)) for e in fresh],
                    )
                    self.assertEqual(
                        [fields_of(e.coach) for e in compiled], [fields_of(e.coach) for e in fresh]
                    )
                    self.assertEqual(
                        query.sql_with_params(viewer, cohort.public_id),
                        _enrollments(viewer, cohort.public_id).query.sql_with_params(),
                    )

    def test_annotations_come_set_as_the_orm_sets_them_with_their_types(self) -> None:
        from django.db.models import OuterRef, Subquery
        from django.utils import timezone

        def annotated(viewer: Any, cohort_public_id: uuid.UUID) -> QuerySet[Enrollment]:
            mine = Enrollment.objects.filter(user=viewer, cohort_id=OuterRef("cohort_id"))
            return _enrollments(viewer, cohort_public_id).annotate(
                my_role=Subquery(mine.values("role")[:1]),
                my_since=Subquery(mine.values("enrolled_at")[:1]),
            )

        query = CompiledQuery(annotated)
        for viewer in (self.alice, self.carol, self.adam, self.oscar):
            with self.subTest(viewer=viewer.email):
                self.assertIsNotNone(query.sql_with_params(viewer, self.cohort_a.public_id))
                compiled = query(viewer, self.cohort_a.public_id)
                fresh = list(annotated(viewer, self.cohort_a.public_id))
                self.assertEqual(
                    [(fields_of(e), e.my_role, e.my_since) for e in compiled],  # type: ignore[attr-defined]
                    [(fields_of(e), e.my_role, e.my_since) for e in fresh],  # type: ignore[attr-defined]
                )
        since = query(self.alice, self.cohort_a.public_id)[0].my_since  # type: ignore[attr-defined]
        self.assertIsInstance(since, type(timezone.now()))

    def test_it_compiles_once_per_role_and_makes_one_query(self) -> None:
        build = Counting(_enrollments)
        query = CompiledQuery(build)
        query(self.alice, self.cohort_a.public_id)
        self.assertEqual(build.calls, 1)
        with CaptureQueriesContext(connection) as queries:
            rows = query(self.bob, self.cohort_a.public_id)
        self.assertEqual(build.calls, 1, "a second learner re-uses the learners' statement")
        self.assertEqual(len(queries), 1)
        self.assertEqual([e.user_id for e in rows], [self.bob.pk])
        with self.assertNumQueries(0):  # the related objects came with the row
            self.assertEqual(rows[0].cohort.program.pk, self.program.pk)
        query(self.adam, self.cohort_a.public_id)
        self.assertEqual(build.calls, 2, "an admin's rule is another statement")

    def test_a_role_change_takes_the_new_roles_statement(self) -> None:
        query = CompiledQuery(_enrollments)
        self.assertEqual(len(query(self.alice, self.cohort_a.public_id)), 1)  # her own
        membership = self.alice.membership
        membership.role = "admin"
        membership.save()
        alice = User.objects.select_related("membership").get(pk=self.alice.pk)
        self.assertEqual(
            len(query(alice, self.cohort_a.public_id)),
            Enrollment.objects.filter(cohort=self.cohort_a).count(),
        )

    def test_people_without_a_role_take_the_orm_path(self) -> None:
        query = CompiledQuery(_enrollments)
        loner = User.objects.create_user("loner@northwind.example", full_name="Loner")
        self.alice.is_active = False
        for viewer in (loner, self.alice):
            with self.subTest(viewer=viewer.email):
                self.assertIsNone(query.sql_with_params(viewer, self.cohort_a.public_id))
                self.assertEqual(query(viewer, self.cohort_a.public_id), [])

    def test_values_whose_sql_differs_in_form_take_the_orm_path(self) -> None:
        def by_ids(viewer: None, ids: Any) -> QuerySet[Cohort]:
            return Cohort.objects.filter(pk__in=ids).order_by("pk")

        query = CompiledQuery(by_ids)
        a, b = self.cohort_a.pk, self.cohort_b.pk
        for ids in ((a, b), (a, a), (), [a, b], (a, None)):
            with self.subTest(ids=ids):
                expected = [c.pk for c in by_ids(None, ids)]
                self.assertEqual([c.pk for c in query(None, ids)], expected)
        self.assertIsNotNone(query.sql_with_params(None, (a, b)))
        self.assertIsNone(query.sql_with_params(None, (a, a)), "repeats are dropped by the ORM")
        self.assertIsNone(query.sql_with_params(None, ()))
        self.assertIsNone(query.sql_with_params(None, [a, b]), "lists are not compiled")

    def test_a_value_used_inside_a_pattern_is_never_compiled(self) -> None:
        def named_like(viewer: None, number: int) -> QuerySet[Cohort]:
            return Cohort.objects.filter(name__contains=str(number))

        query = CompiledQuery(named_like)
        self.assertIsNone(query.sql_with_params(None, 7))
        Cohort.objects.filter(pk=self.cohort_a.pk).update(name="Cohort 7")
        self.assertEqual([c.pk for c in query(None, 7)], [self.cohort_a.pk])

    def test_an_expert_sponsor_and_superuser_each_match_a_fresh_compile(self) -> None:
        query = CompiledQuery(_enrollments)
        expert = make_user(self.org, "x@northwind.example", role="expert")  # type: ignore[arg-type]
        sponsor = make_user(self.org, "s@northwind.example", role="sponsor")  # type: ignore[arg-type]
        root = User.objects.create_superuser("root@northwind.example", password="x", full_name="R")
        for viewer in (expert, sponsor, root):
            viewer = User.objects.select_related("membership").get(pk=viewer.pk)
            with self.subTest(viewer=viewer.email):
                fresh = _enrollments(viewer, self.cohort_a.public_id)
                compiled = query.sql_with_params(viewer, self.cohort_a.public_id)
                if compiled is not None:
                    self.assertEqual(compiled, fresh.query.sql_with_params())
                self.assertEqual(
                    [e.pk for e in query(viewer, self.cohort_a.public_id)], [e.pk for e in fresh]
                )


class PreparedStatementTests(PersonaTestCase):
    """On PostgreSQL the kept statements are prepared on the connection (DATABASE_PREPARE_
    THRESHOLD), so the server stops planning them on every page; elsewhere nothing changes."""

    def test_postgresql_prepares_a_kept_statement_and_gives_the_same_rows(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("prepared statements are PostgreSQL's")
        threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
        self.assertEqual(threshold, 5, "settings.py prepares after five runs by default")
        query = CompiledQuery(_enrollments)
        fresh = [fields_of(e) for e in _enrollments(self.alice, self.cohort_a.public_id)]
        for person in (self.alice, self.bob, self.fay) * 3:  # past the threshold
            with CaptureQueriesContext(connection) as queries:
                rows = query(person, self.cohort_a.public_id)
            self.assertEqual(len(queries), 1, "still logged and counted like any query")
        self.assertEqual([fields_of(e) for e in query(self.alice, self.cohort_a.public_id)], fresh)
        self.assertEqual([e.user_id for e in rows], [self.fay.pk])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "cohorts_enrollment" INNER JOIN "cohorts_cohort"%'],
            )
            self.assertGreaterEqual(cursor.fetchone()[0], 1)

    def test_other_queries_and_databases_use_djangos_ordinary_cursor(self) -> None:
        from rapport.compiled import statement_cursor

        with connection.cursor() as ordinary, statement_cursor(connection) as kept:
            prepared = (
                connection.vendor == "postgresql"
                and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
            )
            self.assertEqual(type(kept.cursor) is not type(ordinary.cursor), prepared)
