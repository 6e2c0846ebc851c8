"""`manage.py train_review_classifier`: fit the design review's tone model on the training split.

Reads the `train` split only (`design_review.dataset.SPLITS`: the first writer's `train.tsv` and
writers A and B; never the held-out or fresh files), embeds each prompt with the shipped
embedder and fits logistic regression (`design_review.classifier.fit_logistic`) on every
flagged prompt, of any category (1), against every respectful prompt (0).

The threshold is chosen by cross-validation grouped by writer: the model is fitted on two
writers and scores the third writer's prompts as the review does (the highest probability over
the sentences addressed to the learner, `checker.addressed_sentences`); over those
out-of-writer scores, the threshold is the lowest that keeps false alarms on respectful prompts
at or below `--max-false-alarms`. The same folds give the honest estimate the command prints
per writer: recall and false alarms of the classifier alone, on a writer it did not learn from.
Writes `design_review/data/tone-model.json`.
"""

from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from design_review import dataset
from design_review.checker import addressed_sentences
from design_review.classifier import ToneModel, default_embedder, fit_logistic


def _row_scores(
    vectors: dict[str, np.ndarray], texts: list[str], w: np.ndarray, b: float
) -> np.ndarray:
    """Each text's highest p(judging) over its addressed sentences (0 when it has none)."""
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        sents = addressed_sentences(text)
        if sents:
            z = np.array([vectors[s] for s in sents], dtype=np.float64) @ w + b
            out[i] = float((1 / (1 + np.exp(-z))).max())
    return out


class Command(BaseCommand):
    help = "Train the design review's tone classifier on the train split (three writers)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-false-alarms", type=float, default=0.02)
        parser.add_argument("--l2", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["max_false_alarms"] < 1 or options["l2"] <= 0:
            raise CommandError("--max-false-alarms must be in [0, 1) and --l2 above 0.")
        rows = dataset.load("train")
        texts = [ex.text for ex in rows]
        everything = sorted({*texts, *(s for t in texts for s in addressed_sentences(t))})
        embedder = default_embedder()
        vectors = dict(zip(everything, embedder.embed(everything).astype(np.float64), strict=True))
        x = np.array([vectors[t] for t in texts])
        y = np.array([ex.label for ex in rows], dtype=np.float64)
        writers = np.array([ex.writer for ex in rows])
        held = np.zeros(len(rows))
        for writer in dict.fromkeys(writers):
            test = writers == writer
            w, b = fit_logistic(x[~test], y[~test], l2=options["l2"])
            held[test] = _row_scores(
                vectors, [t for t, k in zip(texts, test, strict=True) if k], w, b
            )
        negatives = np.sort(held[y == 0])[::-1]
        allowed = int(np.floor(options["max_false_alarms"] * len(negatives)))
        threshold = float(max(0.5, negatives[allowed] + 1e-6))
        w, b = fit_logistic(x, y, l2=options["l2"])
        ToneModel(embedder.name, w.astype(np.float32), b, threshold).save()
        self.stdout.write(f"trained on {len(rows)} prompts; threshold {threshold:.3f}")
        self.stdout.write("cross-validated by writer (fitted on the other two), classifier alone:")
        for writer in dict.fromkeys(writers):
            k = writers == writer
            caught = held[k & (y == 1)] >= threshold
            alarms = held[k & (y == 0)] >= threshold
            self.stdout.write(
                f"  {writer}: recall {caught.mean():.0%} of {caught.size}, "
                f"false alarms {alarms.mean():.0%} ({alarms.sum()} of {alarms.size})"
            )
