"""The circle pages end to end: an admin forms, reviews, moves and publishes; members see their
circle; late joiners are placed; bad input changes nothing; query counts stay constant."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from circles import actions
from circles.formation import Unplaced
from circles.models import Circle, CircleMember, CircleState
from circles.prompts import PROMPTS
from cohorts.actions import Seat, enroll, enroll_many
from cohorts.models import Cohort, EnrollmentRole
from notifications.models import Notification, NotificationKind
from organizations.actions import NewPerson, add_members
from organizations.models import Membership, Role
from rapport.testing import PersonaTestCase, make_cohort, make_user

REGIONS = ("Europe", "Africa", "Middle East")
FUNCTIONS = ("R&D", "Commercial", "Quality", "Finance")
ZONES = ("Europe/London", "Africa/Lagos", "Europe/Berlin", "Africa/Nairobi")


def add_learners(
    case: PersonaTestCase, cohort: Cohort, count: int, *, start: int = 0
) -> list[User]:
    """`count` learners in compatible zones, mixed regions and functions, enrolled in `cohort`."""
    people = [
        NewPerson(
            email=f"learner{i}@northwind.example",
            full_name=f"Learner {i}",
            time_zone=ZONES[i % len(ZONES)],
            region=REGIONS[i % len(REGIONS)],
            function=FUNCTIONS[(i // 3) % len(FUNCTIONS)],
        )
        for i in range(start, start + count)
    ]
    users = [m.user for m in add_members(case.org, people=people)]
    enroll_many(cohort, seats=[Seat(user.pk) for user in users])
    return users


class CircleFormingTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cohort = make_cohort(cls.program, name="Cohort D")
        cls.coach_two = make_user(cls.org, "hana@northwind.example", role=Role.COACH)
        enroll(cls.carol, cohort=cls.cohort, role=EnrollmentRole.COACH)
        enroll(cls.coach_two, cohort=cls.cohort, role=EnrollmentRole.COACH)
        cls.learners = add_learners(cls, cls.cohort, 20)

    def url(self, name: str) -> str:
        return reverse(f"circles:{name}", args=[self.cohort.public_id])

    def form(self, mix: tuple[str, ...] = ("region", "function")) -> None:
        self.client.force_login(self.adam)
        response = self.client.post(self.url("form"), {"mix": list(mix)})
        self.assertRedirects(response, self.url("manage"), fetch_redirect_response=False)

    def test_an_admin_forms_reviews_and_publishes_circles(self) -> None:
        self.form()
        circles = list(Circle.objects.filter(cohort=self.cohort))
        self.assertEqual(len(circles), 3)
        self.assertTrue(all(c.state == CircleState.DRAFT for c in circles))
        self.assertEqual(CircleMember.objects.filter(cohort=self.cohort).count(), 20)
        page = self.client.get(self.url("manage"))
        self.assertContains(page, "Draft proposal")
        self.assertContains(page, "of at most")
        # Drafts are invisible to the members.
        member = CircleMember.objects.filter(cohort=self.cohort).first().user
        self.assertFalse(Circle.objects.visible_to(member).exists())

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url("publish"))
        self.assertRedirects(response, self.url("manage"), fetch_redirect_response=False)
        circles = list(Circle.objects.filter(cohort=self.cohort))
        self.assertTrue(all(c.state == CircleState.PUBLISHED for c in circles))
        # Coaches balanced: 3 circles between 2 coaches.
        loads = sorted(
            [
                sum(1 for c in circles if c.coach_id == coach.pk)
                for coach in (self.carol, self.coach_two)
            ]
        )
        self.assertEqual(loads, [1, 2])
        # Each member and each circle's coach is told, with the circle's name and page only.
        for circle in circles:
            told = Notification.objects.filter(kind=NotificationKind.CIRCLE, place=circle.name)
            self.assertEqual(
                set(told.values_list("recipient_id", flat=True)),
                {*circle.members.values_list("user_id", flat=True), circle.coach_id},
            )
            self.assertEqual(
                set(told.values_list("url", flat=True)),
                {reverse("circles:detail", args=[circle.public_id])},
            )
        self.client.force_login(member)
        response = self.client.get(reverse("circles:cohort", args=[self.cohort.public_id]))
        circle = Circle.objects.get(members__user=member)
        self.assertRedirects(
            response,
            reverse("circles:detail", args=[circle.public_id]),
            fetch_redirect_response=False,
        )
        page = self.client.get(reverse("circles:detail", args=[circle.public_id]))
        self.assertContains(page, circle.name)
        for other in CircleMember.objects.filter(circle=circle).select_related("user"):
            self.assertContains(page, other.user.full_name)
        self.assertContains(page, str(PROMPTS[1]))  # the cohort is in its second week

    def test_published_circles_cannot_be_formed_again(self) -> None:
        self.form()
        self.client.post(self.url("publish"))
        before = set(
            CircleMember.objects.filter(cohort=self.cohort).values_list("circle_id", "user_id")
        )
        self.client.post(self.url("form"), {"mix": ["region"]})
        after = set(
            CircleMember.objects.filter(cohort=self.cohort).values_list("circle_id", "user_id")
        )
        self.assertEqual(before, after)

    def test_a_bad_choice_of_attributes_is_refused_and_changes_nothing(self) -> None:
        self.client.force_login(self.adam)
        for data in ({}, {"mix": ["salary"]}, {"mix": [""]}):
            response = self.client.post(self.url("form"), data)
            self.assertEqual(response.status_code, 400, data)
        self.assertFalse(Circle.objects.filter(cohort=self.cohort).exists())

    def test_a_move_is_made_and_its_broken_rule_reported_and_publishing_waits(self) -> None:
        self.form()
        first, second = Circle.objects.filter(cohort=self.cohort).order_by("pk")[:2]
        mover = CircleMember.objects.filter(circle=first).first()
        # Make the mover report to someone in the second circle.
        boss = CircleMember.objects.filter(circle=second).first()
        Membership.objects.filter(user=mover.user).update(line_manager=boss.user)
        response = self.client.post(
            self.url("move"), {"person": mover.user.public_id, "circle": second.name}, follow=True
        )
        self.assertContains(response, f"is now in {second.name}")
        self.assertContains(response, "a person and their line manager")
        self.assertEqual(CircleMember.objects.get(pk=mover.pk).circle, second)
        response = self.client.post(self.url("publish"), follow=True)
        self.assertContains(response, "breaks a rule")
        self.assertFalse(
            Circle.objects.filter(cohort=self.cohort, state=CircleState.PUBLISHED).exists()
        )

    def test_bad_moves_change_nothing(self) -> None:
        self.form()
        mover = CircleMember.objects.filter(cohort=self.cohort).first()
        other_cohort_circle = self.circle_a
        cases = [
            {"person": mover.user.public_id, "circle": "No such circle"},
            {"person": mover.user.public_id, "circle": other_cohort_circle.name},
            {"person": self.alice.public_id, "circle": mover.circle.name},
            {"person": "not-a-uuid", "circle": mover.circle.name},
            {"person": mover.user.public_id, "circle": "x" * 500},
            {},
        ]
        before = list(CircleMember.objects.order_by("pk").values_list("pk", "circle_id"))
        for data in cases:
            response = self.client.post(self.url("move"), data, follow=True)
            self.assertEqual(response.status_code, 200, data)
            self.assertContains(response, "notice--error", msg_prefix=str(data))
        self.assertEqual(
            list(CircleMember.objects.order_by("pk").values_list("pk", "circle_id")), before
        )

    def test_only_admins_of_the_organisation_manage_circles(self) -> None:
        for person, status in (
            (self.alice, 404),  # not in cohort D: it does not exist for her
            (self.carol, 403),  # one of its coaches
            (self.dora, 403),
            (self.oscar, 404),
        ):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url("manage")).status_code, status, person.email)
            self.assertEqual(
                self.client.post(self.url("form"), {"mix": ["region"]}).status_code, status
            )
        self.assertFalse(Circle.objects.filter(cohort=self.cohort).exists())

    def test_a_late_joiner_is_placed_in_a_circle_with_room(self) -> None:
        self.form()
        self.client.post(self.url("publish"))
        with self.captureOnCommitCallbacks(execute=True):
            (late,) = add_learners(self, self.cohort, 1, start=100)
        membership = CircleMember.objects.get(user=late)
        self.assertEqual(membership.circle.state, CircleState.PUBLISHED)
        self.assertTrue(
            Notification.objects.filter(
                recipient=late, kind=NotificationKind.CIRCLE, place=membership.circle.name
            ).exists()
        )
        self.assertLessEqual(CircleMember.objects.filter(circle=membership.circle).count(), 7)

    def test_a_late_joiner_without_shared_hours_is_left_out_with_the_reason(self) -> None:
        self.form()
        self.client.post(self.url("publish"))
        far = make_user(self.org, "far@northwind.example", time_zone="Pacific/Honolulu")
        enrollment, _ = enroll(far, cohort=self.cohort)
        result = actions.place_late_joiner(enrollment)
        self.assertIsInstance(result, Unplaced)
        self.assertFalse(CircleMember.objects.filter(user=far).exists())
        page = self.client.get(self.url("manage"))
        self.assertContains(page, far.full_name)
        self.assertContains(page, "shares two working hours")

    def test_nothing_happens_for_late_joiners_before_publication(self) -> None:
        self.form()
        extra = make_user(self.org, "early@northwind.example")
        enrollment, _ = enroll(extra, cohort=self.cohort)
        self.assertIsNone(actions.place_late_joiner(enrollment))


class CirclePageTests(PersonaTestCase):
    def test_members_and_the_coach_see_the_circle_and_others_get_404(self) -> None:
        url = reverse("circles:detail", args=[self.circle_a.public_id])
        for person in (self.alice, self.bob, self.carol, self.adam):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 200, person.email)
        for person in (self.fay, self.dave, self.dora, self.erin, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person.email)

    def test_the_page_shows_each_members_local_time_and_working_hours(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(reverse("circles:detail", args=[self.circle_a.public_id]))
        self.assertContains(page, "in Asia/Tokyo")  # bob
        self.assertContains(page, "in Europe/London")
        self.assertContains(page, "working hours")
        self.assertContains(page, self.carol.full_name)

    def test_a_learner_without_a_circle_is_told_so(self) -> None:
        self.client.force_login(self.dave)
        page = self.client.get(reverse("circles:cohort", args=[self.cohort_b.public_id]))
        self.assertContains(page, "No circle for you yet")

    def test_the_coach_sees_the_circles_they_coach(self) -> None:
        self.client.force_login(self.carol)
        page = self.client.get(reverse("circles:cohort", args=[self.cohort_a.public_id]))
        self.assertContains(page, self.circle_a.name)
        self.assertContains(page, self.circle_a2.name)


class CircleQueryCountTests(PersonaTestCase):
    def count(self, url: str) -> int:
        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(ctx.captured_queries)

    def test_the_circle_page_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("circles:detail", args=[self.circle_a.public_id])
        small = self.count(url)
        more = add_learners(self, self.cohort_a, 5)
        CircleMember.objects.bulk_create(
            CircleMember(
                circle=self.circle_a,
                organization_id=self.org.pk,
                cohort_id=self.cohort_a.pk,
                user=user,
                enrollment=user.enrollments.get(),
            )
            for user in more
        )
        # The session comes from the cache (cached_db). 1 user with membership, 1 circle
        # (visible_to, with cohort, programme and coach), 1 members with their accounts and
        # memberships; the conversation's panel (discussions.panels.circle_panel): 1 thread
        # (Thread.visible_to), 1 read position, 1 counts; what was shared with the circle
        # (reflections.panels.circle_panel): 1 entries (Entry.visible_to).
        self.assertEqual(self.count(url), small)
        self.assertEqual(small, 7)

    def test_the_review_page_makes_a_fixed_number_of_queries(self) -> None:
        cohort = make_cohort(self.program, name="Cohort E")
        add_learners(self, cohort, 12)
        self.client.force_login(self.adam)
        actions.form_draft(cohort, mix=("region", "function"), by=self.adam)
        url = reverse("circles:manage", args=[cohort.public_id])
        small = self.count(url)
        add_learners(self, cohort, 40, start=200)
        actions.form_draft(cohort, mix=("region", "function"), by=self.adam)
        # The session comes from the cache. 1 user with membership, 1 cohort, 1 formation
        # record, 1 learners with accounts and memberships, 1 earlier circle-mates, 1 circles
        # with coaches, 1 members.
        self.assertEqual(self.count(url), small)
        self.assertEqual(small, 7)
