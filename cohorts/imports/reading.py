"""Stage 1 of an import: reading the uploaded file into rows, before any database work.

`read_import_file` enforces the size limit, decodes UTF-8 (with or without Excel's byte-order
mark), detects the delimiter, maps the header to the known columns and hands each record to
rows.validate_rows. A problem with the whole file raises `ImportFileError`; problems with single
rows are collected in the `ParsedFile`. Nothing touches the database.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cohorts.imports.report import RowError, RowNote
from cohorts.imports.rows import KNOWN_COLUMNS, REQUIRED_COLUMNS, ImportRow, validate_rows

# Characters no name or address contains; their presence means the bytes are not a text file.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFileError(Exception):
    """A problem with the whole file. Raised before any database change, so nothing changes."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ParsedFile:
    """What the file said, before anything is compared with the database."""

    rows: list[ImportRow]
    errors: list[RowError]
    ignored_columns: list[str]
    notes: list[RowNote] = field(default_factory=list)


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
