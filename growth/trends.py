"""A person's own emotion and energy trend: one point per day over the last TREND_DAYS days
(the day's average when they checked in more than once), for a table and a small SVG chart.
Read from the person's own check-ins only (growth.access.moods_of)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from growth.models import MoodCheckIn

TREND_DAYS = 14
# The chart's drawing box (SVG user units): 1 at the bottom, 5 at the top.
CHART_WIDTH = 280
CHART_HEIGHT = 100
CHART_PAD = 8


@dataclass(frozen=True)
class TrendDay:
    """One day of the trend: averages on the 1-5 scales (None without a check-in), rounded
    to one decimal, and where the day sits on the chart (x, and y for each scale)."""

    day: date
    feeling: float | None
    energy: float | None
    x: float
    feeling_y: float | None
    energy_y: float | None


@dataclass(frozen=True)
class Trend:
    days: list[TrendDay]
    feeling_points: str  # an SVG polyline's points, days with a check-in only
    energy_points: str
    count: int  # check-ins in the window

    @property
    def answered(self) -> list[TrendDay]:
        return [d for d in self.days if d.feeling is not None]


def _y(value: float | None) -> float | None:
    if value is None:
        return None
    span = CHART_HEIGHT - 2 * CHART_PAD
    return round(CHART_HEIGHT - CHART_PAD - (value - 1) / 4 * span, 1)


def own_trend(moods: list[MoodCheckIn], *, today: date) -> Trend:
    """The trend of `moods` (the person's own check-ins, any order) for the TREND_DAYS days
    ending `today`."""
    first = today - timedelta(days=TREND_DAYS - 1)
    feelings: dict[date, list[int]] = defaultdict(list)
    energies: dict[date, list[int]] = defaultdict(list)
    count = 0
    for mood in moods:
        if first <= mood.day <= today:
            feelings[mood.day].append(mood.feeling)
            energies[mood.day].append(mood.energy)
            count += 1
    step = (CHART_WIDTH - 2 * CHART_PAD) / (TREND_DAYS - 1)
    days = []
    for n in range(TREND_DAYS):
        day = first + timedelta(days=n)
        f = round(sum(feelings[day]) / len(feelings[day]), 1) if feelings[day] else None
        e = round(sum(energies[day]) / len(energies[day]), 1) if energies[day] else None
        days.append(TrendDay(day, f, e, round(CHART_PAD + n * step, 1), _y(f), _y(e)))
    return Trend(
        days,
        " ".join(f"{d.x},{d.feeling_y}" for d in days if d.feeling_y is not None),
        " ".join(f"{d.x},{d.energy_y}" for d in days if d.energy_y is not None),
        count,
    )
