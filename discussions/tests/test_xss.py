"""Posts are untrusted: every payload renders as inert text in the thread page, the htmx
reactions fragment, the history page and the activity page's panel (notifications and emails
never carry post text at all: see test_notifications)."""

import re
from html.parser import HTMLParser
from typing import Any

from django.test import SimpleTestCase
from django.urls import reverse

from discussions import actions
from discussions.models import Post
from discussions.tests.test_thread_page import ThreadTestCase
from discussions.threads import render_body

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](\tjavascript:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click]( javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<iframe src="https://evil.example"></iframe>',
    "<<script>script>alert(1)<</script>/script>",
    "<a href='x' onclick='alert(1)'>unclosed",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1))',
    "[ref]\n\n[ref]: javascript:alert(1)",
    "@[<img src=x onerror=alert(1)>]",
    '[@[Bob](https://x.example "@[Bob]")](https://y.example)',
    "```\n</code><script>alert(1)</script>\n```",
    "<form action=https://evil.example><button>Go</button></form>",
]

ALLOWED_IN_POSTS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3",
    "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads from an attribute's URL (WHATWG URL parsing: leading and
    trailing controls and spaces dropped, tabs and line breaks removed anywhere), or None for
    a relative URL."""
    cleaned = re.sub(
        r"[\t\n\r]",
        "",
        value.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
            "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
            "\x1e\x1f \t\n\r"
        ),
    )
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


class _Audit(HTMLParser):
    """Every element and attribute of a piece of HTML, as a browser's parser sees it."""

    def __init__(self, allowed: set[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if self.allowed is not None and tag not in self.allowed:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not ("src" in names and "nonce" in names):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "formaction", "srcdoc"}:
                self.problems.append(f"{tag} {name}=")
            if (
                name in {"href", "src", "action", "xlink:href"}
                and value is not None
                and url_scheme(value) not in {None, "http", "https", "mailto"}
            ):
                self.problems.append(f"{tag} {name}={value!r}")


def dangerous_parts(html: str, allowed: set[str] | None = ALLOWED_IN_POSTS) -> list[str]:
    """What in `html` could run script or load something: elements outside the allow-list
    (when given), event-handler and style attributes, inline scripts, unsafe URL schemes."""
    audit = _Audit(allowed)
    audit.feed(html)
    audit.close()
    return audit.problems


class RenderTests(SimpleTestCase):
    def test_every_payload_renders_inert(self) -> None:
        for payload in PAYLOADS:
            html = str(render_body(Post(body=payload)))
            self.assertEqual(dangerous_parts(html), [], f"{payload!r} → {html!r}")

    def test_ordinary_markdown_and_safe_links_survive(self) -> None:
        html = str(render_body(Post(body="**warm** [site](https://example.com) @[Amara Okafor]")))
        self.assertIn("<strong>warm</strong>", html)
        self.assertIn('href="https://example.com"', html)
        self.assertIn('rel="noopener noreferrer"', html)
        self.assertIn("<strong>@Amara Okafor</strong>", html)


class PagesTests(ThreadTestCase):
    def test_payloads_are_inert_in_the_page_fragment_history_and_panel(self) -> None:
        actions.create_post(self.thread, author=self.alice, body="My answer")
        for payload in PAYLOADS:
            post = actions.create_post(self.thread, author=self.bob, body=payload)
        actions.edit_post(post, by=self.bob, body=PAYLOADS[0] + " edited")
        pages = {}
        self.client.force_login(self.alice)
        pages["thread"] = self.client.get(self.thread_url())
        pages["fragment"] = self.client.post(
            reverse("discussions:react", args=[post.public_id]),
            {"kind": "thanks"},
            HTTP_HX_REQUEST="true",
        )
        pages["panel"] = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, self.prompt.public_id])
        )
        self.client.force_login(self.bob)
        pages["history"] = self.client.get(reverse("discussions:history", args=[post.public_id]))
        for name, response in pages.items():
            self.assertEqual(response.status_code, 200, name)
            html = response.content.decode()
            # Inside each post's text: nothing but the allowed, inert markup.
            for body in re.findall(r'<div class="prose[^"]*">(.*?)</div>', html, re.S):
                self.assertEqual(dangerous_parts(body), [], f"{name}: {body!r}")
            # The whole page: no handler, no unsafe URL, no script but the page's own.
            self.assertEqual(dangerous_parts(html, allowed=None), [], name)
            self.assertNotIn("alert(1)</script>", html, name)


