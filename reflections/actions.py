"""Writes of the reflections app: planning a mission, writing and editing journal entries,
sharing them (and taking them back), recording who opened a shared entry, and drafts.

Every write is atomic and records its event (closed vocabulary, never text: object = the
activity, or the cohort for a free entry). Sharing with the coach notifies the coach with the
activity's title or "A journal entry" — never what the learner wrote. Refusals are
`ReflectionError`s with a message for the person, raised before anything is written.
"""

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Enrollment, EnrollmentRole
from events.actions import record_event
from events.models import ObjectType, Verb
from notifications.actions import notify
from notifications.models import NotificationKind
from programs.outline import OutlineActivity
from reflections.access import audiences_for
from reflections.models import (
    ENTRY_VISIBILITIES,
    MAX_HIDDEN_REASON_LENGTH,
    Entry,
    EntryKind,
    EntryView,
    JournalDraft,
    MissionPlan,
    Visibility,
)

if TYPE_CHECKING:
    from accounts.models import User

MISSION_FIELDS = ("happened", "noticed", "learned", "next_step")


class ReflectionError(ValueError):
    """A write refused for a reason the person can act on (the message says it)."""


def _check_learner_seat(enrollment: Enrollment, author: "User") -> None:
    if enrollment.user_id != author.pk or enrollment.role != EnrollmentRole.LEARNER:
        raise ReflectionError("Only the learner of this seat writes in its journal.")


def _event(entry_or_seat: Entry | Enrollment, verb: Verb, *, activity_public_id: Any) -> None:
    enrollment = entry_or_seat.enrollment if isinstance(entry_or_seat, Entry) else entry_or_seat
    cohort = enrollment.cohort
    record_event(
        enrollment.user,
        verb=verb,
        object_type=ObjectType.ACTIVITY if activity_public_id else ObjectType.COHORT,
        object_id=activity_public_id or cohort.public_id,
        cohort=cohort,
        registration=enrollment.public_id,
    )


def _activity_public_id(entry: Entry) -> Any:
    return entry.activity.public_id if entry.activity_id is not None else None  # type: ignore[union-attr]


def clear_draft(user: "User", key: str) -> None:
    """Forget the person's draft for `key` (the form it belonged to was saved)."""
    if key:
        JournalDraft.objects.filter(user=user, key=key).delete()


def save_draft(user: "User", *, key: str, fields: dict[str, str]) -> JournalDraft | None:
    """Keep what the person is typing in the form at `key` (fields name → text, encrypted at
    rest). Empty fields everywhere delete the draft and return None. Precondition: the key and
    field names were validated (reflections.forms.DraftForm)."""
    if not any(value.strip() for value in fields.values()):
        clear_draft(user, key)
        return None
    if user.organization_id is None:
        raise ReflectionError("Only people of an organisation keep drafts.")
    draft, _ = JournalDraft.objects.update_or_create(
        user=user,
        key=key,
        defaults={"fields": json.dumps(fields), "organization_id": user.organization_id},
    )
    return draft


@transaction.atomic
def plan_mission(
    enrollment: Enrollment,
    *,
    activity: OutlineActivity,
    planned_for: datetime,
    time_zone: str,
    with_whom: str,
    what_i_will_try: str,
    draft_key: str = "",
) -> tuple[MissionPlan, bool]:
    """Make or change the learner's plan for a mission. Returns (plan, created).

    Idempotent: a second identical submit changes nothing and records nothing. Moving the
    planned time re-arms the reminder (reflections.tasks.send_mission_reminders), so it comes
    once at the new time. Records `planned` when the plan is made. Preconditions: the seat is
    the author's learner seat and the activity a mission of its programme (reflections.access).
    """
    user = enrollment.user
    _check_learner_seat(enrollment, user)
    plan = (
        MissionPlan.objects.select_for_update()
        .filter(enrollment=enrollment, activity_id=activity.pk)
        .first()
    )
    created = plan is None
    if plan is None:
        plan = MissionPlan(enrollment=enrollment, author=user, activity_id=activity.pk)
    elif plan.planned_for != planned_for:
        plan.reminded_at = None
    plan.planned_for = planned_for
    plan.time_zone = time_zone
    plan.with_whom = with_whom
    plan.what_i_will_try = what_i_will_try
    plan.save()
    if created:
        _event(enrollment, Verb.PLANNED, activity_public_id=activity.public_id)
    clear_draft(user, draft_key)
    return plan, created


def _apply_visibility(entry: Entry, visibility: str) -> bool:
    """Set the entry's visibility after checking the seat allows it; return whether it is now
    shared more widely than before (so the caller records and notifies)."""
    if visibility not in {v.value for v in ENTRY_VISIBILITIES}:
        raise ReflectionError("That is not one of the ways an entry can be shared.")
    audience = audiences_for(entry.enrollment)[visibility]
    if not audience.available:
        raise ReflectionError(audience.problem)
    before = entry.visibility
    entry.visibility = visibility
    entry.circle = audience.circle if visibility == Visibility.CIRCLE else None
    widened = visibility != Visibility.PRIVATE and visibility != before
    if widened:
        entry.shared_at = timezone.now()
    return widened


def _after_share(entry: Entry) -> None:
    """Record the share, and tell the coach when it is shared with them (no text)."""
    _event(entry, Verb.SHARED, activity_public_id=_activity_public_id(entry))
    if entry.visibility == Visibility.COACH and entry.enrollment.coach_id is not None:
        author = entry.author
        notify(
            kind=NotificationKind.SHARED_WITH_YOU,
            recipients=[entry.enrollment.coach_id],
            actor=author,
            actor_label=author.full_name or author.email,
            place=entry.public_heading[:200],
            url=reverse("reflections:entry", args=[entry.public_id]),
            target_id=entry.public_id,
        )


