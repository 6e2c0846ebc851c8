"""The thread page's cheaper forms of the rule (docs/performance.md, "A discussion thread with
1,000,000 posts"): `Post.visible_in_thread` returns exactly `Post.visible_to`'s rows for every
persona, the thread's counter of top-level posts gives every viewer the count the rule gives,
and the HTML stored with each post follows its text through every write and every erasure."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test import SimpleTestCase
from django.urls import reverse

from cohorts.models import EnrollmentRole
from discussions import access, actions
from discussions.models import Post, Thread, coaches_cohort, is_moderator
from discussions.personal_data import erase_discussions
from discussions.threads import _top_level_count, has_answered, load_thread_page
from programs.models import Activity, ActivityKind
from rapport import policy
from rapport.testing import PersonaTestCase, enroll


class FastPathTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        prompt = Activity.objects.get(week__program=cls.program, kind=ActivityKind.DISCUSSION)
        prompt.respond_before_reveal = True
        prompt.save()
        cls.gated = actions.thread_for_activity(cls.cohort_a, activity_id=prompt.pk)
        cls.community = actions.community_thread(cls.cohort_a)
        cls.circle = actions.circle_thread(cls.circle_a)
        cls.other = actions.community_thread(cls.cohort_b)
        # An admin who also has a learner seat: a moderator by role, but not exempt from the
        # gate or from hidden posts in Post.visible_to (no coach seat).
        enroll(cls.adam, cohort=cls.cohort_a, role=EnrollmentRole.LEARNER)
        cls.superuser = get_user_model().objects.create_superuser(
            "root@northwind.example", "a long enough password"
        )
        for thread in (cls.gated, cls.community, cls.circle):
            bob = actions.create_post(thread, author=cls.bob, body="Bob's **first** thought")
            actions.create_post(thread, author=cls.alice, body="Alice answers", parent=bob)
            hidden = actions.create_post(thread, author=cls.fay, body="Fay's post, hidden later")
            actions.create_post(thread, author=cls.bob, body="A reply, hidden", parent=bob)
            gone = actions.create_post(thread, author=cls.alice, body="Alice, deleted later")
            actions.delete_post(gone, by=cls.alice)
            actions.hide_post(hidden, by=cls.carol, reason="Off topic")
            reply = Post.objects.get(thread=thread, body="A reply, hidden")
            actions.hide_post(reply, by=cls.carol, reason="Off topic")
        actions.create_post(cls.other, author=cls.dave, body="Dave in cohort B")

    def people(self) -> list[Any]:
        return [
            self.alice,
            self.bob,
            self.carol,
            self.dave,
            self.dora,
            self.adam,
            self.erin,
            self.fay,
            self.oscar,
            self.superuser,
        ]

    def fast(self, thread: Thread, person: Any) -> set[int]:
        sees_all = coaches_cohort(person, thread.cohort_id)
        answered = thread.respond_before_reveal and not sees_all and has_answered(thread, person)
        posts = Post.objects.visible_in_thread(thread, person, sees_all=sees_all, answered=answered)
        return set(posts.values_list("pk", flat=True))

    def test_the_thread_form_of_the_rule_returns_the_rules_rows_for_everyone(self) -> None:
        checked = 0
        for thread in Thread.objects.select_related("activity", "cohort"):
            for person in self.people():
                if not Thread.objects.visible_to(person).filter(pk=thread.pk).exists():
                    continue  # the precondition: only threads the person reads
                expected = set(
                    Post.objects.visible_to(person)
                    .filter(thread=thread)
                    .values_list("pk", flat=True)
                )
                self.assertEqual(self.fast(thread, person), expected, (thread, person))
                checked += 1
        self.assertGreater(checked, 12)

    def test_the_thread_getter_answers_as_the_rule_for_everyone(self) -> None:
        """access.get_thread_for_user asks a cohort's thread in the form with_seat_of gives
        the rule; it finds exactly the threads Thread.visible_to finds, and the seat it brings
        along answers is_moderator and coaches_cohort as their own queries do."""
        from django.http import Http404

        from discussions.access import get_thread_for_user
        from discussions.models import coaches_thread_cohort, known_seat, moderates_thread

        seen = 0
        threads = list(Thread.objects.select_related("cohort"))
        self.assertTrue(any(t.kind == "circle" for t in threads))
        for thread in threads:
            for person in self.people():
                readable = Thread.objects.visible_to(person).filter(pk=thread.pk).exists()
                if not readable:
                    with self.assertRaises(Http404, msg=(thread, person)):
                        get_thread_for_user(person, thread.public_id)
                    continue
                loaded = get_thread_for_user(person, thread.public_id)
                seen += 1
                self.assertEqual(loaded.pk, thread.pk)
                self.assertEqual(known_seat(loaded, person)[0], True)
                policy.membership_of(person)  # loaded with the person at sign-in
                with self.assertNumQueries(0):
                    moderates = moderates_thread(person, loaded)
                    coaches = coaches_thread_cohort(person, loaded)
                self.assertEqual(moderates, is_moderator(person, thread.cohort), (thread, person))
                self.assertEqual(coaches, coaches_cohort(person, thread.cohort_id))
                # Loaded for someone else, the seat is not theirs: asked again, rightly.
                other = self.carol if person.pk != self.carol.pk else self.alice
                self.assertEqual(known_seat(loaded, other), (False, None))
                self.assertEqual(
                    moderates_thread(other, loaded), is_moderator(other, thread.cohort)
                )
        self.assertGreater(seen, 12)

    def test_the_getters_kept_statement_is_a_fresh_compile_of_the_rules_form(self) -> None:
        """The cohort's-thread statement the getter keeps (rapport/compiled.py) is, for every
        persona and thread, exactly a fresh compile of its queryset, and finds the same thread,
        seat and read position as the ORM."""
        from discussions import access

        actions.mark_read(
            self.community, user=self.alice, until=Post.objects.latest("created_at").created_at
        )
        compiled = 0
        for thread in Thread.objects.all():
            for person in self.people():
                pairs = (
                    (access.cohort_thread_query, access._cohort_thread_query),
                    (
                        access.cohort_thread_with_read_position_query,
                        access._cohort_thread_with_read_position_query,
                    ),
                )
                for query, build in pairs:
                    if policy.membership_of(person) is None:
                        continue  # the getter answers 404 before asking
                    with self.subTest(thread=thread.pk, person=person.email, query=build.__name__):
                        fresh = build(person, thread.public_id)
                        kept = query.sql_with_params(person, thread.public_id)
                        if kept is not None:
                            compiled += 1
                            self.assertEqual(kept, fresh.query.sql_with_params())

                        def seen(rows: Any) -> list[Any]:
                            return [
                                (
                                    t.pk,
                                    t.cohort.program.pk,
                                    t.activity and t.activity.week_id,
                                    t.circle_id,
                                    t.seat_role,
                                    getattr(t, "read_until", "absent"),
                                )
                                for t in rows
                            ]

                        self.assertEqual(seen(query(person, thread.public_id)), seen(fresh))
        self.assertGreater(compiled, 50)

    def test_the_pages_rows_are_the_rules_rows_named_and_collapsed_by_the_rule(self) -> None:
        """The page reads its posts as rows (`PostRow`), not `Post`s: for every persona and
        thread it shows exactly `visible_to`'s posts, each under the name `Post.label_for`
        gives, collapsed exactly when the viewer blocked that name, with the same text and
        state — the gate (Adam, the admin with a learner seat, has not answered), hidden posts
        (Fay's own), a pseudonym (Bob as "Quiet Owl") for peers and for moderators."""
        from datetime import date

        from accounts.models import Block, blocked_names_of
        from discussions.access import get_thread_for_user
        from discussions.threads import render_body

        Activity.objects.filter(pk=self.gated.activity_id).update(allow_pseudonyms=True)
        gated = Thread.objects.select_related("activity", "cohort").get(pk=self.gated.pk)
        owl = actions.create_post(
            gated, author=self.bob, body="Owl **here**", pseudonym="Quiet Owl"
        )
        actions.create_post(gated, author=self.fay, body="Fay answers the owl", parent=owl)
        actions.edit_post(owl, by=self.bob, body="Owl here, edited")
        Block.objects.create(blocker=self.alice, blocked=self.bob)  # his real name only
        Block.objects.create(blocker=self.fay, blocked=self.bob, blocked_label="Quiet Owl")
        checked = collapsed = 0
        for thread in Thread.objects.select_related("cohort"):
            for person in self.people():
                if not Thread.objects.visible_to(person).filter(pk=thread.pk).exists():
                    continue
                loaded = get_thread_for_user(person, thread.public_id)
                view = load_thread_page(loaded, viewer=person, page=1, today=date(2026, 1, 1))
                shown = [v for top in view.posts for v in (top, *top.replies)]
                rule = {
                    p.pk: p
                    for p in Post.objects.visible_to(person)
                    .filter(thread=thread)
                    .select_related("author")
                }
                self.assertEqual({v.post.pk for v in shown}, set(rule), (thread, person))
                blocked = blocked_names_of(person)
                moderator = is_moderator(person, thread.cohort)
                for v in shown:
                    post = rule[v.post.pk]
                    self.assertEqual(v.label, post.label_for(person, moderator=moderator))
                    self.assertEqual(v.collapsed, (post.author_id, post.pseudonym) in blocked)
                    collapsed += v.collapsed
                    self.assertEqual(str(v.body_html), str(render_body(post)))
                    self.assertEqual(v.is_mine, post.author_id == person.pk)
                    self.assertEqual(v.key, str(post.public_id))
                    self.assertEqual(
                        (v.post.edited_at, v.post.deleted_at, v.post.hidden_at),
                        (post.edited_at, post.deleted_at, post.hidden_at),
                    )
                    self.assertEqual(v.post.hidden_reason, post.hidden_reason)
                checked += 1
        self.assertGreater(checked, 12)
        self.assertGreater(collapsed, 0)

    def test_the_pages_kept_statements_give_what_the_orm_gives_for_everyone(self) -> None:
        """load_thread_page's statements are kept compiled once per shape
        (rapport.compiled.CompiledRows): for every persona (the author, a peer, the coach,
        another cohort, the admin with a learner seat not yet answering the gated prompt, a
        hidden post's author, a reader who blocked a name, a platform superuser), thread, form
        of the rule and page offset, each gives exactly the rows its queryset gives through the
        ORM — the same posts (hidden and deleted ones as the rule decides), reactions, hidden
        count and drafts, with the same types — and its SQL is a fresh compile of that queryset,
        the page's offset a parameter."""
        import itertools
        import re

        from accounts.models import Block
        from discussions import threads
        from discussions.models import ReactionKind
        from rapport.compiled import Offset

        def inlined(sql: str, params: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
            """The kept statement with its offsets written in, as Django writes them."""
            pieces = re.split(r"(%%|%s)", sql)
            out: list[str] = []
            kept: list[Any] = []
            index = 0
            for piece in pieces:
                if piece == "%s":
                    value = params[index]
                    index += 1
                    if out and out[-1].endswith(" OFFSET "):
                        out[-1] = out[-1][: -len(" OFFSET ")] + (
                            f" OFFSET {value}" if value else ""
                        )
                        continue
                    kept.append(value)
                out.append(piece)
            return "".join(out), tuple(kept)

        def typed(rows: list[Any]) -> list[Any]:
            return [tuple((type(v), v) for v in row) for row in rows]

        Block.objects.create(blocker=self.alice, blocked=self.bob)
        for thread in (self.gated, self.community, self.circle):
            for post in Post.objects.filter(
                thread=thread, hidden_at__isnull=True, deleted_at__isnull=True
            ):
                for person, kind in (
                    (self.alice, ReactionKind.THANKS),
                    (self.carol, ReactionKind.RELATE),
                    (self.bob, ReactionKind.THANKS),
                ):
                    if person.pk != post.author_id:
                        actions.react(post, user=person, kind=kind)
            for i in range(3):
                actions.create_post(thread, author=self.erin, body=f"Erin {i}")
            actions.save_draft(thread, user=self.alice, key="", body="Alice's unsent text")
        checked = compiled = 0
        for thread in Thread.objects.select_related("activity", "cohort"):
            for person in self.people():
                if not Thread.objects.visible_to(person).filter(pk=thread.pk).exists():
                    continue
                page_values = [
                    (thread.pk, thread.respond_before_reveal, *flags, Offset(offset))
                    for flags in itertools.product((False, True), repeat=3)
                    for offset in (0, 3)
                ]
                cases = [
                    *((threads.page_rows_query, values, False) for values in page_values),
                    *(
                        (
                            threads.page_reactions_query,
                            (threads.padded_ids([row[0] for row in rows]),),
                            True,
                        )
                        for rows in (threads.page_rows_query(person, *v) for v in page_values)
                    ),
                    (threads.hidden_top_level_query, (thread.pk,), False),
                    (threads.drafts_query, (thread.pk,), True),
                    (threads.blocked_names_query, (), True),
                ]
                for query, values, unordered in cases:
                    kept = query(person, *values)
                    orm = list(query.build(person, *values))
                    if unordered:
                        kept, orm = sorted(kept), sorted(orm)
                    self.assertEqual(typed(kept), typed(orm), (thread, person, values))
                    checked += bool(orm)
                    statement = query.sql_with_params(person, *values)
                    if statement is None:
                        continue
                    compiled += 1
                    self.assertEqual(
                        inlined(*statement), query.build(person, *values).query.sql_with_params()
                    )
        self.assertGreater(checked, 250)
        self.assertGreater(compiled, 400)

    def test_the_gate_and_hidden_posts_are_kept_by_the_thread_form(self) -> None:
        gated = Thread.objects.select_related("activity", "cohort").get(pk=self.gated.pk)
        # The admin with a learner seat moderates by role, yet the rule gates him: nothing yet.
        self.assertTrue(is_moderator(self.adam, gated.cohort))
        self.assertEqual(self.fast(gated, self.adam), set())
        actions.create_post(gated, author=self.adam, body="Adam answers at last")
        seen = {p.body for p in Post.objects.filter(pk__in=self.fast(gated, self.adam))}
        self.assertIn("Bob's **first** thought", seen)
        self.assertIn("Adam answers at last", seen)
        self.assertNotIn("Fay's post, hidden later", seen)  # someone else's, hidden
        fay_sees = {p.body for p in Post.objects.filter(pk__in=self.fast(gated, self.fay))}
        self.assertIn("Fay's post, hidden later", fay_sees)  # her own, hidden
        self.assertNotIn("A reply, hidden", fay_sees)

    def test_every_viewer_gets_the_rules_count_of_top_level_posts(self) -> None:
        for thread in Thread.objects.select_related("activity", "cohort"):
            stored = Post.objects.filter(thread=thread, parent__isnull=True).count()
            self.assertEqual(thread.top_level_posts, stored)
            for person in self.people():
                if not Thread.objects.visible_to(person).filter(pk=thread.pk).exists():
                    continue
                sees_all = coaches_cohort(person, thread.cohort_id)
                answered = (
                    thread.respond_before_reveal and not sees_all and has_answered(thread, person)
                )
                expected = (
                    Post.objects.visible_to(person)
                    .filter(thread=thread, parent__isnull=True)
                    .count()
                )
                total, every = _top_level_count(
                    thread, person, sees_all=sees_all, answered=answered
                )
                self.assertEqual(total, expected, (thread, person))
                self.assertEqual(every, expected == thread.top_level_posts, (thread, person))

    def test_replies_do_not_count_and_pages_follow_the_counter(self) -> None:
        before = Thread.objects.get(pk=self.community.pk).top_level_posts
        top = actions.create_post(self.community, author=self.bob, body="Another")
        actions.create_post(self.community, author=self.alice, body="A reply", parent=top)
        thread = Thread.objects.select_related("activity", "cohort").get(pk=self.community.pk)
        self.assertEqual(thread.top_level_posts, before + 1)
        from datetime import date

        view = load_thread_page(thread, viewer=self.alice, page=None, today=date(2026, 1, 1))
        self.assertEqual(view.total, before + 1 - 1)  # Fay's hidden post is not Alice's to see
        view = load_thread_page(thread, viewer=self.fay, page=None, today=date(2026, 1, 1))
        self.assertEqual(view.total, before + 1)  # her own hidden post counts for her


class StoredHtmlTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.thread = actions.community_thread(cls.cohort_a)

    def html(self, post: Post) -> str:
        return Post.objects.get(pk=post.pk).body_html

    def test_the_html_is_written_with_the_text_and_follows_each_edit(self) -> None:
        post = actions.create_post(self.thread, author=self.bob, body="A **bold** @[Alice] idea")
        self.assertIn("<strong>bold</strong>", self.html(post))
        self.assertIn("<strong>@Alice</strong>", self.html(post))
        actions.edit_post(post, by=self.bob, body="Now *gently* <script>alert(1)</script>")
        html = self.html(post)
        self.assertIn("<em>gently</em>", html)
        self.assertNotIn("bold", html)
        self.assertNotIn("<script", html)  # sanitised before it is stored

    def test_the_page_shows_the_stored_html(self) -> None:
        post = actions.create_post(self.thread, author=self.bob, body="Plain words")
        Post.objects.filter(pk=post.pk).update(body_html="<p>What the column holds</p>")
        self.client.force_login(self.alice)
        page = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertContains(page, "<p>What the column holds</p>", html=False)

    def test_deleting_hiding_and_erasing_clear_the_html(self) -> None:
        deleted = actions.create_post(self.thread, author=self.bob, body="Gone soon")
        actions.delete_post(deleted, by=self.bob)
        self.assertEqual(self.html(deleted), "")

        hidden = actions.create_post(self.thread, author=self.bob, body="Hidden **soon**")
        actions.hide_post(hidden, by=self.carol, reason="Off topic")
        self.assertEqual(self.html(hidden), "")
        # Its author still sees it, rendered on the fly.
        self.client.force_login(self.bob)
        page = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertContains(page, "Hidden <strong>soon</strong>", html=False)
        actions.unhide_post(hidden, by=self.carol)
        self.assertIn("Hidden <strong>soon</strong>", self.html(hidden))

        erased = actions.create_post(self.thread, author=self.fay, body="Fay's own words")
        erase_discussions(self.fay)
        self.assertEqual(self.html(erased), "")
        self.assertFalse(Post.objects.filter(author=self.fay).exclude(body_html="").exists())


class ReplyPathTests(PersonaTestCase):
    """Posting a reply: the redirect's page, the parent's lookup, and a write transaction that
    holds only writes (docs/performance.md, "Posting a reply")."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        prompt = Activity.objects.get(week__program=cls.program, kind=ActivityKind.DISCUSSION)
        prompt.respond_before_reveal = True
        prompt.save()
        cls.gated = actions.thread_for_activity(cls.cohort_a, activity_id=prompt.pk)
        cls.community = actions.community_thread(cls.cohort_a)
        for thread in (cls.gated, cls.community):
            for n in range(4):
                author = (cls.bob, cls.fay, cls.alice, cls.carol)[n]
                post = actions.create_post(thread, author=author, body=f"Post {n}")
                actions.create_post(thread, author=cls.bob, body=f"Reply {n}", parent=post)
                if n == 1:
                    actions.hide_post(post, by=cls.carol, reason="Off topic")

    def test_page_of_counts_what_the_rule_shows(self) -> None:
        from unittest import mock

        from discussions import threads

        with (
            mock.patch.object(threads, "PAGE_SIZE", 1),
            mock.patch.object(access, "PAGE_SIZE", 1),
        ):  # the page is then the count + 1
            for post in Post.objects.select_related("thread__activity", "thread__cohort", "parent"):
                for person in (self.alice, self.bob, self.carol, self.fay, self.adam):
                    if not Post.objects.visible_to(person).filter(pk=post.pk).exists():
                        continue
                    top = post.parent or post
                    expected = (
                        Post.objects.visible_to(person)
                        .filter(thread=post.thread, parent__isnull=True)
                        .filter(
                            Q(created_at__lt=top.created_at)
                            | Q(created_at=top.created_at, id__lt=top.pk)
                        )
                        .count()
                    )
                    self.assertEqual(
                        threads.page_of(post, viewer=person), expected + 1, (post, person)
                    )

    def test_the_parent_is_found_by_the_rule_in_its_own_thread_only(self) -> None:
        from django.http import Http404

        from discussions.access import get_post_in_thread

        gated = Thread.objects.select_related("activity", "cohort").get(pk=self.gated.pk)
        community = Thread.objects.select_related("activity", "cohort").get(pk=self.community.pk)
        hidden = Post.objects.get(thread=gated, body="Post 1")
        first = Post.objects.get(thread=gated, body="Post 0")
        for person in (self.alice, self.bob, self.carol, self.fay, self.adam, self.dave):
            for thread in (gated, community):
                if not Thread.objects.visible_to(person).filter(pk=thread.pk).exists():
                    continue  # the precondition: the thread came from get_thread_for_user
                for post in Post.objects.filter(thread__in=[gated, community]):
                    rule = (
                        Post.objects.visible_to(person).filter(pk=post.pk, thread=thread).exists()
                    )
                    try:
                        get_post_in_thread(person, thread, post.public_id)
                        found = True
                    except Http404:
                        found = False
                    self.assertEqual(found, rule, (person, thread, post))
        with self.assertRaises(Http404):  # someone else's hidden post
            get_post_in_thread(self.alice, gated, hidden.public_id)
        self.assertEqual(get_post_in_thread(self.alice, gated, first.public_id), first)

    def test_a_replys_transaction_holds_only_writes_and_queues_one_email_task(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from notifications.models import EmailChoice, EmailPreference, NotificationKind

        for kind in (NotificationKind.REPLY, NotificationKind.MENTION):
            EmailPreference.objects.create(
                organization=self.org, user=self.alice, kind=kind, email=EmailChoice.IMMEDIATE
            )
            EmailPreference.objects.create(
                organization=self.org, user=self.fay, kind=kind, email=EmailChoice.IMMEDIATE
            )
        parent = Post.objects.get(thread=self.community, body="Post 2")  # Alice's
        self.client.force_login(self.bob)
        url = reverse("discussions:post", args=[self.community.public_id])
        with (
            CaptureQueriesContext(connection) as queries,
            self.captureOnCommitCallbacks(execute=True) as callbacks,
        ):
            response = self.client.post(
                url, {"body": "Thank you @[Fay], and you", "parent": parent.public_id}
            )
        self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertEqual(len(callbacks), 1)  # one email task for the reply and the mention
        sql = [q["sql"] for q in queries.captured_queries]
        begin = next(i for i, q in enumerate(sql) if 'INSERT INTO "discussions_post"' in q)
        end = next(i for i, q in enumerate(sql) if 'INSERT INTO "events_event"' in q)
        inside = [q.split()[0] for q in sql[begin : end + 1]]
        self.assertNotIn("SELECT", inside, sql[begin : end + 1])
        from notifications.models import Notification

        told = Notification.objects.filter(target_id=Post.objects.latest("id").public_id)
        self.assertEqual(
            sorted(told.values_list("recipient__email", "kind")),
            [(self.alice.email, "reply"), (self.fay.email, "mention")],
        )


class ReplyQueryCountTests(PersonaTestCase):
    def test_a_reply_makes_the_same_named_queries_whatever_the_threads_size(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        community = actions.community_thread(self.cohort_a)
        parent = actions.create_post(community, author=self.alice, body="Alice asks")
        url = reverse("discussions:post", args=[community.public_id])
        self.client.force_login(self.bob)
        self.client.post(
            url, {"body": "A first reply signs the session in", "parent": parent.public_id}
        )
        counts = []
        for more in (0, 30):
            for n in range(more):
                post = actions.create_post(community, author=self.carol, body=f"Post {n}")
                actions.create_post(community, author=self.fay, body="Reply", parent=post)
            with (
                CaptureQueriesContext(connection) as queries,
                self.captureOnCommitCallbacks() as queued,
            ):
                response = self.client.post(
                    url, {"body": "Thank you @[Fay]", "parent": parent.public_id}
                )
            self.assertEqual(len(queued), 1)  # one email task, queued after the commit
            self.assertEqual(response.status_code, 302)
            counts.append([q["sql"] for q in queries.captured_queries])
        self.assertEqual(len(counts[0]), len(counts[1]), "\n".join(q[:90] for q in counts[1]))
        # 1 the person, 2 the thread with their seat in its cohort, 3 the parent with the
        # redirect's count (round 6: its page needs no query of its own), 4 the people the
        # mention may name, 5 the recipients of the reply and the mention less those who
        # blocked Bob, with their email choices and quiet hours (round 6: one query, not
        # three), then the write transaction (here a savepoint for BEGIN, the post, the
        # parent's count of replies (`Post.reply_count`), the draft's delete, the
        # notifications — no savepoint of their own —, the event, the release for COMMIT).
        # With the tests' immediate task backend the email task is queued after the commit
        # without reading anything again; with production's database backend
        # its row is one more insert inside the transaction (ReplyInOneTransactionTests).
        # Whether Bob coaches the cohort is asked once, with the thread.
        self.assertEqual(len(counts[0]), 12, "\n".join(q[:90] for q in counts[0]))
        # (A query of its own on the seats; the mention's lookup, since round 7, checks each
        # named person's seat inside its own statement — an EXISTS that is not a coach check.)
        coach_checks = [
            q for q in counts[0] if q.startswith('SELECT 1 AS "a" FROM "cohorts_enrollment"')
        ]
        self.assertEqual(coach_checks, [])


class PageLinksTests(PersonaTestCase):
    def view(self, page: int, page_count: int) -> Any:
        from discussions.threads import ThreadPage

        return ThreadPage(
            thread=Thread(),
            title="",
            viewer_is_moderator=False,
            gated=False,
            closed=False,
            posts=[],
            page=page,
            page_count=page_count,
            total=0,
            new_count=0,
            drafts={},
            first_new=None,
        )

    def test_the_navigation_links_the_ends_and_the_pages_near_this_one(self) -> None:
        self.assertEqual(self.view(75, 151).page_links, [1, None, 73, 74, 75, 76, 77, None, 151])
        self.assertEqual(self.view(1, 151).page_links, [1, 2, 3, None, 151])
        self.assertEqual(self.view(151, 151).page_links, [1, None, 149, 150, 151])
        self.assertEqual(self.view(4, 7).page_links, [1, 2, 3, 4, 5, 6, 7])
        self.assertEqual(self.view(1, 1).page_links, [1])

    def test_a_long_thread_page_links_its_first_last_and_near_pages_only(self) -> None:
        from discussions import threads

        thread = actions.community_thread(self.cohort_a)
        for n in range(12):
            actions.create_post(thread, author=self.bob, body=f"Post {n}")
        self.client.force_login(self.alice)
        url = reverse("discussions:thread", args=[thread.public_id])
        from unittest import mock

        with mock.patch.object(threads, "PAGE_SIZE", 1), mock.patch.object(access, "PAGE_SIZE", 1):
            page = self.client.get(url + "?page=6").content.decode()
        # The links carry the thread's address (a refused post is shown at the posting URL).
        for number in (1, 4, 5, 7, 8, 12):
            self.assertIn(f'href="{url}?page={number}"', page)
        for number in (2, 3, 9, 10, 11):
            self.assertNotIn(f'href="{url}?page={number}"', page)
        self.assertIn('<span aria-current="page">6</span>', page)


class ReadPositionWithThreadTests(PersonaTestCase):
    """The thread page's getter brings the person's read position with the thread
    (`with_read_position`): it is their own row, or None, and the page marks the same posts
    new and opens at the same page as with the position asked for on its own."""

    def page_facts(self, thread: Thread, person: Any, *, page: int | None) -> tuple[Any, ...]:
        from datetime import date

        from django.db import transaction

        with transaction.atomic():  # the page moves the read position on: undone after
            view = load_thread_page(thread, viewer=person, page=page, today=date(2026, 1, 1))
            transaction.set_rollback(True)
        shown = [(v.key, v.is_new) for top in view.posts for v in (top, *top.replies)]
        return view.page, view.new_count, view.first_new, shown

    def test_the_position_with_the_thread_is_the_persons_own_and_reads_the_same(self) -> None:
        from discussions.access import get_thread_for_user
        from discussions.models import ReadPosition, known_read_position

        superuser = get_user_model().objects.create_superuser(
            "root@northwind.example", "a long enough password"
        )
        community = actions.community_thread(self.cohort_a)
        posts = [
            actions.create_post(community, author=self.bob, body=f"Post {n}") for n in range(4)
        ]
        actions.create_post(community, author=self.alice, body="A reply", parent=posts[0])
        actions.mark_read(community, user=self.alice, until=posts[1].created_at)
        actions.mark_read(community, user=self.carol, until=posts[3].created_at)
        checked = 0
        for person in (self.alice, self.bob, self.carol, self.fay, superuser):
            stored = (
                ReadPosition.objects.filter(user=person, thread=community)
                .values_list("seen_until", flat=True)
                .first()
            )
            plain = get_thread_for_user(person, community.public_id)
            with_position = get_thread_for_user(
                person, community.public_id, with_read_position=True
            )
            self.assertEqual(known_read_position(with_position, person), (True, stored))
            self.assertEqual(known_read_position(plain, person), (False, None))
            other = self.bob if person.pk != self.bob.pk else self.alice
            self.assertEqual(known_read_position(with_position, other), (False, None))
            for page in (None, 1):
                self.assertEqual(
                    self.page_facts(with_position, person, page=page),
                    self.page_facts(plain, person, page=page),
                    (person, page),
                )
            checked += stored is not None
        self.assertEqual(checked, 2)  # Alice and Carol have read some of it
        self.assertTrue(any(is_new for _, is_new in self.page_facts(plain, self.alice, page=1)[3]))


class PaddedIdsTests(SimpleTestCase):
    def test_ids_are_padded_with_keys_no_row_has_to_a_power_of_two(self) -> None:
        from discussions.threads import padded_ids

        self.assertEqual(padded_ids([]), tuple(range(-1, -17, -1)))
        self.assertEqual(padded_ids([5, 9]), (5, 9, *range(-1, -15, -1)))
        for count in (15, 16, 17, 78, 128, 129, 550):
            padded = padded_ids(list(range(1, count + 1)))
            self.assertEqual(padded[:count], tuple(range(1, count + 1)))
            self.assertEqual(len(set(padded)), len(padded))
            self.assertEqual(len(padded), max(16, 1 << (count - 1).bit_length()))
            self.assertTrue(all(i < 0 for i in padded[count:]))
