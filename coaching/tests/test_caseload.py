"""The coach's caseload: who is in it (only the learners whose seat names the coach), what it
shows of them (only what they shared), "needs you now" and its order, the filters (nonsense is a
400 that says so), marking a session missed, the admins' aggregates, and a fixed number of
queries at 5 and at 300 learners."""

import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching import actions
from coaching.aggregates import caseload_overview
from coaching.caseload import Reason, caseload_of
from coaching.models import Booking, BookingStatus
from cohorts.actions import Seat, enroll, enroll_many, set_completed
from cohorts.models import ActivityProgress, EnrollmentRole
from events.models import Event, Verb
from growth import actions as growth_actions
from organizations.actions import NewPerson, add_members
from organizations.models import Role
from rapport.lib.timezones import local_today
from rapport.testing import PersonaTestCase, make_user


def past_session(coach, learner, *, days_ago: int, status=BookingStatus.BOOKED) -> Booking:
    starts = timezone.now() - timedelta(days=days_ago, hours=2)
    return Booking.objects.create(
        coach=coach,
        learner=learner,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        status=status,
        booked_by=learner,
    )


class CaseloadTestCase(PersonaTestCase):
    """carol coaches alice, bob and fay in cohort A (week 2); zed coaches dave in cohort B."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.zed = make_user(cls.org, "zed@northwind.example", role=Role.COACH)
        enroll(cls.zed, cohort=cls.cohort_b, role=EnrollmentRole.COACH)
        enroll(cls.dave, cohort=cls.cohort_b, coach=cls.zed)

    def active(self, learner, *, days_ago: int) -> None:
        """The learner last did something `days_ago` days ago."""
        seat = learner.enrollments.get(role=EnrollmentRole.LEARNER)
        set_completed(seat, activity=self.first_activity(), completed=True)
        ActivityProgress.objects.filter(enrollment=seat).update(
            updated_at=timezone.now() - timedelta(days=days_ago)
        )

    def mood(self, person, *, energy: int, shared: bool, word: str = "", note: str = "") -> None:
        growth_actions.record_mood(
            person,
            submission=uuid.uuid4(),
            day=local_today(person.time_zone),
            feeling=3,
            energy=energy,
            word=word,
            note=note,
            shared_with_coach=shared,
        )


class NeedsYouNowTests(CaseloadTestCase):
    def test_it_lists_who_needs_the_coach_most_urgent_first(self) -> None:
        self.active(self.alice, days_ago=12)  # quiet
        self.active(self.bob, days_ago=1)
        past_session(self.carol, self.bob, days_ago=3, status=BookingStatus.MISSED)
        self.active(self.fay, days_ago=9)  # quiet as well as low energy
        self.mood(self.fay, energy=1, shared=True)
        caseload = caseload_of(self.carol, now=timezone.now())
        self.assertEqual(
            [(row.learner.email, row.reasons) for row in caseload.needs_you],
            [
                ("fay@northwind.example", [Reason.LOW_ENERGY, Reason.QUIET]),
                ("bob@northwind.example", [Reason.MISSED_SESSION]),
                ("alice@northwind.example", [Reason.QUIET]),
            ],
        )

    def test_a_message_waiting_is_listed_and_counts_as_contact(self) -> None:
        from coaching.access import get_writable_pair

        for learner in (self.alice, self.bob, self.fay):
            self.active(learner, days_ago=0)
        actions.send_message(
            get_writable_pair(self.bob, self.carol.public_id), body="Could we talk on Friday?"
        )
        caseload = caseload_of(self.carol, now=timezone.now())
        [row] = caseload.needs_you
        self.assertEqual(
            (row.learner, row.reasons, row.unread), (self.bob, [Reason.MESSAGE_WAITING], 1)
        )
        self.assertIsNotNone(row.last_contact)
        self.client.force_login(self.carol)
        page = self.client.get(reverse("caseload:index"))
        self.assertContains(page, "A message waiting for you")
        self.assertContains(page, reverse("talk:thread", args=[self.bob.public_id]))
        self.assertNotContains(page, "Could we talk on Friday?")  # never the text
        # Once she opens it, it no longer waits.
        self.client.get(reverse("talk:thread", args=[self.bob.public_id]))
        self.assertEqual(caseload_of(self.carol, now=timezone.now()).needs_you, [])

    def test_a_low_energy_check_in_counts_only_if_the_learner_shared_it(self) -> None:
        for learner in (self.alice, self.bob, self.fay):
            self.active(learner, days_ago=0)
        self.mood(self.alice, energy=1, shared=False, word="exhausted", note="Nobody must know")
        self.assertEqual(caseload_of(self.carol, now=timezone.now()).needs_you, [])
        self.client.force_login(self.carol)
        response = self.client.get(reverse("caseload:index"))
        self.assertNotContains(response, "energy 1 of 5")
        self.mood(self.alice, energy=1, shared=True, word="exhausted", note="Nobody must know")
        response = self.client.get(reverse("caseload:index"))
        self.assertContains(response, "Shared a low-energy check-in")
        self.assertContains(response, "energy 1 of 5")
        # The word and the note stay the learner's.
        self.assertNotContains(response, "exhausted")
        self.assertNotContains(response, "Nobody must know")

    def test_the_quiet_threshold_is_a_setting(self) -> None:
        for learner in (self.alice, self.bob, self.fay):
            self.active(learner, days_ago=3)
        self.assertEqual(caseload_of(self.carol, now=timezone.now()).needs_you, [])
        with self.settings(RAPPORT_CASELOAD_QUIET_DAYS=2):
            self.assertEqual(len(caseload_of(self.carol, now=timezone.now()).needs_you), 3)

    def test_a_finished_cohort_is_never_flagged_as_quiet(self) -> None:
        """Found in the demo: last year's cohort, still coached for its year-later round, filled
        "needs you now" with "no activity lately" at "week 7 of 7". Once a cohort's last week
        is over, quiet is what finishing looks like."""
        self.active(self.alice, days_ago=30)
        self.active(self.bob, days_ago=30)
        past_session(self.carol, self.bob, days_ago=3, status=BookingStatus.MISSED)
        weeks = self.cohort_a.program.weeks.count()
        later = timezone.now() + timedelta(days=7 * weeks + 7)
        caseload = caseload_of(self.carol, now=later)
        self.assertTrue(all(row.finished for row in caseload.rows))
        self.assertFalse([r for r in caseload.needs_you if Reason.QUIET in r.reasons])
        # The same learners, while the cohort runs, are quiet.
        running = caseload_of(self.carol, now=timezone.now())
        self.assertFalse(any(row.finished for row in running.rows))
        self.assertIn(
            Reason.QUIET, next(r for r in running.rows if r.learner == self.alice).reasons
        )

    def test_the_row_shows_week_progress_sessions_and_shared_reflections(self) -> None:
        self.active(self.alice, days_ago=0)
        past_session(self.carol, self.alice, days_ago=5)
        row = next(
            r for r in caseload_of(self.carol, now=timezone.now()).rows if r.learner == self.alice
        )
        self.assertEqual(row.week, 2)
        self.assertEqual(row.progress, 12)  # 1 of 8 activities
        self.assertIsNotNone(row.last_contact)
        self.assertIsNone(row.next_session)
        self.assertEqual(row.shared_entries, 0)


class WhoIsInItTests(CaseloadTestCase):
    def test_a_coach_sees_only_the_learners_whose_seat_names_them(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("caseload:index"))
        self.assertEqual(response.status_code, 200)
        for name in ("Alice", "Bob", "Fay"):
            self.assertContains(response, name)
        self.assertNotContains(response, "Dave")
        self.client.force_login(self.zed)
        response = self.client.get(reverse("caseload:index"))
        self.assertContains(response, "Dave")
        self.assertNotContains(response, "Alice")

    def test_a_low_energy_check_in_shared_is_not_shown_to_another_coach(self) -> None:
        self.mood(self.dave, energy=1, shared=True)
        self.assertEqual(
            [row.learner for row in caseload_of(self.carol, now=timezone.now()).rows],
            [self.alice, self.bob, self.fay],
        )
        # Nor to the coach after the learner moved to another coach.
        self.mood(self.alice, energy=1, shared=True)
        enroll(self.alice, cohort=self.cohort_a, coach=None)
        self.assertNotIn(
            self.alice, [row.learner for row in caseload_of(self.carol, now=timezone.now()).rows]
        )

    def test_learners_designers_and_admins_have_no_caseload(self) -> None:
        for person in (self.alice, self.dora, self.adam, self.erin):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("caseload:index")).status_code, 403)

    def test_the_coach_home_shows_the_caseload_and_who_needs_them(self) -> None:
        self.active(self.alice, days_ago=20)
        self.client.force_login(self.carol)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Needs you now")
        self.assertContains(response, "No activity lately")
        self.assertContains(response, reverse("caseload:index"))


class FilterTests(CaseloadTestCase):
    def get(self, **params):
        self.client.force_login(self.carol)
        return self.client.get(reverse("caseload:index"), params)

    def test_filters_narrow_the_list(self) -> None:
        self.active(self.alice, days_ago=30)
        self.active(self.bob, days_ago=0)
        self.active(self.fay, days_ago=0)
        response = self.get(status="needs")
        self.assertContains(response, "Alice")
        self.assertNotContains(response, "Bob<br>")
        response = self.get(cohort=str(self.cohort_a.public_id), week="2")
        self.assertContains(response, "Bob<br>")
        response = self.get(week="1")
        self.assertContains(response, "Nobody matches these filters.")

    def test_nonsense_is_a_400_that_says_what_is_accepted(self) -> None:
        for params, message in [
            ({"week": "soon"}, "A week is a whole number from 1 to 52."),
            ({"week": "900"}, "Ensure this value is less than or equal to 52."),
            ({"status": "<script>"}, "The status is everyone, needs you now or doing fine."),
            ({"cohort": "not-a-cohort"}, "Choose one of your cohorts, or all cohorts."),
            # Another coach's cohort is not one of hers: the same answer as nonsense.
            (
                {"cohort": str(self.cohort_b.public_id)},
                "Choose one of your cohorts, or all cohorts.",
            ),
        ]:
            with self.subTest(params=params):
                response = self.get(**params)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)


class MarkMissedTests(CaseloadTestCase):
    def test_the_coach_marks_an_ended_session_missed(self) -> None:
        booking = past_session(self.carol, self.alice, days_ago=1)
        self.client.force_login(self.carol)
        page = self.client.get(reverse("coaching:session", args=[booking.public_id]))
        self.assertContains(page, "Mark as missed")
        response = self.client.post(reverse("caseload:mark_missed", args=[booking.public_id]))
        self.assertRedirects(response, reverse("caseload:index"))
        booking.refresh_from_db()
        self.assertEqual(booking.status, BookingStatus.MISSED)
        self.assertTrue(Event.objects.filter(verb=Verb.MISSED, actor=self.carol).exists())
        # A second click changes nothing and says why.
        response = self.client.post(reverse("caseload:mark_missed", args=[booking.public_id]))
        self.assertEqual(Event.objects.filter(verb=Verb.MISSED).count(), 1)

    def test_a_session_that_has_not_ended_cannot_be_marked_missed(self) -> None:
        starts = timezone.now() + timedelta(hours=3)
        booking = Booking.objects.create(
            coach=self.carol,
            learner=self.alice,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=45),
        )
        with self.assertRaises(actions.BookingRefused):
            actions.mark_missed(self.carol, booking=booking)
        booking.refresh_from_db()
        self.assertEqual(booking.status, BookingStatus.BOOKED)

    def test_the_learner_gets_403_and_anyone_else_404(self) -> None:
        booking = past_session(self.carol, self.alice, days_ago=1)
        url = reverse("caseload:mark_missed", args=[booking.public_id])
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url).status_code, 403)
        for person in (self.bob, self.zed, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.carol)
        self.assertEqual(
            self.client.post(reverse("caseload:mark_missed", args=[uuid.uuid4()])).status_code, 404
        )
        booking.refresh_from_db()
        self.assertEqual(booking.status, BookingStatus.BOOKED)


class OverviewTests(CaseloadTestCase):
    def test_admins_see_counts_only_and_small_groups_are_hidden(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(reverse("caseload:overview"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Carol")
        # Three learners: under the threshold of 5, so no number is shown for her.
        self.assertContains(response, "fewer than 5")
        for name in ("Alice", "Bob", "Fay", "Dave"):
            self.assertNotContains(response, name)

    def test_a_large_enough_caseload_shows_its_size_and_sessions(self) -> None:
        people = add_members(
            self.org,
            people=[
                NewPerson(email=f"l{i}@northwind.example", full_name=f"Learner {i}")
                for i in range(12)
            ],
        )
        enroll_many(
            self.cohort_a,
            seats=[Seat(m.user.pk, EnrollmentRole.LEARNER, self.carol.pk) for m in people],
        )
        enroll_many(
            self.cohort_b,
            seats=[Seat(m.user.pk, EnrollmentRole.LEARNER, self.zed.pk) for m in people[:7]],
        )
        past_session(self.carol, self.alice, days_ago=2)
        overview = caseload_overview(self.adam, now=timezone.now())
        carol = next(line for line in overview.coaches if line.name == self.carol.full_name)
        self.assertEqual((carol.learners, carol.held), (15, 1))

    def test_nobody_else_opens_it(self) -> None:
        for person in (self.alice, self.carol, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("caseload:overview")).status_code, 403)


class QueryCountTests(CaseloadTestCase):
    def grow(self, n: int) -> None:
        """`n` more learners of carol's, each with progress, a session and a shared check-in."""
        start = self.__class__.__dict__.get("_grown", 0)
        people = add_members(
            self.org,
            people=[
                NewPerson(email=f"q{start + i}@northwind.example", full_name=f"Q {start + i}")
                for i in range(n)
            ],
            invite=False,
        )
        self.__class__._grown = start + n
        enroll_many(
            self.cohort_a,
            seats=[Seat(m.user.pk, EnrollmentRole.LEARNER, self.carol.pk) for m in people],
        )
        for m in people:
            past_session(self.carol, m.user, days_ago=3, status=BookingStatus.MISSED)
            self.mood(m.user, energy=2, shared=True)

    def count(self) -> int:
        self.client.force_login(self.carol)
        self.client.get(reverse("caseload:index"))  # the programme's outline is cached now
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("caseload:index"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_caseload_makes_the_same_queries_at_5_and_300_learners(self) -> None:
        self.grow(2)  # alice, bob, fay and two more: 5
        small = self.count()
        self.grow(295)
        # 1 the user (the session is cached), 2 the unread messages per learner, 3 the seats
        # with every figure, 4 the coach's own check-in, 5 the coach's sessions this week; the
        # filters add none
        with self.assertNumQueries(5):
            self.client.get(reverse("caseload:index"))
        with self.assertNumQueries(5):
            self.client.get(reverse("caseload:index"), {"status": "needs", "week": "2"})
        self.assertEqual(self.count(), small)
        self.assertEqual(len(caseload_of(self.carol, now=timezone.now()).rows), 300)
        # The table is paged (50 a page); "needs you now" is whole on every page.
        page = self.client.get(reverse("caseload:index"), {"page": "6"})
        self.assertContains(page, "Page 6 of 6")
        self.assertContains(page, "Q 99")  # needs you now: every learner with a missed session
        last = self.client.get(reverse("caseload:index"), {"page": "99"})
        self.assertContains(last, "Page 6 of 6")
        refused = self.client.get(reverse("caseload:index"), {"page": "zero"})
        self.assertContains(refused, "A page is a whole number from 1.", status_code=400)
