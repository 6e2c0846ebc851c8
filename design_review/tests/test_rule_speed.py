"""The rules' prefilter (issue 11): `rules.matches` finds exactly what searching every rule
finds, on every text of the data set, the demo programme and variants made to trip it up; and
the literals it proves from a pattern are right on the constructs that make that hard."""

import json
import re
import sys

from django.test import SimpleTestCase

from design_review import dataset, prefilter, rules
from design_review.checker import sentences
from design_review.textprep import mask_markup, mask_quotes

Found = list[tuple[int, tuple[int, int]]]


def every_rule(sentence: str) -> Found:
    """The plain loop `checker._rule_findings` ran before `rules.matches`: every rule searched."""
    out = []
    for i, rule in enumerate(rules.RULES):
        if not rule.applies(sentence):
            continue
        m = rule.pattern.search(sentence)
        if m is not None:
            out.append((i, m.span()))
    return out


def prefiltered(sentence: str) -> Found:
    position = {id(rule): i for i, rule in enumerate(rules.RULES)}
    return [(position[id(rule)], m.span()) for rule, m in rules.matches(sentence)]


def masked_sentences(text: str) -> list[str]:
    masked = mask_quotes(mask_markup(text))
    return [s.text for s in sentences(masked)] + [masked]


def corpus() -> list[str]:
    # Every split but the fresh writers' (none is read here): the training files of writers A-F
    # (in "train"), the held-out and the fresh split.
    texts = [ex.text for split in ("train", "heldout", "fresh") for ex in dataset.load(split)]
    from demo.content import WEEKS

    for week in WEEKS:
        for activity in week.activities:
            texts += [activity.title, activity.summary, activity.body]
    return [t for t in texts if t]


def variants(sentence: str) -> list[str]:
    """Ways of writing a sentence that a careless prefilter would get wrong: case, runs and
    kinds of white space, the four letters whose case folding is not lower-casing, letters
    glued to words (a whole word no longer whole), punctuation instead of spaces."""
    return [
        sentence.upper(),
        sentence.swapcase(),
        sentence.replace(" ", "  \t "),
        sentence.replace(" ", "\n"),
        sentence.replace(" ", "\u00a0"),
        sentence.replace("s", "\u017f"),
        sentence.replace("k", "\u212a").replace("K", "\u212a"),
        sentence.replace("i", "\u0131"),
        sentence.replace("I", "\u0130"),
        sentence.replace(" ", "_"),
        sentence.replace(" ", "é"),
        sentence.replace(" ", "-"),
        "un" + sentence.replace(" ", " re"),
        sentence.replace(" ", "s ").replace("'", " "),
        sentence.replace(",", "").replace(".", "!"),
        sentence[1:-1],
    ]


