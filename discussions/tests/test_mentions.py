"""Mention suggestions (`discussions:people`, static/js/mentions.js): typing "@" in a post box
offers the people who can read the thread — never anyone else — in a fixed number of queries,
and a query that is not a name is a 400 that says so."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.actions import enroll
from discussions import actions
from discussions.mentions import MAX_SUGGESTIONS, suggest_people
from discussions.tests.test_thread_page import ThreadTestCase
from organizations.actions import deactivate_member
from rapport.testing import make_user


class MentionSuggestionTests(ThreadTestCase):
    def people(self, person: Any, thread: Any = None, **params: str) -> Any:
        self.client.force_login(person)
        url = reverse("discussions:people", args=[(thread or self.community).public_id])
        return self.client.get(url, params)

    def names(self, person: Any, thread: Any = None, **params: str) -> list[str]:
        response = self.people(person, thread, **params)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private, no-store")
        return response.json()["people"]

    def test_an_at_sign_alone_offers_the_cohort_but_not_oneself(self) -> None:
        self.assertEqual(self.names(self.alice), ["Bob", "Carol", "Fay"])
        self.assertEqual(self.names(self.carol), ["Alice", "Bob", "Fay"])

    def test_it_matches_the_start_of_any_word_of_a_name_in_any_case(self) -> None:
        amara = make_user(self.org, "amara@northwind.example", name="Amara Okafor")
        enroll(amara, cohort=self.cohort_a, coach=self.carol)
        self.assertEqual(self.names(self.alice, q="oka"), ["Amara Okafor"])
        self.assertEqual(self.names(self.alice, q="AMARA o"), ["Amara Okafor"])
        self.assertEqual(self.names(self.alice, q="fa"), ["Fay"])
        self.assertEqual(self.names(self.alice, q="kafor"), [])  # not inside a word

    def test_nobody_outside_the_threads_audience_is_ever_offered(self) -> None:
        make_user(self.org, "davina@northwind.example", name="Davina Diallo")  # no seat
        for q in ("", "d", "da", "o", "e"):
            offered = self.names(self.alice, q=q)
            for outsider in ("Dave", "Davina Diallo", "Erin", "Oscar", "Dora", "Adam"):
                self.assertNotIn(outsider, offered, q)

    def test_a_circle_thread_offers_its_members_and_coach_only(self) -> None:
        thread = actions.circle_thread(self.circle_a)
        self.assertEqual(self.names(self.alice, thread), ["Bob", "Carol"])
        self.assertEqual(self.names(self.carol, thread), ["Alice", "Bob"])

    def test_deactivated_people_are_not_offered(self) -> None:
        deactivate_member(self.fay.membership)  # type: ignore[attr-defined]
        self.assertEqual(self.names(self.alice), ["Bob", "Carol"])

    def test_suggestions_are_capped_and_cost_the_same_queries_for_any_cohort(self) -> None:
        url = reverse("discussions:people", args=[self.community.public_id])
        self.client.force_login(self.alice)
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url, {"q": "b"})
        for i in range(MAX_SUGGESTIONS + 12):
            person = make_user(self.org, f"bea{i}@northwind.example", name=f"Bea Member {i:02}")
            enroll(person, cohort=self.cohort_a, coach=self.carol)
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(url, {"q": "b"})
        # The session, the person, the thread through Thread.visible_to, the names.
        self.assertEqual(len(large), len(small))
        self.assertLessEqual(len(large), 5)
        self.assertEqual(len(response.json()["people"]), MAX_SUGGESTIONS)

    def test_people_who_cannot_see_the_thread_get_404_and_no_names(self) -> None:
        for person in (self.dave, self.erin, self.dora, self.adam, self.oscar):
            response = self.people(person)
            self.assertEqual(response.status_code, 404, person.email)
            self.assertNotContains(response, "Bob", status_code=404)
        self.assertEqual(
            self.people(self.fay, actions.circle_thread(self.circle_a)).status_code, 404
        )
        self.client.logout()
        url = reverse("discussions:people", args=[self.community.public_id])
        self.assertEqual(self.client.get(url).status_code, 302)  # → sign in

    def test_a_query_that_is_not_a_name_is_a_400_saying_why(self) -> None:
        for q, message in (
            ("Bob]", "without [ ]"),
            ("<script>", "without [ ]"),
            ("Bob\nCarol", "without [ ]"),
            ("x" * 61, "at most 60"),
        ):
            response = self.people(self.alice, q=q)
            self.assertEqual(response.status_code, 400, q)
            self.assertIn(message, response.json()["error"])
        self.assertEqual(
            self.client.post(
                reverse("discussions:people", args=[self.community.public_id])
            ).status_code,
            405,
        )

    def test_suggest_people_and_resolve_mentions_agree(self) -> None:
        from discussions.mentions import MentionError, resolve_mentions

        offered = suggest_people(self.community, viewer=self.alice, query="")
        for name in offered:
            resolve_mentions(self.community, f"@[{name}]", author=self.alice)
        with self.assertRaises(MentionError):
            resolve_mentions(self.community, "@[Dave]", author=self.alice)


class MentionLookupTests(ThreadTestCase):
    """A mention is looked up by name through accounts' index on LOWER(full_name), each person
    found then checked for a seat (docs/performance.md, round 7): the same people as the
    thread's audience, in any case, and never anyone outside it."""

    def test_by_person_the_audience_is_the_same_people(self) -> None:
        from accounts.models import User
        from discussions.mentions import in_audience, thread_audience

        moved = make_user(self.org, "moved@northwind.example", name="Moved Away")
        enroll(moved, cohort=self.cohort_a, coach=self.carol)
        User.objects.filter(pk=moved.pk).update(organization=self.other_org)
        deactivate_member(self.fay.membership)  # type: ignore[attr-defined]
        for thread in (self.community, actions.circle_thread(self.circle_a)):
            with self.subTest(thread=thread.kind):
                walked = set(thread_audience(thread).values_list("pk", flat=True))
                probed = set(
                    User.objects.filter(in_audience(thread, by_person=True)).values_list(
                        "pk", flat=True
                    )
                )
                self.assertEqual(probed, walked)
                self.assertNotIn(moved.pk, probed)
                self.assertNotIn(self.fay.pk, probed)

    def test_a_name_in_another_case_is_found_and_an_outsider_is_not(self) -> None:
        from discussions.mentions import MentionError, resolve_mentions

        amara = make_user(self.org, "amara@northwind.example", name="Amara Okafor")
        enroll(amara, cohort=self.cohort_a, coach=self.carol)
        make_user(self.org, "davina@northwind.example", name="Davina Diallo")  # no seat
        found = resolve_mentions(self.community, "@[AMARA okafor] @[bob]", author=self.alice)
        self.assertEqual([person.pk for person in found], [amara.pk, self.bob.pk])
        for outsider in ("Davina Diallo", "Dave", "Oscar"):
            with self.subTest(outsider=outsider), self.assertRaises(MentionError):
                resolve_mentions(self.community, f"@[{outsider}]", author=self.alice)
        circle = actions.circle_thread(self.circle_a)
        self.assertEqual(
            [p.pk for p in resolve_mentions(circle, "@[carol]", author=self.alice)],
            [self.carol.pk],  # the circle's coach
        )
        with self.assertRaises(MentionError):
            resolve_mentions(circle, "@[Fay]", author=self.alice)

    def test_the_lookup_searches_the_name_index_and_probes_each_seat(self) -> None:
        from discussions.mentions import resolve_mentions

        if connection.vendor != "sqlite":  # pragma: no cover - the tests run on SQLite
            self.skipTest("EXPLAIN QUERY PLAN is SQLite's")
        with CaptureQueriesContext(connection) as queries:
            resolve_mentions(self.community, "@[Bob] @[Carol]", author=self.alice)
        self.assertEqual(len(queries), 1)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + queries[0]["sql"])
            plan = [row[3] for row in cursor.fetchall()]
        self.assertIn(
            "SEARCH accounts_user USING INDEX user_org_full_name_lower "
            "(organization_id=? AND <expr>=?)",
            plan,
        )
        self.assertFalse([step for step in plan if "LIST SUBQUERY" in step], plan)
