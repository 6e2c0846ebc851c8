"""The design-review checker: one function, `review(text, *, context)`, used by the studio
panel, the programme review, the programme import and `manage.py review_text` alike.

It combines the rules of `design_review.rules` (patterns over parsed sentences), the safe-space
honesty check below (what the text promises about who will see an answer, against the item's
real visibility, which the caller reads from the models: `design_review.visibility`), a
reading-level check against the organisation's level, and the local classifier of
`design_review.classifier` for judging tone the rules cannot reach. It never raises on odd
input: empty text, binary data, 100 KB, other scripts, Markdown and HTML each get a clear note.
"""

import math
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice
from typing import Any

from rapport.policy import Visibility

from . import rules
from .classifier import Embedder, ToneModel, default_embedder, default_model
from .codes import CODES, Category
from .textprep import (
    MAX_REVIEW_CHARS,
    Sentence,
    control_share,
    mask_markup,
    mask_quotes,
    non_latin_share,
    sentences,
)

#: The classifier reads at most this many passages of one text (the rules read every sentence).
MAX_CLASSIFIER_SENTENCES = 64
#: A passage the classifier reads is up to this many sentences in a row: the prompts it learnt
#: from are one to three sentences long.
PASSAGE_SENTENCES = 3
#: Passages shorter than this many words (titles, labels) are left to the rules: the prompts the
#: classifier learnt from are longer, and on three or four words its cues are noise.
MIN_PASSAGE_WORDS = 8
#: The reading level (Flesch-Kincaid grade) above which a text is a finding, unless the
#: organisation set another (`ReviewSettings.max_reading_grade`). A grade is a whole school
#: grade, as the formula's score is read: 12.6 is "grade 12", so it is within a level of 12.
DEFAULT_MAX_GRADE = 12.0
#: Sentences shorter than this many words are not graded (the formula is noise on them).
MIN_GRADED_WORDS = 15
#: Texts per chunk of `review_stream`: the rules read one chunk while the previous one's
#: passages are embedded.
STREAM_CHUNK = 100
#: How much one rule finding adds to the score (0 to 1); classifier findings add their probability.
RULE_WEIGHT = 0.8

NOTES = {
    "empty": "There is no text to review.",
    "not-text": "This does not look like text (binary data or control characters); nothing was "
    "reviewed.",
    "truncated": f"Only the first {MAX_REVIEW_CHARS:,} characters were reviewed.",
    "other-script": "Most of this text is in a script other than Latin; the checks read English "
    "and may miss what it says.",
    "classifier-partial": f"The classifier read the first {MAX_CLASSIFIER_SENTENCES} passages; "
    "the rules read them all.",
    "classifier-off": "The classifier is not available; only the rules ran.",
}


@dataclass(frozen=True)
class ReviewContext:
    """What the checker needs to know about where a text is used.

    `kind` is the activity kind (`programs.models.ActivityKind` value) or None; `visibility` is
    the real visibility of the learner's answer on that item (a `rapport.policy.Visibility`
    value, from `design_review.visibility.answer_visibility`), None when unknown (then only the
    "who will see it" question is checked, not the promise against reality); `max_grade` is the
    organisation's reading level; `classifier` turns the local classifier off when False."""

    kind: str | None = None
    visibility: str | None = None
    max_grade: float = DEFAULT_MAX_GRADE
    classifier: bool = True


@dataclass(frozen=True)
class Finding:
    """One thing the review found.

    `start`/`end` are offsets into the reviewed text of the words the finding is about (to
    highlight); `rewrite` is a proposed replacement of the text between `rewrite_start` and
    `rewrite_end` (the sentence), or None where no rewrite can be proposed automatically.
    `probability` is the classifier's p(judging) for `tone` findings, else None."""

    code: str
    start: int
    end: int
    words: str
    rewrite: str | None
    rewrite_start: int
    rewrite_end: int
    probability: float | None = None

    @property
    def category(self) -> Category:
        """The category (one of the four questions) of the code."""
        return CODES[self.code].category

    @property
    def explanation(self) -> str:
        """The code's explanation for designers."""
        return CODES[self.code].explanation

    @property
    def question(self) -> str:
        """The one of the four questions the finding answers."""
        return CODES[self.code].question


@dataclass(frozen=True)
class Review:
    """The outcome: `flagged` when there is any finding; `score` from 0 (nothing judging) to 1;
    findings in text order; `notes` are codes of `NOTES` about the input itself."""

    flagged: bool
    score: float
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        """The distinct finding codes, in text order."""
        return list(dict.fromkeys(f.code for f in self.findings))

    def categories(self) -> set[Category]:
        """The categories with at least one finding."""
        return {f.category for f in self.findings}


# -- The safe-space honesty check --------------------------------------------------------------

