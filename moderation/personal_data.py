"""A person's reports and blocks, for their export and erasure (`accounts.personal_data`).

Only what the person did: reports they made and people they blocked. Reports made about their
posts, and who blocked them, are never in their export (nobody learns who reported or blocked
them)."""

from typing import Any

from django.db.models import Q

from accounts.models import Block, User
from accounts.personal_data import iso, label_of
from discussions.actions import place_of
from moderation.models import Report, ReportReason, ReportState
from moderation.targets import question_target, target_of


def export_moderation(user: User) -> list[dict[str, Any]]:
    """Rows with a `type`: each report the person made (what it was about — `post`, `question`,
    `answer` or `entry`, a journal entry, never its text — with its opaque id, None for an
    entry deleted since, and where it is; the reason and details they gave, its state and the
    moderators' note to them, as on "My reports") and each block they made, under the name
    they blocked. Two queries."""
    rows: list[dict[str, Any]] = [
        {
            "type": "report",
            **_about(report),
            "reason": label_of(ReportReason, report.reason),
            "details": report.details,
            "state": label_of(ReportState, report.state),
            "note_to_you": report.outcome_note,
            "created_at": iso(report.created_at),
        }
        for report in Report.objects.filter(reporter=user)
        .select_related(
            "post__thread__activity__week",
            "post__thread__circle",
            "post__thread__cohort",
            "question__thread",
            "entry__cohort",
            "entry__circle",
        )
        .order_by("created_at", "id")
    ]
    rows += [
        {"type": "block", "name": block.label(), "created_at": iso(block.created_at)}
        for block in Block.objects.filter(blocker=user)
        .select_related("blocked")
        .order_by("created_at", "id")
    ]
    return rows


def _about(report: Report) -> dict[str, str]:
    """What a report was about, for the export: the kind and opaque id of the text, and where."""
    if report.post is not None:
        return {"post": str(report.post.public_id), "place": place_of(report.post.thread)}
    if report.question is None:  # a journal entry, or one its author deleted since (no id)
        target = target_of(report)
        entry_id = str(target.public_id) if target.obj is not None else None
        return {"entry": entry_id, "place": target.place}  # type: ignore[dict-item]
    target = question_target(report.question, answer=report.on_answer)  # type: ignore[arg-type]
    return {target.kind: str(target.public_id), "place": target.place}


def erase_moderation(user: User) -> int:
    """Empty the details the person wrote in their reports (each report stays, from "Erased
    account", so the moderators' queue and the append-only audit log keep their shape), and
    delete every block they made or that names them. Returns the rows changed or deleted."""
    count = Report.objects.filter(reporter=user).exclude(details="").update(details="")
    count += Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()[0]
    return count
