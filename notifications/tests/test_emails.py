"""Notification emails as a mail client reads them (a real SMTP server on loopback, parsed with
email.parser): immediate emails, digests, quiet hours across daylight-saving changes, and the
one-click unsubscribe (RFC 8058)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any
from unittest.mock import patch
from urllib.parse import urlsplit

from django.test import override_settings

from accounts.tests.test_emails import parse, parts, smtp_server
from notifications.actions import notify, set_email_preferences, set_quiet_hours
from notifications.models import (
    DigestDelivery,
    EmailChoice,
    EmailPreference,
    Notification,
    NotificationKind,
    in_quiet_hours,
    quiet_hours_end,
)
from notifications.tasks import (
    plan_digests,
    queue_immediate_emails,
    send_digests,
    send_immediate_emails,
    sweep_immediate_emails,
)
from rapport.testing import PersonaTestCase

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class QuietHoursTests(PersonaTestCase):
    def test_quiet_hours_span_midnight(self) -> None:
        quiet = (time(22), time(7))
        self.assertTrue(in_quiet_hours(*quiet, datetime(2026, 3, 1, 23, 30)))
        self.assertTrue(in_quiet_hours(*quiet, datetime(2026, 3, 1, 6, 59)))
        self.assertFalse(in_quiet_hours(*quiet, datetime(2026, 3, 1, 7, 0)))
        self.assertFalse(in_quiet_hours(None, None, datetime(2026, 3, 1, 3, 0)))

    def test_the_end_of_quiet_hours_is_local_across_a_spring_forward_night(self) -> None:
        # Europe/Paris jumps from 02:00 to 03:00 on 29 March 2026.
        now = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # 00:00 in Paris (CET, UTC+1)
        end = quiet_hours_end(time(22), time(7), "Europe/Paris", now)
        self.assertEqual(end, datetime(2026, 3, 29, 5, 0, tzinfo=UTC))  # 07:00 CEST, UTC+2

    def test_a_quiet_end_inside_the_dst_gap_resolves_just_after_it(self) -> None:
        now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in Paris, quiet until 02:30
        end = quiet_hours_end(time(23), time(2, 30), "Europe/Paris", now)
        self.assertEqual(
            end, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        )  # 03:30 CEST: after the jump

    def test_the_end_of_quiet_hours_across_a_fall_back_night(self) -> None:
        # America/New_York falls back from 02:00 EDT to 01:00 EST on 1 November 2026.
        now = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)  # 23:00 EDT on 31 October
        end = quiet_hours_end(time(22), time(7), "America/New_York", now)
        self.assertEqual(end, datetime(2026, 11, 1, 12, 0, tzinfo=UTC))  # 07:00 EST, UTC-5


class ImmediateEmailTests(PersonaTestCase):
    def reply_to_alice(self, **overrides: object) -> int:
        arguments: dict[str, object] = {
            "kind": NotificationKind.REPLY,
            "recipients": [self.alice],
            "actor": self.bob,
            "actor_label": "Bob <b>Sato</b>",
            "place": "Week 2 · What listening changed",
            "url": "/cohorts/thread/",
        }
        arguments.update(overrides)
        with self.captureOnCommitCallbacks(execute=True):
            return notify(**arguments)  # type: ignore[arg-type]

    def test_a_reply_arrives_at_once_with_unsubscribe_headers_and_no_post_text(self) -> None:
        with smtp_server() as inbox:
            self.reply_to_alice()
        self.assertEqual(len(inbox.messages), 1)
        message = parse(inbox.messages[0])
        self.assertEqual(message["To"], "alice@northwind.example")
        self.assertEqual(
            message["Subject"], "Bob <b>Sato</b> replied to you in Week 2 · What listening changed"
        )
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        unsubscribe = message["List-Unsubscribe"].strip("<>")
        self.assertTrue(unsubscribe.startswith("http://127.0.0.1:8000/notifications/unsubscribe/"))
        text, html = parts(message)
        self.assertIn("http://127.0.0.1:8000/cohorts/thread/", text)
        self.assertIn(unsubscribe, text)
        self.assertIn("Bob &lt;b&gt;Sato&lt;/b&gt;", html)
        self.assertNotIn("<b>Sato", html)
        self.assertIsNotNone(Notification.objects.get().emailed_at)

        # The header's link works without sign-in and without a CSRF token (RFC 8058).
        client = self.client_class(enforce_csrf_checks=True)
        path = urlsplit(unsubscribe).path
        confirm = client.get(path)
        self.assertContains(confirm, "Stop these emails?")
        self.assertFalse(EmailPreference.objects.exists())  # a GET changes nothing
        done = client.post(path, {"List-Unsubscribe": "One-Click"})
        self.assertContains(done, "no more emails for this")
        self.assertEqual(EmailPreference.objects.get(user=self.alice, kind="reply").email, "never")
        with smtp_server() as inbox:
            self.reply_to_alice()
        self.assertEqual(inbox.messages, [])
        self.assertEqual(Notification.objects.count(), 2)  # in-app continues

    def test_a_tampered_or_made_up_unsubscribe_token_is_a_400_page(self) -> None:
        with smtp_server() as inbox:
            self.reply_to_alice()
        path = urlsplit(parse(inbox.messages[0])["List-Unsubscribe"].strip("<>")).path
        for bad in (
            path[:-3],
            path + "x",
            "/notifications/unsubscribe/%00",
            "/notifications/unsubscribe/a:b:c",
        ):
            for method in ("get", "post"):
                response = getattr(self.client, method)(bad)
                self.assertContains(
                    response, "This unsubscribe link does not work", status_code=400
                )
        self.assertFalse(EmailPreference.objects.exists())

    def test_nothing_is_emailed_for_digest_or_never_kinds_or_to_the_actor(self) -> None:
        set_email_preferences(self.alice, choices={"reply": EmailChoice.DAILY})
        with smtp_server() as inbox:
            self.reply_to_alice(recipients=[self.alice, self.bob])
            self.reply_to_alice(kind="reaction", recipients=[self.carol])  # weekly by default
        self.assertEqual(inbox.messages, [])

    @override_settings(TASKS=DUMMY_TASKS)
    def test_inside_quiet_hours_the_email_waits_for_their_end_in_local_time(self) -> None:
        set_quiet_hours(self.bob, start=time(22), end=time(7))  # bob lives in Tokyo (UTC+9)
        now = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo
        with patch("django.utils.timezone.now", return_value=now):
            notify(
                kind="mention",
                recipients=[self.bob],
                actor=self.alice,
                actor_label="Alice",
                place="Community space",
                url="/",
            )
            notification = Notification.objects.get()
            queue_immediate_emails([notification.pk], now=now)
        queued = send_immediate_emails.get_backend().results  # type: ignore[attr-defined]
        self.assertEqual(len(queued), 1)
        self.assertEqual(
            queued[0].task.run_after, datetime(2026, 5, 31, 22, 0, tzinfo=UTC) + timedelta(days=1)
        )

    def test_a_task_run_inside_quiet_hours_sends_nothing_and_the_sweep_sends_it_later(self) -> None:
        set_quiet_hours(self.alice, start=time(0), end=time(23, 59))
        with smtp_server() as inbox:
            self.reply_to_alice()
        self.assertEqual(inbox.messages, [])
        later = datetime.now(UTC) + timedelta(minutes=11)
        self.assertEqual(sweep_immediate_emails(now=later), 0)  # still quiet: nothing more queued
        set_quiet_hours(self.alice, start=None, end=None)
        with smtp_server() as inbox:
            sweep_immediate_emails(now=later)
            sweep_immediate_emails(now=later)  # a second sweep sends nothing more
        self.assertEqual(len(inbox.messages), 1)

    def test_a_notification_read_in_the_app_first_is_not_emailed(self) -> None:
        set_quiet_hours(self.alice, start=time(0), end=time(23, 59))
        self.reply_to_alice()
        Notification.objects.update(read_at=datetime.now(UTC))
        set_quiet_hours(self.alice, start=None, end=None)
        with smtp_server() as inbox:
            send_immediate_emails.call(
                notification_ids=list(Notification.objects.values_list("pk", flat=True))
            )
        self.assertEqual(inbox.messages, [])


def at(moment: datetime) -> Any:
    """Run as if the clock showed `moment` (UTC)."""
    return patch("django.utils.timezone.now", return_value=moment)


class DigestTests(PersonaTestCase):
    def setUp(self) -> None:
        # alice and carol live in London (GMT in December, BST in June: both tested below).
        self.morning = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 08:00 in London
        for person in (self.alice, self.carol):
            set_email_preferences(person, choices={"reply": EmailChoice.DAILY})
        with at(self.morning - timedelta(hours=12)):
            for n in range(3):
                notify(
                    kind="reply",
                    recipients=[self.alice, self.carol],
                    actor=self.bob,
                    actor_label="Bob",
                    place=f"Week {n + 1}",
                    url=f"/cohorts/{n}/",
                )

    def plan(self, moment: datetime) -> dict[str, int]:
        with at(moment), self.captureOnCommitCallbacks(execute=True):
            return plan_digests()

    def test_one_digest_per_person_with_every_pending_notification_and_no_post_text(self) -> None:
        with smtp_server() as inbox:
            counts = self.plan(self.morning)
        self.assertEqual(counts["planned"], 2)
        self.assertEqual(len(inbox.messages), 2)
        message = parse(sorted(inbox.messages)[0])
        self.assertIn("Your daily digest: 3 notifications", message["Subject"])
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        text, _ = parts(message)
        for n in range(3):
            self.assertIn(f"Bob replied to you in Week {n + 1}", text)
            self.assertIn(f"http://127.0.0.1:8000/cohorts/{n}/", text)
        self.assertFalse(Notification.objects.filter(digest__isnull=True).exists())
        self.assertFalse(DigestDelivery.objects.filter(sent_at__isnull=True).exists())

        # The digest's unsubscribe link stops every kind in the daily digest.
        path = urlsplit(message["List-Unsubscribe"].strip("<>")).path
        self.client_class(enforce_csrf_checks=True).post(path)
        recipient = message["To"].split("@")[0]
        person = self.alice if recipient == "alice" else self.carol
        self.assertEqual(
            set(EmailPreference.objects.filter(user=person).values_list("kind", "email")),
            {("reply", "never"), ("circle", "never")},
        )

    def test_planning_again_the_same_day_sends_nobody_a_second_digest(self) -> None:
        with smtp_server() as inbox:
            self.plan(self.morning)
            self.plan(self.morning + timedelta(hours=2))
        self.assertEqual(len(inbox.messages), 2)

    def test_no_digest_before_the_digest_hour_or_inside_quiet_hours(self) -> None:
        set_quiet_hours(self.carol, start=time(8), end=time(10))
        self.assertEqual(self.plan(self.morning - timedelta(hours=1))["planned"], 0)
        self.assertEqual(self.plan(self.morning)["planned"], 1)  # alice only
        self.assertEqual(self.plan(self.morning + timedelta(hours=1))["planned"], 0)
        self.assertEqual(self.plan(self.morning + timedelta(hours=2))["planned"], 1)  # carol

    def test_the_digest_hour_is_local_in_summer_time_too(self) -> None:
        june = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)  # 08:00 BST in London
        Notification.objects.update(created_at=june - timedelta(hours=3))
        self.assertEqual(self.plan(june - timedelta(minutes=1))["planned"], 0)
        self.assertEqual(self.plan(june)["planned"], 2)

    def test_a_weekly_digest_goes_from_monday_at_the_digest_hour_once_that_week(self) -> None:
        Notification.objects.update(
            email=EmailChoice.WEEKLY, created_at=datetime(2026, 11, 29, tzinfo=UTC)
        )
        monday = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 08:00 in London
        self.assertEqual(self.plan(monday - timedelta(minutes=1))["planned"], 0)
        self.assertEqual(self.plan(monday)["planned"], 2)
        self.assertEqual(self.plan(monday + timedelta(days=2))["planned"], 0)
        self.assertEqual(
            set(DigestDelivery.objects.values_list("period", flat=True)), {"weekly:2026-W49"}
        )

    @override_settings(TASKS=DUMMY_TASKS, RAPPORT_DIGEST_LEASE_SECONDS=60)
    def test_a_digest_whose_worker_died_is_sent_once_after_the_lease(self) -> None:
        self.plan(self.morning)  # queued, never run: the worker died
        self.assertEqual(DigestDelivery.objects.unsent().count(), 2)
        # A worker claimed alice's and died before sending.
        DigestDelivery.objects.filter(recipient=self.alice).update(claimed_at=self.morning)
        immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
        with smtp_server() as inbox, override_settings(TASKS=immediate):
            self.assertEqual(self.plan(self.morning + timedelta(seconds=30))["requeued"], 0)
            self.assertEqual(self.plan(self.morning + timedelta(seconds=90))["requeued"], 2)
            self.assertEqual(self.plan(self.morning + timedelta(seconds=200))["requeued"], 0)
            with at(self.morning + timedelta(hours=1)):
                send_digests.call(
                    delivery_ids=list(DigestDelivery.objects.values_list("pk", flat=True))
                )
        recipients = sorted(parse(m)["To"] for m in inbox.messages)
        self.assertEqual(recipients, ["alice@northwind.example", "carol@northwind.example"])