@transaction.atomic
def write_entry(
    enrollment: Enrollment,
    *,
    kind: EntryKind | str,
    activity: OutlineActivity | None = None,
    title: str = "",
    body: str = "",
    answers: dict[str, str] | None = None,
    visibility: str = Visibility.PRIVATE,
    draft_key: str = "",
) -> tuple[Entry, bool]:
    """Write (or, for a reflection on an activity that already has one, rewrite) a journal
    entry in the learner's seat. Returns (entry, created).

    - `kind` mission: `answers` holds the four prompts (MISSION_FIELDS); experience and free:
      `body` (and `title` for a free entry). A free entry has no activity; the others need one.
    - `visibility` is checked against the seat (a coach they have, a circle they are in):
      ReflectionError otherwise, nothing written.
    - A double submit of the same reflection edits the one entry (one per seat, activity and
      kind). Records `reflected` when created and `shared` when shared more widely; sharing
      with the coach notifies them without quoting anything.
    """
    user = enrollment.user
    _check_learner_seat(enrollment, user)
    kind = EntryKind(kind)
    if (kind == EntryKind.FREE) != (activity is None):
        raise ReflectionError("A free entry has no activity; a reflection needs one.")
    entry = None
    if activity is not None:
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("activity", "cohort", "enrollment__coach", "author")
            .filter(enrollment=enrollment, activity_id=activity.pk, kind=kind)
            .first()
        )
    created = entry is None
    if entry is None:
        entry = Entry(
            author=user,
            enrollment=enrollment,
            cohort=enrollment.cohort,
            activity_id=activity.pk if activity is not None else None,
            kind=kind,
        )
    widened = _apply_visibility(entry, visibility)
    _fill(entry, title=title, body=body, answers=answers)
    entry.save()
    if created:
        _event(entry, Verb.REFLECTED, activity_public_id=activity.public_id if activity else None)
    if widened:
        _after_share(entry)
    clear_draft(user, draft_key)
    return entry, created


def _fill(entry: Entry, *, title: str, body: str, answers: dict[str, str] | None) -> None:
    if entry.kind == EntryKind.MISSION:
        answers = answers or {}
        if not any(answers.get(name, "").strip() for name in MISSION_FIELDS):
            raise ReflectionError("Answer at least one of the questions before you save.")
        for name in MISSION_FIELDS:
            setattr(entry, name, answers.get(name, ""))
    else:
        if not body.strip():
            raise ReflectionError("Write something before you save.")
        entry.body = body
        entry.title = title if entry.kind == EntryKind.FREE else ""


@transaction.atomic
def edit_entry(
    entry: Entry,
    *,
    by: "User",
    title: str = "",
    body: str = "",
    answers: dict[str, str] | None = None,
    visibility: str | None = None,
    draft_key: str = "",
) -> Entry:
    """Change an entry's text (and, when given, its visibility). Only its author may:
    PermissionError otherwise. Refusals as write_entry's."""
    if entry.author_id != by.pk:
        raise PermissionError("Only the author edits an entry.")
    widened = False
    if visibility is not None:
        widened = _apply_visibility(entry, visibility)
    _fill(entry, title=title, body=body, answers=answers)
    entry.save()
    if widened:
        _after_share(entry)
    clear_draft(by, draft_key)
    return entry


@transaction.atomic
def set_visibility(entry: Entry, *, by: "User", visibility: str) -> bool:
    """Share the entry at `visibility`, or make it private again (from then on, everyone but
    the author gets 404 on it). Returns whether anything changed; the same choice twice changes
    nothing. Refusals as write_entry's; PermissionError for anyone but the author."""
    if entry.author_id != by.pk:
        raise PermissionError("Only the author shares an entry.")
    before = (entry.visibility, entry.circle_id)
    widened = _apply_visibility(entry, visibility)
    if (entry.visibility, entry.circle_id) == before:
        return False
    entry.save(update_fields=["visibility", "circle", "shared_at", "updated_at"])
    if widened:
        _after_share(entry)
    return True


@transaction.atomic
def delete_entry(entry: Entry, *, by: "User") -> None:
    """Delete the entry for good (its access-log rows go with it). Author only."""
    if entry.author_id != by.pk:
        raise PermissionError("Only the author deletes an entry.")
    entry.delete()


def hide_entry(entry: Entry, *, reason: str) -> Entry:
    """Hide a shared entry from everyone but its author, who reads `reason` on it, whatever it
    is shared at (re-sharing or editing does not show it again). For the moderation app, which
    checks that the person moderates it and writes the audit log; hiding again only updates the
    reason. Raises ValueError for a blank reason (the moderation form requires one first)."""
    reason = " ".join((reason or "").split())[:MAX_HIDDEN_REASON_LENGTH]
    if not reason:
        raise ValueError("Say why it is hidden: its author will read it.")
    entry.hidden_at = entry.hidden_at or timezone.now()
    entry.hidden_reason = reason
    entry.save(update_fields=["hidden_at", "hidden_reason"])
    return entry


def unhide_entry(entry: Entry) -> Entry:
    """Show a hidden entry again to the people it is shared with (a hide that was a mistake).
    The moderation app checks who may and logs it."""
    entry.hidden_at, entry.hidden_reason = None, ""
    entry.save(update_fields=["hidden_at", "hidden_reason"])
    return entry


def record_view(entry: Entry, *, viewer: "User") -> EntryView | None:
    """Write the access-log row for someone other than the author opening a shared entry
    (who, which entry, when; no text). The author's own visits are not logged. Precondition:
    the entry came from reflections.access.get_entry_for_user for this viewer."""
    if entry.author_id == viewer.pk:
        return None
    return EntryView.objects.create(entry=entry, viewer=viewer)
