"""The thread page's rows are found by id whatever SQLite's statistics say
(docs/performance.md, round 6): with `thread = ? AND (id IN … OR parent IN …)` the planner
walked the whole thread when `sqlite_stat1` gave threads the average thread's size."""

import unittest
from typing import Any

from django.db import connection
from django.db.models import Q

from discussions import actions
from discussions.models import Post
from discussions.threads import _ROW_FIELDS, _page_ids, _thread_stand_in, page_rows_query
from rapport.compiled import CompiledRows, Offset
from rapport.testing import PersonaTestCase


def _round_5_form(viewer: Any, thread_id: int, rbr: bool, *flags_and_offset: Any) -> Any:
    """The page's rows as round 5 asked for them, to show the statistics mislead the planner."""
    sees_all, answered, _every, _offset = flags_and_offset
    thread = _thread_stand_in(thread_id, rbr)
    ids = _page_ids(viewer, thread_id, rbr, *flags_and_offset)
    return (
        Post.objects.visible_in_thread(thread, viewer, sees_all=sees_all, answered=answered)
        .filter(Q(pk__in=ids) | Q(parent__in=ids))
        .order_by("created_at", "id")
        .values_list(*_ROW_FIELDS)
    )


@unittest.skipUnless(connection.vendor == "sqlite", "SQLite's planner and statistics")
class PagePlanTests(PersonaTestCase):
    # sqlite_stat1 of the 20,000-post seed (100 threads of about 200 posts), by index columns.
    SEED_STATISTICS = {
        ("thread_id", "author_id"): "20000 200 2",
        ("thread_id", "parent_id", "created_at"): "20000 200 5 1",
        ("parent_id",): "20000 6",
        ("thread_id",): "20000 200",
        ("organization_id",): "20000 20000",
        ("hidden_by_id",): "20000 20000",
        ("author_id",): "20000 5",
        ("created_at",): "20000 2",
        ("public_id",): "20000 1",
    }

    def mislead_the_planner(self) -> None:
        """The 20,000-post seed's statistics, where the thread read holds far more posts than
        the average thread: the thread's indexes look selective."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'discussions_post'")
            cursor.execute("PRAGMA index_list('discussions_post')")
            for index in [row[1] for row in cursor.fetchall()]:
                cursor.execute(f"PRAGMA index_info('{index}')")
                stat = self.SEED_STATISTICS.get(tuple(row[2] for row in cursor.fetchall()))
                if stat is not None:
                    cursor.execute(
                        "INSERT INTO sqlite_stat1 (tbl, idx, stat) "
                        "VALUES ('discussions_post', %s, %s)",
                        [index, stat],
                    )
            cursor.execute("ANALYZE sqlite_schema")  # reload the statistics

    def plan(self, query: CompiledRows, values: tuple[Any, ...]) -> list[str]:
        statement = query.sql_with_params(self.alice, *values)
        assert statement is not None
        sql, params = statement
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[3] for row in cursor.fetchall()]

    def test_the_pages_rows_are_found_by_id_whatever_the_statistics(self) -> None:
        thread = actions.community_thread(self.cohort_a)
        for i in range(60):
            post = actions.create_post(thread, author=self.bob, body=f"Post {i}")
            actions.create_post(thread, author=self.carol, body="A reply", parent=post)
        self.mislead_the_planner()
        values = (thread.pk, False, False, False, True, Offset(50))
        old = self.plan(CompiledRows(_round_5_form), values)
        self.assertIn("(thread_id=?)", old[0], "the statistics mislead the round-5 form")
        new = self.plan(page_rows_query, values)
        # The rows are numbered in their branch (a co-routine under the latest replies' filter):
        # inside it, the rule's rows are found by primary key, never by walking the thread.
        self.assertIn("SEARCH discussions_post USING INTEGER PRIMARY KEY (rowid=?)", new)
        self.assertEqual([step for step in new if "(thread_id=?)" in step], [])
        self.assertEqual([step for step in new if step.startswith("SCAN discussions")], [])
        rows = page_rows_query(self.alice, *values)
        self.assertEqual(
            [row[: len(_ROW_FIELDS)] for row in rows], list(_round_5_form(self.alice, *values))
        )
        self.assertEqual(len(rows), 20)  # 10 posts, 10 replies
