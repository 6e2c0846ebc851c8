"""Writes of the circles domain: forming a cohort's draft circles, moving a person by hand,
publishing them (with a coach each), and placing a late joiner. Each is atomic; notifications
are queued with `transaction.on_commit`. Every placement in a published circle (publication,
a late joiner, a move into a published circle) records a `joined` event per person, in the
same transaction (`record_placements`).

Preconditions: the caller checked that `by` may manage the cohort's circles
(circles.access.get_cohort_for_circles). Nothing here copies text a person typed anywhere: a
notification names the circle, never a message.
"""

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from circles import formation
from circles.models import MAX_SIZE, Circle, CircleFormation, CircleMember, CircleState
from circles.roster import MixAttribute, Person, load_people
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from events.actions import new_event, record_events
from events.models import ObjectType, Verb
from notifications.actions import notify
from notifications.models import NotificationKind

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Circles are named after trees: short, warm, the same in every cohort, and never a place that
# could be read as where the members are.
NAMES = (
    "Acacia", "Alder", "Almond", "Ash", "Aspen", "Banyan", "Baobab", "Beech", "Birch", "Cedar",
    "Cherry", "Chestnut", "Cypress", "Elder", "Elm", "Eucalyptus", "Fig", "Fir", "Ginkgo",
    "Hawthorn", "Hazel", "Holly", "Juniper", "Kapok", "Larch", "Laurel", "Lemon", "Linden",
    "Magnolia", "Mango", "Maple", "Moringa", "Mulberry", "Neem", "Oak", "Olive", "Palm", "Pine",
    "Plane", "Poplar", "Redwood", "Rowan", "Sequoia", "Spruce", "Sumac", "Tamarind", "Teak",
    "Walnut", "Willow", "Yew",
)  # fmt: skip


class CircleError(ValueError):
    """A request the rules refuse (the message says why, for the page); nothing was changed."""


def free_place(taken: Iterable[int | None]) -> int | None:
    """The lowest place (1 to MAX_SIZE, `CircleMember.place`) not in `taken`, or None when the
    circle has no place left."""
    used = set(taken)
    return next((place for place in range(1, MAX_SIZE + 1) if place not in used), None)


def circle_name(index: int) -> str:
    """'Circle Acacia', …, 'Circle Yew', then 'Circle Acacia 2', …"""
    rounds, position = divmod(index, len(NAMES))
    return f"Circle {NAMES[position]}" + (f" {rounds + 1}" if rounds else "")


