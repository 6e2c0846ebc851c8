"""Importing learners into a cohort from a CSV file: who may, what a good file does, and how
every kind of bad file or bad row is reported without changing what should not change."""

import html
import random
import re
from typing import Any
from unittest.mock import patch

from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cohorts import imports
from cohorts.imports import (
    ImportFileError,
    decode_csv_bytes,
    import_learners_into,
    normalise_column,
    parse_csv,
)
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.models import Event, ObjectType, Verb
from organizations.models import Membership, Role
from rapport.testing import PASSWORD, PersonaTestCase, make_user

HEADER = "email,name,time_zone,region,function,level,coach_email\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def csv_upload(content: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def people_csv(count: int, *, start: int = 0, coach: str = "carol@northwind.example") -> str:
    lines = [
        f"person{n}@northwind.example,Person {n},Europe/Paris,Europe,Sales,Manager,{coach}"
        for n in range(start, start + count)
    ]
    return HEADER + "\n".join(lines) + "\n"


# Signing in (force_login) stamps last_login; that is not the import's doing.
USER_FIELDS = [f.attname for f in User._meta.concrete_fields if f.name != "last_login"]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row an import could touch, to prove that nothing changed."""
    return {
        "users": list(User.objects.order_by("pk").values(*USER_FIELDS)),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "enrollments": list(Enrollment.objects.order_by("pk").values()),
    }


class ImportTestCase(PersonaTestCase):
    def url(self, cohort: Cohort | None = None) -> str:
        return reverse("cohorts:import", args=[(cohort or self.cohort_a).public_id])

    def post(self, content: str | bytes, *, as_user: User | None = None, **kwargs: Any) -> Any:
        self.client.force_login(as_user or self.adam)
        return self.client.post(self.url(), {"file": csv_upload(content, **kwargs)})

    def page(self, response: Any) -> str:
        return html.unescape(response.content.decode())

    def counts(self, response: Any) -> dict[str, int]:
        """The report's counts, read from the page: created, enrolled, updated, unchanged…"""
        self.assertEqual(response.status_code, 200)
        found = re.findall(r'data-count="(\w+)">\s*(\d+)', response.content.decode())
        self.assertTrue(found, "the page shows no report")
        return {key: int(value) for key, value in found}

    def table_of(self, response: Any, attribute: str) -> dict[int, str]:
        """Line → last cell, read from the report table whose rows carry `attribute`."""
        rows = re.findall(
            rf'<tr {attribute}="(\d+)">\s*<td>\d+</td>\s*<td>.*?</td>\s*<td>(.*?)</td>',
            response.content.decode(),
            re.S,
        )
        return {int(line): html.unescape(text) for line, text in rows}

    def errors_of(self, response: Any) -> dict[int, str]:
        """Line → problem, read from the rows-not-imported table."""
        return self.table_of(response, "data-line")

    def changes_of(self, response: Any) -> dict[int, str]:
        """Line → what the import changed, read from the changes table."""
        return self.table_of(response, "data-change-line")


