"""Markdown to safe HTML for articles and instructions, and for what people write.

Raw HTML stays off in the parser (markdown-it passes `<script>` through when it is on), and the
output is sanitised by nh3 anyway, so a designer's text can never inject script.

`render_markdown` memoises (programme content only: every member may read it, and it changes
with a designer's edit). What a person types (posts, replies) goes through
`render_untrusted_markdown`, which keeps no copy (docs/architecture.md, "Caches hold no private
text").
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    "table"
)
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3",
    "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


# What people write is shown inside an article whose heading is the author's name (h3 for a
# post, h4 for a reply, other levels elsewhere): a heading in their text would break the page's
# outline, so it is printed as a bold paragraph instead, and heading tags are not allowed.
_PEOPLES_TAGS = _ALLOWED_TAGS - {"h2", "h3", "h4"}


def _bold_paragraph_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return "<p><strong>"


def _bold_paragraph_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return "</strong></p>\n"


_md_people = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": True}
).enable("table")
_md_people.add_render_rule("heading_open", _bold_paragraph_open)
_md_people.add_render_rule("heading_close", _bold_paragraph_close)


def _clean(html: str, tags: set[str] = _ALLOWED_TAGS) -> Markup:
    clean = nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # sanitised by nh3 just above


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> Markup:
    return _clean(_md.render(text or ""))


def render_untrusted_markdown(
    text: str, *, transform: Callable[[str], str] | None = None
) -> Markup:
    """Markdown a person typed, as sanitised HTML, without keeping a copy. `transform` may
    rewrite the parser's HTML before it is sanitised (mentions); whatever it produces is cleaned
    by nh3 like the rest, so it cannot inject markup the allow-list refuses. A heading they
    write ("## My plan") is a bold paragraph: their text sits under a heading of the page's
    own (the author's name), and its levels are the page's, not theirs."""
    html = _md_people.render(text or "")
    if transform is not None:
        html = transform(html)
    return _clean(html, _PEOPLES_TAGS)
