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
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from cohorts.actions import Seat, enroll_many
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.actions import record_event
from events.models import ObjectType, ResultKey, Verb
from organizations.actions import NewPerson, add_members
from organizations.models import Membership, Role
from rapport.lib.text import normalise_single_line, single_line_problem
from rapport.lib.timezones import all_time_zones, is_valid_time_zone

REQUIRED_COLUMNS = ("email", "name", "time_zone")
OPTIONAL_COLUMNS = ("region", "function", "level", "coach_email")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Stored in single-line fields: normalised and checked by rapport.lib.text, as everywhere else.
SINGLE_LINE_COLUMNS = ("name", "region", "function", "level")

# SQLite builds before 3.32 allow 999 parameters per statement; 900 leaves room for the rest of
# the query. Each chunk is one query, so 4,500 rows cost five look-ups per kind, not 4,500.
IN_CHUNK_SIZE = 900


def _max_length(model: type[Model], name: str) -> int:
    """The model's own limit, so the import and the database can never disagree."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    assert isinstance(length, int), f"{model.__name__}.{name} has no max_length"
    return length


MAX_EMAIL_LENGTH = _max_length(User, "email")
MAX_NAME_LENGTH = _max_length(User, "full_name")
MAX_MEMBERSHIP_FIELD_LENGTH = {
    name: _max_length(Membership, name) for name in ("region", "function", "level")
}

# Updates are grouped by (column, new value): "level becomes Director" for 1,500 people is one
# UPDATE … WHERE id IN (…). A column whose new values are mostly distinct (names) is written with
# bulk_update instead, in batches small enough that SQLite's CASE stays fast.
MAX_GROUPED_UPDATES = 25
BULK_UPDATE_BATCH_SIZE = 500

# Characters no name or address contains; their presence means the bytes are not a text file.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHOWN_EMAIL_LENGTH = 80


class ImportFileError(Exception):
    """A problem with the whole file. Raised before any database change, so nothing changes."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportConflict(Exception):
    """Someone else changed the same people while the import ran; it was rolled back whole."""


@dataclass(frozen=True)
class ImportRow:
    """One checked row of the file. `email` is normalised (lower case); blank optional cells are
    empty strings and mean "leave what is recorded as it is"."""

    line: int
    email: str
    typed_email: str
    name: str
    time_zone: str
    region: str = ""
    function: str = ""
    level: str = ""
    coach_email: str = ""


@dataclass(frozen=True)
class RowError:
    """A row that was not imported: its spreadsheet line, the email as typed, and why."""

    line: int
    email: str
    problems: tuple[str, ...]

    @property
    def problem(self) -> str:
        return " ".join(self.problems)


@dataclass(frozen=True)
class RowNote:
    """A row that was imported with a value tidied (a line break or tab in a name became a
    space), so the admin sees exactly what was stored."""

    line: int
    email: str
    note: str


@dataclass(frozen=True)
class RowChange:
    """What an import changed for someone already in the organisation, one sentence per
    change ("Coach changed to …", "Region set to …"), so the report hides nothing it did."""

    line: int
    email: str
    changes: tuple[str, ...]

    @property
    def change(self) -> str:
        return " ".join(self.changes)


