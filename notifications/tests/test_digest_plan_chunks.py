"""`plan_digests` plans, commits and queues the digests in chunks (notifications.tasks.PLAN_CHUNK),
so the workers send the first chunk while the next ones are planned; a planner that dies
between chunks leaves whole, queued chunks, and the next plan creates nobody's digest twice.

These tests use production's task backend, django_tasks_db's, whose task rows live in the
deliveries' database: each chunk's tasks are queued in that chunk's own transaction. (The other
tests' immediate backend queues them when the chunk commits: notifications/tests/test_emails.)"""

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from accounts.tests.test_emails import parse, smtp_server
from notifications import tasks
from notifications.actions import notify, set_email_preferences
from notifications.models import DigestDelivery, EmailChoice, Notification
from notifications.tasks import plan_digests, send_digests
from rapport.testing import PersonaTestCase

MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 08:00 in London: the digest hour
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def queued_delivery_ids() -> list[list[int]]:
    """The delivery ids of every queued `send_digests` task, by their first delivery (the tasks
    of one plan share its patched clock, so their own order is not kept)."""
    rows = DBTaskResult.objects.filter(task_path__endswith="send_digests")
    return sorted(row.args_kwargs["kwargs"]["delivery_ids"] for row in rows)


class ChunkedPlanTests(PersonaTestCase):
    def setUp(self) -> None:
        self.enterContext(override_settings(TASKS=DATABASE_TASKS))  # after conftest's
        self.people = [self.alice, self.carol]
        for person in self.people:
            set_email_preferences(person, choices={"reply": EmailChoice.DAILY})
        with patch("django.utils.timezone.now", return_value=MORNING - timedelta(hours=1)):
            for place in ("Week 1", "Week 2"):
                notify(
                    kind="reply",
                    recipients=self.people,
                    actor=self.bob,
                    actor_label="Bob",
                    place=place,
                    url="/cohorts/1/",
                )
        DBTaskResult.objects.all().delete()

    def plan(self, moment: datetime = MORNING) -> dict[str, int]:
        with patch("django.utils.timezone.now", return_value=moment):
            return plan_digests()

    def test_the_first_chunk_is_queued_before_the_next_one_is_planned(self) -> None:
        queued_before_each_chunk: list[int] = []
        real_plan_chunk = tasks._plan_chunk

        def spy(*args: Any, **kwargs: Any) -> list[int]:
            queued_before_each_chunk.append(DBTaskResult.objects.count())
            return real_plan_chunk(*args, **kwargs)

        with patch.object(tasks, "PLAN_CHUNK", 1), patch.object(tasks, "_plan_chunk", spy):
            counts = self.plan()
        self.assertEqual(counts, {"planned": 2, "requeued": 0, "tasks": 2})
        self.assertEqual(queued_before_each_chunk, [0, 1])
        ids = list(DigestDelivery.objects.order_by("pk").values_list("pk", flat=True))
        self.assertEqual(queued_delivery_ids(), [[ids[0]], [ids[1]]])
        # Each chunk attached its own person's notifications to their digest, and only those.
        for delivery in DigestDelivery.objects.all():
            attached = Notification.objects.filter(digest=delivery)
            self.assertEqual(
                set(attached.values_list("recipient_id", flat=True)), {delivery.recipient_id}
            )
            self.assertEqual(attached.count(), 2)

    def test_one_chunk_holds_plan_chunk_deliveries_in_send_batch_tasks(self) -> None:
        with patch.object(tasks, "PLAN_CHUNK", 2), patch.object(tasks, "SEND_BATCH", 1):
            counts = self.plan()
        self.assertEqual(counts, {"planned": 2, "requeued": 0, "tasks": 2})
        self.assertEqual(len(queued_delivery_ids()), 2)

    def test_a_plan_that_died_after_its_first_chunk_is_completed_without_a_duplicate(
        self,
    ) -> None:
        real_plan_chunk = tasks._plan_chunk
        calls: list[int] = []

        def dies_on_the_second_chunk(*args: Any, **kwargs: Any) -> list[int]:
            calls.append(1)
            if len(calls) == 2:
                real_plan_chunk(*args, **kwargs)  # its writes are rolled back with the chunk
                raise RuntimeError("the planner was killed")
            return real_plan_chunk(*args, **kwargs)

        with (
            patch.object(tasks, "PLAN_CHUNK", 1),
            patch.object(tasks, "_plan_chunk", dies_on_the_second_chunk),
            self.assertRaises(RuntimeError),
        ):
            self.plan()
        # The first chunk stands, whole and queued; nothing of the second is left.
        first = DigestDelivery.objects.get()
        self.assertIsNotNone(first.enqueued_at)
        self.assertEqual(Notification.objects.filter(digest=first).count(), 2)
        self.assertEqual(Notification.objects.filter(digest__isnull=True).count(), 2)
        self.assertEqual(queued_delivery_ids(), [[first.pk]])

        with patch.object(tasks, "PLAN_CHUNK", 1):
            counts = self.plan(MORNING + timedelta(minutes=1))
        self.assertEqual(counts["planned"], 1)
        self.assertEqual(DigestDelivery.objects.count(), 2)
        self.assertFalse(Notification.objects.filter(digest__isnull=True).exists())
        batches = queued_delivery_ids()
        self.assertEqual(
            sorted(pk for batch in batches for pk in batch),
            sorted(DigestDelivery.objects.values_list("pk", flat=True)),
        )

        # Every queued task run (twice, as a worker restarted after a kill would): one each.
        with (
            smtp_server() as inbox,
            patch("django.utils.timezone.now", return_value=MORNING + timedelta(minutes=2)),
        ):
            for _ in range(2):
                for batch in batches:
                    send_digests.call(delivery_ids=batch)
        recipients = sorted(parse(m)["To"] for m in inbox.messages)
        self.assertEqual(recipients, sorted(person.email for person in self.people))
        self.assertEqual(set(DigestDelivery.objects.values_list("count", flat=True)), {2})

    def test_stale_deliveries_are_queued_again_in_chunks(self) -> None:
        with patch.object(tasks, "PLAN_CHUNK", 1):
            self.plan()
        DBTaskResult.objects.all().delete()  # the tasks were lost with a killed worker
        with (
            patch.object(tasks, "PLAN_CHUNK", 1),
            self.settings(RAPPORT_DIGEST_LEASE_SECONDS=60),
        ):
            counts = self.plan(MORNING + timedelta(seconds=90))
        self.assertEqual(counts, {"planned": 0, "requeued": 2, "tasks": 2})
        ids = list(DigestDelivery.objects.order_by("pk").values_list("pk", flat=True))
        self.assertEqual(queued_delivery_ids(), [[ids[0]], [ids[1]]])

    def test_a_planned_delivery_has_the_models_values(self) -> None:
        created = MORNING + timedelta(seconds=3)
        with patch("django.utils.timezone.now", return_value=created):
            plan_digests()
        deliveries = list(DigestDelivery.objects.order_by("pk"))
        # In the planner's row order, which is the database's (PostgreSQL may take carol first).
        self.assertEqual(
            sorted((d.recipient_id, d.organization_id) for d in deliveries),
            sorted((p.pk, p.organization_id) for p in self.people),
        )
        self.assertEqual(len({d.public_id for d in deliveries}), 2)
        for delivery in deliveries:
            self.assertEqual(delivery.period, "daily:2026-12-01")
            self.assertEqual((delivery.created_at, delivery.enqueued_at), (created, created))
            self.assertEqual(
                (delivery.claimed_at, delivery.sent_at, delivery.count), (None,) * 2 + (0,)
            )