# Round 11, from writers G to L: personal matters the lists below did not name (stress, sleep,
# medicine and diagnoses, sick leave, childhood, faith, panic, tears, home and household, the
# wish to quit, caregiving and disability).
_PERSONAL_11 = (
    r"stress levels?|your sleep|medicines?|medications?|therapy|diagnos[ie]s|sick leave|"
    r"(your|my|in your) childhood|religio\w*|panic attacks?|tears|low mood|depress\w*|"
    r"household|who (else )?lives with you|where you live|share your home|your home life|"
    r"never told anyone|wanted to quit|giving up|disabilit\w*|accommodation needs|caregiving|"
    r"personal struggles?|personal situation|your relationship"
)
_SENSITIVE = re.compile(
    r"\b(fail(ed|ing|ure)?|ashamed|shame|fears?|afraid|hurt|painful|vulnerab\w*|anxious|"
    r"anxiety|overwhelmed|insecur\w*|doubt(ed)?|excluded|lonely|personal|embarrass\w*|"
    r"hardest|struggl\w*|impostor|out of your depth|lost your temper|hidden|never say|"
    r"biggest mistake|worst|dread\w*|went wrong|cry|cried|grief|difficult personal|"
    r"health|mental|burnout|burn-out|fraud|unfair(ly)?|emotional(ly)?|temper|at home|"
    r"your life outside work|in your life|leaving the company|considered leaving|"
    r"(thinking|thought|considering|planning|tempted|dreaming)( of| about)? (leaving|quitting|"
    r"resigning)|(leave|quit) (your|this|the) (job|organi[sz]ation|company|employer)|"
    r"(what|how) you (really|truly|honestly|secretly|actually) (feel|think)|"
    r"your future (in|at|with) (this|the|your) (organi[sz]ation|company|employer|firm)|"
    r"private life|"
    r"(disagreement|argument|conflict|falling[- ]out|dispute)s? (\w+ ){0,4}with (your|a|an|the|"
    r"one of your) (\w+ ){0,3}(manager|boss|director|colleague|partner|team member|report|peer|"
    r"supervisor|co-?worker)s?|"
    r"trust the least|clash\w*|frustrates you|frustrated|let down|age, gender|origin|"
    r"family (matters?|situations?|issues?|problems?|reasons)|personal loss|loss|bereavement|"
    r"money (problems?|worries|troubles)|debts?|finances|drinking|alcohol|addiction|unsafe|"
    r"harass\w*|written up|disciplin\w*|partner|marriage|divorce|relationship with your|"
    r"clinical error|troubles you|error|regret\w*|humiliat\w*|not good enough|inadequate|"
    r"heat of the moment|(feedback|360(-degree)?|appraisal|performance|engagement) (scores?|"
    r"ratings?|results)|lowest (scores?|ratings?|marks|ones)|salary|salaries|"
    + _PERSONAL_11
    + r")\b",
    re.IGNORECASE,
)
_PRIVATE_PROMISE = re.compile(
    r"\b(private(ly)?|only you|just for you|no one (else )?will|nobody (else )?will|"
    r"no one (else )?can|confidential(?! (details|information|data|matters|names))|"
    r"stays? (between you|with you|in your)|for yourself|"
    r"only (the|your) (trainers?|facilitators?|moderators?|coach) (reads?|will read|sees?|"
    r"will see)|"
    r"(no one|nobody|nothing)( you write)? (outside|beyond|leaves)|"
    r"your (private )?journal|for your eyes only|keep it private|just you|anonymous(ly)?|"
    r"only to you|(will )?never (read|see) (it|this|them)|(won't|will not) leave (this|the) "
    r"(space|thread|room|group)|will leave this (space|thread|room|group)|"
    r"(just |only )?between you and|safe space|(all|only) friends here|stays? here)\b",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(
    r"\b(?P<who>(whole |the whole |your |the |others in your |everyone in your |peers in "
    r"your |your peers in the |people in your |rest of your )?(?P<group>cohort|circle|coach|"
    r"group|peers|organi[sz]ation)\b)[^.?!:]{0,40}\b(see|read|visible|reads)\b|"
    r"\b(visible|shown) to (your|the) (whole )?(?P<group2>cohort|circle|coach|"
    r"organi[sz]ation)\b|"
    r"\b((post|share)\b[^.?!:]{0,40}\b(in|with)|(is|are|be|gets?) (\w+ ){0,3}(posted|shared) "
    r"with) (the|your) (whole )?"
    r"(?P<group3>cohort|circle|coach|group|organi[sz]ation)\b|"
    r"\btell the (?P<group4>group|cohort|circle)\b|"
    r"\b(visible|shown|available|open) to (everyone|everybody|all|anyone|others|people|the rest)"
    r"( of you)? (in|of|from|across) (your|the) (whole )?(?P<group5>cohort|circle|group|"
    r"organi[sz]ation)\b|"
    r"\b(read|seen) by (everyone in |everybody in |all of |the rest of |others in |people in )?"
    r"(your|the) (whole )?(?P<group6>cohort|circle|coach|group|peers|organi[sz]ation)\b",
    re.IGNORECASE,
)
_ONLY = re.compile(
    r"\b(only|just|no one else|nobody else|alone|not|never|won't|will not)\b", re.IGNORECASE
)
_AUDIENCE_GROUPS = ("group", "group2", "group3", "group4", "group5", "group6")
# Who hears or reads it named without a platform audience: a partner, one person ("your partner
# is the only person who will hear it"). It says who will read; it is not checked against the
# item's visibility (the conversation happens outside the programme).
_READER_NAMED = re.compile(
    r"\b(is|are|will be) the only (person|people|one|ones)\b[^.?!]{0,20}\b(hear|read|see|know)"
    r"|\bonly (your|the) (\w+ ){0,2}(partner|buddy|mentor|coach|facilitator|trainer)s? (will|"
    r"can|gets? to) (hear|read|see|know)\b|\b(heard|read|seen) only by\b|"
    # Round 11: a conversation with one named person ("talk with your coach about …").
    r"\b(talk|speak) (with|to) your (coach|partner|mentor|buddy)\b",
    re.IGNORECASE,
)
# "private" or "anonymous" about something other than the learner's answer: the manner of an
# exchange between people ("give criticism in private", "let them reply privately", "a
# private word"), a private matter, people kept anonymous ("you can keep them anonymous").
_PRIVACY_OF_OTHERS = re.compile(
    r"(\b(praise|criticism|criticis\w*|criticiz\w*|critique|correct\w*|reprimand\w*|feedback|"
    r"speak|talk|meet|discuss|raise|address|thank|conversations?|words?|meetings?|chats?)\b"
    r"(\s+\S+){0,4}?|\b(them|they|people|others|colleagues|team members|staff|employees|"
    r"reports|everyone|anyone)\b(\s+\S+){0,3}?)\s+(in private|privately)$|"
    r"\b(keep|keeping|leave|make|kept|left)\s+(them|him|her|those involved|everyone involved|"
    r"(the )?names?|their names?|(the |your )?(other )?(person|people|colleague|team member|"
    r"manager|report|individual)s?( involved| concerned)?)\s+anonymous$|"
    r"\b(names?|people|persons?|colleagues|individuals|those involved)\b(\s+\S+){0,3}?"
    r"\s+anonymous$",
    re.IGNORECASE,
)
_PRIVATE_THING = re.compile(
    r" (word|meeting|conversation|chat|talk|one-to-one|message|call|life|matter|affair)s?\b",
    re.IGNORECASE,
)


# Round 11: who sees the learner's progress or scores is not a promise about their answer
# ("Your progress in the platform is visible only to you and the programme team").
_ABOUT_PROGRESS = re.compile(
    r"\s*your (progress|completion|scores?|results|data|activity|attendance)\b", re.IGNORECASE
)


def _privacy_promise(sentence: str) -> re.Match[str] | None:
    """The first words of `sentence` promising the learner privacy (`_PRIVATE_PROMISE`), not
    negated ("it is not anonymous") and not about the privacy of someone else or of another
    exchange (`_PRIVACY_OF_OTHERS`, "a private word")."""
    for m in _PRIVATE_PROMISE.finditer(sentence):
        if rules.negated(sentence, m.start()):
            continue
        if _PRIVACY_OF_OTHERS.search(sentence[: m.end()]):
            continue
        if m.group(0).lower() == "private" and _PRIVATE_THING.match(sentence, m.end()):
            continue
        if _ABOUT_PROGRESS.match(sentence):
            continue
        return m
    return None


# A sentence about another kind of activity ("Discussion posts are shared with your cohort" in
# a mission): it describes that kind's audience, not this item's. The kinds as learners name
# them, keyed by `ActivityKind` value.
_KIND_NAMES = {
    "discussion": re.compile(r"\b(discussions?( posts?| prompts?| threads?)?|forums?)\b", re.I),
    "mission": re.compile(r"\bmissions?\b", re.I),
    "live_session": re.compile(r"\b(live sessions?|circle meetings?|group calls?)\b", re.I),
}


def _about_another_kind(sentence: str, kind: str | None) -> bool:
    """Whether `sentence` names a kind of activity other than `kind` (the item's own)."""
    return any(k != kind and p.search(sentence) for k, p in _KIND_NAMES.items())


_OPTIONAL = re.compile(
    r"\b(if you (like|want|wish|choose|are comfortable)|unless you|you can share|you may share|"
    r"choose to share|as much as you|if you would like|may want to|might want to|your choice|"
    r"up to you|you might|you could|comfortable with|whatever (depth|level)|at your own pace|"
    # Round 11: more ways of saying it is optional ("if you'd like to", "share it if you do",
    # "skipping it is absolutely fine", "no personal details needed").
    r"if you'd like|if you do|only if you want|skip(ping)? (it|this) is (absolutely |"
    r"completely |perfectly )?fine|no (personal )?(disclosure|details) (is |are )?needed|"
    r"(we are|we're) not asking about)\b",
    re.IGNORECASE,
)
_LEVEL = {
    Visibility.PRIVATE: 0,
    Visibility.COACH: 1,
    Visibility.CIRCLE: 2,
    Visibility.COHORT: 3,
    Visibility.ORGANISATION: 4,
}
_GROUP_VISIBILITY = {
    "coach": Visibility.COACH,
    "circle": Visibility.CIRCLE,
    "cohort": Visibility.COHORT,
    "group": Visibility.COHORT,
    "peers": Visibility.COHORT,
    "organisation": Visibility.ORGANISATION,
    "organization": Visibility.ORGANISATION,
}
AUDIENCE_SENTENCES = {
    Visibility.PRIVATE: "Only you will see your answer unless you choose to share it.",
    Visibility.COACH: "Only you and your coach will read your answer.",
    Visibility.CIRCLE: "Your peer circle will read your answer.",
    Visibility.COHORT: "Your cohort will read your answer.",
    Visibility.ORGANISATION: "People across your organisation will read your answer.",
}


# "a struggling project": the sensitive word describes something, not the learner.
_ABOUT_SOMETHING_ELSE = re.compile(r" (project|projects|team|teams|process|product|business)\b")
# "your learning partner": a partner in the programme or at work, not a life partner.
_WORK_PARTNER = re.compile(
    r"\b(learning|accountability|business|practice|sparring|coaching|peer|reflection|"
    r"discussion|study|training|thinking|programme|program|role-?play|feedback|mentoring|"
    r"buddy|trading|delivery|project|HR)[- ]$",
    re.IGNORECASE,
)
# The people a clause names before a sensitive word: the learner, or someone else ("a team member
# brought a personal difficulty to you": the difficulty is the team member's).
_PERSON = re.compile(
    r"\b(?P<you>you|your|yourself|you've|you're|you'd)\b|"
    r"\b((their|they|them|his|her|he|she|someone|somebody|anyone|"
    r"(team member|colleague|employee|report|person|member|staff member|manager|peer|"
    r"co-worker|coworker)('s|s')?)( (on|in|of|from) your (\w+ )?(team|staff|crew|unit|"
    r"department|group|reports))?)\b",
    re.IGNORECASE,
)


def _someone_elses(sentence: str, m: re.Match[str]) -> bool:
    """Whether the sensitive words `m` of `sentence` are someone else's: they do not name the
    learner ("frustrates you", "humiliated you") and the last person the clause names before
    them is not the learner."""
    if re.match(r"[^.?!,;:]*\byou", sentence[m.start() : m.end() + 4], re.IGNORECASE):
        return False
    clause = re.split(r"[,;:]", sentence[: m.start()])[-1]
    people = list(_PERSON.finditer(clause))
    return bool(people) and people[-1].group("you") is None


# Asking the learner to name or describe people who are not there to answer.
_NAMES_OTHERS = re.compile(
    r"\b(give|write|use|list|mention\w*|including|with|and) (their |his |her |the |real |full |"
    r"first |last |given )*names?\b|\bby name\b|\bname names\b|\bwho (was|were) involved\b|"
    r"\bdescribe the (people|person|colleague)\b|\b(including|and|say|name|describe) who "
    r"(was|were) (affected|responsible|to blame)\b|\bname (the|that|this|each) (person|"
    r"colleague|team member|people)\b|"
    r"\b(mention|say|tell us|write( down)?|note|include|add) who (it|this|that|they) (was|is|"
    r"were)\b|"
    r"\b(list|make a list of|write down|name|identify|rank|note down)\b[^.?!]{0,20}\b(team "
    r"members|colleagues|people|direct reports|reports|peers|staff|employees|co-workers)\b "
    r"(you|who|that) (\w+ )?(do not|don't|cannot|can't|least|never|would not|wouldn't|"
    r"dislike|distrust|find (it )?(difficult|hard))|"
    r"\bwho (in|on|among) your (\w+ )?(team|colleagues|staff|reports|peers|crew)\b[^.?!]{0,40}"
    r"\b(not|least|worst|never|wouldn't|fire)\b|\b(which|what) of your (direct reports|"
    r"reports|colleagues|team members)\b[^.?!]{0,30}\b(least|worst|most difficult)\b",
    re.IGNORECASE,
)
# People thanked or greeted by name, face to face: not named in an answer.
_GREETED_BY_NAME = re.compile(
    r"\b(thank|greet|address|welcome|praise|call|recognis|recogniz|acknowledg)\w* (\w+ ){0,3}"
    r"by name$",
    re.IGNORECASE,
)
# Very personal matters: health, tears, life at home, leaving, discrimination, shame.
_VERY_PERSONAL = re.compile(
    r"\b(health|mental|burnout|burn-out|cry|cried|at home|your life outside work|in your life|"
    r"leaving the company|considered leaving|(thinking|thought|considering|planning|tempted)"
    r"( of| about)? (leaving|quitting|resigning)|(leave|quit) (your|this|the) (job|"
    r"organi[sz]ation|company|employer)|private life|fraud|unfair(ly)?|age, gender|ashamed|"
    r"lost your temper|biggest failure|emotionally|family|personal loss|loss|bereavement|"
    r"money|debts?|finances|drinking|alcohol|addiction|unsafe|harass\w*|partner|marriage|"
    r"divorce|clinical error|humiliat\w*|not good enough|(feedback|360(-degree)?|appraisal|"
    r"performance) (scores?|ratings?|results)|lowest (scores?|ratings?|marks|ones)|salary|"
    r"salaries|" + _PERSONAL_11 + r")\b",
    re.IGNORECASE,
)
# Asking for something very personal where a group reads it.
_GROUP_SHARING = re.compile(
    r"\b(tell|share (\w+ )*with|post (\w+ )*(in|to)) (the|your|us|this) ?(group|cohort|circle|"
    r"everyone|team)?\b|\btell us\b|\bsharing round\b|\bwith the group\b|"
    # Round 11: a forum, a thread or a group session named, or writing sent on to others.
    r"\b(forum|discussion thread|thread|channel|group session|live session|the room|the "
    r"circle)\b|\bforward\w*\b",
    re.IGNORECASE,
)


# Pressure to disclose: sharing expected of everyone, holding back ruled out, every detail.
_PRESSURE_TO_SHARE = re.compile(
    r"\b(everyone|everybody|all of you|you) (is|are) (expected|required) to share\b|"
    r"\b(no reason to|don't|do not) hold back\b|\bin full detail\b|\bleave nothing out\b",
    re.IGNORECASE,
)


def _invites_sharing(s: Sentence) -> re.Match[str] | None:
    """The sensitive words of a sentence that asks the learner to share something personal."""
    m = next(
        (
            m
            for m in _SENSITIVE.finditer(s.text)
            if not _ABOUT_SOMETHING_ELSE.match(s.text, m.end())
            and not (m.group(0).lower() == "partner" and _WORK_PARTNER.search(s.text[: m.start()]))
            and not _someone_elses(s.text, m)
        ),
        None,
    )
    if m is None:
        return None
    # An invitation: a question, or an instruction opening the sentence or one of its clauses
    # ("In a few sentences, tell us about …", "… and write it down").
    asks = s.text.endswith("?") or re.search(
        r"(^|[,;:]\s+|\band )(and |then |and then )?(please )?(share|tell|describe|write|talk|"
        r"open up|post|think|note|explain|name|reflect|list|rate|recall|give|ask yourself|"
        r"consider|jot|record|journal|answer|identify|admit|confess|reveal|say|put into words)\b",
        s.text,
        re.IGNORECASE,
    )
    return m if asks else None


def _after_colon_or_so(text: str) -> str:
    for marker in (":", ", so ", " so "):
        if marker in text:
            return text.split(marker, 1)[1].strip()
    return ""


# Round 11: a privacy promise taken back in the same text ("Your reflections are confidential.
# … the best ones will be shared with the regional directors"; "This survey is anonymous.
# Please enter your employee ID"; "This journal is only for you. Your coach will read it every
# week and mention …"; "Nothing leaves the room, although the sessions are recorded").
_DISCLOSED = re.compile(
    r"\b(will be|are|is|get|gets) (\w+ ){0,2}(shared|reviewed|forwarded|sent|recorded|"
    r"published|shown|read out|passed on)\b|\b(coach|manager|hr|facilitator|trainer|"
    r"directors?|business partner)\b[^.?!]{0,40}\b(will )?(read|go through|review|mention)\w*"
    r"\b[^.?!]{0,50}\b(entries|journal|reflections|answers|group|call|session|report)\b|"
    r"\benter your (employee|staff|personnel) (id|number)\b|\b(sessions?|calls?) (are|is|will "
    r"be) recorded\b|\bnote: \w+ (are|is) (reviewed|read|shared)\b",
    re.IGNORECASE,
)
# Not a disclosure: what the learner is shown, or what a reader does not read.
_NOT_DISCLOSED = re.compile(
    r"\b(shown|shared|sent) to you\b|\bbut not\b|\bnot (your|the) (private )?(journal|"
    r"entries|reflections)\b",
    re.IGNORECASE,
)
_DISCLOSED_AFTER = re.compile(
    r"[^.?!]*\b(although|though|but|except|however)\b[^.?!]*\b(recorded|shared|reviewed|read "
    r"by)\b",
    re.IGNORECASE,
)


def _sentence_finding(
    code: str, text: str, s: Sentence, m: re.Match[str], rewrite: str | None
) -> Finding:
    """A finding of `code` on the words `m` found in sentence `s` of `text` (offsets into
    `text`), proposing `rewrite` for the whole sentence."""
    return Finding(
        code,
        s.start + m.start(),
        s.start + m.end(),
        text[s.start + m.start() : s.start + m.end()],
        rewrite,
        s.start,
        s.end,
    )


def findings_mismatch(findings: list[Finding]) -> bool:
    """Whether a broken promise about the audience was found already (it covers exposure)."""
    return any(f.code == "audience-mismatch" for f in findings)


def _safe_space(text: str, sents: list[Sentence], context: ReviewContext) -> list[Finding]:
    findings: list[Finding] = []
    real = Visibility(context.visibility) if context.visibility else None
    stated_any = False
    # The first privacy promise, for the check that it is not taken back (round 11).
    promised: tuple[Sentence, re.Match[str]] | None = None
    for s in sents:
        optional = _OPTIONAL.search(s.text) is not None
        promise = _privacy_promise(s.text)
        if promised is None and promise is not None:
            promised = (s, promise)
        audience = _AUDIENCE.search(s.text)
        if audience is not None and _about_another_kind(s.text, context.kind):
            audience = None
        stated_any = (
            stated_any
            or promise is not None
            or audience is not None
            or _READER_NAMED.search(s.text) is not None
        )
        if real is None:
            continue
        said: tuple[Visibility, re.Match[str]] | None = None
        if promise is not None:
            said = (Visibility.PRIVATE, promise)
        elif audience is not None and not optional:
            group = next(g for g in (audience.group(k) for k in _AUDIENCE_GROUPS) if g)
            said = (_GROUP_VISIBILITY[group.lower()], audience)
        if said is None or _LEVEL[said[0]] == _LEVEL[real]:
            continue
        # Round 11: "your coach reads this thread" where the cohort reads it too names one of
        # the readers, truly; only "only your coach" would promise fewer.
        if (
            said[0] == Visibility.COACH
            and _LEVEL[real] > _LEVEL[Visibility.COACH]
            and not _ONLY.search(s.text)
        ):
            continue
        # A private promise on a private item that also offers sharing is true.
        if said[0] == Visibility.PRIVATE and real == Visibility.PRIVATE:
            continue
        m = said[1]
        rest = _after_colon_or_so(s.text)
        rewrite = rules.tidy(f"{AUDIENCE_SENTENCES[real]} {rest}")
        findings.append(_sentence_finding("audience-mismatch", text, s, m, rewrite))
    if promised is not None and not findings_mismatch(findings):
        s, m = promised
        if any(
            _DISCLOSED.search(o.text)
            and not _OPTIONAL.search(o.text)
            and not _NOT_DISCLOSED.search(o.text)
            and not _about_another_kind(o.text, context.kind)
            for o in sents
            if o is not s
        ) or _DISCLOSED_AFTER.search(s.text, m.end()):
            findings.append(
                _sentence_finding(
                    "audience-mismatch",
                    text,
                    s,
                    m,
                    AUDIENCE_SENTENCES[real] if real is not None else None,
                )
            )
    for s in sents:
        named = _NAMES_OTHERS.search(s.text)
        if named is None or _GREETED_BY_NAME.search(s.text[: named.end()]):
            continue
        clause = re.split(r"[,;:]", s.text[: named.start()])[-1]
        if not re.search(r"\b(not|don't|no|never|without)\b", clause, re.I):
            m = named
            findings.append(
                _sentence_finding(
                    "names-others",
                    text,
                    s,
                    m,
                    rules.tidy(rules.DEFAULT_REWRITES["names-others"] or ""),
                )
            )
            break
    for s in sents:
        pressed = _PRESSURE_TO_SHARE.search(s.text)
        if pressed is None or findings_mismatch(findings):
            continue
        findings.append(
            _sentence_finding("exposure", text, s, pressed, rules.DEFAULT_REWRITES["exposure"])
        )
        break
    group_reads = real is not None and _LEVEL[real] >= _LEVEL[Visibility.CIRCLE]
    optional_anywhere = any(_OPTIONAL.search(s.text) for s in sents)
    for s in sents:
        invitation = _invites_sharing(s) and _VERY_PERSONAL.search(s.text)
        # Unstated audience: audience-missing below says it; a broken promise: the mismatch.
        if invitation is None or optional_anywhere or not stated_any or findings_mismatch(findings):
            continue
        if group_reads or _GROUP_SHARING.search(s.text):
            m = invitation
            findings.append(
                _sentence_finding("exposure", text, s, m, rules.DEFAULT_REWRITES["exposure"])
            )
            break
    if not stated_any:
        for s in sents:
            invitation = _invites_sharing(s)
            if invitation is None:
                continue
            m = invitation
            proposal = (
                rules.tidy(f"{AUDIENCE_SENTENCES[real]} {s.text}") if real is not None else None
            )
            findings.append(_sentence_finding("audience-missing", text, s, m, proposal))
            break  # one per text: the fix is one sentence saying who will read it
    return findings


# -- Reading level ----------------------------------------------------------------------------


@cache
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=1 << 16)
def syllables_of(word: str) -> int:
    """The syllables of one word, by pyphen's hyphenation points, memoised: pyphen's own memo
    still lower-cases the word and builds a list of its points on every call (about 30 µs; the
    1,000 prompts of `bench/review_text.py` read 22,000 words, most of them again)."""
    return len(_hyphenator().positions(word)) + 1


