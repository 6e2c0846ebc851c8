"""A heading someone writes in their text ("## My plan") is a bold paragraph: their text sits
under the page's own heading for it (the author's name: h3 for a post, h4 for a reply), so
its headings would break the page's outline — on the thread page, a post's replies page and
the moderators' report page alike (render_untrusted_markdown)."""

import importlib
import re
from itertools import pairwise
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.urls import reverse

from discussions import actions
from discussions.models import Post
from moderation.actions import report_post
from moderation.models import ReportReason
from rapport.testing import PersonaTestCase

BODY = "## My plan for the week\n\nOne question more before I answer.\n\nWhy\n---\n\nBecause."


def heading_levels(html: str) -> list[int]:
    main = html[html.index("<main") :]
    return [int(level) for level in re.findall(r"<h([1-6])[ >]", main)]


class PeoplesHeadingsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.community = actions.community_thread(cls.cohort_a)
        cls.post = actions.create_post(cls.community, author=cls.bob, body=BODY)
        actions.create_post(cls.community, author=cls.alice, body=BODY, parent=cls.post)

    def assertOutlineHolds(self, html: str) -> None:
        levels = heading_levels(html)
        for before, after in pairwise(levels):
            self.assertLessEqual(after, before + 1, levels)

    def test_a_posts_headings_are_bold_paragraphs(self) -> None:
        self.assertIn("<p><strong>My plan for the week</strong></p>", self.post.body_html)
        self.assertIn("<p><strong>Why</strong></p>", self.post.body_html)
        self.assertNotIn("<h", self.post.body_html)

    def test_the_pages_that_show_posts_keep_their_outline(self) -> None:
        self.client.force_login(self.alice)
        for url in (
            reverse("discussions:thread", args=[self.community.public_id]),
            reverse("discussions:replies", args=[self.post.public_id]),
        ):
            response = self.client.get(url)
            self.assertContains(response, "<strong>My plan for the week</strong>")
            self.assertOutlineHolds(response.content.decode())

    def test_the_moderators_report_page_keeps_its_outline(self) -> None:
        report = report_post(self.post, reporter=self.alice, reason=ReportReason.choices[0][0])
        self.client.force_login(self.carol)
        response = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
        self.assertContains(response, "<strong>My plan for the week</strong>")
        self.assertOutlineHolds(response.content.decode())

    def test_the_migration_renders_again_what_was_stored_with_headings(self) -> None:
        Post.objects.filter(pk=self.post.pk).update(
            body_html="<h2>My plan for the week</h2>\n<p>One question more before I answer.</p>"
        )
        untouched = actions.create_post(self.community, author=self.carol, body="Plain")
        Post.objects.filter(pk=untouched.pk).update(body_html="<p>Kept as stored</p>")
        migration = importlib.import_module("discussions.migrations.0004_posts_headings_as_bold")
        editor = SimpleNamespace(quote_name=connection.ops.quote_name, connection=connection)
        migration.render_again(apps, editor)
        self.post.refresh_from_db()
        self.assertIn("<p><strong>My plan for the week</strong></p>", self.post.body_html)
        untouched.refresh_from_db()
        self.assertEqual(untouched.body_html, "<p>Kept as stored</p>")
