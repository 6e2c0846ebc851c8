"""Writes of the moderation domain: blocking, reporting a post, and the moderators' decisions
(hide, dismiss, show again), each recorded in the append-only audit log.

Every write is atomic and keyword-only after the object it acts on. Preconditions are the
caller's: views load posts, reports and blocks through `moderation.access`, so the person may
see (or moderate) what they act on. What a person may not do raises `ModerationError` with a
sentence to show them, and nothing changes.

Each decision is notified (kind `moderation`, after the commit) without quoting anything anyone
typed and without naming anyone (the actor is None: moderators stay unnamed, and a block never
silences moderation): the moderators hear that a post was reported in a place, the author that
their post was hidden (the reason is on the post, for them only), the reporter that their
report was handled (the outcome and note are on "My reports")."""

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Block
from cohorts.models import Enrollment, EnrollmentRole
from discussions import actions as discussion_actions
from discussions.access import thread_kind_label
from discussions.models import Post
from moderation.models import (
    MAX_DETAILS_LENGTH,
    MAX_NOTE_LENGTH,
    ActionKind,
    ModerationAction,
    Report,
    ReportReason,
    ReportState,
)
from notifications.actions import notify
from notifications.models import NotificationKind
from organizations.models import Membership
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


class ModerationError(Exception):
    """A moderation write that cannot be done, with a message for the person; nothing changed."""


# -- blocking ----------------------------------------------------------------------------------


def block_author(post: Post, *, blocker: "User") -> tuple[Block, bool]:
    """`blocker` blocks the author of `post`, under the name the post shows them (the pseudonym
    when it has one, so their Settings never unmask it). Returns (block, created); blocking
    again changes nothing. Refuses one's own post (ModerationError). Precondition: the blocker
    may see the post (loaded through moderation.access)."""
    if post.author_id == blocker.pk:
        raise ModerationError("You cannot block yourself.")
    if post.author.organization_id != blocker.organization_id:
        raise ModerationError("You can only block people of your own organisation.")
    # One block per name: blocking a pseudonym and the same person's real name are two blocks,
    # so neither answer ("blocked" or "already blocked") tells who is behind the pseudonym.
    same_name = Block.objects.filter(
        blocker=blocker, blocked_id=post.author_id, blocked_label=post.pseudonym
    )
    existing = same_name.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            block = Block.objects.create(
                blocker=blocker, blocked=post.author, blocked_label=post.pseudonym
            )
    except IntegrityError:  # a double click raced us: the block is there
        return same_name.get(), False
    return block, True


def unblock(block: Block) -> None:
    """Remove a block (the blocked person's posts show again and they may notify the blocker).
    Precondition: the block is the person's own (moderation.access.get_own_block)."""
    Block.objects.filter(pk=block.pk).delete()


# -- reporting ---------------------------------------------------------------------------------


def moderator_ids_for(post: Post) -> set[int]:
    """Who hears about a report on `post`: the enrolled coaches of its cohort and the active
    admins of its organisation — never its author, never the author's line manager
    (`Membership.line_manager`). Two queries. The same people
    as `Report.objects.moderated_by` gives the report to."""
    cohort_id = post.thread.cohort_id
    coaches = Enrollment.objects.filter(cohort_id=cohort_id, role=EnrollmentRole.COACH)
    admins = Membership.objects.filter(organization_id=post.organization_id, role=policy.Role.ADMIN)
    ids = set(
        Membership.objects.filter(organization_id=post.organization_id, user__is_active=True)
        .filter(Q(user_id__in=coaches.values("user_id")) | Q(pk__in=admins.values("pk")))
        .values_list("user_id", flat=True)
    )
    ids.discard(post.author_id)
    manager_id = line_manager_id_of(post.author_id)
    if manager_id is not None:
        ids.discard(manager_id)
    return ids


def line_manager_id_of(user_id: int) -> int | None:
    """The id of the person's line manager (`Membership.line_manager`), or None."""
    return (
        Membership.objects.filter(user_id=user_id).values_list("line_manager_id", flat=True).first()
    )


def report_post(
    post: Post,
    *,
    reporter: "User",
    reason: str,
    details: str = "",
    anonymous_to_peers: bool = True,
) -> Report:
    """Report a post to its cohort's moderators (`moderator_ids_for`): it is in their queue and
    they are notified after the commit. Refuses (ModerationError): an unknown reason, details
    over MAX_DETAILS_LENGTH characters, one's own post, a deleted post, a second report of the
    same post by the same person ("already reported": the first stands unchanged).
    Precondition: the reporter may see the post (moderation.access.get_reportable_post)."""
    if reason not in ReportReason.values:
        raise ModerationError("Choose one of the reasons in the list.")
    details = (details or "").replace("\r\n", "\n").strip()
    if len(details) > MAX_DETAILS_LENGTH:
        raise ModerationError(
            f"Details can be at most {MAX_DETAILS_LENGTH:,} characters; these are {len(details):,}."
        )
    if post.author_id == reporter.pk:
        raise ModerationError("You cannot report your own post. You can edit or delete it.")
    if post.is_deleted:
        raise ModerationError("This post was deleted, so there is nothing left to report.")
    if Report.objects.filter(post=post, reporter=reporter).exists():
        raise ModerationError("You have already reported this post. The moderators have it.")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post,
                reporter=reporter,
                reason=reason,
                details=details,
                anonymous_to_peers=anonymous_to_peers,
            )
            transaction.on_commit(lambda: _tell_moderators(report))
    except IntegrityError:  # a double click raced us
        raise ModerationError(
            "You have already reported this post. The moderators have it."
        ) from None
    return report


