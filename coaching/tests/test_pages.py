"""My sessions and the coach's pages: what they show, in whose zone, and a fixed number of
queries whatever the number of sessions, blocks or cohorts."""

from datetime import time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.actions import add_day_off
from coaching.tests.base import CoachingTestCase, open_every_day
from cohorts.actions import enroll
from rapport.testing import make_cohort


class MySessionsTests(CoachingTestCase):
    def queries(self, url: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return [q["sql"] for q in captured.captured_queries]

    def test_coaching_and_live_sessions_in_one_list_in_the_persons_zone(self) -> None:
        booking = self.book(self.bob)  # bob is in Asia/Tokyo
        self.client.force_login(self.bob)
        response = self.client.get(reverse("coaching:sessions"))
        tokyo = booking.starts_at.astimezone(timezone.get_fixed_timezone(9 * 60))
        self.assertContains(response, "Coaching session with Carol")
        self.assertContains(response, f"{tokyo:%H:%M}\u2013")
        self.assertContains(response, "(Europe/London)")  # carol's time beside his
        self.assertContains(response, 'data-testid="session-live"')  # cohort A's live sessions
        self.assertContains(response, "https://meet.example.com/carol")
        # Carol sees the same session, in her zone, with bob's time beside hers.
        self.client.force_login(self.carol)
        response = self.client.get(reverse("coaching:sessions"))
        self.assertContains(response, "Coaching session with Bob")
        self.assertContains(response, "(Asia/Tokyo)")

    def test_my_sessions_makes_a_fixed_number_of_queries(self) -> None:
        self.book(self.alice, 0)
        self.client.force_login(self.alice)
        url = reverse("coaching:sessions")
        few = self.queries(url)
        for index in range(4):
            self.book(self.bob if index % 2 else self.fay, 0)
        extra = make_cohort(self.program, name="Cohort D", start=timezone.localdate())
        enroll(self.alice, cohort=extra, coach=self.carol)
        more = self.queries(url)
        self.assertEqual(len(few), len(more), "\n".join(more))
        # 1 the user with her membership; 2 her bookings with both people; 3 her circle
        # sessions with circle, cohort and coach; 4 her seats with their cohorts; 5 the
        # live-session activities of their programmes; 6 the cohorts' own session times; 7 her
        # coaches (for the Book link); 8-9 whether she coaches (two EXISTS); 10 the office
        # hours of her cohorts (experts' calendar source).
        with self.assertNumQueries(10):
            self.client.get(url)

    def test_the_availability_page_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.carol)
        url = reverse("coaching:availability")
        few = self.queries(url)
        for start, end in ((6, 8), (13, 15), (17, 19)):
            open_every_day(self.carol, start=time(start), end=time(end))
        for days in range(1, 6):
            add_day_off(self.carol, day=timezone.localdate() + timedelta(days=days))
        more = self.queries(url)
        self.assertEqual(len(few), len(more))
        # 1 the user with her membership; 2 her blocks; 3 her days off (a coach by role: no
        # look-up of seats).
        with self.assertNumQueries(3):
            response = self.client.get(url)
        self.assertContains(response, "17:00\u201319:00", count=7)

    def test_the_booking_page_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("coaching:book")
        few = self.queries(url)
        for _ in range(5):
            self.book(self.bob, 0)
        more = self.queries(url)
        self.assertEqual(len(few), len(more))
        # 1 the user; 2 her coaches; then per coach (one per seat at most): 3 the blocks,
        # 4 the days off, 5 the times already booked.
        with self.assertNumQueries(5):
            self.client.get(url)

    def test_the_home_and_this_week_pages_lead_a_learner_to_booking(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("cohorts:this_week", args=[self.cohort_a.public_id]))
        self.assertContains(response, reverse("coaching:book"))
        self.assertContains(response, reverse("coaching:sessions"))  # the Sessions nav link