def reading_grade(sentence: str) -> tuple[float, int]:
    """The Flesch-Kincaid grade of one sentence and its word count. Syllables are counted by
    pyphen's hyphenation dictionary (a close, conservative estimate)."""
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", sentence)
    if not words:
        return 0.0, 0
    syllables = sum(map(syllables_of, words))
    return 0.39 * len(words) + 11.8 * syllables / len(words) - 15.59, len(words)


# Flesch's own way of counting sentences for his formula ("How to Write Plain English", step
# 3): "count as a sentence each full unit of speech marked off by a period, colon, semicolon,
# dash, question mark or exclamation point", but disregard a colon, semicolon or dash within a
# sentence (one that introduces a list, say). A part after such a mark is taken as a full unit
# only when it is certainly a clause: at least `_MIN_UNIT_WORDS` words with a subject pronoun,
# a question word or an auxiliary; a list or a fragment stays part of its sentence.
_UNIT_MARK = re.compile(r"\s*[;:]\s+|\s+[-\u2013\u2014]{1,2}\s+|\u2014")
_CLAUSE_CUE = re.compile(
    r"\b(i|you|we|they|he|she|it|there|please|what|how|why|who|which|when|where|is|are|was|were|be|"
    r"been|am|can|could|will|would|shall|should|may|might|must|do|does|did|has|have|had|"
    r"can't|won't|don't|doesn't|didn't|isn't|aren't|you're|it's|we're|they're|there's)\b",
    re.IGNORECASE,
)
_MIN_UNIT_WORDS = 4


