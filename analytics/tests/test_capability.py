"""Capability change on the programme dashboard (issue 10): paired seats, the mean change with
its 95% confidence interval and Cohen's d_z, the same numbers in the page, the CSV and the chart,
a query count that does not grow with the ratings, and bad input."""

import base64
import csv
import io
import math
import re

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from scipy import stats as scipy_stats

from analytics import dashboard as boards
from analytics import stats
from analytics.tests.base import generate, rate
from rapport.policy import Role
from rapport.testing import PASSWORD, make_org, make_user


class PairedChangeTests(SimpleTestCase):
    def test_it_matches_a_change_worked_out_by_hand(self) -> None:
        # Changes 1, 2, 3, 4, 5: mean 3, SD sqrt(2.5) = 1.5811; t(0.975, 4) = 2.7764 (any t
        # table); half-width 2.7764 x 1.5811 / sqrt(5) = 1.9632; d_z = 3 / 1.5811 = 1.8974.
        change = stats.paired_change(5, 15.0, 55.0)
        self.assertEqual(change.n, 5)
        self.assertAlmostEqual(change.mean, 3.0)
        self.assertAlmostEqual(change.low, 1.0368, places=4)
        self.assertAlmostEqual(change.high, 4.9632, places=4)
        self.assertAlmostEqual(change.d_z, 1.8974, places=4)
        self.assertEqual(stats.size_key(change.d_z), "large")

    def test_it_agrees_with_scipys_paired_t_test_on_raw_scores(self) -> None:
        before = [2.0, 3.0, 2.5, 3.5, 2.0, 4.0, 3.0, 2.5, 3.0, 3.5]
        after = [3.0, 3.0, 3.5, 4.0, 2.5, 4.0, 4.0, 3.0, 3.5, 4.5]
        d = [b - a for a, b in zip(before, after, strict=True)]
        change = stats.paired_change(len(d), sum(d), sum(x * x for x in d))
        result = scipy_stats.ttest_rel(after, before)
        interval = result.confidence_interval(0.95)
        self.assertAlmostEqual(change.low, interval.low)
        self.assertAlmostEqual(change.high, interval.high)
        # d_z is t / sqrt(n) (Lakens 2013, equation 7).
        self.assertAlmostEqual(change.d_z, result.statistic / math.sqrt(len(d)))

    def test_sizes_in_plain_words_follow_cohens_conventions(self) -> None:
        cases: list[tuple[float | None, str]] = [(0.0, "negligible"), (0.19, "negligible")]
        cases += [(0.2, "small"), (-0.49, "small")]
        cases += [(0.5, "medium"), (0.79, "medium"), (0.8, "large"), (-2.0, "large"), (None, "")]
        for d, key in cases:
            self.assertEqual(stats.size_key(d), key, d)

    def test_no_spread_has_no_effect_size_and_a_zero_width_interval(self) -> None:
        change = stats.paired_change(4, 2.0, 1.0)  # everyone +0.5
        self.assertIsNone(change.d_z)
        self.assertAlmostEqual(change.low, 0.5)
        self.assertAlmostEqual(change.high, 0.5)
        self.assertEqual(stats.size_label(change.d_z), "")

    def test_bad_input_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            stats.paired_change(0, 0.0, 0.0)
        with self.assertRaises(ValueError):
            stats.paired_change(5, 1.0, 1.0, confidence=1.5)
        one = stats.paired_change(1, 0.5, 0.25)
        self.assertEqual((one.low, one.high, one.d_z), (None, None, None))


def _paired_changes(board: boards.Board, key: tuple[str, str, str], node: boards.Node) -> int:
    return board.tally.counts.get(key, {}).get(node, 0)


class CapabilityCardTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org("Rated Ltd", slug="rated")
        cls.admin = make_user(cls.org, "admin@rated.example", role=Role.ADMIN)
        cls.data = generate(cls.org, cohorts=3, learners=20, seed=4)
        # The last cohort's year-later round is still to come.
        rate(cls.org, cls.data["cohorts"], seed=4, year_later=2)
        cls.url = reverse("analytics:dashboard", args=[cls.data["program"].public_id])
        cls.csv_url = reverse("analytics:dashboard_csv", args=[cls.data["program"].public_id])

    def setUp(self) -> None:
        self.client.login(username="admin@rated.example", password=PASSWORD)
        self.board = boards.load(self.data["program"], self.data["cohorts"])

    def test_the_programme_shows_each_rater_groups_paired_change(self) -> None:
        view = self.board.view(boards.Filters())
        shown = {(line.later, line.group): line.change for line in view.capability}
        self.assertEqual(len(shown), 6)
        for (later, group), change in shown.items():
            self.assertTrue(change.shown, (later, group))
            n = _paired_changes(self.board, boards.change_key(later, group), boards.ROOT)
            self.assertEqual(change.people.value, n)
            self.assertLessEqual(change.low, change.mean)
            self.assertLessEqual(change.mean, change.high)
        # The generated learners grew from the baseline (0.8 points to the end, 0.6 a year on).
        end, year_later = shown["end", "self"].mean, shown["year_later", "self"].mean
        assert end is not None and year_later is not None
        self.assertGreater(end, 0.4)
        self.assertGreater(end, year_later - 0.3)

    def test_the_programmes_figures_are_the_paired_seats_statistics(self) -> None:
        # Worked out again from the rows, as a reader of the raw data would.
        from assessments.aggregates import seat_scores

        ids = [c.pk for c in self.data["cohorts"]]
        means: dict[tuple[int, str], dict[str, float]] = {}
        for score in seat_scores(ids):
            means.setdefault((score.enrollment_id, score.group), {})[score.round_kind] = score.mean
        d = [m["end"] - m["baseline"] for (_s, g), m in means.items() if g == "coach"
             and "end" in m and "baseline" in m]  # fmt: skip
        change = self.board.change("end", "coach", boards.ROOT)
        expected = stats.paired_change(len(d), sum(d), sum(x * x for x in d))
        self.assertEqual(change.people.value, len(d))
        self.assertEqual(change.mean, round(expected.mean, 2))
        self.assertEqual(change.low, round(expected.low, 2))
        self.assertEqual(change.d_z, round(expected.d_z, 2))

    def test_a_round_not_yet_open_says_so_and_is_not_suppressed(self) -> None:
        last = self.data["cohorts"][-1]
        view = self.board.view(boards.Filters(cohort=last))
        later = [line.change for line in view.capability if line.later == "year_later"]
        self.assertTrue(later and all(c.not_yet for c in later))
        self.assertTrue(all(not c.stats_hidden for c in later))
        response = self.client.get(self.url, {"cohort": str(last.public_id)})
        self.assertContains(response, "This round has not opened yet.", count=3)

    def test_page_csv_and_chart_show_the_same_numbers(self) -> None:
        cohort = self.data["cohorts"][0]
        for query in ({}, {"cohort": str(cohort.public_id)}):
            filters = boards.Filters(cohort=cohort if query else None)
            view = self.board.view(filters)
            page = self.client.get(self.url, query).content.decode()
            rows = list(
                csv.reader(io.StringIO(self.client.get(self.csv_url, query).content.decode()))
            )
            table = page[page.index('data-testid="capability-table"') :]
            table = table[: table.index("</table>")]
            charts = re.findall(r'src="data:image/svg\+xml;charset=utf-8;base64,([^"]+)"', page)
            svg = base64.b64decode(charts[-1]).decode()
            self.assertIn("Mean change in capability ratings", svg)
            drawn = {float(v) for v in re.findall(r'<desc class="value">(-?[\d.]+)</desc>', svg)}
            mine = [r for r in rows if r[0] == "capability change"]
            self.assertEqual(len(mine), 6)
            for line, row in zip(view.capability, mine, strict=True):
                change = line.change
                if change.shown:
                    self.assertIn(f"{change.mean:+.2f}", table)
                    self.assertIn(f"{change.low:.2f} to {change.high:.2f}", table)
                    self.assertEqual(row[4:8], [str(change.people.value), "", f"{change.mean:.2f}",
                                                f"{change.low:.2f}"])  # fmt: skip
                    self.assertEqual(row[8], f"{change.high:.2f}")
                    self.assertIn(change.mean, drawn)
                else:
                    self.assertIn(row[6], ("suppressed", "not yet"))
        yoy = [r for r in rows if r[0] == "capability change by cohort"]
        self.assertEqual(len(yoy), 3 * 2 * 3)  # cohorts x comparisons x rater groups
        self.assertIn("not yet", [r[6] for r in yoy])

    def test_year_over_year_has_a_row_per_cohort_and_comparison(self) -> None:
        response = self.client.get(self.url)
        html = response.content.decode()
        table = html[html.index('data-testid="capability-years"') :]
        table = table[: table.index("</table>")]
        for cohort in self.data["cohorts"]:
            self.assertEqual(table.count(f'<th scope="row">{cohort.name}</th>'), 2)
        self.assertIn("Not yet", table)

    def test_bad_filters_are_still_a_clear_400(self) -> None:
        for query in ({"pair": "end"}, {"rater": "peers"}, {"cohort": "x", "group": "y"}):
            response = self.client.get(self.url, query)
            self.assertEqual(response.status_code, 400, query)
            self.assertNotContains(response, 'data-testid="capability-table"', status_code=400)
            self.assertEqual(self.client.get(self.csv_url, query).status_code, 400)


class CapabilityQueryCountTests(TestCase):
    """Building a board reads scores per seat, never per rating: the same queries whatever the
    number of ratings; the page itself reads the snapshot only."""

    # load(): 1 activities, 2 seats and funnel, 3 weekly rollup, 4 completions, 5 rounds that
    # have opened, 6 the rated seats' groups, 7 the seats' scores by round and rater group
    LOAD_QUERIES = 7
    # the page: 1 the person, 2 the programme, 3 its cohorts, 4 its activities, 5 the snapshot
    PAGE_QUERIES = 5

    def count_for(self, learners: int, seed: int) -> None:
        org = make_org(f"Org {seed}", slug=f"org-{seed}")
        make_user(org, f"admin{seed}@gen.example", role=Role.ADMIN)
        data = generate(org, cohorts=2, learners=learners, seed=seed)
        rate(org, data["cohorts"], seed=seed)
        with CaptureQueriesContext(connection) as captured:
            board = boards.load(data["program"], data["cohorts"])
        self.assertEqual(len(captured), self.LOAD_QUERIES, [q["sql"] for q in captured])
        self.assertTrue(board.tally.counts[boards.change_key("end", "self")])
        self.client.login(username=f"admin{seed}@gen.example", password=PASSWORD)
        url = reverse("analytics:dashboard", args=[data["program"].public_id])
        self.client.get(url)  # the first view solves the snapshot
        for query in ({}, {"cohort": str(data["cohorts"][0].public_id)}):
            with self.assertNumQueries(self.PAGE_QUERIES):
                self.assertContains(self.client.get(url, query), "Capability change")

    def test_few_ratings(self) -> None:
        self.count_for(6, seed=31)

    def test_many_ratings(self) -> None:
        self.count_for(40, seed=32)
