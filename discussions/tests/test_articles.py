"""Post articles printed by shape (discussions.articles, docs/performance.md "Articles printed
by shape"): for every branch of the article macro and every awkward value, what is printed is
exactly what the macro prints; what is kept holds none of a post's values; and a thread page
printed from shapes another person's pages made is the page its reader gets from the macro."""

import itertools
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from unittest import mock

from django.template.loader import get_template
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation
from markupsafe import Markup

from discussions import actions, articles
from discussions.models import Post, ReactionKind
from discussions.threads import PostRow, PostView, ReactionView, post_links_maker
from rapport.testing import PersonaTestCase

CSRF = Markup('<input type="hidden" name="csrfmiddlewaretoken" value="Tok3n{0}%s">')
# Values a person can type or a page can hold that would break a format string, an escape or
# a marker if they were printed other than as the macro prints them.
LABEL = 'Zoë <b>O\'Neil</b> & {0} "%s"'
BODY = Markup("<p>Braces {0} {} and %s, an &amp; and <strong>bold</strong></p>")
REASON = "Uses “someone's” {name} & <i>vulnerability</i>"


def _row(*, edited: bool, deleted: bool, hidden: bool) -> PostRow:
    moment = datetime(2026, 3, 3, 9, 5, tzinfo=UTC)
    return PostRow(
        pk=7,
        public_id=uuid.UUID("5e95480e-e2bc-4176-a80a-dd2859ce849a"),
        author_id=3,
        parent_id=None,
        created_at=moment,
        edited_at=moment if edited else None,
        deleted_at=moment if deleted else None,
        hidden_at=moment if hidden else None,
        hidden_reason=REASON if hidden else "",
        pseudonym="",
        body="",
        body_html=str(BODY),
        author_name=LABEL,
        author_email="zoe@example.com",
    )


def _reactions(pattern: tuple[int, ...]) -> list[ReactionView]:
    """One reaction a kind: 0 none, 1 counted, 2 counted and the reader's."""
    return [
        ReactionView(kind, str(label), 0 if state == 0 else 3 + index, state == 2)
        for index, ((kind, label), state) in enumerate(
            zip(ReactionKind.choices, pattern, strict=False)
        )
    ]


def _view(
    *,
    mine: bool,
    new: bool,
    collapsed: bool,
    edited: bool,
    deleted: bool,
    hidden: bool,
    reactions: tuple[int, ...],
    skip_to: str,
) -> PostView:
    row = _row(edited=edited, deleted=deleted, hidden=hidden)
    key = str(row.public_id)
    shown = _reactions(reactions)
    return PostView(
        row,
        LABEL,
        Markup("") if deleted or collapsed else BODY,
        mine,
        new,
        shown,
        collapsed,
        [],
        key,
        post_links_maker()(key),
        "3 Mar 2026, 09:05 {x}",
        any(r.total for r in shown),
        row.created_at.isoformat(timespec="seconds"),
        f"post-{key}",
        skip_to,
    )


def _macro() -> Any:
    template = get_template("discussions/_post.html").template
    return template.make_module({"csrf_field": CSRF}).post_article


