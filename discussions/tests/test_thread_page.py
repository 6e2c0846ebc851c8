"""The thread page and the writes made on it, through the personas: posting and replying,
the gate on the activity page and the thread page, pagination and read position, edits with
history, soft deletion, reactions, mentions, pseudonyms, drafts, bad input and query counts."""

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussions import actions
from discussions.models import Draft, Post, PostRevision, Reaction, ReactionKind
from discussions.threads import PAGE_SIZE
from programs.models import Activity, ActivityKind
from rapport.testing import PersonaTestCase


class ThreadTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.prompt = Activity.objects.get(week__program=cls.program, kind=ActivityKind.DISCUSSION)
        cls.prompt.respond_before_reveal = True
        cls.prompt.allow_pseudonyms = True
        cls.prompt.save()
        cls.thread = actions.thread_for_activity(cls.cohort_a, activity_id=cls.prompt.pk)
        cls.community = actions.community_thread(cls.cohort_a)

    def thread_url(self, thread: Any = None) -> str:
        return reverse("discussions:thread", args=[(thread or self.thread).public_id])

    def post(self, person: Any, body: str, thread: Any = None, **data: Any) -> Any:
        self.client.force_login(person)
        return self.client.post(
            reverse("discussions:post", args=[(thread or self.thread).public_id]),
            {"body": body, **data},
        )


