"""`manage.py evaluate_review`: the metrics table of docs/design-review.md.

Runs the checker (rules only, then rules with the classifier) and the VADER baseline over a
split of the data set (`--split heldout` by default) and prints a Markdown table of recall,
precision and false alarms per category.
"""

from typing import Any

from django.core.management.base import BaseCommand

from design_review import dataset


class Command(BaseCommand):
    help = "Print the design review's precision, recall and false alarms per category."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--split", choices=sorted(dataset.SPLITS), default="heldout")

    def handle(self, *args: Any, **options: Any) -> None:
        examples = dataset.load(options["split"])
        results = {
            "rules + classifier": dataset.evaluate(examples, dataset.checker_predictor()),
            "rules only": dataset.evaluate(examples, dataset.checker_predictor(classifier=False)),
            "VADER (negative)": dataset.evaluate(examples, dataset.vader_predictor()),
        }
        self.stdout.write(dataset.table(results))