class ImportAccessTests(ImportTestCase):
    def test_an_organisation_admin_sees_the_form(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Import learners")
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, "csrfmiddlewaretoken")

    def test_anonymous_people_are_sent_to_sign_in(self) -> None:
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_people_who_can_see_the_cohort_but_are_not_admins_get_403(self) -> None:
        # The designer sees every cohort of the organisation; alice and carol are enrolled in A.
        for person in (self.dora, self.alice, self.carol):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url()).status_code, 403, person.email)

    def test_people_who_cannot_see_the_cohort_get_404(self) -> None:
        for person in (self.dave, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url()).status_code, 404, person.email)

    def test_an_admin_cannot_import_into_another_organisations_cohort(self) -> None:
        self.client.force_login(self.adam)
        self.assertEqual(self.client.get(self.url(self.other_cohort)).status_code, 404)

    def test_an_unknown_cohort_is_404(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("cohorts:import", args=["00000000-0000-4000-8000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get("/cohorts/not-a-uuid/import/").status_code, 404)

    def test_a_post_by_a_non_admin_is_refused_and_changes_nothing(self) -> None:
        before = snapshot()
        self.assertEqual(self.post(people_csv(2), as_user=self.dora).status_code, 403)
        self.assertEqual(self.post(people_csv(2), as_user=self.oscar).status_code, 404)
        self.assertEqual(snapshot(), before)

    def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.adam)
        before = snapshot()
        response = client.post(self.url(), {"file": csv_upload(people_csv(2))})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(snapshot(), before)


class ImportGoodFileTests(ImportTestCase):
    def test_new_people_get_an_account_a_learner_membership_and_an_enrollment(self) -> None:
        response = self.post(
            HEADER
            + "Nia@Northwind.example,Nia Okafor,Africa/Lagos,EMEA,Finance,Director,"
            + "carol@northwind.example\n"
            + "li@northwind.example,Li Wei,Asia/Shanghai,,,,\n"
        )
        counts = self.counts(response)
        self.assertEqual((counts["created"], counts["enrolled"], counts["errors"]), (2, 0, 0))
        nia = User.objects.get(email="nia@northwind.example")
        self.assertEqual((nia.full_name, nia.time_zone), ("Nia Okafor", "Africa/Lagos"))
        self.assertFalse(is_password_usable(nia.password))
        membership = nia.membership
        self.assertEqual(membership.organization, self.org)
        self.assertEqual(membership.role, Role.LEARNER)
        self.assertEqual(
            (membership.region, membership.function, membership.level),
            ("EMEA", "Finance", "Director"),
        )
        enrollment = Enrollment.objects.get(user=nia, cohort=self.cohort_a)
        self.assertEqual(enrollment.role, EnrollmentRole.LEARNER)
        self.assertEqual(enrollment.coach, self.carol)
        self.assertEqual(enrollment.organization, self.org)
        self.assertIsNone(Enrollment.objects.get(user__email="li@northwind.example").coach)
        self.assertContains(response, "2 new people added and enrolled.")
        self.assertContains(response, "Every row was imported.")

    def test_an_import_records_one_imported_event_with_counts_and_no_text(self) -> None:
        self.post(people_csv(3) + "alice@northwind.example,Alice,Europe/London,Europe,,,\n")
        (event,) = Event.objects.filter(verb=Verb.IMPORTED)
        self.assertEqual(
            (event.actor, event.object_type, event.object_id, event.cohort),
            (self.adam, ObjectType.COHORT, self.cohort_a.public_id, self.cohort_a),
        )
        self.assertEqual(
            event.result,
            {"created": 3, "enrolled": 0, "updated": 0, "unchanged": 1, "errors": 0},
        )
        self.assertEqual(
            Event.objects.filter(verb=Verb.REGISTERED, cohort=self.cohort_a).count(), 4 + 3
        )
        # A re-import that changes nothing records nothing.
        self.post(people_csv(3))
        self.assertEqual(Event.objects.filter(verb=Verb.IMPORTED).count(), 1)

    def test_new_people_are_emailed_an_invitation_naming_the_admin_once_it_commits(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.post(HEADER + "nia@northwind.example,Nia,Africa/Lagos,,,,\n")
        self.assertEqual([m.to for m in mail.outbox], [["nia@northwind.example"]])
        self.assertIn("Adam has added you to Northwind Bio", mail.outbox[0].body)
        self.assertIn("/accounts/welcome/", mail.outbox[0].body)

    def test_people_already_in_the_organisation_are_enrolled_and_keep_their_role(self) -> None:
        response = self.post(
            HEADER
            + "dave@northwind.example,Dave,America/Lima,,,,\n"
            + "dora@northwind.example,Dora,Europe/London,,,,\n"
        )
        counts = self.counts(response)
        self.assertEqual((counts["created"], counts["enrolled"], counts["errors"]), (0, 2, 0))
        self.assertTrue(
            Enrollment.objects.filter(user=self.dave, cohort=self.cohort_b).exists(),
            "their other cohort is untouched",
        )
        for person in (self.dave, self.dora):
            enrollment = Enrollment.objects.get(user=person, cohort=self.cohort_a)
            self.assertEqual(enrollment.role, EnrollmentRole.LEARNER)
        self.dora.membership.refresh_from_db()
        self.assertEqual(self.dora.membership.role, Role.DESIGNER)

    def test_coach_and_organisation_details_are_updated_and_each_change_is_listed(self) -> None:
        coach = make_user(self.org, "cai@northwind.example", role=Role.COACH, name="Cai")
        response = self.post(
            HEADER
            + "alice@northwind.example,Alice,Europe/London,Americas,Sales,,\n"
            + "bob@northwind.example,Bob,Asia/Tokyo,,,,cai@northwind.example\n"
            + "dora@northwind.example,Dora,Europe/London,,,,cai@northwind.example\n"
        )
        counts = self.counts(response)
        self.assertEqual((counts["updated"], counts["enrolled"], counts["errors"]), (2, 1, 0))
        self.assertEqual(Enrollment.objects.get(user=self.bob, cohort=self.cohort_a).coach, coach)
        self.alice.membership.refresh_from_db()
        self.assertEqual(self.alice.membership.region, "Americas")
        self.assertEqual(
            self.changes_of(response),
            {
                2: "Region changed from “Europe” to “Americas”. Function set to “Sales”.",
                3: "Coach changed to cai@northwind.example.",
                4: "Enrolled in this cohort. Coach set to cai@northwind.example.",
            },
        )

    def test_a_re_import_in_another_letter_case_never_overwrites_what_a_person_chose(
        self,
    ) -> None:
        # Alice set her own name and time zone in Settings; HR's file still has the old ones.
        self.client.force_login(self.alice)
        self.client.post(
            reverse("accounts:profile"), {"full_name": "Alice Moreau", "time_zone": "Asia/Kolkata"}
        )
        response = self.post(HEADER + "ALICE@Northwind.Example,Alice Old,Europe/Paris,,,,\n")
        counts = self.counts(response)
        self.assertEqual((counts["created"], counts["unchanged"]), (0, 1))
        self.assertEqual(User.objects.filter(email__iexact="alice@northwind.example").count(), 1)
        self.alice.refresh_from_db()
        self.assertEqual(
            (self.alice.full_name, self.alice.time_zone), ("Alice Moreau", "Asia/Kolkata")
        )
        self.assertEqual(self.changes_of(response), {})

    def test_blank_cells_never_erase_what_is_recorded(self) -> None:
        response = self.post(HEADER + "alice@northwind.example,Alice,Europe/London,,,,\n")
        self.assertEqual(self.counts(response)["unchanged"], 1)
        self.alice.membership.refresh_from_db()
        self.assertEqual(self.alice.membership.region, "Europe")
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.assertEqual(enrollment.coach, self.carol)

    def test_importing_the_same_file_again_changes_nothing_and_writes_nothing(self) -> None:
        content = people_csv(5) + "alice@northwind.example,Alice,Europe/London,Europe,,,\n"
        first = self.counts(self.post(content))
        self.assertEqual((first["created"], first["unchanged"]), (5, 1))
        before = snapshot()
        self.client.force_login(self.adam)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(self.url(), {"file": csv_upload(content)})
        self.assertEqual(
            self.counts(response),
            {"created": 0, "enrolled": 0, "updated": 0, "unchanged": 6, "errors": 0},
        )
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and "django_session" not in q["sql"]
        ]
        self.assertEqual(writes, [])
        self.assertEqual(snapshot(), before)
        self.assertContains(response, "6 already enrolled, nothing to change.")

    def test_an_excel_file_with_semicolons_and_a_byte_order_mark_is_read(self) -> None:
        content = (
            "\ufeffEmail;Name;Time zone;Region\r\n"
            "ana@northwind.example;Ana Souza, PhD;America/Sao_Paulo;LATAM\r\n"
        )
        response = self.post(content.encode("utf-8"))
        self.assertEqual(self.counts(response)["created"], 1)
        ana = User.objects.get(email="ana@northwind.example")
        self.assertEqual(ana.full_name, "Ana Souza, PhD")
        self.assertEqual(ana.membership.region, "LATAM")

    def test_an_excel_sep_line_is_understood(self) -> None:
        content = "sep=;\nemail;name;time_zone\nana@northwind.example;Ana;UTC\n"
        self.assertEqual(self.counts(self.post(content))["created"], 1)

    def test_columns_are_case_insensitive_in_any_order_and_extras_are_reported(self) -> None:
        response = self.post(
            "TIME_ZONE,Employee ID,Name,EMAIL\nEurope/Paris,E-1,Ann,ann@northwind.example\n"
        )
        self.assertEqual(self.counts(response)["created"], 1)
        self.assertContains(response, "These columns were not used")
        self.assertContains(response, '<span class="badge">Employee ID</span>', html=True)


class ImportRowProblemTests(ImportTestCase):
    def test_each_bad_row_is_reported_with_its_spreadsheet_line_and_good_rows_are_imported(
        self,
    ) -> None:
        response = self.post(
            HEADER
            + "good@northwind.example,Good Person,Europe/Paris,,,,\n"  # line 2
            + "not-an-email,Someone,Europe/Paris,,,,\n"  # line 3
            + "noname@northwind.example,,Europe/Paris,,,,\n"  # line 4
            + "tz@northwind.example,Tee Zed,Mars/Olympus,,,,\n"  # line 5
            + "case@northwind.example,Case,europe/paris,,,,\n"  # line 6
            + "GOOD@northwind.example,Good Again,Europe/Paris,,,,\n"  # line 7
            + "coachless@northwind.example,C,UTC,,,,nobody@northwind.example\n"  # line 8
            + "noon@northwind.example,Noon,Mars/Noon,,,,\n"  # line 9
            + f"long@northwind.example,{'N' * 151},UTC,,,,\n"  # line 10
            + f"region@northwind.example,R,UTC,{'R' * 81},,,\n"  # line 11
            + "self@northwind.example,Self,UTC,,,,self@northwind.example\n"  # line 12
            + "carol@northwind.example,Carol,UTC,,,,\n"  # line 13: cohort A's coach
        )
        self.assertEqual(response.status_code, 200)
        errors = self.errors_of(response)
        self.assertEqual(sorted(errors), list(range(3, 14)))
        self.assertIn("not valid", errors[3])
        self.assertIn("name is missing", errors[4])
        self.assertIn("“Mars/Olympus” is not a time zone we know", errors[5])
        self.assertIn("Did you mean Europe/Paris?", errors[6])
        self.assertIn("already appears on line 2", errors[7])
        self.assertIn("nobody@northwind.example is not a coach in this organisation", errors[8])
        self.assertIn("“Mars/Noon” is not a time zone we know", errors[9])
        self.assertIn("longer than 150 characters", errors[10])
        self.assertIn("region is longer than 80 characters", errors[11])
        self.assertIn("cannot be their own coach", errors[12])
        self.assertIn("already in this cohort as coach", errors[13])
        counts = self.counts(response)
        self.assertEqual((counts["created"], counts["errors"]), (1, 11))
        self.assertTrue(User.objects.filter(email="good@northwind.example").exists())
        for email in ("tz@northwind.example", "coachless@northwind.example"):
            self.assertFalse(User.objects.filter(email=email).exists(), email)
        self.assertEqual(
            Enrollment.objects.get(user=self.carol, cohort=self.cohort_a).role,
            EnrollmentRole.COACH,
        )
        # The table shows each row as typed.
        self.assertContains(response, "<td>GOOD@northwind.example</td>", html=True)

    def test_a_coach_listed_in_the_same_file_is_not_created_implicitly(self) -> None:
        response = self.post(
            HEADER
            + "newcoach@northwind.example,New Coach,UTC,,,,\n"
            + "learner@northwind.example,Learner,UTC,,,,newcoach@northwind.example\n"
        )
        errors = self.errors_of(response)
        self.assertIn("added as learners, not coaches", errors[3])
        self.assertEqual(
            User.objects.get(email="newcoach@northwind.example").membership.role, Role.LEARNER
        )
        self.assertFalse(User.objects.filter(email="learner@northwind.example").exists())

    def test_line_numbers_count_blank_lines_and_multi_line_cells_as_a_spreadsheet_does(
        self,
    ) -> None:
        response = self.post(
            HEADER
            + "\n"  # line 2: blank
            + 'a@northwind.example,"Ann\nOn Two Lines",UTC,,,,\n'  # line 3
            + "bad,Bad,UTC,,,,\n"  # line 4
        )
        self.assertEqual(list(self.errors_of(response)), [4])

    def test_a_deactivated_account_is_not_enrolled(self) -> None:
        User.objects.filter(pk=self.dave.pk).update(is_active=False)
        errors = self.errors_of(self.post(HEADER + "dave@northwind.example,Dave,UTC,,,,\n"))
        self.assertIn("switched off", errors[2])


class ImportAcrossOrganisationsTests(ImportTestCase):
    """Accounts are per organisation (docs/decisions/0006-accounts-per-organisation.md): an
    address used in another organisation is a brand-new person here, and nothing tells."""

    def import_one(self, email: str) -> tuple[str, dict[str, int]]:
        """The report page for a one-row import, with the address itself blanked out."""
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(
                HEADER + f"{email},Someone New,UTC,EMEA,,,carol@northwind.example\n"
            )
        counts = self.counts(response)
        page = response.content.decode().replace(email, "ADDRESS")
        # CSRF tokens and CSP nonces differ on every response.
        page = re.sub(r"[A-Za-z0-9+/=_-]{22,}", "TOKEN", page)
        return page, counts

    def test_an_address_from_another_organisation_is_indistinguishable_from_a_new_one(
        self,
    ) -> None:
        oscar_before = User.objects.filter(pk=self.oscar.pk).values().get()
        other_page, other_counts = self.import_one("OSCAR@contoso.example")
        new_page, new_counts = self.import_one("nobody-yet@contoso.example")
        self.assertEqual(other_counts, new_counts)
        self.assertEqual(other_counts["created"], 1)
        self.assertEqual(other_page, new_page)
        self.assertEqual([m.subject for m in mail.outbox[:1]], [m.subject for m in mail.outbox[1:]])

        # Two separate accounts now share the address; Contoso's is untouched and unenrolled.
        self.assertEqual(User.objects.filter(pk=self.oscar.pk).values().get(), oscar_before)
        self.assertFalse(Enrollment.objects.filter(user=self.oscar, cohort=self.cohort_a).exists())
        ours = User.objects.get(email="oscar@contoso.example", organization=self.org)
        self.assertNotEqual(ours.pk, self.oscar.pk)
        self.assertEqual(ours.membership.organization, self.org)
        self.assertTrue(Enrollment.objects.filter(user=ours, cohort=self.cohort_a).exists())

    def test_each_account_signs_in_with_its_own_password(self) -> None:
        self.import_one("oscar@contoso.example")
        ours = User.objects.get(email="oscar@contoso.example", organization=self.org)
        ours.set_password("northwind-password-1")
        ours.save()
        client = Client()
        self.assertTrue(client.login(username="Oscar@Contoso.example", password=PASSWORD))
        self.assertEqual(int(client.session["_auth_user_id"]), self.oscar.pk)
        client = Client()
        self.assertTrue(
            client.login(username="oscar@contoso.example", password="northwind-password-1")
        )
        self.assertEqual(int(client.session["_auth_user_id"]), ours.pk)


class ImportWholeFileProblemTests(ImportTestCase):
    def assert_refused(self, response: Any, message: str) -> None:
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, "data-count", status_code=400)
        self.assertIn(message, self.page(response))
        self.assertContains(response, 'aria-invalid="true"', status_code=400)

    def setUp(self) -> None:
        self.before = snapshot()

    def tearDown(self) -> None:
        self.assertEqual(snapshot(), self.before, "a refused file must change nothing")

    def test_an_empty_file(self) -> None:
        self.assert_refused(self.post(b""), "The file is empty")
        self.assert_refused(self.post(b"\n \r\n"), "The file is empty")

    def test_no_file_at_all(self) -> None:
        self.client.force_login(self.adam)
        self.assert_refused(self.client.post(self.url(), {}), "Choose a CSV file")

    def test_a_picture_named_csv(self) -> None:
        self.assert_refused(self.post(PNG_BYTES, name="people.csv"), "does not look like a CSV")

    def test_text_that_is_not_utf8(self) -> None:
        content = (HEADER + "jose@northwind.example,José,Europe/Madrid,,,,\n").encode("latin-1")
        self.assert_refused(self.post(content), "not saved as UTF-8 text (the first unreadable")
        self.assertIn("character is on line 2", self.page(self.post(content)))

    def test_unbalanced_quotes(self) -> None:
        content = HEADER + 'a@northwind.example,"Ann,UTC,,,,\n'
        self.assert_refused(self.post(content), "could not be read as CSV")

    def test_missing_required_columns(self) -> None:
        response = self.post("email,full name\na@northwind.example,Ann\n")
        self.assert_refused(response, "Missing on line 1: name, time_zone.")

    def test_a_duplicated_column(self) -> None:
        self.assert_refused(self.post("email,name,time_zone,Email\n"), "appears twice")

    def test_a_header_without_people(self) -> None:
        self.assert_refused(self.post(HEADER), "no people in it")

    @override_settings(RAPPORT_MAX_IMPORT_ROWS=3)
    def test_too_many_rows(self) -> None:
        self.assertEqual(self.post(people_csv(3)).status_code, 200)
        self.before = snapshot()
        self.assert_refused(self.post(people_csv(4, start=10)), "more than 3 rows")

    @override_settings(RAPPORT_MAX_IMPORT_MB=1)
    def test_too_large_a_file(self) -> None:
        content = people_csv(1) + "# padding," + "x" * (1024 * 1024) + "\n"
        self.assert_refused(self.post(content), "larger than 1 MB")


class ImportRobustnessTests(ImportTestCase):
    def test_a_clash_with_someone_else_changes_nothing_and_says_so(self) -> None:
        before = snapshot()
        real_apply = imports._apply

        def apply_then_clash(*args: Any) -> None:
            real_apply(*args)  # the rows are written, then the database refuses one
            raise IntegrityError("UNIQUE constraint failed: accounts_user.email")

        with patch("cohorts.imports._apply", side_effect=apply_then_clash):
            response = self.post(people_csv(3))
        self.assertEqual(response.status_code, 409)
        self.assertIn("nothing was imported", self.page(response))
        self.assertEqual(snapshot(), before)

    def test_random_bytes_never_break_the_page(self) -> None:
        rng = random.Random(20261122)
        samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))]
        samples += [
            HEADER.encode() + "".join(rng.choice(',;"\n\r ab@.é/') for _ in range(300)).encode()
            for _ in range(25)
        ]
        for sample in samples:
            response = self.post(sample)
            self.assertIn(response.status_code, (200, 400), sample[:60])


