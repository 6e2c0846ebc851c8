"""Single-line fields: line breaks and tabs are normalised, other control characters refused,
the same way in every place a value enters (rapport/lib/text.py)."""

from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import SimpleTestCase, TestCase

from cohorts.models import Cohort
from programs.models import Program, Week
from rapport.lib.text import (
    SingleLineCharField,
    clean_single_line,
    normalise_single_line,
    scrub_single_line,
    single_line_problem,
    validate_single_line,
)
from rapport.testing import PersonaTestCase, make_org

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# CharFields a person never types as free text, each with the reason it needs no validator.
EXEMPT = {
    "accounts.User.password": "a password hash set by set_password",
    "accounts.User.time_zone": "checked against the list of IANA zone names",
    "events.Event.object_type": "set by code from a fixed set of object names",
    "design_review.Decision.code": "a finding code, a choice of design_review.codes.CODES",
}


class NormaliseTests(SimpleTestCase):
    def test_a_line_break_inside_a_name_becomes_one_space(self) -> None:
        self.assertEqual(normalise_single_line("Ana\r\nSilva"), "Ana Silva")
        self.assertEqual(normalise_single_line("Ana \n\n  Silva"), "Ana Silva")
        self.assertEqual(normalise_single_line("Ana\u2028Silva\x85Costa"), "Ana Silva Costa")

    def test_tabs_become_a_space_and_the_ends_are_trimmed(self) -> None:
        self.assertEqual(normalise_single_line("\tSales\tEMEA\n"), "Sales EMEA")

    def test_ordinary_spacing_is_left_alone(self) -> None:
        self.assertEqual(normalise_single_line("Jean  Pierre"), "Jean  Pierre")
        self.assertEqual(normalise_single_line("D'Arcy\u00a0O'Neil"), "D'Arcy\u00a0O'Neil")

    def test_stray_zero_width_characters_are_removed_but_joiners_are_kept(self) -> None:
        self.assertEqual(normalise_single_line("\ufeffAna\u200b Silva\u2060"), "Ana Silva")
        persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want": ZWNJ is spelling
        self.assertEqual(normalise_single_line(persian), persian)
        family = "👩\u200d👩\u200d👧"
        self.assertEqual(normalise_single_line(family), family)

    def test_normalising_twice_changes_nothing_more(self) -> None:
        once = normalise_single_line(" a\t\tb \r\n c ")
        self.assertEqual(normalise_single_line(once), once)


class ValidatorTests(SimpleTestCase):
    def test_a_bell_character_is_refused_with_its_name_and_position(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            validate_single_line("Ana\x07")
        self.assertEqual(caught.exception.code, "single_line")
        self.assertIn("U+0007 control character", caught.exception.messages[0])
        self.assertIn("character 4", caught.exception.messages[0])

    def test_bidirectional_overrides_and_isolates_are_refused(self) -> None:
        for character in ("\u202e", "\u202a", "\u2066", "\u2069"):
            problem = single_line_problem(f"Bob{character}evil")
            assert problem is not None
            self.assertIn(f"U+{ord(character):04X}", problem)

    def test_c1_controls_are_refused(self) -> None:
        self.assertIsNotNone(single_line_problem("Ana\x9bSilva"))

    def test_a_line_break_is_reported_as_such_when_not_normalised(self) -> None:
        problem = single_line_problem("Ana\nSilva")
        assert problem is not None
        self.assertIn("single line", problem)

    def test_direction_marks_and_ordinary_text_pass(self) -> None:
        for value in ("Ana Silva", "שלום\u200f abc", "Zoë Ğüneş", ""):
            validate_single_line(value)

    def test_clean_normalises_then_refuses_what_cannot_be_tidied(self) -> None:
        self.assertEqual(clean_single_line("Ana\r\nSilva"), "Ana Silva")
        with self.assertRaises(ValidationError):
            clean_single_line("Ana\u202eSilva")

    def test_scrub_for_stored_rows_always_yields_a_valid_value(self) -> None:
        scrubbed = scrub_single_line("Ana\r\n\u202eSil\x00va\t")
        self.assertEqual(scrubbed, "Ana Silva")
        validate_single_line(scrubbed)


class EveryFieldTests(SimpleTestCase):
    def test_every_typed_char_field_of_the_project_has_the_single_line_validator(self) -> None:
        """A new CharField that a person types cannot forget the rule: use SingleLineCharField
        (or add validate_single_line), or list it in EXEMPT with the reason."""
        missing = []
        checked = 0
        for model in apps.get_models():
            if not Path(model._meta.app_config.path).is_relative_to(PROJECT_ROOT):
                continue
            if ".venv" in Path(model._meta.app_config.path).parts:
                continue
            for field in model._meta.get_fields():
                if not isinstance(field, models.CharField) or isinstance(
                    field, models.EmailField | models.URLField | models.SlugField
                ):
                    continue  # TextField is not a CharField; these three have strict formats
                if field.choices:
                    continue
                label = f"{model._meta.label}.{field.name}"
                if label in EXEMPT:
                    continue
                checked += 1
                if validate_single_line not in field.validators:
                    missing.append(label)
        self.assertEqual(missing, [], "single-line CharFields without validate_single_line")
        self.assertGreaterEqual(checked, 12)

    def test_the_single_line_field_uses_a_normalising_form_field(self) -> None:
        form_field = SingleLineCharField(max_length=10).formfield()
        self.assertEqual(form_field.clean("a\tb"), "a b")


class ModelCleanTests(TestCase):
    def test_full_clean_stores_the_normalised_title(self) -> None:
        program = Program(organization=make_org(), title="Coaching\r\nskills")
        program.full_clean()
        self.assertEqual(program.title, "Coaching skills")

    def test_full_clean_refuses_a_title_with_a_control_character(self) -> None:
        program = Program(organization=make_org(), title="Coaching\x1bskills")
        with self.assertRaises(ValidationError) as caught:
            program.full_clean()
        self.assertIn("title", caught.exception.message_dict)


class StudioTests(PersonaTestCase):
    def test_the_studio_stores_a_pasted_tab_in_a_cohort_name_as_a_space(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.post(
            "/studio/cohorts/cohort/add/",
            {
                "program": self.program.pk,
                "name": "Spring\tcohort",
                "start_date": "2027-03-01",
                "enrollments-TOTAL_FORMS": "0",
                "enrollments-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertTrue(Cohort.objects.filter(name="Spring cohort").exists())

    def test_the_studio_refuses_a_week_title_with_a_right_to_left_override(self) -> None:
        week = Week.objects.filter(program=self.program).first()
        self.client.force_login(self.dora)
        response = self.client.post(
            f"/studio/programs/week/{week.pk}/change/",
            {
                "program": self.program.pk,
                "number": week.number,
                "title": "Listen\u202efully",
                "summary": "",
                "activities-TOTAL_FORMS": "0",
                "activities-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "U+202E")
        week.refresh_from_db()
        self.assertEqual(week.title, "Week 1 theme")
