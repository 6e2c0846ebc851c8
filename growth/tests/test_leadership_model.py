"""The leadership model: behaviours with identity (organizations.Behaviour), the default model
every new organisation starts from, the studio's inline, and the admins' CSV import (a bad file
is answered row by row and changes nothing)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from growth import actions
from growth.tests.base import GrowthTestCase
from organizations.actions import seed_default_framework
from organizations.frameworks import DEFAULT_COMPETENCIES
from organizations.models import Behaviour, Competency, Organization
from rapport.studio_testing import management_form
from rapport.testing import make_user

GOOD = (
    "competency,behaviour,description\n"
    "Coach for growth,Asks what the other person already tried,Helps people find their answers\n"
    "Coach for growth,Holds back advice until asked,\n"
    "Listen fully,Notices what is not said,\n"
)


def upload(text: str | bytes, name: str = "model.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


class DefaultModelTests(GrowthTestCase):
    def test_the_default_model_has_five_competencies_of_three_behaviours(self) -> None:
        competencies = Competency.objects.filter(organization=self.org)
        self.assertEqual(
            [c.name for c in competencies], [spec.name for spec in DEFAULT_COMPETENCIES]
        )
        for competency in competencies:
            self.assertEqual(len(competency.behaviour_list()), 3)

    def test_seeding_again_changes_nothing(self) -> None:
        before = Behaviour.objects.count()
        changes = seed_default_framework(self.org)
        self.assertEqual(changes.behaviours_added, 0)
        self.assertEqual(Behaviour.objects.count(), before)

    def test_a_new_organisation_from_the_studio_starts_with_the_default_model(self) -> None:
        from accounts.models import User
        from rapport.testing import PASSWORD

        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        response = self.client.post(
            reverse("studio:organizations_organization_add"),
            {"name": "Fabrikam", "slug": "fabrikam", "_save": "Save"},
        )
        self.assertEqual(response.status_code, 302)
        org = Organization.objects.get(slug="fabrikam")
        self.assertEqual(Behaviour.objects.filter(organization=org).count(), 15)

    def test_the_studio_edits_behaviours_inline(self) -> None:
        competency = Competency.objects.get(organization=self.org, name="Listen fully")
        rows = list(competency.behaviours.all())
        self.client.force_login(self.dora)
        data = {
            "name": competency.name,
            "framework": competency.framework,
            "description": competency.description,
            "position": competency.position,
            "_save": "Save",
            **management_form("behaviours", total=len(rows) + 1, initial=len(rows)),
        }
        for n, row in enumerate(rows):
            data |= {
                f"behaviours-{n}-id": row.pk,
                f"behaviours-{n}-competency": competency.pk,
                f"behaviours-{n}-text": row.text + (" Always." if n == 0 else ""),
                f"behaviours-{n}-position": row.position,
            }
        n = len(rows)
        data |= {
            f"behaviours-{n}-competency": competency.pk,
            f"behaviours-{n}-text": "Summarises before moving on.",
            f"behaviours-{n}-position": 9,
        }
        url = reverse("studio:organizations_competency_change", args=[competency.pk])
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        texts = competency.behaviour_list()
        self.assertEqual(len(texts), 4)
        self.assertTrue(texts[0].endswith("Always."))
        self.assertEqual(
            Behaviour.objects.get(text="Summarises before moving on.").organization, self.org
        )

    def test_deleting_a_behaviour_keeps_the_goals_linked_to_it(self) -> None:
        goal, _ = actions.create_goal(
            self.alice, submission=None, title="Listen", behaviour=self.behaviour
        )
        Behaviour.objects.filter(pk=self.behaviour.pk).delete()
        goal.refresh_from_db()
        self.assertIsNone(goal.behaviour)


class ImportTests(GrowthTestCase):
    url = reverse("growth:model")

    def post(self, file: SimpleUploadedFile, framework: str = "Communication skills") -> object:
        return self.client.post(self.url, {"framework": framework, "file": file})

    def test_an_admin_imports_a_model_and_importing_again_changes_nothing(self) -> None:
        self.client.force_login(self.adam)
        response = self.post(upload(GOOD))
        self.assertRedirects(response, self.url)
        coach = Competency.objects.get(organization=self.org, name="Coach for growth")
        self.assertEqual(coach.description, "Helps people find their answers")
        self.assertEqual(
            coach.behaviour_list(),
            ["Asks what the other person already tried", "Holds back advice until asked"],
        )
        listen = Competency.objects.get(organization=self.org, name="Listen fully")
        self.assertEqual(listen.behaviour_list()[-1], "Notices what is not said")
        count = Behaviour.objects.count()
        self.post(upload(GOOD))
        self.assertEqual(Behaviour.objects.count(), count)
        self.assertFalse(
            Competency.objects.filter(organization=self.other_org, name="Coach for growth").exists()
        )

    def test_a_file_with_bad_rows_changes_nothing_and_names_each_line(self) -> None:
        self.client.force_login(self.adam)
        before = Behaviour.objects.count()
        bad = (
            "competency;behaviour\n"
            "Coach for growth;Asks first\n"
            ";An orphan behaviour\n"
            f"Coach for growth;{'x' * 301}\n"
            "Coach for growth;Asks first\n"
        )
        response = self.post(upload(bad))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Nothing was imported", status_code=400)
        for line in (3, 4, 5):
            self.assertContains(response, f'data-line="{line}"', status_code=400)
        self.assertContains(response, "already on line 2", status_code=400)
        self.assertEqual(Behaviour.objects.count(), before)
        self.assertFalse(Competency.objects.filter(name="Coach for growth").exists())

    def test_whole_file_problems_are_form_errors(self) -> None:
        self.client.force_login(self.adam)
        cases = {
            "not utf-8": upload("competency,behaviour\nÉcoute,Écoute\n".encode("latin-1")),
            "no columns": upload("name,email\nA,b@example.com\n"),
            "binary": upload(b"\x89PNG\x00\x00\x00"),
            "empty": upload(b"   "),
            "header only": upload("competency,behaviour\n"),
        }
        for label, file in cases.items():
            with self.subTest(label):
                response = self.post(file)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(
            Competency.objects.exclude(name__in=[s.name for s in DEFAULT_COMPETENCIES]).exists()
        )

    def test_only_admins_import(self) -> None:
        for person in (self.alice, self.carol, self.dora):
            self.client.force_login(person)
            self.assertEqual(self.post(upload(GOOD)).status_code, 403)
        self.assertFalse(Competency.objects.filter(name="Coach for growth").exists())

    def test_an_admin_of_another_organisation_imports_into_their_own(self) -> None:
        olaf = make_user(self.other_org, "olaf@contoso.example", role="admin")
        self.client.force_login(olaf)
        self.post(upload(GOOD))
        self.assertTrue(
            Competency.objects.filter(organization=self.other_org, name="Coach for growth").exists()
        )
        self.assertFalse(
            Competency.objects.filter(organization=self.org, name="Coach for growth").exists()
        )
