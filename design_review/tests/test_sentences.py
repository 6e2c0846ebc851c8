"""The training prompts' sentences labelled one by one (`data/train-sentences.tsv`, round 10)
stay consistent with the prompt files: the same sentences as the checker's splitter makes, a
judging sentence in every flagged prompt, none in a respectful one, and nothing from the
held-out writers."""

import tempfile
from collections import defaultdict
from pathlib import Path

from django.test import SimpleTestCase

from design_review import crossval, dataset
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
            for stem, writer in dataset.SPLITS["sentences"]
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
        labelled = {stem for stem, _ in dataset.SPLITS["sentences"]}
        self.assertEqual({r.file for r in self.rows}, labelled)
        self.assertLessEqual(labelled, {stem for stem, _ in dataset.SPLITS["train"]})

    def test_sentence_candidates_fit_on_the_labelled_writers_only(self) -> None:
        # Round 11 made writers G-L training data; their sentences were never labelled, so a
        # sentence model is fitted on the seven writers whose sentences were.
        self.assertEqual(crossval.training_split(crossval.SENTENCES_10), "sentences")
        self.assertEqual(crossval.training_split(crossval.SHIPPED), "train")
        self.assertIn("G", dataset.WRITERS)
        with self.assertRaises(ValueError):
            crossval.training_rows(dataset.load("writer-g")[:1], "sentences")

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


class SentenceRowsTests(SimpleTestCase):
    """Round 10's candidate learns from sentences (`crossval.training_rows`), scored as the
    review reads a prompt."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        original = dataset.load_file(dataset.DATA / "train.tsv", "original")
        # Line 12: "Your lack of preparation caused the problem. How will you avoid it next
        # time?" (flagged; the question is respectful context). Then a respectful prompt.
        cls.flagged = original[10]
        cls.respectful = next(ex for ex in original if ex.label == 0)

    def test_judging_sentences_are_fitted_against_the_respectful_prompts_sentences(
        self,
    ) -> None:
        from design_review.crossval import SENTENCES_10, training_rows

        texts, labels, _ = training_rows([self.flagged, self.respectful], SENTENCES_10.rows)
        respectful = _split(self.respectful.text)
        self.assertEqual(texts, ["Your lack of preparation caused the problem.", *respectful])
        self.assertEqual(labels, [1] + [0] * len(respectful))

    def test_with_context_the_flagged_prompts_respectful_sentences_are_negatives_too(
        self,
    ) -> None:
        from design_review.crossval import training_rows

        texts, labels, categories = training_rows([self.flagged], "all-sentences")
        self.assertEqual(
            texts,
            ["Your lack of preparation caused the problem.", "How will you avoid it next time?"],
        )
        self.assertEqual((labels, categories), ([1, 0], [self.flagged.category] * 2))

    def test_prompts_are_fitted_whole_by_default(self) -> None:
        from design_review.crossval import SHIPPED, training_rows

        texts, labels, _ = training_rows([self.flagged, self.respectful], SHIPPED.rows)
        self.assertEqual((texts, labels), ([self.flagged.text, self.respectful.text], [1, 0]))

    def test_a_prompt_without_labelled_sentences_is_refused(self) -> None:
        from dataclasses import replace

        from design_review.crossval import training_rows

        with self.assertRaisesMessage(ValueError, "no labelled sentences"):
            training_rows([replace(self.flagged, writer="G")], "sentences")

    def test_the_commands_choose_the_rows_from_their_options(self) -> None:
        from django.core.management import CommandError

        from design_review.crossval import SENTENCES_10, SHIPPED
        from design_review.management.commands.crossval_review import settings_from

        def options(**given: object) -> dict[str, object]:
            return {"l2": None, "ngram_scale": None, **given}

        self.assertEqual(settings_from(options()), SHIPPED)
        self.assertEqual(settings_from(options(sentences=True)), SENTENCES_10)
        self.assertEqual(
            settings_from(options(sentences=True, with_context=True)).rows, "all-sentences"
        )
        with self.assertRaisesMessage(CommandError, "--with-context needs --sentences"):
            settings_from(options(with_context=True))


class ThresholdRuleTests(SimpleTestCase):
    def test_both_commands_choose_the_threshold_at_round_11s_false_alarm_rate(self) -> None:
        # Round 11: 1.5% of respectful prompts scored out of writer (2% before), the rate that
        # reproduces the shipped model's threshold (docs/design-review.md, "Round 11").
        from design_review.management.commands import crossval_review, train_review_classifier

        self.assertEqual(crossval.MAX_FALSE_ALARMS, 0.015)
        for command in (crossval_review.Command(), train_review_classifier.Command()):
            parser = command.create_parser("manage.py", "command")
            self.assertEqual(parser.parse_args([]).max_false_alarms, 0.015)


class CandidateModelTests(SimpleTestCase):
    def test_round_10s_candidate_is_kept_beside_the_shipped_model_not_in_its_place(self) -> None:
        # Round 10 (docs/design-review.md): trained on sentences, it won by writer left out
        # (468 of 807 caught, 12 of 522 false alarms, against 429 and 14) but not on writers
        # I-L, scored once (394 of 480 caught, 37 of 320 false alarms, against 395 and 34).
        from design_review.classifier import MODEL_FILE, ToneModel

        shipped = ToneModel.load()
        candidate = ToneModel.load(MODEL_FILE.with_name("tone-model-sentences.json"))
        self.assertEqual(candidate.embedder_name, shipped.embedder_name)
        # Round 11 refitted the shipped model on thirteen writers (G-L added): the candidate's
        # vocabulary, of the seven writers it was fitted on, is a part of the shipped one's.
        self.assertLess(set(candidate.vocabulary), set(shipped.vocabulary))
        self.assertEqual((shipped.threshold, shipped.long_threshold), (0.81, 0.842))
        self.assertEqual((candidate.threshold, candidate.long_threshold), (0.7032, 0.9136))
