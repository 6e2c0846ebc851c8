"""A page's post articles, printed from the article macro's output kept per *shape*.

A thread page prints 78 articles through one Jinja macro (`templates/discussions/_post.html`,
`post_article`), and that macro was the largest part of the page's CPU after seven rounds of
work (docs/performance.md, "Articles printed by shape"). Most of what it prints is the same
for every post: the markup, the translated words, which buttons there are. What differs from
one post to the next is a handful of values — its id, author's label, text, times, the
reactions' counts, where its skip link goes, the page's CSRF field — and which branches the
macro takes (a reply or not, the reader's own post or not, new, collapsed, edited, deleted,
hidden, each reaction given by the reader or counted).

So the macro is rendered once per shape (those branches, the reactions' kinds, the page's
`closed` and `moderator`, the language) with a marker in place of every value, split at the
markers into a format string, and kept; a post of that shape is then printed by putting its
values, escaped as the macro escapes them, into the holes (`%`: one C call).

What is kept holds no private text (docs/architecture.md, "Caches hold no private text"):
markup, the language's translations of the template's literal words and the reaction kinds'
labels, and holes — never a post's id, text, author, time or count, which are the holes'
values and come from the page's own rows, read through the rule, on every request. Only the
macro's output for a shape is split at the markers (`\\x00`, which neither the template's
literal text nor a translation holds); a post's values are put into the holes afterwards and
never split. A shape whose output depends on a value other than through its holes (two
renderings with different markers disagree) is never kept: it is printed by the macro every
time.
"""

import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any, NamedTuple

from django.template.loader import get_template
from django.utils import translation
from markupsafe import Markup

from discussions.threads import PostView, ReactionView, post_links_maker
from rapport.jinja2 import output_escape

# The holes' numbers, in the order `_values` gives them (reaction counts follow, one a kind).
_KEY, _LABEL, _BODY, _WHEN, _ISO, _SKIP_TO, _REASON, _CSRF, _COUNTS = range(9)

#: Shapes kept per process before the memo starts again. A page's posts share a few dozen;
#: every combination of branches and reactions is a few thousand.
MAX_SHAPES = 4096

_shapes: dict[tuple[Any, ...], "Skeleton | None"] = {}


def _marker(number: int, style: int) -> str:
    # Letters, digits and NUL only: escaping leaves it as it is, and no text holds a NUL.
    return f"\x00{'ab'[style]}{number}\x00"


_MARKERS = re.compile("\x00([ab])([0-9]+)\x00")


class _MarkedRow(NamedTuple):
    """The four fields of a `PostRow` the article reads, with a marker for its words."""

    edited_at: bool | None
    deleted_at: bool | None
    hidden_at: bool | None
    hidden_reason: str


class Skeleton(NamedTuple):
    """The article macro's output for one shape: `template`, a `%`-format string with a `%s`
    for each hole in the order they come (the literal text's `%` doubled); `holes`, the number
    of the value each takes, in `_values`' order (a value may fill several holes: the key
    fills a dozen); `fill`, the function from a post's values to its article. `%` with the
    values picked by an `itemgetter`, rather than `str.format`, which parsed the
    1,500-character template again for each post (2.2 against 9.3 µs a post)."""

    template: str
    holes: tuple[int, ...]
    fill: Callable[[tuple[str, ...]], Markup]


def _filler(template: str, holes: tuple[int, ...]) -> Callable[[tuple[str, ...]], Markup]:
    if not holes:
        return lambda values: Markup(template)
    if len(holes) == 1:
        (only,) = holes
        return lambda values: Markup(template % (values[only],))
    pick = itemgetter(*holes)
    return lambda values: Markup(template % pick(values))


def shape_of(pv: PostView, level: int) -> tuple[Any, ...]:
    """What the article macro branches on for `pv` at `level` (1 a post, 2 a reply), as a
    tuple: every branch taken and each reaction's kind, label, whether it is the reader's and
    whether it has a count. Two posts of one shape differ only in their holes' values."""
    return _shape(pv, level, _reactions_shape(pv.reactions))


def _reactions_shape(reactions: list[ReactionView]) -> tuple[Any, ...]:
    return tuple([(kind, label, mine, total > 0) for kind, label, total, mine in reactions])


def _shape(pv: PostView, level: int, reactions: tuple[Any, ...]) -> tuple[Any, ...]:
    post = pv.post
    return (
        level,
        pv.is_mine,
        pv.is_new,
        pv.collapsed,
        pv.counted,
        pv.skip_to == "write",
        post.edited_at is not None,
        post.deleted_at is not None,
        post.hidden_at is not None,
        reactions,
    )


def _values(pv: PostView, csrf: str) -> tuple[str, ...]:
    """`pv`'s holes, each as the macro prints it: text escaped (`{{ value }}` and a `_()`
    variable escape alike), the sanitised body and the CSRF field as they are."""
    post = pv.post
    return (
        output_escape(pv.key),
        output_escape(pv.label),
        pv.body_html,
        output_escape(pv.when),
        output_escape(pv.iso),
        output_escape(pv.skip_to),
        output_escape(post.hidden_reason),
        csrf,
        *[str(total) for _kind, _label, total, _mine in pv.reactions],
    )