class PrintedByShapeTests(SimpleTestCase):
    def setUp(self) -> None:
        articles._shapes.clear()
        self.addCleanup(articles._shapes.clear)

    def test_every_branch_prints_what_the_macro_prints(self) -> None:
        """Every combination of the article's flags, the page's and the level (512), each with
        one of eight ways its reactions and skip link can be, in turn."""
        macro = _macro()
        endings = list(
            itertools.product(
                [(0, 0, 0, 0), (1, 0, 2, 0), (2, 2, 2, 2), (0, 1, 0, 1)], ["post-0f1e", "write"]
            )
        )
        cases = 0
        for flags in itertools.product([False, True], repeat=8):
            mine, new, collapsed, edited, deleted, hidden, closed, moderator = flags
            for level in (1, 2):
                pattern, skip_to = endings[cases % len(endings)]
                pv = _view(
                    mine=mine,
                    new=new,
                    collapsed=collapsed,
                    edited=edited,
                    deleted=deleted,
                    hidden=hidden,
                    reactions=pattern,
                    skip_to=skip_to,
                )
                printed = articles.article_printer(closed, moderator, CSRF)(pv, level)
                self.assertEqual(printed, macro(pv, level, closed, moderator))
                self.assertIsInstance(printed, Markup)
                cases += 1
        self.assertEqual(cases, 512)
        self.assertTrue(all(articles._shapes.values()), "every shape of the macro can be kept")

    def test_the_same_shape_prints_each_posts_own_values(self) -> None:
        article = articles.article_printer(False, False, CSRF)
        macro = _macro()
        first = _view(
            mine=False, new=False, collapsed=False, edited=False, deleted=False, hidden=False,
            reactions=(1, 0, 0, 0), skip_to="post-1",
        )  # fmt: skip
        second = first._replace(
            label="Another <name>",
            body_html=Markup("<p>Another text</p>"),
            key="0000aaaa",
            anchor="post-0000aaaa",
            links=post_links_maker()("0000aaaa"),
            when="4 Apr 2026, 10:10",
            reactions=[first.reactions[0]._replace(total=99), *first.reactions[1:]],
        )
        self.assertEqual(article(first, 1), macro(first, 1, False, False))
        self.assertEqual(article(second, 1), macro(second, 1, False, False))
        self.assertEqual(len(articles._shapes), 1)  # one shape, printed twice
        self.assertIn("Another &lt;name&gt;", article(second, 1))
        self.assertNotIn("Zoë", article(second, 1))

    def test_what_is_kept_holds_no_value_of_any_post(self) -> None:
        article = articles.article_printer(False, True, CSRF)
        for mine, hidden, edited in itertools.product([False, True], repeat=3):
            pv = _view(
                mine=mine, new=True, collapsed=False, edited=edited, deleted=False,
                hidden=hidden, reactions=(2, 1, 0, 0), skip_to="post-next-one",
            )  # fmt: skip
            article(pv, 1)
        kept = " ".join(s.template for s in articles._shapes.values() if s)
        for value in ("Zoë", "O&#39;Neil", "Braces", "vulnerability", "5e95480e", "Tok3n"):
            self.assertNotIn(value, kept)
        self.assertNotIn("09:05", kept)
        self.assertNotIn("post-next-one", kept)
        self.assertIsNone(re.search(r">\s*[0-9]+\s*<", kept), "no reaction count is kept")

    def test_a_shape_whose_output_depends_on_a_value_is_printed_by_the_macro(self) -> None:
        """A macro that printed part of a value (not the whole value, escaped, in a hole) would
        print a marker's part: the two renderings disagree, nothing is kept."""

        def peeking(pv: PostView, level: int, closed: bool, moderator: bool) -> Markup:
            return Markup("<p>{}</p>").format(pv.label[:2])

        with mock.patch.object(articles, "_macro", lambda template, csrf: peeking):
            pv = _view(
                    mine=False, new=False, collapsed=False, edited=False, deleted=False,
                hidden=False, reactions=(0, 0, 0, 0), skip_to="write",
            )  # fmt: skip
            printed = articles.article_printer(False, False, CSRF)(pv, 1)
        self.assertEqual(printed, Markup("<p>Zo</p>"))
        self.assertEqual(list(articles._shapes.values()), [None])

    def test_a_language_has_its_own_shapes(self) -> None:
        pv = _view(
            mine=True, new=False, collapsed=False, edited=True, deleted=False, hidden=False,
            reactions=(1, 0, 0, 0), skip_to="write",
        )  # fmt: skip
        for language in ("en", "fr", "en"):
            with translation.override(language):
                printed = articles.article_printer(False, False, CSRF)(pv, 1)
                self.assertEqual(printed, _macro()(pv, 1, False, False))
        self.assertEqual(len(articles._shapes), 2)

    def test_the_csrf_field_is_printed_as_the_macro_prints_it_and_is_required(self) -> None:
        pv = _view(
            mine=True, new=False, collapsed=False, edited=False, deleted=False, hidden=False,
            reactions=(0, 0, 0, 0), skip_to="write",
        )  # fmt: skip
        template = get_template("discussions/_post.html").template
        for field in ("<b>plain text</b>", CSRF):
            macro = template.make_module({"csrf_field": field}).post_article
            printed = articles.article_printer(False, False, field)(pv, 1)
            self.assertEqual(printed, macro(pv, 1, False, False))
        self.assertIn(
            "&lt;b&gt;plain text", articles.article_printer(False, False, "<b>plain text")(pv, 1)
        )
        for missing in ("", None):
            with self.assertRaises(ValueError):
                articles.article_printer(False, False, missing)

    def test_the_memo_starts_again_when_full(self) -> None:
        pv = _view(
            mine=False, new=False, collapsed=False, edited=False, deleted=False, hidden=False,
            reactions=(0, 0, 0, 0), skip_to="write",
        )  # fmt: skip
        with mock.patch.object(articles, "MAX_SHAPES", 2):
            article = articles.article_printer(False, False, CSRF)
            for level in (1, 2, 1):
                article(pv._replace(is_new=level == 2), level)
                self.assertLessEqual(len(articles._shapes), 2)


