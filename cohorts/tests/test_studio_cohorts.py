"""The studio's cohort and enrolment pages (cohorts/admin.py). Designers and admins run cohorts;
only admins put people in them, and every seat is saved by cohorts.actions.enroll."""

from typing import Any
from unittest import mock

from django.urls import reverse

from cohorts import actions
from cohorts.models import Cohort, CohortSession, Enrollment, EnrollmentRole
from organizations.models import Membership, Role
from programs.models import Program
from rapport.studio_testing import StudioTestCase, management_form
from rapport.testing import make_user


class CohortTests(StudioTestCase):
    def autocomplete(self, term: str, field: str = "user") -> Any:
        return self.client.get(
            "/studio/autocomplete/",
            {
                "app_label": "cohorts",
                "model_name": "enrollment",
                "field_name": field,
                "term": term,
            },
        )

    def test_the_people_autocomplete_never_offers_another_organisations_people(self) -> None:
        self.client.force_login(self.adam)
        own = set(
            Membership.objects.filter(organization=self.org).values_list("user_id", flat=True)
        )
        for field in ("user", "coach"):
            for term in ("", "o", "contoso", "oscar", "@"):
                with self.subTest(field=field, term=term):
                    response = self.autocomplete(term, field)
                    self.assertEqual(response.status_code, 200)
                    ids = {int(r["id"]) for r in response.json()["results"]}
                    self.assertLessEqual(ids, own)
                    self.assertNotIn(self.oscar.pk, ids)
        self.assertEqual(len(self.autocomplete("alice").json()["results"]), 1)

    def test_the_other_organisations_admin_gets_only_her_people(self) -> None:
        olive = make_user(self.other_org, "olive@contoso.example", role=Role.ADMIN)
        self.client.force_login(olive)
        ids = {int(r["id"]) for r in self.autocomplete("").json()["results"]}
        self.assertIn(self.oscar.pk, ids)
        self.assertNotIn(self.alice.pk, ids)

    def test_a_designer_cannot_search_people(self) -> None:
        self.client.force_login(self.dora)
        self.assertEqual(self.autocomplete("alice").status_code, 403)

    def _cohort_post(self, cohort: Cohort, **enrollment: Any) -> dict[str, Any]:
        return {
            "program": cohort.program_id,
            "name": cohort.name,
            "start_date": cohort.start_date.isoformat(),
            **management_form("enrollments", total=1),
            **{f"enrollments-0-{key}": value for key, value in enrollment.items()},
            **management_form("sessions"),  # the live-session times, left as they are
            "_save": "Save",
        }

    def test_an_admin_enrolls_someone_from_her_organisation(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:cohorts_cohort_change", args=[self.cohort_b.pk])
        response = self.client.post(
            url,
            self._cohort_post(self.cohort_b, user=self.bob.pk, role="learner", coach=self.carol.pk),
        )
        self.assertEqual(response.status_code, 302)
        enrollment = Enrollment.objects.get(cohort=self.cohort_b, user=self.bob)
        self.assertEqual((enrollment.coach, enrollment.organization_id), (self.carol, self.org.pk))

    def test_an_admin_cannot_enroll_someone_from_another_organisation(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:cohorts_cohort_change", args=[self.cohort_b.pk])
        response = self.client.post(
            url, self._cohort_post(self.cohort_b, user=self.oscar.pk, role="learner", coach="")
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Enrollment.objects.filter(cohort=self.cohort_b, user=self.oscar).exists())

    def test_enrolling_someone_twice_is_a_form_error(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:cohorts_cohort_change", args=[self.cohort_a.pk])
        response = self.client.post(
            url, self._cohort_post(self.cohort_a, user=self.alice.pk, role="learner", coach="")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            Enrollment.objects.filter(cohort=self.cohort_a, user=self.alice).count(), 1
        )

    def test_a_designer_sees_the_cohort_with_its_sessions_but_without_the_people_inline(
        self,
    ) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(reverse("studio:cohorts_cohort_change", args=[self.cohort_a.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "3 learners, 1 coach")  # alice, bob, fay; carol
        # Only the cohort's live-session times: the people inline is for admins.
        shown = [inline.formset.model for inline in response.context["inline_admin_formsets"]]
        self.assertEqual(shown, [CohortSession])
        self.assertNotContains(response, "alice@northwind.example")

    def test_a_designer_cannot_delete_a_cohort_people_are_enrolled_in(self) -> None:
        self.client.force_login(self.dora)
        url = reverse("studio:cohorts_cohort_delete", args=[self.cohort_a.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(Cohort.objects.filter(pk=self.cohort_a.pk).exists())

    def test_a_designer_creates_a_cohort_of_her_own_programme_only(self) -> None:
        other = Program.objects.get(title="Other programme")
        self.client.force_login(self.dora)
        data = {
            "program": other.pk,
            "name": "Smuggled",
            "start_date": "2030-01-07",
            **management_form("enrollments"),
        }
        response = self.client.post(reverse("studio:cohorts_cohort_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Cohort.objects.filter(name="Smuggled").exists())
        data["program"] = self.program.pk
        self.assertEqual(
            self.client.post(reverse("studio:cohorts_cohort_add"), data).status_code, 302
        )
        self.assertEqual(Cohort.objects.get(name="Smuggled").organization, self.org)

    def test_seats_added_on_the_cohort_page_go_through_the_enrolment_action(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:cohorts_cohort_change", args=[self.cohort_b.pk])
        with mock.patch("cohorts.admin.enroll", wraps=actions.enroll) as enroll:
            response = self.client.post(
                url, self._cohort_post(self.cohort_b, user=self.bob.pk, role="coach", coach="")
            )
        self.assertEqual(response.status_code, 302)
        enroll.assert_called_once_with(
            self.bob, cohort=self.cohort_b, role=EnrollmentRole.COACH, coach=None
        )
        self.assertTrue(
            Enrollment.objects.filter(cohort=self.cohort_b, user=self.bob, role="coach").exists()
        )


class EnrollmentPageTests(StudioTestCase):
    def seat_post(self, **changes: Any) -> dict[str, Any]:
        data = {"cohort": self.cohort_b.pk, "user": self.bob.pk, "role": "learner", "coach": ""}
        return {**data, **changes, "_save": "Save"}

    def test_an_admin_adds_a_seat_through_the_enrolment_action(self) -> None:
        self.client.force_login(self.adam)
        with mock.patch("cohorts.admin.enroll", wraps=actions.enroll) as enroll:
            response = self.client.post(
                reverse("studio:cohorts_enrollment_add"), self.seat_post(coach=self.carol.pk)
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(enroll.call_count, 1)
        seat = Enrollment.objects.get(cohort=self.cohort_b, user=self.bob)
        self.assertEqual((seat.coach, seat.organization_id), (self.carol, self.org.pk))
        # The page's history names the seat the action saved.
        history = self.client.get(reverse("studio:cohorts_enrollment_history", args=[seat.pk]))
        self.assertContains(history, "Added.")

    def test_a_seats_person_and_cohort_cannot_be_changed_only_its_role_and_coach(self) -> None:
        seat = Enrollment.objects.get(cohort=self.cohort_a, user=self.alice)
        self.client.force_login(self.adam)
        url = reverse("studio:cohorts_enrollment_change", args=[seat.pk])
        tampered = self.seat_post(user=self.dave.pk, role="expert", coach="")
        with mock.patch("cohorts.admin.enroll", wraps=actions.enroll) as enroll:
            response = self.client.post(url, tampered)
        self.assertEqual(response.status_code, 302)
        enroll.assert_called_once()
        seat.refresh_from_db()
        self.assertEqual((seat.user, seat.cohort, seat.role), (self.alice, self.cohort_a, "expert"))
        self.assertIsNone(seat.coach)

    def test_an_admin_cannot_give_a_seat_to_someone_from_another_organisation(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.post(
            reverse("studio:cohorts_enrollment_add"), self.seat_post(user=self.oscar.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("user", response.context["adminform"].form.errors)
        self.assertFalse(Enrollment.objects.filter(user=self.oscar, cohort=self.cohort_b).exists())
