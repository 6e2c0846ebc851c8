"""The rules of the design review: patterns over the parsed sentences of a text.

Each rule is a regular expression over one sentence (markup masked, quotes straightened, matched
without regard to case) and a way to propose a respectful rewrite of that sentence: a phrase to
put in place of the words found, a function of the sentence, or the code's default. Verb forms
in rewrites are lemmatised with simplemma (a well-kept lemmatiser for 54 languages from PyPI),
so "Why haven't you had…" becomes "What has made it hard to have…".

Rules say what is judging; the respectful uses of the same words (a curious "why", a neutral
"should", a mistake named safely) are left alone by what the patterns require around them, and
the data set in `design_review/data/` holds those hard cases (see docs/design-review.md).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from . import prefilter

Fix = Callable[[str, "re.Match[str]"], str] | str | None


@dataclass(frozen=True)
class Rule:
    """One pattern: its finding code, its regex and how to rewrite the sentence.

    `fix` is a replacement for the matched words (a string, "" deletes them), a function of
    the sentence and the match returning the whole new sentence, or None for the code's default
    sentence (`DEFAULT_REWRITES`).

    `source` and `unless_source` are compiled (with `flags`) on first use, as `pattern` and
    `unless`: compiling all ~510 patterns at import cost a cold start about 0.2 s of CPU before
    any text was read, and a sentence only ever searches the rules its words select
    (`matches`), so a short review compiles few of them."""

    code: str
    source: str
    fix: Fix = None
    negatable: bool = True
    unless_source: str | None = None
    flags: int = re.IGNORECASE

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex (compiled once, on first use)."""
        return re.compile(self.source, self.flags)

    @cached_property
    def unless(self) -> re.Pattern[str] | None:
        """The compiled exception (None when the rule has none): no finding in a sentence it
        matches."""
        return re.compile(self.unless_source, self.flags) if self.unless_source else None

    def applies(self, sentence: str) -> bool:
        """Whether the rule may fire on `sentence` at all (`unless` not matched)."""
        return self.unless is None or self.unless.search(sentence) is None


def _r(
    code: str, pattern: str, fix: Fix = None, *, negatable: bool = True, unless: str | None = None
) -> Rule:
    # A space in a pattern matches any run of spaces: masked markup leaves runs of them. An
    # optional space (" ?": "curve ?ball", "20 ?%") matches none or any run.
    return Rule(
        code, pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), fix, negatable, unless or None
    )


# A negation just before the words found, in the same clause ("there is no single right way",
# "this programme cannot guarantee", "please do not mention colleagues by name"), turns most
# judging or pressing phrases into their respectful opposite.
_NEGATED = re.compile(
    r"\b(no|not|never|cannot|can't|won't|isn't|aren't|don't|doesn't|didn't|without|nor|"
    r"neither|nothing|nobody)\b(\s+(single|one|a|an|the|any|to|be|so|really|need|have|ever|"
    r"always|only|just|fear|of|being|feeling|getting)\b){0,3}"
    # "not a flaw in your character", "not a judgement on you", "not a measure of your worth"
    r"(\s+(a|an)\s+(flaw|sign|judgement|judgment|verdict|comment|reflection|statement|measure|"
    r"test|criticism)\s+(in|on|of|about))?\s*$",
    re.IGNORECASE,
)


def negated(sentence: str, start: int) -> bool:
    """Whether the words at `start` of `sentence` are negated by a word just before them, in
    the same clause (up to three small words between: "no single right way")."""
    before = re.split(r"[,;:()]", sentence[:start])[-1]
    return _NEGATED.search(before) is not None


@cache
def lemma(word: str) -> str:
    """The English lemma of one word (`avoiding` → `avoid`), lower case."""
    import simplemma  # loaded on first use: its dictionary costs about half a second

    return str(simplemma.lemmatize(word.lower(), lang="en"))


def tidy(sentence: str) -> str:
    """Collapse spaces, drop spaces before punctuation and a dangling leading comma or colon,
    and capitalise the first letter."""
    s = re.sub(r"\s+", " ", sentence).strip()
    s = re.sub(r"\s+([,.;:!?])", r"\1", s)
    s = re.sub(r"^[,;:\s]+", "", s)
    s = re.sub(r"([,;:])(?=[.!?]$)", "", s)
    s = re.sub(r"^[.!?]+\s*", "", s)
    s = re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), s)
    return s[:1].upper() + s[1:] if s else s


def _rest(sentence: str, m: re.Match[str]) -> str:
    """The sentence after the match, without its closing punctuation."""
    rest = sentence[m.end() :].strip().rstrip(".!?").strip()
    return re.sub(r"\s+(yet|again|still|already)$", "", rest)


def _why_template(head: str) -> Callable[[str, re.Match[str]], str]:
    """A rewrite for a 'why didn't you <verb> …' question: `head` + the verb's lemma + the rest."""

    def fix(sentence: str, m: re.Match[str]) -> str:
        verb = lemma(m.group("verb"))
        rest = _rest(sentence, m)
        before = sentence[: m.start()].strip()
        return tidy(f"{before} {head} {verb} {rest}?")

    return fix


def _why_keep(sentence: str, m: re.Match[str]) -> str:
    verb = lemma(m.group("verb"))
    return tidy(
        f"{sentence[: m.start()]} What tends to happen when you {verb} {_rest(sentence, m)}?"
    )


def _why_so(sentence: str, m: re.Match[str]) -> str:
    return tidy(
        f"{sentence[: m.start()]} What do you notice about feeling {m.group('adj')} "
        f"{_rest(sentence, m)}?"
    )


def _to_what_extent(sentence: str, m: re.Match[str]) -> str:
    rest = _rest(sentence, m)
    rest = re.sub(r",?\s*(wouldn't|don't|won't|isn't|aren't|didn't) (you|it|they)$", "", rest)
    return tidy(f"{sentence[: m.start()]} To what extent do you think {rest}?")


def _might_have_helped(sentence: str, m: re.Match[str]) -> str:
    verb = lemma(m.group("verb"))
    return tidy(f"{sentence[: m.start()]} What might help you {verb} {_rest(sentence, m)}?")


# -- Judgement ------------------------------------------------------------------------------

_NEG_VERBS = (
    r"(fail|let|ignore|miss|forget|avoid|upset|lose|break|refuse|neglect|ruin|mess|blame|skip|"
    r"waste|interrupt|drop|hide|disappoint|mislead|overlook|hurt|abandon)\w*"
)
_IMPERATIVES = (
    r"(ask|stop|tell|do|have|say|give|be|trust|try|listen|prepare|get|talk|let|move|"
    r"accept|admit|relax|follow|pick|make|start|change|delegate|speak|thank|smile|hand|"
    r"ignore|remove|decide)"
)
_LABELS = (
    r"(lazy|defensive|controlling|difficult|impatient|negative|emotional|weak|arrogant|"
    r"stubborn|rigid|resistant|insecure|aggressive|passive|disorganised|disorganized|selfish|"
    r"bossy|needy|toxic|incompetent|careless|naive|micromanager|control freak|poor listener|"
    r"bad listener|bad manager|poor manager|bad boss|terrible|hopeless|useless|clueless|"
    r"naive|too soft|not credible|a fraud|lazy|laziest)"
)

#: The roles a learner holds, named as a class ("supervisors who …", "a real team lead …").
_ROLE = (
    r"(\w+ )?(managers?|supervisors?|leads?|leaders?|bosses|boss|engineers?|foremen|foreman|"
    r"team leads?|shift leads?|heads? of \w+)"
)

# Round 7: respectful uses the judging patterns misread. A yes/no question about a role or
# people in general ("Should a manager always …?", "Is it ever right for leaders to …?") asks
# the learner to weigh a claim; a perspective taken on purpose ("read it back as if you were
# the person receiving it", "look at the plan as if you were new"); a comparison defused in the
# same sentence ("some have posted and some have not; both are fine").
_GENERAL_QUESTION = (
    r"^(should|must|can|could|would|does|do|is|are|will)( (a|an|the|any|every|all|most))? "
    r"(\w+ )?(managers?|leaders?|supervisors?|bosses|boss|leads?|people|teams?|one|we|"
    r"organi[sz]ations?|companies|coaches)\b[^?]*\?$"
)
_PERSPECTIVE = (
    r"\b(read|re-?read|hear|look at|see|listen to|review|imagine|picture|write|watch|approach|"
    r"treat|check|test|walk through|go through)\b[^.?!]{0,50}\bas if you (were|are|had)\b"
)
_BOTH_FINE = (
    r"\b(some (have|haven't|have not|are|aren't|will)|both are fine|either is fine|that is "
    r"fine|that's fine|no rush|in your own time|at your own pace|whenever (you are|you're) "
    r"ready)\b"
)

# "If you feel you have not prepared enough" is the learner's own worry, not a charge.
_SELF_DOUBT = (
    r"\b(feel|felt|worr\w+|fear|afraid|sense|think|thought) (that )?you('ve| have| had)? "
    r"(not|haven't|hadn't)\b"
)

