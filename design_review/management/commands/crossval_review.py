"""`manage.py crossval_review`: the checker on each writer it never learnt from.

Leave one writer out over the `train` split (`design_review.crossval.cross_validate`): for each
writer, the tone model is fitted on the other writers (its vocabulary, weights and thresholds
chosen by their own inner folds) and the whole checker is scored on the writer left out. Prints,
per writer, recall and false alarms of the checker, of the rules alone and of the classifier
alone (every passage read, no rule: the part that is learnt, the honest part — the rules were
written from these writers' misses), then the pooled table per category. `--heads` fits round
8's candidate (a head per category, L2 0.5, n-grams weighted twice: `crossval.HEADS_8`)
instead of the shipped settings, for comparison; `--sentences` round 10's (sentences labelled
one by one, `data/train-sentences.tsv`: each judging sentence against every sentence of the
respectful prompts, `crossval.SENTENCES_10`; with `--with-context`, against every sentence
labelled respectful); `--classifier-only` skips the checker runs (a minute instead of
several). Whatever the model learns from, each writer left out is scored prompt by prompt as
the review reads it (the highest probability over its passages).
`--vectors var/review-vectors.npz` keeps the sentence vectors between runs (development only).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from design_review import dataset
from design_review.classifier import default_embedder
from design_review.crossval import (
    HEADS_8,
    MAX_FALSE_ALARMS,
    SENTENCES_10,
    SHIPPED,
    Settings,
    VectorTable,
    cross_validate,
    demo_texts,
    pooled,
    training_split,
)


class Command(BaseCommand):
    help = "Cross-validate the design review by writer (leave one writer out)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-false-alarms", type=float, default=MAX_FALSE_ALARMS)
        add_model_arguments(parser)
        parser.add_argument("--classifier-only", action="store_true")
        parser.add_argument("--vectors", type=Path, default=None)
        parser.add_argument(
            "--per-writer", action="store_true", help="also each writer's table per category"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings = settings_from(options)
        if not 0 <= options["max_false_alarms"] < 1:
            raise CommandError("--max-false-alarms must be in [0, 1).")
        examples = dataset.load(training_split(settings))
        table = VectorTable.cached(examples, default_embedder(), options["vectors"])
        folds = cross_validate(
            examples,
            settings=settings,
            max_false_alarms=options["max_false_alarms"],
            table=table,
            respectful=demo_texts(),
            rules=not options["classifier_only"],
        )
        self.stdout.write(f"{settings}\n")
        self.stdout.write(
            "| writer left out | thresholds (short, long) | checker: caught "
            "| checker: false alarms | rules only: caught | rules only: false alarms "
            "| classifier only: caught | classifier only: false alarms |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|")
        for fold in folds:
            k = fold.classifier
            cells = [
                f"{s.recall:.0%} ({s.hits}) | {s.false_alarm_rate:.0%} ({s.false_alarms})"
                if s is not None
                else "- | -"
                for s in (fold.checker.get("all"), fold.rules.get("all"), k)
            ]
            self.stdout.write(
                f"| {fold.writer} ({k.positives} / {k.negatives}) | {fold.threshold:.3f}, "
                f"{fold.long_threshold or fold.threshold:.3f} | " + " | ".join(cells) + " |"
            )
        k = pooled({"all": f.classifier} for f in folds)["all"]
        self.stdout.write(
            f"| all | | | | | | {k.recall:.1%} ({k.hits}) "
            f"| {k.false_alarm_rate:.1%} ({k.false_alarms}) |"
        )
        if options["classifier_only"]:
            return
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


def add_model_arguments(parser: Any) -> None:
    """The options that choose how a tone model is fitted (`settings_from`), shared by
    `crossval_review` and `train_review_classifier`."""
    parser.add_argument("--l2", type=float, default=None)
    parser.add_argument("--ngram-scale", type=float, default=None)
    candidate = parser.add_mutually_exclusive_group()
    candidate.add_argument("--heads", action="store_true", help="round 8's candidate")
    candidate.add_argument(
        "--sentences",
        action="store_true",
        help="round 10's candidate: judging sentences against respectful prompts' sentences",
    )
    parser.add_argument(
        "--with-context",
        action="store_true",
        help="with --sentences: also the respectful sentences of flagged prompts as negatives",
    )


def settings_from(options: dict[str, Any]) -> Settings:
    """The fitting settings of `--heads` or `--sentences` (with `--with-context`), `--l2` and
    `--ngram-scale` (the shipped ones, `crossval.SHIPPED`, by default); `CommandError` for an
    L2 or a scale not above 0, or `--with-context` without `--sentences`."""
    base = (
        HEADS_8 if options.get("heads") else SENTENCES_10 if options.get("sentences") else SHIPPED
    )
    l2 = options["l2"] if options.get("l2") is not None else base.l2
    scale = options["ngram_scale"] if options.get("ngram_scale") is not None else base.ngram_scale
    if l2 <= 0 or scale <= 0:
        raise CommandError("--l2 and --ngram-scale must be above 0.")
    if options.get("with_context") and not options.get("sentences"):
        raise CommandError("--with-context needs --sentences.")
    rows = "all-sentences" if options.get("with_context") else base.rows
    return Settings(l2=l2, ngram_scale=scale, heads=base.heads, rows=rows)
