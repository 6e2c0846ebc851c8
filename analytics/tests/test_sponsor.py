"""The sponsor: an executive who funds and champions a programme reads its dashboards (counts
through the small-group rule, the CSV, the charts, the connection aggregates) and nothing
personal; their home page shows each programme's headline figures (analytics.headlines)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import TestCase, override_settings
from django.urls import reverse

from analytics import snapshots
from analytics.headlines import programme_headlines
from analytics.models import DashboardSnapshot
from analytics.tests.base import generate
from rapport import policy
from rapport.policy import Role
from rapport.testing import make_cohort, make_org, make_program, make_user


class SponsorRoleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org("Generated Ltd", slug="generated")
        cls.people = {
            role: make_user(cls.org, f"{role.value}@gen.example", role=role) for role in Role
        }
        cls.sponsor = cls.people[Role.SPONSOR]
        cls.data = generate(cls.org, cohorts=2, learners=20, seed=5)
        cls.program = cls.data["program"]
        cls.other_org = make_org("Contoso", slug="contoso")
        cls.other_sponsor = make_user(cls.other_org, "s@contoso.example", role=Role.SPONSOR)

    def test_only_admins_and_sponsors_read_the_dashboards(self) -> None:
        for role, person in self.people.items():
            self.assertEqual(
                policy.can_see_programme_dashboards(person),
                role in (Role.ADMIN, Role.SPONSOR),
                role,
            )
        self.assertFalse(policy.can_see_programme_dashboards(AnonymousUser()))
        self.sponsor.is_active = False
        self.assertFalse(policy.can_see_programme_dashboards(self.sponsor))

    def test_a_sponsor_has_no_other_right_of_an_admins(self) -> None:
        self.assertFalse(policy.is_org_staff(self.sponsor))
        self.assertFalse(policy.can_use_studio(self.sponsor))
        self.assertFalse(policy.can_manage_people(self.sponsor))

    def test_the_sponsor_opens_the_dashboard_its_csv_and_the_connections(self) -> None:
        self.client.force_login(self.sponsor)
        args = [self.program.public_id]
        index = self.client.get(reverse("analytics:index"))
        self.assertContains(index, self.program.title)
        page = self.client.get(reverse("analytics:dashboard", args=args))
        self.assertContains(page, "40 learners.")
        for cohort in self.data["cohorts"]:
            self.assertContains(page, cohort.name)  # every cohort, though she is in none
        csv = self.client.get(reverse("analytics:dashboard_csv", args=args))
        self.assertIn("funnel,Enrolled,,people,40,", csv.content.decode())
        self.assertEqual(
            self.client.get(reverse("analytics:connections", args=args)).status_code, 200
        )
        # The coach's list of names is not hers.
        self.assertEqual(self.client.get(reverse("analytics:not_connected")).status_code, 403)

    def test_another_organisations_sponsor_gets_404(self) -> None:
        self.client.force_login(self.other_sponsor)
        for name in ("analytics:dashboard", "analytics:dashboard_csv", "analytics:connections"):
            response = self.client.get(reverse(name, args=[self.program.public_id]))
            self.assertEqual(response.status_code, 404, name)
        self.assertNotContains(self.client.get(reverse("analytics:index")), self.program.title)

    def test_headlines_are_the_dashboards_own_figures(self) -> None:
        self.client.force_login(self.sponsor)
        self.client.get(reverse("analytics:dashboard", args=[self.program.public_id]))
        [headline] = programme_headlines(self.sponsor)
        board = snapshots.board_for(self.program, self.data["cohorts"])
        view = board.view(snapshots.Filters())
        funnel = dict(view.funnel)
        self.assertEqual(headline.cohorts, 2)
        self.assertEqual(headline.enrolled, view.size)
        self.assertEqual(headline.took_part, funnel["Took part at least once"])
        self.assertEqual(headline.completed, funnel["Completed every activity"])
        self.assertEqual(headline.enrolled, 40)

    def test_a_programme_no_cohort_has_run_says_so_without_figures_or_links(self) -> None:
        draft = make_program(self.org, title="A draft programme")
        self.client.force_login(self.sponsor)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "No cohort has run it yet")
        self.assertNotContains(response, reverse("analytics:dashboard", args=[draft.public_id]))

    def test_headlines_are_refused_to_anyone_but_admins_and_sponsors(self) -> None:
        for role in (Role.LEARNER, Role.COACH, Role.DESIGNER, Role.EXPERT):
            with self.assertRaises(PermissionDenied):
                programme_headlines(self.people[role])

    def test_a_programme_without_figures_says_so_rather_than_solving_on_the_home_page(
        self,
    ) -> None:
        DashboardSnapshot.objects.all().delete()
        self.client.force_login(self.sponsor)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "No figures yet")
        self.assertFalse(DashboardSnapshot.objects.exists())  # the home page built none

    @override_settings(RAPPORT_MIN_GROUP_SIZE=50)
    def test_a_small_programme_shows_suppressed_not_a_number(self) -> None:
        snapshots.rebuild(self.program)
        self.client.force_login(self.sponsor)
        response = self.client.get(reverse("home"))
        self.assertContains(response, 'class="suppressed"', count=3)
        self.assertNotContains(response, "<dd>40")

    def test_the_sponsors_home_shows_figures_links_and_nothing_of_staff(self) -> None:
        snapshots.rebuild(self.program)
        self.client.force_login(self.sponsor)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Your organisation's programmes")
        self.assertContains(response, "<div><dt>Enrolled</dt><dd>40</dd></div>", html=True)
        self.assertContains(response, reverse("analytics:dashboard", args=[self.program.public_id]))
        self.assertContains(
            response, reverse("analytics:connections", args=[self.program.public_id])
        )
        for absent in (
            "studio:index",
            "matching:index",
            "moderation:queue",
            "growth:index",
            "coaching:sessions",
            "experts:threads",
            "analytics:not_connected",
        ):
            self.assertNotContains(response, f'href="{reverse(absent)}"', msg_prefix=absent)
        self.assertNotContains(response, "Nothing here yet")
        for learner in self.data["cohorts"][0].enrollments.select_related("user")[:5]:
            self.assertNotContains(response, learner.user.full_name)

    def test_the_sponsors_home_costs_the_same_queries_for_one_programme_or_four(self) -> None:
        self.client.force_login(self.sponsor)
        snapshots.rebuild(self.program)
        # 1 the person (with membership and organisation), 2 her seats (none), 3 the
        # programmes with their number of cohorts, 4 their snapshots
        with self.assertNumQueries(4):
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        for n in range(3):
            program = make_program(self.org, title=f"Programme {n}")
            make_cohort(program, name=f"Cohort {n}")
            snapshots.rebuild(program)
        with self.assertNumQueries(4):
            response = self.client.get(reverse("home"))
        self.assertContains(response, "Open the dashboard", count=4)
