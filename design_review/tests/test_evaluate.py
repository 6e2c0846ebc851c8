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


class EvaluateWithAnotherModelTests(SimpleTestCase):
    """`--model`: a frozen candidate scored before it replaces the shipped tone model."""

    def test_it_scores_the_checker_with_the_model_file_given(self) -> None:
        import numpy as np

        from design_review.classifier import MiniLMEmbedder, ToneModel

        # A model that finds every passage judging: the respectful row becomes a false alarm.
        everything = ToneModel(MiniLMEmbedder.name, np.zeros(384, np.float32), 10.0, 0.5)
        row = "0\tjudgement\tmission\tWhat helped you listen to your team this week, and why?\n"
        with tempfile.TemporaryDirectory() as tmp:
            model, data = Path(tmp) / "candidate.json", Path(tmp) / "writer-x.tsv"
            everything.save(model)
            data.write_text(HEADER + row, encoding="utf-8")
            out = io.StringIO()
            call_command(
                "evaluate_review",
                "--file",
                str(data),
                "--no-vader",
                "--model",
                str(model),
                stdout=out,
            )
        lines = out.getvalue().splitlines()
        self.assertIn("| rules + classifier | all | 0 | 100% | 0% | 1 | 100% (1) |", lines)
        self.assertIn("| rules only | all | 0 | 100% | 100% | 1 | 0% (0) |", lines)

    def test_a_model_file_that_cannot_be_read_is_refused(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "writer-x.tsv"
            data.write_text(HEADER + "1\tjudgement\tmission\tWhy?\n", encoding="utf-8")
            with self.assertRaisesMessage(CommandError, "Cannot read the model"):
                call_command(
                    "evaluate_review", "--file", str(data), "--model", str(Path(tmp) / "no.json")
                )
