"""`manage.py train_review_classifier`: fit the design review's tone model on the training split.

Reads `design_review/data/train.tsv` only (never the held-out file), embeds each prompt with the
shipped embedder, fits logistic regression (`design_review.classifier.fit_logistic`) on judging
and dishonest prompts (1) against every respectful prompt (0), picks the threshold by 5-fold
cross-validation on the training rows (the lowest that keeps false alarms at or below
`--max-false-alarms`), and writes `design_review/data/tone-model.json`.
"""

from typing import Any

import numpy as np
from django.core.management.base import BaseCommand

from design_review import dataset
from design_review.classifier import ToneModel, default_embedder, fit_logistic
from design_review.codes import Category

TONE_CATEGORIES = (Category.JUDGEMENT, Category.HONESTY)


class Command(BaseCommand):
    help = "Train the design review's tone classifier on design_review/data/train.tsv."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-false-alarms", type=float, default=0.05)
        parser.add_argument("--l2", type=float, default=0.1)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            ex for ex in dataset.load("train") if ex.label == 0 or ex.category in TONE_CATEGORIES
        ]
        embedder = default_embedder()
        x = embedder.embed([ex.text for ex in rows]).astype(np.float64)
        y = np.array([ex.label for ex in rows], dtype=np.float64)
        folds = np.arange(len(rows)) % 5
        held_p = np.zeros(len(rows))
        for k in range(5):
            w, b = fit_logistic(x[folds != k], y[folds != k], l2=options["l2"])
            held_p[folds == k] = 1 / (1 + np.exp(-(x[folds == k] @ w + b)))
        negatives = np.sort(held_p[y == 0])[::-1]
        allowed = int(np.floor(options["max_false_alarms"] * len(negatives)))
        threshold = float(max(0.5, negatives[allowed] + 1e-6))
        recall = float((held_p[y == 1] >= threshold).mean())
        w, b = fit_logistic(x, y, l2=options["l2"])
        ToneModel(embedder.name, w.astype(np.float32), b, threshold).save()
        self.stdout.write(
            f"trained on {len(rows)} prompts; threshold {threshold:.3f}; cross-validated "
            f"recall of the classifier alone {recall:.0%}"
        )
