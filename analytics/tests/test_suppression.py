"""The small-group rule on the dashboards, attacked: in a generated organisation with small
groups, for every filter a dashboard accepts, no page, CSV file or chart shows a count under the
threshold, and no hidden count can be worked out from the shown ones — by subtracting shown
cells from a shown total, or a total under one filter from the total under a narrower one, or
any other linear combination (the audit solves the published equations exactly).

The capability card's averages are attacked the same way: every shown mean covers at least the
threshold of paired people, and no hidden group's sum of changes (from which its mean, interval
and effect size follow) is determined by the shown groups' sums along the tree's lines."""

import base64
import csv
import io
import re
from typing import Any

import numpy as np
from django.test import TestCase
from django.urls import reverse

from analytics import dashboard as boards
from analytics import suppression
from analytics.tests.base import generate, rate
from rapport import policy
from rapport.policy import Role
from rapport.testing import PASSWORD, make_org, make_user

MARKS = ("suppressed", "not yet", "")


def all_filters(board: boards.Board) -> list[boards.Filters]:
    """Every filter the form accepts (dates only choose which rows are listed)."""
    found = [boards.Filters()]
    for cohort in board.cohorts:
        found.append(boards.Filters(cohort=cohort))
        for attribute, _label in boards.ATTRIBUTES:
            for value in board.values[attribute]:
                found.append(boards.Filters(cohort=cohort, attribute=attribute, value=value))
    return found


def measures(board: boards.Board) -> list[Any]:
    keys = [("funnel", k) for k in ("started", "half", "all")]
    for week in board.weeks:
        keys += [("active", week), ("completed", week)]
        keys += [(kind, week) for kind, _l in boards.RESOURCE_KINDS]
    keys += [("activity", a["pk"]) for a in board.activities]
    return keys


