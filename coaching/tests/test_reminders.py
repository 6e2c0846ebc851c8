"""Reminders a day before a session: both people, once, however often the periodic job runs;
a moved session is reminded again for its new time; the notification quotes no typed text."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command

from coaching import actions
from coaching.models import GroupSession
from coaching.tasks import REMINDER_BEFORE, send_reminders
from coaching.tests.base import CoachingTestCase
from coaching.tests.test_group_sessions import GroupSessionTestCase
from notifications.models import Notification, NotificationKind


class ReminderTests(CoachingTestCase):
    def test_both_people_are_reminded_exactly_once(self) -> None:
        booking = self.book(self.alice)
        early = booking.starts_at - REMINDER_BEFORE - timedelta(minutes=1)
        self.assertEqual(send_reminders(now=early), 0)
        due = booking.starts_at - REMINDER_BEFORE + timedelta(minutes=1)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_reminders(now=due), 1)
        self.assertEqual(send_reminders(now=due), 0)
        self.assertEqual(send_reminders(now=due + timedelta(minutes=5)), 0)
        reminders = Notification.objects.filter(kind=NotificationKind.SESSION)
        self.assertEqual(
            sorted(n.recipient.email for n in reminders),
            ["alice@northwind.example", "carol@northwind.example"],
        )
        for notification in reminders:
            self.assertEqual(notification.url, "/sessions/")
            self.assertEqual(notification.target_id, booking.public_id)
            self.assertIn("Your coaching session", notification.headline)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted(["alice@northwind.example", "carol@northwind.example"]),
        )

    def test_a_cancelled_session_is_not_reminded(self) -> None:
        from coaching.actions import cancel_session

        booking = self.book(self.alice)
        cancel_session(booking, by=self.alice, now=booking.starts_at - timedelta(days=2))
        self.assertEqual(send_reminders(now=booking.starts_at - timedelta(hours=1)), 0)

    def test_run_periodic_sends_them(self) -> None:
        booking = self.book(self.alice)
        out = StringIO()
        call_command("run_periodic", stdout=out)
        expected = 1 if booking.starts_at - REMINDER_BEFORE <= booking.created_at else 0
        self.assertIn(f"session reminders {expected}", out.getvalue())


class CircleSessionReminderTests(GroupSessionTestCase):
    def test_the_coach_and_every_member_are_reminded_once_and_again_after_a_move(self) -> None:
        session = self.schedule_now(days=3)
        due = session.starts_at - REMINDER_BEFORE + timedelta(minutes=1)
        self.assertEqual(send_reminders(now=session.starts_at - REMINDER_BEFORE * 2), 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_reminders(now=due), 1)
        self.assertEqual(send_reminders(now=due), 0)  # claimed: nobody twice
        reminders = Notification.objects.filter(kind=NotificationKind.SESSION)
        self.assertEqual(
            sorted(n.recipient.email for n in reminders),
            ["alice@northwind.example", "bob@northwind.example", "carol@northwind.example"],
        )
        for notification in reminders:
            self.assertEqual(notification.target_id, session.public_id)
            self.assertIn(self.circle_a.name, notification.headline)
        # Moved a day later: reminded again for the new time; a cancelled one never.
        later = session.starts_at + timedelta(days=1)
        actions.change_group_session(
            session,
            by=self.carol,
            starts_at=later,
            ends_at=later + timedelta(minutes=60),
            video_url="",
            now=due,
        )
        self.assertEqual(send_reminders(now=later - REMINDER_BEFORE + timedelta(minutes=1)), 1)
        actions.cancel_group_session(session, by=self.carol, now=due)
        GroupSession.objects.filter(pk=session.pk).update(reminded_at=None)
        self.assertEqual(send_reminders(now=later - REMINDER_BEFORE + timedelta(minutes=2)), 0)