@dataclass
class ParsedFile:
    """What the file said, before anything is compared with the database."""

    rows: list[ImportRow]
    errors: list[RowError]
    ignored_columns: list[str]
    notes: list[RowNote] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of an import. Each row of the file is counted in exactly one bucket."""

    created: int = 0  # new people: account, membership and enrollment made
    enrolled: int = 0  # people already in the organisation, newly enrolled in the cohort
    updated: int = 0  # already enrolled; their details or coach changed
    unchanged: int = 0  # already enrolled, nothing to change
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)  # imported rows whose values were tidied
    changes: list[RowChange] = field(default_factory=list)  # what changed for existing people

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def imported_count(self) -> int:
        return self.created + self.enrolled + self.updated + self.unchanged


# --- Stage 1: reading the file -----------------------------------------------------------------


def max_import_bytes() -> int:
    return int(settings.RAPPORT_MAX_IMPORT_MB) * 1024 * 1024


def read_import_file(upload: UploadedFile) -> ParsedFile:
    """Read an uploaded CSV file into checked rows.

    Raises ImportFileError for whole-file problems. Reads at most the size limit plus one byte,
    so a huge upload is refused without being held in memory.
    """
    limit = max_import_bytes()
    if upload.size is not None and upload.size > limit:
        raise ImportFileError(_too_large_message())
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(_too_large_message())
    return parse_csv(decode_csv_bytes(data), max_rows=int(settings.RAPPORT_MAX_IMPORT_ROWS))


def _too_large_message() -> str:
    return _(
        "This file is larger than %(mb)d MB. Split it into smaller files and import each one."
    ) % {"mb": settings.RAPPORT_MAX_IMPORT_MB}


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text (a byte-order mark, as Excel writes, is dropped) or ImportFileError."""
    if not data.strip():
        raise ImportFileError(_("The file is empty. Choose the saved CSV file and try again."))
    not_text = _(
        "This file does not look like a CSV file: it contains data that is not text, as "
        "spreadsheets and images do. In your spreadsheet app choose “Save as” and the format "
        "“CSV UTF-8”, then upload that file."
    )
    if b"\x00" in data:
        raise ImportFileError(not_text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            _(
                "This file is not saved as UTF-8 text (the first unreadable character is on "
                "line %(line)d). In your spreadsheet app choose “Save as” and the format "
                "“CSV UTF-8”, then upload that file."
            )
            % {"line": line}
        ) from exc
    if _CONTROL_CHARACTERS.search(text):
        raise ImportFileError(not_text)
    return text


def parse_csv(text: str, *, max_rows: int) -> ParsedFile:
    """Split CSV text into checked rows and row problems, or raise ImportFileError.

    Line numbers are those a spreadsheet shows: the header is line 1, a blank line still counts,
    and a cell spanning several lines is still one row.
    """
    delimiter, text = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(_numbered_records(reader, max_rows=max_rows))
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "This file could not be read as CSV near line %(line)d. Often this is a "
                "quotation mark without its partner; check that line in your spreadsheet."
            )
            % {"line": reader.line_num}
        ) from exc
    if not records:
        raise ImportFileError(_("The file is empty. Choose the saved CSV file and try again."))
    (header_line, header), *body = records
    columns, ignored = _read_header(header, line=header_line)
    if not body:
        raise ImportFileError(
            _("The file has a header row but no people in it. Add one person per row.")
        )
    notes: list[RowNote] = []
    rows, errors = validate_rows(
        (
            (line, {name: _cell(cells, index) for name, index in columns.items()})
            for line, cells in body
        ),
        notes=notes,
    )
    return ParsedFile(rows=rows, errors=errors, ignored_columns=ignored, notes=notes)


def _detect_delimiter(text: str) -> tuple[str, str]:
    """The delimiter and the text to read. Excel in many European locales saves with `;`, and
    sometimes writes a `sep=;` first line that the spreadsheet itself hides."""
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if len(first_line) == 5 and first_line.lower().startswith("sep="):
        return first_line[4], text.split("\n", 1)[1] if "\n" in text else ""
    try:
        # The header is short; a bounded sample keeps a pathological first line cheap.
        return csv.Sniffer().sniff(first_line[:4096], delimiters=",;\t").delimiter, text
    except csv.Error:
        return ",", text