JUDGEMENT_RULES = [
    _r("blame", r"\bwhy (didn't|did not) you (?P<verb>\w+)", _why_template("What made it hard to")),
    _r("blame", r"\bwhy (don't|do not) you (?P<verb>\w+)", _why_template("What would help you")),
    _r(
        "blame",
        r"\bwhy (can't|cannot|can not|couldn't) you (just )?(?P<verb>\w+)",
        _why_template("What makes it hard to"),
    ),
    _r(
        "blame",
        r"\bwhy (won't|will not|wouldn't) you (?P<verb>\w+)",
        _why_template("What would make it easier to"),
    ),
    _r(
        "blame",
        r"\bwhy (haven't|have not|hasn't|has not) you (?P<verb>\w+)",
        _why_template("What has made it hard to"),
    ),
    _r(
        "blame",
        r"\bwhy (aren't|are not|are you still not|are you not) (you )?(?P<verb>\w+)",
        _why_template("What is making it hard to"),
    ),
    _r("blame", r"\bwhy (do|did) you (keep|always|still|never|even) (?P<verb>\w+)", _why_keep),
    _r("blame", r"\bwhy (are|were) you (still|always|such)\b"),
    _r("blame", r"\bwhy (are|were) you (so|this|that) (?P<adj>\w+)", _why_so),
    _r("blame", r"\bwhy did you " + _NEG_VERBS),
    _r("blame", r"\b(your|whose|my|his|her|their) fault\b"),
    _r("blame", r"\b(what did you do wrong|the reason (the|this|that) \w+ (slipped|failed))\b"),
    _r("blame", r"\b(take|takes|took) the blame\b"),
    _r("blame", r"\bcaus(e|ed|ing) (the|this|that) (problem|project|failure|issue|delay)"),
    _r("blame", r"\bmistake did you make\b"),
    _r("blame", r"\b(you|your team) (failed|fail) to\b"),
    _r("blame", r"\bhow (did|could) you (manage to )?(upset|lose|fail|miss|ignore|let)\b"),
    _r("blame", r"\blet (your|the|a|them|him|her|his|their|my)( \w+){0,3} down\b"),
    _r("blame", r"\b(what|which) excuses?\b"),
    _r("blame", r"\bconfess\b"),
    _r("blame", r"\bbe honest(:| about how| about why|, how)"),
    _r("blame", r"\bexplain why your (team|colleagues|reports|manager) (doesn't|don't|won't)\b"),
    _r(
        "blame",
        r"\byour (poor|weak|bad|lousy|terrible|lack of|failure|failures|"
        r"mistakes? (is|are|has|have))\b",
    ),
    _r("blame", r"\bis costing your\b"),
    _r("shame", r"\b(ashamed|shame on|shameful|embarrass(ed|ing)|disappointing|pathetic)\b"),
    _r("shame", r"\bhow could you (have|let|be so|even|possibly|not|forget|ignore|think)\b"),
    _r("shame", r"\bwhat('s| is) wrong with (you|the way you|your)\b"),
    _r("shame", r"\b(everything|all) that('s| is) wrong with\b"),
    _r("shame", r"\bhow (badly|poorly)\b"),
    _r("shame", r"\bsuch a (poor|bad|terrible|weak|silly|stupid)\b"),
    _r("label", r"\byou('re| are)( so| too| such an?| really| clearly| a| an| just)+ " + _LABELS),
    _r("label", r"\byou('re| are) (a|an) " + _LABELS),
    _r("label", r"\b(as|being) (a|an) \w*\s?" + _LABELS + r" (person|manager|leader|boss)\b"),
    _r("label", r"\b(as|being) (a|an) " + _LABELS + r"\b"),
    _r("label", r"\b(people|managers|leaders|someone|bosses|those) like you\b"),
    _r("label", r"\b(the |one of those )(kind|sort|type) of (boss|manager|leader|person)s? who\b"),
    _r("label", r"\bone of those (bosses|managers|leaders|people) who\b"),
    _r("label", r"\byour (personality|character)\b"),
    _r("label", r"\bby nature\b"),
    _r("label", r"\bstop being\b"),
    _r("label", r"\b(makes?|made) you such\b"),
    _r("label", r"\bare you (brave|man|woman|strong|good) enough\b"),
    _r("label", r"\bdon't be (the|that|a|one of those) (manager|boss|leader|person)\b"),
    _r(
        "presume",
        r"\byou (probably|no doubt|undoubtedly|certainly|surely) (felt|feel|think|thought|were|are|"
        r"blamed|talk|avoid|know|believe|wanted|want)\b",
    ),
    _r("presume", r"\byou must have (felt|been|thought|known)\b"),
    _r("presume", r"\b(we|i) know (that )?you\b"),
    _r("presume", r"\b(since|because|as) you (obviously|clearly)\b"),
    _r("presume", r"\blike most (managers|people|leaders|bosses), you\b"),
    _r("presume", r"\byou (clearly|obviously) \w+"),
    _r("presume", r"\bclearly,? you\b"),
    _r("presume", r"\badmit (it|that|how)\b"),
    _r("presume", r"\bhow did it feel to (let|be the reason|fail|lose|disappoint|be the one)\b"),
    _r("presume", r"\byour team (doesn't|does not|don't) trust you\b"),
    _r("presume", r"\bwhat was going through your (head|mind) when you made\b"),
    _r(
        "leading",
        r"\b(don't|do not|wouldn't|would not) you (agree|think|say|feel)( that)?\b",
        _to_what_extent,
    ),
    _r("leading", r"\bdo you agree that\b", _to_what_extent),
    _r("leading", r"\bisn't it (true|obvious|clear|fair to say)( that)?\b", _to_what_extent),
    _r(
        "leading", r"\bsurely,? you (can see|agree|know|understand)( that| why)?\b", _to_what_extent
    ),
    _r("leading", r"\bsurely\b"),
    _r("leading", r"\b(you'd|you would) agree\b"),
    _r("leading", r"\b(wouldn't|isn't|won't) it be (better|best|easier|wiser)\b"),
    _r("leading", r"^(isn't|aren't|don't|wouldn't|shouldn't|doesn't) (it|you|that|this)\b"),
    _r("leading", r"\b(don't|do not) you wish\b"),
    _r("leading", r",\s*(wouldn't|don't|won't|isn't|aren't|didn't|shouldn't) (you|it|they)\?"),
    _r("leading", r"\b(the )?(right|correct) (answer|way|response|thing to (do|say))\b"),
    _r(
        "compare",
        r"\b(everyone|everybody) else (has|have|in|finished|already|is|did|on|seems)\b",
    ),
    _r("compare", r"\bunlike (you|your|the other|other|most)\b"),
    _r("compare", r"\bcompared (with|to) (your|other|the rest)\b"),
    _r(
        "compare",
        r"\b(the |a |real |true )?(best|top|great|real|good|successful|decent|responsible|"
        r"effective|true) (managers|leaders|performers|bosses)\b",
    ),
    # "Most managers report the same" normalises; "most managers already …" compares.
    _r("compare", r"\b(other|all the other|the other) (managers|leaders|bosses)\b"),
    _r(
        "compare",
        r"\bmost (managers|leaders|bosses)\b(?! (report|need|find|say|feel|take|struggle|"
        r"notice|tell|describe|have felt|experience))",
    ),
    _r(
        "compare",
        r"\b(peers|colleagues|others|everyone|cohort|other managers)\b[^.?!]{0,40}\balready\b",
        unless=_BOTH_FINE,
    ),
    _r("compare", r"\b(your|the other) (colleagues|peers) have all\b"),
    _r("compare", r"\beven (new|junior|first-time) (managers|leaders)\b"),
    _r("compare", r"\byou are the only one\b"),
    _r(
        "minimise",
        r"\bjust " + _IMPERATIVES + r"\b",
        lambda s, m: tidy(s[: m.start()] + m.group(1) + s[m.end() :]),
    ),
    _r("minimise", r"\bsimply (?=stop\b)", ""),
    _r("minimise", r"\bobviously,?", ""),
    _r("minimise", r"\bof course,?", ""),
    _r(
        "minimise",
        r"\b(it's|it is|it really is|really is that|is) (so |really |very )?easy\b",
        # Round 11: making a text easy for its readers ("so it is easy to translate").
        unless=r"\bso (that )?it('s| is) easy to\b",
    ),
    _r("minimise", r"\b(is|it's|it is) (so |really |very )?simple\b"),
    _r("minimise", r"\b(no|not a) big deal\b"),
    _r("minimise", r"\b(only|just) takes\b", "can take"),
    _r("minimise", r"\bhow hard can it be\b"),
    _r("minimise", r"\bin (their|your|his|her) sleep\b"),
    _r("minimise", r"\bstop worrying\b"),
    _r("minimise", r"\bno reason not to\b"),
    _r(
        "moralise",
        r"\byou (should|shouldn't|should not) have (?P<verb>\w+)",
        _might_have_helped,
    ),
    _r("moralise", r"\bshould you have\b", "could you"),
    _r(
        "moralise",
        r"\byou (must|have to|ought to|'ve got to|have got to)\b(?! have (felt|been))",
        None,
    ),
    _r(
        "moralise",
        r"\byou need to (stop|start|be|change|face|fix|improve|learn|admit|apologi[sz]e)\b",
    ),
    _r("moralise", r"\b(it is|it's) your (duty|job|responsibility) to\b"),
    _r(
        "moralise",
        r"\b(a|any) (good|real|decent|responsible|true|great) (manager|leader|boss) "
        r"(would|should|always|never|knows|listens|does|doesn't)\b",
    ),
    _r("moralise", r"^be (a|the|more|better) (better |kind |good |real )?"),
    _r("moralise", r"\bbe a better\b"),
    _r("absolute", r"\byou('re| are)? (always|never)\b"),
    _r("absolute", r"\bno excuses?\b"),
    _r("absolute", r"\bthere is no excuse\b"),
    _r("absolute", r"\bor else\b"),
    _r("absolute", r"^either\b.*\bor\b"),
    _r(
        "absolute",
        r"\bif you (can't|cannot|can not|don't|do not) [^,]{1,60}, "
        r"(you(?!('ll| will)? (can|could|may|might|are welcome))|are you)\b",
    ),
    _r("absolute", r"\b(final|last) chance to change\b"),
    _r("absolute", r"\bfor once\b", ""),
    _r("absolute", r"\bfinally\b(?! (noticing|remembering))", ""),
    _r("absolute", r"\bor don't bother\b|\bdon't bother\b"),
    _r("absolute", r"\bever\.$"),
    _r("absolute", r"\bprove (that )?you\b"),
    _r(
        "sarcasm",
        r"\b(great|nice|brilliant|good|excellent|lovely) (job|work|idea|move)\b[^.?!]{0,30}"
        r"\b(ignor|pretend|skip|without|forget|miss)",
    ),
    _r("sarcasm", r"\bcongratulations on (finally|another|yet)\b"),
    _r("sarcasm", r"\bwell done (for|on) finally\b"),
    _r("sarcasm", r"\bfinally (noticing|remembering|realising|realizing|figuring)\b"),
    _r("sarcasm", r"^oh,? "),
    _r(
        "sarcasm", r"\b(i'm|i am) sure (your|the) (team|reports|colleagues) (loves?|enjoys?|likes?)"
    ),
    _r("sarcasm", r"\byeah,? right\b"),
    # "Read it back as if you were the person receiving it" takes a perspective (round 7).
    _r("sarcasm", r"\bas if you\b", unless=_PERSPECTIVE),
    _r("sarcasm", r"\binteresting\.$"),
    _r("sarcasm", r"\bhow did that work out\b"),
    _r("sarcasm", r"\bfor real this time\b"),
    _r("sarcasm", r"\blet's test that\b"),
    # General forms of the same judgements, over the grammar rather than set phrases: a "why"
    # about the learner's failing put as a clause, a verdict on the learner ("that's on you"),
    # an excuse asked for, a presumption hedged with "probably" or "for sure".
    _r(
        "blame",
        r"\bwhy (you|your team|your \w+) (haven't|hasn't|didn't|don't|doesn't|can't|couldn't|"
        r"won't|never|still|keep|were not|was not|are not|weren't|wasn't|aren't)\b",
    ),
    _r("blame", r"\bwhy (were|are|was) you (not|never) (able|willing)\b"),
    _r("blame", r"\bwhy (is|are|does|do) your \w+( \w+)? (so often|always|never|keep)\b"),
    _r("blame", r"\b(that's|that is|it's|it is) (on|down to) you\b"),
    _r("blame", r"\bwhat('s| is| was) your excuse\b"),
    _r(
        "blame",
        r"\bwhat (exactly )?(is|are|has been|have you been) (holding|doing)\b[^.?!]{0,25}"
        r"(back|\?)",
    ),
    _r("blame", r"\bwhat (it )?has (it )?cost\b|\bwhat (is )?that costing\b|\bwho got hurt\b"),
    _r("blame", r"\b(mistakes|habits?|ways?) (you have|you've) (made|been)\b"),
    _r("blame", r"\bhow (bad|often|many times) (it is|you (interrupt|fail|forget|miss))\b"),
    _r("blame", r"\b(you|your team)('ve| have)? (been )?(dodging|avoiding|hiding)\b"),
    _r("presume", r"\b(most )?probably,? you\b|\byou('ve| have| are|'re)? probably\b"),
    _r("presume", r"\bfor sure (you|feeling|you're|you are)\b"),
    _r("presume", r"\b(we|everyone|everybody) (all )?knows? (that )?(you|that'll|this will)\b"),
    _r("presume", r"\bas we all know\b|\bas (it is|is) expected (from|of) you\b"),
    _r(
        "presume",
        r"\b(now that|after|since) you('ve| have)? (understood|figured out|admitted|"
        r"realised|realized|accepted|know it)\b",
    ),
    _r("presume", r"\blike you usually do\b|\blike (you|your team) always\b"),
    _r("presume", r"\baccept that (your|they|the)\b[^.?!]{0,40}\bright\b"),
    _r("label", r"\b(makes?|made) you (a|an|so|such)( \w+)? " + _LABELS),
    _r("label", r"\b(the )?(laziest|worst) (habit|habits|thing|part) (of yours|you)\b"),
    _r("label", r"\bhabits? of yours\b"),
    _r("label", r"\beven you\b"),
    _r(
        "compare",
        r"\b(than|behind|unlike|like) the rest of (your|the) (cohort|group|circle|class|"
        r"managers|team)\b|\bmore than most\b",
    ),
    _r(
        "compare",
        r"\byour (peers|colleagues|cohort)\b[^.?!]{0,30}\b(nailed|managed|did|"
        r"finished|completed|implemented)\b",
    ),
    _r("compare", r"\b(have|has) already (implemented|done|finished|mastered)\b"),
    _r(
        "minimise",
        r"\b(isn't|is not|it's not|it is not|not that) (that |so |really )?(hard|difficult|"
        r"complicated)\b(?! to (see|say|know))",
        negatable=False,
    ),
    _r("minimise", r"\b(start with|just copy|no more than two) the easiest\b|\bthe easiest part\b"),
    _r("moralise", r"\b(you have|you've got|as a leader you have) the (duty|obligation)\b"),
    _r(
        "moralise",
        r"\b(a|any|every) (real |good |true )?(people )?(manager|leader|boss)s? "
        r"(worth|who (does not|doesn't|still|never))\b",
    ),
    _r(
        "moralise",
        r"\b(managers|leaders|people) who (say|still|never|don't|do not|skip|"
        r"resist)\b[^.?!]{0,80}\b(are|is) (frankly|simply|in reality|really|not)\b",
    ),
    _r("moralise", r"\bbe firm this time\b|\bthis time!?$"),
    _r("absolute", r"^(always|never) \w+", negatable=False),
    _r(
        "absolute",
        r"\b(full stop|no debate|the only (right |correct )?way|there is only one "
        r"(correct|right)|every single time)\b",
    ),
    # "Should a manager always say yes …?" asks the learner to weigh a general claim (round 7).
    _r(
        "absolute",
        r"\b(never|always) (loses?|struggles?|gets?|says?|makes?)\b",
        unless=_GENERAL_QUESTION,
    ),
    _r(
        "sarcasm",
        r"\bspoiler\b|\bgreat, one more\b|\bso naive\b|\bfrankly\b|"
        r"\bwe know (that'll|that will|this will) be a stretch\b",
    ),
    # "… when you can be honest with yourself" offers a possibility, not a charge (round 7).
    _r(
        "sarcasm",
        r"\b(be|being) honest(ly)?(,| with yourself| with us)\b",
        unless=r"\b(can|could|may|free to|able to|safe to|chance to|space to) be honest\b",
    ),
    # Generalised from the families of writers C's and D's misses (round 5): the grammar of a
    # verdict on a class of people the learner belongs to ("supervisors who … are mostly the
    # ones who …", "a real supervisor never …", "any competent manager can …"), a confession
    # of fault asked for, a failing presumed ("now that you have seen how …", "you have likely
    # been too soft"), a demand dressed as a question ("what exactly is stopping you"), others
    # held up as the standard ("the leads at our other site already …; why can't yours?").
    _r(
        "moralise",
        rf"\b(a|any|every) (real|good|true|competent|responsible|decent|proper|strong|great) "
        rf"{_ROLE} (always|never|must|should|can|knows|would|worth)\b",
    ),
    _r("moralise", rf"\b(every|any|each) {_ROLE} (must|has to|needs to|should|always|never)\b"),
    _r("moralise", rf"\bshould(n't| not) be an? {_ROLE}\b"),
    _r(
        "label",
        rf"\b{_ROLE} who\b[^.?!]{{0,80}}\b(are|is) (mostly|usually|often|typically|generally|"
        r"always|simply|frankly|just|not) (the ones|those|people|not|\w+ing\b)",
    ),
    _r("label", r"\b(are|is) (mostly|usually|typically|generally|always) the ones who\b"),
    _r(
        "label",
        r"\b(is|are) (mostly|really|just|simply|usually|often|only|nothing but) (laziness|"
        r"arrogance|ego|pride|vanity|weakness|incompetence|excuses?|stubbornness|fear)\b",
    ),
    _r("label", r"\bis it (pride|ego|laziness|arrogance|fear|vanity|stubbornness|weakness)\b"),
    _r(
        "label",
        r"\b(poor|bad|weak|terrible|lousy) (listeners|communicators|planners|delegators)\b",
    ),
    _r(
        "label",
        r"\b(it is|it's|that is|that's|this is) (rude|lazy|unprofessional|disrespectful|selfish|"
        r"childish|weak|pathetic|sloppy|careless|cowardly)\b",
    ),
    _r("label", r"\bif (that|this) sounds like you\b|\bwhere you fit\b"),
    _r(
        "label",
        r"\bif you('re| are) (one of (them|those|these)|an? \w+)\b[^.?!]{0,20}, this (one|module|"
        r"article|piece|session|week)('s| is) for you\b|\bif you('re| are) one of (them|those)\b",
    ),
    _r(
        "label",
        rf"\b(do not|don't) be (the|that|a|an|one of those) (\w+ ){{0,2}}({_ROLE}|person|one) "
        r"who\b",
    ),
    _r("label", r"\bmakes? (\w+ ){0,3}feel (small|stupid|useless|worthless|inadequate)\b"),
    _r("label", r"\b(can't|cannot|can not) stand\b"),
    _r(
        "presume",
        r"\bnow that you('ve| have)? (seen|recognised|recognized|noticed|learned|learnt|know|"
        r"found out|discovered)\b",
    ),
    _r("presume", r"\byou('ve| have| are|'re)? (likely|surely|no doubt) (been|\w+ed)\b"),
    _r(
        "presume",
        r"\byou('ve| have| were|'re| are)( been)? (\w+ )?too (soft|hard|harsh|lenient|slow|weak|"
        r"strict|controlling|defensive|impatient|passive|quick)\b",
    ),
    _r("presume", r"\b(everyone|everybody) knows\b"),
    _r(
        "presume",
        r"\b(everyone|everybody|we all|all of us|each of you|all of you) (here )?(has|have|did|"
        rf"do|does) (it|at least|several|(blamed|lied|taken credit|took credit|{_NEG_VERBS}))\b",
    ),
    _r(
        "presume",
        r"\b(some|most|many|a few) of you (still|will have|always|never|probably|are still|"
        r"keep|have (several|plenty|many))\b|\bfor some of you\b",
    ),
    _r("presume", r"\b(as|like) you (normally|usually|always|typically|often) do\b"),
    _r("presume", r"\byou (once again|again|still) (\w+ed|ignored|let|lost|forgot)\b"),
    _r(
        "presume",
        r"\byou already know (that )?[^.?!]{0,40}\b(is|are) the (answer|problem|solution|"
        r"issue)\b",
    ),
    _r(
        "presume",
        r"\b(bigger|worse) than (you|the manager|most managers|they) (think|thinks|"
        r"realise|realize|expect)\b",
    ),
    _r("presume", r"\b(will|would|might|may) (probably )?(embarrass|shame|humiliate) you\b"),
    _r(
        "blame",
        r"\bwhat exactly is (stopping|keeping) you\b|\bso what('s| is| exactly is) stopping "
        r"you\b",
    ),
    _r(
        "blame",
        r"\bwhy (can't|cannot|doesn't|don't|isn't|is it taking|does it take|won't|hasn't) "
        r"(yours|your (area|unit|team|line|plant|department|shift|site|group|floor|ward|"
        r"people|crew))\b",
    ),
    _r("blame", r"\bwhat('s| is) wrong with (the|our|your) (leadership|management|team)\b"),
    _r("blame", r"\blook at yourself\b|\bthe problem is (you|your|the manager)\b"),
    _r("blame", r"\b(is not|isn't) the problem, (the|you|your)\b"),
    _r("blame", r"\b(rarely|seldom) (outside|beyond) your control\b"),
    _r("blame", r"\b(somebody|someone|everybody|everyone) else's fault\b"),
    _r(
        "blame",
        r"\bhow (have|did|do) you contribut\w* to\b|\bwhat (are )?you (are )?doing to make "
        r"(them|him|her|it|things)\b",
    ),
    _r(
        "blame",
        r"\b(most |worst |biggest )?(avoidable|stupid(est)?|costl(y|iest)|needless|unnecessary|"
        r"worst) "
        r"(conflicts?|mistakes?|mess|errors?|problems?|decisions?) (you|your team) "
        r"(created|caused|made|started)\b",
    ),
    _r("blame", r"\b(took|take|taken|taking|takes) credit for\b"),
    _r(
        "blame",
        r"\byou (did not|didn't|failed to|do not|don't) (\w+ ){1,2}(early|fast|quickly|soon|"
        r"clearly|firmly|well|often) enough\b",
    ),
    _r(
        "blame",
        r"\byou (have not|haven't|did not|didn't) (built|done|given|shown|listened|delegated|"
        r"prepared|earned|invested|asked) (\w+ )?enough\b",
        # "If you feel you have not prepared enough, …" is the learner's own worry (round 7).
        unless=_SELF_DOUBT,
    ),
    _r("blame", r"\byou (\w+ ){0,2}too (slowly|late|harshly|hastily)\b"),
    _r("blame", r"\b(plans?|manages?|communicates?|delegates?|prepares?) (badly|poorly)\b"),
    _r(
        "blame",
        r"\b(you('ve| have)? been|who you('ve| have) been) (neglecting|ignoring|overlooking|"
        r"letting down)\b",
    ),
    _r("blame", r"\b(some|a lot of|much) catching up to do\b"),
    _r("blame", r"\bhide (it|that|this|your \w+) better\b"),
    _r(
        "compare",
        r"\bthe (best|top|most successful|strongest|better) (\w+ )?(managers|leaders|supervisors|"
        r"leads|bosses|performers|teams|plants|sites|units)\b",
    ),
    _r(
        "compare",
        r"\b(managers|leaders|supervisors|leads|teams|plants|sites|units|crews|shifts|others)\b"
        r"[^.?!]{0,50}\b(already|have already)\b[^.?!]{0,60}[.!]\s[^.?!]*\b(why|what's stopping"
        r"|what is stopping)\b",
    ),
    _r("compare", r"\bhow far (are you|you are) from\b"),
    _r("compare", r"\b(stopping|keeping) (you|your \w+) from doing the same\b"),
    _r(
        "compare",
        r"\bcompared (with|to) (the|our) [^.?!]{0,40}\b(twice|half|longer|slower|faster|better|"
        r"worse)\b",
    ),
    _r("leading", r"\bthe answer is (clear|obvious|simple)\b"),
    _r(
        "absolute",
        r"\bwithout exception\b|\b(there is |the )only (one )?(acceptable|proper|good|correct|"
        r"right) way\b",
    ),
    _r(
        "absolute",
        r"\b(shows?|showing|reveals?) (a )?lack of\b|\black of (discipline|commitment|effort|"
        r"professionalism|leadership)\b",
    ),
    _r(
        "minimise",
        r"\bsimply (hand|tell|ask|delegate|stop|say|give|make|accept|ignore|remove|decide|"
        r"trust|follow|change|fix|get|do|let)\b",
    ),
    _r("minimise", r"\b(just|only|simply) a matter of\b"),
    _r(
        "minimise",
        r"\bif you('re| are) (organised|organized|competent|any good|prepared|serious|"
        r"committed|disciplined|efficient)\b",
    ),
    _r(
        "sarcasm",
        r"^(great|wonderful|brilliant|fantastic|lovely|perfect|terrific|sure),? (another|one "
        r"more|so|the)\b",
    ),
    _r("sarcasm", r"\bhow (that's|that is|it's|it is) working out\b|\btell us again\b"),
    _r("sarcasm", r"(^|[:;,]\s*)be honest\b(?! about what (you|works|helps))|,\s*honestly\?"),
]

