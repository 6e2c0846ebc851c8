"""`manage.py evaluate_review --file`: the held-out evaluation of a new writer's labelled file."""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

HEADER = "label\tcategory\tkind\ttext\n"


def evaluate(content: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "writer-x.tsv"
        path.write_text(content, encoding="utf-8")
        out = io.StringIO()
        call_command("evaluate_review", "--file", str(path), "--no-vader", stdout=out)
        return out.getvalue()


class EvaluateFileTests(SimpleTestCase):
    def test_it_prints_recall_precision_and_false_alarms_per_category_and_overall(self) -> None:
        table = evaluate(
            HEADER
            + "1\tjudgement\tmission\tWhy didn't you ask your team first?\n"
            + "1\thonesty\tarticle\tHurry, act now before it's too late!\n"
            + "0\tjudgement\tmission\tWhat helped you listen this week?\n"
        )
        lines = table.splitlines()
        self.assertIn("| rules + classifier | judgement | 1 | 100% | 100% | 1 | 0% (0) |", lines)
        self.assertIn("| rules only | honesty | 1 | 100% | 100% | 0 | 0% (0) |", lines)
        self.assertIn("| rules only | all | 2 | 100% | 100% | 1 | 0% (0) |", lines)
        self.assertNotIn("VADER", table)

    def test_a_malformed_file_is_refused_with_the_line_at_fault(self) -> None:
        with self.assertRaisesMessage(CommandError, "line 2"):
            evaluate(HEADER + "2\tjudgement\tmission\tWhy?\n")
        with self.assertRaisesMessage(CommandError, "unknown category"):
            evaluate(HEADER + "1\tkindness\tmission\tWhy?\n")
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            call_command("evaluate_review", "--file", "/nonexistent/new-writer.tsv")