class ImportQueryCountTests(ImportTestCase):
    def setUp(self) -> None:
        # As the page loads it (cohorts.access.get_cohort_for_import): with its organisation.
        self.cohort = Cohort.objects.select_related("organization").get(pk=self.cohort_a.pk)

    def import_queries(self, content: str) -> int:
        parsed = parse_csv(content, max_rows=10_000)
        with CaptureQueriesContext(connection) as queries:
            report = import_learners_into(self.cohort, parsed)
        self.assertEqual(report.error_count, 0)
        return len(queries.captured_queries)

    def test_importing_new_people_takes_the_same_queries_for_10_or_100_rows(self) -> None:
        # 1 savepoint, 2 people by email, 3 coaches by email; organizations.actions.add_members:
        # 4 addresses already taken, 5 insert people, 6 insert memberships;
        # cohorts.actions.enroll_many: 7 seats already taken, 8 insert enrollments,
        # 9 insert their `registered` events; 10 release savepoint.
        with self.assertNumQueries(10):
            import_learners_into(self.cohort, parse_csv(people_csv(10), max_rows=10_000))
        self.assertEqual(self.import_queries(people_csv(100, start=100)), 10)

    def test_updating_existing_people_takes_the_same_queries_for_10_or_100_rows(self) -> None:
        self.import_queries(people_csv(10) + people_csv(100, start=100).removeprefix(HEADER))
        changed_10 = people_csv(10).replace("Manager", "Director")
        changed_100 = people_csv(100, start=100).replace("Manager", "Director")
        # 1 savepoint, 2 people by email (with membership), 3 coaches, 4 their enrollments
        # in the cohort, 5 update memberships, 6 release savepoint.
        self.assertEqual(self.import_queries(changed_10), 6)
        self.assertEqual(self.import_queries(changed_100), 6)

    def test_the_page_itself_does_not_grow_with_the_file(self) -> None:
        self.client.force_login(self.adam)
        counts = []
        for content in (people_csv(10), people_csv(100, start=100)):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.post(self.url(), {"file": csv_upload(content)})
            self.assertEqual(response.status_code, 200)
            counts.append(len(queries.captured_queries))
        self.assertEqual(counts[0], counts[1])


class ImportParsingTests(PersonaTestCase):
    def test_column_names_are_normalised(self) -> None:
        self.assertEqual(normalise_column("  Time-Zone "), "time_zone")
        self.assertEqual(normalise_column("Coach email"), "coach_email")

    def test_a_byte_order_mark_is_dropped(self) -> None:
        self.assertEqual(decode_csv_bytes(b"\xef\xbb\xbfemail"), "email")

    def test_control_characters_mean_it_is_not_text(self) -> None:
        with self.assertRaises(ImportFileError):
            decode_csv_bytes(b"email,name\x1b[31m")

    def test_the_row_limit_stops_reading_early(self) -> None:
        with self.assertRaises(ImportFileError):
            parse_csv(people_csv(3), max_rows=2)
        self.assertEqual(len(parse_csv(people_csv(2), max_rows=2).rows), 2)