# Generalised from the families of writer E's misses (round 6), each as grammar that other
# writers' phrasings of the same idea share: a verdict on whoever has a failing ("a manager
# who … is not really leading", "has no business managing", "anyone who … has missed the
# point", "only to managers who have not …"); a motive or failing put on the learner ("that
# urge of yours", "out of fear", "you know very well which", "the quality you most lack",
# "what you have been doing that discourages them", "to feel important", "why you waited so
# long", "because busy managers nearly always do"); the learner's answer read as a verdict
# ("what that says about your priorities", "that itself tells us something"); a hard skill or
# a lasting change made to sound effortless ("all it takes is", "will sort itself out", "is
# quite straightforward", "simply vanishes"); one answer marked as the mature one.
_VERDICT = (
    r"(is|are) not (really|truly|actually) (leading|managing|coaching|leaders?|managers?)|"
    r"(has|have) no business (managing|leading|being|running|coaching)|"
    r"(is|are) (a |an )?\w+ who (cannot|can't|does not|doesn't|will not|won't) (lead|manage|"
    r"coach)\b|(has|have) (completely |totally |clearly |simply )?missed the (whole )?point|"
    r"(is|are) (clearly |simply )?not (ready|fit|cut out|suited) (for|to)"
)
JUDGEMENT_RULES += [
    _r("label", rf"\b({_VERDICT})\b"),
    _r(
        "label",
        r"\b(anyone|anybody|whoever|those of you|any of you|someone) who\b[^.?!]{0,80}"
        r"\b(may|might|should|will) (want to )?(reflect|ask (themselves|yourself)|reconsider|"
        r"question|think (again|about why))\b",
    ),
    _r(
        "label",
        rf"\bonly (to|for|among|in) {_ROLE} who (have not|haven't|do not|don't|cannot|can't|"
        r"are not|aren't|lack|never)\b",
    ),
    _r(
        "label",
        rf"\b{_ROLE} who\b[^.?!]{{0,80}}\b(are|is) (mostly|usually|often|typically|generally|"
        rf"always|simply|really|just|probably) ({_LABELS[1:-1]}|afraid|scared|unsure|threatened|"
        r"jealous|envious|vain|lazy|fragile)\b",
    ),
    _r(
        "label",
        rf"\b{_ROLE} from ([\w-]+,? ){{1,3}}(organi[sz]ations|cultures|countries|backgrounds|"
        r"companies|industries|regions|families|generations)\b[^.?!]{0,60}\b(tend to|usually|"
        r"often|always|struggle|find (it|this)|are used to)\b",
    ),
    _r(
        "label",
        r"\b(is|are|'s) (really|just|simply|actually|at heart|only) (a|an) (confidence|ego|"
        r"character|insecurity|attitude|maturity|discipline|willpower|mindset|motivation|"
        r"personality) (problem|issue|flaw|failing)\b",
    ),
    _r("label", r"\bif (that|this) ('s|is|describes) you\b"),
    _r(
        "label",
        r"\b(habits?|urges?|tendency|tendencies|need|instincts?|reflex|impulses?|ego|pride) of "
        r"yours\b",
    ),
    _r(
        "label",
        r"\bwhat (that|this|it|your (answer|choice|reaction|response|list)) (says|said|tells|"
        r"reveals|shows|would say)( us)? about (you|"
        r"yourself|your (priorities|character|values|commitment|motives|ego|integrity|"
        r"leadership|attitude|competence|maturity|courage|readiness|fitness|suitability|"
        r"ability|potential|worth|professionalism|judgement|judgment|self-control))\b",
    ),
    _r(
        "label",
        r"\b(that|this|which) (itself |alone |in itself )?(tells|says|shows) (us |you )?"
        r"(something|a lot|plenty|everything|all we need)\b",
    ),
    _r(
        "label",
        r"\bhow (committed|serious|dedicated|motivated|invested|engaged|willing) you (really|"
        r"truly|actually) are\b",
    ),
    _r("label", r"\b(would|will) (likely |probably |clearly )?be better off (without|with less)\b"),
    _r(
        "presume",
        r"\byou (\w+ ){0,8}out of (fear|laziness|pride|ego|insecurity|vanity|cowardice|spite|"
        r"habit)\b",
    ),
    _r(
        "presume",
        r"\byou know (very |perfectly |only too |full |all too )?well (which|who|what|that|why|"
        r"how)\b|\byou know exactly (which|who|what)\b",
    ),
    _r(
        "presume",
        r"\b(quality|qualities|skills?|traits?|strengths?|ability|abilities|competence|"
        r"competencies|capability|thing) you (most |really |clearly |still |so )?lack\b",
    ),
    _r(
        "presume",
        r"\byou (\w+ ){0,6}to (feel|look|seem|appear) (important|busy|indispensable|powerful|"
        r"superior|clever|in control|needed)\b",
    ),
    _r(
        "presume",
        r"\bas it (usually|always|typically|often|mostly|nearly always) is (for|with) "
        rf"{_ROLE}|\bbecause {_ROLE} (nearly |almost )?(always|usually|all) do\b|"
        rf"\bas (most |all |many )?{_ROLE} (at your level )?(usually|always|typically) do\b",
    ),
    _r(
        "presume",
        r"\bthere (will|would) (definitely|certainly|surely|undoubtedly|no doubt) be "
        r"(someone|something|a time|one|an? \w+)\b|\b(everybody|everyone|we all|all of us) "
        r"(does|do|did) (this|that)\b",
    ),
    _r(
        "blame",
        r"\bwhy you (\w+ ){1,6}(for )?(so|this) long\b|\bwhat you('ve| have)? (been )?(doing|"
        r"do|did|say|said|saying) that (\w+ ){0,2}(discourag|stop|prevent|driv|push|keep|"
        r"put|block|demotivat|frustrat|hurt|upset|silenc)\w*",
    ),
    _r(
        "blame",
        r"\bnot (tried|practised|practiced|cared|bothered|pushed (yourself|themselves)|"
        r"listened) (hard |long |well )?enough\b|\bno (stories|excuses|justifications) "
        r"(about|this time|please)\b|\b(tell|give|show) (us|me) the real reason\b|"
        r"\bthe real reason (you|why you)\b",
    ),
    _r(
        "leading",
        r"\b(what|which) is the (mature|grown-up|professional|sensible|obvious|adult|only "
        r"acceptable|smart) (response|answer|choice|thing to do|reaction|option|way)\b",
    ),
    _r(
        "minimise",
        r"\ball it takes is\b|\b(will|would|should) (simply |just )?(sort|fix|solve|take care "
        r"of) itself( out)?\b|\bno (further|extra|more|real|other) effort (is )?(needed|"
        r"required|necessary)\b|\b(simply|just) (vanish|vanishes|disappear|disappears|melts? "
        r"away|goes away|go away)\b",
    ),
    _r(
        "minimise",
        r"\b(is|it's|it is) (quite |really |very |pretty |fairly )?straightforward\b(?! to "
        r"(see|say|find|read))|\b(is|it's) an (easy|simple) one\b|\b(should|ought to) "
        r"(hardly|barely|not) be (difficult|hard|a problem|a challenge|an issue)\b|\bfor a "
        r"(professional|grown-up|competent|real|good) (\w+ )?(this|that|it) (should|is)\b",
    ),
]

