"""A post's pages of replies counted from its counter, `Post.reply_count`.

`load_reply_page` counted every visible reply on every request and paged with OFFSET through
the rule, so a post with 16,289 replies cost 27-32 ms of CPU a page (docs/performance.md). It
now takes its total from the counter, less the hidden replies of others, counts only the unread
replies for its opening page, and walks the offset in the index when nothing is filtered out.
These tests keep the counter right, compare every persona's pages with the former counting,
and check that page 1 costs as much for 600 replies as for 30."""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

from django.apps import apps
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from cohorts.actions import enroll
from discussions import actions, threads
from discussions.models import Post, ReadPosition
from discussions.personal_data import erase_discussions
from discussions.tests.test_replies_page import RepliesTestCase, add_replies
from moderation.actions import block_author
from programs.models import Activity, ActivityKind
from rapport.testing import make_user, sqlite_steps


def stored_count(post: Post) -> int:
    return Post.objects.get(pk=post.pk).reply_count


def former_reply_page(
    post: Post, viewer: Any, page: int | None
) -> tuple[int, int, int, list[threads.PostRow]]:
    """What `load_reply_page` found before the counter (its code then): every visible reply
    counted, the page's rows with OFFSET through the rule. (total, page, page count, rows)."""
    thread = post.thread
    _moderator, sees_all, answered = threads._reader_of(thread, viewer)
    position = ReadPosition.objects.filter(user=viewer, thread=thread).first()
    seen_until = position.seen_until if position else None
    replies = Post.objects.visible_in_thread(
        thread, viewer, sees_all=sees_all, answered=answered
    ).filter(parent=post)
    counts = replies.aggregate(
        total=Count("id"),
        seen=Count("id", filter=Q(created_at__lte=seen_until) if seen_until else Q(pk=None)),
    )
    total = counts["total"]
    page_count = max(1, -(-total // threads.PAGE_SIZE))
    if page is None:
        seen = counts["seen"] if seen_until else total
        page = seen // threads.PAGE_SIZE + 1 if seen < total else page_count
    page = min(max(page, 1), page_count)
    offset = (page - 1) * threads.PAGE_SIZE
    rows = [
        threads.PostRow(*row)
        for row in replies.order_by("created_at", "id").values_list(*threads._ROW_FIELDS)[
            offset : offset + threads.PAGE_SIZE
        ]
    ]
    return total, page, page_count, rows


def former_replies_page_of(post: Post, viewer: Any) -> int | None:
    """What `replies_page_of` answered before the counter (its code then)."""
    sees_all, answered = threads._rule_for_post(post, viewer)
    later = Q(created_at__gt=post.created_at) | Q(created_at=post.created_at, id__gt=post.pk)
    counts = (
        Post.objects.visible_in_thread(post.thread, viewer, sees_all=sees_all, answered=answered)
        .filter(parent_id=post.parent_id)
        .aggregate(later=Count("id", filter=later), up_to=Count("id", filter=~later))
    )
    if counts["later"] < threads.REPLIES_SHOWN:
        return None
    return (max(counts["up_to"], 1) - 1) // threads.PAGE_SIZE + 1


class ReplyCounterTests(RepliesTestCase):
    def test_each_reply_moves_its_posts_counter_on_by_one(self) -> None:
        first = actions.create_post(self.community, author=self.alice, body="One", parent=self.post)
        self.assertEqual(stored_count(self.post), 1)
        # A reply to a reply answers the same post (one level of replies).
        actions.create_post(self.community, author=self.fay, body="Two", parent=first)
        self.assertEqual(stored_count(self.post), 2)
        self.assertEqual(stored_count(first), 0)
        other = actions.create_post(self.community, author=self.alice, body="Another post")
        self.assertEqual(stored_count(other), 0)
        self.assertEqual(stored_count(self.post), 2)

    def test_deleting_hiding_and_erasing_keep_the_rows_and_the_count(self) -> None:
        replies = [
            actions.create_post(self.community, author=person, body=f"R{i}", parent=self.post)
            for i, person in enumerate((self.alice, self.fay, self.carol, self.alice))
        ]
        actions.delete_post(replies[0], by=self.alice)
        actions.hide_post(replies[1], by=self.carol, reason="Off topic")
        erase_discussions(self.alice)
        self.assertEqual(stored_count(self.post), 4)
        self.assertEqual(Post.objects.filter(parent=self.post).count(), 4)

    def test_the_migration_counts_every_posts_replies(self) -> None:
        fill = __import__("discussions.migrations.0005_post_reply_count", fromlist=["fill"]).fill
        add_replies(self.post, self.carol, 7)
        other = actions.create_post(self.community, author=self.alice, body="Another post")
        actions.create_post(self.community, author=self.bob, body="Hi", parent=other)
        Post.objects.update(reply_count=0)
        fill(apps, SimpleNamespace(quote_name=connection.ops.quote_name, connection=connection))
        self.assertEqual(stored_count(self.post), 7)
        self.assertEqual(stored_count(other), 1)
        self.assertEqual(Post.objects.filter(parent__isnull=False, reply_count=0).count(), 8)


class SamePagesForEveryPersonaTests(RepliesTestCase):
    """The counter's pages are the former counting's, for everyone who reads the post."""

    def setUp(self) -> None:
        super().setUp()
        prompt = Activity.objects.get(week__program=self.program, kind=ActivityKind.DISCUSSION)
        prompt.respond_before_reveal = True
        prompt.allow_pseudonyms = True
        prompt.save()
        self.thread = actions.thread_for_activity(self.cohort_a, activity_id=prompt.pk)
        self.gina = make_user(self.org, "gina@northwind.example")
        enroll(self.gina, cohort=self.cohort_a, coach=self.carol)  # has not answered: gated
        start = timezone.now() - timedelta(days=5)
        self.top = actions.create_post(self.thread, author=self.bob, body="Bob's answer", now=start)
        actions.create_post(self.thread, author=self.fay, body="Fay's answer", now=start)
        authors = (self.alice, self.fay, self.carol, self.bob)
        self.replies = []
        for i in range(17):
            self.replies.append(
                actions.create_post(
                    self.thread,
                    author=authors[i % 4],
                    body=f"Reply {i}",
                    parent=self.top,
                    pseudonym="Quiet owl" if i % 3 == 0 and i % 4 != 2 else "",
                    # Two replies at the same moment: the id decides their order.
                    now=start + timedelta(minutes=i if i != 9 else 8),
                )
            )
        actions.hide_post(self.replies[4], by=self.carol, reason="Off topic")  # Alice's
        actions.hide_post(self.replies[13], by=self.carol, reason="Off topic")  # Fay's
        actions.delete_post(self.replies[6], by=self.carol)
        actions.delete_post(self.replies[7], by=self.bob)
        block_author(self.replies[0], blocker=self.fay)  # Alice as "Quiet owl"
        # Fay and Bob read half-way; the others never opened the thread.
        for person in (self.fay, self.bob):
            ReadPosition.objects.create(
                user=person,
                thread=self.thread,
                organization_id=self.thread.organization_id,
                seen_until=start + timedelta(minutes=8),
            )
        self.top = Post.objects.select_related("thread", "author").get(pk=self.top.pk)

    def test_every_persona_gets_the_same_pages_as_before(self) -> None:
        today = timezone.localdate()
        personas = {
            "bob, the post's author": self.bob,
            "alice, a peer whose reply is hidden": self.alice,
            "fay, who blocked a pseudonym, her reply hidden": self.fay,
            "carol, the coach": self.carol,
            "gina, gated": self.gina,
        }
        checked = 0
        with mock.patch.object(threads, "PAGE_SIZE", 4):
            for name, person in personas.items():
                for page in (None, 1, 2, 3, 4, 5, 9, None):
                    before = former_reply_page(self.top, person, page)
                    got = threads.load_reply_page(self.top, viewer=person, page=page, today=today)
                    shown = [view.post for view in got.post.replies]
                    self.assertEqual(
                        (got.total, got.page, got.page_count, shown), before, (name, page)
                    )
                    checked += 1
        self.assertEqual(checked, 40)

    def test_every_persona_finds_each_reply_where_it_was(self) -> None:
        checked = 0
        with (
            mock.patch.object(threads, "PAGE_SIZE", 3),
            mock.patch.object(threads, "REPLIES_SHOWN", 2),
        ):
            for person in (self.bob, self.alice, self.fay, self.carol):
                for reply in Post.objects.visible_to(person).filter(parent=self.top):
                    reply = Post.objects.select_related("thread", "parent").get(pk=reply.pk)
                    before = former_replies_page_of(reply, person)
                    self.assertEqual(
                        threads.replies_page_of(reply, viewer=person), before, (person, reply)
                    )
                    checked += 1
        self.assertGreater(checked, 50)


class CostTests(RepliesTestCase):
    """Page 1 reads as much for a post of 600 replies as for one of 30."""

    def load(self, person: User, page: int | None = 1) -> threads.ReplyPage:
        post = Post.objects.select_related("thread", "author").get(pk=self.post.pk)
        return threads.load_reply_page(post, viewer=person, page=page, today=timezone.localdate())

    def sqlite_steps(self, person: User) -> int:
        """SQLite's virtual-machine steps (in thousands) to load page 1."""
        return sqlite_steps(lambda: self.load(person))

    def test_the_pages_make_the_same_reads_for_30_replies_and_600(self) -> None:
        for person in (self.alice, self.carol, self.fay):
            with self.subTest(person=person.email):
                Post.objects.filter(parent=self.post).delete()
                Post.objects.filter(pk=self.post.pk).update(reply_count=0)
                replies = add_replies(self.post, self.fay, 30)
                actions.hide_post(replies[3], by=self.carol, reason="Off topic")
                counts = []
                for more in (0, 570):
                    add_replies(self.post, self.fay, more, start=30)
                    for page in (1, None):
                        self.load(person, page)  # the read position moved on, if it does
                        with CaptureQueriesContext(connection) as queries:
                            self.load(person, page)
                        # Reads: page None moves the read position on at every call here.
                        counts.append(
                            sum(
                                1 for q in queries.captured_queries if q["sql"].startswith("SELECT")
                            )
                        )
                self.assertEqual(counts[:2], counts[2:], person.email)

    def test_the_database_reads_as_much_for_30_replies_as_for_600(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's progress handler")
        # Alice sees every reply (the index's path), then not Carol's hidden one (the rule's
        # path, which stops at the page's end); Fay's replies are Fay's.
        replies = add_replies(self.post, self.carol, 30)
        connection.ensure_connection()
        steps = []
        for hidden in (False, True):
            if hidden:
                actions.hide_post(replies[0], by=self.carol, reason="Off topic")
            self.load(self.alice)  # compiled, warm, the read position moved on
            few = self.sqlite_steps(self.alice)
            more = add_replies(self.post, self.fay, 570, start=30)
            self.load(self.alice)
            many = self.sqlite_steps(self.alice)
            steps.append((few, many))
            Post.objects.filter(pk__in=[reply.pk for reply in more]).delete()
            Post.objects.filter(pk=self.post.pk).update(reply_count=30)
        for few, many in steps:
            self.assertLessEqual(many, few + 2, steps)

    def test_the_former_counting_read_more_for_600(self) -> None:
        # What the test above guards against: counting every reply grows with them.
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's progress handler")
        add_replies(self.post, self.carol, 30)

        def steps() -> int:
            return sqlite_steps(lambda: former_reply_page(self.post, self.alice, 1))

        connection.ensure_connection()
        few = steps()
        add_replies(self.post, self.carol, 570, start=30)
        self.assertGreater(steps(), few + 2)
