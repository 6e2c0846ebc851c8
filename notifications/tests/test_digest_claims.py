"""How the digest worker claims deliveries in batches (notifications.tasks._claim_digests):
one conditional UPDATE … RETURNING per batch, so two tasks never both win a delivery, a claim
left by a dead worker is won again only after the lease, and a sent digest never."""

from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from django.test import override_settings

from accounts.tests.test_emails import parse, smtp_server
from notifications.actions import notify, set_email_preferences
from notifications.models import DigestDelivery, EmailChoice
from notifications.tasks import _claim_digests, _mark_sent, plan_digests, send_digests
from rapport.testing import PersonaTestCase

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 08:00 in London: the digest hour


@override_settings(TASKS=DUMMY_TASKS, RAPPORT_DIGEST_LEASE_SECONDS=60)
class DigestClaimTests(PersonaTestCase):
    def setUp(self) -> None:
        for person in (self.alice, self.carol):
            set_email_preferences(person, choices={"reply": EmailChoice.DAILY})
        with patch("django.utils.timezone.now", return_value=MORNING - timedelta(hours=1)):
            notify(
                kind="reply",
                recipients=[self.alice, self.carol],
                actor=self.bob,
                actor_label="Bob",
                place="Week 1",
                url="/cohorts/1/",
            )
        with patch("django.utils.timezone.now", return_value=MORNING):
            plan_digests()  # queued on the dummy backend: nothing sent yet
        self.ids = list(DigestDelivery.objects.order_by("pk").values_list("pk", flat=True))
        self.lease = MORNING - timedelta(seconds=60)

    def test_a_second_claim_within_the_lease_wins_nothing(self) -> None:
        self.assertEqual(_claim_digests(self.ids, now=MORNING, lease=self.lease), set(self.ids))
        later = MORNING + timedelta(seconds=30)
        self.assertEqual(_claim_digests(self.ids, now=later, lease=later - timedelta(60)), set())
        claimed = set(DigestDelivery.objects.values_list("claimed_at", flat=True))
        self.assertEqual(claimed, {MORNING})

    def test_a_claim_older_than_the_lease_is_won_again_but_a_sent_digest_never(self) -> None:
        _claim_digests(self.ids, now=MORNING, lease=self.lease)
        _mark_sent(self.ids[0], count=1)
        later = MORNING + timedelta(seconds=90)
        won = _claim_digests(self.ids, now=later, lease=later - timedelta(seconds=60))
        self.assertEqual(won, {self.ids[1]})
        sent = DigestDelivery.objects.get(pk=self.ids[0])
        self.assertIsNotNone(sent.sent_at)
        self.assertEqual(sent.count, 1)

    def test_a_task_whose_deliveries_another_task_holds_sends_nothing(self) -> None:
        _claim_digests(self.ids[:1], now=MORNING, lease=self.lease)  # another live task
        soon = MORNING + timedelta(seconds=5)
        with smtp_server() as inbox, patch("django.utils.timezone.now", return_value=soon):
            sent = send_digests.call(delivery_ids=self.ids)
        self.assertEqual(sent, 1)
        self.assertEqual([parse(m)["To"] for m in inbox.messages], ["carol@northwind.example"])
        self.assertIsNone(DigestDelivery.objects.get(pk=self.ids[0]).sent_at)
        self.assertEqual(DigestDelivery.objects.get(pk=self.ids[1]).count, 1)
