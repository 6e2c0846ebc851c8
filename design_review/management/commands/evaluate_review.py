"""`manage.py evaluate_review`: the metrics table of docs/design-review.md.

Runs the checker (rules with the classifier, then rules only) and the VADER baseline over a
split of the data set (`--split heldout` by default) or over any labelled file in the same
tab-separated format (`--file path/to/new-writer.tsv`: `label`, `category`, `kind`, `text`), and
prints a Markdown table of recall, precision and false alarms per category and over all rows
(`all`: a flagged row with any finding is caught; a respectful row with any finding is a false
alarm). A malformed file is refused with the line at fault, nothing else printed. `--model`
scores the checker with another tone model file than the shipped `tone-model.json` (a frozen
candidate, before it is shipped).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from design_review import dataset
from design_review.classifier import ToneModel


class Command(BaseCommand):
    help = "Print the design review's precision, recall and false alarms per category."
    # Reads files and runs the checker: no URL, template or database to check first.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--split", choices=sorted(dataset.SPLITS), default=None)
        source.add_argument("--file", type=Path, help="a labelled TSV file (a new writer)")
        parser.add_argument("--no-vader", action="store_true", help="skip the lexicon baseline")
        parser.add_argument("--model", type=Path, help="another tone model file (a candidate)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] is not None:
            try:
                examples = dataset.load_path(options["file"])
            except (OSError, KeyError, ValueError) as exc:
                raise CommandError(f"Cannot read {options['file']}: {exc}") from None
        else:
            examples = dataset.load(options["split"] or "heldout")
        if not examples:
            raise CommandError("No labelled rows to evaluate.")
        model = None
        if options["model"] is not None:
            try:
                model = ToneModel.load(options["model"])
            except (OSError, KeyError, ValueError) as exc:
                raise CommandError(f"Cannot read the model {options['model']}: {exc}") from None
        results = {
            "rules + classifier": dataset.evaluate(
                examples, dataset.checker_predictor(model=model)
            ),
            "rules only": dataset.evaluate(examples, dataset.checker_predictor(classifier=False)),
        }
        if not options["no_vader"]:
            results["VADER (negative)"] = dataset.evaluate(examples, dataset.vader_predictor())
        self.stdout.write(dataset.table(results))
