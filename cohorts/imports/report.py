"""What an import reports: rows not imported, values tidied, changes made, and the counts.

Each row of the file ends in exactly one bucket of `ImportReport`; `summary` turns the counts
into the sentences the import page shows.
"""

from dataclasses import dataclass, field

from django.utils.translation import ngettext


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
