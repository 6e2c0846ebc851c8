"""Getters for moderation, each built on a `visible_to(user)` queryset (the rules are in
moderation.models, accounts.models.BlockQuerySet and discussions.models.PostQuerySet): what a
person may not see raises Http404 (existence never leaks), what they may see but not do raises
PermissionDenied."""

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Block, BlockQuerySet
from cohorts.models import Enrollment, EnrollmentRole
from discussions.access import get_post_for_user
from discussions.models import Post
from experts.access import get_question_for_user
from experts.models import Question
from moderation.models import (
    ModerationAction,
    ModerationActionQuerySet,
    Report,
    ReportQuerySet,
    ReportState,
)
from rapport import policy
from reflections.access import get_entry_for_user
from reflections.models import Entry

if TYPE_CHECKING:
    from accounts.models import User


def get_reportable_post(user: "User | Any", post_public_id: uuid.UUID) -> Post:
    """A post the person may see (Post.visible_to: its thread, respond-before-reveal, hidden
    posts), with its thread and author, to report or to block its author; else 404."""
    return get_post_for_user(user, post_public_id)


def get_reportable_question(user: "User | Any", question_public_id: uuid.UUID) -> Question:
    """An expert question the person may see (Question.visible_to: a thread of a cohort they
    have a seat in), with its thread, to report it or its answer; else 404."""
    return get_question_for_user(user, question_public_id)


def get_reportable_entry(user: "User | Any", entry_public_id: uuid.UUID) -> Entry:
    """A journal entry the person may read (Entry.visible_to: shared with their circle or
    cohort, or with them as the author's coach; hidden entries only to their author), with its
    author, cohort and circle, to report it; else 404 — also for an entry shared with its
    author's coach only or with nobody (a confidence, not reportable), so the answer never says
    more than the entry's own page would."""
    entry = get_entry_for_user(user, entry_public_id)
    if not entry.is_shared_with_a_group:
        raise Http404("Only entries shared with a circle or cohort are reported")
    return entry


# What the queue, a report and the audit log need of whatever a report is about, fetched up
# front (a fixed number of queries whatever the mix of posts and questions).
TARGET_RELATIONS = (
    "post__author",
    "post__thread__cohort",
    "post__thread__activity",
    "post__thread__circle",
    "question__author",
    "question__answered_by",
    "question__thread__host",
    "entry__author",
    "entry__cohort",
    "entry__circle",
    "entry__activity",
)


def is_a_moderator(user: "User | Any") -> bool:
    """Whether the person moderates anything: an organisation admin, or an enrolled coach of
    some cohort (in their current organisation). One query for coaches, none for admins."""
    if policy.is_platform_superuser(user) or policy.can_manage_people(user):
        return True
    membership = policy.membership_of(user)
    if membership is None:
        return False
    return Enrollment.objects.filter(
        user=user, role=EnrollmentRole.COACH, organization_id=membership.organization_id
    ).exists()


def check_moderator(user: "User | Any") -> None:
    """PermissionDenied for people who moderate nothing (the queue is not theirs)."""
    if not is_a_moderator(user):
        raise PermissionDenied("Only coaches and organisation admins moderate")


def moderation_queue(user: "User | Any") -> ReportQuerySet:
    """The open reports the person handles (Report.moderated_by), oldest first, with the post,
    its author, thread, cohort and activity, and the reporter: a fixed number of queries."""
    return (
        Report.objects.moderated_by(user)
        .filter(state=ReportState.OPEN)
        .select_related(*TARGET_RELATIONS, "reporter")
        .order_by("created_at", "id")
    )


def get_report_for_moderator(user: "User | Any", report_public_id: uuid.UUID) -> Report:
    """A report the person moderates (Report.moderated_by), with its post and people; else 404
    (the reported person, their line manager, peers and other organisations alike)."""
    report = (
        Report.objects.moderated_by(user)
        .select_related(*TARGET_RELATIONS, "reporter", "handled_by")
        .filter(public_id=report_public_id)
        .first()
    )
    if report is None:
        raise Http404("No such report")
    return report


def reports_made_by(user: "User | Any") -> ReportQuerySet:
    """The person's own reports ("My reports"), newest first, with the post's thread."""
    return (
        Report.objects.visible_to(user)
        .filter(reporter=user)
        .select_related(*TARGET_RELATIONS)
        .order_by("-created_at", "-id")
    )


def blocks_made_by(user: "User | Any") -> BlockQuerySet:
    """The person's own blocks (Block.visible_to), newest first, with the blocked person."""
    return Block.objects.visible_to(user).select_related("blocked").order_by("-created_at", "-id")


def get_own_block(user: "User | Any", block_public_id: uuid.UUID) -> Block:
    """One of the person's own blocks (Block.visible_to), else 404."""
    block = Block.objects.visible_to(user).filter(public_id=block_public_id).first()
    if block is None:
        raise Http404("No such block")
    return block


def can_read_audit_log(user: "User | Any") -> bool:
    """Organisation admins (and platform superusers) read the moderation audit log."""
    return policy.is_platform_superuser(user) or policy.can_manage_people(user)


def audit_log(user: "User | Any") -> ModerationActionQuerySet:
    """The organisation's moderation audit log (ModerationAction.visible_to), newest first:
    PermissionDenied for anyone but organisation admins and platform superusers."""
    if not can_read_audit_log(user):
        raise PermissionDenied("The audit log is for organisation admins")
    return ModerationAction.objects.visible_to(user).select_related(
        "actor",
        "post__author",
        "post__thread__cohort",
        "post__thread__activity",
        "post__thread__circle",
        "question__thread",
        "entry__cohort",
        "entry__circle",
        "report",
    )
