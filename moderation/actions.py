"""Writes of the moderation domain: blocking, reporting a post, an expert question or answer, or
a journal entry shared with a circle or cohort (`moderation.targets`), and the moderators' decisions
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
from discussions.models import Post
from experts.models import Question
from moderation.models import (
    MAX_DETAILS_LENGTH,
    MAX_NOTE_LENGTH,
    ActionKind,
    ModerationAction,
    Report,
    ReportReason,
    ReportState,
)
from moderation.targets import (
    ANSWER,
    Target,
    entry_target,
    post_target,
    question_target,
    target_of,
)
from notifications.actions import notify
from notifications.models import NotificationKind
from organizations.models import Membership
from rapport import policy
from reflections.models import Entry

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


def moderator_ids_for(target: "Post | Target") -> set[int]:
    """Who hears about a report on `target` (a post, or any `moderation.targets.Target`): the
    enrolled coaches of its cohort and the active admins of its organisation — never its
    author, never the author's line manager (`Membership.line_manager`). Two queries. The same
    people as `Report.objects.moderated_by` gives the report to."""
    if isinstance(target, Post):
        target = post_target(target)
    coaches = (
        Enrollment.objects.filter(cohort_id=target.cohort_id, role=EnrollmentRole.COACH)
        if target.cohort_id is not None
        else Enrollment.objects.none()
    )
    admins = Membership.objects.filter(
        organization_id=target.organization_id, role=policy.Role.ADMIN
    )
    ids = set(
        Membership.objects.filter(organization_id=target.organization_id, user__is_active=True)
        .filter(Q(user_id__in=coaches.values("user_id")) | Q(pk__in=admins.values("pk")))
        .values_list("user_id", flat=True)
    )
    if target.author_id is not None:
        ids.discard(target.author_id)
        manager_id = line_manager_id_of(target.author_id)
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
    """Report a post to its cohort's moderators (`report`). Precondition: the reporter may see
    the post (moderation.access.get_reportable_post)."""
    return report(
        post_target(post),
        reporter=reporter,
        reason=reason,
        details=details,
        anonymous_to_peers=anonymous_to_peers,
    )


def report_question(
    question: Question,
    *,
    reporter: "User",
    reason: str,
    answer: bool = False,
    details: str = "",
    anonymous_to_peers: bool = True,
) -> Report:
    """Report an expert question, or (`answer`) its written answer, to its cohort's moderators
    (`report`); refuses an answer that is not written (ModerationError). Precondition: the
    reporter may see the question (moderation.access.get_reportable_question)."""
    if answer and not question.answer:
        raise ModerationError("There is no written answer to report.")
    return report(
        question_target(question, answer=answer),
        reporter=reporter,
        reason=reason,
        details=details,
        anonymous_to_peers=anonymous_to_peers,
    )


def report_entry(
    entry: Entry,
    *,
    reporter: "User",
    reason: str,
    details: str = "",
    anonymous_to_peers: bool = True,
) -> Report:
    """Report a journal entry its author shared with their circle or cohort to its cohort's
    moderators (`report`). Refuses (ModerationError) an entry shared with its author's coach
    only or with nobody (not a group's to report: docs/permissions.md, "Moderation").
    Precondition: the reporter may read the entry (moderation.access.get_reportable_entry):
    the report shows the moderators its text, which the reporter could read already."""
    return report(
        entry_target(entry),
        reporter=reporter,
        reason=reason,
        details=details,
        anonymous_to_peers=anonymous_to_peers,
    )


def report(
    target: Target,
    *,
    reporter: "User",
    reason: str,
    details: str = "",
    anonymous_to_peers: bool = True,
) -> Report:
    """Report a piece of text (`moderation.targets`) to its cohort's moderators
    (`moderator_ids_for`): it is in their queue and they are notified after the commit.
    Refuses (ModerationError), changing nothing: an unknown reason, details over
    MAX_DETAILS_LENGTH characters, one's own text, a deleted post, a second report of the same
    text by the same person ("already reported": the first stands unchanged), and text that
    nobody could moderate (its only possible moderators are its author or their line manager:
    the reporter is told so rather than the report queued where nobody will see it)."""
    if reason not in ReportReason.values:
        raise ModerationError("Choose one of the reasons in the list.")
    details = (details or "").replace("\r\n", "\n").strip()
    if len(details) > MAX_DETAILS_LENGTH:
        raise ModerationError(
            f"Details can be at most {MAX_DETAILS_LENGTH:,} characters; these are {len(details):,}."
        )
    noun = target.noun
    if target.author_id == reporter.pk:
        raise ModerationError(f"You cannot report your own {noun}.")
    if target.deleted_at is not None or target.obj is None:
        raise ModerationError(f"This {noun} was deleted, so there is nothing left to report.")
    if target.unavailable:
        raise ModerationError(
            f"This {noun} is no longer shared with a group, so there is nothing to report. "
            "If something its author shared worries you, tell your coach."
        )
    already = f"You have already reported this {noun}. The moderators have it."
    if Report.objects.filter(**target.report_filter, reporter=reporter).exists():
        raise ModerationError(already)
    if not moderator_ids_for(target):
        raise ModerationError(
            f"Nobody could look at this report: the only moderators here are the {noun}'s "
            "author or their line manager. Nothing was sent. Please tell your organisation's "
            "admins or your programme's organisers directly."
        )
    fields = _target_fields(target)
    try:
        with transaction.atomic():
            made = Report.objects.create(
                **fields,
                reporter=reporter,
                reason=reason,
                details=details,
                anonymous_to_peers=anonymous_to_peers,
            )
            transaction.on_commit(lambda: _tell_moderators(made))
    except IntegrityError:  # a double click raced us
        raise ModerationError(already) from None
    return made


def _target_fields(target: Target) -> dict[str, object]:
    """The Report fields naming the text (one of post, question with on_answer, entry)."""
    if isinstance(target.obj, Post):
        return {"post": target.obj}
    if isinstance(target.obj, Question):
        return {"question": target.obj, "on_answer": target.kind == ANSWER}
    return {"entry": target.obj}


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
    action: ActionKind, *, actor: "User", target: Target, report: Report | None, reason: str
) -> ModerationAction:
    on = {} if target.obj is None else _target_fields(target)
    on.pop("on_answer", None)
    return ModerationAction.objects.create(
        actor=actor, action=action, report=report, reason=reason, **on
    )


def _close_open_reports(
    target: Target, *, by: "User", state: ReportState, note: str, only: Report | None = None
) -> list[Report]:
    """Close the open reports of the text (or just `only`), returning them, locked."""
    reports = Report.objects.select_for_update().filter(
        **target.report_filter, state=ReportState.OPEN
    )
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
    """Hide the reported text (a post through discussions.actions.hide_post, an expert question
    or answer through experts.actions.hide_question) with `reason`, which its author reads;
    every open report of the same text is closed as actioned with `note` for its reporter.
    Logged; the author and the reporters are notified after the commit. Refuses a blank or
    oversize reason or note, a report already handled, and a journal entry its author no
    longer shares with a group or deleted (`Target.unavailable`: dismiss it instead)
    (ModerationError). Precondition:
    `by` moderates the report (moderation.access.get_report_for_moderator)."""
    reason = _clean_note(reason, required="Say why it is hidden: its author will read it.")
    note = _clean_note(note)
    with transaction.atomic():
        _refuse_handled(report)
        target = target_of(_locked(report))
        if target.unavailable:
            raise ModerationError(target.unavailable)
        target.hide(by=by, reason=reason)
        closed = _close_open_reports(target, by=by, state=ReportState.ACTIONED, note=note)
        _log(ActionKind.HIDE, actor=by, target=target, report=report, reason=reason)
        transaction.on_commit(lambda: _tell_author(target))
        transaction.on_commit(lambda: _tell_reporters(closed, target))
    report.refresh_from_db()
    return report


def _locked(report: Report) -> Report:
    """The report with its text read again under a row lock (what the author or another
    moderator changed since the page was loaded: an entry made private or deleted, a hide)."""
    if report.post_id is not None:
        report.post = Post.objects.select_for_update().get(pk=report.post_id)
    elif report.question_id is not None:
        report.question = Question.objects.select_for_update().get(pk=report.question_id)
    elif report.entry_id is not None:
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("author", "cohort", "circle", "activity")
            .filter(pk=report.entry_id)
            .first()
        )
        report.entry = entry  # None: deleted since the report was loaded
    return report


def dismiss_report(report: Report, *, by: "User", note: str = "") -> Report:
    """Close one report without action, with `note` for the reporter (notified after the
    commit). Logged. Refuses an oversize note and a report already handled (ModerationError).
    Precondition: `by` moderates the report."""
    note = _clean_note(note)
    with transaction.atomic():
        _refuse_handled(report)
        target = target_of(report)
        _close_open_reports(target, by=by, state=ReportState.DISMISSED, note=note, only=report)
        _log(ActionKind.DISMISS, actor=by, target=target, report=report, reason=note)
    report.refresh_from_db()
    return report


def unhide_reported_post(report: Report, *, by: "User", reason: str = "") -> Report:
    """Show the reported text again, for a hide that was a mistake. Logged with `reason`.
    Refuses text that is not hidden (ModerationError). Precondition: `by` moderates the
    report."""
    reason = _clean_note(reason)
    with transaction.atomic():
        target = target_of(_locked(report))
        if target.hidden_at is None:
            raise ModerationError(f"This {target.noun} is not hidden; nothing was changed.")
        target.unhide(by=by)
        _log(ActionKind.UNHIDE, actor=by, target=target, report=report, reason=reason)
    return report


# -- notifications -----------------------------------------------------------------------------


def _tell_moderators(report: Report) -> None:
    target = target_of(report)
    notify(
        kind=NotificationKind.MODERATION,
        recipients=moderator_ids_for(target),
        actor=None,
        actor_label="",
        place=_("a %(noun)s reported in %(place)s") % {"noun": target.noun, "place": target.place},
        # The report page, not the text: an admin reads no thread, only the reported text there.
        url=reverse("moderation:report_detail", args=[report.public_id]),
    )


def _tell_author(target: Target) -> None:
    if target.author_id is None:
        return
    notify(
        kind=NotificationKind.MODERATION,
        recipients=[target.author_id],
        actor=None,
        actor_label="",
        place=_("your %(noun)s in %(place)s") % {"noun": target.noun, "place": target.place},
        url=target.author_url(),
        target_id=target.public_id,
    )


def _tell_reporters(reports: list[Report], target: Target) -> None:
    if not reports:
        return
    notify(
        kind=NotificationKind.MODERATION,
        recipients=[r.reporter_id for r in reports],
        actor=None,
        actor_label="",
        place=_("your report in %(place)s") % {"place": target.place},
        url=reverse("moderation:mine"),
    )
