"""Progress: what each demo learner has done, and when, planned in memory before it is written.

A `Planner` draws each learner's steps (activities started or finished, positions reached in
media) from the seed's one random generator, by profile: steady, catching up, dipping in, or not
started yet. Times are whole seconds since the Unix epoch (UTC).
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from demo.bulk import DAY
from events.models import Verb
from rapport.lib.timezones import get_zone

StepEvent = tuple[int, str, object, object]  # (epoch seconds, verb, activity id, result)
# Plain strings: an enum member's .value costs an attribute lookup per event.
VIEWED, PLAYED, PAUSED, LAUNCHED, COMPLETED = (
    str(v.value) for v in (Verb.VIEWED, Verb.PLAYED, Verb.PAUSED, Verb.LAUNCHED, Verb.COMPLETED)
)


@dataclass(frozen=True)
class Act:
    """One activity as the planner needs it: ids, kind, week, media length (s), minutes."""

    pk: int
    object_id: object  # the activity's public_id as a driver parameter
    kind: str
    week: int
    media_seconds: float
    minutes: int
    session_offset: int | None  # live sessions: seconds after the cohort's first day (UTC)


@dataclass(frozen=True)
class Step:
    """One activity a learner started (and maybe finished), where they got to and when."""

    act: Act
    completed: bool
    position: float
    at: int  # epoch seconds
    ends: int | None = None  # a live session's end for this learner's cohort (epoch seconds)


@dataclass
class LearnerPlan:
    """Everything one learner has done, in the order they did it."""

    steps: list[Step] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(1 for step in self.steps if step.completed)


PROFILES = ("steady", "catching_up", "dipping_in", "not_started")
PROFILE_WEIGHTS = (40, 25, 20, 15)
WAKING_HOURS = (7 * 3600 + 1800, 21 * 3600)  # local seconds after midnight


@cache
def utc_offset(zone: str, day: date) -> int:
    """Seconds east of UTC. One offset per zone for the whole seed: a daylight-saving change
    moves a few events by an hour, which nobody notices, and saves a zone lookup per event."""
    moment = datetime.combine(day, time(12), tzinfo=UTC).astimezone(get_zone(zone))
    return int((moment.utcoffset() or timedelta(0)).total_seconds())


class Planner:
    """Chooses, for one learner, which activities they started and finished, and when."""

    def __init__(self, rng: random.Random, weeks: list[list[Act]], now: int) -> None:
        self.rng = rng
        self.weeks = weeks
        self.now = now
        self.today = now - now % DAY

    def _when(self, start: int, act: Act, offset: int) -> int:
        """A moment in the learner's waking hours during the activity's week, never later than
        now; live sessions are joined when they are scheduled."""
        rng = self.rng
        if act.session_offset is not None:  # each cohort meets in its own week
            return start + act.session_offset - rng.randint(1, 30) * 3600
        week_start = start + (act.week - 1) * 7 * DAY
        days = max(1, min(7, (self.today - week_start) // DAY + 1))
        moment = week_start + rng.randrange(days) * DAY + rng.randint(*WAKING_HOURS) - offset
        return min(moment, self.now - rng.randint(300, 14_400))

    def available(self, start: int, reached: int) -> list[list[Act]]:
        return [
            [a for a in week if a.session_offset is None or start + a.session_offset < self.now]
            for week in self.weeks[:reached]
        ]

    def plan(
        self, start: int, reached: int, offset: int, profile: str | None = None
    ) -> LearnerPlan:
        """start: the cohort's first day (epoch seconds); reached: the cohort's current week."""
        plan = LearnerPlan()
        if reached < 1:
            return plan
        profile = profile or self.rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
        weeks = self.available(start, reached)
        if profile == "not_started":
            return plan
        if profile == "dipping_in":
            for act in (a for week in weeks for a in week):
                chance = self.rng.random()
                if chance < 0.5:
                    plan.steps.append(self.step(start, act, offset, completed=chance < 0.35))
            return plan
        behind = 0 if profile == "steady" else 1
        full = max(0, reached - 1 - behind)
        for week in weeks[:full]:
            plan.steps += [self.step(start, act, offset, completed=True) for act in week]
        if full < len(weeks):
            current = weeks[full]
            done = self.rng.randint(0, max(0, len(current) - 1))
            plan.steps += [self.step(start, act, offset, completed=True) for act in current[:done]]
            if done < len(current) and self.rng.random() < 0.6:
                plan.steps.append(self.step(start, current[done], offset, completed=False))
        return plan

    def showcase(self, start: int, reached: int, offset: int) -> LearnerPlan:
        """The demo learner: every past week done, and this week's podcast part-listened, so
        the first page after signing in shows a journey in progress and media to resume."""
        plan = self.plan(start, reached, offset, profile="steady")
        plan.steps = [step for step in plan.steps if step.act.week < reached]
        this_week = self.available(start, reached)[-1] if reached else []
        media = next((act for act in this_week if act.media_seconds), None)
        if media is not None:
            plan.steps.append(self.step(start, media, offset, completed=False))
        return plan

    def step(self, start: int, act: Act, offset: int, *, completed: bool) -> Step:
        position = 0.0
        if act.media_seconds:
            low, high = 0.15 * act.media_seconds, 0.85 * act.media_seconds
            position = act.media_seconds if completed else round(self.rng.uniform(low, high), 1)
        ends = None
        if act.session_offset is not None:
            ends = start + act.session_offset + act.minutes * 60
        return Step(act, completed, position, self._when(start, act, offset), ends)
