"""The demo's journals (demo/reflections.py): the coach finds what her learners shared, the
learner finds who viewed what she shared, and nothing private reaches anyone."""

from datetime import UTC, datetime

from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from demo.reflections import AMARA_FREE, AMARA_MISSION_1, RAFAEL_MISSION_1
from demo.seed import COACH, LEARNER, PEER, SeedOptions, seed_demo
from notifications.models import Notification, NotificationKind
from reflections.models import Entry, EntryView, MissionPlan

NOW = datetime(2026, 3, 18, 10, 30, tzinfo=UTC)  # a Wednesday


class DemoReflectionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        seed_demo(SeedOptions(learners=12, short_media=True, now=NOW))
        cls.learner = User.objects.get(email=LEARNER.email)
        cls.peer = User.objects.get(email=PEER.email)
        cls.coach = User.objects.get(email=COACH.email)

    def test_the_coach_finds_what_was_shared_with_her(self) -> None:
        self.client.force_login(self.coach)
        page = self.client.get(reverse("reflections:shared")).content.decode()
        self.assertIn("Notice your default", page)  # Amara's mission reflection
        self.assertIn(self.learner.full_name, page)
        self.assertNotIn("After Tuesday", page)  # her private entry
        self.assertIn("He is thinking about leaving", page)  # another learner's, titled
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.coach, kind=NotificationKind.SHARED_WITH_YOU
            ).exists()
        )
        entry = Entry.objects.get(author=self.learner, kind="mission")
        response = self.client.get(reverse("reflections:entry", args=[entry.public_id]))
        self.assertContains(response, AMARA_MISSION_1["learned"][:40])

    def test_the_learner_sees_her_journal_her_plan_and_who_viewed_what_she_shared(self) -> None:
        self.client.force_login(self.learner)
        journal = self.client.get(reverse("reflections:journal"))
        self.assertContains(journal, "After Tuesday")
        self.assertContains(journal, "Only me")
        log = self.client.get(reverse("reflections:access_log"))
        self.assertContains(log, self.coach.full_name)
        viewers = set(
            EntryView.objects.visible_to(self.learner).values_list("viewer__email", flat=True)
        )
        self.assertGreaterEqual(len(viewers), 2)  # her coach and a peer
        for view in EntryView.objects.visible_to(self.learner).select_related("entry", "viewer"):
            self.assertTrue(Entry.objects.visible_to(view.viewer).filter(pk=view.entry.pk).exists())
        self.assertTrue(MissionPlan.objects.filter(author=self.learner).exists())

    def test_private_entries_reach_nobody_else(self) -> None:
        private = Entry.objects.get(author=self.learner, kind="free")
        self.assertEqual(private.visibility, "private")
        self.assertEqual(private.body, AMARA_FREE)
        for person in (self.coach, self.peer):
            self.client.force_login(person)
            url = reverse("reflections:entry", args=[private.public_id])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_peer_shared_with_the_cohort_and_every_share_is_dated_in_the_past(self) -> None:
        self.client.force_login(self.learner)
        page = self.client.get(reverse("reflections:shared")).content.decode()
        self.assertIn(self.peer.full_name, page)
        entry = Entry.objects.get(author=self.peer)
        self.assertEqual(entry.happened, RAFAEL_MISSION_1["happened"])
        for shared in Entry.objects.filter(shared_at__isnull=False):
            self.assertLess(shared.shared_at, NOW)

    def test_each_share_notification_is_about_an_entry_its_recipient_may_read(self) -> None:
        shares = Notification.objects.filter(kind=NotificationKind.SHARED_WITH_YOU)
        self.assertTrue(shares.exists())
        for note in shares:
            entry = Entry.objects.get(public_id=note.target_id)
            self.assertTrue(Entry.objects.visible_to(note.recipient).filter(pk=entry.pk).exists())
            self.assertIsNotNone(note.emailed_at)  # the demo's past is not emailed at start
