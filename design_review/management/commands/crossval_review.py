"""`manage.py crossval_review`: the checker on each writer it never learnt from.

Leave one writer out over the `train` split (`design_review.crossval.cross_validate`): for each
writer, the tone model is fitted on the other writers (its threshold chosen by their own inner
folds) and the whole checker is scored on the writer left out. Prints, per writer, recall and
false alarms of the checker and of the rules alone, then the pooled table per category.
`--vectors var/review-vectors.npz` keeps the sentence vectors between runs (development only).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from design_review import dataset
from design_review.classifier import default_embedder
from design_review.crossval import VectorTable, cross_validate, demo_texts, pooled


class Command(BaseCommand):
    help = "Cross-validate the design review by writer (leave one writer out)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-false-alarms", type=float, default=0.02)
        parser.add_argument("--l2", type=float, default=1.0)
        parser.add_argument("--vectors", type=Path, default=None)
        parser.add_argument(
            "--per-writer", action="store_true", help="also each writer's table per category"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["max_false_alarms"] < 1 or options["l2"] <= 0:
            raise CommandError("--max-false-alarms must be in [0, 1) and --l2 above 0.")
        examples = dataset.load("train")
        table = VectorTable.cached(examples, default_embedder(), options["vectors"])
        folds = cross_validate(
            examples,
            l2=options["l2"],
            max_false_alarms=options["max_false_alarms"],
            table=table,
            respectful=demo_texts(),
        )
        self.stdout.write(
            "| writer left out | thresholds (short, long) | checker: caught "
            "| checker: false alarms | rules only: caught | rules only: false alarms |"
        )
        self.stdout.write("|---|---|---|---|---|---|")
        for fold in folds:
            c, r = fold.checker["all"], fold.rules["all"]
            self.stdout.write(
                f"| {fold.writer} ({c.positives} / {c.negatives}) | {fold.threshold:.3f}, "
                f"{fold.long_threshold or fold.threshold:.3f} "
                f"| {c.recall:.0%} ({c.hits}) | {c.false_alarm_rate:.0%} ({c.false_alarms}) "
                f"| {r.recall:.0%} ({r.hits}) | {r.false_alarm_rate:.0%} ({r.false_alarms}) |"
            )
        if options["per_writer"]:
            for fold in folds:
                self.stdout.write(f"\nWriter left out: {fold.writer}\n")
                self.stdout.write(
                    dataset.table({"rules + classifier": fold.checker, "rules only": fold.rules})
                )
        self.stdout.write("\nAll writers, each scored by a model that never saw it:\n")
        self.stdout.write(
            dataset.table(
                {
                    "rules + classifier": pooled(f.checker for f in folds),
                    "rules only": pooled(f.rules for f in folds),
                }
            )
        )
