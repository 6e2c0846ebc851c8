"""`manage.py train_review_classifier`: fit the design review's tone model on the training split.

Reads the `train` split only (`design_review.dataset.SPLITS`: every training writer's file;
never the held-out or fresh files), embeds each prompt with the shipped embedder and fits
logistic regression on its vector and its n-grams used by at least two writers
(`design_review.crossval.fit_tone_model`), every flagged prompt, of any category (1), against
every respectful prompt (0). `--heads` fits round 8's candidate instead (a head per category,
each that category's flagged prompts against every respectful one; not shipped: see
docs/design-review.md, "Round 8"); `--sentences` round 10's (the sentences labelled one by
one in `data/train-sentences.tsv`: each sentence carrying a flagged prompt's finding against
every sentence of the respectful prompts; `--with-context` adds the respectful sentences of
flagged prompts as negatives; see "Round 10").

The threshold is chosen by cross-validation grouped by writer: the model is fitted on all
writers but one and scores the one left out as the review does (the highest probability over
its passages, `checker.passages`); over those out-of-writer scores, the threshold is the lowest
that keeps false alarms on respectful prompts at or below `--max-false-alarms` (1.5% by default
since round 11: `crossval.MAX_FALSE_ALARMS`), raised if need
be above the demo programme's short texts; passages of longer texts (articles) have their own
threshold, raised above every passage of the demo programme's long texts (respectful
throughout, and long-form where the prompts are short). The same folds give the estimate the
command prints per writer: recall and false alarms of the classifier alone, on a writer it did
not learn from. Writes `design_review/data/tone-model.json`, or the file `--output` names (a
candidate, to compare before it replaces the shipped one).
`--vectors var/review-vectors.npz` keeps the vectors between runs (development only).
"""

from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from design_review import dataset
from design_review.checker import reads_whole
from design_review.classifier import MODEL_FILE, default_embedder
from design_review.crossval import (
    MAX_FALSE_ALARMS,
    VectorTable,
    demo_texts,
    fit_tone_model,
    training_split,
)
from design_review.management.commands.crossval_review import add_model_arguments, settings_from


class Command(BaseCommand):
    help = "Train the design review's tone classifier on the train split (every writer)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-false-alarms", type=float, default=MAX_FALSE_ALARMS)
        add_model_arguments(parser)
        parser.add_argument("--vectors", type=Path, default=None)
        parser.add_argument("--output", type=Path, default=MODEL_FILE, help="the model file")

    def handle(self, *args: Any, **options: Any) -> None:
        settings = settings_from(options)
        if not 0 <= options["max_false_alarms"] < 1:
            raise CommandError("--max-false-alarms must be in [0, 1).")
        rows = dataset.load(training_split(settings))
        table = VectorTable.cached(rows, default_embedder(), options["vectors"])
        model, held = fit_tone_model(
            rows,
            table,
            settings=settings,
            max_false_alarms=options["max_false_alarms"],
            respectful=demo_texts(),
        )
        model.save(options["output"])
        self.stdout.write(
            f"trained on {len(rows)} prompts ({settings.rows}), "
            f"{len(model.vocabulary)} shared n-grams, "
            f"{len(model.heads) or 1} head(s); "
            f"threshold {model.threshold:.3f} (passages of long texts {model.long_threshold:.3f})"
        )
        self.stdout.write("cross-validated by writer (fitted on the others), classifier alone:")
        y = np.array([ex.label for ex in rows])
        writers = np.array([ex.writer for ex in rows])
        limits = np.array([model.limit(whole=reads_whole(ex.text)) for ex in rows])
        for writer in dict.fromkeys(writers):
            k = writers == writer
            caught = held[k & (y == 1)] >= limits[k & (y == 1)]
            alarms = held[k & (y == 0)] >= limits[k & (y == 0)]
            self.stdout.write(
                f"  {writer}: recall {caught.mean():.0%} of {caught.size}, "
                f"false alarms {alarms.mean():.0%} ({alarms.sum()} of {alarms.size})"
            )