def determined(equations: list[dict[Any, int]], unknowns: list[Any]) -> set[Any]:
    """The unknowns whose value the equations (each: coefficients by unknown, summing to a
    known number) fix: those whose unit vector lies in the equations' row space."""
    if not unknowns:
        return set()
    index = {u: i for i, u in enumerate(unknowns)}
    rows = [[0.0] * len(unknowns) for _e in equations]
    for row, equation in zip(rows, equations, strict=True):
        for unknown, coefficient in equation.items():
            row[index[unknown]] = coefficient
    matrix = np.array(rows) if rows else np.zeros((0, len(unknowns)))
    rank = np.linalg.matrix_rank(matrix) if len(rows) else 0
    fixed = set()
    for unknown, i in index.items():
        unit = np.zeros((1, len(unknowns)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            fixed.add(unknown)
    return fixed


class SuppressionAttackTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org("Generated Ltd", slug="generated")
        cls.admin = make_user(cls.org, "admin@gen.example", role=Role.ADMIN)
        cls.data = generate(cls.org, cohorts=3, learners=22, seed=11)
        # Ratings for every cohort; the third cohort's year-later round has not opened yet.
        rate(cls.org, cls.data["cohorts"], seed=11, year_later=2)

    def setUp(self) -> None:
        self.board = boards.load(self.data["program"], self.data["cohorts"])
        self.k = policy.min_group_size()

    def published(self) -> dict[tuple[Any, Any], int]:
        """Every count any filter shows, by (measure, group); each group's size as measure
        "n". Checks that a group and measure show one number whichever page shows it."""
        shown: dict[tuple[Any, Any], int] = {}

        def put(key: tuple[Any, Any], value: int | None) -> None:
            if value is None:
                return
            self.assertEqual(shown.setdefault(key, value), value, key)

        for filters in all_filters(self.board):
            view = self.board.view(filters)
            node = filters.node
            put(("n", node), view.size)
            for (key, _label), (_text, cell) in zip(boards.FUNNEL, view.funnel, strict=False):
                put((("funnel", key) if key != "enrolled" else "n", node), cell.value)
            for week in view.weeks:
                put((("active", week.number), node), week.active.value)
                put((("completed", week.number), node), week.completed.value)
                for (kind, _l), cell in zip(boards.RESOURCE_KINDS, week.kinds, strict=True):
                    put(((kind, week.number), node), cell.value)
            for spec, row in zip(self.board.activities, view.activities, strict=False):
                put((("activity", spec["pk"]), node), row.completed.value)
            for cohort_row in view.cohorts:
                for (key, _label), cell in zip(boards.FUNNEL, cohort_row.funnel, strict=True):
                    measure = ("funnel", key) if key != "enrolled" else "n"
                    put((measure, boards.cohort_node(cohort_row.cohort.pk)), cell.value)
        return shown

    def changes(self) -> dict[tuple[Any, Any], boards.ChangeCell]:
        """Every capability change any filter shows, by (measure, group): the group's table and
        the year-over-year rows. Checks that a group shows the same change on every page."""
        found: dict[tuple[Any, Any], boards.ChangeCell] = {}

        def put(key: tuple[Any, Any], change: boards.ChangeCell) -> None:
            self.assertEqual(found.setdefault(key, change), change, key)

        for filters in all_filters(self.board):
            view = self.board.view(filters)
            for line in view.capability:
                put((boards.change_key(line.later, line.group), filters.node), line.change)
            for row in view.cohorts:
                for (later, _l), (_pair, changes) in zip(boards.PAIRS, row.changes, strict=True):
                    for (group, _g), change in zip(boards.RATER_GROUPS, changes, strict=True):
                        put(
                            (boards.change_key(later, group), boards.cohort_node(row.cohort.pk)),
                            change,
                        )
        return found

    def capability_measures(self) -> list[tuple[str, str, str]]:
        return [
            boards.change_key(later, group)
            for later, _l in boards.PAIRS
            for group, _g in boards.RATER_GROUPS
        ]

    def test_every_capability_figure_shown_covers_at_least_the_threshold(self) -> None:
        changes = self.changes()
        shown = [c for c in changes.values() if c.shown]
        self.assertGreater(len(shown), 10)  # the card shows numbers...
        self.assertTrue(any(c.stats_hidden for c in changes.values()))  # ...and hides some
        self.assertTrue(any(c.not_yet for c in changes.values()))
        for (measure, node), change in changes.items():
            paired = self.board.tally.counts.get(measure, {}).get(node, 0)
            if change.not_yet:
                self.assertEqual(paired, 0)
            if change.people.value is not None:
                self.assertEqual(change.people.value, paired)
                self.assertGreaterEqual(paired, self.k, (measure, node))
                # Those not paired too (decision 0009): the group's size is shown, so a shown
                # paired count (which the interval and d_z give away anyway) tells them.
                size = self.board.size_of(node)
                self.assertIsNotNone(size, (measure, node))
                assert size is not None
                self.assertGreaterEqual(size - paired, self.k, (measure, node))
            if change.shown:
                self.assertIsNotNone(change.people.value)
                self.assertGreaterEqual(paired, self.k, (measure, node))

    def test_no_hidden_sum_of_changes_can_be_worked_out_from_the_shown_ones(self) -> None:
        changes = self.changes()
        checked = 0
        for measure in self.capability_measures():
            tree, _sizes = self.board.restricted(measure[1])
            counts = self.board.tally.counts.get(measure, {})
            equations = []
            lines = suppression.tree_lines(tree, "sum")

            def shown(node: Any, measure: Any = measure) -> bool:
                # A group no page shows (its size is suppressed) shows no change either.
                change = changes.get((measure, node))
                return change is not None and change.shown

            for line in lines:
                total, cells = line.total[1], [c[1] for c in line.cells]
                equation: dict[Any, int] = {}
                for sign, node in [(1, total)] + [(-1, c) for c in cells]:
                    if not shown(node):
                        equation[node] = equation.get(node, 0) + sign
                if equation:
                    equations.append(equation)
                # The rule itself: a shown total's hidden children are none, or two or more
                # covering at least the threshold.
                if shown(total):
                    hidden = [c for c in cells if counts.get(c, 0) > 0 and not shown(c)]
                    if hidden:
                        self.assertGreaterEqual(len(hidden), 2, (measure, total))
                        self.assertGreaterEqual(
                            sum(counts[c] for c in hidden), self.k, (measure, total)
                        )
            unknowns = sorted({u for e in equations for u in e}, key=repr)
            leaked = determined(equations, unknowns)
            hidden_people = {u for u in unknowns if counts.get(u, 0) > 0}
            self.assertFalse(leaked & hidden_people, (measure, leaked & hidden_people))
            checked += len(hidden_people)
        self.assertGreater(checked, 20)

    def test_no_hidden_paired_count_can_be_worked_out_from_the_shown_ones(self) -> None:
        changes = self.changes()
        checked = 0
        for measure in self.capability_measures():
            tree, sizes = self.board.restricted(measure[1])
            shown_n = {n: self.board.size_of(n) for n in sizes if n != boards.ROOT}
            # The programme's node over the opened cohorts: taken as known (the reader may add
            # the other cohorts' sizes up), the stronger attacker.
            shown_n[boards.ROOT] = sizes[boards.ROOT]
            paired: dict[Any, int | None] = {
                node: change.people.value
                for (m, node), change in changes.items()
                if m == measure and change.people.value is not None
            }

            def term(
                tag: str,
                node: Any,
                paired: dict[Any, int | None] = paired,
                shown_n: dict[Any, int | None] = shown_n,
            ) -> Any:
                n = shown_n.get(node)
                yes = paired.get(node)
                value = {"n": n, "yes": yes, "no": None if yes is None or n is None else n - yes}
                return (tag, node) if value[tag] is None else value[tag]

            equations = []
            lines = [(("n", node), [("yes", node), ("no", node)]) for node in sizes]
            for tag in ("n", "yes", "no"):
                lines += [
                    ((tag, line.total[1]), [(tag, c[1]) for c in line.cells])
                    for line in suppression.tree_lines(tree, tag)
                ]
            for (ttag, tnode), cells in lines:
                equation: dict[Any, int] = {}
                for sign, (tag, node) in [(1, (ttag, tnode))] + [(-1, c) for c in cells]:
                    value = term(tag, node)
                    if not isinstance(value, int):
                        equation[value] = equation.get(value, 0) + sign
                if equation:
                    equations.append(equation)
            unknowns = sorted({u for e in equations for u in e}, key=repr)
            leaked = determined(equations, unknowns)
            hidden_yes = {("yes", n) for n in sizes if n not in paired}
            # ...nor the count of those not paired (decision 0009), wherever it is not shown.
            hidden_no = {("no", n) for n in sizes if term("no", n) == ("no", n)}
            self.assertFalse(leaked & hidden_yes, (measure, leaked & hidden_yes))
            self.assertFalse(leaked & hidden_no, (measure, leaked & hidden_no))
            checked += len(hidden_yes)
        self.assertGreater(checked, 20)

    def test_the_generated_organisation_has_small_groups_to_protect(self) -> None:
        small = [n for n, size in self.board.sizes.items() if 0 < size < self.k]
        self.assertGreater(len(small), 3)
        self.assertTrue(self.board.hidden_sizes)

    def test_no_shown_count_covers_fewer_people_than_the_threshold(self) -> None:
        shown = self.published()
        for (measure, node), value in shown.items():
            size = self.board.sizes[node]
            self.assertGreaterEqual(size, self.k, node)
            if measure != "n":
                # Those who did it and those who did not: both at least the threshold.
                self.assertGreaterEqual(value, self.k, (measure, node))
                self.assertGreaterEqual(size - value, self.k, (measure, node))

    def test_no_hidden_count_can_be_worked_out_from_the_shown_ones(self) -> None:
        shown = self.published()
        tree = self.board.tree
        hidden_sizes = [n for n in self.board.sizes if ("n", n) not in shown]
        checked = 0
        for measure in measures(self.board):
            # Unknowns: every group's yes, no and size not shown; equations: every line.
            def term(tag: str, node: Any, measure: Any = measure) -> tuple[str, Any] | int:
                if tag == "n":
                    value = shown.get(("n", node))
                elif tag == "yes":
                    value = shown.get((measure, node))
                else:
                    yes, n = shown.get((measure, node)), shown.get(("n", node))
                    value = None if yes is None or n is None else n - yes
                return (tag, node) if value is None else value

            equations = []
            lines = [(("n", node), [("yes", node), ("no", node)]) for node in self.board.sizes]
            for tag in ("n", "yes", "no"):
                lines += [
                    ((tag, line.total[1]), [(tag, c[1]) for c in line.cells])
                    for line in suppression.tree_lines(tree, tag)
                ]
            for (ttag, tnode), cells in lines:
                equation: dict[Any, int] = {}
                for sign, (tag, node) in [(1, (ttag, tnode))] + [(-1, c) for c in cells]:
                    value = term(tag, node)
                    if not isinstance(value, int):
                        equation[value] = equation.get(value, 0) + sign
                if equation:
                    equations.append(equation)
            unknowns = sorted({u for e in equations for u in e}, key=repr)
            leaked = determined(equations, unknowns)
            hidden_yes = {("yes", n) for n in self.board.sizes if (measure, n) not in shown}
            hidden_yes |= {("n", n) for n in hidden_sizes}
            self.assertFalse(leaked & hidden_yes, (measure, leaked & hidden_yes))
            checked += len(hidden_yes)
        self.assertGreater(checked, 100)  # the audit had something to attack

    def test_the_csv_and_the_page_show_what_the_board_shows_and_nothing_hidden(self) -> None:
        self.client.login(username="admin@gen.example", password=PASSWORD)
        url = reverse("analytics:dashboard", args=[self.data["program"].public_id])
        csv_url = reverse("analytics:dashboard_csv", args=[self.data["program"].public_id])
        suppressed_seen = 0
        for filters in all_filters(self.board):
            query: dict[str, str] = {}
            if filters.cohort is not None:
                query["cohort"] = str(filters.cohort.public_id)
            if filters.attribute:
                query["group"] = f"{filters.attribute}:{filters.value}"
            view = self.board.view(filters)
            response = self.client.get(csv_url, query)
            self.assertEqual(response.status_code, 200, query)
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            people = [r[4] for r in rows[1:]]
            suppressed_seen += people.count("suppressed")
            for value in people:
                if value not in ("suppressed", "not yet"):
                    self.assertGreaterEqual(int(value), self.k, (query, rows))
            for row in rows[1:]:
                # A mean only beside its shown paired count.
                if row[0].startswith("capability change") and row[6] not in MARKS:
                    self.assertGreaterEqual(int(row[4]), self.k, (query, row))
            page = self.client.get(url, query)
            self.assertEqual(page.status_code, 200, query)
            html = page.content.decode()
            self.assertEqual(html.count('class="suppressed"'), view.hidden_count, query)
            for uri in re.findall(r'src="data:image/svg\+xml;charset=utf-8;base64,([^"]+)"', html):
                svg = base64.b64decode(uri).decode()
                if "Mean change in capability ratings" in svg:
                    means = {c.mean for line in view.capability if (c := line.change).shown}
                    drawn = re.findall(r'<desc class="value">(-?[\d.]+)</desc>', svg)
                    self.assertLessEqual({float(v) for v in drawn}, means, query)
                    continue
                values = {int(v) for v in re.findall(r'<desc class="value">(\d+)</desc>', svg)}
                shown = {
                    c.value
                    for w in view.weeks
                    for c in (w.active, w.completed, *w.kinds)
                    if c.value is not None
                }
                self.assertLessEqual(values, shown, query)
        self.assertGreater(suppressed_seen, 20)
