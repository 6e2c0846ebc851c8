"""Every way a studio page or the import can be asked for something the write actions refuse
(cohorts.actions.enroll_many's preconditions, organizations.actions.AlreadyMembers) answers with
a clear error and changes nothing: never a server error, never a seat joining two organisations.

The People page's paths are in accounts/tests/test_studio_people.py."""

from typing import Any
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from cohorts import imports
from cohorts.imports.plan import Known
from cohorts.models import Cohort, Enrollment
from organizations.models import Role
from rapport.studio_testing import StudioTestCase, management_form
from rapport.testing import PASSWORD, make_user


def seats(cohort: Cohort) -> set[tuple[int, int | None]]:
    return set(Enrollment.objects.filter(cohort=cohort).values_list("user_id", "coach_id"))


class SuperuserSeatTests(StudioTestCase):
    """A superuser sees every organisation's people, so only validation keeps a seat inside
    one organisation (an organisation admin's choices are already limited to her own)."""

    def setUp(self) -> None:
        self.root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(self.root)
        self.before = {cohort.pk: seats(cohort) for cohort in (self.cohort_b, self.other_cohort)}

    def assert_nothing_changed(self) -> None:
        self.assertEqual(
            {cohort.pk: seats(cohort) for cohort in (self.cohort_b, self.other_cohort)},
            self.before,
        )

    def seat_post(self, **changes: Any) -> dict[str, Any]:
        data = {"cohort": self.cohort_b.pk, "user": self.bob.pk, "role": "learner", "coach": ""}
        return {**data, **changes, "_save": "Save"}

    def test_the_seat_page_refuses_a_person_of_another_organisation(self) -> None:
        response = self.client.post(
            reverse("studio:cohorts_enrollment_add"), self.seat_post(user=self.oscar.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["user"],
            ["This person is not in the cohort's organisation."],
        )
        self.assert_nothing_changed()

    def test_the_seat_page_refuses_a_coach_of_another_organisation(self) -> None:
        contoso_coach = make_user(self.other_org, "cleo@contoso.example", role=Role.COACH)
        response = self.client.post(
            reverse("studio:cohorts_enrollment_add"), self.seat_post(coach=contoso_coach.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["coach"],
            ["This coach is not in the cohort's organisation."],
        )
        self.assert_nothing_changed()

    def test_the_seat_page_refuses_someone_as_their_own_coach(self) -> None:
        response = self.client.post(
            reverse("studio:cohorts_enrollment_add"), self.seat_post(coach=self.bob.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["coach"],
            ["A person cannot be their own coach."],
        )
        self.assert_nothing_changed()

    def test_changing_a_seats_coach_to_someone_elsewhere_is_refused(self) -> None:
        seat = Enrollment.objects.get(cohort=self.cohort_a, user=self.alice)
        coach_before = seat.coach_id
        response = self.client.post(
            reverse("studio:cohorts_enrollment_change", args=[seat.pk]),
            {"role": "learner", "coach": self.oscar.pk, "_save": "Save"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("coach", response.context["adminform"].form.errors)
        seat.refresh_from_db()
        self.assertEqual(seat.coach_id, coach_before)

    def test_the_cohort_page_refuses_a_person_of_another_organisation(self) -> None:
        cohort = self.cohort_b
        data = {
            "program": cohort.program_id,
            "name": cohort.name,
            "start_date": cohort.start_date.isoformat(),
            **management_form("enrollments", total=1),
            "enrollments-0-user": self.oscar.pk,
            "enrollments-0-role": "learner",
            "enrollments-0-coach": "",
            **management_form("sessions"),
            "_save": "Save",
        }
        response = self.client.post(reverse("studio:cohorts_cohort_change", args=[cohort.pk]), data)
        self.assertEqual(response.status_code, 200)
        formset = next(
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.model is Enrollment
        )
        self.assertEqual(
            formset.forms[0].errors["user"], ["This person is not in the cohort's organisation."]
        )
        self.assert_nothing_changed()


class ImportRaceTests(StudioTestCase):
    """The import looks people up, then writes. Someone adding one of the file's new people in
    between makes add_members refuse (AlreadyMembers): the page says so, and nothing of the file
    is imported."""

    def test_someone_added_between_the_look_up_and_the_write_is_a_conflict(self) -> None:
        real_load_known = imports.load_known

        def load_then_someone_adds_nadia(*args: Any) -> Known:
            known = real_load_known(*args)
            make_user(self.org, "nadia@northwind.example")  # the other admin's tab
            return known

        content = (
            "email,name,time_zone\n"
            "zoe@northwind.example,Zoe Zhang,Europe/Paris\n"
            "nadia@northwind.example,Nadia New,Africa/Nairobi\n"
        )
        upload = SimpleUploadedFile("people.csv", content.encode(), content_type="text/csv")
        self.client.force_login(self.adam)
        with patch("cohorts.imports.load_known", side_effect=load_then_someone_adds_nadia):
            response = self.client.post(
                reverse("cohorts:import", args=[self.cohort_b.public_id]), {"file": upload}
            )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "nothing was imported", status_code=409)
        self.assertFalse(User.objects.filter(email="zoe@northwind.example").exists())
