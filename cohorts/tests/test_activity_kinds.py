"""Activity kinds render through one partial per kind, chosen from the kind's name.

Adding a kind is one member of `programs.models.ActivityKind` plus its partial,
`templates/cohorts/kinds/<kind>.html`, which defines two macros: `icon()` (the SVG shapes for the
activity cards) and `page(activity, item, seat, body_html, tz, now)` (what the activity page shows
for that kind). No template chooses by comparing the kind.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.test import SimpleTestCase
from django.urls import reverse

from programs.models import ActivityKind
from rapport.testing import PersonaTestCase, make_activity

TEMPLATES = Path(settings.BASE_DIR) / "templates"
_KIND_LITERAL = "['\"](" + "|".join(ActivityKind.values) + ")['\"]"
KIND_COMPARISON = re.compile(
    rf"\bkind\s*(==|!=)|(==|!=)\s*{_KIND_LITERAL}|{_KIND_LITERAL}\s*(==|!=)"
)


class KindPartialTests(SimpleTestCase):
    def test_every_kind_has_a_partial_with_an_icon_and_a_page(self) -> None:
        env = engines["jinja2"].env  # type: ignore[attr-defined]
        for kind in ActivityKind:
            with self.subTest(kind=kind):
                self.assertTrue((TEMPLATES / "cohorts" / "kinds" / f"{kind}.html").is_file())
                module = env.get_template(f"cohorts/kinds/{kind}.html").module
                self.assertIn("<", str(module.icon()), "the icon draws SVG shapes")
                self.assertEqual(
                    module.page.arguments, ("activity", "item", "seat", "body_html", "tz", "now")
                )

    def test_no_template_chooses_by_comparing_the_kind(self) -> None:
        offenders = [
            f"{path.relative_to(TEMPLATES)}:{number}"
            for path in TEMPLATES.rglob("*.html")
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if KIND_COMPARISON.search(line)
        ]
        self.assertEqual(offenders, [])

    def test_the_check_catches_a_kind_comparison(self) -> None:
        self.assertTrue(KIND_COMPARISON.search("{% if activity.kind == 'video' %}"))
        self.assertTrue(KIND_COMPARISON.search("{% elif kind=='mission' -%}"))
        self.assertTrue(KIND_COMPARISON.search("{% if 'audio' == activity.kind %}"))
        self.assertFalse(KIND_COMPARISON.search('<track kind="captions" src="x">'))

    def test_the_activity_page_names_its_partial_from_the_kind(self) -> None:
        source = (TEMPLATES / "cohorts" / "activity.html").read_text()
        self.assertIn('"cohorts/kinds/" ~ activity.kind ~ ".html"', source)


class KindPageTests(PersonaTestCase):
    def test_each_kind_shows_its_own_part_of_the_activity_page(self) -> None:
        own_text = {
            ActivityKind.ARTICLE: 'class="prose card"',
            ActivityKind.DISCUSSION: "The prompt",
            ActivityKind.MISSION: "Missions happen offline",
            ActivityKind.ELEARNING: "Open e-learning",
            ActivityKind.LIVE_SESSION: "When and where",
        }
        self.client.force_login(self.alice)
        for kind, text in own_text.items():
            activity = self.first_activity(kind) or make_activity(
                self.program.weeks.get(number=1), kind=kind, position=9
            )
            with self.subTest(kind=kind):
                response = self.client.get(
                    reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id])
                )
                self.assertContains(response, text)
                for other_kind, other_text in own_text.items():
                    if other_kind not in (kind, ActivityKind.ARTICLE):
                        self.assertNotContains(response, other_text)
