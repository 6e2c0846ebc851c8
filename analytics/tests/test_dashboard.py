"""The programme dashboard's pages: what the admin sees, bad filters, and a constant number of
queries whatever the number of learners and events."""

import io

from django.test import TestCase
from django.urls import reverse

from analytics.forms import ALLOWED
from analytics.tests.base import generate
from rapport.policy import Role
from rapport.testing import PASSWORD, make_org, make_user


class DashboardPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org("Generated Ltd", slug="generated")
        cls.admin = make_user(cls.org, "admin@gen.example", role=Role.ADMIN)
        cls.designer = make_user(cls.org, "designer@gen.example", role=Role.DESIGNER)
        cls.data = generate(cls.org, cohorts=2, learners=20, seed=3)
        cls.url = reverse("analytics:dashboard", args=[cls.data["program"].public_id])
        cls.csv_url = reverse("analytics:dashboard_csv", args=[cls.data["program"].public_id])

    def setUp(self) -> None:
        self.client.login(username="admin@gen.example", password=PASSWORD)

    def test_the_admin_sees_the_funnel_weeks_activities_and_cohorts(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Enrolment funnel")
        self.assertContains(response, '<img class="chart" src="data:image/svg+xml')
        self.assertContains(response, "Completion per activity")
        for cohort in self.data["cohorts"]:
            self.assertContains(response, cohort.name)
        self.assertContains(response, "Capability change")
        # No assessment round has opened for these cohorts: nothing can be paired yet.
        self.assertContains(response, "This round has not opened yet.", count=6)
        self.assertContains(response, "40 learners.")

    def test_a_cohorts_small_group_is_marked_suppressed(self) -> None:
        cohort = self.data["cohorts"][0]
        response = self.client.get(
            self.url, {"cohort": str(cohort.public_id), "group": "region:Africa"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="group-suppressed"')
        response = self.client.get(self.url, {"cohort": str(cohort.public_id)})
        self.assertContains(response, 'class="suppressed"')

    def test_bad_filters_are_a_clear_400_and_keep_what_was_typed(self) -> None:
        cohort = self.data["cohorts"][0]
        cases = [
            (
                {"start": "2026-10-10", "end": "2026-10-01"},
                "The end date is before the start date.",
            ),
            ({"cohort": "not-a-cohort"}, "Select a valid choice"),
            ({"group": "region:Europe"}, "Choose a cohort first"),
            (
                {"cohort": str(cohort.public_id), "group": "region:Atlantis"},
                "Select a valid choice",
            ),
            ({"colour": "blue"}, "Unknown filters: colour"),
            ({"start": "yesterday"}, "Enter a valid date"),
            ({"start": "1900-01-01"}, "Choose a date between 2000 and 2100."),
        ]
        for query, message in cases:
            response = self.client.get(self.url, query)
            self.assertEqual(response.status_code, 400, query)
            self.assertContains(response, message, status_code=400)
            for name, value in query.items():
                if name in ALLOWED:  # what was chosen stays in the form
                    self.assertContains(response, value, status_code=400)
            response = self.client.get(self.csv_url, query)
            self.assertEqual(response.status_code, 400, query)
            self.assertContains(response, message, status_code=400)

    def test_a_date_range_lists_only_its_weeks_and_cohorts(self) -> None:
        first, second = self.data["cohorts"]
        response = self.client.get(
            self.url,
            {
                "cohort": str(first.public_id),
                "start": first.start_date.isoformat(),
                "end": first.start_date.isoformat(),
            },
        )
        self.assertContains(response, "Week 1")
        self.assertNotContains(response, ">Week 2 <")
        self.assertContains(response, first.name)
        self.assertNotContains(response, f'<th scope="row">{second.name}</th>')

    def test_the_csv_has_the_pages_numbers(self) -> None:
        response = self.client.get(self.csv_url)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        body = response.content.decode()
        self.assertIn("funnel,Enrolled,,people,40,", body)
        self.assertIn("suppressed", body)

    def test_others_are_refused(self) -> None:
        self.client.login(username="designer@gen.example", password=PASSWORD)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.get(reverse("analytics:index")).status_code, 403)


class DashboardQueryCountTests(TestCase):
    """The dashboard reads rollups and seats, never events: the same queries at any size."""

    # 1 the person (with membership and organisation), 2 the programme, 3 its cohorts,
    # 4 its activities, 5 its dashboard's snapshot (the solved cells)
    QUERIES = 5

    def count_for(self, learners: int, seed: int) -> None:
        org = make_org(f"Org {seed}", slug=f"org-{seed}")
        make_user(org, f"admin{seed}@gen.example", role=Role.ADMIN)
        data = generate(org, cohorts=2, learners=learners, seed=seed)
        self.client.login(username=f"admin{seed}@gen.example", password=PASSWORD)
        url = reverse("analytics:dashboard", args=[data["program"].public_id])
        cohort = data["cohorts"][0]
        self.client.get(url)  # the first view solves the snapshot (run_periodic does it after
        # each rollup refresh)
        for query in (
            {},
            {"cohort": str(cohort.public_id)},
            {"cohort": str(cohort.public_id), "group": "level:First-line"},
        ):
            with self.assertNumQueries(self.QUERIES):
                self.assertEqual(self.client.get(url, query).status_code, 200)
        with self.assertNumQueries(self.QUERIES):
            self.client.get(reverse("analytics:dashboard_csv", args=[data["program"].public_id]))

    def test_small(self) -> None:
        self.count_for(6, seed=21)

    def test_large(self) -> None:
        self.count_for(60, seed=22)


class SnapshotTests(TestCase):
    """The page serves the snapshot; a refresh with new events for a programme rebuilds it."""

    def test_the_page_follows_the_record_after_the_periodic_jobs(self) -> None:
        from datetime import timedelta

        from django.core.management import call_command
        from django.utils import timezone

        from analytics.models import DashboardSnapshot
        from analytics.tests.base import people
        from cohorts.actions import Seat, enroll_many
        from events.models import Event

        org = make_org("Snap Ltd", slug="snap")
        make_user(org, "admin@snap.example", role=Role.ADMIN)
        data = generate(org, cohorts=1, learners=10, seed=9)
        self.client.login(username="admin@snap.example", password=PASSWORD)
        url = reverse("analytics:dashboard", args=[data["program"].public_id])
        self.assertContains(self.client.get(url), "10 learners.")
        built = DashboardSnapshot.objects.get().built_at
        enroll_many(
            data["cohorts"][0], seats=[Seat(u.pk) for u in people(org, 5, prefix="new", seed=1)]
        )
        self.assertContains(self.client.get(url), "10 learners.")  # until the periodic jobs run
        # The refresh leaves events younger than its settle time (30 s) for the next run.
        Event.objects.update(timestamp=timezone.now() - timedelta(minutes=1))
        call_command("run_periodic", stdout=io.StringIO())
        self.assertContains(self.client.get(url), "15 learners.")
        self.assertGreater(DashboardSnapshot.objects.get().built_at, built)
