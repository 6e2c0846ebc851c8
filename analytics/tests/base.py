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


def rate(
    org: Organization,
    cohorts: list[Cohort],
    *,
    seed: int = 5,
    year_later: int | None = None,
    answer: float = 1.0,
) -> dict[str, Any]:
    """Assessment rounds for `cohorts` answered by most of their learners, their peers and a
    coach, written straight to the tables (fast, reproducible). Every cohort's baseline and
    end rounds have opened (in September 2026); the year-later round has opened for the first
    `year_later` cohorts only (all when None), the rest are still to come. Each learner rates
    themself, is rated by the coach, and by three or four peers (or two: too few to count),
    each with a probability of about `answer` x 85%. Returns the coach and behaviours."""
    from assessments.models import AssessmentRound, Rating, Relation, Response, RoundKind
    from organizations.actions import seed_default_framework
    from organizations.models import Behaviour, Role
    from rapport.testing import make_user

    rng = random.Random(seed)
    if not Behaviour.objects.filter(organization=org).exists():
        seed_default_framework(org)
    behaviours = list(Behaviour.objects.filter(organization=org).order_by("pk")[:3])
    coach = make_user(org, f"coach{seed}@gen.example", role=Role.COACH)
    year_later = len(cohorts) if year_later is None else year_later
    rounds = []
    for index, cohort in enumerate(cohorts):
        later = date(2026, 10, 1) if index < year_later else date(2099, 9, 1)
        for kind, opens in (
            (RoundKind.BASELINE, date(2026, 8, 31)),
            (RoundKind.END, date(2026, 9, 14)),
            (RoundKind.YEAR_LATER, later),
        ):
            rounds.append(
                AssessmentRound.objects.update_or_create(
                    cohort=cohort,
                    kind=kind,
                    defaults={"opens_on": opens, "closes_on": opens + timedelta(days=20)},
                )[0]
            )
    responses: list[Response] = []
    scores: list[int] = []
    for round_ in rounds:
        if round_.opens_on.year > 2030:
            continue
        seats = list(Enrollment.objects.filter(cohort=round_.cohort, role="learner").order_by("pk"))
        lift = {"baseline": 0.0, "end": 0.8, "year_later": 0.6}[round_.kind]
        for n, seat in enumerate(seats):
            peers = [
                seats[(n + k) % len(seats)].user_id for k in range(1, rng.choice((3, 4, 2)) + 1)
            ]
            raters = [(Relation.SELF, seat.user_id), (Relation.COACH, coach.pk)]
            raters += [(Relation.PEER, p) for p in peers if p != seat.user_id]
            for relation, rater_id in raters:
                if rng.random() > 0.85 * answer:
                    continue
                responses.append(
                    Response(
                        organization=org,
                        round=round_,
                        subject=seat,
                        rater_id=rater_id,
                        relation=relation,
                    )
                )
                base = 2 + (seat.pk % 3) * 0.5 + lift
                scores += [
                    max(1, min(5, round(base + rng.choice((-1, 0, 0, 1))))) for _b in behaviours
                ]
    made = Response.objects.bulk_create(responses)
    marks = iter(scores)
    Rating.objects.bulk_create(
        Rating(response=response, behaviour=b, score=next(marks))
        for response in made
        for b in behaviours
    )
    return {"coach": coach, "behaviours": behaviours}
