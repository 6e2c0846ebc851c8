"""Nudges: who a coach's nudge would reach (the coach's own learners, filtered), and each
learner's text with the placeholders filled in. Pure reads and a pure renderer; the writes are
in coaching.actions.

Placeholders are exact tokens replaced by plain text — never `str.format` (which would let a
message reach attributes: "{first_name.__class__}") — and the page escapes the result, so a
learner's name or a week's title cannot inject markup.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cohorts.models import Enrollment, EnrollmentRole
from events.models import Event
from programs.models import Week
from rapport.lib.timezones import local_today

PLACEHOLDERS = {
    "first_name": _("the learner's first name"),
    "week_title": _("the title of the learner's week this week"),
    "coach_name": _("your name"),
}
TOKEN = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(body: str) -> list[str]:
    """The `{…}` tokens of `body` that are not placeholders, in order, each once."""
    found: list[str] = []
    for name in TOKEN.findall(body):
        if name not in PLACEHOLDERS and name not in found:
            found.append(name)
    return found


def stray_braces(body: str) -> bool:
    """Whether `body` has a `{` or `}` outside a `{…}` token ("Hi {first_name" left open),
    which would reach every learner as typed."""
    rest = TOKEN.sub("", body)
    return "{" in rest or "}" in rest


def render_nudge(body: str, values: dict[str, str]) -> str:
    """`body` with each known placeholder replaced by its value (plain text)."""
    return TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), body)


@dataclass(frozen=True)
class Audience:
    """The filters a coach chose. All optional; together they narrow the coach's learners."""

    learner_id: Any = None  # one learner's public id
    cohort_id: Any = None  # one cohort's public id
    completed_at_most: int | None = None  # activities done, at most
    inactive_days: int | None = None  # no recorded activity for this many days

    @property
    def is_one_person(self) -> bool:
        return self.learner_id is not None


def audience_of(coach: Any, audience: Audience, *, now: datetime) -> list[Enrollment]:
    """The coach's learner seats (`Enrollment.coach`, active accounts, the coach's current
    organisation) that match, with user and cohort, one seat per learner (the most recent
    cohort), by name. One query. Nobody else's learners, whatever the ids say."""
    seats = Enrollment.objects.in_organization_of(coach).filter(
        coach=coach, role=EnrollmentRole.LEARNER, user__is_active=True
    )
    if audience.learner_id is not None:
        seats = seats.filter(user__public_id=audience.learner_id)
    if audience.cohort_id is not None:
        seats = seats.filter(cohort__public_id=audience.cohort_id)
    if audience.completed_at_most is not None:
        seats = seats.filter(completed_count__lte=audience.completed_at_most)
    if audience.inactive_days is not None:
        since = now - timedelta(days=audience.inactive_days)
        recent = Event.objects.filter(actor=OuterRef("user_id"), timestamp__gte=since)
        seats = seats.filter(~Exists(recent))
    chosen: dict[int, Enrollment] = {}
    for seat in seats.select_related("user", "cohort").order_by(
        "user__full_name", "user_id", "-cohort__start_date"
    ):
        chosen.setdefault(seat.user_id, seat)
    return list(chosen.values())


def week_titles(seats: list[Enrollment], *, now: datetime) -> dict[int, str]:
    """{seat id: the title of the week the learner is in today, in their own zone} (empty
    before the start; the last week after the end). One query."""
    programs = {seat.cohort.program_id for seat in seats}
    weeks = {
        (w.program_id, w.number): w.title for w in Week.objects.filter(program_id__in=programs)
    }
    last: dict[int, int] = {}
    for program_id, number in weeks:
        last[program_id] = max(number, last.get(program_id, 0))
    titles: dict[int, str] = {}
    for seat in seats:
        number = seat.cohort.week_number_on(local_today(seat.user.time_zone, now))
        number = min(number, last.get(seat.cohort.program_id, 0))
        titles[seat.pk] = weeks.get((seat.cohort.program_id, number), "")
    return titles


def values_for(seat: Enrollment, coach: Any, week_title: str) -> dict[str, str]:
    """The placeholders' values for one learner."""
    return {
        "first_name": seat.user.get_short_name(),
        "week_title": week_title,
        "coach_name": coach.full_name,
    }
