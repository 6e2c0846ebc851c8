"""Importing learners into a cohort from a CSV file: reading, checking and applying it.

An organisation admin uploads the spreadsheet HR gave them (the reference case is 4,500 managers
in one file). The work happens in three stages, so that a bad file never half-changes anything:

1. `read_import_file` turns the upload into rows, or raises `ImportFileError` for a problem with
   the whole file (not text, not CSV, no header, too big). Nothing touches the database.
2. `import_learners_into` loads, in a fixed handful of queries, everyone the file names, checks
   each row against the organisation (unknown coach, someone from another organisation…),
3. and writes every good row in one transaction with bulk inserts and updates.

Rows with problems are reported (line as the spreadsheet shows it, email as typed, the problem)
and skipped; the good rows are imported. Importing the same file twice changes nothing.

The package is split by role; this module is the entry point and the only part that writes:

- `reading`: stage 1, the upload becomes rows, or `ImportFileError` for the whole file;
- `rows`: checking each row on its own (no database): columns, limits, emails, time zones;
- `plan`: stage 2, compare the rows with what the organisation holds and plan the writes;
- `managers`: the `line_manager_email` column: who may be a row's line manager (a member or a
  person the file adds; never the person, a stranger or a loop of reports);
- this module: stage 3, `import_learners_into` applies the plan through the people and
  enrolment actions (organizations.actions, cohorts.actions) in one transaction and records
  the `imported` event;
- `report`: what the admin is shown: `ImportReport`, its row errors, notes and changes;
- `forms`: the upload form, which runs stage 1 when it is validated.
"""

from django.db import IntegrityError, transaction

from accounts.models import User
from cohorts.actions import Seat, enroll_many
from cohorts.imports.forms import LearnerImportForm
from cohorts.imports.managers import check_line_managers, load_managers
from cohorts.imports.plan import Plan, coach_problem, load_known, person_problem, plan_row
from cohorts.imports.reading import (
    ImportFileError,
    ParsedFile,
    decode_csv_bytes,
    max_import_bytes,
    normalise_column,
    parse_csv,
    read_import_file,
)
from cohorts.imports.report import ImportReport, RowChange, RowError, RowNote, summary
from cohorts.imports.rows import (
    KNOWN_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ImportRow,
    validate_rows,
)
from cohorts.models import Cohort, EnrollmentRole
from events.actions import record_event
from events.models import ObjectType, ResultKey, Verb
from organizations.actions import AlreadyMembers, NewPerson, add_members
from organizations.models import Membership

__all__ = [
    "KNOWN_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportConflict",
    "ImportFileError",
    "ImportReport",
    "ImportRow",
    "LearnerImportForm",
    "ParsedFile",
    "RowChange",
    "RowError",
    "RowNote",
    "decode_csv_bytes",
    "import_learners_into",
    "max_import_bytes",
    "normalise_column",
    "parse_csv",
    "read_import_file",
    "summary",
    "validate_rows",
]


class ImportConflict(Exception):
    """Someone else changed the same people while the import ran; it was rolled back whole."""


def _apply(plan: Plan, cohort: Cohort, imported_by: User | None) -> None:
    """Write the plan through the people and enrolment actions: one bulk insert per kind (more
    only past the database's parameter limit) and grouped updates. Nothing to write costs
    nothing: a re-import writes nothing."""
    if plan.new_people:
        memberships = add_members(
            cohort.organization,
            people=[
                NewPerson(
                    email=row.email,
                    full_name=row.name,
                    time_zone=row.time_zone,
                    region=row.region,
                    function=row.function,
                    level=row.level,
                )
                for row, _coach_id in plan.new_people
            ],
            invited_by=imported_by,
        )
        plan.seats += [
            Seat(membership.user_id, EnrollmentRole.LEARNER, coach_id)
            for membership, (_row, coach_id) in zip(memberships, plan.new_people, strict=True)
        ]
        new_ids = {
            row.email: membership.user_id
            for membership, (row, _coach_id) in zip(memberships, plan.new_people, strict=True)
        }
    else:
        new_ids = {}
    plan.memberships.save(Membership)
    _record_line_managers(plan, cohort, new_ids)
    if plan.seats:
        enroll_many(cohort, seats=plan.seats)


