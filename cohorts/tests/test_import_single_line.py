"""The CSV import and single-line fields: a quoted name spread over two lines is stored on one
line and reported; what cannot be tidied is refused with the row; the email greeting and the
Settings page then show the name as stored (fault case csv-name-linebreak.csv)."""

import html
import re
from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from organizations.models import Membership
from rapport.testing import PASSWORD, PersonaTestCase

FIXTURES = Path(__file__).parent / "fixtures"


def upload(data: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


class NameWithLineBreakTests(PersonaTestCase):
    def import_file(self, data: bytes) -> str:
        self.client.force_login(self.adam)
        response = self.client.post(
            reverse("cohorts:import", args=[self.cohort_a.public_id]), {"file": upload(data)}
        )
        self.assertEqual(response.status_code, 200)
        return html.unescape(response.content.decode())

    def import_fault_case(self) -> str:
        return self.import_file((FIXTURES / "csv-name-linebreak.csv").read_bytes())

    def test_a_name_spread_over_two_lines_is_stored_on_one_line(self) -> None:
        self.import_fault_case()
        ana = User.objects.get(email="ana.newline@example.org")
        self.assertEqual(ana.full_name, "Ana Silva")
        self.assertEqual(User.objects.get(email="bo.after@example.org").full_name, "Bo After")

    def test_the_report_says_which_row_was_tidied_and_what_was_stored(self) -> None:
        page = self.import_fault_case()
        note = re.search(r'data-note-line="2">(.*?)</tr>', page, re.S)
        assert note is not None, "the report lists no tidied row"
        self.assertIn("ana.newline@example.org", note.group(1))
        self.assertIn("“Ana Silva”", note.group(1))
        self.assertNotIn('data-note-line="4"', page)

    def test_region_function_and_level_are_tidied_the_same_way(self) -> None:
        self.import_file(
            b"email,name,time_zone,region,function,level\n"
            b'cy@example.org,Cy,Europe/Oslo,"North\nEurope",Sales\tOps,Senior\r\n'
        )
        membership = Membership.objects.get(user__email="cy@example.org")
        self.assertEqual(
            (membership.region, membership.function, membership.level),
            ("North Europe", "Sales Ops", "Senior"),
        )

    def test_a_name_with_a_direction_override_is_refused_with_the_row(self) -> None:
        page = self.import_file(
            "email,name,time_zone\nmallory@example.org,Mal\u202eyrol,Europe/Oslo\n".encode()
        )
        row = re.search(r'data-line="2">(.*?)</tr>', page, re.S)
        assert row is not None, "the row is not reported"
        self.assertIn("U+202E", row.group(1))
        self.assertFalse(User.objects.filter(email="mallory@example.org").exists())

    def test_the_password_email_greets_the_imported_person_on_one_line(self) -> None:
        self.import_fault_case()
        self.client.logout()
        self.client.post(reverse("accounts:password_reset"), {"email": "ana.newline@example.org"})
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].body.splitlines()[0], "Hello Ana,")

    def test_saving_settings_unchanged_keeps_the_imported_name(self) -> None:
        """A browser's text box drops line breaks, so a stored "Ana⏎Silva" came back as
        "AnaSilva". The name is stored normalised, so what the box shows is what is saved."""
        self.import_fault_case()
        ana = User.objects.get(email="ana.newline@example.org")
        ana.set_password(PASSWORD)
        ana.save()
        self.client.force_login(ana)
        page = self.client.get(reverse("accounts:profile")).content.decode()
        shown = re.search(r'name="full_name"[^>]*value="([^"]*)"', page) or re.search(
            r'value="([^"]*)"[^>]*name="full_name"', page
        )
        assert shown is not None
        self.assertEqual(shown.group(1), "Ana Silva")
        response = self.client.post(
            reverse("accounts:profile"), {"full_name": shown.group(1), "time_zone": ana.time_zone}
        )
        self.assertEqual(response.status_code, 302)
        ana.refresh_from_db()
        self.assertEqual(ana.full_name, "Ana Silva")

    def test_settings_turns_a_pasted_tab_into_a_space(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("accounts:profile"), {"full_name": "Alice\tAnders", "time_zone": "UTC"}
        )
        self.assertEqual(response.status_code, 302)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.full_name, "Alice Anders")

    def test_settings_refuses_a_control_character_and_changes_nothing(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("accounts:profile"), {"full_name": "Alice\x1b[31m", "time_zone": "UTC"}
        )
        self.assertContains(response, "U+001B", status_code=400)
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.full_name, self.alice.time_zone), ("Alice", "Europe/London"))
