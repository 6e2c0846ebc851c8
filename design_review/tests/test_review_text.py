"""`manage.py review_text`: one tab-separated line per input line, from a file or stdin."""

import io
import sys
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase


def run(*args: str, stdin: bytes | None = None) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("review_text", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = old
    return out.getvalue().splitlines(), err.getvalue()


class ReviewTextTests(SimpleTestCase):
    def test_it_writes_flagged_score_and_codes_for_each_line_of_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "prompts.txt"
            path.write_text(
                "Why didn't you ask your team?\nWhat helps you listen?\nHurry, act now!\n"
            )
            lines, err = run(str(path), "--no-classifier")
        self.assertEqual(lines[0], "1\t0.80\tblame")
        self.assertEqual(lines[1], "0\t0.00\t")
        self.assertEqual(lines[2].split("\t")[0], "1")
        self.assertIn("urgency", lines[2].split("\t")[2])
        self.assertEqual(err, "")

    def test_it_reads_standard_input_and_notes_odd_lines_on_stderr(self) -> None:
        lines, err = run(
            "--no-classifier",
            stdin=b"\xff\xfe\x00\x01\x02\x03\n\nWhy didn't you ask?\n",
        )
        self.assertEqual(lines, ["0\t0.00\t", "0\t0.00\t", "1\t0.80\tblame"])
        self.assertIn("line 1: This does not look like text", err)
        self.assertIn("line 2: There is no text to review.", err)

    def test_the_kind_turns_on_the_visibility_check(self) -> None:
        text = b"Only you will see this. What hurt you most?\n"
        lines, _ = run("--no-classifier", "--kind", "discussion", stdin=text)
        self.assertEqual(lines[0].split("\t")[2], "audience-mismatch")
        lines, _ = run("--no-classifier", "--kind", "mission", stdin=text)
        self.assertEqual(lines, ["0\t0.00\t"])

    def test_a_missing_file_is_a_clear_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "cannot read /no/such/file"):
            run("/no/such/file")
