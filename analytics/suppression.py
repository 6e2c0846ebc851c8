"""The small-group rule over a dashboard's linked tables (`rapport.policy.suppress_small_groups`
applied to every table at once, until nothing more needs hiding).

A dashboard publishes, for each measure (people active in week 3, people who finished an
activity…), one count per *node* of a tree of groups: the programme (every cohort), each
cohort, and within a cohort each region, function and level. A parent's count is the sum of
its children's along each attribute, and within a node the people who did it and those who
did not add up to the node's size. Each of those sums is a *line*: a total and the cells that
add up to it. A reader can subtract shown cells from a shown total on any line, and combine
lines (a total under one filter minus the total under a narrower one is exactly such a line),
so every line is protected together:

1. Group sizes first (`protect_sizes`): the size lines of the tree, by the policy, with every
   group of exactly 2 x (threshold - 1) people hidden from the start (its two halves could both
   be threshold - 1, and the size alone would then give them away; hiding it up front keeps a
   group's size the same for every measure).
2. Each measure (`protect_measure`): its lines, with the hidden sizes given; the policy hides
   small cells and their complements; a line whose total is hidden keeps at least one hidden
   cell, so the total cannot be added up from the cells. Repeated until no line changes.

3. Sums over people (`protect_sums`), for the capability card's averages. A mean, a
   confidence interval and an effect size are built from additive statistics over a group's
   people (their number, the sum of their changes and of the squares), and sums can be
   differenced just like counts: a group's mean against the mean of a group one person larger
   gives that person's score. So a group's statistics are shown only when its count of people
   is shown (step 2, over the same tree) and is at least the threshold, and on every line whose
   total's statistics are shown, the children whose statistics are hidden (those with anyone
   in them) are none, or at least two that together cover at least the threshold of people;
   otherwise the smallest shown child is hidden too, or the total when no child is left to
   hide. A line whose total is hidden keeps a hidden child, so the total cannot be added up.
   Repeated until no line changes. Only statistics over one set of people per comparison are
   ever shown (the people paired for it): never a baseline average over everyone with a
   baseline beside one over those also rated later, which could be subtracted.

`analytics/tests/test_suppression.py` audits the result as a reader with linear algebra would:
no hidden count (or hidden sum) is determined by the shown ones, for every filter of a
generated organisation.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapport import policy

type Key = Any  # hashable: a (tag, node) pair, a node


@dataclass(frozen=True)
class Line:
    """A published sum: `total` = the sum of `cells` (keys into the values)."""

    total: Key
    cells: tuple[Key, ...]


def solve(
    values: Mapping[Key, int],
    lines: Iterable[Line],
    *,
    threshold: int,
    hidden: Iterable[Key] = (),
) -> set[Key]:
    """The keys to hide so that no line gives a hidden value away: the policy on every line
    (each cell and each total under `threshold` hidden, complementary cells after them), with
    `hidden` hidden from the start, repeated until nothing changes. Returns the hidden keys
    (a superset of `hidden`)."""
    lines = list(lines)
    result = set(hidden)
    changed = True
    while changed:
        changed = False
        for line in lines:
            cells = {key: values[key] for key in line.cells}
            total_hidden = line.total in result
            if len(cells) == 1:
                # One cell is its total: the same people.
                (only,) = cells
                if (only in result) != total_hidden:
                    result.update((only, line.total))
                    changed = True
                continue
            forced = [key for key in cells if key in result]
            if total_hidden:
                if not forced:
                    smallest = min(cells.values())
                    result.update(key for key, value in cells.items() if value == smallest)
                    changed = True
                continue
            if not forced and values[line.total] >= threshold and min(cells.values()) >= threshold:
                continue  # nothing small, nothing hidden: the policy would change nothing
            shown = policy.suppress_small_groups(cells, min_size=threshold, hidden=forced)
            new = set(shown.hidden)
            if shown.total is None:
                new.add(line.total)
            if not new <= result:
                result |= new
                changed = True
    return result


def tree_lines(tree: Mapping[Key, Iterable[Iterable[Key]]], tag: str) -> list[Line]:
    """The lines of one quantity (`tag`: "n", "yes" or "no") over a tree given as each parent's
    partitions (a cohort is split by region, by function and by level: three lines)."""
    lines = []
    for parent, partitions in tree.items():
        for children in partitions:
            cells = tuple((tag, child) for child in children)
            if cells:
                lines.append(Line((tag, parent), cells))
    return lines


def protect_sizes(
    sizes: Mapping[Key, int], tree: Mapping[Key, Iterable[Iterable[Key]]], *, threshold: int
) -> set[Key]:
    """The nodes whose size (number of people) is hidden."""
    values = {("n", node): size for node, size in sizes.items()}
    doubled = [("n", node) for node, size in sizes.items() if size == 2 * (threshold - 1)]
    hidden = solve(values, tree_lines(tree, "n"), threshold=threshold, hidden=doubled)
    return {node for _tag, node in hidden}


def protect_measure(
    counts: Mapping[Key, int],
    sizes: Mapping[Key, int],
    hidden_sizes: set[Key],
    tree: Mapping[Key, Iterable[Iterable[Key]]],
    *,
    threshold: int,
) -> set[Key]:
    """The nodes whose count of `counts` (people who did it, out of the node's size) is hidden.
    A hidden size hides the count too, and whatever the tree's lines need besides."""
    values: dict[Key, int] = {}
    lines = tree_lines(tree, "yes") + tree_lines(tree, "no")
    for node, size in sizes.items():
        yes = counts.get(node, 0)
        values["n", node] = size
        values["yes", node] = yes
        values["no", node] = size - yes
        lines.append(Line(("n", node), (("yes", node), ("no", node))))
    start = [(tag, node) for node in hidden_sizes for tag in ("n", "yes", "no")]
    hidden = solve(values, lines, threshold=threshold, hidden=start)
    return {node for tag, node in hidden if tag == "yes"}


def protect_sums(
    counts: Mapping[Key, int],
    hidden_counts: set[Key],
    tree: Mapping[Key, Iterable[Iterable[Key]]],
    *,
    threshold: int,
) -> set[Key]:
    """The nodes whose sums over their people (and every statistic built from them) are hidden,
    step 3 of the module docstring. `counts`: each node's number of people the sums are over
    (a node absent has none); `hidden_counts`: the nodes whose count is hidden (`protect_measure`
    over the same tree). Returns a superset of `hidden_counts` and of every node under
    `threshold`."""
    nodes: set[Key] = set(counts) | set(tree)
    lines: list[tuple[Key, tuple[Key, ...]]] = []
    for parent, partitions in tree.items():
        for children in partitions:
            cells = tuple(children)
            nodes.update(cells)
            if cells:
                lines.append((parent, cells))
    hidden = {node for node in nodes if node in hidden_counts or counts.get(node, 0) < threshold}

    def people(node: Key) -> int:
        return counts.get(node, 0)

    changed = True
    while changed:
        changed = False
        for total, cells in lines:
            if len(cells) == 1:
                # One child is its parent: the same people.
                pair = {total, cells[0]}
                if pair & hidden and not pair <= hidden:
                    hidden |= pair
                    changed = True
                continue
            occupied = [cell for cell in cells if people(cell) > 0]
            hidden_cells = [cell for cell in occupied if cell in hidden]
            shown_cells = [cell for cell in occupied if cell not in hidden]
            if total in hidden:
                if people(total) > 0 and not hidden_cells and shown_cells:
                    smallest = min(people(cell) for cell in shown_cells)
                    hidden.update(c for c in shown_cells if people(c) == smallest)
                    changed = True
                continue
            covered = sum(people(cell) for cell in hidden_cells)
            if not hidden_cells or (len(hidden_cells) >= 2 and covered >= threshold):
                continue
            if shown_cells:
                smallest = min(people(cell) for cell in shown_cells)
                hidden.update(c for c in shown_cells if people(c) == smallest)
            else:
                hidden.add(total)
            changed = True
    return hidden
