"""Posting a reply, round 6 (docs/performance.md): the redirect's page comes with the parent,
and with production's database task backend the immediate-email task is written inside the
post's one write transaction, deferred to the end of quiet hours the plan read."""

from datetime import timedelta
from typing import Any
from unittest import mock

from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from discussions import access, actions
from discussions.access import get_post_in_thread, reply_page
from discussions.models import Post, Thread
from notifications.actions import notify
from notifications.models import EmailChoice, EmailPreference, Notification, QuietHours
from programs.models import Activity, ActivityKind
from rapport.lib.timezones import get_zone
from rapport.testing import PersonaTestCase

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class ReplyPageTests(PersonaTestCase):
    """`reply_page` (the count that comes with the parent) is `page_of` of the reply, for
    everyone who may reply, in a gated prompt and the community space, with hidden posts and
    replies to replies."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        prompt = Activity.objects.get(week__program=cls.program, kind=ActivityKind.DISCUSSION)
        prompt.respond_before_reveal = True
        prompt.save()
        cls.gated = actions.thread_for_activity(cls.cohort_a, activity_id=prompt.pk)
        cls.community = actions.community_thread(cls.cohort_a)
        for thread in (cls.gated, cls.community):
            for n in range(5):
                author = (cls.bob, cls.fay, cls.alice, cls.carol, cls.fay)[n]
                post = actions.create_post(thread, author=author, body=f"Post {n}")
                actions.create_post(thread, author=cls.bob, body=f"Reply {n}", parent=post)
                if n == 1:
                    actions.hide_post(post, by=cls.carol, reason="Off topic")

    def test_the_reply_page_is_page_of_the_reply_for_everyone(self) -> None:
        from discussions import threads
        from discussions.access import get_thread_for_user

        checked = 0
        with (
            mock.patch.object(threads, "PAGE_SIZE", 1),
            mock.patch.object(access, "PAGE_SIZE", 1),
        ):  # the page is then the count + 1
            for person in (self.alice, self.bob, self.carol, self.fay, self.adam, self.dave):
                for base in (self.gated, self.community):
                    if not Thread.objects.visible_to(person).filter(pk=base.pk).exists():
                        continue
                    thread = get_thread_for_user(person, base.public_id)
                    for post in Post.objects.filter(thread=base):
                        try:
                            parent = get_post_in_thread(person, thread, post.public_id)
                        except Exception:
                            continue
                        top = Post.objects.get(pk=post.parent_id or post.pk)
                        top.thread = thread
                        reply = Post(thread=thread, author=person, parent=top)
                        expected = threads.page_of(reply, viewer=person)
                        self.assertEqual(reply_page(parent), expected, (person, post))
                        checked += 1
        self.assertGreater(checked, 20)

    def test_the_redirect_goes_to_the_replys_page(self) -> None:
        from discussions import threads

        parent = Post.objects.get(thread=self.community, body="Post 4")
        self.client.force_login(self.alice)
        with mock.patch.object(threads, "PAGE_SIZE", 1), mock.patch.object(access, "PAGE_SIZE", 1):
            response = self.client.post(
                reverse("discussions:post", args=[self.community.public_id]),
                {"body": "Thank you", "parent": parent.public_id},
            )
            reply = Post.objects.get(author=self.alice, body="Thank you")
            page = threads.page_of(reply, viewer=self.alice)
        self.assertEqual(response.status_code, 302)
        self.assertIn(f"?page={page}#post-{reply.public_id}", response["Location"])
        self.assertGreater(page, 1)


class ReplyInOneTransactionTests(PersonaTestCase):
    """With the database task backend, a reply is one write transaction: the post, the draft's
    delete, the notifications, the email task and the event; nothing is written or read after
    it, and a task waits for the end of a recipient's quiet hours."""

    def quiet_now(self, person: Any) -> None:
        local = timezone.now().astimezone(get_zone(person.time_zone))
        QuietHours.objects.create(
            organization=self.org,
            user=person,
            start=(local - timedelta(hours=1)).time(),
            end=(local + timedelta(hours=1)).time(),
        )

    @override_settings(TASKS=DATABASE_TASKS)
    def test_the_email_tasks_are_written_in_the_posts_transaction(self) -> None:
        for person in (self.alice, self.fay):
            EmailPreference.objects.create(
                organization=self.org, user=person, kind="reply", email=EmailChoice.IMMEDIATE
            )
            EmailPreference.objects.create(
                organization=self.org, user=person, kind="mention", email=EmailChoice.IMMEDIATE
            )
        self.quiet_now(self.fay)
        community = actions.community_thread(self.cohort_a)
        parent = actions.create_post(community, author=self.alice, body="Alice asks")
        DBTaskResult.objects.all().delete()
        self.client.force_login(self.bob)
        url = reverse("discussions:post", args=[community.public_id])
        self.client.get(reverse("discussions:thread", args=[community.public_id]))
        with (
            CaptureQueriesContext(connection) as queries,
            self.captureOnCommitCallbacks() as callbacks,
        ):
            response = self.client.post(
                url, {"body": "Thank you @[Fay]", "parent": parent.public_id}
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(callbacks, [])  # nothing left for after the commit
        sql = [" ".join(q["sql"].split()[0:3:2]) for q in queries.captured_queries]
        begin = next(i for i, q in enumerate(sql) if q.startswith("SAVEPOINT"))
        end = next(i for i, q in enumerate(sql) if q.startswith("RELEASE"))
        self.assertEqual(
            sql[begin + 1 : end],
            [
                'INSERT "discussions_post"',
                "UPDATE SET",  # the parent's reply_count
                'DELETE "discussions_draft"',
                'INSERT "notifications_notification"',
                'INSERT "django_tasks_database_dbtaskresult"',
                'INSERT "django_tasks_database_dbtaskresult"',
                'INSERT "events_event"',
            ],
        )
        self.assertEqual(sql[end + 1 :], [])  # no read again, no second write
        reply = Post.objects.get(author=self.bob, body="Thank you @[Fay]")
        told = dict(
            Notification.objects.filter(target_id=reply.public_id).values_list("recipient_id", "pk")
        )
        tasks = {
            tuple(task.args_kwargs["kwargs"]["notification_ids"]): task.run_after
            for task in DBTaskResult.objects.all()
        }
        self.assertEqual(tasks.keys(), {(told[self.alice.pk],), (told[self.fay.pk],)})
        now_task = tasks[(told[self.alice.pk],)]  # to run now: no run_after (stored as 9999)
        self.assertTrue(now_task is None or now_task.year == 9999, now_task)
        waits = tasks[(told[self.fay.pk],)]  # when Fay's quiet hours end, about an hour on
        self.assertIsNotNone(waits)
        assert waits is not None
        self.assertGreater(waits, timezone.now() + timedelta(minutes=55))

    @override_settings(TASKS=DATABASE_TASKS)
    def test_a_rolled_back_write_leaves_no_task(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():
            notify(
                kind="reply",
                recipients=[self.alice],
                actor=self.bob,
                actor_label="Bob",
                place="Community space",
                url="/discussions/x/",
            )
            self.assertEqual(DBTaskResult.objects.count(), 1)
            raise RuntimeError("the post failed")
        self.assertFalse(DBTaskResult.objects.exists())
        self.assertFalse(Notification.objects.exists())

    def test_another_backend_queues_after_the_commit_without_reading_again(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            notify(
                kind="reply",
                recipients=[self.alice],
                actor=self.bob,
                actor_label="Bob",
                place="Community space",
                url="/discussions/x/",
            )
        self.assertEqual(len(callbacks), 1)
        with (
            mock.patch("notifications.tasks.queue_immediate_emails") as read_again,
            mock.patch("notifications.actions.enqueue_immediate_emails") as enqueue,
        ):
            callbacks[0]()
        read_again.assert_not_called()  # the plan's send time is used, not read again
        (by_time,), _ = enqueue.call_args
        self.assertEqual(list(by_time.values()), [[Notification.objects.get().pk]])