# Round 7, from the families of writer F's misses, each written as grammar other writers'
# phrasings of the same idea share (test_rule_families.RoundSevenFamilyTests checks each on
# sentences F never wrote, and respectful uses of the same words):
# - a failing told to the learner as a fact about them: "you know you do it", "you have been
#   too busy to notice", "you have lost touch", "how defensive you can get", "more controlling
#   than you thought", "for a perfectionist like you", "the mistake you keep repeating", "even
#   though you know better", "you now understand why your approach was wrong";
# - a cause laid on the learner: "it is because you …", "the problem is your attitude", "look
#   in the mirror", "the message is clear", "that only proves they …", "there is no good reason
#   for it", "has not bothered to", "this is your chance to make it right", "the least you can
#   do", "what you have been doing that makes them hold back";
# - a class of managers given one failing ("… usually have a time-management problem",
#   "new managers usually talk too much", "managers ought to …", "… tells people they are not a
#   priority"), a test of character ("whether you are strong enough"), "don't be one of them";
# - effort waved away: "… and the nerves will go away", "simply not prepared enough";
# - one answer made the correct one: "which style is correct", "defend the … answer", "Hint:".
_TRAITS = (
    r"(lazy|defensive|controlling|difficult|impatient|negative|emotional|weak|arrogant|"
    r"stubborn|rigid|insecure|aggressive|passive|disorgani[sz]ed|selfish|bossy|needy|harsh|"
    r"dismissive|distant|distracted|rude|cold|closed|abrupt|moody|short-tempered|"
    r"self-centred|self-centered|judgemental|judgmental|intimidating|unapproachable|"
    r"absent|slow|careless|sloppy|pushy|domineering|critical)"
)
JUDGEMENT_RULES += [
    _r(
        "presume",
        r"\byou know (that )?you (do|did|tend|often|always|keep|still|were|are too|can be)\b|"
        r"\b(even though|although|when|though) you know better\b|\byou (should )?(really )?"
        r"know better\b",
    ),
    _r(
        "presume",
        r"\byou('ve been| have been| were| are|'re|'ve become| have become|'ve grown| have "
        r"grown) (far |much |a bit |a little |rather |way )?(too|overly) \w+\b|\byou('ve| "
        r"have) (lost touch|stopped (listening|caring|noticing|asking)|let (things|it|"
        r"standards|the team) slip|become (complacent|distant|lazy|comfortable|careless))\b",
        unless=r"\b(if|when|whenever|in case|unless) you('re| are| were| have been|'ve been) "
        r"(far |much )?too\b",
    ),
    _r(
        "presume",
        rf"\bhow {_TRAITS} you (can|could|tend to|have|are|were|get|sound|come across|seem|"
        r"appear|really)\b",
        unless=r"\bhow \w+ you (can |could |might |may )?(feel|felt)\b",
    ),
    _r(
        "presume",
        rf"\b(more|less|far more|much more) {_TRAITS} than you (thought|think|realised|realized|"
        r"realise|realize|expect|expected|admit|believe|imagine)\b",
    ),
    _r(
        "label",
        r"\b(for|with|from|to) (a|an|someone|people|managers|leaders) (\w+ )?like you\b|"
        r"\b(a|an) (temper|ego|attitude|style|habit|record|history) like yours\b",
    ),
    _r(
        "blame",
        r"\b(mistakes?|habits?|errors?|patterns?|things?) (that )?you (keep|continue to) "
        r"(repeating|repeat|making|make|doing|falling into)\b|\bthe same (old )?mistakes? "
        r"(again|over and over|every time)\b",
    ),
    _r(
        "presume",
        r"\b(why|that|how) (you|your (\w+ ){0,4})(was|is|were|has been|have been|had been) "
        r"(wrong|a mistake|mistaken|flawed|misguided|the problem)\b",
    ),
    _r(
        "presume",
        r"\b(this|next) time,? (actually|really|properly) \w+|\binstead of (defending|justifying|"
        r"excusing|explaining away) yourself\b",
    ),
    _r(
        "blame",
        r"\b(it|this|that)('s| is| was) (simply |only |just |all )?because (you|your \w+) "
        r"(have not|haven't|did not|didn't|do not|don't|never|failed|are not|aren't|lack|"
        r"cannot|can't|were not|weren't)\b|\bthe (real )?(problem|issue|cause|fault) (is|lies) "
        r"(almost certainly |probably |clearly |most likely |simply |usually |really )?(with )?"
        r"(you|your (attitude|behaviour|behavior|mindset|approach|ego|style|temper|character))"
        r"\b|"
        r"\blook in the mirror\b|\bthe message is (clear|obvious|loud and clear|plain)\b",
    ),
    _r(
        "presume",
        r"\b(that|this|which|it) (only|just|simply|clearly|surely|merely) proves? (that )?(they|"
        r"your team|people|you|your)\b|\b(that|this|which) (only|just|simply) (shows|means) "
        r"(that )?(they|your team|people|you)\b",
    ),
    _r(
        "blame",
        r"\bthere('s| is) no (good|real|possible|valid) (reason|excuse) for (it|this|that|"
        r"being)\b|\bthere('s| is) no (\w+ )?(reason|excuse) (why )?(you|your( [\w-]+){1,3}) "
        r"should still\b|\b(has|have|hasn't|haven't|has not|have not) (not |never )?(even )?"
        r"bothered to\b|\b(chance|opportunity|time) to make (it|things|this|amends) right\b|"
        r"\bthe least you (can|could) do\b",
        negatable=False,
    ),
    _r(
        "blame",
        r"\b(the )?(pressure|stress|damage|harm|trouble|mess|confusion) you('ve| have)? "
        r"((put|placed) (them|your team|people|others|everyone|the team) under|caused|"
        r"created)\b|\bthat (makes?|made|make) (them|people|your team|"
        r"others|everyone) (hold back|stay quiet|go quiet|keep quiet|afraid|scared|nervous|"
        r"reluctant|hesitant|avoid you)\b",
    ),
    _r(
        "label",
        rf"\b{_ROLE}( who [^.?!]{{0,40}})? (usually|really|simply|just|actually|mostly|"
        r"typically|always) (have|has) an? ([\w-]+ ){0,2}(problem|issue)\b",
    ),
    _r(
        "label",
        rf"\b{_ROLE} (usually|always|typically|tend to|often|all|mostly) \w+ too (much|little|"
        r"fast|slowly|often|late|early|soon|quickly)\b",
    ),
    _r(
        "moralise",
        rf"\b{_ROLE} ought to\b|\btell(s|ing)? (people|them|their "
        r"team|your team|the team|everyone|staff|others) (that )?[^.?!]{0,40}\b(does not "
        r"matter|doesn't matter|don't matter|do not matter|not a priority|not important|"
        r"don't care|do not care|are not valued|aren't valued)\b",
    ),
    _r(
        "label",
        r"\b(tests?|proof|proves?|shows?|find out|decides?) (of )?(whether|if) you('re| are) "
        r"(strong|tough|brave|mature|serious|firm|committed|man|leader) enough\b|\b(don't|do "
        r"not) be (one of them|one of those|that (manager|leader|boss|person|kind)|like them)\b",
        negatable=False,
    ),
    _r(
        "minimise",
        r"\band (the|most of the|all the|all of the|your|most of your) (\w+ )?(\w+ )?(will )?("
        r"go away|goes away|disappears?|vanish(es)?|lifts?|melts? away|take care of itself|"
        r"sorts? itself out|fall into place|falls into place)\b|\bnot (prepared|planned|"
        r"rehearsed|practised|practiced|worked|thought) (hard |long |well )?enough\b",
        unless=_SELF_DOUBT,
    ),
    _r(
        "leading",
        r"(^|\s)hint:|\bdefend the \w+ (answer|view|position|approach|side|option)\b|\b(which|"
        r"what) (\w+ ){0,3}is (the )?correct\b",
    ),
    _r("sarcasm", r"\b(let's|let us) (be honest|face it)\b", negatable=False),
]

# -- Context ----------------------------------------------------------------------------------

IDIOMS: dict[str, str] = {
    r"hit (it|one|that) out of the park": "did very well",
    r"out of the park": "very well",
    r"low-hanging fruit|low hanging fruit": "easy wins",
    r"touch base": "check in",
    r"step up to the plate": "take the lead",
    r"move the needle": "make a real difference",
    r"drop(ping|ped|s)? the ball": "miss something",
    r"boil the ocean": "change everything at once",
    r"think outside the box": "try a new approach",
    r"circle back": "come back",
    r"bite the bullet": "face it",
    r"home run": "great success",
    r"strike out": "disappointment",
    r"rocket science": "very hard",
    r"on the same page": "in agreement",
    r"team player": "person who helps the team",
    r"piece of cake": "easy",
    r"ballpark( figure)?": "rough estimate",
    r"go the extra mile": "do a little more",
    r"slam dunk": "sure success",
    r"firing on all cylinders": "working at its best",
    r"hail mary": "last attempt",
    r"monday morning quarterback": "judge with hindsight",
    r"par for the course": "normal",
    r"cover all (the|your) bases": "cover everything",
    r"ducks in a row": "things organised",
    r"back to square one": "back to the start",
    r"jump the gun": "act too early",
    r"raise the bar": "aim higher",
    r"learn the ropes": "learn how things work",
    r"call the shots": "decide",
    r"game changer": "big change",
    r"level playing field": "fair situation",
    r"when push comes to shove": "when it really matters",
    r"elephant in the room": "topic no one mentions",
    r"pull your socks up": "make more effort",
    r"get the hang of": "learn",
    r"hit the ground running": "start quickly",
    r"110 ?%": "full effort",
    r"a whole new ball ?game": "very different",
    r"the ball is in your court": "it is your decision",
    r"back burner": "later list",
    r"curve ?ball": "surprise",
    r"in your wheelhouse": "in your area of strength",
    r"herding cats": "coordinating many people",
    r"drink the kool-aid": "accept without question",
    r"keep your eye on the ball": "stay focused",
    r"in the same boat": "in the same situation",
    r"across the pond": "abroad",
    r"knock it out of the park": "do very well",
    r"(go|going|gone|went) south": "getting worse",
    r"breathing down (your|my|his|her|their) neck": "watching closely",
    r"keep(ing)? your cool": "stay calm",
    r"(left )?holding the bag": "left with the problem",
    r"throw(n)? (\w+ )?under the bus": "blame someone else",
    r"move the goal ?posts": "change the aims",
    r"(bring|brings) to the table": "offer",
    r"take (it|this) offline": "discuss it separately",
    r"hit for six": "badly surprised",
    r"(bob's|bobs) your uncle": "that is all",
    r"(the )?whole nine yards": "everything",
    r"cut to the chase": "get to the point",
    r"(a )?wild goose chase": "a search with no result",
    r"burn(ing)? the midnight oil": "work late",
    r"(on|off) the ball": "alert",
    r"(the )?bottom line": "the main point",
    r"under the pump": "under pressure",
    r"spill the beans": "tell",
    r"pull(ing)? (your|their|his|her) weight": "do their share",
    r"all hat and no cattle": "more talk than action",
    r"\w+ on (the|your) clock": "time left",
    # British and other opaque idioms (round 6: a family, not one writer's phrase).
    r"know (your|their|his|her) onions": "know the subject well",
    r"keep (your|their|his|her) powder dry": "wait for the right moment",
    r"count (your|their|his|her) chickens": "assume success too early",
    r"up the creek": "in trouble",
    r"(a |the )?spanner in the works": "a problem",
    r"(a )?storm in a teacup": "a small problem made big",
    r"(gone |go |went )?pear-shaped": "gone wrong",
    r"(a )?dog's (dinner|breakfast)": "a mess",
    r"at sixes and sevens": "disorganised",
    r"taking the (mickey|mick|piss)": "mocking",
    r"kick(ing)? the can down the road": "delay the decision",
    r"cost(s)? an arm and a leg": "cost a lot",
    r"(the )?bee's knees": "excellent",
    r"sweet as": "fine",
    r"(a |the )?curate's egg": "partly good",
    r"by hook or by crook": "by any means",
    r"(a )?tall poppy": "someone who stands out",
    r"cut (the )?mustard": "meet the standard",
    r"jump(ing)? the shark": "gone too far",
}

_ASSUMPTIONS: dict[str, str | None] = {
    r"your (wife|husband|spouse)( or (wife|husband|spouse))?": "someone close to you",
    r"your (girlfriend|boyfriend)( or (girlfriend|boyfriend))?": "someone close to you",
    r"your (kids|children|son|daughter)": "the people you care for",
    r"(picking|pick) up your kids": "caring for others",
    r"your (mother|father|mum|mom|dad|parents)": "someone you trust",
    r"your dad|your mum|your mom": "someone you trust",
    r"(a )?photo of your family": "something about yourself",
    r"your family": "the people close to you",
    (
        r"over (the )?(christmas|thanksgiving|easter|ramadan|diwali|hanukkah|new year)"
        r"( break| holidays?)?"
    ): "at a quiet moment",
    r"(at|over) (the )?(weekend )?(barbecue|bbq|dinner party)": "at a relaxed moment",
    r"(the )?(weekend )?(barbecue|bbq)": "a relaxed moment",
    r"(weekend )?dinner": "a relaxed moment",
    r"(your )?(college|university|school) (days|experience)": "earlier experiences",
    r"at (college|university|school)": "earlier in your life",
    r"what sport did you play": "what activity taught you something",
    r"when you were a (kid|child)": "earlier in your life",
    r"go for a (run|jog)": "do something that helps you feel calm",
    r"(on )?your (drive|commute)( to work)?": "at a quiet moment",
    r"as a (man|woman|working mother|working father|mother|father|mom|dad|female|male)\b": None,
    r"(which |your )?(church|mosque|temple|synagogue)": "community",
    r"have a (drink|beer|pint)|drinks after work": "spend relaxed time",
    r"your husband|your wife": "someone close to you",
}

# Families of culture-bound references, each a general pattern: sports of one country as a
# metaphor, named holidays and religious practice as if shared, alcohol as the way to relax,
# addressing people by gender, age or parenthood, and slang a second-language reader cannot
# look up.
_SPORT = (
    r"quarterback|(call|calling) an audible|the audible|touchdown|fumble|super bowl|mvp|"
    r"halftime|end zone|hail mary|"
    r"curve ?ball|left field|sticky wicket|batting|been run out|innings|hat-?trick|own goal|"
    r"full-court press|game plan|on (your|the) bench|bench strength|in the ninth inning|"
    r"hockey|puck|final play|call the play|(fourth|final|last) quarter|two-minute drill|"
    r"bundesliga|premier league|champions league|world series|stanley cup|grand final|"
    r"\w+ season:|playoffs?|league table|penalty shoot-?out|extra time|injury time"
)
# Regional slang and words from one culture (Singlish, Australian, Canadian, Texan, British):
# a family, each word the way a local would say it, none a learner elsewhere can look up.
_REGIONAL = (
    r"kiasu|kiasi|chope|shiok|paiseh|lah|arvo|fair dinkum|she'll be right|reckon|mate|"
    r"double-double|eh\?|loonie|toonie|toque|y'all|fixin' to|bless your heart|knackered|"
    r"gobsmacked|chuffed|cheeky|bits and bobs|awol|gone awol|brekkie|servo|ute"
)
_HOLIDAYS = (
    r"christmas|thanksgiving|easter|ramadan|diwali|hanukkah|fourth of july|independence day|"
    r"holiday season|sunday service|fasting this month|labou?r day|memorial day|bank holiday|"
    r"canada day|victoria day|boxing day|golden week|long weekend|day weekend|spring break|"
    r"thanksgiving|new year's eve|lent|advent|eid|yom kippur|chinese new year|lunar new year"
)
# Round 11: a holiday named as a fact of the calendar or among others, not as if everyone kept
# it: dates ("from 22 December"), "such as …", "for some colleagues", "if anyone is fasting",
# "falls on a Wednesday", "starts next month", "a public holiday", "which days matter to them".
_HOLIDAY_NAMED_FAIRLY = (
    r"\b(such as|for some|some (of your |of our )?(colleagues|staff|people|team members)|if "
    r"(some|any|anyone|someone)|public holidays?|falls? (on|during)|(begins|starts|ends) "
    r"(during|next|on|this)|pauses|closure|offline|observe|matter to|which (days|holidays|"
    r"occasions)|(and|or) other|whether)\b|\d"
)
_ALCOHOL = r"beers?|pints?|wine( list)?|cocktails?|happy hour|steakhouse|drinks after"
_ADDRESS = (
    r"ladies|gentlemen|as a (fellow )?(parent|mother|father|mum|mom|dad)|as (young|older) "
    r"managers?|as a young manager|digital-native|older than yourselves|best years of your "
    r"career|which camp you are|as (every|any|all) (parents?|mothers?|fathers?|mums?|moms?|"
    r"dads?) knows?|raising (kids|children|teenagers|a family)|(twice|half) your age|"
    r"(a fair bit|much|a lot|far) (older|younger) than|as an? (younger|older|young|old) \w+|"
    r"(fresh )?out of (university|college|school)|your (degree|university|college)\b"
)
# A group spoken of as one (women, older workers, a generation) with a trait put on all of it.
_GROUPS = (
    r"women|men|ladies|guys|girls|mothers|fathers|parents|millennials|boomers|gen z|"
    r"(older|younger|old|young) (workers|employees|colleagues|people|staff|operators|team "
    r"members|managers|nurses|drivers)|(a|this|that|the younger|the older) generation|"
    r"foreigners|migrants|immigrants|expats"
)
_GROUP_TRAITS = (
    r"(usually|always|never|mostly|(all|just|only) want|tend to|are less|are more|less "
    r"comfortable|more comfortable|will "
    r"find it (harder|difficult)|find it (harder|difficult)|can't|cannot|struggle|are not "
    r"(good|comfortable)|(is|are|that's) always on)"
)
_SLANG = r"no cap|lowkey|spill the tea|props|crushing it|the goat|big w\b|a w\b|gut check"
# Round 6: more regions' everyday words, the same family as `_REGIONAL` (Indian English and
# Hinglish, South African, Nigerian, Irish, New Zealand, Arabic, Spanish), none a learner
# elsewhere can look up.
_REGIONAL_MORE = (
    r"chai[- ]pe[- ]charcha|adda|gyaan|gupshup|masti|jugaad|timepass|yaar|arre|thoda|bindaas|"
    r"funda|prepone|do the needful|kindly revert|lekker|braai|eish|howzit|abeg|wahala|oya|"
    r"craic|eejit|jandals|chilly bin|yalla|inshallah|habibi|wallah|compadre|chévere"
)
# Pop culture as the shared reference: a named figure's saying, a film industry or a kind of
# television show a learner may never have watched.
_POP_CULTURE = (
    r"bollywood|hollywood|nollywood|tollywood|telenovelas?|k-dramas?|soap operas?|sitcoms?|"
    r"reality (tv|show)|channel your inner"
)
# A sport named and explained ("In hockey, players talk about …") is not assumed to be shared.
_SPORT_EXPLAINED = (
    r"^in (american |ice |australian rules |rugby )?(football|hockey|baseball|cricket|rugby|"
    r"basketball|soccer|league)\b"
)
FAMILY_RULES = [
    _r("idiom", rf"\b({_SPORT})\b", unless=_SPORT_EXPLAINED),
    _r("assumption", rf"\b({_HOLIDAYS})\b", unless=_HOLIDAY_NAMED_FAIRLY),
    _r("assumption", rf"\b({_ALCOHOL})\b"),
    _r("assumption", rf"\b({_ADDRESS})\b"),
    _r("idiom", rf"\b({_SLANG})"),
    _r("idiom", rf"\b({_REGIONAL})(?![\w-])", negatable=False),
    _r("assumption", rf"\b(the )?({_GROUPS})\b[^.?!]{{0,100}}\b{_GROUP_TRAITS}"),
    # A person from film or television as the model to follow ("Like Ted Lasso, how …").
    _r("idiom", r"^like (?-i:[A-Z][a-z]+ [A-Z][a-z]+),", negatable=False),
    _r("idiom", r"\blike (a|an) (?-i:[A-Z][a-z]+) season\b", negatable=False),
    # Round 6: the same families, wider.
    _r("idiom", rf"\b({_REGIONAL_MORE})(?![\w-])", negatable=False),
    _r("idiom", rf"\b({_POP_CULTURE})\b", negatable=False),
    _r(
        "idiom",
        r"\b(as|like) (?-i:[A-Z][a-z]+)( (?-i:[A-Z][a-z]+))? (would|might|likes to|used to|"
        r"always) (say|put it|do)\b",
        negatable=False,
    ),
    _r(
        "idiom",
        r"\b(batters?|batsm[ae]n|padded up|pavilion|wickets?|yorker|googly|sledging|maiden "
        r"over|cricket (eleven|team)|opening bat\w*|bottom of the ninth|three strikes|hole in "
        r"one|hole-in-one|unforced errors?|match point|grand slam|photo finish|line-?out|"
        r"relay baton|penalty corner|power play)\b",
        unless=_SPORT_EXPLAINED,
    ),
    # Family, gender and parenthood presumed ("the wife", "a good husband and father", "for the
    # young mothers in the cohort", what a colleague's parents think of them).
    _r(
        "assumption",
        r"\b(the (wife|missus|hubby|wifey)|your (wives|husbands)|(a )?good (husband|wife|"
        r"father|mother) and (father|mother|husband|wife)|(husband|wife) and (father|mother))\b",
    ),
    _r(
        "assumption",
        r"\bfor the (young |working |new |single )?(mothers|fathers|mums|moms|dads|parents|women|"
        r"men|ladies|guys) (in|among|of|here)\b",
    ),
    _r(
        "assumption",
        r"\b(their|his|her|your) (parents|in-laws|spouse|wife|husband)('s?)? (think|thinks|say|"
        r"says|want|wants|expect|expects|approve|approves|opinion|view)\b",
    ),
    # A team activity out of hours or of one physical ability ("take your team on a hike this
    # weekend").
    _r(
        "assumption",
        r"\b(take|bring|invite|gather) (your|the) (whole )?(team|crew|staff|reports|people|"
        r"unit|department)\b[^.?!]{0,40}\b(hik(e|es|ing)|trek(s|king)?|climb(s|ing)?|run|"
        r"runs|marathon|bike ride|cycling|swim(ming)?|rafting|paintball|go-?karting|bootcamp|"
        r"(this|next|on the|at the|over the) (weekend|saturday|sunday|evening))\b",
    ),
]

