"""The cohort getters: built on visible_to, so they refuse whatever a list would hide."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from cohorts.access import enrollments_of, get_cohort_for_import, get_seat_for_user
from organizations.models import Membership
from rapport.testing import PersonaTestCase


class MovedMembershipTests(PersonaTestCase):
    def move_alice_to_the_other_organisation(self) -> None:
        Membership.objects.filter(user=self.alice).update(organization=self.other_org)
        self.alice = User.objects.select_related("membership").get(pk=self.alice.pk)

    def test_a_person_who_moved_organisation_gets_404_for_their_old_cohort(self) -> None:
        self.move_alice_to_the_other_organisation()
        with self.assertRaises(Http404):
            get_seat_for_user(self.alice, self.cohort_a.public_id)
        self.assertEqual(enrollments_of(self.alice), [])

    def test_their_old_cohort_pages_and_media_are_404_over_http(self) -> None:
        self.move_alice_to_the_other_organisation()
        self.client.force_login(self.alice)
        activity = self.first_activity()
        for url in (
            reverse("cohorts:this_week", args=[self.cohort_a.public_id]),
            reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id]),
            reverse("programs:media", args=[activity.public_id]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_an_admin_who_moved_cannot_import_into_their_old_cohort(self) -> None:
        Membership.objects.filter(user=self.adam).update(organization=self.other_org)
        self.adam = User.objects.select_related("membership").get(pk=self.adam.pk)
        with self.assertRaises(Http404):
            get_cohort_for_import(self.adam, self.cohort_a.public_id)

    def test_a_superuser_admin_imports_only_into_their_own_organisation(self) -> None:
        self.adam.is_superuser = True
        self.adam.save()
        with self.assertRaises(PermissionDenied):
            get_cohort_for_import(self.adam, self.other_cohort.public_id)
        self.assertEqual(get_cohort_for_import(self.adam, self.cohort_a.public_id), self.cohort_a)


class SeatTests(PersonaTestCase):
    def test_a_learner_gets_their_enrolment_and_staff_a_preview_seat(self) -> None:
        seat = get_seat_for_user(self.alice, self.cohort_a.public_id)
        self.assertTrue(seat.is_learner)
        self.assertEqual(seat.enrollment.user, self.alice)
        preview = get_seat_for_user(self.dora, self.cohort_a.public_id)
        self.assertIsNone(preview.enrollment)
        self.assertEqual(preview.cohort, self.cohort_a)

    def test_a_learner_of_another_programme_in_the_organisation_gets_404(self) -> None:
        with self.assertRaises(Http404):
            get_seat_for_user(self.erin, self.cohort_a.public_id)

    def test_a_learner_enrolled_with_one_query(self) -> None:
        with self.assertNumQueries(1):
            get_seat_for_user(self.alice, self.cohort_a.public_id)
