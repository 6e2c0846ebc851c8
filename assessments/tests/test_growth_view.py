"""My growth over time: self, peers and coach per behaviour and round, under the peers'
rules — shown only once the round has closed and at least three peers answered, comments
unnamed and shuffled per viewer — with a chart and a table for each competency."""

import base64
import re

from django.urls import reverse
from django.utils import timezone

from assessments.models import Response, RoundKind
from assessments.report import growth_report, shuffle_key
from assessments.tests.base import PEER_WORDS, AssessmentTestCase


class GrowthViewTests(AssessmentTestCase):
    def peers_answer(
        self, *names: str, kind: RoundKind = RoundKind.BASELINE, score: int = 4
    ) -> None:
        for name in names:
            self.answer(getattr(self, name), self.alice, kind, score=score, words=PEER_WORDS[name])

    def page(self) -> str:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("assessments:growth"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def setUp(self) -> None:
        self.invite(self.alice, self.bob, self.fay, self.gina, self.hugo)
        self.open_round(RoundKind.BASELINE)

    def test_two_peers_are_never_shown(self) -> None:
        self.peers_answer("bob", "fay")
        self.close_round(RoundKind.BASELINE)
        html = self.page()
        self.assertIn("fewer than 3 peers answered", html)
        for words in PEER_WORDS.values():
            self.assertNotIn(words, html)
        report = growth_report(self.alice, today=timezone.localdate())[0]
        self.assertFalse(report.columns[0].peers_shown)
        self.assertTrue(
            all(row.cells[0].peer_mean is None for b in report.competencies for row in b.rows)
        )

    def test_three_peers_are_shown_only_once_the_round_closes(self) -> None:
        self.peers_answer("bob", "fay", "gina")
        open_html = self.page()
        self.assertIn("peers are shown once the round closes", open_html)
        self.assertNotIn(PEER_WORDS["bob"], open_html)
        self.close_round(RoundKind.BASELINE)
        html = self.page()
        for name in ("bob", "fay", "gina"):
            self.assertIn(PEER_WORDS[name], html)
        self.assertIn("3 peers answered", html)
        self.assertIn("4.0", html)  # the peers' average
        report = growth_report(self.alice, today=timezone.localdate())[0]
        self.assertEqual(report.columns[0].peers_answered, 3)

    def test_peer_comments_are_shuffled_per_viewer_not_in_writing_order(self) -> None:
        self.peers_answer("bob", "fay", "gina", "hugo")
        self.close_round(RoundKind.BASELINE)
        html = self.page()
        shown = sorted((html.index(PEER_WORDS[n]), n) for n in ("bob", "fay", "gina", "hugo"))
        order = [n for _, n in shown if html.count(PEER_WORDS[n])]
        round_ = self.round_of(RoundKind.BASELINE)
        ids = {
            r.rater.email.split("@")[0]: r.public_id
            for r in Response.objects.select_related("rater")
        }
        expected = sorted(order, key=lambda n: shuffle_key(self.alice, ids[n], round_.public_id))
        self.assertEqual(order, expected)
        second = self.page()
        self.assertEqual(
            [n for _, n in sorted((second.index(PEER_WORDS[n]), n) for n in order)], order
        )

    def test_the_coach_is_named_and_her_words_shown_at_once(self) -> None:
        self.answer(
            self.carol, self.alice, RoundKind.BASELINE, score=2, words="Carol saw the offsite"
        )
        html = self.page()
        self.assertIn("Carol saw the offsite", html)
        self.assertIn("Carol, your coach", html)

    def test_growth_across_rounds_with_a_chart_and_a_table_for_each_competency(self) -> None:
        self.answer(self.alice, self.alice, RoundKind.BASELINE, score=2)
        self.peers_answer("bob", "fay", "gina", score=2)
        self.close_round(RoundKind.BASELINE)
        self.open_round(RoundKind.END)
        self.close_round(RoundKind.BASELINE)
        self.answer(self.alice, self.alice, RoundKind.END, score=4)
        self.peers_answer("bob", "fay", "gina", kind=RoundKind.END, score=5)
        self.close_round(RoundKind.END)
        html = self.page()
        charts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
        self.assertEqual(len(charts), 5)  # one per competency of the default model
        self.assertIn("me: Baseline 2.0, End of programme 4.0", charts[0])
        self.assertIn("my peers: Baseline 2.0, End of programme 5.0", charts[0])
        self.assertEqual(html.count("<table"), 5)
        # The last round's label, centred on the chart's right edge, fits inside it (about
        # 7 px a character at pygal's label size): "A year later" was cut to "A year late".
        svg = base64.b64decode(re.findall(r"data:image/svg\+xml;base64,([^\"]+)", html)[0])
        (width,) = re.findall(rb'viewBox="0 0 ([0-9.]+) ', svg)
        (plot_x,) = re.findall(rb'transform="translate\(([0-9.]+), [0-9.]+\)" class="plot"', svg)
        (x,) = re.findall(rb'<text x="([0-9.]+)"[^>]*>A year later</text>', svg)
        self.assertLessEqual(float(plot_x) + float(x) + 7 * len("A year later") / 2, float(width))

    def test_a_learner_without_rounds_is_told_what_to_do(self) -> None:
        self.client.force_login(self.erin)
        from assessments.models import AssessmentRound

        AssessmentRound.objects.filter(cohort=self.cohort_c).delete()
        self.assertContains(self.client.get(reverse("assessments:growth")), "Nothing yet")

    def test_my_growth_and_home_link_to_it(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("growth:index")), reverse("assessments:growth"))
        # Home takes a learner of one cohort to This week, which links to it.
        home = self.client.get(reverse("home"), follow=True)
        self.assertContains(home, reverse("assessments:growth"))
        # and to asking peers for feedback between rounds, one click from home.
        self.assertContains(home, reverse("assessments:feedback"))
