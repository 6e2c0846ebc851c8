"""The studio's organisation pages (organizations/admin.py): the leadership model's competencies,
for designers and admins, and the organisations themselves, for platform superusers only."""

from django.urls import reverse

from accounts.models import User
from organizations.models import Competency, Organization
from rapport.studio_testing import StudioTestCase, changelist, management_form
from rapport.testing import PASSWORD


class CompetencyTests(StudioTestCase):
    def test_a_duplicate_competency_is_a_form_error_not_a_crash(self) -> None:
        self.client.force_login(self.dora)
        data = {
            "name": "Listen fully",
            "framework": "Communication skills",
            "description": "",
            "position": "0",
            "_save": "Save",
            **management_form("behaviours"),
        }
        response = self.client.post(reverse("studio:organizations_competency_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.non_field_errors())
        self.assertEqual(Competency.objects.filter(organization=self.org).count(), 1)

    def test_the_same_competency_name_is_fine_in_another_organisation(self) -> None:
        # Olga's organisation already has "Listen fully" too; uniqueness is per organisation.
        Competency.objects.filter(organization=self.org).delete()
        self.client.force_login(self.dora)
        data = {
            "name": "Listen fully",
            "framework": "Communication skills",
            "position": "0",
            **management_form("behaviours"),
        }
        response = self.client.post(reverse("studio:organizations_competency_add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Competency.objects.filter(organization=self.org).exists())


class OrganisationPageTests(StudioTestCase):
    def test_only_a_superuser_opens_the_organisations_page(self) -> None:
        for person in (self.dora, self.adam):
            with self.subTest(person=person.email):
                self.client.force_login(person)
                response = self.client.get(changelist("organizations_organization"))
                self.assertEqual(response.status_code, 403)
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        response = self.client.get(changelist("organizations_organization"))
        self.assertEqual(
            {o.pk for o in response.context["cl"].result_list},
            set(Organization.objects.values_list("pk", flat=True)),
        )

    def test_a_competency_of_another_organisation_cannot_be_opened(self) -> None:
        theirs = Competency.objects.filter(organization=self.other_org).first()
        assert theirs is not None
        self.client.force_login(self.dora)
        url = reverse("studio:organizations_competency_change", args=[theirs.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)  # back to the index: "doesn't exist"
        self.assertEqual(
            {
                c.pk
                for c in self.client.get(changelist("organizations_competency"))
                .context["cl"]
                .result_list
            },
            set(Competency.objects.filter(organization=self.org).values_list("pk", flat=True)),
        )
