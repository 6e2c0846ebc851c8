"""Writes of the growth tools. Every function acts for `owner` on their own rows only (views
load rows through growth.access, so another person's row never reaches here), is atomic, and
is idempotent where a double click is possible: creating functions take the form's one-time
`submission` id and return the row already made for it.

Privacy: everything written here is the owner's alone (docs/permissions.md, "Growth"). No
notification is sent and no text leaves the row; the text columns are encrypted at rest. Each
meaningful write records one event (a goal set or achieved, a routine or an emotion check-in, a
conversation planned or debriefed) naming the item by its opaque id only: never its text, and
never how the person said they felt.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import Http404

from events.actions import record_event
from events.models import ObjectType, ResultKey, Verb
from growth.models import (
    Belief,
    Cadence,
    Charter,
    ConversationDebrief,
    ConversationPlan,
    Goal,
    GoalStatus,
    GrowthProfile,
    MoodCheckIn,
    Routine,
    RoutineCheckIn,
    SubmittedModel,
)
from organizations.models import Behaviour
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


def _organization_id(owner: "User") -> int:
    membership = policy.membership_of(owner)
    if membership is None:
        raise Http404("Growth tools belong to a member of an organisation")
    return membership.organization_id


def _create_once[M: SubmittedModel](
    model: type[M], owner: "User", submission: uuid.UUID | None, fields: dict[str, Any]
) -> tuple[M, bool]:
    """The row made for this submission (unchanged), or a new one; `(row, created)`."""
    organization_id = _organization_id(owner)
    if submission is not None:
        found = model._default_manager.filter(owner=owner, submission=submission).first()
        if found is not None:
            return found, False
    try:
        with transaction.atomic():
            row = model._default_manager.create(
                owner=owner, organization_id=organization_id, submission=submission, **fields
            )
    except IntegrityError:
        # The same form sent twice at once: the other request made it.
        row = model._default_manager.get(owner=owner, submission=submission)
        return row, False
    return row, True


# -- profile and goals ----------------------------------------------------------------------------


def profile_of(owner: "User") -> GrowthProfile:
    """The person's growth profile, made (empty) the first time it is needed."""
    profile, _ = GrowthProfile.objects.get_or_create(
        owner=owner, defaults={"organization_id": _organization_id(owner)}
    )
    return profile


@transaction.atomic
def save_whats_in_it_for_me(owner: "User", *, text: str) -> GrowthProfile:
    """Replace the person's "what's in it for me" with `text` (blank clears it)."""
    profile = profile_of(owner)
    profile.whats_in_it_for_me = text
    profile.save(update_fields=["whats_in_it_for_me", "updated_at"])
    return profile


@transaction.atomic
def pick_behaviours(owner: "User", *, behaviours: Iterable[Behaviour]) -> GrowthProfile:
    """Set the behaviours the person wants to grow. The caller passes behaviours of the
    person's own organisation (the form's choices are `Behaviour.objects.visible_to(owner)`);
    any other is refused with ValueError."""
    chosen = list(behaviours)
    organization_id = _organization_id(owner)
    if any(b.organization_id != organization_id for b in chosen):
        raise ValueError("A behaviour of another organisation")
    profile = profile_of(owner)
    profile.behaviours.set(chosen)
    return profile


def create_goal(
    owner: "User",
    *,
    submission: uuid.UUID | None,
    title: str,
    why: str = "",
    how_i_will_know: str = "",
    behaviour: Behaviour | None = None,
    target_date: date | None = None,
) -> tuple[Goal, bool]:
    """A new goal (or the one this submission already made); `(goal, created)`."""
    if behaviour is not None and behaviour.organization_id != _organization_id(owner):
        raise ValueError("A behaviour of another organisation")
    with transaction.atomic():
        goal, created = _create_once(
            Goal,
            owner,
            submission,
            {
                "title": title,
                "why": why,
                "how_i_will_know": how_i_will_know,
                "behaviour": behaviour,
                "target_date": target_date,
            },
        )
        if created:
            record_event(
                owner, verb=Verb.COMMITTED, object_type=ObjectType.GOAL, object_id=goal.public_id
            )
    return goal, created


@transaction.atomic
def update_row[M: SubmittedModel | ConversationDebrief](row: M, **fields: Any) -> M:
    """Change the given fields of one of the owner's rows (a goal's status, a plan's answers).
    The caller loaded `row` through growth.access for its owner. A goal that becomes achieved
    records `achieved`."""
    achieved = (
        isinstance(row, Goal)
        and row.status != GoalStatus.ACHIEVED
        and fields.get("status") == GoalStatus.ACHIEVED
    )
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=[*fields, "updated_at"])
    if achieved:
        record_event(
            row.owner,  # type: ignore[union-attr]
            verb=Verb.ACHIEVED,
            object_type=ObjectType.GOAL,
            object_id=row.public_id,
        )
    return row


