"""Who sees which circle (CircleQuerySet.visible_to), whose members, and whose circle threads
(circle_ids_of): persona by persona, as docs/permissions.md lists them."""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from circles.access import get_circle_for_management, get_circle_for_user, get_cohort_for_circles
from circles.models import Circle, CircleMember, CircleState, circle_ids_of
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from organizations.models import Role
from rapport.testing import PersonaTestCase, make_circle, make_user


class CircleVisibilityTests(PersonaTestCase):
    def visible(self, person: object) -> set[Circle]:
        return set(Circle.objects.visible_to(person))

    def test_members_see_their_own_published_circle_only(self) -> None:
        self.assertEqual(self.visible(self.alice), {self.circle_a})
        self.assertEqual(self.visible(self.bob), {self.circle_a})
        self.assertEqual(self.visible(self.fay), {self.circle_a2})

    def test_people_outside_the_cohort_see_no_circle(self) -> None:
        for person in (self.dave, self.erin, self.dora, self.oscar):
            self.assertEqual(self.visible(person), set(), person.email)

    def test_the_coach_sees_the_circles_they_coach_and_those_of_a_cohort_they_coach(self) -> None:
        self.assertEqual(self.visible(self.carol), {self.circle_a, self.circle_a2})
        # A coach of cohort B, coaching one circle of cohort A by assignment only.
        coach_b = make_user(self.org, "gus@northwind.example", role=Role.COACH)
        enroll(coach_b, cohort=self.cohort_b, role=EnrollmentRole.COACH)
        self.assertEqual(self.visible(coach_b), set())
        self.circle_a2.coach = coach_b
        self.circle_a2.save()
        self.assertEqual(self.visible(coach_b), {self.circle_a2})

    def test_drafts_are_for_admins_only(self) -> None:
        draft = make_circle(
            self.cohort_b, [self.dave], name="Draft", coach=self.carol, state=CircleState.DRAFT
        )
        self.assertNotIn(draft, self.visible(self.dave))
        self.assertNotIn(draft, self.visible(self.carol))
        self.assertEqual(self.visible(self.adam), {self.circle_a, self.circle_a2, draft})

    def test_members_are_seen_through_their_circle(self) -> None:
        self.assertEqual(
            {m.user for m in CircleMember.objects.visible_to(self.alice)}, {self.alice, self.bob}
        )
        self.assertEqual({m.user for m in CircleMember.objects.visible_to(self.fay)}, {self.fay})
        self.assertFalse(CircleMember.objects.visible_to(self.oscar).exists())

    def test_anonymous_deactivated_and_unattached_people_see_nothing(self) -> None:
        loner = User.objects.create_user("loner@northwind.example", "a-long-password-for-him")
        self.alice.is_active = False
        for person in (AnonymousUser(), loner, self.alice):
            self.assertFalse(Circle.objects.visible_to(person).exists())
            self.assertFalse(CircleMember.objects.visible_to(person).exists())
            self.assertEqual(circle_ids_of(person), set())

    def test_platform_superusers_see_every_circle(self) -> None:
        root = User.objects.create_superuser("root@rapport.example", "a-long-root-password-1")
        self.assertEqual(Circle.objects.visible_to(root).count(), Circle.objects.count())


class CircleThreadRuleTests(PersonaTestCase):
    """circle_ids_of: members and the circle's coach read its thread; admins do not."""

    def test_members_and_the_coach_read_the_thread(self) -> None:
        self.assertEqual(circle_ids_of(self.alice), {self.circle_a.pk})
        self.assertEqual(circle_ids_of(self.fay, self.cohort_a), {self.circle_a2.pk})
        self.assertEqual(circle_ids_of(self.carol), {self.circle_a.pk, self.circle_a2.pk})
        self.assertEqual(circle_ids_of(self.alice, self.cohort_b.pk), set())

    def test_admins_and_other_cohorts_do_not(self) -> None:
        for person in (self.adam, self.dora, self.dave, self.oscar):
            self.assertEqual(circle_ids_of(person), set(), person.email)

    def test_a_draft_circle_has_no_readers_yet(self) -> None:
        self.circle_a.state = CircleState.DRAFT
        self.circle_a.save()
        self.assertEqual(circle_ids_of(self.alice), set())
        self.assertEqual(circle_ids_of(self.carol), {self.circle_a2.pk})


class CircleGetterTests(PersonaTestCase):
    def test_outsiders_get_404(self) -> None:
        for person in (self.fay, self.dave, self.dora, self.oscar, AnonymousUser()):
            with self.assertRaises(Http404):
                get_circle_for_user(person, self.circle_a.public_id)
        with self.assertRaises(Http404):
            get_circle_for_user(self.alice, uuid.uuid4())

    def test_only_admins_manage_circles(self) -> None:
        self.assertEqual(get_circle_for_user(self.alice, self.circle_a.public_id), self.circle_a)
        for person in (self.alice, self.carol):
            with self.assertRaises(PermissionDenied):
                get_circle_for_management(person, self.circle_a.public_id)
        self.assertEqual(
            get_circle_for_management(self.adam, self.circle_a.public_id), self.circle_a
        )

    def test_only_admins_form_circles_for_a_cohort(self) -> None:
        self.assertEqual(get_cohort_for_circles(self.adam, self.cohort_a.public_id), self.cohort_a)
        for person in (self.alice, self.carol, self.dora):
            with self.assertRaises(PermissionDenied):
                get_cohort_for_circles(person, self.cohort_a.public_id)
        with self.assertRaises(Http404):
            get_cohort_for_circles(self.oscar, self.cohort_a.public_id)
