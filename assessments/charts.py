"""Charts of My growth over time, drawn on the server as SVG by pygal (a well-kept PyPI
library) and embedded as images (`data:` URLs, which the CSP's `img-src` allows; no script).

Each chart is one competency: its behaviours' average per round for me, my peers and my coach,
on the 1-5 scale. It is an image with a one-sentence alternative, and the page puts the table
of every value beside it, so a screen reader gets all of it as text. Series differ in colour,
line style and marker, never in colour alone. Rendering one chart takes about 5 ms.
"""

import base64
from dataclasses import dataclass

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from assessments.models import SCALE_MAX, SCALE_MIN
from assessments.report import CompetencyBlock, RoundColumn, WeekActivity

# Colours with at least 4.5:1 contrast on white (WCAG 2.2 AA), told apart by dashes as well.
SELF_COLOUR = "#1f5f8b"
PEERS_COLOUR = "#9a4a00"
COACH_COLOUR = "#2e6b30"

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#222222",
    foreground_strong="#111111",
    foreground_subtle="#5b5b5b",
    colors=(SELF_COLOUR, PEERS_COLOUR, COACH_COLOUR),
    font_family="system-ui, -apple-system, 'Segoe UI', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
)


@dataclass(frozen=True)
class Chart:
    """An SVG chart as a `data:` URL for an `<img>`, and its text alternative."""

    src: str
    alt: str


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 1) if known else None


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def competency_chart(block: CompetencyBlock, columns: list[RoundColumn]) -> Chart:
    """A line chart of one competency: x the rounds, y 1-5, a line each for me, my peers (only
    where the report shows peers) and my coach, gaps where there is no value."""
    labels = [str(c.round.get_kind_display()) for c in columns]
    me, peers, coach = [], [], []
    for n in range(len(columns)):
        me.append(_mean([row.cells[n].self_score for row in block.rows]))
        peers.append(_mean([row.cells[n].peer_mean for row in block.rows]))
        coach.append(_mean([row.cells[n].coach_score for row in block.rows]))
    chart = pygal.Line(
        style=STYLE,
        range=(SCALE_MIN, SCALE_MAX),
        y_labels=list(range(SCALE_MIN, SCALE_MAX + 1)),
        x_labels=labels,
        js=[],
        width=520,
        height=280,
        margin_right=40,  # the last round's label is centred on the right edge: room for it
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        dots_size=5,
        allow_interruptions=True,
        print_values=False,
        truncate_label=-1,
        disable_xml_declaration=True,
    )
    chart.add(_("Me"), me)
    chart.add(_("My peers"), peers, stroke_style={"dasharray": "8,4", "width": 2})
    chart.add(_("My coach"), coach, stroke_style={"dasharray": "2,4", "width": 2})
    parts = []
    for name, values in ((_("me"), me), (_("my peers"), peers), (_("my coach"), coach)):
        known = [f"{label} {value}" for label, value in zip(labels, values, strict=True) if value]
        if known:
            parts.append(_("%(who)s: %(values)s") % {"who": name, "values": ", ".join(known)})
    alt = _("%(competency)s, average of its behaviours on the 1 to 5 scale. %(values)s.") % {
        "competency": block.name,
        "values": "; ".join(parts) or _("No ratings yet"),
    }
    return Chart(_data_url(chart.render(is_unicode=True)), alt)


def activity_chart(weeks: list[WeekActivity]) -> Chart:
    """A bar chart of the activities I completed in each programme week."""
    chart = pygal.Bar(
        style=STYLE,
        x_labels=[str(w.number) for w in weeks],
        x_title=_("Programme week"),
        y_title=_("Activities done"),
        js=[],
        width=520,
        height=240,
        show_legend=False,
        print_values=True,
        min_scale=1,
        disable_xml_declaration=True,
    )
    chart.add(_("Activities done"), [w.completed for w in weeks])
    alt = _("Activities done per programme week: %(values)s.") % {
        "values": ", ".join(
            _("week %(n)s %(done)s") % {"n": w.number, "done": w.completed} for w in weeks
        )
    }
    return Chart(_data_url(chart.render(is_unicode=True)), alt)