# Round 7, from the families of writer F's misses: a home life presumed (a parent "as a
# working parent", "the school run", "once the kids are in bed", "your own home", "a quiet
# study"); leisure of one class or one body ("a round of golf", "a day at the races", "a quick
# run or a gym session"); a generation named after a platform ("the TikTok generation");
# belonging to one city or people as the model ("like a true Lagosian"); and the regional
# family wider (West African: "NEPA", "danfo", "Oga at the top", "japa").
_IF_YOU_HAVE = (
    r"\b(if|whether|when) you (have|do|can|like|enjoy|want|are able)\b|\bif (it|that|this) "
    r"suits you\b|\bwhatever suits\b"
)
FAMILY_RULES += [
    _r(
        "assumption",
        r"\bas an? (working|single|new|busy|young|fellow|first-time) (parent|mother|father|mum|"
        r"mom|dad|spouse|wife|husband)\b|\bthe school (run|pick-?ups?|drop-?offs?)\b|\b(once|"
        r"when|after|before|while) (the|your) (kids|children|little ones|baby) (are|is|have|"
        r"has)\b|\b(put|putting|get|getting) the (kids|children|little ones) (to bed|to "
        r"school|down)\b",
        unless=_IF_YOU_HAVE,
    ),
    _r(
        "assumption",
        r"\b(settled|living|working) in your own (home|house|flat|apartment)\b|\b(set up|have|"
        r"use|built) (a|your) (quiet |spare |separate |home )?(study|home office|spare room)\b",
        unless=_IF_YOU_HAVE,
    ),
    _r(
        "assumption",
        r"\b(a )?round of golf\b|\bgolf (day|course|club|outing|weekend)\b|\b(a )?day at the "
        r"races\b|\bpolo match\b|\byacht(ing)?\b|\bski(ing)? (trip|weekend|holiday)\b|"
        r"\bcountry club\b|\bwine tasting\b|\bfine dining\b",
    ),
    _r(
        "assumption",
        r"\b(for|take|go for|do|fit in) a (quick |short |lunchtime |morning |evening |brisk )?"
        r"(run|jog|gym session|workout|spin class|swim)\b",
        unless=_IF_YOU_HAVE + r"|\bor (a |an )?(walk|rest|quiet|whatever|anything)",
    ),
    _r(
        "assumption",
        r"\bthe (tiktok|instagram|snapchat|facebook|youtube|iphone|ipad|smartphone|selfie|"
        r"snowflake|me|strawberry|social media|participation trophy|avocado toast) generation\b",
        negatable=False,
    ),
    _r(
        "assumption",
        r"\blike a (true|real|proper|typical|born) (?-i:[A-Z][a-z]+(ian|er|ite|an|ese|i|ish))\b",
        negatable=False,
    ),
    _r(
        "idiom",
        r"\b(nepa|danfo|okada|keke napep|oga at the top|japa|owambe|(takes?|took|has taken) "
        r"light|sharp sharp|no shaking)(?![\w-])",
        negatable=False,
    ),
]

# Round 11, from the families of writers G to L's misses (read once they became training data),
# each written as grammar other writers' phrasings of the same idea share
# (`test_rule_families.RoundElevenFamilyTests` checks each on sentences none of them wrote, and
# the same words used respectfully).
#
# Judgement:
# - a verdict on a class of managers for a failing ("managers who skip reviews are just
#   dodging", "any lead who has not done it is part of the problem", "supervisors who cannot
#   delegate will never earn trust", "a leader who cries has lost control", "lazy supervisors
#   wait …", "what would a truly committed manager do?", "which answer shows you are a mature
#   leader", "start acting like one", "or step aside");
# - a failing asked about as a given ("how often do you forget to …", "how defensive do you
#   get", "notice how confusing you sound", "what you did wrong", "make up for the mistakes you
#   made", "properly this time", "the problem is almost always you", "chose to look away");
# - a comparison that puts the learner below others ("compared with the other supervisors in
#   this cohort, your scores …", "what are they doing that you are not?", "the difference
#   between them and you", "why your store has not moved yet", "the highest in the region");
# - a class asked why it fails ("why do so many leads still struggle with …", "why are line
#   leaders so resistant", "why do some managers still think it's fine to");
# - effort and feeling waved away ("it was only a small complaint", "don't turn it into a
#   drama", "no need to make a fuss", "just part of the job", "without complaining",
#   "emotions belong at home", "three months is long enough", "it's that simple");
# - sarcasm at the group ("Wow, another week where …", "what a surprise", "the handful of you
#   who actually read", "let's see if this week is any different", "do you still believe
#   that?");
# - one answer made the right one ("explain why C is the best option", "any answer other than
#   …", "(Hint: …)", "participants who answer … have not understood", a scale with no way to
#   disagree).
_R11_VERDICT = (
    r"(lazy|selfish|careless|weak|immature|unprofessional|incompetent|dodging|exploiting|"
    r"part of the problem|(only )?themselves to blame|the same ones who|not fit to|not ready to "
    r"lead|have not understood|haven't understood|lost control|will never (earn|be|become|"
    r"gain|get|grow|improve|succeed|lead|change)|does not understand|doesn't understand|"
    r"making it about themselves|end up "
    r"making|being selfish|plain and simple)"
)
JUDGEMENT_RULES += [
    _r(
        "label",
        rf"\b(a|any|every|the)? ?{_ROLE}s? who\b[^.?!]{{0,90}}\b(is|are|have|has|will|usually|"
        rf"just|simply|end up)\b[^.?!]{{0,30}}\b{_R11_VERDICT}",
        negatable=False,
        unless=_GENERAL_QUESTION,
    ),
    _r(
        "label",
        rf"\bevery time an? {_ROLE}\b[^.?!]{{0,60}}\b(they|he|she) (are|is) being "
        rf"{_R11_VERDICT}|\b(a|any) {_ROLE} who (cannot|can't|does not|doesn't|fails to|won't|"
        rf"shows?)\b[^.?!]{{0,60}}\b(does not|doesn't|cannot|can't|is not|isn't|has lost|"
        rf"will never|should not)\b",
        negatable=False,
    ),
    _r(
        "label",
        rf"^(lazy|weak|selfish|immature|careless|incompetent|mediocre|bad|poor|ineffective) "
        rf"{_ROLE}s?\b|\b{_ROLE} who truly\b|\b(a|any) good (\w+ )?(nurse|chef|doctor|teacher|"
        rf"engineer|supervisor|manager|leader) (never|always)\b|^good \w+s never\b|"
        rf"\bwhat would a (real|true|truly \w+|really \w+|good|great|proper) {_ROLE} (do|have "
        rf"done)\b|\ba (truly|really) (committed|caring|dedicated|good|great) {_ROLE}\b|"
        rf"\b(shows?|prove|proves) (that )?you are a (mature|real|strong|true|good) {_ROLE}\b|"
        rf"\bstart acting like (one|a (real |true )?(leader|manager))\b|\bor step (aside|"
        rf"down)\b|\btime to grow (out of|up)\b|^(strong|real|true|good|confident|committed) "
        rf"{_ROLE}s? (just |simply )?(learn|know|finish|never|always|don't|do not|smile)\b|"
        rf"\ba (confident|real|strong|true) {_ROLE} (just|simply)\b",
        negatable=False,
    ),
    _r(
        "presume",
        r"\bhow (often|much) do you (\w+ )?(forget|fail|neglect|micromanage|ignore|"
        r"lose (your )?(temper|patience)|let (your|personal) \w+ (\w+ )?(spoil|ruin|affect))\b|"
        r"\bhow (defensive|impatient|controlling|dismissive|rigid|harsh|aggressive|bossy|"
        r"arrogant) do you (get|become|sound|come across)\b|\bnotice how (confusing|boring|"
        r"rude|defensive|harsh|unclear|nervous|weak|arrogant|impatient|cold|vague) you (sound|"
        r"come across|look|seem|are)\b|\bthe (vague|weak|poor|sloppy|lazy) kind you (usually|"
        r"always|normally) give\b",
        negatable=False,
    ),
    _r(
        "blame",
        r"\b(review |find out |see |think about )?what (you|they|the manager|he|she) (did|do|"
        r"are doing|is doing|was doing|were doing) wrong\b|\bmake up for (the |your )?"
        r"(mistakes?|failures?|errors?)\b|\b(do it |it )?(properly|correctly) this time\b|"
        r"\bthe problem is (almost |nearly )?(always |usually |probably )?you\b|\bchose to "
        r"(look away|ignore (it|them|the signs))\b|\bwhy not the rest\b",
        negatable=False,
    ),
    _r(
        "compare",
        r"\bcompared (with|to) (the )?(other|average|rest|most)\b[^.?!]{0,60}\b(you|your)\b|"
        r"\bthat you are not\?|\b(between|from) (them|him|her) and you\b|\bwhy (do you think )?"
        r"your \w+( in \w+)? (has|have) not (moved|improved|changed)\b|\b(your|you)\b[^.?!]"
        r"{0,40}\b(is|are) the (highest|lowest|worst) in the (region|cohort|company|group|"
        r"country|team)\b|\bthe (lower|bottom) (third|half|quarter)\b",
        negatable=False,
    ),
    _r(
        "label",
        r"\bwhy (do|are|is it that|does) (so many |some |most |all |our )?([\w-]+ ){0,3}"
        r"(managers|supervisors|leaders|leads|team leads|line leaders|bosses|engineers)\b"
        r"[^.?!]{0,60}\b(still (struggle|think|need|resist|fail)|so resistant|so much more|"
        r"tend to resist|always blame|resist change)",
        negatable=False,
    ),
    _r(
        "minimise",
        r"\b(it('s| is| was)|that('s| is| was)) (only|just) a (small|little|minor|tiny|quick)?"
        r" ?[\w-]+( [\w-]+)?( from [\w ]+)?[,.;:]? ?(so why|why do|don't turn|do not turn)?|"
        r"\b(don't|do not) (turn|make) (it|this) (into )?a (drama|big deal|fuss)\b|\bno need to "
        r"make a fuss\b|\bmake a (fuss|drama)\b|\b(just|simply|only) part of the job\b|"
        r"\bwithout complaining\b|\b(emotions?|feelings|tears) (belong|have no place)\b|\bhave "
        r"no place (at|in) (work|the workplace|the office)\b|\b(months|weeks) is long enough\b|"
        r"\bit('s| is) that simple\b|\bnothing deep\b|\bis (only|just|simply) another way of "
        r"saying\b|\b(worrying|concerning|embarrassing|sad) that so many\b",
        negatable=False,
        unless=r"\b(only|just) a (draft|suggestion|start|first step|starting point|guide|"
        r"sketch|prompt|practice|rehearsal|few)\b|\bit('s| is) only a (draft|suggestion)",
    ),
    _r(
        "sarcasm",
        r"^(wow|oh|well|great|wonderful|brilliant),? another\b|\bwhat a (surprise|shock)\b|"
        r"\bthe (handful|few) of you who (actually|bothered|managed|even)\b|\blet's see if "
        r"(this|next) (week|time|month) is any different\b|\bdo you still (believe|think) "
        r"(that|so)\?|\bwho actually (read|did|bothered|showed)\b|^ah,? another\b|"
        r"\bhow (that|it) worked out for you\b|\bonly a handful of you\b|\b(what is|what's) "
        r"(the|your) excuse\b",
        negatable=False,
    ),
    _r(
        "leading",
        r"\bexplain why ([a-d]|option [a-d]|this|that|it) is the (best|right|correct|only)\b|"
        r"\bany answer other than\b|(^|[\s(])hint:|\b(participants|those|learners|people|anyone|"
        r"managers) who (answer|choose|pick|select|say)\b[^.?!]{0,60}\b(have not understood|"
        r"haven't understood|don't understand|do not understand|are wrong|missed the point)\b|"
        r"\bchoose one: agree\b(?![^.?!]*disagree)|\bpick the one that describes you\b|"
        r"(?<!/\x20)\bsometimes / often / (almost )?always\b",
        negatable=False,
    ),
]


