"""Getters for journal entries, mission plans, drafts and the access log, each built on the
model's `visible_to(user)` (the rules are in reflections.models): what a person may not see
raises Http404 (its existence never leaks), what they may read but not change raises
PermissionDenied. Also "who can see this" (`audiences_for`): the people or groups each
visibility level would show an entry to, named."""

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from circles.models import CircleMember, CircleState
from cohorts.access import CohortSeat, get_activity_in_seat, get_seat_for_user
from cohorts.models import Enrollment, EnrollmentRole
from programs.models import ActivityKind
from programs.outline import OutlineActivity
from rapport import policy
from reflections.models import (
    ENTRY_VISIBILITIES,
    Entry,
    EntryKind,
    EntryView,
    JournalDraft,
    MissionPlan,
    Visibility,
)

if TYPE_CHECKING:
    from accounts.models import User
    from circles.models import Circle

# The most rows a list page shows (newest first); the page says when there are more.
PAGE_SIZE = 100


def _entries() -> Any:
    return Entry.objects.select_related(
        "author", "activity", "cohort", "circle", "enrollment__coach"
    )


def get_entry_for_user(user: "User | Any", public_id: uuid.UUID) -> Entry:
    """The entry if the person may read it (Entry.visible_to), else 404. One query."""
    entry = _entries().visible_to(user).filter(public_id=public_id).first()
    if entry is None:
        raise Http404("No such entry")
    return entry  # type: ignore[no-any-return]


def get_own_entry(user: "User | Any", public_id: uuid.UUID) -> Entry:
    """The entry for its author to change: 404 if the person may not read it, 403 if they may
    read it (it was shared with them) but it is not theirs."""
    entry = get_entry_for_user(user, public_id)
    if entry.author_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the author changes an entry")
    return entry


def journal_of(user: "User | Any") -> list[Entry]:
    """The person's own entries, newest first (at most PAGE_SIZE + 1, so a page can say there
    are more). One query whatever their number."""
    return list(
        _entries()
        .visible_to(user)
        .filter(author=user)
        .order_by("-created_at", "-id")[: PAGE_SIZE + 1]
    )


def plans_of(user: "User | Any") -> list[MissionPlan]:
    """The person's mission plans not reflected on yet, soonest first (at most PAGE_SIZE).
    One query whatever their number."""
    reflected = Entry.objects.filter(
        enrollment_id=OuterRef("enrollment_id"),
        activity_id=OuterRef("activity_id"),
        kind=EntryKind.MISSION,
    )
    return list(
        MissionPlan.objects.visible_to(user)
        .filter(~Exists(reflected))
        .select_related("activity", "enrollment__cohort")
        .order_by("planned_for", "id")[:PAGE_SIZE]
    )


def shared_with(user: "User | Any") -> list[Entry]:
    """What others shared that the person may read, newest share first (at most
    PAGE_SIZE + 1): their learners' entries for a coach, their circle's and cohort's for a peer.
    One query whatever their number."""
    return list(
        _entries().shared_with(user).order_by("-shared_at", "-id")[: PAGE_SIZE + 1]  # type: ignore[attr-defined]
    )


def shared_in_circle(user: "User | Any", circle: "Circle") -> list[Entry]:
    """Entries shared with this circle that the person may read, newest first (at most 5).
    Precondition: `circle` came from circles.access.get_circle_for_user. One query."""
    return list(
        _entries()
        .visible_to(user)
        .filter(visibility=Visibility.CIRCLE, circle=circle)
        .order_by("-shared_at", "-id")[:5]
    )


def access_log_of(user: "User | Any") -> list[EntryView]:
    """Who opened what the person shared, newest first (at most PAGE_SIZE + 1). One query."""
    return list(
        EntryView.objects.visible_to(user)
        .select_related("entry__activity", "viewer")
        .order_by("-viewed_at", "-id")[: PAGE_SIZE + 1]
    )


def learner_seats(user: "User | Any") -> list[Enrollment]:
    """The person's learner seats in their organisation, newest cohort first: the seats a
    journal entry can be written in. One query."""
    return list(
        Enrollment.objects.visible_to(user)
        .filter(user=user, role=EnrollmentRole.LEARNER)
        .select_related("cohort__program", "coach")
        .order_by("-cohort__start_date", "-id")
    )


def get_learner_seat_of(user: "User | Any", cohort_public_id: uuid.UUID) -> Enrollment:
    """The person's learner seat in the cohort: 404 if they have none there."""
    seat = next(
        (s for s in learner_seats(user) if s.cohort.public_id == cohort_public_id),
        None,
    )
    if seat is None:
        raise Http404("No learner seat in that cohort")
    return seat


def get_activity_for_learner(
    user: "User | Any", cohort_public_id: uuid.UUID, activity_public_id: uuid.UUID
) -> tuple[CohortSeat, OutlineActivity]:
    """The person's seat and the activity, for writing about it: 404 if they may not see the
    cohort or the activity, 403 if they see it without being one of its learners."""
    seat = get_seat_for_user(user, cohort_public_id)
    activity = get_activity_in_seat(seat, activity_public_id)
    if not seat.is_learner:
        raise PermissionDenied("Only the cohort's learners write reflections")
    return seat, activity


def get_mission_for_learner(
    user: "User | Any", cohort_public_id: uuid.UUID, activity_public_id: uuid.UUID
) -> tuple[CohortSeat, OutlineActivity]:
    """As get_activity_for_learner, for an offline mission only (another kind is a 404)."""
    seat, activity = get_activity_for_learner(user, cohort_public_id, activity_public_id)
    if activity.kind != ActivityKind.MISSION:
        raise Http404("That activity is not a mission")
    return seat, activity


