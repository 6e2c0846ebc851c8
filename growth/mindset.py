"""The mindset page, assembled: each belief with its routines, today's answer and a gentle
streak. A streak here never scolds: it counts what was done in a recent window ("3 of the last
7 days") and shows no broken chain, no red and no "missed" — a day without an answer is simply
blank.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from growth import access
from growth.models import Belief, Cadence, Routine, RoutineCheckIn

if TYPE_CHECKING:
    from accounts.models import User

DAYS_SHOWN = 7  # a daily routine's window
WEEKS_SHOWN = 4  # a weekly routine's window
HISTORY_DAYS = 7 * WEEKS_SHOWN  # what one page load fetches, for either cadence


def period_of(cadence: str, today: date) -> date:
    """The period a check-in today answers: the day itself, or the Monday of its week."""
    if cadence == Cadence.WEEKLY:
        return today - timedelta(days=today.weekday())
    return today


@dataclass(frozen=True)
class Mark:
    """One period of the window: its first day, a label and "done", "not_today" or "open"."""

    period: date
    label: str
    state: str


@dataclass(frozen=True)
class RoutineView:
    """A routine as the page shows it: today's answer (None before one), the window's marks
    (oldest first) and the kind sentence that sums them up."""

    routine: Routine
    answer: RoutineCheckIn | None
    marks: list[Mark]
    summary: str


@dataclass(frozen=True)
class BeliefView:
    belief: Belief
    routines: list[RoutineView]


def _periods(cadence: str, today: date) -> list[date]:
    current = period_of(cadence, today)
    if cadence == Cadence.WEEKLY:
        return [current - timedelta(weeks=n) for n in range(WEEKS_SHOWN - 1, -1, -1)]
    return [current - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1)]


def summarise(routine: Routine, check_ins: list[RoutineCheckIn], *, today: date) -> RoutineView:
    """The view of one routine from its check-ins (any order, any period)."""
    by_period = {c.period: c for c in check_ins}
    periods = _periods(routine.cadence, today)
    marks = []
    for period in periods:
        found = by_period.get(period)
        state = "open" if found is None else ("done" if found.done else "not_today")
        label = (
            _("week of %(date)s") % {"date": date_format(period, "j M")}
            if routine.cadence == Cadence.WEEKLY
            else date_format(period, "D j M")
        )
        marks.append(Mark(period, label, state))
    done = sum(1 for m in marks if m.state == "done")
    if routine.cadence == Cadence.WEEKLY:
        summary = ngettext(
            "Done in %(done)d of the last %(n)d week",
            "Done in %(done)d of the last %(n)d weeks",
            WEEKS_SHOWN,
        ) % {"done": done, "n": WEEKS_SHOWN}
    else:
        summary = ngettext(
            "Done on %(done)d of the last %(n)d day",
            "Done on %(done)d of the last %(n)d days",
            DAYS_SHOWN,
        ) % {"done": done, "n": DAYS_SHOWN}
    if done == 0:
        summary = _("A fresh start: check in whenever you have done it.")
    return RoutineView(routine, by_period.get(periods[-1]), marks, summary)


def mindset_page(user: "User | Any", *, today: date) -> list[BeliefView]:
    """Every belief of the person with its routines summarised (three queries)."""
    since = today - timedelta(days=HISTORY_DAYS)
    return [
        BeliefView(
            belief,
            [
                summarise(routine, list(routine.check_ins.all()), today=today)
                for routine in belief.routines.all()
            ],
        )
        for belief in access.beliefs_with_routines(user, since=since)
    ]


def routine_card(user: "User | Any", routine_id: uuid.UUID, *, today: date) -> RoutineView:
    """One routine of the person, summarised (two queries); 404 if it is not theirs."""
    routine = access.get_routine_for_user(user, routine_id)
    since = today - timedelta(days=HISTORY_DAYS)
    check_ins = access.check_ins_of(user, routine, since=since)
    return summarise(routine, check_ins, today=today)