@transaction.atomic
def delete_row(row: SubmittedModel) -> None:
    """Delete one of the owner's rows (and what hangs from it: a belief's routines and their
    check-ins, a plan's debrief). Deleting twice is harmless: the second finds nothing."""
    type(row)._default_manager.filter(pk=row.pk).delete()


# -- mindset --------------------------------------------------------------------------------------


def create_belief(
    owner: "User", *, submission: uuid.UUID | None, belief: str, principle: str = ""
) -> tuple[Belief, bool]:
    """A belief the person is challenging and the principle that replaces it."""
    return _create_once(Belief, owner, submission, {"belief": belief, "principle": principle})


def add_routine(
    owner: "User",
    *,
    belief: Belief,
    submission: uuid.UUID | None,
    text: str,
    cadence: Cadence = Cadence.DAILY,
) -> tuple[Routine, bool]:
    """A routine under one of the owner's beliefs."""
    if belief.owner_id != owner.pk:
        raise ValueError("Not the owner's belief")
    return _create_once(
        Routine, owner, submission, {"belief": belief, "text": text, "cadence": cadence}
    )


@transaction.atomic
def check_in_routine(
    owner: "User", *, routine: Routine, period: date, done: bool, note: str = ""
) -> RoutineCheckIn:
    """Record (or replace) the answer for one period of a routine: the day, or the Monday of
    the week for a weekly routine (the caller computes it in the owner's time zone). A second
    tap on the same period changes the answer; it never makes two."""
    if routine.owner_id != owner.pk:
        raise ValueError("Not the owner's routine")
    check_in, _ = RoutineCheckIn.objects.update_or_create(
        routine=routine,
        period=period,
        defaults={
            "done": done,
            "note": note,
            "owner": owner,
            "organization_id": routine.organization_id,
        },
    )
    record_event(
        owner,
        verb=Verb.PRACTISED,
        object_type=ObjectType.ROUTINE,
        object_id=routine.public_id,
        result={ResultKey.COMPLETION: done},
    )
    return check_in


# -- the team charter -----------------------------------------------------------------------------


def create_charter(
    owner: "User", *, submission: uuid.UUID | None, **sections: str
) -> tuple[Charter, bool]:
    """A new team charter draft (team name and sections as growth.forms.CharterForm has them)."""
    return _create_once(Charter, owner, submission, sections)


# -- hard moments ---------------------------------------------------------------------------------


def create_conversation_plan(
    owner: "User", *, submission: uuid.UUID | None, planned_for: date | None = None, **answers: str
) -> tuple[ConversationPlan, bool]:
    """A difficult-conversation plan; submitting the same planner twice makes one plan."""
    with transaction.atomic():
        plan, created = _create_once(
            ConversationPlan, owner, submission, {"planned_for": planned_for, **answers}
        )
        if created:
            record_event(
                owner,
                verb=Verb.PLANNED,
                object_type=ObjectType.CONVERSATION,
                object_id=plan.public_id,
            )
    return plan, created


@transaction.atomic
def save_debrief(owner: "User", *, plan: ConversationPlan, **answers: str) -> ConversationDebrief:
    """Write (or rewrite) the blameless debrief of one of the owner's plans."""
    if plan.owner_id != owner.pk:
        raise ValueError("Not the owner's plan")
    debrief, created = ConversationDebrief.objects.update_or_create(
        plan=plan,
        defaults={"owner": owner, "organization_id": plan.organization_id, **answers},
    )
    if created:
        record_event(
            owner,
            verb=Verb.REFLECTED,
            object_type=ObjectType.CONVERSATION,
            object_id=plan.public_id,
        )
    return debrief


def record_mood(
    owner: "User",
    *,
    submission: uuid.UUID | None,
    day: date,
    feeling: int,
    energy: int,
    word: str = "",
    note: str = "",
    shared_with_coach: bool = False,
) -> tuple[MoodCheckIn, bool]:
    """An emotion and energy check-in for `day` (the owner's local date). Scales are 1-5;
    anything else is refused with ValueError (forms refuse it first, with a message).
    `shared_with_coach`: the owner's coach may see the day and the two numbers (never the
    word or the note) on their caseload; off unless the owner chose it."""
    if not (1 <= feeling <= 5 and 1 <= energy <= 5):
        raise ValueError("Feeling and energy are 1 to 5")
    with transaction.atomic():
        mood, created = _create_once(
            MoodCheckIn,
            owner,
            submission,
            {
                "day": day,
                "feeling": feeling,
                "energy": energy,
                "word": word,
                "note": note,
                "shared_with_coach": shared_with_coach,
            },
        )
        if created:
            # That it happened, never the answers: those are the person's alone.
            record_event(
                owner,
                verb=Verb.CHECKED_IN,
                object_type=ObjectType.CHECK_IN,
                object_id=mood.public_id,
            )
    return mood, created
