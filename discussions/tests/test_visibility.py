"""THE rule for posts, persona by persona: thread visibility, the respond-before-reveal gate in
the query layer (every getter and queryset agrees), hidden posts, and who moderates."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from discussions import access, actions
from discussions.models import (
    Draft,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    ReadPosition,
    Thread,
    is_moderator,
)
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase


class DiscussionRuleTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.prompt = cls.first_activity_of(ActivityKind.DISCUSSION)
        cls.prompt.respond_before_reveal = True
        cls.prompt.save()
        cls.thread_a = actions.thread_for_activity(cls.cohort_a, activity_id=cls.prompt.pk)
        cls.thread_b = actions.thread_for_activity(cls.cohort_b, activity_id=cls.prompt.pk)
        cls.community_a = actions.community_thread(cls.cohort_a)
        cls.bobs_answer = actions.create_post(cls.thread_a, author=cls.bob, body="Bob's answer")
        cls.carols_note = actions.create_post(
            cls.thread_a, author=cls.carol, body="Carol's note", parent=cls.bobs_answer
        )
        actions.react(cls.bobs_answer, user=cls.carol, kind=ReactionKind.THANKS)
        actions.edit_post(cls.bobs_answer, by=cls.bob, body="Bob's answer, edited")
        cls.daves_answer = actions.create_post(cls.thread_b, author=cls.dave, body="Dave's")
        cls.community_post = actions.create_post(cls.community_a, author=cls.bob, body="Hello all")

    @classmethod
    def first_activity_of(cls, kind: ActivityKind) -> Any:
        from programs.models import Activity

        return (
            Activity.objects.filter(week__program=cls.program, kind=kind)
            .order_by("week__number", "position")
            .first()
        )

    def bodies(self, person: Any, thread: Thread | None = None) -> set[str]:
        posts = Post.objects.visible_to(person)
        if thread is not None:
            posts = posts.filter(thread=thread)
        return {p.body for p in posts}

    def test_threads_are_read_by_the_people_with_a_seat_in_their_cohort(self) -> None:
        expected = {
            self.alice: {self.thread_a.pk, self.community_a.pk},
            self.bob: {self.thread_a.pk, self.community_a.pk},
            self.carol: {self.thread_a.pk, self.community_a.pk},
            self.dave: {self.thread_b.pk},
            self.erin: set(),
            self.dora: set(),  # designers preview journeys but read no thread
            self.adam: set(),  # admins moderate through reports, and read no thread
            self.oscar: set(),
        }
        for person, threads in expected.items():
            seen = set(Thread.objects.visible_to(person).values_list("pk", flat=True))
            self.assertEqual(seen, threads, person.email)

    def test_a_gated_learner_sees_no_peers_post_through_any_getter(self) -> None:
        # alice has not answered the respond-before-reveal prompt yet
        self.assertEqual(self.bodies(self.alice, self.thread_a), set())
        for post in (self.bobs_answer, self.carols_note):
            with self.assertRaises(Http404):
                access.get_post_for_user(self.alice, post.public_id)
        self.assertFalse(Reaction.objects.visible_to(self.alice).exists())
        self.assertFalse(PostRevision.objects.visible_to(self.alice).exists())
        # ... while the thread itself is hers to open, so she can answer
        self.assertEqual(
            access.get_thread_for_user(self.alice, self.thread_a.public_id), self.thread_a
        )

    def test_posting_reveals_the_others(self) -> None:
        actions.create_post(self.thread_a, author=self.alice, body="Alice's answer")
        self.assertEqual(
            self.bodies(self.alice, self.thread_a),
            {"Bob's answer, edited", "Carol's note", "Alice's answer"},
        )
        self.assertEqual(
            access.get_post_for_user(self.alice, self.bobs_answer.public_id), self.bobs_answer
        )
        self.assertEqual(Reaction.objects.visible_to(self.alice).count(), 1)

    def test_a_deleted_answer_still_counts_as_answered(self) -> None:
        mine = actions.create_post(self.thread_a, author=self.alice, body="Alice's answer")
        actions.delete_post(mine, by=self.alice)
        self.assertIn("Carol's note", self.bodies(self.alice, self.thread_a))

    def test_the_gate_is_per_thread(self) -> None:
        actions.create_post(self.community_a, author=self.alice, body="Hi")
        self.assertEqual(self.bodies(self.alice, self.thread_a), set())

    def test_coaches_are_not_gated(self) -> None:
        self.assertEqual(
            self.bodies(self.carol, self.thread_a), {"Bob's answer, edited", "Carol's note"}
        )

    def test_an_ungated_thread_shows_everything_to_its_cohort(self) -> None:
        self.assertEqual(self.bodies(self.alice, self.community_a), {"Hello all"})
        self.prompt.respond_before_reveal = False
        self.prompt.save()
        self.assertEqual(
            self.bodies(self.alice, self.thread_a), {"Bob's answer, edited", "Carol's note"}
        )

    def test_nobody_outside_the_cohort_sees_any_post(self) -> None:
        for person in (self.dave, self.erin, self.dora, self.adam, self.oscar):
            seen = self.bodies(person) - {"Dave's"}
            self.assertEqual(seen, set(), person.email)
            for post in (self.bobs_answer, self.carols_note, self.community_post):
                with self.assertRaises(Http404):
                    access.get_post_for_user(person, post.public_id)
            with self.assertRaises(Http404):
                access.get_thread_for_user(person, self.thread_a.public_id)
        self.assertEqual(self.bodies(self.dave), {"Dave's"})

    def test_hidden_posts_are_for_their_author_and_the_cohorts_coaches(self) -> None:
        actions.hide_post(self.community_post, by=self.carol, reason="Shares a colleague's story")
        self.assertEqual(self.bodies(self.alice, self.community_a), set())
        self.assertEqual(self.bodies(self.bob, self.community_a), {"Hello all"})
        self.assertEqual(self.bodies(self.carol, self.community_a), {"Hello all"})
        with self.assertRaises(Http404):
            access.get_post_for_user(self.alice, self.community_post.public_id)
        actions.unhide_post(self.community_post, by=self.carol)
        self.assertEqual(self.bodies(self.alice, self.community_a), {"Hello all"})

    def test_hiding_needs_a_reason(self) -> None:
        with self.assertRaises(actions.PostingError):
            actions.hide_post(self.community_post, by=self.carol, reason="  ")
        self.community_post.refresh_from_db()
        self.assertIsNone(self.community_post.hidden_at)

    def test_moderators_are_the_cohorts_coaches_and_the_organisations_admins(self) -> None:
        self.assertTrue(is_moderator(self.carol, self.cohort_a))
        self.assertFalse(is_moderator(self.carol, self.cohort_b))
        self.assertTrue(is_moderator(self.adam, self.cohort_a))
        self.assertTrue(is_moderator(self.adam, self.cohort_b))
        for person in (self.alice, self.bob, self.dave, self.dora, self.erin):
            self.assertFalse(is_moderator(person, self.cohort_a), person.email)
        self.assertFalse(is_moderator(self.oscar, self.cohort_a))
        self.assertFalse(is_moderator(self.adam, self.other_cohort))

    def test_revisions_are_for_the_author_and_coaches(self) -> None:
        self.assertEqual(PostRevision.objects.visible_to(self.bob).count(), 1)
        self.assertEqual(PostRevision.objects.visible_to(self.carol).count(), 1)
        actions.create_post(self.thread_a, author=self.alice, body="Alice's answer")
        self.assertEqual(PostRevision.objects.visible_to(self.alice).count(), 0)

    def test_drafts_and_read_positions_are_their_owners_only(self) -> None:
        actions.save_draft(self.thread_a, user=self.alice, key="", body="half a thought")
        actions.mark_read(self.thread_a, user=self.alice, until=self.bobs_answer.created_at)
        for model in (Draft, ReadPosition):
            self.assertEqual(model.objects.visible_to(self.alice).count(), 1)
            for person in (self.bob, self.carol, self.adam, self.oscar):
                self.assertEqual(model.objects.visible_to(person).count(), 0, person.email)

    def test_editing_or_deleting_someone_elses_post_is_refused(self) -> None:
        with self.assertRaises(actions.PostingError):
            actions.edit_post(self.bobs_answer, by=self.carol, body="changed")
        with self.assertRaises(actions.PostingError):
            actions.delete_post(self.bobs_answer, by=self.carol)
        with self.assertRaises(PermissionDenied):
            access.get_own_post(self.carol, self.bobs_answer.public_id)
        self.bobs_answer.refresh_from_db()
        self.assertEqual(self.bobs_answer.body, "Bob's answer, edited")

    def test_a_person_without_a_membership_sees_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(Post.objects.visible_to(AnonymousUser()).exists())
        self.bob.is_active = False
        self.assertFalse(Post.objects.visible_to(self.bob).exists())


class CircleThreadTests(PersonaTestCase):
    def test_a_circle_thread_is_read_by_its_members_and_coach_only(self) -> None:
        thread = actions.circle_thread(self.circle_a)
        self.assertEqual(actions.circle_thread(self.circle_a), thread)  # made once
        actions.create_post(thread, author=self.alice, body="Circle hello")
        readers = {self.alice, self.bob, self.carol}
        for person in (self.alice, self.bob, self.carol, self.fay, self.dave, self.dora,
                       self.adam, self.erin, self.oscar):  # fmt: skip
            sees = Thread.objects.visible_to(person).filter(pk=thread.pk).exists()
            self.assertEqual(sees, person in readers, person.email)
            posts = {p.body for p in Post.objects.visible_to(person)}
            self.assertEqual("Circle hello" in posts, person in readers, person.email)
        self.assertIsNone(access.get_circle_thread(self.adam, self.circle_a))
        self.assertEqual(access.get_circle_thread(self.bob, self.circle_a), thread)

    def test_mentions_in_a_circle_thread_reach_its_members_only(self) -> None:
        from discussions.mentions import MentionError, resolve_mentions

        thread = actions.circle_thread(self.circle_a)
        self.assertEqual(resolve_mentions(thread, "@[Bob] @[Carol]", author=self.alice),
                         [self.bob, self.carol])  # fmt: skip
        with self.assertRaises(MentionError):
            resolve_mentions(thread, "@[Fay]", author=self.alice)


class CirclePanelTests(PersonaTestCase):
    def test_the_circle_page_panel_is_for_its_readers_only(self) -> None:
        from django.test import RequestFactory

        from discussions.panels import circle_panel

        thread = actions.circle_thread(self.circle_a)
        actions.create_post(thread, author=self.alice, body="Check-in")
        for person, shown in ((self.bob, True), (self.carol, True), (self.adam, False)):
            request = RequestFactory().get("/")
            request.user = person
            html = str(circle_panel(request, self.circle_a))
            self.assertEqual(f"/discussions/{thread.public_id}/" in html, shown, person.email)
            self.assertNotIn("Check-in", html)  # counts and the way in, never the text

    def test_the_circle_page_shows_the_conversation_to_members_only(self) -> None:
        from django.urls import reverse

        thread = actions.circle_thread(self.circle_a)
        url = reverse("circles:detail", args=[self.circle_a.public_id])
        link = f"/discussions/{thread.public_id}/"
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(url), link)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(link), url)  # the thread leads back to the circle
        self.client.force_login(self.adam)  # manages circles, reads no thread
        response = self.client.get(url)
        if response.status_code == 200:
            self.assertNotContains(response, link)