def _marked(pv: PostView, style: int) -> PostView:
    """`pv` with a marker for each hole's value, and its branches' values kept."""
    post = pv.post
    key = _marker(_KEY, style)
    count = _COUNTS
    reactions = []
    for kind, label, total, mine in pv.reactions:
        reactions.append(ReactionView(kind, label, _marker(count, style) if total else 0, mine))  # type: ignore[arg-type]
        count += 1
    return PostView(
        _MarkedRow(  # type: ignore[arg-type]
            True if post.edited_at is not None else None,
            True if post.deleted_at is not None else None,
            True if post.hidden_at is not None else None,
            _marker(_REASON, style),
        ),
        _marker(_LABEL, style),
        Markup(_marker(_BODY, style)),
        pv.is_mine,
        pv.is_new,
        reactions,
        pv.collapsed,
        [],
        key,
        post_links_maker()(key),
        _marker(_WHEN, style),
        pv.counted,
        _marker(_ISO, style),
        f"post-{key}",
        pv.skip_to if pv.skip_to == "write" else _marker(_SKIP_TO, style),
    )


def _macro(template: Any, csrf: str) -> Callable[..., Markup]:
    """`post_article` from a module of the article's template made with nothing of the
    request's context but the CSRF field `csrf` (and the environment's globals: `_`, `url`…,
    which read only the active language and the URLconf): what it prints can hold nothing of
    the request but its arguments and that field."""
    module = template.make_module({"csrf_field": Markup(csrf)})
    return module.post_article  # type: ignore[no-any-return]


def _skeleton(
    template: Any, pv: PostView, level: int, closed: bool, moderator: bool
) -> Skeleton | None:
    """The article macro's output for `pv`'s shape as a Skeleton, or None when two renderings
    with different markers do not agree once the markers are numbered alike (the output
    depends on a value other than through a hole: it cannot be kept)."""
    forms = []
    for style in (0, 1):
        macro = _macro(template, _marker(_CSRF, style))
        forms.append(str(macro(_marked(pv, style), level, closed, moderator)))
    numbered = [_MARKERS.sub(lambda m: f"\x00{m.group(2)}\x00", form) for form in forms]
    if numbered[0] != numbered[1]:
        return None
    pieces = numbered[0].split("\x00")  # literal, number, literal, number, …, literal
    template_text = "%s".join(piece.replace("%", "%%") for piece in pieces[::2])
    holes = tuple(int(number) for number in pieces[1::2])
    return Skeleton(template_text, holes, _filler(template_text, holes))


def article_printer(closed: bool, moderator: bool, csrf: Any) -> Callable[[PostView, int], Markup]:
    """For one page: a function `article(pv, level)` giving exactly what the macro
    `post_article(pv, level, closed, moderator)` of templates/discussions/_post.html gives
    with `csrf` as its CSRF field (the page's `csrf_input`), printed from the memo of its
    output by shape. Raises ValueError without a CSRF field (the posts' forms need it).
    Takes a `PostView` made by `post_views_maker`, whose anchor and links are made from its
    key (the holes of all three are the key's)."""
    # Jinja's own template, which the backend's wraps: a new one once DEBUG reloads the file.
    template = get_template("discussions/_post.html").template  # type: ignore[attr-defined]
    if not csrf:
        raise ValueError("A page's articles need the page's CSRF field (csrf_input(request)).")
    csrf_text = output_escape(csrf)  # as the macro prints `{{ csrf }}`: a SafeString as it is
    language = translation.get_language()
    fallback: list[Callable[..., Markup]] = []

    # Most posts share one list of reactions (nobody reacted: discussions.threads
    # `_reaction_views`): a list's shape is worked out once a page. Each list is kept with its
    # shape, so that its id is not another's while the page is printed.
    seen: dict[int, tuple[list[ReactionView], tuple[Any, ...]]] = {}

    def article(pv: PostView, level: int) -> Markup:
        reactions = pv.reactions
        known = seen.get(id(reactions))
        if known is not None and known[0] is reactions:
            reactions_shape = known[1]
        else:
            reactions_shape = _reactions_shape(reactions)
            seen[id(reactions)] = (reactions, reactions_shape)
        key = (template, language, closed, moderator, _shape(pv, level, reactions_shape))
        skeleton = _shapes.get(key, False)
        if skeleton is False:
            if len(_shapes) >= MAX_SHAPES:
                _shapes.clear()
            skeleton = _shapes[key] = _skeleton(template, pv, level, closed, moderator)
        if skeleton is None:  # printed by the macro itself
            if not fallback:
                fallback.append(_macro(template, csrf_text))
            return fallback[0](pv, level, closed, moderator)
        return skeleton.fill(_values(pv, csrf_text))  # type: ignore[union-attr]

    return article
