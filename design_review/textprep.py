"""Preparing a text for review: what kind of input it is, markup masked, sentences with offsets.

Everything here keeps character offsets into the original text, so a finding can highlight the
designer's own words and a rewrite replaces exactly the sentence it is about. Markup (HTML tags,
Markdown punctuation, entities) is blanked out with spaces of the same length rather than
removed, for the same reason.
"""

import re
import unicodedata
from dataclasses import dataclass

#: Only the first this many characters are reviewed; a longer text gets a note saying so.
MAX_REVIEW_CHARS = 20_000

_TAG = re.compile(r"<[^>\n]{0,500}>|&[#a-zA-Z0-9]{1,10};")
_MD_LINK_TARGET = re.compile(r"\]\([^)\n]{0,500}\)")
_MD_PUNCT = re.compile(r"[\[\]*_`#>|~]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
# A line break inside a paragraph is a space; one before a blank line, a list item, a heading,
# a quote or a table row ends the sentence.
_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*(\n|[-+*>#|]|\d+[.)]\s))")
_QUOTED = re.compile(r'"[^"\n]{1,300}"')
# Single quotes: an opening quote after a space or bracket and before a letter, a closing one
# after a non-space and not followed by a letter (so "don't" and "teams' goals" stay text).
_SINGLE_QUOTED = re.compile(r"(?<![\w'])'(?=\w)[^'\n]{1,120}(?<=[\w.!?,])'(?!\w)")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"')\]]*|(?=\n)|$)")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the masked text: its offsets into the original and its masked text."""

    start: int
    end: int
    text: str


def mask_markup(text: str) -> str:
    """`text` with HTML tags, entities and Markdown punctuation replaced by spaces (same
    length, so offsets hold), curly quotes straightened (one character each)."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    masked = _SOFT_BREAK.sub(blank, text)
    masked = _TAG.sub(blank, masked)
    masked = _MD_LINK_TARGET.sub(blank, masked)
    masked = _MD_PUNCT.sub(" ", masked)
    return masked.translate(_QUOTES)


# Words that tell the learner to say the quoted phrase themselves ('try saying "…"', 'a quick
# "…" goes a long way', 'ask them, "…"'): the phrase is the text's own advice, so the checks
# read it; not a phrase others say ("some managers say …"), nor one to avoid ("instead of
# saying …", "never say …").
_SAY_THIS = re.compile(
    r"((^|[.!?:;]\s*|\b(try|just|simply|then|and|please|can|could|might|to)\s+)(say|saying|ask|"
    r"asking)( (them|him|her|it))?|\btry|\ba (quick|simple|short|warm|friendly|brief|plain)|"
    r"\bsomething like)[ ,]*$",
    re.IGNORECASE,
)
_NOT_THIS = re.compile(r"\b(don't|do not|never|avoid|instead of|rather than|stop)\b[^.!?;]*$", re.I)


def _said_by_the_learner(masked: str, start: int) -> bool:
    """Whether the quote at `start` is a phrase the text tells the learner to say."""
    before = masked[max(0, start - 80) : start]
    return _SAY_THIS.search(before) is not None and _NOT_THIS.search(before) is None


def mask_quotes(masked: str) -> str:
    """Quoted speech blanked out, in double or single quotes: an article quoting a judging
    phrase as an example ("you need to be more strategic", 'the ball is in your court') is not
    saying it to the learner. Apostrophes (don't, teams') are not quotes. A phrase in double
    quotes the text tells the learner to say ('a quick "cheers, mate"') is kept
    (`_SAY_THIS`). Same length, offsets hold."""
    masked = _QUOTED.sub(
        lambda m: (
            m.group(0)
            if _said_by_the_learner(masked, m.start())
            else '"' + " " * (len(m.group(0)) - 2) + '"'
        ),
        masked,
    )
    return _SINGLE_QUOTED.sub(lambda m: "'" + " " * (len(m.group(0)) - 2) + "'", masked)


def sentences(masked: str) -> list[Sentence]:
    """The sentences of a masked text, each trimmed of surrounding spaces, empty ones dropped."""
    out = []
    for m in _SENTENCE.finditer(masked):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped or not any(ch.isalpha() for ch in stripped):
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        out.append(Sentence(start, start + len(stripped), stripped))
    return out


def control_share(text: str) -> float:
    """The share of characters that are control or replacement characters (0 to 1): binary
    data read as text scores high, any real prose near 0."""
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    )
    return bad / len(text)


def non_latin_share(text: str) -> float:
    """The share of letters outside the Latin script (0 to 1), to say when a text is mostly in
    another script that the English checks cannot read."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    other = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN"))
    return other / len(letters)
