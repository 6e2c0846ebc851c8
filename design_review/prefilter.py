"""Required literals of a regular expression: a cheap test that rules out most searches.

For a compiled pattern, `required(pattern)` proves from its parse tree (`re._parser`) a set of
lower-case strings of which at least one must occur in any text the pattern can find a match in,
or returns None when no such set can be proven. A text is first brought to `fold(text)` (lower
case, every run of white space made one space); then `any(lit in fold(text) for lit in req)` is
False only when `pattern.search(text)` is certainly None. The test is conservative: every part
of a pattern it does not understand (a character class, a back-reference, a look-around, a
non-ASCII letter, a literal white-space character, a conditional group) is treated as "could be
anything" and at worst costs the rule its prefilter, never a match.

Why the folding is sound:
- Case: the literals are ASCII and lower-cased. A text character that matches an ASCII letter
  under `re.IGNORECASE` lower-cases to that letter, except four (`UNSAFE_FOLDS`: capital I with
  dot, dotless i, long s, the Kelvin sign); a text holding any of them is not prefiltered.
- Space: a white-space class repeated (`\\s+`, `\\s*`, `\\s{1,3}`) or a single `\\s` stands
  for " " or "" in a literal, runs of spaces in a literal are collapsed, and the text's runs
  of white space are collapsed the same way, so a match's text, folded, still contains the
  folded literal.
"""

import re
from itertools import product
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

# Characters that match an ASCII letter under re.IGNORECASE but do not lower-case to it
# (Python's documentation of re.IGNORECASE names these four; a test checks every code point).
UNSAFE_FOLDS = frozenset("\u0130\u0131\u017f\u212a")

# A literal set is kept only while it is small; longer products are cut into separate runs.
MAX_STRINGS = 32

_SPACE = re.compile(r"\s+")
_ALNUM = re.compile(r"[a-z0-9]+")
# Stands in a literal for \b: the letters or digits beside it end a word of the text there.
BOUND = "\x00"

# The set of strings a node matches exactly (None: unknown or too many), and the best set of
# strings of which one must occur in what it matches (None: nothing can be proven).
_Info = tuple[frozenset[str] | None, frozenset[str] | None]

_EMPTY: frozenset[str] = frozenset({""})
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def fold(text: str) -> str | None:
    """`text` lower-cased with each run of white space made one space, or None when it holds a
    character (`UNSAFE_FOLDS`) for which lower-casing is not what `re.IGNORECASE` does."""
    if not text.isascii() and not UNSAFE_FOLDS.isdisjoint(text):
        return None
    return _SPACE.sub(" ", text.lower())


def _squeeze(s: str) -> str:
    while "  " in s:
        s = s.replace("  ", " ")
    return s


def _score(req: frozenset[str]) -> tuple[int, int, int, int]:
    """Higher is more selective: the shortest of the literals' keys, then the most keys that
    are whole words, the shortest literal, and fewer literals."""
    found = [_key(s) for s in req]
    return (
        min(len(k) for k, _ in found),
        sum(whole for _, whole in found),
        min(len(s) for s in req),
        -len(req),
    )


def _useful(req: frozenset[str] | None) -> bool:
    """Whether a requirement rules anything out: every literal holds a letter or digit."""
    return req is not None and bool(req) and all(_ALNUM.search(s) for s in req)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two proven requirements (either may be None)."""
    if not _useful(a):
        return b if _useful(b) else None
    if not _useful(b):
        return a
    assert a is not None and b is not None
    return a if _score(a) >= _score(b) else b


def _cat(a: frozenset[str], b: frozenset[str]) -> frozenset[str] | None:
    out = frozenset(_squeeze(x + y) for x, y in product(a, b))
    return out if len(out) <= MAX_STRINGS else None


def _is_space_class(op: Any, av: Any) -> bool:
    """Whether one item matches exactly the white space that `\\s` matches."""
    if op == C.IN:
        return list(av) == [(C.CATEGORY, C.CATEGORY_SPACE)]
    return bool(op == C.CATEGORY and av == C.CATEGORY_SPACE)


def _literal(code: int) -> frozenset[str] | None:
    ch = chr(code)
    if not ch.isascii() or ch.isspace():
        return None
    return frozenset({ch.lower()})


def _in_literals(items: Any) -> frozenset[str] | None:
    """A character class of plain ASCII literals only ("[sz]"), as its lower-cased letters."""
    out: set[str] = set()
    for op, av in items:
        if op != C.LITERAL:
            return None
        lit = _literal(av)
        if lit is None:
            return None
        out |= lit
    return frozenset(out) if out else None


def _node(op: Any, av: Any) -> _Info:
    """What one parse-tree item matches: (exact strings, requirement)."""
    if op == C.LITERAL:
        return _literal(av), _literal(av)
    if _is_space_class(op, av):
        return frozenset({" "}), None
    if op == C.IN:
        exact = _in_literals(av)
        return exact, exact
    if op == C.AT:
        # An anchor matches no characters; \b is kept as a mark, which says the letters beside
        # it are a whole word of the text.
        return (frozenset({BOUND}) if av == C.AT_BOUNDARY else _EMPTY), None
    if op in (C.ASSERT, C.ASSERT_NOT):
        return _EMPTY, None  # a look-around adds no characters to the match; its own are ignored
    if op == C.SUBPATTERN:
        _group, _add, _del, sub = av
        return _seq(sub)
    if op == getattr(C, "ATOMIC_GROUP", None):
        return _seq(av)
    if op == C.BRANCH:
        _, branches = av
        infos = [_seq(b) for b in branches]
        exacts = [e for e, _ in infos]
        exact = (
            frozenset().union(*exacts)  # type: ignore[arg-type]
            if all(e is not None for e in exacts)
            else None
        )
        if exact is not None and len(exact) > MAX_STRINGS:
            exact = None
        reqs = [r for _, r in infos]
        req = (
            frozenset().union(*reqs)  # type: ignore[arg-type]
            if all(r is not None and "" not in r for r in reqs)
            else None
        )
        return exact, req
    if op in _REPEATS:
        lo, hi, sub = av
        exact, req = _seq(sub)
        if _is_whitespace_only(sub) and exact is not None:
            # \s+, \s*, \s{1,3}: one space or none, once white space is collapsed.
            return (frozenset({" "}) if lo >= 1 else frozenset({"", " "})), None
        if lo == 0:
            if hi == 1 and exact is not None:
                return exact | _EMPTY, None  # an optional part: "s?", "( just)?"
            return None, None
        if lo == hi == 1:
            return exact, req
        return None, req
    # ANY, NOT_LITERAL, CATEGORY (other than \s), GROUPREF, GROUPREF_EXISTS, ranges: unknown.
    return None, None


def _is_whitespace_only(sub: Any) -> bool:
    return len(sub) == 1 and _is_space_class(*sub[0])


def _seq(items: Any) -> _Info:
    """What a sequence matches: the exact strings when every item's are known, and the best
    requirement among its runs of known items and its items' own requirements."""
    best: frozenset[str] | None = None
    run: frozenset[str] | None = _EMPTY
    whole: frozenset[str] | None = _EMPTY
    for op, av in items:
        exact, req = _node(op, av)
        best = _better(best, req)
        if exact is None:
            best = _better(best, run)
            run, whole = _EMPTY, None
            continue
        joined = _cat(run, exact) if run is not None else None
        if joined is None:
            best = _better(best, run)
            joined = exact
        run = joined
        whole = _cat(whole, exact) if whole is not None else None
    best = _better(best, run)
    return whole, best