# More of the same families, in the words of G to L's remaining misses: a failing presumed of
# the learner ("you already know who it is", "you will likely find the same", "you were doing
# it too", "no point pretending", "your habit of avoiding", "your impatience", "you had been far
# too soft", "you have been unfair to", "the chaos you let happen", "too polite to tell you");
# the learner told to stop a failing ("stop avoiding", "stop hiding behind", "it makes you look
# weak"); a verdict ("it shows that you do not trust", "afraid of you", "the role is not for
# you", "what kind of leader you really are", "deserves better than", "clearly didn't land");
# others on the team labelled ("the weakest person on your shift", "your lowest performer");
# blame for a delay or a result ("why did you wait", "why do you let him", "why your meeting
# went poorly", "why your team lags behind", "what is holding your outlet back").
JUDGEMENT_RULES += [
    _r(
        "presume",
        r"\byou already know (who|which|what)\b[^.?!]{0,30}\b(it is|they are|it was|one)\b|"
        r"\byou will (likely|"
        r"probably|surely) find the same\b|\b(you|you've|you have) (also )?(made|did|done|doing|"
        r"were doing) (this|that|it|the same)( mistake)? too\b|\bhow you also\b|\bno point "
        r"pretending\b|\b(don't|do not) pretend\b|\byou('re| are) the exception\b|\byou will be "
        r"too\b|\blost it too\b|\byour habit of\b|\byour (impatience|arrogance|defensiveness|"
        r"rudeness|coldness|temper)\b|\byou (had been|have been|were) (far |much |way )?too "
        r"(soft|harsh|lenient|controlling|slow|vague)\b|\b(you have been|you've been|you were) "
        r"(unfair|rude|harsh|unkind) to\b|\byou let happen\b|\btoo polite to tell you\b|"
        r"\b(temper|emotions|anger) got the better of you\b|\bprobably (felt|was|seemed) "
        r"(unfair|harsh|unclear|confusing|rude)\b|\byou('re| are) (just )?overthinking\b",
        negatable=False,
    ),
    _r(
        "blame",
        r"\bstop (avoiding|hiding|making excuses|being so|taking \w+ so personally)\b|\bmakes? "
        r"you look (weak|bad|incompetent|unprofessional|insecure|foolish)\b|\bit shows that you "
        r"(do not|don't|are not|aren't|cannot|can't)\b|\bafraid of you\b|\b(the|this) role is "
        r"not for you\b|\bwhat kind of (leader|manager|person) you really are\b|\bdeserves? "
        r"better than\b|\bclearly (didn't|did not|doesn't|does not|isn't|wasn't) (land|work|go "
        r"well)\b|\bwhy did you wait\b|\bwhy do you let (him|her|them|it|this|that)\b|\bwhy your "
        r"(\w+ ){1,4}went (poorly|badly|wrong)\b|\byour (team|store|shift|unit|outlet|site|ward) "
        r"(lags|falls|is falling) behind\b|\bwhat('s| is) holding your \w+ back\b|\bcompared "
        r"with (them|him|her)\b|\bwhy (that|it|this) was (not acceptable|unacceptable|wrong)\b|"
        r"\b(were|was) too (vague|soft|harsh|weak) last time\b|\b(redo|rewrite|do) (it|them|"
        r"this|that) properly\b|\bthe sooner you (grasp|accept|realise|realize|understand|"
        r"learn)\b|\bwhy is it so hard for you\b|\bhours you wasted\b|\bapologi[sz]e to (your|"
        r"the) (team|staff|\w+)( this week)? for\b|\bsuch a big deal\b|\beveryone can see it\b|"
        r"\bso what exactly are you doing\b|\btry not to (be defensive|defend yourself|get "
        r"defensive)\b|\btry actually \w+ing\b|\binstead of defending your\b|\b(don't|do not) "
        r"disappoint\b|\byour biggest weakness\b|\bisn't actually hard\b|\bis not actually "
        r"hard\b",
        negatable=False,
    ),
    _r(
        "label",
        r"\bthe weakest (person|link|member|\w+) (on|in|of) your\b|\bweakest link\b|\byour "
        r"lowest performer\b|\bpick the weakest\b|\byour\b[^.?!]{0,30}\b(has|have|is|are) the "
        r"(lowest|worst|slowest|poorest)\b|\b(people|staff|employees|those) who (resist|"
        r"complain|push back|question)\b[^.?!]{0,60}\b(are usually|are just|are simply|are "
        r"really)\b",
        negatable=False,
    ),
]

# Context: sports, games and one country's rituals as the shared metaphor (cricket, American
# football, golf, rugby, running, a locker-room talk, a school prom, military service, a Sunday
# mass); a language, a commute, children or a degree presumed of everyone ("since most of you
# drive", "since you have children of your own", "as a digital native"); a group given one
# trait (women and men, an age, a generation); a family held up as the order of a team;
# physical ability or one diet presumed ("everyone can manage a quick 5K", "bacon rolls");
# time off presumed free ("on Sunday morning, when everyone is free"); and jargon piled up
# (three or more acronyms and buzzwords in one sentence).
IDIOMS.update(
    {
        r"boil(ing)? the ocean": "trying to change everything at once",
        r"run (it|an idea|this|ideas) up the flagpole": "test the idea",
        r"break a leg": "good luck",
        r"rooting for": "supporting",
        r"wet blanket": "person who spoils the mood",
        r"debbie downer": "person who spoils the mood",
        r"(keep your )?chin up": "take heart",
        r"soldier on": "keep going",
        r"rid(e|es|ing) roughshod over": "ignore",
        r"wallflower": "quiet person",
        r"type a\b": "driven person",
        r"go(es)? down well": "are welcome",
        r"hit(ting)? the wall": "running out of energy",
        r"monday[- ]morning quarterbacks?": "people judging with hindsight",
        r"marathon,? not a sprint": "long effort, not a short one",
        r"play it where it lies": "accept the situation as it is",
        r"give (\w+ )?(people |them |him |her )?a mulligan": "give a second try",
        r"mulligan": "second try",
        r"pep talk": "encouraging talk",
    }
)
_R11_SPORT = (
    r"cricket side|(fourth|third) and (goal|long|inches)|can(not|'t) punt|punt\b|"
    r"locker[- ]room|hit the field|take the field|starting (lineup|line-up|eleven|five)|"
    r"rugby scrum|scrum-half|loosehead|tighthead|hooker|mile (20|twenty)|coach lombardi|"
    r"lombardi|soccer (games|practices?|moms?|dads?)|(into|on|onto|from|off) the bench"
)
_R11_ASSUMED = (
    r"\b(since|as|because) (most of (you|us)|you all|we all|all of (you|us)|everyone here)"
    r" (drive|grew up|have (children|kids|a car)|speak|own|are (parents|married)|live|went "
    r"to)\b|\b(since|as|because) you have (children|kids|a family|a partner|a car) of your "
    r"own\b|\bdigital natives?\b|\bas an? (digital native|millennial|boomer|gen z\w*)\b|"
    r"\byour (military|national) service\b|\b(high-?school|school|senior) prom\b|\bprom\b|"
    r"\bsunday mass\b|\bhead of (a|the) family\b|\bthe father who\b|\bwhen everyone is free\b|"
    r"\b(the|your|our) guys\b|\b(their|his) (wives|wife|girlfriends?)\b|\bask (him|her) about "
    r"(his|her) (girlfriend|boyfriend|wife|husband)\b|\b(mothers|fathers) (on|in) your team\b|"
    r"\bthe (mothers|fathers) normally\b|\b(bacon|pork|ham|sausage) (rolls?|sandwich(es)?|"
    r"butties|baps)\b|\bfit people\b|\b(everyone|anyone|every team member|each of them) can "
    r"(manage|stand|walk|run|climb|lift)\b|\bstand through a\b|\bon their feet\b|\b\d+k\b|"
    r"\bthe youngsters\b|\btimmies\b|\btim hortons run\b|\bfeeling useful again\b|"
    r"\b(make sure|ensure) every(one|body) "
    r"(joins|comes|attends|drinks)\b|\bsoju\b|\bbasically the same\b[^.?!]{0,40}\b(mba|degree|"
    r"university|college)\b|\byour mba\b|\bfamily's \w+ recipe\b"
)
_R11_GROUPS = (
    r"\b((female|male|women|men) (\w+ )?(supervisors|managers|leaders|workers|staff|employees|"
    r"colleagues|engineers|nurses)|young people|generation [xyz]|gen [xyz]|(managers|people|"
    r"staff|workers|nurses|employees) in their (twenties|thirties|forties|fifties|sixties)|"
    r"(the )?older (staff|members|employees|workers|colleagues|nurses))\b[^.?!]{0,80}\b(slow "
    r"(everyone|the team|things) down|tend "
    r"to|usually|often struggle|do not|don't|naturally|will pick up|pick up|bring more|are "
    r"less|are more|always|never|can't|cannot|struggle)"
)
_R11_JARGON = (
    r"(leverag\w+|synerg\w+|paradigm|operationali[sz]\w+|cross-functional|step-change|vuca|"
    r"okrs?|okr-linked|kpis?|raci|pdca|value-add|best-of-breed|deep dive|ideate|actionable|"
    r"holistic|scalable|robust|cadence|throughput|alignment|optimi[sz]e|drive|bandwidth)"
)
_R11_HOLIDAYS = r"chuseok|seollal|hoesik|tteokguk|thanksgiving dinner|christmas party"
FAMILY_RULES_11 = [
    _r("idiom", rf"\b({_R11_SPORT})(?![\w-])", unless=_SPORT_EXPLAINED),
    _r("assumption", _R11_ASSUMED, unless=_IF_YOU_HAVE + r"|\bor (a |an )?(walk|rest|seat)"),
    _r("assumption", _R11_GROUPS),
    _r(
        "assumption",
        rf"\b({_R11_HOLIDAYS})\b",
        unless=_HOLIDAY_NAMED_FAIRLY + r"|\b(optional|if you|nobody needs)\b",
    ),
    _r(
        "assumption",
        r"\b(schedule|organi[sz]e|plan|hold|book|run)\b[^.?!]{0,50}\b(this|next|on|for|at the|over "
        r"the) (weekend|saturday|sunday)( morning| afternoon| evening)?\b",
        unless=_IF_YOU_HAVE + r"|\b(optional|or|if)\b",
    ),
    _r(
        "idiom",
        rf"\b{_R11_JARGON}\b([^.?!]*\b{_R11_JARGON}\b){{3,}}",
        negatable=False,
    ),
]


FAMILY_RULES += FAMILY_RULES_11

# Round 11: the same words used fairly — a holiday named as a date or among others, a team
# dinner that is optional or offers other food, drink and times.
_ASSUMPTION_UNLESS = {
    (
        r"over (the )?(christmas|thanksgiving|easter|ramadan|diwali|hanukkah|new year)"
        r"( break| holidays?)?"
    ): _HOLIDAY_NAMED_FAIRLY,
    r"(weekend )?dinner": r"\b(optional|non-alcoholic|vegetarian|if you (can|like|want)|nobody "
    r"needs|for those who)\b",
}
CONTEXT_RULES = [
    _r("idiom", rf"\b({pattern})\b", plain, negatable=False) for pattern, plain in IDIOMS.items()
] + [
    _r("assumption", rf"\b({pattern})", plain, unless=_ASSUMPTION_UNLESS.get(pattern))
    for pattern, plain in _ASSUMPTIONS.items()
]
CONTEXT_RULES += FAMILY_RULES

# -- Honesty ----------------------------------------------------------------------------------

