"""A live session's time belongs to the cohort (fault case live-session-per-cohort.md): each
cohort's session defaults to the activity's day and time in that cohort's own week, can be moved
for the cohort in the studio but not out of its week, and its .ics keeps one UID while its
SEQUENCE grows when the time changes."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest.mock import patch

import icalendar
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.actions import enroll, ensure_session, ensure_sessions
from cohorts.models import Cohort, CohortSession
from programs.models import Activity, ActivityKind, Week
from rapport.studio_testing import StudioTestCase
from rapport.testing import PersonaTestCase, make_activity, make_user

# The demo of the fault case: a programme whose week 4 holds "Practice lab", Thursday 14:00 UTC
# of the first cohort's week (26 Nov 2026); Cohort 3 starts on Monday 30 Nov 2026.
FIRST_START = date(2026, 11, 2)
COHORT_3_START = date(2026, 11, 30)
VIEWED_ON = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # before Cohort 3 has begun


def parse_invite(content: bytes) -> Any:
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


class LiveSessionTestCase(PersonaTestCase):
    lab: Activity
    first: Cohort
    cohort_3: Cohort

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for number in (3, 4):
            Week.objects.create(program=cls.program, number=number, title=f"Week {number}")
        week_4 = Week.objects.get(program=cls.program, number=4)
        cls.lab = make_activity(week_4, kind=ActivityKind.LIVE_SESSION)
        cls.lab.title = "Practice lab: the difficult-conversation planner"
        cls.lab.session_day, cls.lab.session_time = 4, time(14)  # Thursday of a Monday start
        cls.lab.save()
        cls.first = Cohort.objects.create(
            program=cls.program, name="Cohort 1", start_date=FIRST_START
        )
        cls.cohort_3 = Cohort.objects.create(
            program=cls.program, name="Cohort 3", start_date=COHORT_3_START
        )
        cls.cleo = make_user(cls.org, "cleo@northwind.example", time_zone="Europe/London")
        enroll(cls.cleo, cohort=cls.cohort_3)

    def page_url(self, cohort: Cohort, name: str = "activity") -> str:
        return reverse(f"cohorts:{name}", args=[cohort.public_id, self.lab.public_id])


class EachCohortItsOwnWeekTests(LiveSessionTestCase):
    def test_cohort_3_sees_its_week_4_session_inside_21_to_27_december(self) -> None:
        self.client.force_login(self.cleo)
        with patch("django.utils.timezone.now", return_value=VIEWED_ON):
            response = self.client.get(self.page_url(self.cohort_3))
        self.assertContains(response, "Thursday 24 December 2026")
        self.assertNotContains(response, "26 November")
        self.assertNotContains(response, "has taken place")
        self.assertContains(response, "Add to calendar")

    def test_the_first_cohort_keeps_its_own_date(self) -> None:
        session = ensure_session(self.first, self.lab)
        self.assertEqual(session.starts_at, datetime(2026, 11, 26, 14, tzinfo=UTC))
        self.assertEqual(
            ensure_session(self.cohort_3, self.lab).starts_at,
            datetime(2026, 12, 24, 14, tzinfo=UTC),
        )

    def test_the_default_is_local_time_in_its_zone_across_a_clock_change(self) -> None:
        self.lab.session_time_zone = "Europe/London"
        self.lab.session_time = time(10)
        self.lab.save()
        summer = Cohort.objects.create(
            program=self.program, name="Summer", start_date=date(2027, 6, 7)
        )
        winter = Cohort.objects.create(
            program=self.program, name="Winter", start_date=date(2027, 11, 1)
        )
        # 10:00 in London is 09:00 UTC in summer time and 10:00 UTC in winter.
        self.assertEqual(ensure_session(summer, self.lab).starts_at.astimezone(UTC).hour, 9)
        self.assertEqual(ensure_session(winter, self.lab).starts_at.astimezone(UTC).hour, 10)

    def test_other_kinds_have_no_session_and_no_invite(self) -> None:
        article = self.first_activity(ActivityKind.ARTICLE)
        self.assertIsNone(ensure_session(self.cohort_a, article))
        self.client.force_login(self.alice)
        url = reverse("cohorts:activity_invite", args=[self.cohort_a.public_id, article.public_id])
        self.assertEqual(self.client.get(url).status_code, 404)


class InviteTests(LiveSessionTestCase):
    def invite(self) -> Any:
        self.client.force_login(self.cleo)
        response = self.client.get(self.page_url(self.cohort_3, "activity_invite"))
        self.assertEqual(response.status_code, 200)
        return parse_invite(response.content)

    def test_the_invite_is_the_cohorts_session(self) -> None:
        event = self.invite()
        self.assertEqual(event.decoded("dtstart"), datetime(2026, 12, 24, 14, tzinfo=UTC))
        self.assertEqual(event.decoded("dtend"), datetime(2026, 12, 24, 15, tzinfo=UTC))
        self.assertIn("DTSTAMP", event)
        self.assertEqual(int(event["sequence"]), 0)

    def test_moving_the_time_keeps_the_uid_and_raises_the_sequence(self) -> None:
        before = self.invite()
        session = CohortSession.objects.get(cohort=self.cohort_3, activity=self.lab)
        session.starts_at += timedelta(hours=2)
        session.save()
        after = self.invite()
        self.assertEqual(str(after["uid"]), str(before["uid"]))
        self.assertGreater(int(after["sequence"]), int(before["sequence"]))
        self.assertEqual(after.decoded("dtstart"), datetime(2026, 12, 24, 16, tzinfo=UTC))

    def test_each_cohort_has_its_own_uid(self) -> None:
        mine = self.invite()
        enroll(self.cleo, cohort=self.first)
        response = self.client.get(self.page_url(self.first, "activity_invite"))
        self.assertNotEqual(str(parse_invite(response.content)["uid"]), str(mine["uid"]))

    def test_saving_without_a_change_keeps_the_sequence(self) -> None:
        session = ensure_session(self.cohort_3, self.lab)
        session.save()
        session.refresh_from_db()
        self.assertEqual(session.sequence, 0)


class DefaultsAndMovesTests(LiveSessionTestCase):
    def test_changing_the_default_moves_the_sessions_that_follow_it(self) -> None:
        following = ensure_session(self.cohort_3, self.lab)
        moved = ensure_session(self.first, self.lab)
        moved.starts_at = datetime(2026, 11, 27, 9, tzinfo=UTC)
        moved.follows_default = False
        moved.save()
        self.lab.session_time = time(16)
        self.lab.save()
        following.refresh_from_db()
        moved.refresh_from_db()
        self.assertEqual(following.starts_at, datetime(2026, 12, 24, 16, tzinfo=UTC))
        self.assertEqual(following.sequence, 1)
        self.assertEqual(moved.starts_at, datetime(2026, 11, 27, 9, tzinfo=UTC))

    def test_moving_a_cohorts_start_date_moves_its_following_sessions(self) -> None:
        session = ensure_session(self.cohort_3, self.lab)
        self.cohort_3.start_date += timedelta(days=7)
        self.cohort_3.save()
        session.refresh_from_db()
        self.assertEqual(session.starts_at, datetime(2026, 12, 31, 14, tzinfo=UTC))

    def test_a_time_outside_the_cohorts_week_is_refused_with_the_weeks_dates(self) -> None:
        session = ensure_session(self.cohort_3, self.lab)
        session.starts_at = datetime(2026, 11, 26, 14, tzinfo=UTC)
        with self.assertRaises(ValidationError) as caught:
            session.full_clean()
        message = caught.exception.message_dict["starts_at"][0]
        self.assertIn("Week 4 of Cohort 3 runs from Monday 21 December 2026 to Sunday 27", message)
        self.assertIn("Thursday 26 November 2026", message)


class StudioInlineTests(LiveSessionTestCase, StudioTestCase):
    def change_url(self) -> str:
        return reverse("studio:cohorts_cohort_change", args=[self.cohort_3.pk])

    def post(self, starts_at: datetime) -> Any:
        """dora moves Cohort 3's lab to `starts_at` on the cohort's page (she is in London, where
        December is UTC+0, so the typed time is the UTC one)."""
        self.client.force_login(self.dora)
        typed = (starts_at.date().isoformat(), starts_at.time().isoformat())
        return self.client.post(
            self.change_url(), self.cohort_post(self.cohort_3, {self.lab.pk: typed})
        )

    def test_the_cohort_page_lists_its_sessions_and_a_designer_moves_one(self) -> None:
        response = self.post(datetime(2026, 12, 22, 17, tzinfo=UTC))
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        session = CohortSession.objects.get(cohort=self.cohort_3, activity=self.lab)
        self.assertEqual(session.starts_at, datetime(2026, 12, 22, 17, tzinfo=UTC))
        self.assertFalse(session.follows_default)
        self.assertEqual(session.sequence, 1)

    def test_moving_it_out_of_the_week_is_a_clear_error_and_changes_nothing(self) -> None:
        response = self.post(datetime(2026, 11, 26, 14, tzinfo=UTC))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a time inside that week")
        session = CohortSession.objects.get(cohort=self.cohort_3, activity=self.lab)
        self.assertEqual(session.starts_at, datetime(2026, 12, 24, 14, tzinfo=UTC))

    def test_a_new_cohort_gets_its_sessions(self) -> None:
        ensure_sessions(self.cohort_3)
        self.assertEqual(
            set(
                CohortSession.objects.filter(cohort=self.cohort_3).values_list(
                    "activity__kind", flat=True
                )
            ),
            {ActivityKind.LIVE_SESSION},
        )
