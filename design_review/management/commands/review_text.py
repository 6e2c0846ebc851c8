"""`manage.py review_text`: review texts in bulk, one per line, with the studio's own checker.

Reads a file (or standard input with `-` or no argument), one text per line, and writes one
tab-separated line per input line: `flagged` (1 or 0), the score (0 to 1, two decimals) and the
finding codes (comma-separated, empty when none). Lines that are empty, not text or too long get
a note on standard error naming the line; the output keeps one line per input line, so it can be
pasted beside the input.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from design_review.checker import NOTES, ReviewContext, review_stream
from design_review.models import DEFAULT_READING_GRADE, MAX_READING_GRADE, MIN_READING_GRADE
from design_review.visibility import answer_visibility
from programs.models import ActivityKind


class Command(BaseCommand):
    help = "Review texts (one per line, from a file or standard input) for respect and honesty."
    # The checker needs no URL, template or database: Django's system checks would import
    # every URLconf and view (and with them SciPy, for the analytics) before the first line is
    # read — about half of a cold run's CPU time (docs/design-review.md, "Performance").
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default="-", help="a file, or - for stdin")
        parser.add_argument(
            "--kind",
            choices=[k.value for k in ActivityKind],
            help="the activity kind the texts appear on (enables the visibility check)",
        )
        parser.add_argument("--no-classifier", action="store_true", help="rules only")
        parser.add_argument(
            "--max-grade",
            type=float,
            default=float(DEFAULT_READING_GRADE),
            help=(
                "the reading level (Flesch-Kincaid grade, "
                f"{MIN_READING_GRADE} to {MAX_READING_GRADE}) above which a text is a finding; "
                f"default {DEFAULT_READING_GRADE}, as an organisation that set none"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        max_grade = options["max_grade"]
        if not MIN_READING_GRADE <= max_grade <= MAX_READING_GRADE:
            raise CommandError(
                f"--max-grade must be from {MIN_READING_GRADE} to {MAX_READING_GRADE} "
                f"(got {max_grade:g})"
            )
        path = options["path"]
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            try:
                raw = Path(path).read_bytes()
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        text = raw.decode("utf-8", errors="replace")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        kind = options["kind"]
        context = ReviewContext(
            kind=kind,
            visibility=answer_visibility(kind) if kind else None,
            classifier=not options["no_classifier"],
            max_grade=max_grade,
        )
        out = self.stdout
        # The rules read the next lines while the classifier embeds the last ones.
        reviews = review_stream((line.rstrip("\r") for line in lines), context=context)
        for n, result in enumerate(reviews, start=1):
            for note in result.notes:
                self.stderr.write(f"line {n}: {NOTES[note]}")
            out.write(f"{int(result.flagged)}\t{result.score:.2f}\t{','.join(result.codes)}")
