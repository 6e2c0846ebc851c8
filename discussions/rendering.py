"""A post's text as the page shows it: its Markdown rendered and sanitised, mentions in bold.

Rendered once, when the text is written (`discussions.actions` stores it in `Post.body_html`),
rather than for every post of every page view: the Markdown of 78 posts was about a fifth of a
thread page's CPU (docs/performance.md). Nothing is kept in memory: post text is private
(docs/architecture.md, "Caches hold no private text").
"""

from markupsafe import Markup

from discussions.mentions import highlight_mentions
from rapport.lib.markdown import render_untrusted_markdown


def render_post_html(body: str) -> str:
    """The sanitised HTML of a post's Markdown source `body` (nh3 cleans it, mentions in bold);
    "" for an empty body. Safe to mark up as is."""
    if not body:
        return ""
    return str(render_untrusted_markdown(body, transform=highlight_mentions))


def stored_html(body_html: str) -> Markup:
    """HTML that `render_post_html` produced and the database kept, to put on a page. It was
    sanitised when it was written; only the app's actions write the column."""
    return Markup(body_html)  # sanitised by nh3 when written (render_post_html)
