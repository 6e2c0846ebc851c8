"""The organisation's emotion and energy, in aggregate only, for its admins.

Each person counts once per group: their average over the period, placed in a band (low 1-2,
middle 3, high 4-5, by the rounded average feeling). The bands go through
`rapport.policy.suppress_small_groups`, so a group under the minimum size
(`RAPPORT_MIN_GROUP_SIZE`, default 5) shows nothing at all, and a band that could single
someone out is hidden; the averages of feeling and energy are shown only when the group's total
is. Only numbers are read here (owner id, day, the two scales): never a word or a note, and no
row ever leaves this module.

Groups: each of the last WEEKS weeks (Monday to Sunday, in the admin's time zone's dates), and
each cohort of the organisation over the last COHORT_DAYS days (its learners).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Avg
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from growth.models import MoodCheckIn
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User

WEEKS = 8
COHORT_DAYS = 28
BANDS = (("low", _("Low (1-2)")), ("middle", _("Middle (3)")), ("high", _("High (4-5)")))


def band_of(feeling: float) -> str:
    """The band of a person's average feeling, rounded half up (2.5 → middle)."""
    rounded = int(feeling + 0.5)
    if rounded <= 2:
        return "low"
    return "middle" if rounded == 3 else "high"


@dataclass(frozen=True)
class GroupMood:
    """One group's aggregate. `people` is None when the group is too small to show anything;
    then `bands` hold None and the averages are None too. A band's None means hidden."""

    label: str
    people: int | None
    bands: list[tuple[str, int | None]]
    feeling: float | None
    energy: float | None


def _group(label: str, averages: list[tuple[float, float]]) -> GroupMood:
    counts = {key: 0 for key, _label in BANDS}
    for feeling, _energy in averages:
        counts[band_of(feeling)] += 1
    shown = policy.suppress_small_groups(counts)
    labels = dict(BANDS)
    bands = [(str(labels[key]), shown.cells[key]) for key, _label in BANDS]
    if shown.total is None:
        return GroupMood(label, None, bands, None, None)
    n = len(averages)
    return GroupMood(
        label,
        shown.total,
        bands,
        round(sum(f for f, _e in averages) / n, 1),
        round(sum(e for _f, e in averages) / n, 1),
    )


def _organization_id(user: "User | Any") -> int | None:
    if not policy.can_manage_people(user):
        return None  # aggregates are for organisation admins
    membership = policy.membership_of(user)
    return None if membership is None else membership.organization_id


def by_week(user: "User | Any", *, today: date) -> list[GroupMood]:
    """The last WEEKS weeks, newest first (one query). Empty for anyone but an admin."""
    organization_id = _organization_id(user)
    if organization_id is None:
        return []
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS - 1)
    rows = (
        MoodCheckIn.objects.filter(organization_id=organization_id, day__gte=first, day__lte=today)
        .annotate(week=TruncWeek("day"))
        .values("week", "owner_id")
        .annotate(feeling=Avg("feeling"), energy=Avg("energy"))
        .order_by()
    )
    per_week: dict[date, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        week = row["week"]
        week = week.date() if hasattr(week, "date") else week
        per_week[week].append((float(row["feeling"]), float(row["energy"])))
    groups = []
    for n in range(WEEKS):
        week = monday - timedelta(weeks=n)
        label = str(_("Week of %(date)s")) % {"date": week.isoformat()}
        groups.append(_group(label, per_week.get(week, [])))
    return groups


def by_cohort(user: "User | Any", *, today: date) -> list[GroupMood]:
    """Each cohort of the organisation over the last COHORT_DAYS days, by its learners (three
    queries). Empty for anyone but an admin."""
    organization_id = _organization_id(user)
    if organization_id is None:
        return []
    cohorts = list(Cohort.objects.visible_to(user).order_by("start_date", "name"))
    seats = Enrollment.objects.filter(cohort__in=cohorts, role=EnrollmentRole.LEARNER).values_list(
        "cohort_id", "user_id"
    )
    people: dict[int, list[int]] = defaultdict(list)
    for cohort_id, user_id in seats:
        people[user_id].append(cohort_id)
    rows = (
        MoodCheckIn.objects.filter(
            organization_id=organization_id, day__gte=today - timedelta(days=COHORT_DAYS - 1)
        )
        .values("owner_id")
        .annotate(feeling=Avg("feeling"), energy=Avg("energy"))
        .order_by()
    )
    per_cohort: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        for cohort_id in people.get(row["owner_id"], ()):
            per_cohort[cohort_id].append((float(row["feeling"]), float(row["energy"])))
    return [_group(cohort.name, per_cohort.get(cohort.pk, [])) for cohort in cohorts]
