"""Shared set-up of the analytics tests: a generated organisation with groups of every size
(some under the threshold), learners' events recorded through events.actions and completions
through cohorts.actions, and the rollup refreshed."""

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from analytics.rollups import refresh
from cohorts.actions import Seat, enroll_many, set_completed
from cohorts.models import Cohort, Enrollment
from events.actions import new_event, record_events
from events.models import ObjectType, Verb
from organizations.actions import NewPerson, add_members
from organizations.models import Organization
from programs.models import Activity, Program
from rapport.testing import PASSWORD, make_cohort, make_program

REGIONS = ("Europe", "Asia", "Americas", "Africa")
FUNCTIONS = ("Sales", "Operations", "Finance")
LEVELS = ("First-line", "Middle")


def people(
    org: Organization, count: int, *, prefix: str, seed: int, skew: bool = True
) -> list[Any]:
    """`count` learners with region, function and level drawn so that some groups are tiny."""
    rng = random.Random(seed)
    weights = (8, 3, 1, 1) if skew else (1, 1, 1, 1)
    new = [
        NewPerson(
            email=f"{prefix}{n}@gen.example",
            full_name=f"{prefix.title()} {n}",
            region=rng.choices(REGIONS, weights=weights)[0],
            function=rng.choices(FUNCTIONS, weights=(6, 3, 1))[0],
            level=rng.choices(LEVELS, weights=(5, 1))[0],
        )
        for n in range(count)
    ]
    return [m.user for m in add_members(org, people=new, password=PASSWORD, invite=False)]


def activity_of(program: Program) -> list[Activity]:
    return list(Activity.objects.filter(week__program=program).order_by("week__number", "position"))


def generate(
    org: Organization,
    *,
    program: Program | None = None,
    cohorts: int = 2,
    learners: int = 24,
    seed: int = 7,
    start: date | None = None,
) -> dict[str, Any]:
    """A programme of two weeks with cohorts of `learners` each; each learner has events in
    some weeks and completes some activities, at random but reproducibly. Refreshes the rollup.
    """
    rng = random.Random(seed)
    program = program or make_program(org, weeks=2, per_week=4, title=f"Programme {seed}")
    activities = activity_of(program)
    made: list[Cohort] = []
    for index in range(cohorts):
        begin = (start or date(2026, 9, 7)) + timedelta(days=14 * index)
        cohort = make_cohort(program, name=f"Cohort {seed}-{index + 1}", start=begin)
        made.append(cohort)
        users = people(org, learners, prefix=f"c{seed}x{index}y", seed=seed * 31 + index)
        enroll_many(cohort, seats=[Seat(u.pk) for u in users])
        seats = {
            e.user_id: e
            for e in Enrollment.objects.filter(cohort=cohort).select_related("user", "cohort")
        }
        events = []
        for user in users:
            for week in (1, 2):
                if rng.random() < 0.6:
                    day = begin + timedelta(days=7 * (week - 1) + rng.randrange(7))
                    for activity in rng.sample(activities, 3):
                        event = new_event(
                            user,
                            verb=rng.choice([Verb.VIEWED, Verb.PLAYED, Verb.LAUNCHED]),
                            object_type=ObjectType.ACTIVITY,
                            object_id=activity.public_id,
                            cohort=cohort,
                        )
                        event.timestamp = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
                        events.append(event)
            for activity in activities:
                if rng.random() < 0.4:
                    set_completed(seats[user.pk], activity=activity)
        record_events(events)
    refresh(settle=timedelta(0))
    return {"program": program, "cohorts": made, "activities": activities}