# -- moderators' decisions ---------------------------------------------------------------------


def _clean_note(text: str, *, required: str | None = None) -> str:
    note = " ".join((text or "").split())
    if required and not note:
        raise ModerationError(required)
    if len(note) > MAX_NOTE_LENGTH:
        raise ModerationError(
            f"A note can be at most {MAX_NOTE_LENGTH:,} characters; this one is {len(note):,}."
        )
    return note


def _log(
    action: ActionKind, *, actor: "User", post: Post, report: Report | None, reason: str
) -> ModerationAction:
    return ModerationAction.objects.create(
        actor=actor, action=action, post=post, report=report, reason=reason
    )


def _close_open_reports(
    post: Post, *, by: "User", state: ReportState, note: str, only: Report | None = None
) -> list[Report]:
    """Close the open reports of a post (or just `only`), returning them, locked for update."""
    reports = Report.objects.select_for_update().filter(post=post, state=ReportState.OPEN)
    if only is not None:
        reports = reports.filter(pk=only.pk)
    closed = list(reports)
    now = timezone.now()
    for report in closed:
        report.state, report.handled_by, report.handled_at = state, by, now
        report.outcome_note = note
    Report.objects.bulk_update(closed, ["state", "handled_by", "handled_at", "outcome_note"])
    return closed


def _refuse_handled(report: Report) -> None:
    current = Report.objects.filter(pk=report.pk).values_list("state", flat=True).first()
    if current != ReportState.OPEN:
        raise ModerationError("This report has already been handled; nothing was changed.")


def hide_reported_post(report: Report, *, by: "User", reason: str, note: str = "") -> Report:
    """Hide the reported post (discussions.actions.hide_post) with `reason`, which its author
    reads on the post; every open report of the post is closed as actioned with `note` for its
    reporter. Logged; the author and the reporters are notified after the commit. Refuses a
    blank or oversize reason or note and a report already handled (ModerationError).
    Precondition: `by` moderates the report (moderation.access.get_report_for_moderator)."""
    reason = _clean_note(reason, required="Say why the post is hidden: its author will read it.")
    note = _clean_note(note)
    with transaction.atomic():
        _refuse_handled(report)
        post = report.post
        discussion_actions.hide_post(post, by=by, reason=reason)
        closed = _close_open_reports(post, by=by, state=ReportState.ACTIONED, note=note)
        _log(ActionKind.HIDE, actor=by, post=post, report=report, reason=reason)
        transaction.on_commit(lambda: _tell_author(post))
        transaction.on_commit(lambda: _tell_reporters(closed))
    report.refresh_from_db()
    return report


def dismiss_report(report: Report, *, by: "User", note: str = "") -> Report:
    """Close one report without action, with `note` for the reporter (notified after the
    commit). Logged. Refuses an oversize note and a report already handled (ModerationError).
    Precondition: `by` moderates the report."""
    note = _clean_note(note)
    with transaction.atomic():
        _refuse_handled(report)
        _close_open_reports(report.post, by=by, state=ReportState.DISMISSED, note=note, only=report)
        _log(ActionKind.DISMISS, actor=by, post=report.post, report=report, reason=note)
    report.refresh_from_db()
    return report


def unhide_reported_post(report: Report, *, by: "User", reason: str = "") -> Report:
    """Show the reported post again (discussions.actions.unhide_post), for a hide that was a
    mistake. Logged with `reason`. Refuses a post that is not hidden (ModerationError).
    Precondition: `by` moderates the report."""
    reason = _clean_note(reason)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=report.post_id)
        if post.hidden_at is None:
            raise ModerationError("This post is not hidden; nothing was changed.")
        discussion_actions.unhide_post(post, by=by)
        _log(ActionKind.UNHIDE, actor=by, post=post, report=report, reason=reason)
    report.post = post
    return report


# -- notifications -----------------------------------------------------------------------------


def _tell_moderators(report: Report) -> None:
    post = report.post
    notify(
        kind=NotificationKind.MODERATION,
        recipients=moderator_ids_for(post),
        actor=None,
        actor_label="",
        place=_("a post reported in %(place)s") % {"place": thread_kind_label(post.thread)},
        # The report page, not the post: an admin reads no thread, only the reported post there.
        url=reverse("moderation:report_detail", args=[report.public_id]),
    )


def _tell_author(post: Post) -> None:
    thread = post.thread
    notify(
        kind=NotificationKind.MODERATION,
        recipients=[post.author_id],
        actor=None,
        actor_label="",
        place=_("your post in %(place)s") % {"place": thread_kind_label(thread)},
        url=reverse("discussions:post_link", args=[post.public_id]),
        target_id=post.public_id,
    )


def _tell_reporters(reports: list[Report]) -> None:
    if not reports:
        return
    post = reports[0].post
    notify(
        kind=NotificationKind.MODERATION,
        recipients=[r.reporter_id for r in reports],
        actor=None,
        actor_label="",
        place=_("your report in %(place)s") % {"place": thread_kind_label(post.thread)},
        url=reverse("moderation:mine"),
    )
