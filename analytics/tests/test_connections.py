"""Connection analytics: ties from replies and reactions, week by week, in aggregate through the
small-group rule; the coach's private "not yet connected" list for their own circles only."""

from datetime import UTC, date, datetime, timedelta

from django.test import TestCase
from django.urls import reverse

from analytics.connections import for_cohort, not_yet_connected, rebuild
from circles.models import Circle
from cohorts.actions import Seat, enroll, enroll_many
from cohorts.models import EnrollmentRole
from discussions.actions import community_thread, create_post, react
from discussions.models import Reaction
from rapport.policy import Role
from rapport.testing import PASSWORD, make_circle, make_cohort, make_org, make_program, make_user

START = date(2026, 9, 7)


def at(week: int, day: int = 1) -> datetime:
    moment = START + timedelta(days=7 * (week - 1) + day)
    return datetime(moment.year, moment.month, moment.day, 10, tzinfo=UTC)


class ConnectionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org()
        cls.program = make_program(cls.org, weeks=3, per_week=2)
        cls.cohort = make_cohort(cls.program, start=START)
        # p0..p11 talk to each other; p12..p17 have not said anything yet.
        regions = ["Europe"] * 6 + ["Asia"] * 6 + ["Africa"] * 6
        functions = ["Sales", "Finance"] * 9
        cls.people = [
            make_user(cls.org, f"p{n}@northwind.example", region=regions[n], function=functions[n])
            for n in range(18)
        ]
        cls.coach = make_user(cls.org, "coach@northwind.example", role=Role.COACH)
        cls.other_coach = make_user(cls.org, "other@northwind.example", role=Role.COACH)
        enroll_many(cls.cohort, seats=[Seat(p.pk) for p in cls.people])
        enroll(cls.coach, cohort=cls.cohort, role=EnrollmentRole.COACH)
        cls.circle = make_circle(cls.cohort, cls.people[:6], name="Harbour", coach=cls.coach)
        cls.other = make_circle(cls.cohort, cls.people[6:], name="Summit", coach=cls.other_coach)
        thread = community_thread(cls.cohort)
        p = cls.people
        # Week 1: p0..p5 each post; p6..p11 reply to them (ties across regions).
        posts = [create_post(thread, author=p[n], body=f"Hello {n}", now=at(1)) for n in range(6)]
        for n in range(6):
            create_post(thread, author=p[n + 6], body="Welcome", parent=posts[n], now=at(1, 2))
        # Week 2: p0 thanks p6 for a reply (returned), p1 reacts to p2's post (a new tie, same
        # region); a coach's reply is not a tie between learners.
        reply = create_post(thread, author=p[6], body="Thanks", parent=posts[0], now=at(2))
        react(reply, user=p[0], kind="thanks")  # replies are one level deep: p0 reacts
        react(posts[2], user=p[1], kind="thanks")
        Reaction.objects.update(created_at=at(2, 3))
        create_post(thread, author=cls.coach, body="Lovely", parent=posts[5], now=at(2))

    def test_ties_week_by_week(self) -> None:
        result = for_cohort(self.cohort, now=at(3))
        self.assertEqual(result.learners, 18)
        week1, week2, week3 = result.weeks
        self.assertEqual((week1.new_tie.value, week1.new_tie.percent), (12, 67))
        self.assertEqual(week1.isolated.value, 6)
        self.assertEqual((week1.ties, week1.new_ties), (6, 6))
        self.assertEqual(week1.across_regions, 100)
        self.assertEqual(week1.across_functions, 0)  # p0 (Sales) with p6 (Sales), and so on
        self.assertEqual(week1.beyond_circle, 100)
        self.assertEqual(week1.reciprocity, 0)
        self.assertEqual(week1.per_learner, 0.7)
        # Week 2: one new tie (p1-p2) between two people: under the threshold, suppressed.
        self.assertEqual((week2.ties, week2.new_ties), (7, 1))
        self.assertIsNone(week2.new_tie.value)
        self.assertEqual(week2.reciprocity, round(100 * 2 / 8))  # p0<->p6 returned, of 8 edges
        self.assertEqual(week2.beyond_circle, round(100 * 6 / 7))
        self.assertEqual(week3.isolated.value, 6)
        self.assertIsNone(week3.coached.value)  # nobody met their coach: 0 is suppressed

    def test_a_small_cohort_shows_nothing(self) -> None:
        small = make_cohort(self.program, start=START)
        enroll_many(small, seats=[Seat(p.pk) for p in self.people[:3]])
        self.assertIsNone(for_cohort(small).learners)
        self.assertEqual(for_cohort(small).weeks, [])

    def test_the_coach_sees_only_their_own_circles_members_not_yet_connected(self) -> None:
        late = make_user(self.org, "late@northwind.example", region="Africa")
        enroll(late, cohort=self.cohort)
        self.circle.members.create(
            user=late, enrollment=late.enrollments.get(), cohort=self.cohort, organization=self.org
        )
        lists = not_yet_connected(self.coach)
        self.assertEqual([c.circle.name for c in lists], ["Harbour"])
        self.assertEqual([u.email for u in lists[0].not_connected], ["late@northwind.example"])
        self.assertEqual(lists[0].members, 7)
        self.assertEqual([c.circle.name for c in not_yet_connected(self.other_coach)], ["Summit"])
        self.assertEqual(not_yet_connected(self.people[0]), [])

    def test_the_pages_answer_the_right_people(self) -> None:
        admin = make_user(self.org, "admin@northwind.example", role=Role.ADMIN)
        url = reverse("analytics:connections", args=[self.program.public_id])
        self.client.login(username="admin@northwind.example", password=PASSWORD)
        response = self.client.get(url, {"cohort": str(self.cohort.public_id)})
        self.assertContains(response, "Ties between learners, week by week")
        self.assertNotContains(response, "p0@northwind.example")
        self.assertEqual(self.client.get(url).status_code, 200)  # the latest cohort
        bad = self.client.get(url, {"cohort": "nope", "x": "1"})
        self.assertContains(bad, "Unknown filters: x", status_code=400)
        self.assertEqual(self.client.get(reverse("analytics:not_connected")).status_code, 403)
        self.client.login(username="coach@northwind.example", password=PASSWORD)
        self.assertEqual(self.client.get(url).status_code, 403)
        page = self.client.get(reverse("analytics:not_connected"))
        self.assertContains(page, "Harbour")
        self.assertNotContains(page, "Summit")
        self.client.login(username="p0@northwind.example", password=PASSWORD)
        self.assertEqual(self.client.get(reverse("analytics:not_connected")).status_code, 403)
        self.assertTrue(admin.pk)

    def test_the_pages_make_a_fixed_number_of_queries(self) -> None:
        make_user(self.org, "admin@northwind.example", role=Role.ADMIN)
        url = reverse("analytics:connections", args=[self.program.public_id])
        self.client.login(username="admin@northwind.example", password=PASSWORD)
        query = {"cohort": str(self.cohort.public_id)}
        self.client.get(url, query)  # the first view computes the snapshot (the worker's job)
        # 1 the person, 2 the programme, 3 its cohorts, 4 the cohort's connection snapshot
        with self.assertNumQueries(4):
            self.client.get(url, query)
        thread = community_thread(self.cohort)
        for n in range(30):
            create_post(thread, author=self.people[n % 12], body="More", now=at(3))
        rebuild(self.cohort)
        with self.assertNumQueries(4):
            self.client.get(url, query)
        self.client.login(username="coach@northwind.example", password=PASSWORD)
        # 1 the person, 2 circles, 3 members, 4 the cohorts' connection snapshots
        with self.assertNumQueries(4):
            self.client.get(reverse("analytics:not_connected"))
        self.assertTrue(Circle.objects.exists())

    def test_the_snapshot_gives_back_what_was_computed(self) -> None:
        from analytics.connections import snapshot_for

        computed = for_cohort(self.cohort, now=at(3))
        rebuild(self.cohort, now=at(3))
        served = snapshot_for(self.cohort)
        self.assertEqual(served.weeks, computed.weeks)
        self.assertEqual(served.isolated, computed.isolated)
        self.assertEqual(len(served.isolated), 6)
