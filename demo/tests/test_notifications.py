"""The demo's notifications (demo/notifications.py): waiting for the demo learner and coach,
about the demo's own conversations and weeks, read up to the last visit, never emailed."""

from datetime import UTC, datetime

from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from demo.seed import COACH, LEARNER, SeedOptions, seed_demo
from discussions.models import Post
from notifications.models import Notification, NotificationKind

NOW = datetime(2026, 3, 18, 10, 30, tzinfo=UTC)  # a Wednesday


class DemoNotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        seed_demo(SeedOptions(learners=12, short_media=True, now=NOW))
        cls.learner = User.objects.get(email=LEARNER.email)
        cls.coach = User.objects.get(email=COACH.email)

    def test_the_learner_and_coach_have_notifications_waiting(self) -> None:
        mine = Notification.objects.filter(recipient=self.coach).values_list("kind", flat=True)
        self.assertEqual(
            set(mine),
            {
                NotificationKind.REPLY,
                NotificationKind.REACTION,
                NotificationKind.CIRCLE,
                NotificationKind.SHARED_WITH_YOU,  # the learners' journals (demo/reflections.py)
                NotificationKind.FEEDBACK_ASKED,  # Amara asked Grace too (demo/feedback.py)
            },
        )
        weeks = Notification.objects.filter(recipient=self.learner, kind=NotificationKind.NEW_WEEK)
        self.assertGreaterEqual(weeks.count(), 2)
        # The earlier weeks are read; the current one is waiting.
        self.assertEqual(weeks.filter(read_at__isnull=True).count(), 1)
        self.assertFalse(Notification.objects.filter(emailed_at__isnull=True).exists())

    def test_the_learner_has_a_mention_and_reactions_to_read(self) -> None:
        waiting = Notification.objects.filter(recipient=self.learner, read_at__isnull=True)
        kinds = set(waiting.values_list("kind", flat=True))
        self.assertLessEqual({NotificationKind.MENTION, NotificationKind.REACTION}, kinds)
        mention = waiting.get(kind=NotificationKind.MENTION)
        self.assertEqual(mention.actor_label, self.coach.full_name)

    def test_each_conversation_notification_is_about_a_post_its_recipient_may_read(self) -> None:
        # (Shares of journal entries are checked in demo/tests/test_reflections.py.)
        # (Feedback between rounds is checked in the next test.)
        others = (
            NotificationKind.NEW_WEEK,
            NotificationKind.SHARED_WITH_YOU,
            NotificationKind.FEEDBACK_ASKED,
            NotificationKind.FEEDBACK_GIVEN,
        )
        for notification in Notification.objects.exclude(kind__in=others):
            post = Post.objects.get(public_id=notification.target_id)
            self.assertTrue(
                Post.objects.visible_to(notification.recipient).filter(pk=post.pk).exists(),
                notification,
            )
            if notification.kind == NotificationKind.REPLY:
                self.assertNotEqual(post.author_id, notification.recipient_id)
                parent = post.parent
                self.assertEqual(parent and parent.author_id, notification.recipient_id)
            elif notification.kind == NotificationKind.CIRCLE:
                self.assertIsNotNone(post.thread.circle_id)  # readable by the recipient: above
            elif notification.kind == NotificationKind.MENTION:
                self.assertIn(f"@[{notification.recipient.full_name}]", post.body)
            else:
                self.assertEqual(post.author_id, notification.recipient_id)
            self.assertNotIn(post.body[:30], notification.headline)
            if post.pseudonym and notification.kind == NotificationKind.REPLY:
                self.assertIn(post.pseudonym, notification.headline)
                self.assertNotIn(post.author.full_name, notification.headline)

    def test_each_feedback_notification_is_about_a_request_its_recipient_may_read(self) -> None:
        from assessments.models import FeedbackAnswer, FeedbackRequest

        asked = Notification.objects.filter(kind=NotificationKind.FEEDBACK_ASKED)
        given = Notification.objects.filter(kind=NotificationKind.FEEDBACK_GIVEN)
        self.assertTrue(asked.exists() and given.exists())
        for notification in asked:
            answer = FeedbackAnswer.objects.visible_to(notification.recipient).get(
                public_id=notification.target_id
            )
            self.assertEqual(answer.writer_id, notification.recipient_id)
            self.assertNotIn(answer.request.focus[:30], notification.headline)
        for notification in given:
            request = FeedbackRequest.objects.visible_to(notification.recipient).get(
                public_id=notification.target_id
            )
            self.assertEqual(request.seat.user_id, notification.recipient_id)

    def test_the_learner_sees_them_on_the_notifications_page(self) -> None:
        self.client.force_login(self.learner)
        response = self.client.get(reverse("notifications:list"))
        self.assertContains(response, "A new week starts: ")
        self.assertContains(response, "notification--unread")
        self.client.force_login(self.coach)
        response = self.client.get(reverse("notifications:list"))
        self.assertContains(response, "replied to you in Community space")


class DemoModerationNoticeTests(TestCase):
    """moderation.actions notifies once the seed commits; those notices are about the demo's
    past, so none may be left for the worker to email when `make demo` starts."""

    @classmethod
    def setUpTestData(cls) -> None:
        with cls.captureOnCommitCallbacks(execute=True):
            seed_demo(SeedOptions(learners=12, short_media=True, now=NOW))

    def test_the_demos_moderation_notices_are_not_emailed_at_start(self) -> None:
        notices = Notification.objects.filter(kind=NotificationKind.MODERATION)
        self.assertTrue(notices.exists())
        self.assertFalse(notices.filter(emailed_at__isnull=True).exists())


class DemoCircleConversationTests(TestCase):
    """The demo learner's circle opens on this week's check-ins, in several voices, none of
    them emailed when the demo starts."""

    @classmethod
    def setUpTestData(cls) -> None:
        seed_demo(SeedOptions(learners=12, short_media=True, now=NOW))
        cls.learner = User.objects.get(email=LEARNER.email)

    def test_her_circle_has_check_ins_she_can_read(self) -> None:
        from circles.models import CircleMember

        circle = CircleMember.objects.get(user=self.learner).circle
        posts = Post.objects.visible_to(self.learner).filter(thread__circle=circle)
        self.assertEqual(posts.count(), 4)
        self.assertGreaterEqual(len(set(posts.values_list("author_id", flat=True))), 3)
        self.assertIn(circle.coach_id, set(posts.values_list("author_id", flat=True)))
        notices = Notification.objects.filter(kind=NotificationKind.CIRCLE)
        self.assertTrue(notices.filter(recipient=self.learner).exists())
        self.assertFalse(notices.filter(emailed_at__isnull=True).exists())