class PostingTests(ThreadTestCase):
    def test_a_learner_answers_then_sees_the_others(self) -> None:
        actions.create_post(self.thread, author=self.bob, body="Bob listened to his **team**")
        self.client.force_login(self.alice)
        page = self.client.get(self.thread_url())
        self.assertContains(page, "write your answer first")
        self.assertNotContains(page, "Bob listened")
        response = self.post(self.alice, "I listened to my sister")
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Bob listened to his <strong>team</strong>", html=False)
        self.assertContains(page, "I listened to my sister")

    def test_the_activity_page_shows_the_gate_then_the_count(self) -> None:
        actions.create_post(self.thread, author=self.bob, body="Bob's answer")
        self.client.force_login(self.alice)
        url = reverse("cohorts:activity", args=[self.cohort_a.public_id, self.prompt.public_id])
        page = self.client.get(url)
        self.assertContains(page, "Write your answer")
        self.assertNotContains(page, "1 post so far")
        actions.create_post(self.thread, author=self.alice, body="Mine")
        page = self.client.get(url)
        self.assertContains(page, "2 posts so far")

    def test_designers_and_admins_preview_the_prompt_without_the_thread(self) -> None:
        url = reverse("cohorts:activity", args=[self.cohort_a.public_id, self.prompt.public_id])
        for person in (self.dora, self.adam):
            self.client.force_login(person)
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200)
            self.assertNotContains(
                page, reverse("discussions:thread", args=[self.thread.public_id])
            )
            self.assertEqual(self.client.get(self.thread_url()).status_code, 404)

    def test_a_reply_nests_under_its_post(self) -> None:
        bob = actions.create_post(self.thread, author=self.bob, body="Bob's answer")
        actions.create_post(self.thread, author=self.alice, body="Alice's answer")
        response = self.post(self.alice, "Thank you Bob", parent=str(bob.public_id))
        self.assertEqual(response.status_code, 302)
        reply = Post.objects.get(body="Thank you Bob")
        self.assertEqual(reply.parent, bob)
        page = self.client.get(self.thread_url()).content.decode()
        self.assertIn('class="thread__replies"', page)
        self.assertLess(page.index("Bob's answer"), page.index("Thank you Bob"))

    def test_bad_input_is_a_clear_error_and_nothing_is_posted(self) -> None:
        bob = actions.create_post(self.community, author=self.bob, body="Bob's hello")
        cases = {
            "": "Write something before you post.",
            "   ": "Write something before you post.",
            "x" * 10_001: "at most 10000 characters",
        }
        for body, message in cases.items():
            response = self.post(self.alice, body, thread=self.community)
            self.assertEqual(response.status_code, 400)
            self.assertIn(message, response.content.decode())
        actions.delete_post(bob, by=self.bob)
        response = self.post(
            self.alice, "Still there?", thread=self.community, parent=str(bob.public_id)
        )
        self.assertContains(response, "deleted", status_code=400)
        self.assertContains(response, "Still there?", status_code=400)  # the text is kept
        self.assertEqual(Post.objects.filter(author=self.alice).count(), 0)
        # ... and kept as a draft, in the new-post box since the post replied to is gone
        self.assertEqual(Draft.objects.get(user=self.alice, key="").body, "Still there?")

    def test_replying_to_a_hidden_post_is_refused(self) -> None:
        bob = actions.create_post(self.community, author=self.bob, body="Bob's hello")
        actions.hide_post(bob, by=self.carol, reason="Names a colleague")
        response = self.post(self.alice, "Hi", thread=self.community, parent=str(bob.public_id))
        self.assertContains(response, "not there any more", status_code=400)
        response = self.post(self.bob, "Hi", thread=self.community, parent=str(bob.public_id))
        self.assertContains(response, "hidden by a moderator", status_code=400)
        self.assertEqual(Post.objects.count(), 1)

    def test_a_closed_cohort_takes_no_posts(self) -> None:
        self.cohort_a.start_date = timezone.localdate() - timedelta(days=60)
        self.cohort_a.save()
        response = self.post(self.alice, "Late thought", thread=self.community)
        self.assertContains(response, "read-only", status_code=400)
        self.assertFalse(Post.objects.exists())
        page = self.client.get(self.thread_url(self.community))
        self.assertNotContains(page, 'id="new-body"')

    def test_people_outside_the_thread_get_404_everywhere(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Bob's hello")
        urls = [
            (self.thread_url(self.community), "get"),
            (reverse("discussions:post", args=[self.community.public_id]), "post"),
            (reverse("discussions:draft", args=[self.community.public_id]), "post"),
            (reverse("discussions:edit", args=[post.public_id]), "get"),
            (reverse("discussions:delete", args=[post.public_id]), "post"),
            (reverse("discussions:react", args=[post.public_id]), "post"),
            (reverse("discussions:history", args=[post.public_id]), "get"),
            (reverse("discussions:community", args=[self.cohort_a.public_id]), "get"),
        ]
        for person in (self.dave, self.erin, self.dora, self.adam, self.oscar):
            self.client.force_login(person)
            for url, method in urls:
                response = getattr(self.client, method)(url, {"body": "x", "kind": "thanks"})
                self.assertEqual(response.status_code, 404, f"{person.email} {url}")
                self.assertNotContains(response, "Bob's hello", status_code=404)
        self.assertEqual(Post.objects.count(), 1)
        self.assertFalse(Reaction.objects.exists())


class EditDeleteReactTests(ThreadTestCase):
    def test_editing_keeps_the_history_for_the_author_and_coaches(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="First thought")
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("discussions:edit", args=[post.public_id]), {"body": "Second thought"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(PostRevision.objects.get(post=post).body, "First thought")
        page = self.client.get(self.thread_url(self.community))
        self.assertContains(page, "edited")
        history = reverse("discussions:history", args=[post.public_id])
        for person in (self.bob, self.carol):
            self.client.force_login(person)
            self.assertContains(self.client.get(history), "First thought")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(history).status_code, 404)

    def test_editing_someone_elses_post_is_forbidden(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Mine")
        self.client.force_login(self.alice)
        for name in ("discussions:edit", "discussions:delete"):
            response = self.client.post(reverse(name, args=[post.public_id]), {"body": "Hers"})
            self.assertEqual(response.status_code, 403)
        post.refresh_from_db()
        self.assertEqual((post.body, post.deleted_at), ("Mine", None))

    def test_a_deleted_post_keeps_its_replies_readable(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Secret worry")
        actions.create_post(self.community, author=self.alice, body="Sending care", parent=post)
        self.client.force_login(self.bob)
        self.client.post(reverse("discussions:delete", args=[post.public_id]))
        self.client.force_login(self.alice)
        page = self.client.get(self.thread_url(self.community))
        self.assertContains(page, "This post was deleted.")
        self.assertContains(page, "Sending care")
        self.assertNotContains(page, "Secret worry")

    def test_reacting_twice_changes_nothing_and_unknown_reactions_are_refused(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Hello")
        self.client.force_login(self.alice)
        url = reverse("discussions:react", args=[post.public_id])
        for _ in range(2):
            self.assertEqual(self.client.post(url, {"kind": "relate"}).status_code, 302)
        self.assertEqual(Reaction.objects.filter(post=post).count(), 1)
        response = self.client.post(url, {"kind": "like"})
        self.assertContains(response, "not one of the reactions", status_code=400)
        response = self.client.post(url, {"kind": "relate", "on": "0"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-pressed="false"')
        self.assertFalse(Reaction.objects.exists())
        self.client.force_login(self.bob)  # one's own post
        self.assertEqual(self.client.post(url, {"kind": "thanks"}).status_code, 400)
        self.assertFalse(Reaction.objects.exists())


class MentionAndPseudonymTests(ThreadTestCase):
    def test_a_mention_of_someone_who_cannot_read_the_thread_is_refused(self) -> None:
        for name in ("Dave", "Nobody Here", "Oscar"):
            response = self.post(self.alice, f"Thanks @[{name}]!", thread=self.community)
            self.assertContains(response, "cannot be mentioned", status_code=400)
        self.assertFalse(Post.objects.exists())
        response = self.post(self.alice, "Thanks @[bob]!", thread=self.community)
        self.assertEqual(response.status_code, 302)
        page = self.client.get(self.thread_url(self.community))
        self.assertContains(page, "<strong>@bob</strong>", html=False)

    def test_a_pseudonym_hides_the_name_from_peers_only(self) -> None:
        actions.create_post(self.thread, author=self.alice, body="Alice's answer")
        response = self.post(self.bob, "Hard week", pseudonym="Quiet Owl")
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.alice)
        page = self.client.get(self.thread_url())
        self.assertContains(page, "Quiet Owl")
        # As a word: random CSRF tokens and nonces may contain the letters "Bob".
        self.assertNotRegex(page.content.decode(), r"(?<![A-Za-z0-9])Bob(?![A-Za-z0-9])")
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(self.thread_url()), "Quiet Owl (Bob)")

    def test_pseudonyms_only_where_the_prompt_allows_them(self) -> None:
        response = self.post(self.alice, "Hi", thread=self.community, pseudonym="Owl")
        self.assertEqual(response.status_code, 302)  # the field is not offered: ignored
        self.assertEqual(Post.objects.get().pseudonym, "")


class DraftReadPositionTests(ThreadTestCase):
    def test_a_draft_is_saved_restored_and_cleared_by_posting(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("discussions:draft", args=[self.community.public_id])
        self.assertEqual(self.client.post(url, {"key": "", "body": "Half a tho"}).status_code, 200)
        self.assertContains(self.client.get(self.thread_url(self.community)), "Half a tho")
        self.assertEqual(self.client.post(url, {"key": "nonsense"}).status_code, 400)
        self.post(self.alice, "Half a thought, finished", thread=self.community)
        self.assertFalse(Draft.objects.exists())

    def test_new_posts_are_marked_and_the_page_opens_where_one_left_off(self) -> None:
        start = timezone.now() - timedelta(days=3)
        for i in range(PAGE_SIZE + 5):
            actions.create_post(
                self.community, author=self.bob, body=f"Note {i}", now=start + timedelta(minutes=i)
            )
        self.client.force_login(self.alice)
        first = self.client.get(self.thread_url(self.community))  # first visit: page 1
        self.assertContains(first, "Note 0<")
        self.assertNotContains(first, "badge--new")
        self.client.get(self.thread_url(self.community) + "?page=2")
        actions.create_post(self.community, author=self.bob, body="Fresh news")
        again = self.client.get(self.thread_url(self.community))  # opens on page 2
        self.assertContains(again, "Fresh news")
        self.assertContains(again, "badge--new", count=1)
        self.assertContains(again, "Jump to the new post")
        self.assertEqual(
            self.client.get(self.thread_url(self.community) + "?page=x").status_code, 400
        )


class QueryCountTests(ThreadTestCase):
    def count_queries(self, person: Any, url: str) -> int:
        self.client.force_login(person)
        self.client.get(url)  # the first visit makes the read position
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def add_posts(self, n: int) -> None:
        for i in range(n):
            post = actions.create_post(self.community, author=self.bob, body=f"Post {i}")
            actions.create_post(self.community, author=self.carol, body="Reply", parent=post)
            actions.react(post, user=self.alice, kind=ReactionKind.THANKS)
            actions.react(post, user=self.carol, kind=ReactionKind.RELATE)

    def test_the_thread_page_makes_a_fixed_number_of_queries(self) -> None:
        url = self.thread_url(self.community)
        self.add_posts(2)
        small = self.count_queries(self.alice, url)
        self.add_posts(30)
        self.assertEqual(self.count_queries(self.alice, url), small)
        self.assertLessEqual(small, 16)

    def test_a_thread_page_read_again_makes_seven_named_queries_whatever_its_size(self) -> None:
        url = self.thread_url(self.community) + "?page=1"
        self.client.force_login(self.alice)
        for posts in (1, 40):  # 2 posts and 80 (two pages, with replies and reactions)
            self.add_posts(posts)
            self.client.get(url)  # the first visit moves the read position on
            # 1 the person (the session is cached), 2 the thread with the person's seat in its
            # cohort (the rule, and whether they coach it) and their read position, 3 other
            # people's hidden top-level posts (the total is the thread's counter less those),
            # 4 the page's top-level posts and their replies with their authors' names, as
            # rows (the page's ids in a subquery), 5 the reaction counts, 6 the blocks, 7 the
            # drafts. Nothing is written: the read position is already past this page.
            with self.assertNumQueries(7):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)

    def test_the_prompt_panel_makes_a_fixed_number_of_queries(self) -> None:
        url = reverse("cohorts:activity", args=[self.cohort_a.public_id, self.prompt.public_id])
        actions.create_post(self.thread, author=self.alice, body="Mine")
        small = self.count_queries(self.alice, url)
        for i in range(20):
            actions.create_post(self.thread, author=self.bob, body=f"Bob {i}")
        self.assertEqual(self.count_queries(self.alice, url), small)


class BlockTests(ThreadTestCase):
    def test_a_blocked_persons_posts_are_collapsed_for_the_blocker_only(self) -> None:
        from accounts.models import Block

        actions.create_post(self.community, author=self.bob, body="Bob's thoughts")
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.client.force_login(self.alice)
        page = self.client.get(self.thread_url(self.community))
        self.assertContains(page, "You blocked this person")
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(self.thread_url(self.community)), "You blocked")


class OneFormPerPageTests(ThreadTestCase):
    """The page carries one reaction form per post (the reaction on the button) and one reply
    form for the whole page, which opens under a post from its "Reply" link without
    JavaScript (`?reply=<post>`) and which static/js/discussions.js moves with it."""

    def test_one_reaction_form_per_post_and_one_reply_form_per_page(self) -> None:
        posts = [
            actions.create_post(self.community, author=self.bob, body=f"Note {i}") for i in range(3)
        ]
        actions.react(posts[0], user=self.alice, kind=ReactionKind.RELATE)
        self.client.force_login(self.alice)
        page = self.client.get(self.thread_url(self.community)).content.decode()
        self.assertEqual(page.count('/react/" data-hx-post'), 3)
        self.assertEqual(page.count('id="reply-form"'), 1)
        self.assertEqual(page.count('name="parent"'), 1)
        self.assertIn('<div id="reply-home" hidden>', page)
        self.assertIn('name="take" value="relate"', page)  # given: the button takes it back
        self.assertIn('name="give" value="thanks"', page)
        for post in posts:
            self.assertIn(f"reply={post.public_id}#reply-form", page)

    def test_the_reply_link_opens_the_form_under_its_post_without_javascript(self) -> None:
        first = actions.create_post(self.community, author=self.bob, body="First")
        second = actions.create_post(self.community, author=self.carol, body="Second")
        self.client.force_login(self.alice)
        url = self.thread_url(self.community)
        page = self.client.get(f"{url}?page=1&reply={second.public_id}").content.decode()
        self.assertNotIn("reply-home", page)
        form_at = page.index('id="reply-form"')
        self.assertLess(page.index("Second"), form_at)
        self.assertLess(page.index(f"reply={first.public_id}"), form_at)
        self.assertIn(f'name="parent" value="{second.public_id}"', page)
        self.assertIn(f'href="{url}?page=1#post-{second.public_id}" data-reply-cancel', page)
        response = self.client.post(
            reverse("discussions:post", args=[self.community.public_id]),
            {"body": "Answering the second", "parent": str(second.public_id)},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Post.objects.get(body="Answering the second").parent, second)
        self.assertEqual(self.client.get(f"{url}?reply=nonsense").status_code, 400)
        # A post that is not on the page: the form stays put away.
        elsewhere = self.client.get(f"{url}?reply={self.community.public_id}")
        self.assertContains(elsewhere, '<div id="reply-home" hidden>')

    def test_unsent_replies_travel_with_the_page_for_their_author_only(self) -> None:
        first = actions.create_post(self.community, author=self.bob, body="First")
        second = actions.create_post(self.community, author=self.carol, body="Second")
        actions.save_draft(self.community, user=self.alice, key=str(first.public_id), body="Hm <b>")
        self.client.force_login(self.alice)
        url = self.thread_url(self.community)
        page = self.client.get(url).content.decode()
        self.assertIn(f"Continue your reply to {self.bob.full_name or self.bob}", page)
        self.assertIn(f'"{first.public_id}": "Hm \\u003cb\\u003e"', page)  # JSON, inert
        placed = self.client.get(f"{url}?reply={first.public_id}").content.decode()
        self.assertIn("Hm &lt;b&gt;</textarea>", placed)  # in the box, not in the JSON
        self.assertNotIn('id="reply-drafts"', placed)
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(url), "Hm ")
        self.assertTrue(second.pk)

    def test_a_refused_reply_comes_back_in_the_one_form_under_its_post(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Bob says hello")
        response = self.post(
            self.alice, "Hi @[Nobody Here]", thread=self.community, parent=str(post.public_id)
        )
        self.assertContains(response, "cannot be mentioned", status_code=400)
        page = response.content.decode()
        self.assertEqual(page.count('id="reply-form"'), 1)
        self.assertNotIn("reply-home", page)
        self.assertIn("Hi @[Nobody Here]</textarea>", page)
        # Shown at the posting address: the page's links lead back to the thread's own.
        thread_url = self.thread_url(self.community)
        self.assertIn(f'href="{thread_url}?page=1&amp;reply={post.public_id}#reply-form"', page)
        self.assertLess(page.index("Bob says hello"), page.index('id="reply-form"'))

    def test_reaction_buttons_give_and_take_back(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Hello")
        self.client.force_login(self.alice)
        url = reverse("discussions:react", args=[post.public_id])
        self.assertEqual(self.client.post(url, {"give": "helped"}).status_code, 302)
        self.assertEqual(Reaction.objects.get(post=post).kind, "helped")
        response = self.client.post(url, {"take": "helped"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'name="give" value="helped"')
        # The button just pressed keeps the keyboard focus after the swap.
        self.assertRegex(response.content.decode(), r'value="helped"[^>]*data-focus-after-swap')
        self.assertFalse(Reaction.objects.exists())
        for data in ({}, {"give": "thanks", "take": "thanks"}, {"give": "like"}):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 400, data)
        self.assertFalse(Reaction.objects.exists())
