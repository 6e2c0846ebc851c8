"""What opening an activity records: `viewed` once per activity per learner per day (the
learner's own day), so reading a page again writes nothing, while the learning record still
shows every day the learner came back (cohorts.actions.record_visit)."""

from datetime import UTC, date, datetime
from unittest import mock

from django.urls import reverse

from cohorts.actions import record_visit
from cohorts.models import ActivityProgress, Enrollment
from cohorts.personal_data import export_cohorts
from events.models import Event, Verb
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase


def at(instant: datetime) -> mock._patch:  # type: ignore[type-arg]
    return mock.patch("django.utils.timezone.now", return_value=instant)


class OncePerDayTests(PersonaTestCase):
    def setUp(self) -> None:
        self.activity = self.first_activity(ActivityKind.ARTICLE)
        self.url = reverse(
            "cohorts:activity", args=[self.cohort_a.public_id, self.activity.public_id]
        )

    def views(self, person) -> list[Event]:  # type: ignore[no-untyped-def]
        return list(
            Event.objects.filter(actor=person, verb=Verb.VIEWED, object_id=self.activity.public_id)
        )

    def unviewed_progress(self) -> Enrollment:
        """Alice's progress row on the activity, made as another action makes it (no view
        recorded yet); returns her enrollment."""
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        ActivityProgress.objects.create(enrollment=enrollment, activity=self.activity)
        return enrollment

    def test_a_second_view_the_same_day_records_nothing_and_writes_nothing(self) -> None:
        self.client.force_login(self.alice)
        with at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
            self.client.get(self.url)
            # 1 user with membership, 2 enrollment, 3 the progress row, already viewed today.
            with self.assertNumQueries(3):
                response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.views(self.alice)), 1)
        progress = ActivityProgress.objects.get(enrollment__user=self.alice, activity=self.activity)
        self.assertEqual(progress.viewed_on, date(2026, 11, 30))
        self.assertEqual(progress.state, "started")
        # The day is the learner's own data: it is in their export.
        (seat,) = [s for s in export_cohorts(self.alice) if s["cohort"] == self.cohort_a.name]
        self.assertEqual([row["last_viewed_on"] for row in seat["progress"]], ["2026-11-30"])

    def test_coming_back_the_next_day_records_a_second_view(self) -> None:
        self.client.force_login(self.alice)
        with at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
            self.client.get(self.url)
        with at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
            self.client.get(self.url)
            self.client.get(self.url)
        stamps = sorted(event.timestamp.date() for event in self.views(self.alice))
        self.assertEqual(stamps, [date(2026, 11, 30), date(2026, 12, 1)])

    def test_the_day_is_the_learners_own(self) -> None:
        # Bob is in Tokyo (UTC+9): 14:00 and 16:00 UTC fall on two of his days; 10:00 and 13:00
        # UTC on one. Alice in London (UTC+0 in winter) has all four on one day.
        self.client.force_login(self.bob)
        for hour in (10, 13, 14, 16):
            with at(datetime(2026, 11, 30, hour, 0, tzinfo=UTC)):
                self.client.get(self.url)
        self.assertEqual(len(self.views(self.bob)), 2)
        self.client.force_login(self.alice)
        for hour in (10, 13, 14, 16):
            with at(datetime(2026, 11, 30, hour, 0, tzinfo=UTC)):
                self.client.get(self.url)
        self.assertEqual(len(self.views(self.alice)), 1)

    def test_a_view_of_a_row_made_by_another_action_is_recorded_once(self) -> None:
        # Progress made by saving a media position has never been viewed: the first view of
        # the day is recorded, the second is not.
        enrollment = self.unviewed_progress()
        with at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
            record_visit(enrollment, activity=self.activity)
            record_visit(enrollment, activity=self.activity)
        self.assertEqual(len(self.views(self.alice)), 1)

    def test_a_view_that_lost_the_race_records_nothing(self) -> None:
        # Two first views at once: both read the row before either wrote. The conditional
        # UPDATE lets one through; the other's read is stale and it records nothing.
        enrollment = self.unviewed_progress()
        with at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
            record_visit(enrollment, activity=self.activity)
            stale = ActivityProgress.objects.get(enrollment=enrollment, activity=self.activity)
            stale.viewed_on = None  # as read before the other view's UPDATE
            with mock.patch("cohorts.actions.next", return_value=stale, create=True):
                record_visit(enrollment, activity=self.activity)
        self.assertEqual(len(self.views(self.alice)), 1)

    def test_launching_and_downloading_are_recorded_every_time(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        with at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
            for _ in range(2):
                record_visit(enrollment, activity=self.activity, verb=Verb.LAUNCHED)
        launched = Event.objects.filter(actor=self.alice, verb=Verb.LAUNCHED)
        self.assertEqual(launched.count(), 2)
        self.assertEqual(len(self.views(self.alice)), 0)
