"""The organisation's reading level (`ReviewSettings.max_reading_grade`): its default, who may
read and change it, its range, and that the studio panel, the programme review, decisions and
`manage.py review_text --max-grade` all review against it."""

import io
import sys

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.urls import reverse

from design_review.models import Decision, DecisionKind, ReviewSettings, reading_grade_of
from design_review.review import digest
from organizations.models import Role
from programs.models import Activity, ActivityKind
from rapport.testing import PersonaTestCase, make_user

# Flesch-Kincaid grade 10.5: over a level of 8, under the default of 12.
GRADE_10 = (
    "Think about a recent conversation with someone in your team where you listened "
    "carefully and noticed what changed afterwards."
)
RANGE = "Choose a grade from 6 to 16."


class ReadingLevelSettingTests(PersonaTestCase):
    url = reverse("design_review:settings")

    def test_it_is_twelve_until_the_organisation_sets_another(self) -> None:
        self.assertEqual(reading_grade_of(self.org), 12)
        self.client.force_login(self.dora)
        response = self.client.get(self.url)
        self.assertContains(response, "Grade 12 at most.")
        self.assertContains(response, "Your organisation's admins set it")
        self.assertNotContains(response, 'name="max_reading_grade"')

    def test_an_admin_sets_it_and_designers_read_it(self) -> None:
        self.client.force_login(self.adam)
        self.assertContains(self.client.get(self.url), 'name="max_reading_grade"')
        response = self.client.post(self.url, {"max_reading_grade": "8"})
        self.assertRedirects(response, self.url)
        row = ReviewSettings.objects.get(organization=self.org)
        self.assertEqual((row.max_reading_grade, row.updated_by), (8, self.adam))
        self.client.force_login(self.dora)
        self.assertContains(self.client.get(self.url), "Grade 8 at most.")

    def test_only_admins_change_it_and_learners_and_coaches_do_not_see_it(self) -> None:
        for person, get_status, post_status in (
            (self.dora, 200, 403),
            (self.alice, 403, 403),
            (self.carol, 403, 403),
            (self.oscar, 403, 403),
        ):
            self.client.force_login(person)
            with self.subTest(person=person.email):
                self.assertEqual(self.client.get(self.url).status_code, get_status)
                response = self.client.post(self.url, {"max_reading_grade": "6"})
                self.assertEqual(response.status_code, post_status)
        self.assertFalse(ReviewSettings.objects.exists())

    def test_each_organisation_has_its_own(self) -> None:
        ReviewSettings.objects.create(organization=self.org, max_reading_grade=7)
        other_admin = make_user(self.other_org, "olga@contoso.example", role=Role.ADMIN)
        self.client.force_login(other_admin)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="12"')
        self.client.post(self.url, {"max_reading_grade": "14"})
        self.assertEqual(reading_grade_of(self.org), 7)
        self.assertEqual(
            ReviewSettings.objects.get(organization=self.other_org).max_reading_grade, 14
        )

    def test_a_grade_out_of_range_or_not_a_number_is_refused_and_changes_nothing(self) -> None:
        ReviewSettings.objects.create(organization=self.org, max_reading_grade=10)
        self.client.force_login(self.adam)
        for bad in ("5", "17", "0", "-3", "ten", "", "10.5", "9" * 30):
            with self.subTest(bad):
                response = self.client.post(self.url, {"max_reading_grade": bad})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, RANGE, status_code=400)
                if bad:  # what was typed is kept
                    self.assertContains(response, f'value="{bad}"', status_code=400)
        self.assertEqual(reading_grade_of(self.org), 10)


class ReadingLevelInTheReviewTests(PersonaTestCase):
    def setUp(self) -> None:
        self.activity = self.first_activity(ActivityKind.MISSION)
        Activity.objects.filter(pk=self.activity.pk).update(body=GRADE_10)
        self.activity.refresh_from_db()
        self.client.force_login(self.dora)

    def test_the_programme_review_and_the_activity_review_use_it(self) -> None:
        program_url = reverse("design_review:program", args=[self.program.public_id])
        activity_url = reverse("design_review:activity", args=[self.activity.public_id])
        self.assertContains(self.client.get(program_url), "0 open findings")
        self.assertContains(self.client.get(program_url), "grade 12 at most")
        ReviewSettings.objects.create(organization=self.org, max_reading_grade=8)
        program = self.client.get(program_url)
        self.assertContains(program, "1 open finding")
        self.assertContains(program, "grade 8 at most")
        self.assertContains(self.client.get(activity_url), "<mark>Think about")

    def test_a_reading_level_finding_can_be_dismissed_at_the_organisations_level(self) -> None:
        ReviewSettings.objects.create(organization=self.org, max_reading_grade=8)
        dismiss = reverse("design_review:dismiss", args=[self.activity.public_id])
        response = self.client.post(
            dismiss,
            {
                "field": "body",
                "code": "reading-level",
                "start": 0,
                "end": len(GRADE_10),
                "digest": digest(GRADE_10),
                "reason": "A senior audience; the coach reads it aloud.",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Decision.objects.get().kind, DecisionKind.DISMISSED)


def run(*args: str, stdin: bytes) -> list[str]:
    out, old = io.StringIO(), sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("review_text", *args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = old
    return out.getvalue().splitlines()


class ReviewTextMaxGradeTests(SimpleTestCase):
    def test_max_grade_sets_the_reading_level(self) -> None:
        text = GRADE_10.encode() + b"\n"
        self.assertEqual(run("--no-classifier", stdin=text), ["0\t0.00\t"])
        flagged = run("--no-classifier", "--max-grade", "8", stdin=text)
        self.assertEqual(flagged[0].split("\t")[2], "reading-level")

    def test_a_grade_out_of_range_is_a_clear_error(self) -> None:
        for bad in ("5", "16.5", "99"):
            with self.subTest(bad), self.assertRaisesMessage(CommandError, "from 6 to 16"):
                run("--max-grade", bad, stdin=b"Hello\n")