def speech_units(sentence: str) -> list[str]:
    """`sentence` cut into Flesch's "full units of speech": at each colon, semicolon or dash
    that is followed by a clause (`_CLAUSE_CUE`, at least `_MIN_UNIT_WORDS` words); the units
    in order, joined back they are the sentence's words. One unit for most sentences."""
    units: list[str] = []
    pos = 0
    for m in _UNIT_MARK.finditer(sentence):
        head, tail = sentence[pos : m.start()], sentence[m.end() :]
        following = _UNIT_MARK.split(tail, maxsplit=1)[0]
        full = (
            len(re.findall(r"[A-Za-z]+", head)) >= _MIN_UNIT_WORDS
            and len(re.findall(r"[A-Za-z]+", following)) >= _MIN_UNIT_WORDS
            and _CLAUSE_CUE.search(following) is not None
        )
        if full:
            units.append(head)
            pos = m.end()
    units.append(sentence[pos:])
    return [u for u in units if u.strip()]


def text_grade(sentences_: list[str]) -> tuple[float, int]:
    """The Flesch-Kincaid grade of a text given as its sentences, and its word count: words per
    sentence and syllables per word over the whole text, sentences counted as Flesch counted
    them (`speech_units`). (0.0, 0) for a text without words."""
    graded = [reading_grade(u) for s in sentences_ for u in speech_units(s)]
    words = sum(n for _, n in graded)
    if not words:
        return 0.0, 0
    # Over the whole text: the weighted mean of the units' grades by their word counts.
    return sum(g * n for g, n in graded) / words, words