def _numbered_records(
    reader: Iterable[list[str]], *, max_rows: int
) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet line, cells) for each non-blank record; stops as soon as there are more
    than `max_rows` people, so a vast file is refused without being read to the end."""
    people = 0
    seen_header = False
    for line, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if seen_header:
            people += 1
            if people > max_rows:
                raise ImportFileError(
                    _(
                        "This file has more than %(max)d rows. Split it into files of at most "
                        "%(max)d people and import each one."
                    )
                    % {"max": max_rows}
                )
        seen_header = True
        yield line, cells


def normalise_column(name: str) -> str:
    """`Time zone`, ` TIME-ZONE ` and `time_zone` all name the same column."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _read_header(header: Sequence[str], *, line: int) -> tuple[dict[str, int], list[str]]:
    """Map each known column to its position; list the columns that will be ignored."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        name = normalise_column(raw)
        if not name:
            continue
        if name not in KNOWN_COLUMNS:
            ignored.append(raw.strip())
            continue
        if name in columns:
            raise ImportFileError(
                _("The column “%(name)s” appears twice in the header row. Keep only one.")
                % {"name": name}
            )
        columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns email, name and time_zone (in any order). "
                "Missing on line %(line)d: %(missing)s."
            )
            % {"line": line, "missing": ", ".join(missing)}
        )
    return columns, ignored


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


# --- Checking rows (no database) ---------------------------------------------------------------


@cache
def _time_zones_by_key() -> dict[str, str]:
    return {_time_zone_key(name): name for name in all_time_zones()}


def _time_zone_key(value: str) -> str:
    return value.strip().lower().replace(" ", "_")


def _time_zone_problem(value: str) -> str | None:
    if not value:
        return _("The time zone is missing. Use a name such as Europe/Paris.")
    if is_valid_time_zone(value):
        return None
    suggestion = _time_zones_by_key().get(_time_zone_key(value))
    if suggestion:
        return _("“%(value)s” is not a time zone we know. Did you mean %(suggestion)s?") % {
            "value": value,
            "suggestion": suggestion,
        }
    return _(
        "“%(value)s” is not a time zone we know. Use a name such as Europe/Paris or America/Lima."
    ) % {"value": value}


def _email_problem(value: str, *, what: str) -> str | None:
    if len(value) > MAX_EMAIL_LENGTH:
        return _("The %(what)s is longer than %(max)d characters.") % {
            "what": what,
            "max": MAX_EMAIL_LENGTH,
        }
    try:
        validate_email(value)
    except ValidationError:
        return _("The %(what)s “%(value)s” is not valid.") % {"what": what, "value": value}
    return None


_COLUMN_LABELS = {
    "name": gettext_lazy("name"),
    "region": gettext_lazy("region"),
    "function": gettext_lazy("function"),
    "level": gettext_lazy("level"),
}


def _normalise_single_lines(cells: dict[str, str]) -> tuple[list[str], list[str]]:
    """Normalise the single-line cells in place (rapport.lib.text: line breaks and tabs become
    one space). Returns (problems, notes): a control character that cannot be tidied is a
    problem; a value that was tidied is a note naming what will be stored."""
    problems: list[str] = []
    notes: list[str] = []
    for column in SINGLE_LINE_COLUMNS:
        typed = cells.get(column, "")
        value = normalise_single_line(typed)
        if problem := single_line_problem(value):
            problems.append(
                _("The %(column)s: %(problem)s")
                % {"column": _COLUMN_LABELS[column], "problem": problem}
            )
            continue
        if value != typed:
            cells[column] = value
            notes.append(
                _("The %(column)s contained a line break or tab; it was stored as “%(value)s”.")
                % {"column": _COLUMN_LABELS[column], "value": value}
            )
    return problems, notes


def _row_problems(cells: dict[str, str]) -> list[str]:
    problems: list[str] = []
    email = cells.get("email", "")
    if not email:
        problems.append(_("The email address is missing."))
    elif problem := _email_problem(email, what=_("email address")):
        problems.append(problem)
    name = cells.get("name", "")
    if not name:
        problems.append(_("The name is missing."))
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(_("The name is longer than %(max)d characters.") % {"max": MAX_NAME_LENGTH})
    if problem := _time_zone_problem(cells.get("time_zone", "")):
        problems.append(problem)
    for column, limit in MAX_MEMBERSHIP_FIELD_LENGTH.items():
        if len(cells.get(column, "")) > limit:
            problems.append(
                _("The %(column)s is longer than %(max)d characters.")
                % {"column": column, "max": limit}
            )
    coach_email = cells.get("coach_email", "")
    if coach_email and (problem := _email_problem(coach_email, what=_("coach's email address"))):
        problems.append(problem)
    return problems


def _shown(email: str) -> str:
    """The email as typed, shortened so a pasted paragraph cannot flood the report."""
    if len(email) <= _SHOWN_EMAIL_LENGTH:
        return email
    return email[: _SHOWN_EMAIL_LENGTH - 1] + "…"


def validate_rows(
    records: Iterable[tuple[int, dict[str, str]]],
    *,
    notes: list[RowNote] | None = None,
) -> tuple[list[ImportRow], list[RowError]]:
    """Check each row on its own and against the rows before it (duplicates).

    A second row with the same address is reported, naming the line of the first, and the first
    is kept: the spreadsheet's order decides, as a person reading it would expect. Single-line
    cells are normalised first; each good row with a tidied value gets a note in `notes`.
    """
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    for line, cells in records:
        problems, row_notes = _normalise_single_lines(cells)
        problems += _row_problems(cells)
        email = cells.get("email", "").lower()
        if email and email in first_line_of:
            problems.append(
                _("This email address already appears on line %(line)d.")
                % {"line": first_line_of[email]}
            )
        elif email:
            first_line_of[email] = line
        if problems:
            errors.append(RowError(line, _shown(cells.get("email", "")), tuple(problems)))
            continue
        if notes is not None:
            notes.extend(RowNote(line, _shown(cells["email"]), note) for note in row_notes)
        rows.append(
            ImportRow(
                line=line,
                email=email,
                typed_email=_shown(cells["email"]),
                name=cells["name"],
                time_zone=cells["time_zone"],
                region=cells.get("region", ""),
                function=cells.get("function", ""),
                level=cells.get("level", ""),
                coach_email=cells.get("coach_email", "").lower(),
            )
        )
    return rows, errors


# --- Stages 2 and 3: comparing with the database and applying ----------------------------------


def _chunks[T](items: Sequence[T], size: int = IN_CHUNK_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Known:
    """Everything the database already holds about the people a file names."""

    users: dict[str, User]
    coach_ids: dict[str, int]
    enrollments: dict[int, Enrollment]


def _load_known(cohort: Cohort, rows: Sequence[ImportRow]) -> _Known:
    """One query per 900 distinct addresses for each of: people, coaches, enrollments.

    Only the cohort's organisation is searched: an account with the same address elsewhere is
    another organisation's person (accounts are per organisation,
    docs/decisions/0006-accounts-per-organisation.md) and is never read, so an import cannot
    reveal it. Addresses are compared without regard to case, through the unique index.
    """
    emails = sorted({row.email for row in rows})
    users: dict[str, User] = {}
    for chunk in _chunks(emails):
        for user in (
            User.objects.with_emails(list(chunk))
            .filter(organization_id=cohort.organization_id)
            .select_related("membership")
        ):
            users[user.email.lower()] = user

    coach_emails = sorted({row.coach_email for row in rows if row.coach_email})
    coach_ids: dict[str, int] = {}
    for chunk in _chunks(coach_emails):
        coach_ids.update(
            (email.lower(), user_id)
            for email, user_id in User.objects.with_emails(list(chunk))
            .filter(
                organization_id=cohort.organization_id,
                membership__role=Role.COACH,
                is_active=True,
            )
            .values_list("email", "pk")
        )

    user_ids = sorted(user.pk for user in users.values())
    enrollments: dict[int, Enrollment] = {}
    for id_chunk in _chunks(user_ids):
        for enrollment in Enrollment.objects.filter(cohort=cohort, user_id__in=id_chunk).only(
            "id", "user_id", "role", "coach_id"
        ):
            enrollments[enrollment.user_id] = enrollment
    return _Known(users=users, coach_ids=coach_ids, enrollments=enrollments)


class _Changes:
    """Changed values of existing rows of one model, grouped by column and new value."""

    def __init__(self) -> None:
        self.by_column: dict[str, dict[Any, list[Model]]] = defaultdict(lambda: defaultdict(list))

    def set_if_given(self, obj: Model, values: dict[str, Any]) -> list[tuple[str, Any, Any]]:
        """Copy each non-blank value that differs. Blank cells never erase what is recorded.
        Returns the changes made, as (column, old value, new value)."""
        changes = []
        for column, value in values.items():
            old = getattr(obj, column)
            if value not in ("", None) and old != value:
                setattr(obj, column, value)
                self.by_column[column][value].append(obj)
                changes.append((column, old, value))
        return changes

    def save(self, model: type[Model]) -> None:
        """One UPDATE per (column, value) while there are few distinct values, else bulk_update.
        Either way the number of queries is bounded, not one per person."""
        for column, by_value in self.by_column.items():
            if len(by_value) <= MAX_GROUPED_UPDATES:
                for value, objs in by_value.items():
                    for chunk in _chunks([obj.pk for obj in objs]):
                        model._default_manager.filter(pk__in=chunk).update(**{column: value})
            else:
                objs = [obj for group in by_value.values() for obj in group]
                model._default_manager.bulk_update(
                    objs, [column], batch_size=BULK_UPDATE_BATCH_SIZE
                )


@dataclass
class _Plan:
    """The writes an import will make, gathered first so that each kind is one bulk query."""

    new_people: list[tuple[ImportRow, int | None]] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)  # new seats and changed coaches
    memberships: _Changes = field(default_factory=_Changes)


def _coach_problem(row: ImportRow, known: _Known, file_emails: set[str]) -> str | None:
    if not row.coach_email:
        return None
    if row.coach_email == row.email:
        return _("A person cannot be their own coach.")
    if row.coach_email in known.coach_ids:
        return None
    problem = _("%(coach)s is not a coach in this organisation.") % {"coach": row.coach_email}
    if row.coach_email in file_emails:
        # Importing makes learners only; a coach must exist, as a coach, before the import.
        problem += " " + _("People in this file are added as learners, not coaches.")
    return problem


_MEMBERSHIP_COLUMNS = {
    "region": gettext_lazy("region"),
    "function": gettext_lazy("function"),
    "level": gettext_lazy("level"),
}


def _describe(column: str, old: str, new: str) -> str:
    if not old:
        return _("%(column)s set to “%(new)s”.") % {"column": column, "new": new}
    return _("%(column)s changed from “%(old)s” to “%(new)s”.") % {
        "column": column,
        "old": old,
        "new": new,
    }


def _plan_row(row: ImportRow, known: _Known, plan: _Plan, report: ImportReport) -> str | None:
    """Add one row's writes to the plan, count it and note each change it makes to someone
    already in the organisation; return a problem instead if it has one.

    A person's own choices are never overwritten: for someone already in the organisation the
    file's name and time zone are ignored (they set those themselves in Settings); region,
    function, level and coach are the organisation's to set and are updated where given.
    """
    coach_id = known.coach_ids.get(row.coach_email) if row.coach_email else None
    user = known.users.get(row.email)
    if user is None:
        plan.new_people.append((row, coach_id))
        report.created += 1
        return None
    if not user.is_active:
        return _("This person's account is switched off, so they were not enrolled.")
    enrollment = known.enrollments.get(user.pk)
    if enrollment is not None and enrollment.role != EnrollmentRole.LEARNER:
        return _("This person is already in this cohort as %(role)s, not as a learner.") % {
            "role": enrollment.get_role_display().lower()
        }
    changes = [
        _describe(str(_MEMBERSHIP_COLUMNS[column]).capitalize(), old, new)
        for column, old, new in plan.memberships.set_if_given(
            user.membership, {"region": row.region, "function": row.function, "level": row.level}
        )
    ]
    if enrollment is None:
        plan.seats.append(Seat(user.pk, EnrollmentRole.LEARNER, coach_id))
        changes.insert(0, _("Enrolled in this cohort."))
        if coach_id is not None:
            changes.insert(1, _("Coach set to %(coach)s.") % {"coach": row.coach_email})
        report.enrolled += 1
    else:
        if coach_id is not None and coach_id != enrollment.coach_id:
            plan.seats.append(Seat(user.pk, EnrollmentRole.LEARNER, coach_id))
            changes.append(
                (
                    _("Coach changed to %(coach)s.")
                    if enrollment.coach_id
                    else _("Coach set to %(coach)s.")
                )
                % {"coach": row.coach_email}
            )
        if changes:
            report.updated += 1
        else:
            report.unchanged += 1
    if changes:
        report.changes.append(RowChange(row.line, row.typed_email, tuple(changes)))
    return None


def _apply(plan: _Plan, cohort: Cohort, imported_by: User | None) -> None:
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
    plan.memberships.save(Membership)
    if plan.seats:
        enroll_many(cohort, seats=plan.seats)


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
    themselves (name, time zone); their region, function, level and coach are updated where the
    file gives a different, non-blank value, and `report.changes` lists each such change per row.

    All good rows are written in one transaction; rows with problems are reported and skipped.
    Raises ImportConflict, with nothing changed, if someone else created one of the same people
    at the same moment.

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
            known = _load_known(cohort, parsed.rows)
            plan = _Plan()
            for row in parsed.rows:
                problem = _coach_problem(row, known, file_emails) or _plan_row(
                    row, known, plan, report
                )
                if problem:
                    report.errors.append(RowError(row.line, row.typed_email, (problem,)))
            _apply(plan, cohort, imported_by)
            _record_import(cohort, imported_by, report)
    except IntegrityError as exc:
        raise ImportConflict from exc
    report.errors.sort(key=lambda error: error.line)
    skipped = {error.line for error in report.errors}
    report.notes = [note for note in report.notes if note.line not in skipped]
    return report


def summary(report: ImportReport) -> list[tuple[str, str]]:
    """The report's counts as (bucket, short sentence) pairs, for the page."""
    counts = {
        "created": ngettext(
            "%(n)d new person added and enrolled.",
            "%(n)d new people added and enrolled.",
            report.created,
        ),
        "enrolled": ngettext(
            "%(n)d person already in your organisation enrolled.",
            "%(n)d people already in your organisation enrolled.",
            report.enrolled,
        ),
        "updated": ngettext(
            "%(n)d already enrolled, details updated.",
            "%(n)d already enrolled, details updated.",
            report.updated,
        ),
        "unchanged": ngettext(
            "%(n)d already enrolled, nothing to change.",
            "%(n)d already enrolled, nothing to change.",
            report.unchanged,
        ),
        "errors": ngettext(
            "%(n)d row not imported.", "%(n)d rows not imported.", report.error_count
        ),
    }
    values = {
        "created": report.created,
        "enrolled": report.enrolled,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": report.error_count,
    }
    return [(key, sentence % {"n": values[key]}) for key, sentence in counts.items()]


# --- The form ------------------------------------------------------------------------------------


class LearnerImportForm(forms.Form):
    """The upload. Validating it reads and checks the whole file; `parsed` holds the result.

    Whole-file problems become errors on the `file` field; problems with single rows do not
    invalidate the form (they are reported after the good rows are imported).
    """

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        error_messages={
            "required": gettext_lazy("Choose a CSV file to import."),
            "empty": gettext_lazy("The file is empty. Choose the saved CSV file and try again."),
            "invalid": gettext_lazy("That was not a file. Choose a CSV file to import."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: ParsedFile | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            self.parsed = read_import_file(upload)
        except ImportFileError as exc:
            raise ValidationError(exc.message, code="invalid_import_file") from exc
        return upload
