"""The read side of circles: a cohort's learners as circles.formation sees them, and the review
page's view of the cohort's circles, each assembled in a fixed number of queries.

Not a view module: the callers (views through access getters, actions) have already checked that
the person may manage the cohort; these functions read the cohort's rows for that purpose.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from circles import formation
from circles.models import Circle, CircleMember, CircleState
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from rapport.lib.timezones import is_valid_time_zone

if TYPE_CHECKING:
    from accounts.models import User


class MixAttribute:
    """The attributes an admin may mix circles on: fields of organizations.Membership."""

    CHOICES = (("region", "Region"), ("function", "Function"), ("level", "Level"))
    NAMES = tuple(name for name, _ in CHOICES)


@cache
def _window(zone: str, day_ordinal: int) -> tuple[int, int]:
    from datetime import date

    return formation.working_window(
        zone if is_valid_time_zone(zone) else "UTC", date.fromordinal(day_ordinal)
    )


@dataclass
class Person:
    """A learner of the cohort: their account, seat, attributes and the formation's view."""

    user: "User"
    enrollment: Enrollment
    region: str
    function: str
    level: str
    learner: formation.Learner

    @property
    def zone(self) -> str:
        return self.user.time_zone


def load_people(cohort: Cohort) -> dict[int, Person]:
    """Every learner of the cohort by user id, with their attributes, working window on the
    cohort's reference day (formation.reference_day), line manager and earlier circle-mates.
    Two queries whatever the cohort's size."""
    day = formation.reference_day(cohort.start_date).toordinal()
    seats = list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER)
        .select_related("user__membership")
        .order_by("user_id")
    )
    mates = past_mates(cohort)
    people: dict[int, Person] = {}
    for seat in seats:
        user = seat.user
        membership = getattr(user, "membership", None)
        region = membership.region if membership else ""
        function = membership.function if membership else ""
        level = membership.level if membership else ""
        people[user.pk] = Person(
            user=user,
            enrollment=seat,
            region=region,
            function=function,
            level=level,
            learner=formation.Learner(
                id=user.pk,
                window=_window(user.time_zone, day),
                attributes={"region": region, "function": function, "level": level},
                manager_id=membership.line_manager_id if membership else None,
                past_mates=frozenset(mates.get(user.pk, ())),
            ),
        )
    return people


def past_mates(cohort: Cohort) -> dict[int, set[int]]:
    """For each learner of the cohort, the people they shared a published circle with in another
    cohort of the organisation. One query."""
    learners = Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER).values(
        "user_id"
    )
    earlier = (
        CircleMember.objects.filter(user_id__in=learners, circle__state=CircleState.PUBLISHED)
        .exclude(cohort=cohort)
        .values("circle_id")
    )
    circles: dict[int, list[int]] = defaultdict(list)
    for circle_id, user_id in CircleMember.objects.filter(circle_id__in=earlier).values_list(
        "circle_id", "user_id"
    ):
        circles[circle_id].append(user_id)
    mates: dict[int, set[int]] = defaultdict(set)
    for members in circles.values():
        for user_id in members:
            mates[user_id].update(m for m in members if m != user_id)
    return mates


@dataclass
class CircleView:
    """One circle as the review page shows it: members, the rules it breaks, its new ties."""

    circle: Circle
    members: list[Person] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ties: int = 0
    shared_minutes: int = 0


@dataclass
class Review:
    """A cohort's circles for its admin: the circles, who is in none (and why), the score and
    its bound for the attributes mixed."""

    cohort: Cohort
    mix: tuple[str, ...]
    circles: list[CircleView]
    unplaced: list[tuple[Person, str]]
    score: int
    bound: int

    @property
    def ratio(self) -> float:
        return self.score / self.bound if self.bound else 1.0

    @property
    def broken(self) -> list[CircleView]:
        return [view for view in self.circles if view.problems]

    @property
    def is_published(self) -> bool:
        return bool(self.circles) and all(v.circle.is_published for v in self.circles)


def review(cohort: Cohort, mix: Sequence[str], people: dict[int, Person] | None = None) -> Review:
    """Assemble the review of the cohort's circles (four queries, or two given `people`)."""
    people = load_people(cohort) if people is None else people
    circles = list(Circle.objects.filter(cohort=cohort).select_related("coach").order_by("pk"))
    views = {circle.pk: CircleView(circle) for circle in circles}
    placed: set[int] = set()
    for circle_id, user_id in (
        CircleMember.objects.filter(cohort=cohort)
        .order_by("pk")
        .values_list("circle_id", "user_id")
    ):
        person = people.get(user_id)
        if person is not None and circle_id in views:
            views[circle_id].members.append(person)
            placed.add(user_id)
    for view in views.values():
        learners = [p.learner for p in view.members]
        view.problems = formation.check_circle(learners)
        view.ties = formation.ties(learners, mix)
        view.shared_minutes = formation.shared_minutes([p.window for p in learners])
    circle_members = [[p.learner for p in v.members] for v in views.values()]
    unplaced = []
    for user_id, person in people.items():
        if user_id in placed:
            continue
        where = formation.place_late_joiner(person.learner, circle_members, mix)
        reason = (
            where.explanation
            if isinstance(where, formation.Unplaced)
            else "not placed yet: a circle with room fits them"
        )
        unplaced.append((person, reason))
    key_counts: dict[tuple[str, ...], int] = defaultdict(int)
    for person in people.values():
        key_counts[formation.key_of(person.learner, mix)] += 1
    return Review(
        cohort=cohort,
        mix=tuple(mix),
        circles=list(views.values()),
        unplaced=unplaced,
        score=sum(v.ties for v in views.values()),
        bound=formation.upper_bound(key_counts.values(), len(people)),
    )


def learners_of(people: Iterable[Person]) -> list[formation.Learner]:
    return [p.learner for p in people]