class PagePrintedFromSharedShapesTests(PersonaTestCase):
    """A thread page read right after other people's pages filled the memo is, byte for byte
    (bar the CSRF field's masking), the page its reader gets with the memo empty."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.thread = actions.community_thread(cls.cohort_a)
        first = actions.create_post(cls.thread, author=cls.bob, body="Bob on **listening**")
        actions.create_post(
            cls.thread, author=cls.alice, body="Alice <b>agrees</b> {0}", parent=first
        )
        mine = actions.create_post(cls.thread, author=cls.alice, body="Alice's own, edited")
        actions.edit_post(mine, by=cls.alice, body="Alice's own, edited once")
        hidden = actions.create_post(cls.thread, author=cls.fay, body="Fay's, hidden")
        actions.hide_post(hidden, by=cls.carol, reason="Off topic & more")
        actions.react(first, user=cls.alice, kind=ReactionKind.choices[0][0])
        actions.react(first, user=cls.fay, kind=ReactionKind.choices[1][0])
        gone = actions.create_post(cls.thread, author=cls.bob, body="Bob, deleted later")
        actions.delete_post(gone, by=cls.bob)

    def page(self, person: Any) -> str:
        self.client.force_login(person)
        response = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertEqual(response.status_code, 200)
        in_articles = "".join(re.findall(r"<article.*?</article>", response.text, re.S))
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', in_articles))
        self.assertEqual(len(tokens), 1, "every post's forms have the page's own field")
        masked = r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"|nonce="[^"]+"'
        return re.sub(masked, "MASKED", response.text)

    def test_each_reader_gets_the_page_the_macro_prints_for_them(self) -> None:
        articles._shapes.clear()
        self.addCleanup(articles._shapes.clear)
        readers = [self.alice, self.bob, self.carol, self.fay, self.alice]
        for person in readers:
            shared = self.page(person)  # the memo as the readers before left it
            kept = dict(articles._shapes)
            articles._shapes.clear()
            with mock.patch.object(articles, "_skeleton", lambda *args: None):
                alone = self.page(person)  # every article printed by the macro
            articles._shapes.clear()
            articles._shapes.update(kept)
            self.assertEqual(shared, alone)
        self.assertGreater(len(articles._shapes), 3)
        self.assertTrue(all(articles._shapes.values()))
        self.assertEqual(Post.objects.filter(thread=self.thread).count(), 5)
