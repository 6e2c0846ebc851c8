"""The dashboard's charts: SVG drawn on the server by pygal, from the very cells the page's
tables show (a suppressed cell is a gap, and its label says "suppressed"), embedded as an image
(`data:` URI, allowed by the CSP's img-src) with a text alternative; the data table beside each
chart carries the same numbers for screen readers. pygal's tooltips script is left out: the
image is static."""

import math
from collections.abc import Sequence

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from analytics.connections import ConnectionWeek
from analytics.dashboard import PAIRS, RATER_GROUPS, RESOURCE_KINDS, Cell, ChangeRow, WeekRow

# The product's palette (static/css), dark enough on white for WCAG's 3:1 for graphics.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#1d5fa8", "#b44d12", "#2f7d32", "#7b3fa0"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
)


def _value(cell: Cell) -> int | None:
    return cell.value


def _labels(weeks: Sequence[WeekRow], cells: Sequence[Sequence[Cell]]) -> list[str]:
    labels = []
    for week, row in zip(weeks, cells, strict=True):
        label = _("Week %(n)d") % {"n": week.number}
        if any(c.hidden for c in row):
            label += " " + _("(suppressed)")
        labels.append(label)
    return labels


def _chart(kind: type[pygal.graph.graph.Graph], title: str) -> pygal.graph.graph.Graph:
    return kind(
        title=title,
        width=720,
        height=320,
        style=STYLE,
        js=[],
        x_label_rotation=0,
        print_values=False,
        show_y_guides=True,
        min_scale=1,
        include_x_axis=True,  # counts start at zero: no exaggerated slopes
        legend_at_bottom=True,
        no_data_text=_("Nothing to show"),
    )


def weekly_active(weeks: Sequence[WeekRow]) -> str:
    """Weekly active learners and learners who completed something, as a `data:` URI."""
    chart = _chart(pygal.Bar, _("Learners active each week"))
    chart.x_labels = _labels(weeks, [[w.active, w.completed] for w in weeks])
    chart.add(_("Active"), [_value(w.active) for w in weeks])
    chart.add(_("Completed an activity"), [_value(w.completed) for w in weeks])
    return str(chart.render_data_uri())


def resource_use(weeks: Sequence[WeekRow]) -> str:
    """Learners using each kind of resource each week, as a `data:` URI."""
    chart = _chart(pygal.Line, _("Learners using each kind of resource"))
    chart.x_labels = _labels(weeks, [w.kinds for w in weeks])
    for index, (_kind, label) in enumerate(RESOURCE_KINDS):
        chart.add(str(label), [_value(w.kinds[index]) for w in weeks])
    return str(chart.render_data_uri())


def connections(weeks: Sequence[ConnectionWeek]) -> str:
    """Learners with a tie and learners with none yet, week by week, as a `data:` URI."""
    chart = _chart(pygal.Bar, _("Learners connected and not yet connected"))
    chart.x_labels = [
        _("Week %(n)d") % {"n": w.number} + (" " + _("(suppressed)") if w.isolated.hidden else "")
        for w in weeks
    ]
    chart.add(_("Not yet connected"), [w.isolated.value for w in weeks])
    chart.add(_("With a new tie that week"), [w.new_tie.value for w in weeks])
    return str(chart.render_data_uri())


def capability(rows: Sequence[ChangeRow]) -> str:
    """The group's mean capability change per rater group (bars, in scale points) with its 95%
    confidence interval (whiskers), one series per comparison, as a `data:` URI. A hidden or
    not-yet change is a gap, and its rater group's label says so."""
    chart = _chart(pygal.Bar, _("Mean change in capability ratings (scale points, 95% CI)"))
    chart.config.min_scale = 4
    chart.config.truncate_label = -1  # "Peers (three or more)" in full
    by_key = {(row.later, row.group): row.change for row in rows}
    labels = []
    for group, label in RATER_GROUPS:
        text = str(label)
        cells = [by_key[later, group] for later, _l in PAIRS if (later, group) in by_key]
        if any(c.stats_hidden for c in cells):
            text += " " + _("(suppressed)")
        labels.append(text)
    chart.x_labels = labels
    # The axis holds the whole of every interval (pygal scales to the bars alone), in half
    # points, and always zero.
    ends = [end for c in by_key.values() if c.shown for end in (c.low, c.high) if end is not None]
    if ends:
        low = math.floor(min(0.0, *ends) * 2) / 2
        high = math.ceil(max(0.5, *ends) * 2) / 2
        chart.range = (low, high)
        chart.y_labels = [low + step / 2 for step in range(round((high - low) * 2) + 1)]
    for later, pair_label in PAIRS:
        values: list[dict[str, object] | None] = []
        for group, _label in RATER_GROUPS:
            change = by_key.get((later, group))
            if change is None or change.mean is None:
                values.append(None)
            else:
                values.append(
                    {"value": change.mean, "ci": {"low": change.low, "high": change.high}}
                )
        chart.add(str(pair_label), values)
    return str(chart.render_data_uri())