class PrintedNamesTests(ThreadTestCase):
    """What people typed besides a post's text — their name, a pseudonym, a moderator's reason
    — comes out escaped everywhere the thread page prints it, in every form the author's name
    takes (discussions.models.author_label: the real name, the pseudonym, the pseudonym with
    the real name). The page prints ids, anchors, addresses and counts without escaping them
    in Python (rapport.jinja2.output_escape, the template's unpacked PostView): this fails if
    any person's text were ever put on that path."""

    NAME = 'Bob <script>alert(1)</script>" onmouseover="alert(2)'
    PSEUDONYM = '"onmouseover=alert(3) <script>'
    REASON = '<script>alert(4)</script>" onmouseover="alert(5)'

    def page(self, person: Any, thread: Any) -> str:
        self.client.force_login(person)
        response = self.client.get(self.thread_url(thread))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        # The viewer's drafts ride in a JSON script of the page's own (checked on its own).
        drafts = re.search(r'<script [^>]*id="reply-drafts">(.*?)</script>', html, re.S)
        if drafts:
            self.assertNotIn("<", drafts.group(1))
            html = html.replace(drafts.group(0), "")
        self.assertEqual(dangerous_parts(html, allowed=None), [])
        for typed in (self.NAME, self.PSEUDONYM, self.REASON):
            self.assertNotIn(typed, html)
        return html

    def test_names_pseudonyms_and_reasons_are_escaped_for_every_reader(self) -> None:
        from markupsafe import escape

        from moderation.actions import block_author

        self.bob.full_name = self.NAME
        self.bob.save()
        name, pseudonym, reason = (str(escape(t)) for t in (self.NAME, self.PSEUDONYM, self.REASON))
        shown = actions.create_post(self.community, author=self.bob, body="Under my name")
        actions.edit_post(shown, by=self.bob, body="Under my name, edited")
        actions.create_post(self.community, author=self.alice, body="A reply", parent=shown)
        hidden = actions.create_post(self.community, author=self.bob, body="Hidden")
        actions.hide_post(hidden, by=self.carol, reason=self.REASON)
        actions.save_draft(self.community, user=self.alice, key=str(shown.public_id), body="x")
        actions.create_post(self.thread, author=self.alice, body="My answer")
        masked = actions.create_post(
            self.thread, author=self.bob, body="Masked", pseudonym=self.PSEUDONYM
        )
        actions.create_post(self.thread, author=self.carol, body="Coach", parent=masked)

        # A peer: the real name (heading, replies' label, "Continue your reply to", report
        # and block labels), the pseudonym alone.
        html = self.page(self.alice, self.community)
        self.assertGreaterEqual(html.count(name), 5)
        self.assertIn(f"Continue your reply to {name}", html)
        html = self.page(self.alice, self.thread)
        self.assertGreaterEqual(html.count(pseudonym), 4)
        self.assertNotIn(name, html)
        # The author: their pseudonym with their real name, the reason their post was hidden.
        html = self.page(self.bob, self.thread)
        self.assertIn(f"{pseudonym} ({name})", html)
        html = self.page(self.bob, self.community)
        self.assertIn(reason, html)
        # A moderator: the pseudonym with the real name, the history link's label, the reason.
        html = self.page(self.carol, self.thread)
        self.assertGreaterEqual(html.count(f"{pseudonym} ({name})"), 3)
        html = self.page(self.carol, self.community)
        self.assertIn(f"of this post by {name}", html)
        self.assertIn(reason, html)
        # A reader who blocked both names: the posts collapsed under them.
        block_author(shown, blocker=self.alice)
        block_author(masked, blocker=self.alice)
        self.assertIn(name, self.page(self.alice, self.community))
        self.assertIn(pseudonym, self.page(self.alice, self.thread))
