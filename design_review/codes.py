"""The finding codes of the design review, each grounded in one of the four questions.

The four questions come from the seed article on relationship-centred design (shared/seeds):
at every stage, ask of each piece of content whether it is sensitive and respectful to the
learner's context, whether it will be perceived as open and honest, whether it implies any
judgement, and whether the learner has a safe, confidential space to answer. Every code below
names the question it answers and explains itself in a sentence or two written for designers.
Codes are a closed vocabulary: `manage.py review_text` prints them, findings store them.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Category(StrEnum):
    """The four kinds of check, one per question."""

    JUDGEMENT = "judgement"
    SAFE_SPACE = "safe_space"
    CONTEXT = "context"
    HONESTY = "honesty"


QUESTIONS = {
    Category.CONTEXT: _("Is it sensitive and respectful to the learner's context?"),
    Category.HONESTY: _("Will it be perceived as open and honest?"),
    Category.JUDGEMENT: _("Does it imply any judgement?"),
    Category.SAFE_SPACE: _("Does the learner have a safe, confidential space to answer?"),
}

CATEGORY_LABELS = {
    Category.JUDGEMENT: _("Judgement"),
    Category.SAFE_SPACE: _("Safe space"),
    Category.CONTEXT: _("Context"),
    Category.HONESTY: _("Honesty"),
}


@dataclass(frozen=True)
class CodeInfo:
    """One finding code: its category, a short label and the explanation a designer reads."""

    code: str
    category: Category
    label: str
    explanation: str

    @property
    def question(self) -> str:
        """The one of the four questions this code answers."""
        return str(QUESTIONS[self.category])


_J, _S, _C, _H = Category.JUDGEMENT, Category.SAFE_SPACE, Category.CONTEXT, Category.HONESTY

CODES: dict[str, CodeInfo] = {
    c.code: c
    for c in (
        CodeInfo(
            "blame",
            _J,
            "Blames",
            "The question assumes the learner failed and asks them to account for it. People "
            "defend themselves instead of reflecting; ask what happened and what got in the way.",
        ),
        CodeInfo(
            "shame",
            _J,
            "Shames",
            "Words of shame or disappointment make an honest answer feel like a confession. "
            "Invite the learner to look at the situation, not at their worth.",
        ),
        CodeInfo(
            "label",
            _J,
            "Labels the person",
            "It names a trait of the person (defensive, lazy, a micromanager) rather than a "
            "behaviour in a situation. Describe what happens, and let the learner name it.",
        ),
        CodeInfo(
            "presume",
            _J,
            "Presumes",
            "It tells the learner how they felt, what they think or what they did before they "
            "have said so. Ask instead; their answer may surprise you.",
        ),
        CodeInfo(
            "leading",
            _J,
            "Leads to an answer",
            "The question signals the answer it wants, so the learner agrees rather than "
            "thinks. Ask an open question that a thoughtful person could answer either way.",
        ),
        CodeInfo(
            "compare",
            _J,
            "Compares",
            "Comparing the learner with peers or with an ideal leader adds pressure and "
            "shame, and in a cohort it is public. Speak about their own next step.",
        ),
        CodeInfo(
            "minimise",
            _J,
            "Minimises",
            "Words like just, simply or obviously tell someone who finds this hard that they "
            "should not. Leave them out and acknowledge that it can take effort.",
        ),
        CodeInfo(
            "moralise",
            _J,
            "Moralises",
            "Obligations (you should have, you must, a good manager would) turn reflection into "
            "a verdict. Offer a possibility or ask what the learner might try.",
        ),
        CodeInfo(
            "absolute",
            _J,
            "Absolutes or ultimatums",
            "Always, never, no excuses and either-or leave no room for the learner's real "
            "experience. Ask about when it happens and what helps.",
        ),
        CodeInfo(
            "sarcasm",
            _J,
            "Sarcasm",
            "Sarcasm reads as contempt in writing, more so across languages and cultures. "
            "Say plainly what you mean to ask.",
        ),
        CodeInfo(
            "tone",
            _J,
            "Judging tone",
            "The local classifier reads this sentence as judging, though no single phrase "
            "explains it. Read it as the learner would: is it curious, open and kind?",
        ),
        CodeInfo(
            "audience-missing",
            _S,
            "Who will see the answer?",
            "The question invites personal sharing but does not say who will read the answer. "
            "People share honestly only when they know; say it in the prompt.",
        ),
        CodeInfo(
            "audience-mismatch",
            _S,
            "Promise differs from the real visibility",
            "What the text promises about who will see the answer does not match where the "
            "answer really goes on this item. A broken promise of privacy destroys trust.",
        ),
        CodeInfo(
            "names-others",
            _S,
            "Names people who are not there",
            "It asks the learner to name or single out colleagues who cannot read or answer "
            "what is said about them. Ask about the situation, without names.",
        ),
        CodeInfo(
            "exposure",
            _S,
            "Very personal, where a group reads it",
            "It asks for something very personal (health, fears, failures, life at home) where "
            "a group will read the answer, without making it optional. Offer a private place "
            "or let the learner choose how much to share.",
        ),
        CodeInfo(
            "idiom",
            _C,
            "Idiom",
            "An idiom or culture-bound reference that a global, multilingual cohort may not "
            "share or may read literally. Say it plainly.",
        ),
        CodeInfo(
            "assumption",
            _C,
            "Assumes a background",
            "It assumes something about family, health, gender, faith, education or way of "
            "life that not every learner shares. Make it open to everyone.",
        ),
        CodeInfo(
            "reading-level",
            _C,
            "Hard to read",
            "This sentence reads above the level your organisation set. Shorter sentences and "
            "everyday words help people reading in their second or third language.",
        ),
        CodeInfo(
            "urgency",
            _H,
            "Manipulative urgency",
            "Pressure to act now rushes people and reads as manipulation. Give the real "
            "timing, if there is one, and leave the choice to the learner.",
        ),
        CodeInfo(
            "scarcity",
            _H,
            "False scarcity",
            "Scarcity pressure (only a few places left) pushes rather than invites. State the "
            "real limit and what happens if it is reached.",
        ),
        CodeInfo(
            "guilt",
            _H,
            "Guilt about progress",
            "Guilt about falling behind or letting others down shames people whose week was "
            "full. Progress in Rapport encourages and never shames.",
        ),
        CodeInfo(
            "overclaim",
            _H,
            "A claim the product cannot keep",
            "Guarantees, total anonymity or instant transformation are promises no programme "
            "can keep. Say what is true and what the learner can expect.",
        ),
    )
}


def code_info(code: str) -> CodeInfo:
    """The `CodeInfo` of a code; `KeyError` for a code outside the vocabulary."""
    return CODES[code]