# -- The review ------------------------------------------------------------------------------


def _rule_findings(text: str, sents: list[Sentence]) -> list[Finding]:
    findings = []
    for s in sents:
        seen: set[tuple[str, int]] = set()
        # `rules.matches`: exactly the rules whose `unless` allows the sentence and whose
        # pattern is found, in RULES order, searching only those a literal prefilter admits.
        for rule, m in rules.matches(s.text):
            if (rule.code, m.start()) in seen:
                continue
            if rule.negatable and rules.negated(s.text, m.start()):
                continue
            # One finding per code and sentence: the first rule of a code carries the rewrite.
            if any(code == rule.code for code, _ in seen):
                continue
            seen.add((rule.code, m.start()))
            findings.append(
                Finding(
                    rule.code,
                    s.start + m.start(),
                    s.start + m.end(),
                    text[s.start + m.start() : s.start + m.end()],
                    rules.rewrite_sentence(rule, s.text, m),
                    s.start,
                    s.end,
                )
            )
    return findings


def _reading_findings(text: str, sents: list[Sentence], max_grade: float) -> list[Finding]:
    """One finding when the text as a whole (Flesch-Kincaid over all its sentences,
    `text_grade`) reads at a whole grade above `max_grade`, on its hardest sentence; a text
    under `MIN_GRADED_WORDS` words is not graded."""
    overall, words = text_grade([s.text for s in sents])
    if words < MIN_GRADED_WORDS:
        return []
    # The formula's score is a school grade and its fraction the way through that grade ("a
    # score of 9.3 means a ninth grader"): 12.6 is grade 12, within a level of "grade 12 at
    # most"; 13.0 is not.
    if math.floor(overall) <= max_grade:
        return []
    s = max(sents, key=lambda s: text_grade([s.text])[0])
    return [Finding("reading-level", s.start, s.end, text[s.start : s.end], None, s.start, s.end)]


