"""The outbox and the forwarder against an LRS played by httpx's MockTransport: batches, Basic
auth and the xAPI version header, refusals isolated and set aside, retries with backoff and
jitter, claims two workers cannot share, backfill and the periodic queueing."""

import base64
import json
import random
import uuid
from datetime import timedelta
from io import StringIO
from typing import Any
from unittest import mock

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cohorts.models import Enrollment
from events import tasks
from events.actions import new_event, record_event, record_events
from events.forwarding import (
    QUICK_CAP_SECONDS,
    QUICK_RETRIES,
    backfill,
    backoff_seconds,
    claim,
    forward_pending,
    requeue_dead,
)
from events.models import DeadReason, DeadStatement, Event, ObjectType, PendingStatement, Verb
from rapport.testing import PersonaTestCase

LRS = override_settings(
    RAPPORT_XAPI_LRS_URL="https://lrs.example.com/xAPI/",
    RAPPORT_XAPI_LRS_USERNAME="rapport",
    RAPPORT_XAPI_LRS_PASSWORD="s3cret",
    RAPPORT_XAPI_BATCH_SIZE=4,
    RAPPORT_SITE_URL="https://rapport.example.com",
)


class FakeLRS:
    """An LRS that stores statements by id like a real one (an equal one again is dropped), and
    can be told to refuse given ids (400) or to be down (a status for every request)."""

    def __init__(self) -> None:
        self.stored: dict[str, dict] = {}
        self.requests: list[httpx.Request] = []
        self.refuse: set[str] = set()
        self.down_with: int | None = None
        self.unreachable = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.unreachable:
            raise httpx.ConnectError("refused", request=request)
        if self.down_with is not None:
            return httpx.Response(self.down_with)
        statements = json.loads(request.content)
        if any(s["id"] in self.refuse for s in statements):
            return httpx.Response(400, json={"detail": "invalid statement"})
        for statement in statements:
            self.stored.setdefault(statement["id"], statement)
        return httpx.Response(200, json=[s["id"] for s in statements])

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))


