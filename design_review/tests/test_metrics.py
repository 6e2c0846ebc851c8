"""The data set and the figures docs/design-review.md reports: the held-out targets (at least
90% of judging prompts caught, at most 10% false alarms on respectful ones) and the lexicon
baseline they are compared with."""

from collections import Counter

from django.test import SimpleTestCase

from design_review import dataset
from design_review.codes import Category


class DataSetTests(SimpleTestCase):
    def test_there_are_at_least_400_original_prompts_in_every_category(self) -> None:
        train, heldout = dataset.load("train"), dataset.load("heldout")
        self.assertGreaterEqual(len(train) + len(heldout), 400)
        for split in (train, heldout):
            for category in Category:
                labels = {ex.label for ex in split if ex.category == category}
                self.assertEqual(labels, {0, 1}, category)

    def test_the_held_out_and_fresh_splits_share_no_prompt_with_training(self) -> None:
        train = {ex.text for ex in dataset.load("train")}
        for split in ("heldout", "fresh"):
            self.assertEqual(train & {ex.text for ex in dataset.load(split)}, set(), split)

    def test_training_keeps_each_writers_provenance(self) -> None:
        writers = Counter(ex.writer for ex in dataset.load("train"))
        self.assertEqual(
            writers,
            {
                "original": 299,
                "A": 170,
                "B": 170,
                "C": 150,
                "D": 170,
                "E": 170,
                "F": 200,
                **dict.fromkeys("GHIJKL", 200),
            },
        )
        self.assertEqual(dataset.WRITERS, ("original", *"ABCDEFGHIJKL"))
        for writer in "GHIJKL":
            self.assertEqual(
                {ex.writer for ex in dataset.load(f"writer-{writer.lower()}")}, {writer}
            )
        self.assertEqual({ex.writer for ex in dataset.load("writer-e")}, {"E"})
        self.assertEqual({ex.writer for ex in dataset.load("writer-f")}, {"F"})
        self.assertEqual({ex.writer for ex in dataset.load("writer-a")}, {"A"})
        self.assertEqual({ex.writer for ex in dataset.load("writer-d")}, {"D"})

    def test_any_labelled_file_loads_with_its_writer(self) -> None:
        examples = dataset.load_path(dataset.DATA / "train-writer-d.tsv")
        self.assertEqual({ex.writer for ex in examples}, {"train-writer-d"})
        self.assertEqual(len(examples), 170)


class HeldOutTargetTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.heldout = dataset.load("heldout")
        cls.scores = dataset.evaluate(cls.heldout, dataset.checker_predictor())

    def test_it_catches_at_least_90_percent_of_judging_prompts(self) -> None:
        self.assertGreaterEqual(self.scores["all"].recall, 0.90)
        self.assertGreaterEqual(self.scores[Category.JUDGEMENT].recall, 0.90)

    def test_it_raises_at_most_10_percent_false_alarms_on_respectful_prompts(self) -> None:
        self.assertLessEqual(self.scores["all"].false_alarm_rate, 0.10)
        for category in Category:
            self.assertLessEqual(self.scores[category].false_alarm_rate, 0.10, category)

    def test_a_sentiment_lexicon_misses_most_of_what_the_checker_catches(self) -> None:
        vader = dataset.evaluate(self.heldout, dataset.vader_predictor())
        self.assertLess(vader["all"].recall, self.scores["all"].recall)
        self.assertLess(vader[Category.CONTEXT].recall, 0.5)


class FreshSplitTests(SimpleTestCase):
    """The fresh split was written after the first rules were frozen and is never trained on.
    These floors are the current honest figures (docs/design-review.md), not the target: the
    checker catches 88% of its judging prompts (23 of 26) with one false alarm of 17 since
    round 11 (85%, 22, from round 6, which gave short prompts their own threshold; 54% and
    none before; 42% before the classifier read passages and shared n-grams)."""

    def test_the_figures_on_unseen_phrasing_do_not_fall_back(self) -> None:
        scores = dataset.evaluate(dataset.load("fresh"), dataset.checker_predictor())
        self.assertGreaterEqual(scores["all"].hits, 23)
        self.assertLessEqual(scores["all"].false_alarms, 1)
        rules_only = dataset.evaluate(
            dataset.load("fresh"), dataset.checker_predictor(classifier=False)
        )
        self.assertGreater(scores["all"].hits, rules_only["all"].hits)


