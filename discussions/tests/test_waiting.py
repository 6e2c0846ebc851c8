"""The coach's "waiting for a reply" list on their home page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions import actions
from discussions.tests.test_thread_page import ThreadTestCase
from discussions.threads import waiting_for_reply


class WaitingForReplyTests(ThreadTestCase):
    def test_unanswered_posts_of_the_coachs_cohorts_oldest_first(self) -> None:
        first = actions.create_post(self.community, author=self.bob, body="Anyone else stuck?")
        second = actions.create_post(self.thread, author=self.alice, body="My answer")
        answered = actions.create_post(self.community, author=self.alice, body="Hello")
        actions.create_post(self.community, author=self.bob, body="Hi!", parent=answered)
        own = actions.create_post(self.community, author=self.carol, body="Welcome")
        gone = actions.create_post(self.community, author=self.bob, body="Oops")
        actions.delete_post(gone, by=self.bob)
        other = actions.community_thread(self.cohort_b)
        actions.create_post(other, author=self.dave, body="Cohort B's question")
        waiting = waiting_for_reply(self.carol)
        self.assertEqual([w.post for w in waiting], [first, second])
        self.assertNotIn(own, [w.post for w in waiting])
        self.client.force_login(self.carol)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Waiting for a reply")
        self.assertContains(page, f"#post-{first.public_id}")
        self.assertNotContains(page, "Cohort B")

    def test_learners_and_staff_have_no_list(self) -> None:
        actions.create_post(self.community, author=self.bob, body="Anyone?")
        for person in (self.alice, self.bob, self.dora, self.adam, self.dave):
            self.assertEqual(waiting_for_reply(person), [], person.email)
        self.client.force_login(self.adam)
        self.assertNotContains(self.client.get(reverse("home")), "Waiting for a reply")

    def test_the_home_page_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.carol)
        actions.create_post(self.community, author=self.bob, body="One")
        # The caseload on a coach's home reads the programme outline, which the first request
        # puts in the cache (programs/outline.py); count from the second request on.
        self.client.get(reverse("home"))
        with CaptureQueriesContext(connection) as small:
            self.client.get(reverse("home"))
        for i in range(15):
            actions.create_post(self.community, author=self.alice, body=f"More {i}")
        with CaptureQueriesContext(connection) as large:
            page = self.client.get(reverse("home"))
        self.assertContains(page, "#post-", count=16)
        self.assertNotContains(page, "More 14")  # the list names people and places, no text
        self.assertEqual(len(large), len(small))
