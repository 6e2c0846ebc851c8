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


def _clean(html: str) -> Markup:
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
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
    by nh3 like the rest, so it cannot inject markup the allow-list refuses."""
    html = _md.render(text or "")
    if transform is not None:
        html = transform(html)
    return _clean(html)
