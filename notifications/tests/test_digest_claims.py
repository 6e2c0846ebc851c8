"""How the digest worker claims deliveries in batches (notifications.tasks._claim_digests):
one conditional UPDATE … RETURNING per batch, so two tasks never both win a delivery, a claim
left by a dead worker is won again only after the lease, and a sent digest never."""

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from django.test import override_settings

from accounts.tests.test_emails import parse, smtp_server
from notifications import tasks
from notifications.actions import notify, set_email_preferences
from notifications.models import DigestDelivery, EmailChoice
from notifications.tasks import _claim_digests, _mark_sent, plan_digests, send_digests
from rapport.testing import PersonaTestCase

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 08:00 in London: the digest hour


class PlannedDigests(PersonaTestCase):
    """Two daily digests planned (alice, carol) and queued on the dummy backend."""

    def test_the_two_digests_are_alices_and_carols(self) -> None:
        self.assertEqual(
            sorted(self.addresses), ["alice@northwind.example", "carol@northwind.example"]
        )

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
        # Whose digest came first is the planner's row order (alice's on SQLite; either on
        # PostgreSQL): the tests name the two by their delivery, not by their person.
        self.addresses = [DigestDelivery.objects.get(pk=pk).recipient.email for pk in self.ids]
        self.lease = MORNING - timedelta(seconds=60)


@override_settings(TASKS=DUMMY_TASKS, RAPPORT_DIGEST_LEASE_SECONDS=60)
class DigestClaimTests(PlannedDigests):
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
        self.assertEqual([parse(m)["To"] for m in inbox.messages], [self.addresses[1]])
        self.assertIsNone(DigestDelivery.objects.get(pk=self.ids[0]).sent_at)
        self.assertEqual(DigestDelivery.objects.get(pk=self.ids[1]).count, 1)


@override_settings(TASKS=DUMMY_TASKS, RAPPORT_DIGEST_LEASE_SECONDS=60)
class SlowSendingTests(PlannedDigests):
    """A task that sends slowly (a loaded machine, a slow mail server) keeps its claims: each
    batch is claimed at its own time, not the task's start, and a batch's remaining claims are
    renewed once half the lease has passed, so another task cannot take a delivery over while
    this one may still send it (found by bench/digest.py under load: 45 people got a second
    copy from a re-queued task)."""

    def send_with_clock(self, *, during_first_send: Any = None) -> int:
        clock = [MORNING + timedelta(seconds=5)]
        real_send = tasks._send_retrying
        sends: list[int] = []

        def slow_send(*args: Any, **kwargs: Any) -> int:
            sent = real_send(*args, **kwargs)
            sends.append(sent)
            clock[0] += timedelta(seconds=40)  # each email takes 40 s of a 60 s lease
            if len(sends) == 1 and during_first_send:
                during_first_send(clock[0])
            return sent

        with (
            smtp_server() as self.inbox,
            patch("django.utils.timezone.now", side_effect=lambda: clock[0]),
            patch.object(tasks, "_send_retrying", slow_send),
        ):
            return send_digests.call(delivery_ids=self.ids)

    def test_a_claim_is_renewed_so_a_second_task_cannot_take_it_over(self) -> None:
        def second_task(now: datetime) -> None:
            # 45 s after the claim, a re-queued task tries: still within the lease.
            self.assertEqual(_claim_digests(self.ids, now=now, lease=now - timedelta(60)), set())

        self.assertEqual(self.send_with_clock(during_first_send=second_task), 2)
        renewed = DigestDelivery.objects.get(pk=self.ids[1]).claimed_at
        self.assertEqual(renewed, MORNING + timedelta(seconds=45))  # renewed before the 2nd email
        self.assertEqual(len(self.inbox.messages), 2)

    def test_a_later_batch_is_claimed_at_its_own_time(self) -> None:
        with patch.object(tasks, "CLAIM_BATCH", 1):
            self.assertEqual(self.send_with_clock(), 2)
        claims = DigestDelivery.objects.order_by("pk").values_list("claimed_at", flat=True)
        self.assertEqual(
            list(claims), [MORNING + timedelta(seconds=5), MORNING + timedelta(seconds=45)]
        )

    def test_a_delivery_taken_over_by_another_task_is_not_sent_again(self) -> None:
        def taken_over(now: datetime) -> None:
            DigestDelivery.objects.filter(pk=self.ids[1]).update(claimed_at=now)

        self.assertEqual(self.send_with_clock(during_first_send=taken_over), 1)
        self.assertEqual([parse(m)["To"] for m in self.inbox.messages], [self.addresses[0]])
        self.assertIsNone(DigestDelivery.objects.get(pk=self.ids[1]).sent_at)


@override_settings(TASKS=DUMMY_TASKS, RAPPORT_DIGEST_LEASE_SECONDS=60)
class SendingQueryTests(PlannedDigests):
    def test_sending_reads_each_delivery_and_person_in_one_query_whatever_their_number(
        self,
    ) -> None:
        # The deliveries with their people (only the fields a digest uses: a field left out
        # would cost a query per digest), their notifications, one claim per batch, one mark
        # per digest.
        with (
            smtp_server() as inbox,
            patch("django.utils.timezone.now", return_value=MORNING),
            self.assertNumQueries(5),
        ):
            self.assertEqual(send_digests.call(delivery_ids=self.ids), 2)
        self.assertEqual(sorted(parse(m)["To"] for m in inbox.messages), sorted(self.addresses))
