"""Round 8 of the design review's performance (issue 11): what a cold `review_text` or a first
programme review no longer does, and that the results are the same without it."""

import subprocess
import sys
import threading
from itertools import pairwise

import numpy as np
from django.test import SimpleTestCase

from design_review import checker, rules
from design_review.checker import ReviewContext, review_each
from design_review.classifier import BATCH, MiniLMEmbedder, ToneModel, batches


class LazyRuleTests(SimpleTestCase):
    def test_importing_the_checker_compiles_no_rule(self) -> None:
        # Compiling the ~510 patterns at import cost a cold start about 0.2 s of CPU.
        probe = (
            "from design_review import checker, rules; "
            "print(sum('pattern' in r.__dict__ or 'unless' in r.__dict__ for r in rules.RULES), "
            "len(rules.RULES))"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        compiled, total = map(int, done.stdout.split())
        self.assertEqual(compiled, 0)
        self.assertGreater(total, 400)

    def test_the_table_is_found_without_compiling(self) -> None:
        # The key worked out from the source is the compiled pattern's own key, for every rule,
        # so the shipped prefilter table serves every rule without compiling it.
        for rule in rules.RULES:
            self.assertEqual(rules._source_key(rule), rules._table_key(rule.pattern))

    def test_a_rule_compiles_what_its_source_says(self) -> None:
        rule = rules._r("blame", r"\bzebra ?crossing\b", unless=r"\bsafe\b")
        self.assertEqual(rule.pattern.pattern, r"\bzebra\s*crossing\b")
        self.assertTrue(rule.pattern.flags & rules.re.IGNORECASE)
        self.assertIs(rule.pattern, rule.pattern)  # compiled once
        self.assertFalse(rule.applies("A SAFE zebra crossing."))
        self.assertTrue(rule.applies("A zebra crossing."))
        self.assertIsNone(rules._r("blame", "zebra").unless)


class BatchTests(SimpleTestCase):
    def fixed_cut(self, lengths: list[int]) -> int:
        """Padded tokens of round 7's cut: sorted, every `BATCH` passages."""
        size = sorted(lengths)
        return sum(
            max(size[i : i + BATCH]) * len(size[i : i + BATCH]) for i in range(0, len(size), BATCH)
        )

    def test_every_passage_once_and_no_batch_too_large(self) -> None:
        rng = np.random.default_rng(8)
        for n in (0, 1, 2, 15, 16, 17, 55, 139, 300):
            lengths = [int(x) for x in rng.integers(5, 120, n)]
            cut = batches(lengths)
            with self.subTest(n=n):
                self.assertEqual(sorted(k for b in cut for k in b), list(range(n)))
                self.assertTrue(all(1 <= len(b) <= BATCH for b in cut))
                padded = sum(max(lengths[k] for k in b) * len(b) for b in cut)
                # Never more padding + batch cost than round 7's cut (which is one choice).
                rounds7 = -(-n // BATCH)
                self.assertLessEqual(padded + 20 * len(cut), self.fixed_cut(lengths) + 20 * rounds7)
                # Batches hold passages of neighbouring lengths.
                for a, b in pairwise(cut):
                    self.assertLessEqual(max(lengths[k] for k in a), min(lengths[k] for k in b))

    def test_short_passages_are_not_padded_to_long_ones(self) -> None:
        lengths = [10] * 9 + [200] * 3
        cut = batches(lengths)
        self.assertEqual([sorted(lengths[k] for k in b) for b in cut], [[10] * 9, [200] * 3])

    def test_the_vectors_are_those_of_each_passage_alone(self) -> None:
        embedder = MiniLMEmbedder(1)
        embedder.load()
        texts = [
            "Were you brave enough?",
            "What will you try in your next one-to-one, and who could help you with it?",
            "Why?",
            "Read the notes first. Then plan your week with care, and ask your team what helps "
            "you most when the work piles up and the days feel short.",
        ] * 5
        texts = [f"{t} ({i})" for i, t in enumerate(texts)]
        together = embedder._encode(texts)
        for i, text in enumerate(texts):
            np.testing.assert_array_equal(together[i], embedder._encode([text])[0])


class RecordingEmbedder:
    """An embedder that records the thread that loads it (as `MiniLMEmbedder` is loaded)."""

    name = "recording"

    def __init__(self) -> None:
        self.loaded = False
        self.loaded_by: threading.Thread | None = None

    def load(self) -> None:
        self.loaded_by = threading.current_thread()
        self.loaded = True

    def embed(self, sentences: list[str]) -> np.ndarray:
        out = np.zeros((len(sentences), 4), dtype=np.float32)
        out[:, 0] = 1.0
        return out


class FirstReviewTests(SimpleTestCase):
    model = ToneModel("recording", np.array([1.0, 0, 0, 0], dtype=np.float32), -10.0, 0.5)

    def test_the_model_loads_beside_the_rules_on_a_first_review(self) -> None:
        embedder = RecordingEmbedder()
        items = [("What will you try in your next one-to-one with your coach?", ReviewContext())]
        reviews = review_each(items, embedder=embedder, model=self.model)
        self.assertIsNotNone(embedder.loaded_by)
        self.assertIsNot(embedder.loaded_by, threading.current_thread())
        self.assertEqual(
            reviews, [checker.review(items[0][0], embedder=embedder, model=self.model)]
        )

    def test_a_loaded_model_is_not_loaded_again(self) -> None:
        embedder = RecordingEmbedder()
        embedder.loaded = True
        review_each(
            [("What will you try next?", ReviewContext())], embedder=embedder, model=self.model
        )
        self.assertIsNone(embedder.loaded_by)

    def test_rules_only_loads_nothing(self) -> None:
        embedder = RecordingEmbedder()
        context = ReviewContext(classifier=False)
        review_each([("What will you try next?", context)], embedder=embedder, model=self.model)
        self.assertIsNone(embedder.loaded_by)


class SyllableTests(SimpleTestCase):
    def test_the_memo_counts_as_pyphen_does(self) -> None:
        hyph = checker._hyphenator()
        for word in ("you", "You", "YOU", "responsibility", "can't", "Kindergarten", "a", "x"):
            self.assertEqual(checker.syllables_of(word), len(hyph.positions(word)) + 1)