class EquivalenceTests(SimpleTestCase):
    def assert_same(self, texts: list[str]) -> int:
        fired = 0
        for text in texts:
            expected = every_rule(text)
            fired += len(expected)
            self.assertEqual(prefiltered(text), expected, text)
        return fired

    def test_every_text_of_the_data_set_and_the_demo_finds_the_same_matches(self) -> None:
        texts = [s for t in corpus() for s in masked_sentences(t)]
        self.assertGreater(len(texts), 3000)
        self.assertGreater(self.assert_same(texts), 500)

    def test_variants_made_to_trip_the_prefilter_find_the_same_matches(self) -> None:
        # The sentences on which some rule fires, and a sample of the others.
        texts = [s for t in corpus() for s in masked_sentences(t)][::7]
        firing = [s for s in texts if every_rule(s)][:40]
        quiet = [s for s in texts if not every_rule(s)][:10]
        synthetic = [v for s in firing + quiet for v in variants(s)]
        self.assertGreater(len(synthetic), 700)
        self.assertGreater(self.assert_same(synthetic), 100)

    def test_hand_written_edge_cases(self) -> None:
        self.assert_same(
            [
                "",
                " ",
                "WHY DIDN'T YOU FINISH IT?",
                "Why  didn't\tyou\nfinish it?",
                "Why didn't you fini\u017fh it? You \u017fhould have known.",
                "\u212anow your place, you \u017fhould.",
                "İt is your fault, you should have known better.",
                "Hurry! Act now! Only 3 places left!!!",
                "Closed-door sessions: the fault-lines; your_fault; yourfault.",
                "A chévere session, arre yaar, do the needful.",
                "You   failed   to   answer.",
            ]
        )

    def test_a_neutral_sentence_searches_few_rules(self) -> None:
        # Without the prefilter every one of the ~510 rules is searched on every sentence.
        index = rules._index()
        for sentence in (
            "The session starts at nine in the main room.",
            "Write down three things that went well this week.",
        ):
            self.assertLess(len(index.candidates(sentence)), len(rules.RULES) // 10)

    def test_nearly_every_rule_has_a_prefilter(self) -> None:
        keyed = [prefilter.keys(rule.pattern) for rule in rules.RULES]
        self.assertGreater(sum(k is not None for k in keyed), 0.95 * len(keyed))

    def test_the_shipped_table_is_what_the_patterns_give(self) -> None:
        shipped = json.loads(rules.PREFILTER_TABLE.read_text(encoding="utf-8"))
        self.assertEqual(
            shipped,
            rules.prefilter_table(rules.RULES),
            "rules changed: run `python -m design_review.rules` to write the table again",
        )

    def test_a_pattern_missing_from_the_table_is_worked_out(self) -> None:
        extra = rules._r("blame", r"\bzebra crossing\b")
        rules.RULES.append(extra)
        try:
            found = [(r, m.group()) for r, m in rules.matches("Mind the Zebra  crossing.")]
            self.assertEqual(found[-1:], [(extra, "Zebra  crossing")])
        finally:
            rules.RULES.remove(extra)
            rules._INDEX.clear()


def req(pattern: str, flags: int = re.IGNORECASE) -> set[str] | None:
    found = prefilter.required(re.compile(pattern, flags))
    return None if found is None else set(found)


class ExtractionTests(SimpleTestCase):
    def test_literals_and_case(self) -> None:
        self.assertEqual(req(r"\bConfess\b"), {"confess"})
        self.assertEqual(req(r"(?-i:Confess)"), {"confess"})
        self.assertEqual(req(r"ABC", 0), {"abc"})

    def test_alternation_needs_a_literal_in_every_branch(self) -> None:
        self.assertEqual(req(r"\b(should|must)\b"), {"should", "must"})
        self.assertEqual(req(r"(foo|\w+)bar"), {"bar"})
        self.assertIsNone(req(r"foo|\w+"))
        self.assertIsNone(req(r"(foo|)"))

    def test_optional_parts(self) -> None:
        self.assertEqual(req(r"colou?r"), {"color", "colour"})
        self.assertEqual(req(r"(just\s+)?leave"), {"just leave", "leave"})
        self.assertIsNone(req(r"(sorry)?"))
        self.assertIsNone(req(r"x*"))
        self.assertEqual(req(r"a(bc){2,}d"), {"bc"})

    def test_character_classes(self) -> None:
        self.assertEqual(req(r"reali[sz]e"), {"realise", "realize"})
        self.assertEqual(req(r"[a-z]+ing\b"), {"ing"})
        self.assertEqual(req(r"[^x]yz"), {"yz"})
        self.assertIsNone(req(r"[a-z]{3}"))

    def test_look_arounds_are_not_trusted(self) -> None:
        self.assertEqual(req(r"(?=foo)bar"), {"bar"})
        self.assertEqual(req(r"immediately(?![^.!?]*\?)"), {"immediately"})
        self.assertEqual(req(r"(?<!not )bad"), {"bad"})
        self.assertIsNone(req(r"(?!foo)\w+"))

    def test_white_space(self) -> None:
        self.assertEqual(req(r"you\s+should"), {"you should"})
        self.assertEqual(req(r"curve\s*ball"), {"curveball", "curve ball"})
        self.assertEqual(req(r"a\s\s+b"), {"a b"})
        # A literal white-space character could be one of a run: it is not trusted.
        self.assertEqual(req("dear\nfriend"), {"friend"})

    def test_non_ascii_and_back_references(self) -> None:
        self.assertEqual(req(r"chévere"), {"vere"})  # the longer of "ch" and "vere"
        self.assertIsNone(req(r"é"))
        self.assertIsNone(req(r"(\w+) \1"))
        self.assertIsNone(req(r"(x)?(?(1)a|b)"))

    def test_keys_use_whole_words_only_where_a_boundary_is_proven(self) -> None:
        def keys(pattern: str) -> prefilter.Keys | None:
            return prefilter.keys(re.compile(pattern, re.IGNORECASE))

        self.assertEqual(keys(r"\bfault\b"), (("fault",), ()))
        self.assertEqual(keys(r"fault"), ((), ("fault",)))  # "faults", "default"
        self.assertEqual(keys(r"\blose"), ((), ("lose",)))  # "loser" holds it, not as a word
        self.assertEqual(keys(r"\b(your|my)\s+fault"), (("my", "your"), ()))
        self.assertEqual(keys(r"\bbe\s+honest(:|,)"), (("honest",), ()))


class FoldingTests(SimpleTestCase):
    """The assumptions `prefilter.fold` rests on, checked on every code point."""

    def setUp(self) -> None:
        self.everything = "".join(
            chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
        )

    def test_case_folding_is_lower_casing_but_for_four_letters(self) -> None:
        for ch in map(chr, range(0x21, 0x7F)):
            odd = {
                m.group()
                for m in re.finditer(re.escape(ch), self.everything, re.IGNORECASE)
                if ch.lower() not in m.group().lower()
            }
            self.assertLessEqual(odd, prefilter.UNSAFE_FOLDS, ch)

    def test_no_character_outside_a_word_lower_cases_into_a_word(self) -> None:
        # A \b proven by a pattern is a boundary of the folded text's letter-and-digit runs.
        outside = "".join(re.findall(r"\W", self.everything))
        self.assertIsNone(re.search(r"[a-z0-9]", outside.lower()))

    def test_lower_casing_keeps_white_space_white(self) -> None:
        space = re.compile(r"\s")
        changed = [
            ch
            for ch in self.everything
            if bool(space.match(ch)) != bool(space.fullmatch(ch.lower()))
        ]
        self.assertEqual(changed, [])
