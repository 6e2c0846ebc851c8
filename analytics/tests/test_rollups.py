"""The learner-week rollup: what it counts, that a refresh is incremental and idempotent, and
that a refresh killed midway loses nothing and counts nothing twice."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from django.db import DatabaseError
from django.test import TestCase

from analytics import rollups
from analytics.models import LearnerWeek, RollupMark
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from events.actions import new_event, record_events
from events.models import Event, ObjectType, Verb
from programs.models import ActivityKind
from rapport.policy import Role
from rapport.testing import make_cohort, make_org, make_program, make_user


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class RollupTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org()
        cls.program = make_program(cls.org, weeks=2, per_week=7)  # every kind each week
        cls.start = date(2026, 9, 7)
        cls.cohort = make_cohort(cls.program, start=cls.start)
        cls.ana = make_user(cls.org, "ana@northwind.example")
        cls.ben = make_user(cls.org, "ben@northwind.example")
        cls.coach = make_user(cls.org, "coach@northwind.example", role=Role.COACH)
        enroll(cls.ana, cohort=cls.cohort)
        enroll(cls.ben, cohort=cls.cohort)
        enroll(cls.coach, cohort=cls.cohort, role=EnrollmentRole.COACH)
        cls.activities = {a.kind: a for a in cls.program.weeks.get(number=1).activities.all()}

    def event(self, user, verb, day, kind=ActivityKind.VIDEO, object_type=ObjectType.ACTIVITY):
        event = new_event(
            user,
            verb=verb,
            object_type=object_type,
            object_id=self.activities[kind].public_id
            if object_type == ObjectType.ACTIVITY
            else self.cohort.public_id,
            cohort=self.cohort,
        )
        event.timestamp = at(day)
        return event

    def rows(self) -> dict[tuple[str, int], dict[str, int]]:
        return {
            (row.learner.email, row.week): {c: getattr(row, c) for c in rollups.COUNTERS}
            for row in LearnerWeek.objects.select_related("learner")
        }

    def test_it_counts_each_learners_week_by_kind_and_skips_coaches(self) -> None:
        week1, week2 = self.start + timedelta(days=2), self.start + timedelta(days=9)
        record_events(
            [
                self.event(self.ana, Verb.PLAYED, week1),
                self.event(self.ana, Verb.VIEWED, week1, ActivityKind.ARTICLE),
                self.event(self.ana, Verb.LAUNCHED, week1, ActivityKind.ELEARNING),
                self.event(self.ana, Verb.COMPLETED, week1, ActivityKind.AUDIO),
                self.event(self.ana, Verb.COMMENTED, week2, object_type=ObjectType.COHORT),
                self.event(self.ben, Verb.COMPLETED, week2),
                self.event(self.ben, Verb.UNCOMPLETED, week2),
                self.event(self.coach, Verb.VIEWED, week1),
                self.event(self.ana, Verb.VIEWED, self.start - timedelta(days=1)),
            ]
        )
        report = rollups.refresh(settle=timedelta(0))
        self.assertEqual(report.events, Event.objects.count())
        rows = self.rows()
        self.assertEqual(
            rows["ana@northwind.example", 1],
            {
                "events": 4,
                "completions": 1,
                "video": 1,
                "audio": 1,
                "article": 1,
                "elearning": 1,
                "posts": 0,
            },
        )
        self.assertEqual(rows["ana@northwind.example", 2]["posts"], 1)
        self.assertEqual(rows["ana@northwind.example", 0]["events"], 1)  # before the start
        self.assertEqual(rows["ben@northwind.example", 2]["completions"], 0)  # done, then undone
        self.assertNotIn("coach@northwind.example", {email for email, _w in rows})

    def test_a_second_refresh_adds_only_new_events(self) -> None:
        day = self.start + timedelta(days=1)
        record_events([self.event(self.ana, Verb.PLAYED, day)])
        rollups.refresh(settle=timedelta(0))
        again = rollups.refresh(settle=timedelta(0))
        self.assertEqual((again.events, again.rows), (0, 0))
        record_events([self.event(self.ana, Verb.PLAYED, day)])
        rollups.refresh(settle=timedelta(0))
        self.assertEqual(self.rows()["ana@northwind.example", 1]["video"], 2)
        self.assertEqual(
            RollupMark.objects.get().last_event_id, Event.objects.order_by("-id").first().id
        )

    def test_the_newest_events_wait_for_the_next_run(self) -> None:
        record_events([self.event(self.ana, Verb.PLAYED, self.start)])
        fresh = self.event(self.ben, Verb.PLAYED, self.start)
        fresh.timestamp = datetime(2030, 1, 1, tzinfo=UTC)
        record_events([fresh])
        rollups.refresh(now=datetime(2030, 1, 1, 0, 0, 10, tzinfo=UTC))
        self.assertNotIn(("ben@northwind.example", 169), self.rows())
        self.assertIn(("ana@northwind.example", 1), self.rows())
        rollups.refresh(now=datetime(2030, 1, 2, tzinfo=UTC))
        self.assertEqual(len(self.rows()), 2)

    def test_a_refresh_killed_midway_loses_nothing_and_counts_nothing_twice(self) -> None:
        days = [self.start + timedelta(days=n) for n in range(14)]
        record_events(
            [self.event(user, Verb.PLAYED, day) for day in days for user in (self.ana, self.ben)]
        )
        real_upsert = rollups._upsert
        calls = Counter[str]()

        def dies_on_the_third_batch(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 3:
                raise DatabaseError("the worker was killed")
            return real_upsert(*args, **kwargs)

        with (
            mock.patch.object(rollups, "_upsert", dies_on_the_third_batch),
            self.assertRaises(DatabaseError),
        ):
            rollups.refresh(batch_size=5, settle=timedelta(0))
        # Two batches of five committed; the third rolled back with its mark.
        self.assertEqual(RollupMark.objects.get().last_event_id, Event.objects.order_by("id")[9].id)
        first_ten = Event.objects.order_by("id")[:10]
        played = sum(1 for e in first_ten if e.verb == Verb.PLAYED)  # the rest: enrolments
        self.assertEqual(sum(r["video"] for r in self.rows().values()), played)
        rollups.refresh(batch_size=5, settle=timedelta(0))
        totals = self.rows()
        self.assertEqual(sum(r["video"] for r in totals.values()), 28)
        self.assertEqual(totals["ana@northwind.example", 1]["video"], 7)
        self.assertEqual(totals["ben@northwind.example", 2]["video"], 7)
