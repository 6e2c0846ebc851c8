"""Importing a leadership model from a CSV file, for organisation admins (the "Leadership
model" page, growth.views.model).

The file has one behaviour per row and the columns `competency`, `behaviour` and, optionally,
`description` (the competency's, on any of its rows), in any order; a row with a competency and
no behaviour adds the competency alone. Reading reuses the learner import's checks for the
whole file (cohorts.imports.reading: UTF-8 text, not empty, its size); each row is then checked
on its own and every problem is reported with the line a spreadsheet shows. **If any row has a
problem nothing is written**; otherwise the rows are merged into the named framework through
`organizations.actions.install_framework` (nothing deleted or renamed; importing the same file
again changes nothing).
"""

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.imports.reading import ImportFileError, decode_csv_bytes, normalise_column
from organizations.actions import FrameworkChanges, install_framework
from organizations.frameworks import DEFAULT_FRAMEWORK, CompetencySpec
from rapport import policy
from rapport.lib.text import SingleLineFormField, clean_single_line

if TYPE_CHECKING:
    from accounts.models import User

COLUMNS = ("competency", "behaviour", "description")
REQUIRED = ("competency",)
MAX_ROWS = 500
MAX_BYTES = 512 * 1024
LIMITS = {"competency": 120, "behaviour": 300, "description": 2000}


@dataclass(frozen=True)
class RowError:
    """A problem with one row: its line as a spreadsheet shows it, and what is wrong."""

    line: int
    problem: str


@dataclass
class ParsedFramework:
    """The competencies the file describes, in file order, and the problems of its rows."""

    competencies: list[CompetencySpec]
    errors: list[RowError]


@dataclass
class ImportResult:
    """What the import did: row errors (then nothing was written) or the changes made."""

    errors: list[RowError] = field(default_factory=list)
    changes: FrameworkChanges | None = None

    def summary(self) -> str:
        c = self.changes or FrameworkChanges()
        return _(
            "The leadership model is imported: %(added)d competencies added, %(updated)d "
            "updated, %(behaviours)d behaviours added."
        ) % {
            "added": c.competencies_added,
            "updated": c.competencies_updated,
            "behaviours": c.behaviours_added,
        }


def _cell(value: str, name: str, line: int, errors: list[RowError]) -> str | None:
    try:
        text = clean_single_line(value) if name != "description" else value.strip()
    except ValidationError as exc:
        errors.append(RowError(line, f"{name}: {' '.join(exc.messages)}"))
        return None
    if len(text) > LIMITS[name]:
        errors.append(
            RowError(
                line,
                _("The %(column)s is %(n)d characters long; at most %(max)d fit.")
                % {"column": name, "n": len(text), "max": LIMITS[name]},
            )
        )
        return None
    return text


def parse_framework(text: str) -> ParsedFramework:
    """Read CSV text into competencies and row errors, or raise ImportFileError for a
    problem with the whole file (bad CSV, no header, a missing column, too many rows)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise ImportFileError(
            _("This file could not be read as CSV near line %(line)d.") % {"line": reader.line_num}
        ) from exc
    if not records:
        raise ImportFileError(_("The file is empty. Choose the saved CSV file and try again."))
    (_header_line, header), *body = records
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = normalise_column(raw)
        if name in COLUMNS and name not in columns:
            columns[name] = index
    missing = [name for name in (*REQUIRED, "behaviour") if name not in columns]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns competency and behaviour. Missing: %(m)s.")
            % {"m": ", ".join(missing)}
        )
    if not body:
        raise ImportFileError(_("The file has a header row but no rows under it."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("This file has more than %(max)d rows. A leadership model fits in far fewer.")
            % {"max": MAX_ROWS}
        )
    errors: list[RowError] = []
    order: list[str] = []
    descriptions: dict[str, str] = {}
    behaviours: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, cells in body:
        values = {
            name: _cell(cells[i] if i < len(cells) else "", name, line, errors)
            for name, i in columns.items()
        }
        if any(v is None for v in values.values()):
            continue
        competency = values["competency"] or ""
        behaviour = values.get("behaviour") or ""
        if not competency:
            errors.append(RowError(line, _("The competency is missing.")))
            continue
        if competency not in behaviours:
            order.append(competency)
            behaviours[competency] = []
        if values.get("description") and not descriptions.get(competency):
            descriptions[competency] = values["description"] or ""
        if not behaviour:
            continue
        if (competency, behaviour) in seen:
            errors.append(
                RowError(
                    line,
                    _("This behaviour is already on line %(line)d.")
                    % {"line": seen[(competency, behaviour)]},
                )
            )
            continue
        seen[(competency, behaviour)] = line
        behaviours[competency].append(behaviour)
    specs = [
        CompetencySpec(name, descriptions.get(name, ""), tuple(behaviours[name])) for name in order
    ]
    return ParsedFramework(specs, errors)


class FrameworkImportForm(forms.Form):
    """The upload: the framework's name and the CSV file. Validating it reads the file;
    `parsed` holds the competencies and the row errors."""

    framework = SingleLineFormField(
        label=gettext_lazy("Framework name"),
        max_length=120,
        initial=DEFAULT_FRAMEWORK,
        help_text=gettext_lazy("Competencies are added to this framework, or update it."),
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        error_messages={
            "required": gettext_lazy("Choose a CSV file to import."),
            "empty": gettext_lazy("The file is empty. Choose the saved CSV file and try again."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: ParsedFramework | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(kb)d KB.") % {"kb": MAX_BYTES // 1024}
            )
        upload.seek(0)
        data = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(kb)d KB.") % {"kb": MAX_BYTES // 1024}
            )
        try:
            self.parsed = parse_framework(decode_csv_bytes(data))
        except ImportFileError as exc:
            raise ValidationError(exc.message, code="invalid_import_file") from exc
        return upload

    def framework_name(self) -> str:
        return str(self.cleaned_data["framework"])


def apply(user: "User | Any", parsed: ParsedFramework | None, *, framework: str) -> ImportResult:
    """Write the parsed model into the admin's organisation, unless a row has a problem (then
    nothing is written and the problems are returned). `user` must be an organisation admin."""
    membership = policy.membership_of(user)
    if membership is None or not policy.can_manage_people(user) or parsed is None:
        raise PermissionError("Only organisation admins import a leadership model")
    if parsed.errors:
        return ImportResult(errors=parsed.errors)
    changes = install_framework(
        membership.organization, framework=framework, competencies=parsed.competencies
    )
    return ImportResult(changes=changes)