def _clean_mix(mix: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(name for name in MixAttribute.NAMES if name in set(mix))
    if not chosen:
        raise CircleError("Choose at least one attribute to mix circles on.")
    return chosen


def form_draft(cohort: Cohort, *, mix: Sequence[str], by: "User") -> formation.Formation:
    """Form the cohort's circles afresh as drafts (replacing earlier drafts), mixing on `mix`.

    Refused (CircleError) once the cohort's circles are published: from then on only late
    joiners are added. Queries: the roster (2), the delete, the inserts in bulk, the formation
    record; the formation itself runs in memory (4,500 learners in well under a second)."""
    chosen = _clean_mix(mix)
    with transaction.atomic():
        if Circle.objects.filter(cohort=cohort, state=CircleState.PUBLISHED).exists():
            raise CircleError(
                "This cohort's circles are published; they can no longer be re-formed."
            )
        people = load_people(cohort)
        result = formation.form_circles([p.learner for p in people.values()], chosen)
        Circle.objects.filter(cohort=cohort).delete()
        circles = Circle.objects.bulk_create(
            Circle(organization_id=cohort.organization_id, cohort=cohort, name=circle_name(i))
            for i in range(len(result.circles))
        )
        CircleMember.objects.bulk_create(
            (
                CircleMember(
                    organization_id=cohort.organization_id,
                    cohort=cohort,
                    circle=circle,
                    user_id=user_id,
                    enrollment=people[user_id].enrollment,
                    place=number if number <= MAX_SIZE else None,
                )
                for circle, members in zip(circles, result.circles, strict=True)
                for number, user_id in enumerate(members, start=1)
            ),
            batch_size=500,
        )
        CircleFormation.objects.update_or_create(
            cohort=cohort,
            defaults={
                "organization_id": cohort.organization_id,
                "mix": ",".join(chosen),
                "formed_by": by,
                "formed_at": timezone.now(),
                "published_at": None,
            },
        )
    return result


def move_person(
    cohort: Cohort, *, person: Person, to: Circle, by: "User", people: dict[int, Person]
) -> list[str]:
    """Put `person` (a learner of the cohort, placed or not) in circle `to` of the same cohort,
    and return what the circles they left and joined now break (empty: nothing). The admin
    decides: a move that breaks a rule is made and reported, and publishing is refused until
    every circle keeps every rule — but a published circle is never filled past MAX_SIZE (its
    members' places, `CircleMember.place`, are the database's guard). Refused (CircleError)
    for a circle of another cohort, a full published circle, and a move that raced another
    placement (nothing changed)."""
    if to.cohort_id != cohort.pk:
        raise CircleError("That circle is not in this cohort.")
    try:
        with transaction.atomic():
            # Lock the circle they join (PostgreSQL; SQLite's IMMEDIATE transactions already
            # serialise writers), as place_late_joiners does, so a placement waits for the move.
            Circle.objects.select_for_update().filter(pk=to.pk).first()
            current = (
                CircleMember.objects.select_for_update()
                .filter(cohort=cohort, user_id=person.user.pk)
                .first()
            )
            if current is not None and current.circle_id == to.pk:
                return []
            places = list(CircleMember.objects.filter(circle=to).values_list("place", flat=True))
            place = free_place(places) if len(places) < MAX_SIZE else None
            if place is None and to.state == CircleState.PUBLISHED:
                raise CircleError(
                    f"{to.name} is full ({MAX_SIZE} members): move someone out of it first."
                )
            left_circle_id = None
            if current is not None:
                left_circle_id = current.circle_id
                current.circle, current.place = to, place
                current.save(update_fields=["circle", "place"])
            else:
                CircleMember.objects.create(
                    circle=to, user=person.user, enrollment=person.enrollment, place=place
                )
            if to.state == CircleState.PUBLISHED:
                record_placements(cohort, [(to, person.enrollment)])
            members: dict[int, list[int]] = {}
            for circle_id, user_id in CircleMember.objects.filter(
                circle_id__in=[c for c in (to.pk, left_circle_id) if c]
            ).values_list("circle_id", "user_id"):
                members.setdefault(circle_id, []).append(user_id)
    except IntegrityError:  # a placement that did not wait took the place or the person
        raise CircleError(
            "The circles changed while you moved this person. Reload the page and try again."
        ) from None
    problems = [
        f"{to.name}: {problem}"
        for problem in formation.check_circle(
            [people[u].learner for u in members.get(to.pk, []) if u in people]
        )
    ]
    if left_circle_id is not None:
        left = formation.check_circle(
            [people[u].learner for u in members.get(left_circle_id, []) if u in people]
        )
        problems += [f"the circle they left: {problem}" for problem in left]
    return problems


def publish(
    cohort: Cohort,
    *,
    by: "User",
    people: dict[int, Person],
    notify_members: bool = True,
    at: datetime | None = None,
) -> int:
    """Publish the cohort's draft circles: each gets a coach (the cohort's coaches, balanced:
    the coach with fewest circles so far, preferring the one who coaches most of its members),
    becomes visible to its members and coach, and each member and coach is notified. Refused
    (CircleError) while any circle breaks a rule or there are none. `notify_members=False`
    (the demo's circles, published long ago) tells nobody, and `at` dates their `joined`
    events (default now). Returns how many circles were published."""
    with transaction.atomic():
        circles = list(
            Circle.objects.select_for_update().filter(cohort=cohort, state=CircleState.DRAFT)
        )
        if not circles:
            raise CircleError("There are no draft circles to publish.")
        members: dict[int, list[int]] = {c.pk: [] for c in circles}
        rows: dict[int, list[tuple[int, int | None]]] = {c.pk: [] for c in circles}
        for row_id, circle_id, user_id, place in CircleMember.objects.filter(
            circle__in=circles
        ).values_list("id", "circle_id", "user_id", "place"):
            members[circle_id].append(user_id)
            rows[circle_id].append((row_id, place))
        for circle in circles:
            problems = formation.check_circle(
                [people[u].learner for u in members[circle.pk] if u in people]
            )
            if len(rows[circle.pk]) > MAX_SIZE:
                problems.append(f"{len(rows[circle.pk])} members, more than {MAX_SIZE}")
            if problems:
                raise CircleError(
                    f"{circle.name} breaks a rule ({'; '.join(problems)}): "
                    "move people until every circle keeps the rules, then publish."
                )
        coaches = list(
            Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.COACH)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        load = Counter(dict.fromkeys(coaches, 0))
        for circle in circles:
            if coaches:
                theirs = Counter(
                    people[u].enrollment.coach_id for u in members[circle.pk] if u in people
                )
                circle.coach_id = min(coaches, key=lambda c: (load[c], -theirs[c], c))
                load[circle.coach_id] += 1
            circle.state = CircleState.PUBLISHED
        Circle.objects.bulk_update(circles, ["coach", "state"], batch_size=500)
        _give_places(rows)
        CircleFormation.objects.filter(cohort=cohort).update(published_at=timezone.now())
        record_placements(
            cohort,
            [(c, people[u].enrollment) for c in circles for u in members[c.pk] if u in people],
            at=at,
        )
        placed = [(c, members[c.pk]) for c in circles]
        if notify_members:
            transaction.on_commit(lambda: notify_circle_members(placed, actor=by))
    return len(circles)


def _give_places(rows: dict[int, list[tuple[int, int | None]]]) -> None:
    """Give a place to each member without one (a draft overfilled, then emptied by hand), in
    circles of at most MAX_SIZE members: by circle id, (member id, place) pairs."""
    placed = []
    for members in rows.values():
        taken = [place for _row, place in members]
        for row_id, place in members:
            if place is None:
                place = free_place(taken)
                taken.append(place)
                placed.append(CircleMember(pk=row_id, place=place))
    CircleMember.objects.bulk_update(placed, ["place"], batch_size=500)


def place_late_joiner(enrollment: Enrollment) -> Circle | formation.Unplaced | None:
    """Put a learner who joined after the cohort's circles were published into a circle with
    room, by the formation's rules (circles.formation.place_late_joiner, mixing on the
    attributes the admin chose). Returns the circle, an Unplaced saying why none fits (the
    admin's review page lists them with the reason), or None when there is nothing to do (not a
    learner, circles not published, already in a circle)."""
    return place_late_joiners(enrollment.cohort, [enrollment]).get(enrollment.pk)


def place_late_joiners(
    cohort: Cohort, enrollments: Sequence[Enrollment]
) -> dict[int, Circle | formation.Unplaced]:
    """`place_late_joiner` for several new seats of one cohort, loading the cohort once (called
    for every batch of new seats: circles.receivers). Returns, by enrollment id, the circle
    each learner joined or why they could not be placed; nothing for seats with nothing to do.
    One query when the cohort's circles are not published."""
    learners = [e for e in enrollments if e.role == EnrollmentRole.LEARNER]
    if not learners:
        return {}
    results: dict[int, Circle | formation.Unplaced] = {}
    with transaction.atomic():
        record = CircleFormation.objects.filter(cohort=cohort).first()
        if record is None or record.published_at is None:
            return {}
        circles = list(
            Circle.objects.select_for_update()
            .filter(cohort=cohort, state=CircleState.PUBLISHED)
            .order_by("pk")
        )
        people = load_people(cohort)
        members: dict[int, list[formation.Learner]] = {c.pk: [] for c in circles}
        # Every member counts for room and places, learner or not (a seat whose role changed
        # still holds a place): never only those the formation places by.
        taken: dict[int, list[int | None]] = {c.pk: [] for c in circles}
        placed: set[int] = set()
        for circle_id, user_id, place in CircleMember.objects.filter(cohort=cohort).values_list(
            "circle_id", "user_id", "place"
        ):
            placed.add(user_id)
            if circle_id in members:
                taken[circle_id].append(place)
                if user_id in people:
                    members[circle_id].append(people[user_id].learner)
        chosen: list[tuple[Enrollment, Circle, CircleMember]] = []
        for enrollment in learners:
            person = people.get(enrollment.user_id)
            if person is None or enrollment.user_id in placed:
                continue
            where = formation.place_late_joiner(
                person.learner,
                [members[c.pk] for c in circles],
                record.mix_attributes,
                sizes=[len(taken[c.pk]) for c in circles],
            )
            if isinstance(where, formation.Unplaced):
                results[enrollment.pk] = where
                continue
            circle = circles[where]
            place = free_place(taken[circle.pk])
            members[circle.pk].append(person.learner)
            taken[circle.pk].append(place)
            placed.add(enrollment.user_id)
            row = CircleMember(
                organization_id=cohort.organization_id,
                cohort=cohort,
                circle=circle,
                user_id=enrollment.user_id,
                enrollment=person.enrollment,
                place=place,
            )
            chosen.append((enrollment, circle, row))
        kept = _insert_members(chosen, results)
        told = [(circle, [enrollment.user_id]) for enrollment, circle, _row in kept]
        for enrollment, circle, _row in kept:
            results[enrollment.pk] = circle
        record_placements(
            cohort,
            [(circle, people[enrollment.user_id].enrollment) for enrollment, circle, _ in kept],
        )
        if told:
            transaction.on_commit(lambda: notify_circle_members(told, actor=None))
    return results


def _insert_members(
    chosen: list[tuple[Enrollment, Circle, CircleMember]],
    results: dict[int, Circle | formation.Unplaced],
) -> list[tuple[Enrollment, Circle, CircleMember]]:
    """Insert the chosen places in bulk; when the database refuses the batch (a writer that did
    not wait for the circles' lock took a place or placed the same person first:
    `one_member_per_place`, `one_circle_per_cohort`), insert them one by one and report each
    refused one as Unplaced (TAKEN) in `results`. Returns those inserted."""
    try:
        with transaction.atomic():
            CircleMember.objects.bulk_create([row for _e, _c, row in chosen], batch_size=500)
        return chosen
    except IntegrityError:
        pass
    kept = []
    for enrollment, circle, row in chosen:
        row.pk = None
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            results[enrollment.pk] = formation.Unplaced(enrollment.user_id, formation.TAKEN)
            continue
        kept.append((enrollment, circle, row))
    return kept


def record_placements(
    cohort: Cohort, placed: Sequence[tuple[Circle, Enrollment]], *, at: datetime | None = None
) -> int:
    """One `joined` event per person placed in a published circle: the learner is the actor,
    the circle the object, their seat the registration and the cohort the context (xAPI:
    Activity Streams' `join` of a group). Only ids: who is with whom is for the platform's
    record and its analytics of new ties, never text. One bulk insert per 500 people, in the
    caller's transaction, timestamped `at` (default now: the demo dates its past); returns how
    many were recorded."""
    events = [
        new_event(
            enrollment.user_id,
            verb=Verb.JOINED,
            object_type=ObjectType.CIRCLE,
            object_id=circle.public_id,
            cohort=cohort,
            registration=enrollment.public_id,
        )
        for circle, enrollment in placed
    ]
    if at is not None:
        for event in events:
            event.timestamp = at
    record_events(events)
    return len(events)


def notify_circle_members(
    placed: Sequence[tuple[Circle, Sequence[int]]], *, actor: "User | None"
) -> int:
    """The one call site for notifications about circles: tells each person placed (and, on
    publication, the circle's coach) that they are in a circle, through
    notifications.actions.notify (kind `circle`, the circle's name as the place, its page as the
    link; never text anyone typed). `actor` is the admin who published, or None for a late
    joiner placed automatically. Returns how many notifications were created."""
    created = 0
    for circle, user_ids in placed:
        recipients = [*user_ids, *([circle.coach_id] if circle.coach_id and actor else [])]
        created += notify(
            kind=NotificationKind.CIRCLE,
            recipients=recipients,
            actor=actor,
            actor_label=actor.full_name if actor else "",
            place=circle.name,
            url=reverse("circles:detail", args=[circle.public_id]),
        )
    return created
