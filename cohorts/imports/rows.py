"""Checking an import's rows one by one, without the database.

Each row is a dict of the known columns' cells (reading.parse_csv builds them). `validate_rows`
normalises the single-line cells, checks each value against the model's own limits, the email
syntax and the time-zone database, spots repeated addresses, and returns good `ImportRow`s and
`RowError`s for the rest. Nothing here reads or writes the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cohorts.imports.report import RowError, RowNote
from organizations.models import Membership
from rapport.lib.text import normalise_single_line, single_line_problem
from rapport.lib.timezones import all_time_zones, is_valid_time_zone

REQUIRED_COLUMNS = ("email", "name", "time_zone")
OPTIONAL_COLUMNS = ("region", "function", "level", "coach_email", "line_manager_email")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Stored in single-line fields: normalised and checked by rapport.lib.text, as everywhere else.
SINGLE_LINE_COLUMNS = ("name", "region", "function", "level")


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
# The email as typed is shown in the report, cut to this many characters.
_SHOWN_EMAIL_LENGTH = 80


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
    line_manager_email: str = ""


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
    manager_email = cells.get("line_manager_email", "")
    if manager_email and (
        problem := _email_problem(manager_email, what=_("line manager's email address"))
    ):
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
                line_manager_email=cells.get("line_manager_email", "").lower(),
            )
        )
    return rows, errors
