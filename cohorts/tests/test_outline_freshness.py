"""Through the journey pages: a programme edit shows on the very next page view, whichever way it
was written, and an activity or week moved to another programme leaves the old cohort's pages at
once (programs/outline.py, programs/outline_triggers.py)."""

from django.db import connection
from django.urls import reverse

from cohorts.actions import enroll
from cohorts.models import Cohort
from organizations.models import Competency
from programs.models import Activity, ActivityKind, Program, Week
from rapport.testing import PersonaTestCase, make_cohort, make_program


class OutlineFreshnessThroughPagesTests(PersonaTestCase):
    second: Program
    cohort_c: Cohort

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second = make_program(cls.org, weeks=1, per_week=2, title="Second programme")
        cls.cohort_c = make_cohort(cls.second, name="Cohort C")
        enroll(cls.alice, cohort=cls.cohort_c)

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def page(self, name: str, cohort: Cohort, *args: object) -> str:
        return reverse(f"cohorts:{name}", args=[cohort.public_id, *args])

    def warm(self) -> None:
        """Both cohorts' outlines are cached before the change, as on a live server."""
        for cohort in (self.cohort_a, self.cohort_c):
            for name in ("this_week", "journey"):
                self.assertEqual(self.client.get(self.page(name, cohort)).status_code, 200)
            for number in (1, 2) if cohort == self.cohort_a else (1,):
                self.client.get(self.page("week", cohort, number))

    def test_a_queryset_update_shows_on_the_next_page_view(self) -> None:
        self.warm()
        activity = self.program.weeks.get(number=2).activities.order_by("position").first()
        assert activity is not None
        Activity.objects.filter(pk=activity.pk).update(title="Renamed in bulk")
        self.assertContains(
            self.client.get(self.page("this_week", self.cohort_a)), "Renamed in bulk"
        )

    def test_bulk_created_activities_show_at_once(self) -> None:
        self.warm()
        week = self.program.weeks.get(number=1)
        Activity.objects.bulk_create(
            Activity(organization=self.org, week=week, kind=ActivityKind.ARTICLE, position=20 + i,
                     title=f"Bulk article {i}")
            for i in range(2)
        )  # fmt: skip
        page = self.client.get(self.page("week", self.cohort_a, 1))
        self.assertContains(page, "Bulk article 0")
        self.assertContains(page, "Bulk article 1")

    def test_a_raw_sql_edit_shows_at_once(self) -> None:
        self.warm()
        activity = self.first_activity(ActivityKind.VIDEO)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE programs_activity SET title = %s WHERE id = %s", ["Raw title", activity.pk]
            )
        url = self.page("activity", self.cohort_a, activity.public_id)
        self.assertContains(self.client.get(url), "Raw title")

    def test_a_competency_renamed_in_bulk_shows_on_the_activity_page(self) -> None:
        video = self.first_activity(ActivityKind.VIDEO)
        url = self.page("activity", self.cohort_a, video.public_id)
        self.assertContains(self.client.get(url), "Listen fully")
        Competency.objects.filter(organization=self.org, name="Listen fully").update(
            name="Listen with full attention"
        )
        self.assertContains(self.client.get(url), "Listen with full attention")

    def test_an_activity_moved_to_another_programme_leaves_the_old_cohorts_pages_at_once(
        self,
    ) -> None:
        self.warm()
        activity = self.program.weeks.get(number=1).activities.order_by("position").first()
        assert activity is not None
        old_url = self.page("activity", self.cohort_a, activity.public_id)
        self.assertEqual(self.client.get(old_url).status_code, 200)
        activity.week = self.second.weeks.get(number=1)
        activity.save()

        for page in (self.page("journey", self.cohort_a), self.page("week", self.cohort_a, 1)):
            self.assertNotContains(self.client.get(page), activity.title)
        self.assertEqual(self.client.get(old_url).status_code, 404)
        self.assertContains(self.client.get(self.page("journey", self.cohort_c)), activity.title)
        new_url = self.page("activity", self.cohort_c, activity.public_id)
        self.assertEqual(self.client.get(new_url).status_code, 200)

    def test_an_activity_moved_by_a_bulk_update_leaves_the_old_cohort_too(self) -> None:
        self.warm()
        activity = self.program.weeks.get(number=2).activities.order_by("position").first()
        assert activity is not None
        Activity.objects.filter(pk=activity.pk).update(
            week=self.second.weeks.get(number=1), title="Moved in bulk"
        )
        self.assertNotContains(
            self.client.get(self.page("journey", self.cohort_a)), "Moved in bulk"
        )
        old_url = self.page("activity", self.cohort_a, activity.public_id)
        self.assertEqual(self.client.get(old_url).status_code, 404)
        self.assertContains(self.client.get(self.page("journey", self.cohort_c)), "Moved in bulk")

    def test_a_week_moved_to_another_programme_leaves_the_old_cohorts_pages_at_once(self) -> None:
        self.warm()
        week = self.program.weeks.get(number=2)
        Week.objects.filter(pk=week.pk).update(program=self.second, number=2)
        self.assertEqual(self.client.get(self.page("week", self.cohort_a, 2)).status_code, 404)
        self.assertNotContains(self.client.get(self.page("journey", self.cohort_a)), week.title)
        self.assertEqual(self.client.get(self.page("week", self.cohort_c, 2)).status_code, 200)
