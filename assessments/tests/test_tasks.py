"""Rounds are scheduled from each cohort's dates and follow it until they open; everyone with
something to answer hears once when a round opens and once more, if they have not answered,
before it closes — the same peers in every round."""

import itertools
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from assessments.models import AssessmentRound, RoundKind
from assessments.tasks import round_dates, schedule_rounds, send_round_notices
from assessments.tests.base import AssessmentTestCase
from notifications.models import Notification, NotificationKind


class RoundDatesTests(AssessmentTestCase):
    def test_the_three_rounds_follow_the_programme(self) -> None:
        start = date(2027, 3, 1)  # a Monday; a 7-week programme
        baseline, end, later = round_dates(start, 7)
        self.assertEqual(
            (baseline.opens_on, baseline.closes_on), (date(2027, 2, 22), date(2027, 3, 7))
        )
        self.assertEqual((end.opens_on, end.closes_on), (date(2027, 4, 12), date(2027, 5, 2)))
        self.assertEqual(later.opens_on, date(2028, 4, 11))
        self.assertEqual(later.closes_on - later.opens_on, timedelta(days=20))

    def test_rounds_of_a_short_programme_never_overlap(self) -> None:
        for weeks in (1, 2, 3):
            rounds = round_dates(date(2027, 3, 1), weeks)
            for first, second in itertools.pairwise(rounds):
                self.assertLess(first.closes_on, second.opens_on, weeks)
                self.assertLessEqual(first.opens_on, first.closes_on)

    def test_each_cohort_gets_its_three_rounds_once(self) -> None:
        self.assertEqual(AssessmentRound.objects.filter(cohort=self.cohort_a).count(), 3)
        self.assertEqual(schedule_rounds(), 0)

    def test_rounds_not_yet_open_follow_a_moved_cohort_and_open_ones_stay(self) -> None:
        baseline = self.round_of(RoundKind.BASELINE)
        later_before = self.round_of(RoundKind.YEAR_LATER)
        self.cohort_a.start_date += timedelta(days=28)
        self.cohort_a.save()
        schedule_rounds()
        baseline.refresh_from_db()
        later = self.round_of(RoundKind.YEAR_LATER)
        self.assertEqual(later.opens_on, later_before.opens_on + timedelta(days=28))
        self.assertEqual(
            (baseline.opens_on, baseline.closes_on),
            (
                self.round_of(RoundKind.BASELINE).opens_on,
                self.round_of(RoundKind.BASELINE).closes_on,
            ),
        )
        # Cohort A started eight days ago: its baseline had opened, so it kept its dates.
        self.assertLessEqual(baseline.opens_on, timezone.localdate())


class NoticeTests(AssessmentTestCase):
    def test_everyone_to_ask_hears_once_when_a_round_opens(self) -> None:
        self.invite(self.alice, self.bob, self.fay)
        Notification.objects.all().delete()
        self.open_round(RoundKind.BASELINE)
        AssessmentRound.objects.exclude(cohort=self.cohort_a).update(
            opens_on=date(2099, 1, 1), closes_on=date(2099, 2, 1)
        )
        # Keep the reminder out of this test: the round closes in more than three days.
        sent = send_round_notices()
        told = set(
            Notification.objects.filter(kind=NotificationKind.ASSESSMENT).values_list(
                "recipient__email", flat=True
            )
        )
        self.assertEqual(
            told,
            {f"{n}@northwind.example" for n in ("alice", "bob", "fay", "gina", "hugo", "carol")},
        )
        self.assertEqual(sent, 6)
        self.assertEqual(send_round_notices(), 0)
        for notification in Notification.objects.filter(kind=NotificationKind.ASSESSMENT):
            self.assertIsNone(notification.actor_id)
            self.assertEqual(notification.url, "/assessments/")
            self.assertIn("Baseline assessment · Cohort A", notification.headline)

    def test_a_reminder_before_closing_reaches_only_those_who_have_not_answered(self) -> None:
        self.invite(self.alice, self.bob)
        round_ = self.open_round(RoundKind.BASELINE)
        AssessmentRound.objects.exclude(cohort=self.cohort_a).update(
            opens_on=date(2099, 1, 1), closes_on=date(2099, 2, 1)
        )
        send_round_notices()
        self.answer(self.alice, self.alice, RoundKind.BASELINE)
        self.answer(self.bob, self.alice, RoundKind.BASELINE)
        self.answer(self.bob, self.bob, RoundKind.BASELINE)
        AssessmentRound.objects.filter(pk=round_.pk).update(
            closes_on=timezone.localdate() + timedelta(days=2)
        )
        Notification.objects.all().delete()
        send_round_notices()
        reminded = set(Notification.objects.values_list("recipient__email", flat=True))
        # bob answered about alice and himself; alice still owes nothing about herself but
        # nobody asked her as a peer; carol owes each learner; fay, gina, hugo themselves.
        self.assertNotIn("bob@northwind.example", reminded)
        self.assertNotIn("alice@northwind.example", reminded)
        self.assertIn("carol@northwind.example", reminded)
        self.assertIn("fay@northwind.example", reminded)
        self.assertEqual(send_round_notices(), 0)

    def test_run_periodic_schedules_and_tells(self) -> None:
        AssessmentRound.objects.all().delete()
        out = StringIO()
        call_command("run_periodic", stdout=out)
        self.assertIn("assessment rounds scheduled", out.getvalue())
        self.assertEqual(AssessmentRound.objects.filter(cohort=self.cohort_a).count(), 3)