_ADDRESSES = re.compile(r"\b(you|your|yours|yourself|yourselves)\b", re.IGNORECASE)


def review(
    text: str,
    *,
    context: ReviewContext | None = None,
    embedder: Embedder | None = None,
    model: ToneModel | None = None,
) -> Review:
    """Review one text a learner will read or answer.

    `text` is the designer's text as typed (Markdown or HTML allowed); `context` says where it
    is used (`ReviewContext`). `embedder` and `model` replace the shipped classifier (tests,
    experiments). Returns a `Review`; never raises on any string."""
    return review_many([text], context=context, embedder=embedder, model=model)[0]


@dataclass
class _Draft:
    text: str
    sents: list[Sentence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    probabilities: list[float] = field(default_factory=list)
    done: bool = False


def _prepare(text: str, context: ReviewContext) -> _Draft:
    draft = _Draft(text)
    if not text or not text.strip():
        draft.notes.append("empty")
        draft.done = True
        return draft
    if control_share(text[:MAX_REVIEW_CHARS]) > 0.05:
        draft.notes.append("not-text")
        draft.done = True
        return draft
    if len(text) > MAX_REVIEW_CHARS:
        draft.notes.append("truncated")
    body = text[:MAX_REVIEW_CHARS]
    draft.text = body
    if non_latin_share(body) > 0.5:
        draft.notes.append("other-script")
    draft.sents = sentences(mask_quotes(mask_markup(body)))
    draft.findings = _rule_findings(body, draft.sents)
    draft.findings += _safe_space(body, draft.sents, context)
    draft.findings += _reading_findings(body, draft.sents, context.max_grade)
    return draft


def _windows(sents: list[Sentence]) -> list[tuple[int, int]]:
    """The passages of a text as (first, last + 1) sentence indices: the whole text when it has
    up to `PASSAGE_SENTENCES` sentences, else runs of two or three sentences in a row that do
    not overlap — the fewest runs of at most `PASSAGE_SENTENCES`, as even as can be (7 → 3, 2,
    2), so no sentence is read alone and each is embedded once (round 7: overlapping windows
    embedded every sentence three times, two thirds of a programme review's cost); only
    passages that address the learner ("you", "your": statements and instructions as well as
    questions) in at least `MIN_PASSAGE_WORDS` words."""
    n = len(sents)
    runs = -(-n // PASSAGE_SENTENCES)  # the fewest runs of at most PASSAGE_SENTENCES (ceil)
    spans, start = [], 0
    for k in range(runs):
        size = n // runs + (k < n % runs)  # the longer runs first
        spans.append((start, start + size))
        start += size
    return [
        (i, j)
        for i, j in spans
        if any(_ADDRESSES.search(s.text) for s in sents[i:j])
        and sum(len(s.text.split()) for s in sents[i:j]) >= MIN_PASSAGE_WORDS
    ]


def _passage_text(sents: list[Sentence]) -> str:
    return " ".join(s.text for s in sents)


def passages(text: str) -> list[str]:
    """The passages of `text` (markup and quotes masked) the classifier reads when no rule
    explained them (`_windows`). Used to score texts the way the review does when the
    classifier is trained and cross-validated."""
    sents = sentences(mask_quotes(mask_markup(text)))
    return [_passage_text(sents[i:j]) for i, j in _windows(sents)]


def reads_whole(text: str) -> bool:
    """Whether the classifier reads `text` whole, as one passage (up to `PASSAGE_SENTENCES`
    sentences: a prompt), rather than in windows (a longer text: an article)."""
    return len(sentences(mask_quotes(mask_markup(text)))) <= PASSAGE_SENTENCES


def _candidates(draft: _Draft) -> list[tuple[int, int, str, bool]]:
    """The passages the classifier reads, as (start, end, text, whole): those of `_windows`
    holding no sentence a judgement rule already explained; `whole` when the passage is the
    whole of a short text (the model's `threshold`, else its `long_threshold`)."""
    whole = len(draft.sents) <= PASSAGE_SENTENCES
    judged = {
        (f.rewrite_start, f.rewrite_end) for f in draft.findings if f.category == Category.JUDGEMENT
    }
    out = []
    for i, j in _windows(draft.sents):
        run = draft.sents[i:j]
        if any((s.start, s.end) in judged for s in run):
            continue
        out.append((run[0].start, run[-1].end, _passage_text(run), whole))
    if len(out) > MAX_CLASSIFIER_SENTENCES:
        draft.notes.append("classifier-partial")
        out = out[:MAX_CLASSIFIER_SENTENCES]
    return out


def _finish(draft: _Draft) -> Review:
    findings = sorted(draft.findings, key=lambda f: (f.start, f.code))
    keep = 1.0
    for f in findings:
        keep *= 1.0 - (f.probability if f.probability is not None else RULE_WEIGHT)
    score = 1.0 - keep if findings else max(draft.probabilities, default=0.0) * 0.5
    return Review(bool(findings), round(min(max(score, 0.0), 1.0), 3), findings, draft.notes)


def review_many(
    texts: list[str],
    *,
    context: ReviewContext | None = None,
    embedder: Embedder | None = None,
    model: ToneModel | None = None,
) -> list[Review]:
    """Review many texts in the same context at once (the classifier embeds all their
    passages in shared batches): one `Review` per text, in order. Same rules as `review`."""
    context = context or ReviewContext()
    return review_each([(t, context) for t in texts], embedder=embedder, model=model)


def review_each(
    items: list[tuple[str, ReviewContext]],
    *,
    embedder: Embedder | None = None,
    model: ToneModel | None = None,
) -> list[Review]:
    """Review many texts, each in its own context (a programme's activities: each kind has
    its own visibility), with one embedding of all their passages: the embedder sorts them
    by length into batches, so many small texts pad less than one call per activity. One
    `Review` per (text, context), in order; the same reviews as `review` one by one."""
    tone_model = (model or default_model()) if any(c.classifier for _, c in items) else None
    emb = (embedder or default_embedder()) if tone_model is not None else None
    with ThreadPoolExecutor(max_workers=1) as worker:
        # A first review in this process loads the model while the rules read (round 8).
        if emb is not None and not getattr(emb, "loaded", True):
            worker.submit(emb.load)  # type: ignore[attr-defined]
        drafts = [_prepare(text, context) for text, context in items]
    read = [d for d, (_, c) in zip(drafts, items, strict=True) if c.classifier and not d.done]
    if read:
        if tone_model is None or emb is None:
            for d in read:
                d.notes.append("classifier-off")
        else:
            _classify(read, tone_model, emb)
    return [_finish(d) for d in drafts]


def review_stream(
    texts: Iterable[str],
    *,
    context: ReviewContext | None = None,
    chunk: int = STREAM_CHUNK,
    embedder: Embedder | None = None,
    model: ToneModel | None = None,
) -> Iterator[Review]:
    """Review many texts in the same context, `chunk` at a time, yielding one `Review` per
    text in order: the same reviews as `review_many`, sooner. While the classifier embeds one
    chunk's passages (onnxruntime, outside the GIL), the rules read the next chunk; the model
    loads while the rules read the first. For `manage.py review_text`."""
    context = context or ReviewContext()
    tone_model = (model or default_model()) if context.classifier else None
    items = iter(texts)
    if tone_model is None:
        while batch := list(islice(items, chunk)):
            yield from review_many(batch, context=context, embedder=embedder, model=model)
        return
    tone = tone_model
    emb = embedder or default_embedder()
    with ThreadPoolExecutor(max_workers=1) as worker:
        load = getattr(emb, "load", None)
        if load is not None:
            worker.submit(load)  # the session loads while the first chunk's rules run
        pending: tuple[list[_Draft], Future[None]] | None = None
        while batch := list(islice(items, chunk)):
            drafts = [_prepare(t, context) for t in batch]
            classified = worker.submit(_classify, [d for d in drafts if not d.done], tone, emb)
            if pending is not None:
                pending[1].result()
                yield from (_finish(d) for d in pending[0])
            pending = (drafts, classified)
        if pending is not None:
            pending[1].result()
            yield from (_finish(d) for d in pending[0])


def _classify(drafts: list[_Draft], tone_model: ToneModel, embedder: Embedder) -> None:
    """Add each draft's `tone` finding (one per text, on its most judging passage at or above
    the model's threshold for it) and its passages' probabilities."""
    jobs = [(d, c) for d in drafts for c in _candidates(d)]
    if not jobs:
        return
    texts = [c[2] for _, c in jobs]
    vectors = embedder.embed(texts)
    probabilities = tone_model.probabilities(vectors, texts)
    best: dict[int, tuple[float, int, int]] = {}
    for (d, (start, end, _, whole)), p in zip(jobs, probabilities, strict=True):
        d.probabilities.append(float(p))
        limit = tone_model.limit(whole=whole)
        if p >= limit and p > best.get(id(d), (0.0, 0, 0))[0]:
            best[id(d)] = (float(p), start, end)
    for d in drafts:
        if id(d) in best:
            p, start, end = best[id(d)]
            d.findings.append(
                Finding(
                    "tone",
                    start,
                    end,
                    d.text[start:end],
                    None,
                    start,
                    end,
                    probability=round(p, 3),
                )
            )
