"""The training prompts' sentences labelled one by one (`data/train-sentences.tsv`, round 10)
stay consistent with the prompt files: the same sentences as the checker's splitter makes, a
judging sentence in every flagged prompt, none in a respectful one, and nothing from the
held-out writers."""

import tempfile
from collections import defaultdict
from pathlib import Path

from django.test import SimpleTestCase

from design_review import dataset
from design_review.textprep import mask_markup, mask_quotes, sentences


def _split(text: str) -> list[str]:
    return [s.text for s in sentences(mask_quotes(mask_markup(text)))]


class SentenceLabelTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.rows = dataset.load_sentences()
        cls.by_prompt: dict[tuple[str, int], list[dataset.LabelledSentence]] = defaultdict(list)
        for row in cls.rows:
            cls.by_prompt[(row.file, row.line)].append(row)
        cls.prompts = {
            (stem, k + 2): ex
            for stem, writer in dataset.SPLITS["train"]
            for k, ex in enumerate(dataset.load_file(dataset.DATA / f"{stem}.tsv", writer))
        }

    def test_every_training_prompt_has_the_sentences_the_checker_splits_it_into(self) -> None:
        self.assertEqual(set(self.by_prompt), set(self.prompts))
        for key, ex in self.prompts.items():
            rows = self.by_prompt[key]
            self.assertEqual([r.index for r in rows], list(range(len(rows))), key)
            self.assertEqual([r.text for r in rows], _split(ex.text), key)

    def test_every_flagged_prompt_has_a_judging_sentence_and_respectful_ones_none(self) -> None:
        for key, ex in self.prompts.items():
            labels = [r.label for r in self.by_prompt[key]]
            if ex.label == 1:
                self.assertIn(1, labels, key)
            else:
                self.assertEqual(set(labels), {0}, key)

    def test_a_flagged_prompt_of_one_sentence_is_that_sentence(self) -> None:
        for key, ex in self.prompts.items():
            rows = self.by_prompt[key]
            if ex.label == 1 and len(rows) == 1:
                self.assertEqual(rows[0].label, 1, key)

    def test_it_labels_no_sentence_of_a_held_out_writer(self) -> None:
        self.assertEqual({r.file for r in self.rows}, {stem for stem, _ in dataset.SPLITS["train"]})

    def test_flagged_prompts_of_several_sentences_keep_respectful_context(self) -> None:
        mixed = [
            key
            for key, ex in self.prompts.items()
            if ex.label == 1 and 0 in {r.label for r in self.by_prompt[key]}
        ]
        # Round 10's annotation: 164 of the 414 flagged prompts of several sentences.
        self.assertGreaterEqual(len(mixed), 150)

    def test_sentence_labels_key_each_prompt_by_its_writer_and_text(self) -> None:
        labels = dataset.sentence_labels()
        ex = self.prompts[("train", 12)]
        self.assertEqual(
            labels[(ex.writer, ex.text)],
            (
                ("Your lack of preparation caused the problem.", 1),
                ("How will you avoid it next time?", 0),
            ),
        )
        self.assertEqual(len(labels), len(self.prompts))

    def test_a_malformed_row_is_refused_with_its_line(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sentences.tsv"
            path.write_text("file\tline\tindex\tlabel\ttext\ntrain\t2\t0\t2\tHello.\n")
            with self.assertRaisesMessage(ValueError, "line 2"):
                dataset.load_sentences(path)
            path.write_text("file\tline\tindex\tlabel\ttext\ntrain\tx\t0\t1\tHello.\n")
            with self.assertRaisesMessage(ValueError, "line 2"):
                dataset.load_sentences(path)