@dataclass(frozen=True)
class MissionState:
    """Where a learner is in a mission: plan → do → reflect. `stage` is "plan" (nothing
    planned), "do" (planned for a time still ahead), "reflect" (the time has come, or they
    skipped planning) or "done" (reflected)."""

    plan: MissionPlan | None
    reflection: Entry | None
    stage: str


def mission_state(enrollment: Enrollment, activity_id: int, *, now: Any) -> MissionState:
    """The learner's plan and reflection for a mission (two queries). Precondition: the
    enrollment is the person's own learner seat (so both rows are theirs)."""
    plan = MissionPlan.objects.filter(enrollment=enrollment, activity_id=activity_id).first()
    reflection = (
        _entries()
        .filter(enrollment=enrollment, activity_id=activity_id, kind=EntryKind.MISSION)
        .first()
    )
    if reflection is not None:
        stage = "done"
    elif plan is None:
        stage = "plan"
    elif plan.planned_for > now:
        stage = "do"
    else:
        stage = "reflect"
    return MissionState(plan=plan, reflection=reflection, stage=stage)


def experience_entry(enrollment: Enrollment, activity_id: int) -> Entry | None:
    """The learner's "connect it to your own experience" reflection on an activity, if any
    (one query). Precondition as mission_state's."""
    return (  # type: ignore[no-any-return]
        _entries()
        .filter(enrollment=enrollment, activity_id=activity_id, kind=EntryKind.EXPERIENCE)
        .first()
    )


def drafts_of(user: "User | Any", keys: list[str]) -> dict[str, dict[str, str]]:
    """The person's drafts for these places (key → field → text), one query. A draft that does
    not hold a JSON object of strings is ignored."""
    found: dict[str, dict[str, str]] = {}
    for draft in JournalDraft.objects.visible_to(user).filter(key__in=keys):
        try:
            fields = json.loads(draft.fields or "{}")
        except ValueError:
            continue
        if isinstance(fields, dict):
            found[draft.key] = {str(k): str(v) for k, v in fields.items() if isinstance(v, str)}
    return found


# -- who can see this -------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who an entry at `visibility` is shown to, in words (`label`), or why it cannot be
    shared that way (`problem`, empty when it can). `circle` is the circle a circle-level
    entry would name."""

    visibility: str
    label: str
    problem: str = ""
    circle: "Circle | None" = None

    @property
    def available(self) -> bool:
        return not self.problem


def _names(people: list[str]) -> str:
    if len(people) <= 1:
        return "".join(people)
    return _("%(names)s and %(last)s") % {"names": ", ".join(people[:-1]), "last": people[-1]}


def audiences_for(enrollment: Enrollment) -> dict[str, Audience]:
    """For each visibility level an entry written in this seat may take, who would see it:
    named people for a coach and a circle, the cohort's name and head count for a cohort.
    Three queries whatever the sizes (the seat's circle, its members, the cohort's head count);
    `enrollment.coach` and `.cohort` are expected loaded (access getters select them)."""
    author_id = enrollment.user_id
    cohort = enrollment.cohort
    coach = enrollment.coach
    audiences = {
        Visibility.PRIVATE: Audience(Visibility.PRIVATE, _("Only you can see this.")),
        Visibility.COACH: (
            Audience(
                Visibility.COACH,
                _("You and your coach, %(coach)s.") % {"coach": coach.full_name or coach.email},
            )
            if coach is not None and coach.is_active
            else Audience(
                Visibility.COACH,
                "",
                _("You have no coach in %(cohort)s yet, so this cannot be shared with a coach.")
                % {"cohort": cohort.name},
            )
        ),
    }
    membership = (
        CircleMember.objects.filter(
            user_id=author_id, cohort=cohort, circle__state=CircleState.PUBLISHED
        )
        .select_related("circle__coach")
        .first()
    )
    if membership is None:
        audiences[Visibility.CIRCLE] = Audience(
            Visibility.CIRCLE,
            "",
            _("You are not in a peer circle in %(cohort)s yet, so this cannot be shared with one.")
            % {"cohort": cohort.name},
        )
    else:
        circle = membership.circle
        peers = [
            name or email
            for name, email in CircleMember.objects.filter(circle=circle, user__is_active=True)
            .exclude(user_id=author_id)
            .order_by("user__full_name")
            .values_list("user__full_name", "user__email")
        ]
        if circle.coach is not None:
            label = _("You, the members of %(circle)s (%(people)s) and its coach, %(coach)s.")
        else:
            label = _("You and the members of %(circle)s (%(people)s).")
        audiences[Visibility.CIRCLE] = Audience(
            Visibility.CIRCLE,
            label
            % {
                "circle": circle.name,
                "people": _names(peers) or _("nobody else yet"),
                "coach": circle.coach.full_name if circle.coach is not None else "",
            },
            circle=circle,
        )
    others = (
        Enrollment.objects.filter(cohort=cohort, user__is_active=True)
        .exclude(user_id=author_id)
        .count()
    )
    audiences[Visibility.COHORT] = Audience(
        Visibility.COHORT,
        ngettext(
            "You and the %(count)d other person of %(cohort)s, learners, coaches and experts.",
            "You and the %(count)d other people of %(cohort)s: its learners, coaches and experts.",
            others,
        )
        % {"count": others, "cohort": cohort.name},
    )
    return {level.value: audiences[level] for level in ENTRY_VISIBILITIES}


def can_write_entries(user: "User | Any") -> bool:
    """Whether the person has a journal: an active member with a learner seat (one query)."""
    if policy.membership_of(user) is None:
        return False
    return bool(
        Enrollment.objects.visible_to(user).filter(user=user, role=EnrollmentRole.LEARNER).exists()
    )
