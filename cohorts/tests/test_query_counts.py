"""The journey pages make a fixed number of queries, whatever the size of the cohort, the
programme or the event log (STYLE.md: every list page has an assertNumQueries test)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.actions import enroll, record_visit, set_completed
from cohorts.models import Enrollment
from organizations.actions import NewPerson, add_members
from programs.models import ActivityKind, Week
from rapport.testing import PersonaTestCase, make_activity


def _grow(case: PersonaTestCase, *, learners: int, activities_per_week: int) -> None:
    """Make the cohort and the programme ten times bigger, with progress and events."""
    org = case.org
    people = [
        NewPerson(email=f"grow{i}@northwind.example", full_name=f"Grow {i}")
        for i in range(learners)
    ]
    users = [membership.user for membership in add_members(org, people=people)]
    for week in Week.objects.filter(program=case.program):
        for position in range(10, 10 + activities_per_week):
            make_activity(week, kind=ActivityKind.ARTICLE, position=position)
    activities = list(case.program.weeks.first().activities.all()[:3])
    for user in users:
        enrollment, _ = enroll(user, cohort=case.cohort_a, coach=case.carol)
        for activity in activities:
            record_visit(enrollment, activity=activity)
            set_completed(enrollment, activity=activity)
    alice = Enrollment.objects.get(user=case.alice, cohort=case.cohort_a)
    for activity in activities:
        set_completed(alice, activity=activity)


class JourneyQueryCountTests(PersonaTestCase):
    def pages(self) -> dict[str, str]:
        activity = self.first_activity(ActivityKind.AUDIO)
        cohort = self.cohort_a.public_id
        return {
            "this_week": reverse("cohorts:this_week", args=[cohort]),
            "journey": reverse("cohorts:journey", args=[cohort]),
            "week": reverse("cohorts:week", args=[cohort, 1]),
            "activity": reverse("cohorts:activity", args=[cohort, activity.public_id]),
        }

    def count(self, url: str) -> int:
        self.client.get(url)  # warm: the first view of an activity creates its progress row
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(ctx.captured_queries)

    def test_this_week_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        url = self.pages()["this_week"]
        self.client.get(url)  # warm: builds and caches the programme outline
        # The session comes from the cache (cached_db) and the programme outline from the cache
        # (programs/outline.py), keyed by the token read with the enrollment. 1 user with
        # membership, 2 enrollment with cohort, programme and coach, 3 the learner's progress
        # on this week's activities.
        with self.assertNumQueries(3):
            self.client.get(url)

    def test_the_activity_page_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        url = self.pages()["activity"]
        self.client.get(url)
        # 1 user, 2 enrollment, 3 progress, which shows the activity already viewed today, so
        # nothing is written (record_visit records `viewed` once a day). The activity, its
        # week's activities and its competencies come from the cached outline.
        with self.assertNumQueries(3):
            self.client.get(url)

    def test_the_journey_overview_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        url = self.pages()["journey"]
        self.client.get(url)
        # 1 user, 2 enrollment, 3 the learner's progress on every activity.
        with self.assertNumQueries(3):
            self.client.get(url)

    def test_counts_do_not_grow_with_ten_times_the_data(self) -> None:
        self.client.force_login(self.alice)
        before = {name: self.count(url) for name, url in self.pages().items()}
        _grow(self, learners=40, activities_per_week=40)
        self.client.force_login(self.alice)
        after = {name: self.count(url) for name, url in self.pages().items()}
        self.assertEqual(before, after)
        self.assertLessEqual(max(after.values()), 10)

    def test_a_cold_outline_costs_three_queries_once(self) -> None:
        from django.core.cache import caches

        from programs.models import Program
        from programs.outline import cache_key, forget_local_copies

        self.client.force_login(self.alice)
        url = self.pages()["this_week"]
        self.client.get(url)
        program = Program.objects.get(pk=self.program.pk)
        caches["default"].delete(cache_key(program.public_id, program.outline_token))
        forget_local_copies()
        # 1 user, 2 enrollment, 3 weeks, 4 activities, 5 competencies, 6 progress.
        with self.assertNumQueries(6):
            self.client.get(url)
        # Built once: the next view reads it from the cache again.
        with self.assertNumQueries(3):
            self.client.get(url)


class OutlineFreshnessTests(PersonaTestCase):
    def test_an_edit_in_the_studio_shows_on_the_next_page_view(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("cohorts:this_week", args=[self.cohort_a.public_id])
        self.assertContains(self.client.get(url), "Discussion prompt 2.1")
        activity = self.program.weeks.get(number=2).activities.order_by("position").first()
        activity.title = "A renamed prompt"
        activity.save()
        self.assertContains(self.client.get(url), "A renamed prompt")

    def test_new_and_deleted_activities_and_competency_changes_show(self) -> None:
        from organizations.models import Competency
        from rapport.testing import make_activity

        self.client.force_login(self.alice)
        url = reverse("cohorts:journey", args=[self.cohort_a.public_id])
        self.client.get(url)
        week = self.program.weeks.get(number=1)
        added = make_activity(week, kind=ActivityKind.ARTICLE, position=9)
        self.assertContains(self.client.get(url), added.title)
        added.delete()
        self.assertNotContains(self.client.get(url), added.title)
        video = self.first_activity(ActivityKind.VIDEO)
        page = reverse("cohorts:activity", args=[self.cohort_a.public_id, video.public_id])
        self.assertContains(self.client.get(page), "Listen fully")
        competency = Competency.objects.get(name="Listen fully", organization=self.org)
        competency.name = "Listen with full attention"
        competency.save()
        self.assertContains(self.client.get(page), "Listen with full attention")