# Round 11: being behind named as expected, not as a failing ("if you are behind because of
# inventory week, that is expected").
_BEHIND_IS_FINE = (
    r"\bif you('re| are| fall| have fallen) behind\b|\bthat('s| is) (expected|fine|okay|ok|"
    r"normal|understandable)\b"
)
HONESTY_RULES = [
    _r("urgency", r"\bhurry\b[!,.]?", ""),
    _r("urgency", r"\bact now\b[!:,.]?", ""),
    _r(
        "urgency",
        r"\b(sign up|book|do|finish|complete|act|register|start|reply|respond|decide|join)"
        r"( \w+){0,3} right now\b",
    ),
    _r(
        "urgency",
        r"\bimmediately\b(?![^.!?]*\?)",
        "when it suits you",
        # Round 11: "listen without answering immediately"; a safety step that is urgent.
        unless=r"\b(without|not|never) (\w+ing )?immediately\b|\b(escalate|report|stop|"
        r"evacuate|isolate)\b[^.?!]{0,40}\bimmediately\b",
    ),
    _r("urgency", r"\bbefore it'?s too late\b", ""),
    _r("urgency", r"\btonight\b", "when it suits you"),
    _r("urgency", r"\bdon'?t miss out( on)?\b"),
    _r("urgency", r"\blast chance\b"),
    _r("urgency", r"\bcloses in (one|an|a|\d+) (minutes?|hours?)\b"),
    _r("urgency", r"\bdisappears at\b"),
    _r("urgency", r"\b(today|now) or (you|lose)\b"),
    _r("urgency", r"\bevery day you wait\b"),
    _r(
        "scarcity",
        r"\bonly (a few |\w+ )?(spots?|seats?|places?) (left|remain)\b|"
        r"\b(spots?|seats?|places?) (left|remain(ing)?)\b",
    ),
    _r("scarcity", r"\blimited (spots|places|seats)\b|\bfirst come,? first served\b"),
    _r("scarcity", r"\b(few|limited) (places|spots|seats)? ?(left|remain)\b"),
    _r("scarcity", r"\blose your place\b"),
    _r(
        "guilt",
        r"\bfalling behind\b|\bleave you behind\b|\byou('re| are) behind\b",
        unless=_BEHIND_IS_FINE,
    ),
    _r("guilt", r"\bcounting on you\b"),
    _r("guilt", r"\bletting (them|\w+ \w+) down\b"),
    _r("guilt", r"\b(let|letting) your (circle|cohort|team|coach|peers|group) down\b"),
    _r("guilt", r"\bdisappoint(ed|ing)?\b(?! that)|\bis disappointed\b"),
    _r("guilt", r"\b(break|lose|keep) your streak\b|\bstreak alive\b"),
    _r("guilt", r"\b(waiting|is waiting) (on|for) you\b"),
    _r("guilt", r"\blose everything\b"),
    _r("guilt", r"\bhaven't logged in\b"),
    _r("overclaim", r"\bguarantee(d|s)?\b( to)?", "designed to"),
    _r("overclaim", r"\b100 ?%"),
    _r("overclaim", r"\b(totally|completely|fully|100%) (anonymous|private|secure|confidential)\b"),
    _r(
        "overclaim",
        r"\bcan never be traced\b|\bnever be seen by anyone\b|\bno one will ever know\b",
    ),
    _r("overclaim", r"\bforever\b", ""),
    _r(
        "overclaim", r"\b(will|you'll|they'll) \w+ (\w+ )?instantly\b|\binstantly (trust|transform)"
    ),
    _r("overclaim", r"\bmaster every\b"),
    _r("overclaim", r"\bscientifically proven\b"),
    _r("overclaim", r"\bwill transform\b", "can help"),
    _r("overclaim", r"\bdouble your\b"),
    # General forms: a deadline that takes something away, a loss threatened, the coach or the
    # learner's manager put to work as pressure, results promised to everyone.
    _r(
        "urgency",
        r"\b(expires?|closes|ends|(will )?be (gone|lost)) (in (\d+|one|an?) (minutes?|"
        r"hours?)|at midnight|tonight)\b|\bbefore it('s| is) gone\b|\bgoing fast\b",
    ),
    _r("urgency", r"\bonly (\d+|one|two|three|a few) (hours?|minutes?|days?) left\b"),
    _r(
        "urgency",
        r"\b(do|finish|complete|submit|post|reply|start|act)( \w+){0,3} (now|today)!|"
        r"\b(jump|get) back in (today|now)\b",
    ),
    _r(
        "guilt",
        r"\b(your|the) (coach|manager|team|cohort|circle) (is waiting|has noticed|will be "
        r"informed|is quite disappointed|probably has)\b",
    ),
    _r(
        "guilt",
        r"\b(\w+ )?(modules?|weeks?|missions?|activities) behind\b|\bbehind the rest\b|"
        r"\bholding everyone back\b|\b(you've|you have) been quiet\b|\bdon't be the (one|last)\b",
    ),
    _r("guilt", r"\b(will|would) be lost\b|\byou('ll| will) (miss|lose) (the|this|your)\b"),
    _r(
        "overclaim",
        r"\b(has|have|is|are) (been )?proven\b|\bscience says\b|\bpractically "
        r"certain\b|\bas good as (assured|guaranteed|certain)\b|\bno effort required\b",
    ),
    _r(
        "overclaim",
        r"\b(works|work) (with|for) every(one| person| manager| culture)?\b|"
        r"\bevery single (manager|person|learner|participant)\b",
        # Round 11: a plan to find a time that works for everyone is a goal, not a claim.
        unless=r"\b(plan|find|choose|agree on|pick|set|look for)\b[^.?!]{0,40}\bworks? for "
        r"every",
    ),
    _r(
        "overclaim",
        r"\bknows exactly what you need\b|\bnever (gets it|give you|gives you) "
        r"wrong\b|\btrust it completely\b",
    ),
    _r(
        "overclaim",
        r"\b(full|true) (leadership )?potential in \d+\b|\bin (\d+|seven|ten) "
        r"days\b[^.?!]{0,20}!|\bgot promoted\b|\b\d+% (increase|more|better|boost)\b",
    ),
]

# Generalised from writers C's and D's misses (round 5): results promised ("we promise",
# "by at least 20 percent", "the fastest route to", "for good"), rewards or careers tied to
# taking part, who has not answered watched, a loss threatened, a deadline of hours.
HONESTY_RULES += [
    _r(
        "overclaim",
        r"\bwe promise\b|\bby (at least )?\d+ ?(%|percent|per cent)\b|\b(lose|loses|gain|gains) "
        r"\d+ ?(%|percent|per cent)\b|\bfastest (route|way|path) to\b|\bfor good\b",
    ),
    _r(
        "overclaim",
        r"\b(remove|removes|eliminate|eliminates|end|ends|solve|solves) (all|every)\b|"
        r"\b(every|all) (graduates?|participants?|learners?|alumni|managers)\b[^.?!]{0,40}"
        r"\b(promoted|succeeded|improved)\b|\b(get|be|been|got|gets) promoted\b",
    ),
    _r(
        "overclaim",
        r"\bin real time\b|\b(reads?|sees?|replies to|answers?|reviews?) every (single )?"
        r"(journal entry|entry|answer|post|message|reflection)\b",
        # Round 11: a coach's reading promised with its honest limit ("but may take up to three
        # working days to reply").
        unless=r"\b(may|might|can) take\b|\bup to (\w+|\d+) (working )?days\b",
    ),
    _r(
        "guilt",
        r"\b(can|will|does|to) (see|check|know|track) who (hasn't|has not|didn't|did not|"
        r"skipped)\b|\b(when deciding|affects?|counts? towards?)\b[^.?!]{0,40}"
        r"\b(bonus(es)?|promotions?|pay rises?|raises?|appraisals?)\b",
    ),
    _r(
        "guilt",
        r"\b(do not|don't) be the (one|last|only)\b|\b(fall|falling|fallen|fell) (further|"
        r"even further) behind\b|\bbefore you fall behind\b|\b(do not|don't) (stop|quit|"
        r"give up) now\b|^warning\b",
        negatable=False,
    ),
    _r(
        "guilt",
        r"\blose your (coach|place|spot|seat|access|progress|certificate)\b",
    ),
    _r(
        "urgency",
        r"\bwithin the (next )?(hour|\d+ (hours|minutes)|few (hours|minutes))\b|\bin the next "
        r"(hour|\d+ (hours|minutes)|few (hours|minutes))\b|"
        r"\b(disappearing|going|selling out|filling up) fast\b|\bbe quick\b",
        # Round 11: what someone did ("she fixed it within the hour"), not a deadline.
        unless=r"\b(fixed|solved|sorted|answered|replied|done|resolved|corrected)\b[^.?!]{0,20}"
        r"\bwithin\b",
    ),
    _r("scarcity", r"\bonly the first (\d+|ten|five|three|twenty|few|fifty)\b"),
]

# Generalised from writer E's misses (round 6): anonymity claimed while answers are linked to
# a name; research said to prove; a results rate no programme can have ("ninety-nine percent
# of our learners", "life-changing"); one exercise that decides a career; a coach available
# round the clock; a problem fixed "whatever its cause", "in six weeks flat"; a loss
# threatened ("or your streak resets to zero"); the group's waiting laid on the learner;
# completion watched and tied to appraisals; a ranking the learner is told they are not in.
HONESTY_RULES += [
    _r(
        "overclaim",
        r"\b(untraceable|anonymous|anonymi[sz]ed|confidential|private)\b[^.?!]{0,60}\b(even "
        r"though|although|though|but|while|yet)\b[^.?!]{0,60}\b(linked|tied|connected|"
        r"attached|identifiable|named|traceable|matched)\b|\b(totally|completely|fully|"
        r"entirely|100%) (untraceable|anonymi[sz]ed|unidentifiable)\b",
    ),
    _r(
        "overclaim",
        r"\b(research|science|studies|the data|evidence) (proves?|has proven|have proven|"
        r"guarantees?|shows? beyond doubt)\b|\b(double|doubles|doubling|triple|triples|"
        r"tripling|halve|halves) (their|your|the|our|its) (\w+'s? )?\w+",
    ),
    _r(
        "overclaim",
        r"\b(9\d|ninety[- ]\w+) ?(%|percent|per cent) of\b|\bnine (out )?of (every )?ten "
        r"(learners|participants|managers|graduates|people|users)\b|\blife-?changing\b|"
        r"\b(overnight|instant) (results|success|transformation|change)\b",
    ),
    _r(
        "overclaim",
        r"\b(decides?|determines?|will decide|will determine) whether you (will )?(ever )?"
        r"(become|be|succeed|make it|are)\b|\bthe (single|only) (exercise|activity|module|"
        r"thing|step|mission|skill) that (decides|determines|will make|makes or breaks)\b",
    ),
    _r(
        "overclaim",
        r"\b(round|around) the clock\b|\b24/7\b|\b24 hours a day\b|\bwithin (minutes|"
        r"seconds)\b|\b(reply|respond|answer)\w* to (every|each|all) (single )?(message|"
        r"question|post|request)s?\b|\bwhatever your time ?zone\b",
    ),
    _r(
        "overclaim",
        r"\bwill (fix|solve|cure|eliminate|end|resolve|remove|sort out) (your|the|all|any)"
        r"( \w+){0,3} (problems?|issues?|attrition|conflicts?|turnover|disengagement|"
        r"challenges?)\b|\bwhatever (its|the|their) (causes?|reasons?)\b|\b(weeks|days|"
        r"months) flat\b|\bbehind you (with)?in (a|one|two|three|\d+) (weeks?|months?|days?)\b",
    ),
    _r(
        "urgency",
        r"\bor (else )?(your|you('ll| will)?)\b[^.?!]{0,40}\b(resets?|lose|loses|lost|"
        r"forfeits?|expires?|disappears?|be removed|be dropped|(goes|go|drops?) (back )?to zero)"
        r"\b|\bstreaks? (\w+ )?(resets?|ends|breaks|is lost|will be lost)\b|\b(resets?|"
        r"drops?) to zero\b",
    ),
    _r(
        "guilt",
        r"\byou('re| are)? (now )?(holding|keeping) (the |your )?(whole )?(group|cohort|team|"
        r"circle|everyone|others|class|rest of (the|your) \w+) (back|waiting)\b",
    ),
    _r(
        "guilt",
        r"\b(is|are) watching\b[^.?!]{0,40}\b(completion|participation|progress|who|"
        r"closely|rates|numbers)\b|\blook (very |really )?good (at|in|on|for) (your )?"
        r"(appraisal|performance review|review|promotion|bonus)\w*\b|\b(appraisal|"
        r"performance review|promotion|bonus) (time|season)\b",
    ),
    _r(
        "guilt",
        r"\byou('re| are) not (among|one of) (them|the (top|best|leaders|first))\b|\bclimb "
        r"(up )?the (leader ?board|rankings|ranks|table)\b|\bleader ?boards?\b",
    ),
    _r("scarcity", r"\bonly the top (\d+|\w+)( ?(%|percent|per cent))?\b"),
]

# Round 7, from the families of writer F's misses: a tool or test said to know the learner
# with certainty ("will tell you exactly what kind of leader you are", "reveals your true
# personality", "with scientific accuracy", "reads your tone perfectly", "will always tell
# you"); a result promised for ever ("and your team will never miss a deadline again"); the
# learner set against those who gave up ("most people give up here; prove you are not like
# them").
_CERTAINTY_DENIED = (
    r"\b(no|not|never|cannot|can't|nothing|none|nobody|no one)\b[^.?!]{0,40}\b(perfectly|"
    r"always|exactly|precisely|flawlessly|with certainty)\b"
)
HONESTY_RULES += [
    _r(
        "overclaim",
        r"\b(will|can|to) (tell|show) you (exactly|precisely|for certain|with certainty) "
        r"(what kind|what type|what sort|who you (really )?are|what to fix|what is wrong|how "
        r"good|which (leader|manager|type))\b|\breveals? your (true|real|hidden|innate|"
        r"natural|authentic)\b|\bwith (scientific|complete|total|perfect|absolute|100 ?%|"
        r"clinical) (accuracy|certainty|precision)\b|\bscientifically (proven|accurate|"
        r"validated)\b",
    ),
    _r(
        "overclaim",
        r"\b(reads?|measures?|predicts?|knows?|detects?|judges?) (\w+ ){0,2}(perfectly|"
        r"flawlessly|with certainty|without error)\b|\bwill always (tell|know|predict|show|"
        r"detect|catch|spot) (you|how|what|whether|when)\b",
        unless=_CERTAINTY_DENIED,
    ),
    _r(
        "overclaim",
        r"\b(and|then) (your|you|the) (\w+ ){0,2}will never (\w+ ){1,3}again\b",
    ),
    _r(
        "guilt",
        r"\b(prove|show) (that )?you('re| are) (not like|better than|different from|stronger "
        r"than) (them|the others|the rest|most)\b|\bmost (people|learners|participants|"
        r"managers) (give up|quit|drop out|fail)( (here|at this point|now|before))?\b",
    ),
]

# Round 7: safe space in one sentence, from the families of writer F's misses (the checker's
# safe-space check reads the whole text; these need no more than the sentence): people who are
# not there named for a failing ("name a colleague whose behaviour makes your job harder",
# "list the colleagues who have let you down", "who else was in the room", "who in your
# organisation do you trust least", "enough detail about their situation"); sharing made
# compulsory ("each of you will share a moment from your life when …", "everyone will answer
# this one"); personal writing posted to a chat outside the programme ("drop it in the
# WhatsApp group") or read out together ("will go through the entries together"); openness
# demanded as the price of trust ("let's build trust by being open").
SAFE_SPACE_RULES = [
    _r(
        "names-others",
        r"\b(name|list|make a list of|write down|rank|identify|describe) (a|an|one|the|two|"
        r"three|four|five|\d+|each|any|those)? ?(\w+ )?(colleagues?|team members?|persons?|"
        r"people|co-?workers?|peers?|reports?|staff( members)?|managers?|bosses|boss) (who|"
        r"whose|that)\b[^.?!]{0,60}\b(harder|frustrat\w*|annoy\w*|let (you|the team) down|"
        r"disappoint\w*|trust|undermin\w*|hurt|upset|worst|least|conflict|clash\w*|argu\w*|"
        r"badly|wrong|betray\w*|irritat\w*|bother\w*)",
        unless=r"\b(without (naming|saying who)|no names|not by name|(don't|do not) name|"
        r"leave (out )?(their|the|any) names?|anonymous(ly)?)\b",
    ),
    _r(
        "names-others",
        r"\bwho else was (in the room|there|present|involved|on the call|in the meeting)\b|"
        r"\bwho (in|at|across|within) your (organi[sz]ation|company|department|branch|office|"
        r"unit|workplace|firm)\b[^.?!]{0,40}\b(least|not|never|worst|dislike|distrust)\b|"
        r"\b(enough|full|specific|exact) details? (about|of) (their|his|her|the person's|the "
        r"colleague's|your colleague's|your team member's) (situation|crisis|problem|illness|"
        r"health|circumstances|story|difficult\w*)\b",
    ),
    _r(
        "exposure",
        r"\b(each|every one|all|everyone|everybody) (of you |in the (cohort|group|circle|room|"
        r"class|team) )?(will|must|is going to|are going to|has to|have to|is expected to|are "
        r"expected to) (share|tell|describe|read out|present|post|open up|talk about)\b"
        r"[^.?!]{0,60}\b(your life|personal|felt|feel|ashamed|afraid|fears?|failures?|"
        r"mistakes?|private|family|home|health|struggl\w*|secrets?|weakness\w*|vulnerab\w*)|"
        r"\b(everyone|everybody|each of you|all of you)( in the (cohort|group|circle|class))? "
        r"(will|must|has to|have to) answer this\b",
    ),
    _r(
        "exposure",
        r"\b(tell us|tell the (group|cohort|circle|class)|share (it )?with (the|your) (group|"
        r"cohort|circle|class|team))\b[^.?!]{0,80}\b(discriminat\w*|racis\w*|sexis\w*|"
        r"harass\w*|bullied|bullying|abus\w*|your (religion|faith|sexuality|salary|debts?|"
        r"diagnosis|illness|marriage|divorce)|financial (situation|problems?|troubles?|"
        r"worries))",
        unless=r"\b(if you (like|want|wish|choose|are comfortable|feel comfortable|would like)|"
        r"you may|you can choose|optional|only if)\b",
    ),
    _r(
        "exposure",
        r"\b(drop|post|share|send|put|upload|forward) (it|this|them|that|your \w+( \w+)?)? ?"
        r"(in|on|to|into) (the |your |our |a )?([\w-]+ ){0,2}(whatsapp|telegram|signal|slack|"
        r"wechat|facebook|linkedin|instagram|social media|group chat|team chat)\b",
        unless=r"\bonly if you (want|wish|choose|like|decide)\b",
    ),
    _r(
        "exposure",
        r"\bcompare the handwriting\b|\bso (that )?you know who (said|wrote) what\b|\bforward "
        r"(your|the) (private|personal) \w+\b|\bsummari[sz]e what (they|he|she) told you\b|\b"
        r"(best|most interesting) (ones|entries|answers|reflections)\b[^.?!]{0,40}\b(shared|"
        r"mention\w*|read out|shown)\b|\bgo through the (journal )?entries with the group\b|"
        r"\b(will|are going to|shall|we'll|we will) (go through|read out|read through|read "
        r"aloud|discuss|review|look through|compare) (the|your|all|each other's|everyone's) "
        r"(journal )?(entries|journals|reflections|notes|answers|responses)( together| aloud| "
        r"out loud| as a group| in (class|the session|plenary))\b|\b(build|builds|building|"
        r"earn|win|gain) ([\w']+ ){0,2}trust by (being open|sharing|opening up|telling|"
        r"revealing)\b|\b(let's|let us) "
        r"(all )?(be open|open up|be vulnerable|share everything)\b",
    ),
]