class HeldOutWriterTests(SimpleTestCase):
    """Writers nobody read while the checker was written, scored once at a freeze: M and N at
    round 11's (c60d9de), M 106 of 120 caught with 1 false alarm of 80, N 101 caught with 6
    (main's checker before round 11 on the same files: 99 and 2, 96 and 8). Floors, not the
    target (90% caught, at most 10% false alarms): they must not fall back."""

    def test_the_unseen_writers_figures_do_not_fall_back(self) -> None:
        training_writers = {ex.writer for ex in dataset.load("train")}
        for split, writer, floor, alarms in (
            ("writer-m", "M", 106, 1),
            ("writer-n", "N", 101, 6),
        ):
            with self.subTest(split):
                examples = dataset.load(split)
                self.assertEqual(Counter(ex.label for ex in examples), {1: 120, 0: 80})
                self.assertEqual({ex.writer for ex in examples}, {writer})
                self.assertNotIn(writer, training_writers)
                scores = dataset.evaluate(examples, dataset.checker_predictor())
                self.assertGreaterEqual(scores["all"].hits, floor)
                self.assertLessEqual(scores["all"].false_alarms, alarms)


class TrainingWritersTests(SimpleTestCase):
    """Writers C and D are training data from round 5, writer E from round 6, writer F from
    round 7 and writers G to L from round 11 (their misses were read to write rules): these
    floors only guard what was learnt, not generalisation — the honest figures are the
    cross-validation by writer and the next held-out writer (docs/design-review.md)."""

    def test_what_was_learnt_from_the_writers_read_holds(self) -> None:
        for split, labels, floor, alarms in (
            ("writer-c", {1: 90, 0: 60}, 90, 0),
            ("writer-d", {1: 104, 0: 66}, 103, 0),
            # E's one remaining false alarm is reading level: a 29-word sentence at grade 16
            # (the other, grade 15 as one sentence, is grade 10 counted as Flesch counted).
            ("writer-e", {1: 104, 0: 66}, 103, 1),
            # F was held out until round 6 was frozen (scored once: 94 caught, 13 false alarms)
            # and read in round 7 (rules, then the safe-space, reading-level and quoted-advice
            # families in checker.py and textprep.py). Its one false alarm is a 33-word
            # sentence at grade 15 (docs: "Round 7").
            ("writer-f", {1: 120, 0: 80}, 120, 1),
            # G to L were held out until round 7 (G), stop 20 (H) and stop 21 (I to L) were
            # frozen, each scored (G 81 caught, 6 false alarms; H 93, 6; I 96, 10; J 94, 8;
            # K 105, 9; L 100, 7), then read in round 11 (docs: "Round 11").
            ("writer-g", {1: 120, 0: 80}, 118, 2),
            ("writer-h", {1: 120, 0: 80}, 117, 2),
            ("writer-i", {1: 120, 0: 80}, 119, 4),
            ("writer-j", {1: 120, 0: 80}, 118, 3),
            ("writer-k", {1: 120, 0: 80}, 120, 4),
            ("writer-l", {1: 120, 0: 80}, 120, 2),
        ):
            with self.subTest(split):
                examples = dataset.load(split)
                self.assertEqual(Counter(ex.label for ex in examples), labels)
                scores = dataset.evaluate(examples, dataset.checker_predictor())
                self.assertGreaterEqual(scores["all"].hits, floor)
                self.assertLessEqual(scores["all"].false_alarms, alarms)


class DemoProgrammeTests(SimpleTestCase):
    def test_the_demo_programme_passes_review(self) -> None:
        from demo.content import WEEKS
        from design_review.checker import ReviewContext, review
        from design_review.visibility import answer_visibility

        for week in WEEKS:
            for activity in week.activities:
                context = ReviewContext(
                    kind=activity.kind, visibility=answer_visibility(activity.kind)
                )
                for text in (activity.title, activity.summary, activity.body):
                    with self.subTest(activity.title):
                        self.assertEqual(review(text, context=context).codes, [])
