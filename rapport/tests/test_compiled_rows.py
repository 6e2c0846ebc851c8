"""rapport.compiled.CompiledRows: a `values_list` queryset compiled once per shape gives the
ORM's tuples (converted, in order), an `Offset` is a parameter of one kept statement for every
page, a bool picks its own statement, and what it cannot reproduce takes the ORM path."""

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from cohorts.models import Cohort, Enrollment
from rapport.compiled import CompiledRows, Offset
from rapport.testing import PersonaTestCase


def typed(rows: list[Any]) -> list[Any]:
    """Each value with its type (a datetime must come back a datetime, a UUID a UUID)."""
    return [tuple((type(v), v) for v in row) for row in rows]


class Counting:
    def __init__(self, build: Any) -> None:
        self.build = build
        self.calls = 0

    def __call__(self, viewer: Any, *values: Any) -> QuerySet[Any]:
        self.calls += 1
        return self.build(viewer, *values)  # type: ignore[no-any-return]


def _seats(viewer: Any, cohort_id: int, coaches_only: bool, offset: int) -> QuerySet[Any]:
    """A page of two of a cohort's seats the viewer may see, as rows."""
    seats = Enrollment.objects.visible_to(viewer).filter(cohort_id=cohort_id)
    if coaches_only:
        seats = seats.filter(role="coach")
    return seats.order_by("enrolled_at", "pk").values_list(
        "pk", "user__public_id", "enrolled_at", "role", "cohort__name"
    )[offset : offset + 2]


class CompiledRowsTests(PersonaTestCase):
    def seats(self, viewer: Any, *values: Any) -> list[Any]:
        return list(_seats(viewer, *values))

    def test_it_gives_the_orms_tuples_for_every_persona_offset_and_flag(self) -> None:
        query = CompiledRows(_seats)
        for viewer in (self.alice, self.bob, self.carol, self.adam, self.oscar):
            for cohort in (self.cohort_a, self.cohort_b, self.other_cohort):
                for coaches_only in (False, True):
                    for offset in (0, 1, 2, 5):
                        values = (cohort.pk, coaches_only, Offset(offset))
                        with self.subTest(viewer=viewer.email, cohort=cohort.name, v=values):
                            self.assertEqual(
                                typed(query(viewer, *values)), typed(self.seats(viewer, *values))
                            )

    def test_the_offset_is_a_parameter_of_one_statement_for_every_page(self) -> None:
        build = Counting(_seats)
        query = CompiledRows(build)
        pages = [query(self.adam, self.cohort_a.pk, False, Offset(n)) for n in (0, 2, 4)]
        self.assertEqual(build.calls, 1, "one compile for every page")
        self.assertEqual(len({row for page in pages for row in page}), sum(map(len, pages)))
        sql, params = query.sql_with_params(self.adam, self.cohort_a.pk, False, Offset(4))  # type: ignore[misc]
        self.assertIn("OFFSET %s", sql)
        self.assertNotIn("OFFSET 4", sql)
        self.assertEqual(params[-1], 4)
        fresh_sql, fresh_params = _seats(
            self.adam, self.cohort_a.pk, False, 4
        ).query.sql_with_params()
        self.assertEqual(sql.replace("OFFSET %s", "OFFSET 4"), fresh_sql)
        self.assertEqual(params[:-1], fresh_params)
        with CaptureQueriesContext(connection) as queries:
            query(self.adam, self.cohort_a.pk, False, Offset(2))
        self.assertEqual(len(queries), 1)

    def test_a_bool_is_part_of_the_shape(self) -> None:
        build = Counting(_seats)
        query = CompiledRows(build)
        query(self.adam, self.cohort_a.pk, False, Offset(0))
        query(self.adam, self.cohort_a.pk, True, Offset(0))
        query(self.adam, self.cohort_b.pk, True, Offset(0))
        self.assertEqual(build.calls, 2, "one statement for each value of the flag")
        self.assertEqual(
            query(self.adam, self.cohort_a.pk, True, Offset(0)),
            self.seats(self.adam, self.cohort_a.pk, True, 0),
        )

    def test_what_it_cannot_reproduce_takes_the_orm_path(self) -> None:
        def flat(viewer: Any, cohort_id: int) -> QuerySet[Any]:
            return (
                Enrollment.objects.visible_to(viewer)
                .filter(cohort_id=cohort_id)
                .values_list("pk", flat=True)
            )

        def named(viewer: Any, cohort_id: int) -> QuerySet[Any]:
            return (
                Enrollment.objects.visible_to(viewer)
                .filter(cohort_id=cohort_id)
                .values_list("pk", named=True)
            )

        def models(viewer: Any, cohort_id: int) -> QuerySet[Any]:
            return Enrollment.objects.visible_to(viewer).filter(cohort_id=cohort_id)

        def offset_as_a_value(viewer: None, offset: int) -> QuerySet[Any]:
            return Cohort.objects.filter(pk=offset).values_list("pk")

        for build in (flat, named, models):
            with self.subTest(build=build.__name__):
                query = CompiledRows(build)
                self.assertIsNone(query.sql_with_params(self.adam, self.cohort_a.pk))
                self.assertEqual(
                    list(query(self.adam, self.cohort_a.pk)),
                    list(build(self.adam, self.cohort_a.pk)),
                )
        query = CompiledRows(_seats)
        self.assertIsNone(query.sql_with_params(self.adam, self.cohort_a.pk, False, Offset(-1)))
        offset_query = CompiledRows(offset_as_a_value)
        self.assertIsNone(offset_query.sql_with_params(None, Offset(self.cohort_a.pk)))
        self.assertEqual(offset_query(None, Offset(self.cohort_a.pk)), [(self.cohort_a.pk,)])