def _requirement(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """`required`, its literals still holding their \b marks."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        tree = P.parse(pattern.pattern, pattern.flags)
    except Exception:  # a construct this version's parser reads differently: no prefilter
        return None
    _, req = _seq(tree)
    return req if _useful(req) else None


def required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The lower-case strings of which at least one occurs in `fold(text)` whenever
    `pattern.search(text)` finds a match, or None when no such set can be proven (then the
    pattern must always be searched). Never raises on a pattern `re` compiled."""
    req = _requirement(pattern)
    return None if req is None else frozenset(_squeeze(s.replace(BOUND, "")) for s in req)


def _key(literal: str) -> tuple[str, bool]:
    """The key of one literal (with its \b marks): its longest run of letters and digits that
    is a whole word of any text the literal occurs in (bounded on both sides, inside the
    literal, by another character or a \b mark), else its longest run at all; and whether it
    is a whole word."""
    runs = [(m.group(), m.start(), m.end()) for m in _ALNUM.finditer(literal)]
    whole = [w for w, a, b in runs if a > 0 and b < len(literal)]
    if whole:
        return max(whole, key=len), True
    return (max((w for w, _, _ in runs), key=len) if runs else ""), False


def keys(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """What to look for in a folded text before searching `pattern`: (words, substrings), the
    pattern can match only if one of the words is a whole word (`WORD` run) of `fold(text)` or
    one of the substrings occurs in it; None when nothing can be proven (always search)."""
    req = _requirement(pattern)
    if req is None:
        return None
    words: set[str] = set()
    subs: set[str] = set()
    for literal in req:
        key, whole = _key(literal)
        (words if whole else subs).add(key)
    return tuple(sorted(words)), tuple(sorted(subs))


Keys = tuple[tuple[str, ...], tuple[str, ...]]


class Index:
    """Which of a list of patterns (each given by its `keys`, None for "always search") may
    match a text: `candidates(text)` is a superset, in order, of the indices of the patterns
    whose `search(text)` finds a match."""

    def __init__(self, keyed: list[Keys | None]) -> None:
        self.size = len(keyed)
        self.always = frozenset(i for i, k in enumerate(keyed) if k is None)
        words: dict[str, list[int]] = {}
        subs: dict[str, list[int]] = {}
        for i, k in enumerate(keyed):
            if k is None:
                continue
            for word in k[0]:
                words.setdefault(word, []).append(i)
            for sub in k[1]:
                subs.setdefault(sub, []).append(i)
        self.words = {w: tuple(ids) for w, ids in words.items()}
        self.subs = tuple((s, tuple(ids)) for s, ids in subs.items())

    def candidates(self, text: str) -> list[int]:
        """The indices of the patterns that may match `text`, ascending (all of them when the
        text cannot be folded safely)."""
        folded = fold(text)
        if folded is None:
            return list(range(self.size))
        found = set(self.always)
        words = self.words
        for word in set(_ALNUM.findall(folded)):
            ids = words.get(word)
            if ids is not None:
                found.update(ids)
        for sub, ids in self.subs:
            if sub in folded:
                found.update(ids)
        return sorted(found)