# Honesty: a result for ever ("you will never again have a conflict", "you'll never dread it
# again", "never have to deal with turnover again"); results promised to everyone who takes
# part ("leaders who complete it have zero incidents", "has eliminated burnout on every team",
# "your absenteeism will disappear", "we have never seen it fail"); a transformation in a
# fixed time ("in just six weeks you will become …"); fully qualified or certified by a quiz;
# a tool that understands the learner better than people; recognition claimed by all; a
# scare statistic ("five times more likely to fail"); privacy no product can promise
# ("nothing … can ever be used against you", "permanently deleted after 24 hours", "never
# stored anywhere"); exclusivity and a chance that will not come again; the learner's manager
# or HQ told who did not finish; the days a learner waits laid on their team; the learner set
# apart as the last or the only one.
HONESTY_RULES += [
    _r(
        "overclaim",
        r"\b(will|you'll|'ll|they'll|shall) never (again )?(\w+ ){0,5}again\b|\bnever again "
        r"(have|struggle|face|deal|worry|dread|lose|make|fear)\b|\bnever have to (deal with|"
        r"worry about|face)\b[^.?!]{0,40}\bagain\b",
        negatable=False,
        unless=r"\bif\b[^.?!]{0,30}\bnever\b|\bnot\b[^.?!]{0,15}\bnever\b",
    ),
    _r(
        "overclaim",
        r"\b(who (complete|completes|finish|finishes|follow|follows|pass|passes)|graduates of)"
        r"\b[^.?!]{0,50}\b(never|zero|always|no longer|see \w+ (rise|grow|improve))\b|"
        r"\b(removes?|eliminat\w+|cures?|wipes? out|prevents? all)\b (\w+ ){0,2}(burnout|"
        r"conflicts?|turnover|absenteeism|stress|attrition|disengagement|grievances?|"
        r"incidents?)\b|\bwill disappear\b|\bnever seen (it|this|this \w+|the \w+) fail\b|"
        r"\b(completely|totally|entirely|100 ?%) [\w]+-free\b",
        negatable=False,
    ),
    _r(
        "overclaim",
        r"\b(in|within|after) (just |only )?(\d+|one|two|three|four|five|six|seven|eight|ten|"
        r"twelve) (weeks?|days?|months?)\b[^.?!]{0,60}\b(will|you'll)\b[^.?!]{0,30}\b(make you|"
        r"become|be the kind|remove|never)\b|\bwill make you (a |an )?(great|better|excellent|"
        r"outstanding|confident|fully|truly|top)\b|\b(fully|completely|totally) (qualified|"
        r"ready|certified|equipped|prepared) to\b|\bcertified as (fully|completely)\b|"
        r"\bunderstands? (you|your \w+) better than\b|\b(always|never fails to) give(s)? you "
        r"the (right|correct|best) answer\b|\bpredicts? your (future|success|performance)\b|"
        r"\bwith \d+ ?% accuracy\b|\b(recogni[sz]ed|accepted|endorsed|valued|respected) (by|"
        r"across|in) (all|every|the whole|each|any)\b|\b(\w+ times|far|much|significantly) "
        r"(more|less) likely to (fail|lose|be fired|quit|burn out|struggle|be promoted)\b|"
        r"\brise by \d+|\b(by|of) \d+ ?%",
        negatable=False,
        unless=r"\b(cannot|can't|no (programme|course|tool|module)|not) (promise|guarantee|"
        r"make you)\b",
    ),
    _r(
        "overclaim",
        r"\b(nothing|no one|nobody)\b[^.?!]{0,60}\bcan ever\b|\bcan ever be (used|seen|traced|"
        r"read|shared|accessed|subject)\b|\b(permanently|automatically) deleted (after|within)"
        r"\b|\b(never|not) (be )?stored anywhere\b|\bnever stored\b",
        negatable=False,
    ),
    _r(
        "scarcity",
        r"\bact fast\b|\b(very |extremely )?limited,? so\b|\bexclusive\b[^.?!]{0,50}\b(only|"
        r"invited|disappears|chance|never)\b|\bonly (high-potential|selected|the best|a few|"
        r"top)\b[^.?!]{0,20}\b(were|are|have been) (invited|selected|chosen)\b|\b(will )?never "
        r"be offered again\b|\bno second chance\b|\bwaste your chance\b|\b(go|be given) to "
        r"someone (else|on the waiting list)\b|\bdisappears on\b|\b(open|available) (only )?to "
        r"the first (\d+|\w+)\b|\bthe top (\d+|\w+) (finishers|learners|participants|managers)"
        r"\b|\bthe last time\b[^.?!]{0,40}\bwill ever\b",
        negatable=False,
    ),
    _r(
        "guilt",
        r"\b(your |the )?(manager|director|boss|line manager|hq|hr|coordinator|supervisor|"
        r"regional \w+)( \w+)? (is|are|will be|has been|have been|gets?|get) (told|notified|"
        r"informed|alerted)\b|\b(are|is|will be) noticed by\b|\bwill be flagged\b|\bflagged "
        r"(you|in|to)\b|\bwill (understand|think|assume|conclude|see) (that )?you (are not|"
        r"aren't|do not|don't) (committed|care|serious|interested)\b|\bif they knew\b|\bwhat "
        r"does (that|this|it) say about (you|your)\b|\bis this really the (level|kind|amount) "
        r"of\b",
        negatable=False,
        unless=r"\b(only if you|if you ask|if you choose|with your (permission|consent))\b",
    ),
    _r(
        "guilt",
        r"\bevery day you (wait|delay|skip|put off|leave|postpone|don't)\b|\b(pays?|paying) "
        r"(the price|for it)\b|\b(don't|do not) let (them|him|her|your \w+|the \w+) down\b|"
        r"\byou('re| are) (already |still |now )?behind\b|\byou have (missed|skipped) (\w+ ){0,2}"
        r"already\b|\bwe noticed you\b|\byour progress (bar )?(is|shows|sits|has been) (red|"
        r"stuck|only|at|\d+)|\bflagged you\b|\bby now\b|\byou('re| are) the (last|only) (one|"
        r"person|manager|learner|\w+ manager)\b|\b(all|most) (of )?your (peers|colleagues|"
        r"cohort)\b[^.?!]{0,30}\balready\b|\byour peers are already\b|\bthe only \w+( \w+)? "
        r"(in|at) [^.?!]{0,30}\bwithout\b|\b(are|is) waiting (on|for) (you|your)\b|\b(will be|"
        r"is|are) wasted\b|\bif you stop now\b|\bthe one behind\b",
        negatable=False,
        unless=_BEHIND_IS_FINE,
    ),
]

# Safe space in one sentence: people who are not there named for a failing, in more shapes
# ("the names of the two team members you trust least", "the colleagues in your store that you
# find most difficult", "which of your staff do you suspect", "which peer is not ready", "tell
# us which member of your team is struggling most"); sharing a personal matter made a rule of
# the group ("go around the circle and each say …", "everyone posts one thing they have never
# told anyone", "each participant will tell the group about …").
_PEOPLE = (
    r"(colleagues?|team members?|people|staff|peers?|managers?|members?|persons?|bosses|"
    r"reports|employees|workers|operators|cashiers|drivers|nurses|engineers|technicians|"
    r"agents|chefs|cooks|pickers|supervisors|leads)"
)
SAFE_SPACE_RULES += [
    _r(
        "names-others",
        rf"\b(name|list|write down|identify|tell us|rank)\b[^.?!]{{0,40}}\b{_PEOPLE}\b"
        r"[^.?!]{0,50}\b"
        r"(trust least|least|most difficult|harder|struggling most|would not choose|wouldn't "
        r"choose|let go first|not ready|suspect|dislike|makes? your job)\b|\bwhich (colleague|"
        r"peer|member|of your staff|team member|person|of your [\w-]+)\b"
        r"[^.?!]{0,60}\b(suspect|not ready|struggling|did you have in mind|least|worst|lazy)\b",
        unless=r"\b(without (naming|saying who)|no names|not by name|(don't|do not) name|"
        r"leave (out )?(their|the|any) names?|anonymous(ly)?)\b",
        negatable=False,
    ),
    _r(
        "exposure",
        r"\b(go (a)?round the (circle|room|table|thread)|each (participant|person|of you) will "
        r"(tell|share)|everyone (posts|shares|says|tells))\b[^.?!]{0,80}\b(personal|never told|"
        r"marriage|relationship|fears?|anxiety|low mood|unfairly|struggles?|home|family|"
        r"health|religio\w*|panic)",
        negatable=False,
    ),
]

RULES = JUDGEMENT_RULES + CONTEXT_RULES + HONESTY_RULES + SAFE_SPACE_RULES

DEFAULT_REWRITES: dict[str, str | None] = {
    "blame": "Looking back, what happened, and what would you like to try next time?",
    "shame": "What did you notice about how this went, and what would you like to do next?",
    "label": "What do you notice about how you respond in situations like this?",
    "presume": "How was this for you, if you would like to say?",
    "leading": "What is your view, and what makes you see it that way?",
    "compare": "What would be a good next step for you, at your own pace?",
    "minimise": "This can take some effort. What would help you take the first step?",
    "moralise": "What might you try, and what would help?",
    "absolute": "When does this tend to happen, and what helps?",
    "sarcasm": "What did you learn from how this went?",
    "tone": None,
    "idiom": None,
    "assumption": None,
    "reading-level": None,
    "urgency": "Take this step when it suits you.",
    "scarcity": "Places are limited so that everyone can take part; sign up if it suits you.",
    "guilt": "Pick up where you left off whenever it suits you.",
    "overclaim": None,
    "names-others": "Describe what happened without naming anyone or saying who they are.",
    "exposure": "If you would like to, write about this in your private journal first, and "
    "share with the group only what you are comfortable sharing.",
}


def rewrite_sentence(rule: Rule, sentence: str, m: re.Match[str]) -> str | None:
    """The respectful rewrite a rule proposes for `sentence` (the masked sentence the match is
    in), or None where no rewrite can be proposed automatically."""
    if callable(rule.fix):
        return rule.fix(sentence, m)
    if isinstance(rule.fix, str):
        # An empty result proposes removing the sentence (a lone "Hurry!").
        return tidy(sentence[: m.start()] + rule.fix + sentence[m.end() :])
    return DEFAULT_REWRITES.get(rule.code)


# -- Matching -------------------------------------------------------------------------------

# Each rule's prefilter keys (`prefilter.keys`), worked out from its pattern once and shipped,
# since parsing ~510 patterns again would cost a cold start about half a second. A pattern not
# in the table (edited since) gets its keys worked out when first used; a test says when the
# table needs writing again (`python -m design_review.rules`).
PREFILTER_TABLE = Path(__file__).resolve().parent / "data" / "rule-prefilter.json"


def _table_key(pattern: re.Pattern[str]) -> str:
    return f"{pattern.flags}:{pattern.pattern}"


def _source_key(rule: Rule) -> str:
    """The table key `rule.pattern` will have, without compiling it: a str pattern's flags
    gain `re.UNICODE` (inline flags would add more: such a pattern misses the table and has its
    keys worked out, compiled, as an edited one does)."""
    return f"{int(rule.flags | re.UNICODE)}:{rule.source}"


def prefilter_table(rules: list[Rule]) -> dict[str, list[list[str]] | None]:
    """The prefilter keys of `rules`, as stored in `PREFILTER_TABLE`: pattern → [words,
    substrings] or None (no prefilter)."""
    out: dict[str, list[list[str]] | None] = {}
    for rule in rules:
        k = prefilter.keys(rule.pattern)
        out[_table_key(rule.pattern)] = None if k is None else [list(k[0]), list(k[1])]
    return out


_INDEX: list[prefilter.Index] = []


def _index() -> prefilter.Index:
    if _INDEX and _INDEX[0].size == len(RULES):
        return _INDEX[0]
    try:
        table = json.loads(PREFILTER_TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = {}
    keyed: list[prefilter.Keys | None] = []
    for rule in RULES:
        key = _source_key(rule)
        if key in table:
            k = table[key]
            keyed.append(None if k is None else (tuple(k[0]), tuple(k[1])))
        else:
            keyed.append(prefilter.keys(rule.pattern))
    _INDEX[:] = [prefilter.Index(keyed)]
    return _INDEX[0]


def matches(sentence: str) -> list[tuple[Rule, re.Match[str]]]:
    """Every rule of `RULES` that fires on `sentence`, in `RULES` order, with its first match:
    exactly `[(r, r.pattern.search(sentence)) for r in RULES if r.applies(sentence) and
    r.pattern.search(sentence)]`, but only the rules whose required words occur in the
    sentence (`prefilter`) are searched, and a rule's `unless` only once its pattern matched."""
    out = []
    for i in _index().candidates(sentence):
        rule = RULES[i]
        m = rule.pattern.search(sentence)
        if m is not None and rule.applies(sentence):
            out.append((rule, m))
    return out


if __name__ == "__main__":
    PREFILTER_TABLE.write_text(
        json.dumps(prefilter_table(RULES), indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
