"""The import's `line_manager_email` column sets `Membership.line_manager`, which keeps a person
out of their manager's circle and their manager out of the moderation of their posts. A wrong
manager is a clear row error and nothing of that row changes; the report lists each change."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.imports import import_learners_into, parse_csv
from cohorts.models import Cohort, Enrollment
from cohorts.tests.test_import import ImportTestCase, snapshot
from organizations.actions import deactivate_member
from organizations.models import Membership

HEADER = "email,name,time_zone,line_manager_email\n"


def manager_of(email: str) -> str | None:
    membership = Membership.objects.select_related("line_manager").get(user__email=email)
    return membership.line_manager.email if membership.line_manager else None


class LineManagerImportTests(ImportTestCase):
    def test_it_sets_line_managers_from_members_and_from_the_file(self) -> None:
        response = self.post(
            HEADER
            + "amara@northwind.example,Amara Okafor,Africa/Lagos,adam@northwind.example\n"
            + "rafael@northwind.example,Rafael Costa,Europe/Lisbon,amara@northwind.example\n"
            # a manager added further down the same file
            + "li@northwind.example,Li Wei,Asia/Shanghai,noor@northwind.example\n"
            + "noor@northwind.example,Noor Haddad,Asia/Dubai,\n"
        )
        self.assertEqual(self.counts(response)["created"], 4)
        self.assertEqual(self.errors_of(response), {})
        self.assertEqual(manager_of("amara@northwind.example"), "adam@northwind.example")
        self.assertEqual(manager_of("rafael@northwind.example"), "amara@northwind.example")
        self.assertEqual(manager_of("li@northwind.example"), "noor@northwind.example")
        self.assertIsNone(manager_of("noor@northwind.example"))

    def test_the_report_lists_each_change_for_people_already_here(self) -> None:
        response = self.post(
            HEADER
            + "alice@northwind.example,Alice,Europe/London,bob@northwind.example\n"
            + "bob@northwind.example,Bob,Asia/Tokyo,\n"
        )
        self.assertEqual(
            self.changes_of(response), {2: "Line manager set to bob@northwind.example."}
        )
        self.assertEqual(manager_of("alice@northwind.example"), "bob@northwind.example")
        again = self.post(HEADER + "alice@northwind.example,Alice,UTC,fay@northwind.example\n")
        self.assertEqual(
            self.changes_of(again), {2: "Line manager changed to fay@northwind.example."}
        )
        same = self.post(HEADER + "alice@northwind.example,Alice,UTC,FAY@northwind.example\n")
        self.assertEqual(self.changes_of(same), {})
        self.assertEqual(self.counts(same)["unchanged"], 1)

    def test_a_blank_cell_leaves_the_recorded_manager_and_the_persons_own_choices(self) -> None:
        Membership.objects.filter(user=self.alice).update(line_manager=self.bob)
        self.alice.full_name = "Alice Martin"
        self.alice.save(update_fields=["full_name"])
        self.post(HEADER + "alice@northwind.example,Someone Else,Asia/Tokyo,\n")
        self.alice.refresh_from_db()
        self.assertEqual(manager_of("alice@northwind.example"), "bob@northwind.example")
        self.assertEqual(
            (self.alice.full_name, self.alice.time_zone), ("Alice Martin", "Europe/London")
        )

    def test_each_wrong_manager_is_a_row_error_and_that_row_changes_nothing(self) -> None:
        deactivate_member(self.erin.membership)  # type: ignore[attr-defined]
        before = snapshot()
        response = self.post(
            HEADER
            + "alice@northwind.example,Alice,UTC,alice@northwind.example\n"
            + "bob@northwind.example,Bob,UTC,nobody@northwind.example\n"
            + "fay@northwind.example,Fay,UTC,oscar@contoso.example\n"
            + "new1@northwind.example,New One,UTC,erin@northwind.example\n"
            + "new2@northwind.example,New Two,UTC,not-an-address\n"
        )
        errors = self.errors_of(response)
        self.assertEqual(errors[2], "A person cannot be their own line manager.")
        self.assertIn("nobody@northwind.example is not in this organisation", errors[3])
        # Another organisation's account reads exactly like an unknown address.
        self.assertEqual(
            errors[4],
            errors[3].replace("nobody@northwind.example", "oscar@contoso.example"),
        )
        self.assertIn("switched-off account", errors[5])
        self.assertIn("not-an-address", errors[6])
        self.assertEqual(snapshot(), before)

    def test_a_loop_of_reports_is_refused_whether_recorded_or_in_the_file(self) -> None:
        Membership.objects.filter(user=self.bob).update(line_manager=self.alice)
        before = snapshot()
        response = self.post(HEADER + "alice@northwind.example,Alice,UTC,bob@northwind.example\n")
        self.assertIn("already reports, directly or through others", self.errors_of(response)[2])
        self.assertEqual(snapshot(), before)

        response = self.post(
            HEADER
            + "p1@northwind.example,P One,UTC,p2@northwind.example\n"
            + "p2@northwind.example,P Two,UTC,p3@northwind.example\n"
            + "p3@northwind.example,P Three,UTC,p1@northwind.example\n"
        )
        errors = self.errors_of(response)
        # Line 4 closes the loop; P Three is then not added, so nor can P Two report to her,
        # and so on up the chain: each row says why.
        self.assertIn("p1@northwind.example already reports", errors[4])
        self.assertIn("their own row (line 4) was not imported", errors[3])
        self.assertIn("their own row (line 3) was not imported", errors[2])
        self.assertFalse(Membership.objects.filter(user__email__startswith="p").exists())

        response = self.post(
            HEADER
            + "r1@northwind.example,R One,UTC,r2@northwind.example\n"
            + "r2@northwind.example,R Two,UTC,adam@northwind.example\n"
            + "adam@northwind.example,Adam,UTC,r1@northwind.example\n"
        )
        errors = self.errors_of(response)
        self.assertEqual(list(errors), [4])  # only the row that closes the loop
        self.assertIn("r1@northwind.example already reports", errors[4])
        self.assertEqual(manager_of("r1@northwind.example"), "r2@northwind.example")
        self.assertIsNone(manager_of("adam@northwind.example"))

    def test_a_new_manager_whose_own_row_is_refused_takes_their_reports_with_them(self) -> None:
        response = self.post(
            HEADER
            + "q1@northwind.example,Q One,UTC,q2@northwind.example\n"
            + "q2@northwind.example,Q Two,Mars/Olympus,\n"  # a bad time zone: not added
            + "q3@northwind.example,Q Three,UTC,q4@northwind.example\n"
            + "q4@northwind.example,Q Four,UTC,q4@northwind.example\n"  # own manager
        )
        errors = self.errors_of(response)
        self.assertEqual(sorted(errors), [2, 3, 4, 5])
        self.assertIn("their own row (line 3) was not imported", errors[2])
        self.assertIn("their own row (line 5) was not imported", errors[4])
        self.assertFalse(Membership.objects.filter(user__email__startswith="q").exists())

    def test_the_circles_and_moderation_rules_read_what_the_import_set(self) -> None:
        from moderation.actions import line_manager_id_of

        self.post(HEADER + "alice@northwind.example,Alice,UTC,carol@northwind.example\n")
        self.assertEqual(line_manager_id_of(self.alice.pk), self.carol.pk)

    def test_the_column_costs_a_fixed_number_of_queries(self) -> None:
        cohort = Cohort.objects.select_related("organization").get(pk=self.cohort_a.pk)

        def queries(count: int, start: int) -> int:
            lines = [
                f"m{n}@northwind.example,M {n},UTC,"
                + (f"m{n - 1}@northwind.example" if n > start else "adam@northwind.example")
                for n in range(start, start + count)
            ]
            parsed = parse_csv(HEADER + "\n".join(lines) + "\n", max_rows=10_000)
            with CaptureQueriesContext(connection) as captured:
                report = import_learners_into(cohort, parsed)
            self.assertEqual(report.error_count, 0)
            return len(captured)

        # The 9 queries of a plain import without coaches (ImportQueryCountTests), plus the
        # managers by email, the organisation's reporting lines, the memberships to update and
        # their bulk update.
        self.assertEqual(queries(10, 0), 13)
        self.assertEqual(queries(100, 100), 13)
        self.assertEqual(Enrollment.objects.filter(user__email__startswith="m").count(), 110)
        self.assertEqual(manager_of("m150@northwind.example"), "m149@northwind.example")


class ExampleFileTests(ImportTestCase):
    def test_the_example_file_linked_from_the_page_imports_without_a_problem(self) -> None:
        from pathlib import Path

        from django.conf import settings

        self.client.force_login(self.adam)
        self.assertContains(self.client.get(self.url()), "examples/learners-example.csv")
        example = Path(settings.BASE_DIR) / "static" / "examples" / "learners-example.csv"
        response = self.post(example.read_text(encoding="utf-8"))
        self.assertEqual(self.counts(response)["created"], 5)
        self.assertEqual(self.errors_of(response), {})
        self.assertEqual(manager_of("mei.tanaka@example.com"), "joao.ferreira@example.com")


class CoachIsNeverTheLineManagerTests(ImportTestCase):
    """The `coach_email` column beside `line_manager_email`: a learner's coach is never their
    line manager, whether the file names that manager or the membership already does."""

    def test_a_coach_who_is_the_rows_line_manager_is_a_row_error(self) -> None:
        header = "email,name,time_zone,coach_email,line_manager_email\n"
        before = snapshot()
        response = self.post(
            header + "amara@northwind.example,Amara Okafor,Africa/Lagos,"
            "carol@northwind.example,carol@northwind.example\n"
        )
        self.assertEqual(
            self.errors_of(response),
            {2: "carol@northwind.example is this person's line manager, who is never their coach."},
        )
        self.assertEqual(snapshot(), before)

    def test_a_coach_who_is_the_present_line_manager_is_a_row_error(self) -> None:
        Membership.objects.filter(user=self.alice).update(line_manager=self.carol)
        response = self.post(
            "email,name,time_zone,coach_email\n"
            "alice@northwind.example,Alice,Europe/London,carol@northwind.example\n"
        )
        self.assertIn("line manager", self.errors_of(response)[2])

    def test_a_coach_from_the_file_sets_the_seats_coach(self) -> None:
        self.post(
            "email,name,time_zone,coach_email,line_manager_email\n"
            "amara@northwind.example,Amara Okafor,Africa/Lagos,carol@northwind.example,"
            "adam@northwind.example\n"
        )
        seat = Enrollment.objects.get(user__email="amara@northwind.example", cohort=self.cohort_a)
        self.assertEqual(seat.coach, self.carol)
