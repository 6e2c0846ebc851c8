"""The journal's part of a person's data (accounts.personal_data): export and erasure.

- Export: the person's own entries (text decrypted, visibility as its label, and when and why
  the moderators hid one, as its author reads it on the entry), mission plans,
  unsaved drafts, and the access log of their shared entries (who opened which, when: people
  they chose to share with). Never another person's entry, even one shared with them.
- Erase: their entries (with the access-log rows about them), plans and drafts are deleted, and
  so are the rows recording that they opened someone else's entry (those rows are about them).
  Events keep only the closed-vocabulary record, which holds no text.
"""

from typing import TYPE_CHECKING, Any

from reflections.models import Entry, EntryView, JournalDraft, MissionPlan

if TYPE_CHECKING:
    from accounts.models import User


def export_reflections(user: "User") -> list[dict[str, Any]]:
    """The person's journal as JSON-serialisable dicts, one per row, each with a `type`."""
    rows: list[dict[str, Any]] = []
    entries = Entry.objects.filter(author=user).select_related("activity", "cohort", "circle")
    for entry in entries.order_by("created_at", "id"):
        rows.append(
            {
                "type": "journal entry",
                "id": str(entry.public_id),
                "kind": entry.get_kind_display(),
                "cohort": entry.cohort.name,
                "activity": entry.activity.title if entry.activity else None,
                "title": entry.title,
                "text": entry.body,
                "what happened": entry.happened,
                "what I noticed in myself": entry.noticed,
                "what I learned": entry.learned,
                "what I will do next": entry.next_step,
                "who can see it": entry.get_visibility_display(),
                "circle": entry.circle.name if entry.circle else None,
                "hidden by the moderators": entry.hidden_at.isoformat()
                if entry.hidden_at
                else None,
                "why it was hidden": entry.hidden_reason,
                "written": entry.created_at.isoformat(),
                "changed": entry.updated_at.isoformat(),
            }
        )
    plans = MissionPlan.objects.filter(author=user).select_related("activity")
    for plan in plans.order_by("created_at", "id"):
        rows.append(
            {
                "type": "mission plan",
                "mission": plan.activity.title,
                "when": plan.planned_for.isoformat(),
                "time zone": plan.time_zone,
                "with whom": plan.with_whom,
                "what I will try": plan.what_i_will_try,
                "reminded": plan.reminded_at.isoformat() if plan.reminded_at else None,
            }
        )
    for draft in JournalDraft.objects.filter(user=user).order_by("updated_at", "id"):
        rows.append(
            {
                "type": "draft",
                "form": draft.key,
                "fields": draft.fields,
                "saved": draft.updated_at.isoformat(),
            }
        )
    views = EntryView.objects.filter(entry__author=user).select_related("entry__activity", "viewer")
    for view in views.order_by("viewed_at", "id"):
        rows.append(
            {
                "type": "view of something I shared",
                "entry": str(view.entry.public_id),
                "viewer": view.viewer.full_name or view.viewer.email,
                "when": view.viewed_at.isoformat(),
            }
        )
    return rows


def erase_reflections(user: "User") -> int:
    """Delete everything the journal holds about the person; returns how many rows went.
    Idempotent (a second run deletes nothing)."""
    count = EntryView.objects.filter(viewer=user).delete()[0]
    count += Entry.objects.filter(author=user).delete()[0]  # their access-log rows go with them
    count += MissionPlan.objects.filter(author=user).delete()[0]
    count += JournalDraft.objects.filter(user=user).delete()[0]
    return count