@LRS
class ForwardingTests(PersonaTestCase):
    def setUp(self) -> None:
        self.lrs = FakeLRS()
        self.sleeps: list[float] = []
        self.seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.activity = self.first_activity()

    def _record(self, n: int) -> list[Event]:
        activity = self.activity
        return [
            record_event(
                self.alice,
                verb=Verb.VIEWED,
                object_type=ObjectType.ACTIVITY,
                object_id=activity.public_id,
                cohort=self.cohort_a,
                registration=self.seat.public_id,
            )
            for _ in range(n)
        ]

    def _forward(self, **kwargs: Any) -> Any:
        return forward_pending(
            client=self.lrs.client(), sleep=self.sleeps.append, rng=random.Random(7), **kwargs
        )

    def test_each_recorded_event_waits_in_the_outbox_in_its_own_transaction(self) -> None:
        PendingStatement.objects.all().delete()  # the setup's seats
        events = self._record(2)
        bulk = record_events(
            [
                new_event(
                    self.bob,
                    verb=Verb.COMMENTED,
                    object_type=ObjectType.COHORT,
                    object_id=self.cohort_a.public_id,
                    cohort=self.cohort_a,
                )
            ]
        )
        self.assertEqual(
            set(PendingStatement.objects.values_list("event_id", flat=True)),
            {e.pk for e in [*events, *bulk]},
        )

    @override_settings(RAPPORT_XAPI_LRS_URL="")
    def test_without_an_lrs_nothing_is_queued_and_recording_costs_no_extra_query(self) -> None:
        PendingStatement.objects.all().delete()
        with self.assertNumQueries(1):  # the event's insert alone
            self._record(1)
        self.assertFalse(PendingStatement.objects.exists())
        self.assertEqual(forward_pending().posts, 0)
        self.assertFalse(tasks.queue_forwarding())

    def test_it_sends_every_statement_once_in_batches_with_basic_auth_and_the_version(
        self,
    ) -> None:
        events = self._record(6)
        expected = set(PendingStatement.objects.values_list("event__public_id", flat=True))
        report = self._forward()
        self.assertEqual(report.sent, len(expected))
        self.assertEqual({uuid.UUID(i) for i in self.lrs.stored}, expected)
        self.assertFalse(PendingStatement.objects.exists())
        request = self.lrs.requests[0]
        self.assertEqual(str(request.url), "https://lrs.example.com/xAPI/statements")
        self.assertEqual(request.headers["X-Experience-API-Version"], "1.0.3")
        self.assertEqual(
            request.headers["Authorization"],
            "Basic " + base64.b64encode(b"rapport:s3cret").decode(),
        )
        self.assertLessEqual(max(len(json.loads(r.content)) for r in self.lrs.requests), 4)
        self.assertEqual(len(self.lrs.requests), -(-len(expected) // 4))
        self.assertIn(str(events[0].public_id), self.lrs.stored)
        # Nothing left: another run sends nothing.
        self.assertEqual(self._forward().posts, 0)

    def test_a_refused_statement_is_set_aside_and_the_others_still_go(self) -> None:
        events = self._record(7)
        bad = events[3]
        self.lrs.refuse = {str(bad.public_id)}
        report = self._forward()
        self.assertEqual(report.dead, 1)
        self.assertNotIn(str(bad.public_id), self.lrs.stored)
        self.assertIn(str(events[4].public_id), self.lrs.stored)
        self.assertFalse(PendingStatement.objects.exists())
        dead = DeadStatement.objects.get()
        self.assertEqual(
            (dead.event_id, dead.status, dead.reason), (bad.pk, 400, DeadReason.INVALID)
        )
        # Sent again once the cause is fixed: the same id.
        self.lrs.refuse = set()
        self.assertEqual(requeue_dead(), 1)
        self._forward()
        self.assertIn(str(bad.public_id), self.lrs.stored)
        self.assertFalse(DeadStatement.objects.exists())

    def test_an_lrs_that_is_down_is_retried_with_jittered_backoff_then_left_for_later(
        self,
    ) -> None:
        self._record(3)
        waiting = PendingStatement.objects.count()
        self.lrs.down_with = 503
        report = self._forward()
        self.assertEqual((report.sent, report.dead), (0, 0))
        self.assertEqual(len(self.lrs.requests), QUICK_RETRIES)  # one batch, then it stops
        self.assertEqual(len(self.sleeps), QUICK_RETRIES - 1)
        for attempt, pause in enumerate(self.sleeps):
            self.assertLessEqual(pause, min(QUICK_CAP_SECONDS, 0.5 * 2**attempt))
        # Released: nobody holds them, the attempt is counted, the next try is later.
        released = PendingStatement.objects.filter(attempts=1, claimed_at__isnull=True)
        self.assertEqual(released.count(), report.deferred)
        self.assertTrue(all(r.next_attempt_at > timezone.now() for r in released))
        self.assertEqual(PendingStatement.objects.count(), waiting)
        self.assertFalse(DeadStatement.objects.exists())
        # Not due yet: a run now sends nothing; once due, everything goes.
        self.lrs.down_with = None
        self.lrs.requests.clear()
        self._forward()
        sent_now = len(self.lrs.stored)
        PendingStatement.objects.update(next_attempt_at=timezone.now())
        self._forward()
        self.assertEqual(len(self.lrs.stored), waiting)
        self.assertLess(sent_now, waiting)
        self.assertFalse(PendingStatement.objects.exists())

    def test_no_answer_and_auth_failures_are_retried_never_set_aside(self) -> None:
        self._record(2)
        for trouble in ("unreachable", 401, 429, 500):
            with self.subTest(trouble=trouble):
                self.lrs.unreachable = trouble == "unreachable"
                self.lrs.down_with = None if trouble == "unreachable" else int(trouble)
                PendingStatement.objects.update(next_attempt_at=timezone.now())
                self.assertEqual(self._forward().sent, 0)
                self.assertFalse(DeadStatement.objects.exists())
        self.assertTrue(PendingStatement.objects.filter(attempts=4).exists())

    def test_the_wait_before_a_later_try_grows_exponentially_and_is_capped(self) -> None:
        rng = random.Random(1)
        for attempt in range(40):
            ceiling = min(3600.0, 30.0 * 2**attempt)
            draws = [backoff_seconds(attempt, base=30.0, cap=3600.0, rng=rng) for _ in range(20)]
            self.assertTrue(all(0 <= d <= ceiling for d in draws))
            self.assertGreater(len(set(draws)), 1)  # jittered

    def test_two_workers_never_claim_the_same_statement_until_the_lease_runs_out(self) -> None:
        self._record(5)
        now = timezone.now()
        first = claim(4, now=now, lease_seconds=300)
        second = claim(100, now=now, lease_seconds=300)
        self.assertEqual(len(first), 4)
        self.assertFalse(set(first) & set(second))
        self.assertEqual(claim(100, now=now, lease_seconds=300), [])
        # A worker that died holding them: after the lease, they are claimed again.
        later = claim(100, now=now + timedelta(seconds=301), lease_seconds=300)
        self.assertEqual(sorted(later), sorted(first + second))

    def test_backfill_queues_what_is_neither_waiting_nor_dead_once(self) -> None:
        events = self._record(3)
        self._forward()
        DeadStatement.objects.create(event=events[0], status=409, reason=DeadReason.CONFLICT)
        total = Event.objects.count()
        self.assertEqual(backfill(), total - 1)
        self.assertEqual(backfill(), 0)
        # Sent again, same ids: the LRS keeps one of each.
        before = len(self.lrs.stored)
        self._forward()
        self.assertEqual(len(self.lrs.stored), before)

    def test_the_periodic_run_queues_the_task_only_when_something_is_due(self) -> None:
        with mock.patch("events.tasks.forward_statements") as task:
            PendingStatement.objects.all().delete()
            self.assertFalse(tasks.queue_forwarding())
            self._record(1)
            self.assertTrue(tasks.queue_forwarding())
            task.enqueue.assert_called_once_with()

    def test_the_command_sends_and_reports_counts(self) -> None:
        self._record(2)
        out = StringIO()
        with mock.patch("httpx.Client", return_value=self.lrs.client()):
            call_command("forward_xapi", stdout=out)
        self.assertIn("waiting 0", out.getvalue())
        self.assertFalse(PendingStatement.objects.exists())

    def test_the_command_refuses_bad_options_and_changes_nothing(self) -> None:
        self._record(1)
        waiting = PendingStatement.objects.count()
        for argv, message in [
            (["--since", "yesterday", "--backfill"], "is not a date"),
            (["--since", "2026-11-01"], "--since goes with --backfill"),
            (["--max-batches", "0"], "1 or more"),
        ]:
            with self.subTest(argv=argv), pytest.raises(CommandError, match=message):
                call_command("forward_xapi", *argv)
        self.assertEqual(PendingStatement.objects.count(), waiting)
        with (
            override_settings(RAPPORT_XAPI_LRS_URL=""),
            pytest.raises(CommandError, match="No LRS"),
        ):
            call_command("forward_xapi")
        with override_settings(RAPPORT_XAPI_BATCH_SIZE=0):
            with pytest.raises(CommandError, match="BATCH_SIZE must be 1 or more"):
                call_command("forward_xapi")
            self.assertFalse(tasks.queue_forwarding())  # logged; the other periodic jobs go on
        self.assertEqual(PendingStatement.objects.count(), waiting)


class DeadStatementStudioTests(PersonaTestCase):
    """The studio's list of statements the LRS refused: superusers only, no person, no text."""

    def setUp(self) -> None:
        seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.event = record_event(
            self.alice,
            verb=Verb.COMPLETED,
            object_type=ObjectType.ACTIVITY,
            object_id=self.first_activity().public_id,
            cohort=self.cohort_a,
            registration=seat.public_id,
            result={"completion": True},
        )
        DeadStatement.objects.create(event=self.event, status=400, reason=DeadReason.INVALID)
        self.url = reverse("studio:events_deadstatement_changelist")

    def test_a_superuser_sees_why_without_who(self) -> None:
        User.objects.filter(pk=self.oscar.pk).update(is_superuser=True)  # another organisation's
        self.client.force_login(self.oscar)
        page = self.client.get(self.url).content.decode()
        self.assertIn(str(self.event.public_id), page)
        self.assertIn("refused as invalid (400)", page)
        for personal in (self.alice.email, self.alice.full_name, str(self.alice.public_id)):
            self.assertNotIn(personal, page)

    def test_send_again_puts_it_back_in_the_outbox(self) -> None:
        User.objects.filter(pk=self.oscar.pk).update(is_superuser=True)
        self.client.force_login(self.oscar)
        response = self.client.post(
            self.url, {"action": "send_again", "_selected_action": [self.event.pk]}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(DeadStatement.objects.exists())
        self.assertTrue(PendingStatement.objects.filter(event=self.event).exists())

    def test_admins_and_designers_of_the_organisation_cannot_open_it(self) -> None:
        for person in (self.adam, self.dora, self.alice):
            with self.subTest(person=person.email):
                self.client.force_login(person)
                response = self.client.get(self.url)
                self.assertIn(response.status_code, (302, 403, 404))
                self.assertNotIn(str(self.event.public_id), response.content.decode())
                self.client.post(
                    self.url, {"action": "send_again", "_selected_action": [self.event.pk]}
                )
                self.assertTrue(DeadStatement.objects.exists())
