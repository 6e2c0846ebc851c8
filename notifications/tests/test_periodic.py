"""The periodic jobs: new-week notices in each learner's own time zone, once per week, and the
`run_periodic` command that runs them with the digests."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest.mock import patch

from django.core.management import call_command
from django.core.management.base import CommandError

from cohorts.tasks import notify_new_weeks, week_notice_id
from notifications.models import Notification, NotificationKind
from rapport.testing import PersonaTestCase


class NewWeekTests(PersonaTestCase):
    def test_each_learner_hears_of_the_current_week_once(self) -> None:
        created = notify_new_weeks()
        # alice, bob and fay (cohort A, week 2), dave (cohort B) and oscar (his organisation's
        # cohort). Not erin: cohort C's one-week programme is over. Coaches are not told.
        self.assertEqual(created, 5)
        notice = Notification.objects.get(recipient=self.alice)
        self.assertEqual(notice.kind, NotificationKind.NEW_WEEK)
        self.assertEqual(notice.target_id, week_notice_id(self.cohort_a, 2))
        self.assertEqual(notice.url, f"/cohorts/{self.cohort_a.public_id}/weeks/2/")
        self.assertIn("Week 2: Week 2 theme", notice.place)
        self.assertIsNone(notice.actor)
        self.assertFalse(Notification.objects.filter(recipient=self.carol).exists())
        self.assertEqual(notify_new_weeks(), 0)
        self.assertEqual(Notification.objects.count(), 5)

    def test_the_week_starts_at_local_midnight(self) -> None:
        # Cohort A's week 3 starts on start_date + 14 days, local time. Bob is in Tokyo (UTC+9)
        # and alice in London, fay in Nairobi (UTC+3), so at 16:00 UTC the day before only bob
        # has week 3; at 01:00 UTC all three have it.
        start = self.cohort_a.start_date + timedelta(days=14)
        eve = datetime(start.year, start.month, start.day, tzinfo=UTC) - timedelta(hours=8)
        Notification.objects.all().delete()
        self.program.weeks.create(number=3, title="Giving feedback")
        with patch("django.utils.timezone.now", return_value=eve):
            notify_new_weeks()
        third = week_notice_id(self.cohort_a, 3)
        told = Notification.objects.filter(target_id=third).values_list("recipient__email")
        self.assertEqual(set(told), {("bob@northwind.example",)})
        with patch("django.utils.timezone.now", return_value=eve + timedelta(hours=9)):
            notify_new_weeks()
        self.assertEqual(Notification.objects.filter(target_id=third).count(), 3)

    def test_the_database_refuses_a_second_notice_for_the_same_week(self) -> None:
        notify_new_weeks()
        from django.db import IntegrityError, transaction

        row = Notification.objects.get(recipient=self.alice)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Notification.objects.create(
                recipient=self.alice,
                kind=NotificationKind.NEW_WEEK,
                place="x",
                url="/",
                target_id=row.target_id,
                email="never",
            )


class RunPeriodicTests(PersonaTestCase):
    def test_it_runs_every_job_once_and_says_what_it_did(self) -> None:
        out = StringIO()
        call_command("run_periodic", stdout=out)
        self.assertIn("new-week notices 5, digests planned 0", out.getvalue())

    def test_a_too_short_interval_is_refused(self) -> None:
        with self.assertRaises((SystemExit, CommandError)):
            call_command("run_periodic", every=1, stderr=StringIO())