def _record_line_managers(plan: Plan, cohort: Cohort, new_ids: dict[str, int]) -> None:
    """Set `Membership.line_manager` for the planned pairs, new people's emails turned into
    their ids: one UPDATE per manager while there are few, else bulk updates of 500 rows."""
    if not plan.line_managers:
        return
    manager_of = {
        new_ids[person] if isinstance(person, str) else person: (
            new_ids[manager] if isinstance(manager, str) else manager
        )
        for person, manager in plan.line_managers
    }
    rows = list(
        Membership.objects.filter(
            organization_id=cohort.organization_id, user_id__in=list(manager_of)
        ).only("id", "user_id", "line_manager_id")
    )
    for membership in rows:
        membership.line_manager_id = manager_of[membership.user_id]
    Membership.objects.bulk_update(rows, ["line_manager"], batch_size=500)


def _record_import(cohort: Cohort, imported_by: User | None, report: ImportReport) -> None:
    """An `imported` statement by the admin: the cohort and the report's counts, never a name
    or an address (events hold numbers and flags only). Nothing written, nothing recorded."""
    if imported_by is None or not (report.created or report.enrolled or report.updated):
        return
    record_event(
        imported_by,
        verb=Verb.IMPORTED,
        object_type=ObjectType.COHORT,
        object_id=cohort.public_id,
        cohort=cohort,
        result={
            ResultKey.CREATED: report.created,
            ResultKey.ENROLLED: report.enrolled,
            ResultKey.UPDATED: report.updated,
            ResultKey.UNCHANGED: report.unchanged,
            ResultKey.ERRORS: report.error_count,
        },
    )


def import_learners_into(
    cohort: Cohort, parsed: ParsedFile, *, imported_by: User | None = None
) -> ImportReport:
    """Create, update and enroll the people of a checked file as learners of `cohort`.

    Preconditions: the caller has checked that the acting person may import into this cohort
    (cohorts.access.get_cohort_for_import); `parsed` comes from read_import_file.

    New people get an account with an unusable password, a learner membership and an
    enrollment; once the import commits, each is emailed an invitation to choose a password
    that names `imported_by` (organizations.actions.add_members). People already in the
    organisation keep their role (an admin who learns stays an admin) and what they set for
    themselves (name, time zone); their region, function, level, coach and line manager are
    updated where the file gives a different, non-blank value, and `report.changes` lists each
    such change per row. A line manager must be a member of the organisation or a person the
    file adds, never the person nor one of their reports (cohorts.imports.managers); otherwise
    the row is reported and nothing of it is imported.

    All good rows are written in one transaction; rows with problems are reported and skipped.
    Raises ImportConflict, with nothing changed, if someone else created one of the same people
    at the same moment (the database's unique constraint or add_members' AlreadyMembers).

    Privacy: only the cohort's organisation is searched. An address with an account in another
    organisation is a new person here, handled exactly as an address never seen before, so the
    response cannot tell an admin that it exists elsewhere.
    """
    report = ImportReport(
        errors=list(parsed.errors),
        ignored_columns=list(parsed.ignored_columns),
        notes=list(parsed.notes),
    )
    file_emails = {row.email for row in parsed.rows}
    try:
        with transaction.atomic():
            known = load_known(cohort, parsed.rows)
            refused = {
                row.line: problem
                for row in parsed.rows
                if (problem := coach_problem(row, known, file_emails) or person_problem(row, known))
            }
            manager_problems, managers_of = check_line_managers(
                parsed.rows,
                existing={email: user.pk for email, user in known.users.items()},
                managers=load_managers(cohort.organization_id, parsed.rows),
                refused=refused,
                unreadable={error.email.lower(): error.line for error in parsed.errors},
            )
            plan = Plan()
            for row in parsed.rows:
                problem = (
                    refused.get(row.line)
                    or manager_problems.get(row.line)
                    or plan_row(row, known, plan, report, line_manager=managers_of.get(row.line))
                )
                if problem:
                    report.errors.append(RowError(row.line, row.typed_email, (problem,)))
            _apply(plan, cohort, imported_by)
            _record_import(cohort, imported_by, report)
    except (IntegrityError, AlreadyMembers) as exc:
        # AlreadyMembers: someone added one of the file's new people after load_known looked.
        raise ImportConflict from exc
    report.errors.sort(key=lambda error: error.line)
    skipped = {error.line for error in report.errors}
    report.notes = [note for note in report.notes if note.line not in skipped]
    return report
