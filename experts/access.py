"""Getters for the experts pages, each built on a `visible_to(user)` queryset (the rules are in
experts.models): what a person may not see raises Http404, what they may see but not do
raises PermissionDenied."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from experts.models import ExpertThread, Question, Vote
from rapport import policy


def hostable_cohorts(user: "Any") -> list[Cohort]:
    """The cohorts in which the person may open office hours or an ask-me-anything thread:
    those where they hold an expert's seat, or every cohort of their organisation for its
    admins. One query."""
    if policy.membership_of(user) is None:
        return []
    cohorts = Cohort.objects.visible_to(user).select_related("program").order_by("name")
    if policy.can_manage_people(user):
        return list(cohorts)
    seats = Enrollment.objects.filter(user=user, role=EnrollmentRole.EXPERT).values("cohort_id")
    return list(cohorts.filter(pk__in=seats))


def threads_of(user: "Any") -> list[ExpertThread]:
    """The open threads the person sees, office hours by time then ask-me-anything threads,
    with cohort and host. One query."""
    return list(
        ExpertThread.objects.visible_to(user)
        .filter(closed=False)
        .select_related("cohort", "host")
        .order_by("kind", "starts_at", "-created_at")
    )


def get_thread_for_user(user: "Any", thread_id: uuid.UUID) -> ExpertThread:
    """A thread the person sees (with cohort and host), else 404. One query."""
    thread = (
        ExpertThread.objects.visible_to(user)
        .select_related("cohort", "host")
        .filter(public_id=thread_id)
        .first()
    )
    if thread is None:
        raise Http404("No such thread")
    return thread


def get_question_for_user(user: "Any", question_id: uuid.UUID) -> Question:
    """A question of a thread the person sees (with thread, cohort, host), else 404. One
    query."""
    question = (
        Question.objects.visible_to(user)
        .select_related("thread__cohort", "thread__host")
        .filter(public_id=question_id)
        .first()
    )
    if question is None:
        raise Http404("No such question")
    return question


def require_moderator(user: "Any", thread: ExpertThread) -> None:
    """403 unless the person answers this thread (its host) or is an admin of its
    organisation."""
    if not thread.is_moderator(user):
        raise PermissionDenied("Only the expert answers")


def may_ask(user: "Any", thread: ExpertThread) -> bool:
    """Learners of the thread's cohort ask and vote, while it is open. At most one query."""
    if thread.closed:
        return False
    return Enrollment.objects.filter(
        cohort_id=thread.cohort_id, user=user, role=EnrollmentRole.LEARNER
    ).exists()


def require_asker(user: "Any", thread: ExpertThread) -> None:
    """403 for anyone who may see the thread but not ask or vote in it."""
    if not may_ask(user, thread):
        raise PermissionDenied("Only the cohort's learners ask and vote, while it is open")


def questions_of(thread: ExpertThread) -> list[Question]:
    """The thread's questions, most votes first then oldest, with their authors. One query,
    whatever their number."""
    return list(
        thread.questions.select_related("author").order_by("-vote_count", "created_at", "id")
    )


def my_votes(user: "Any", thread: ExpertThread) -> set[int]:
    """The ids of the questions of this thread the person upvoted. One query."""
    return set(
        Vote.objects.visible_to(user)
        .filter(question__thread=thread)
        .values_list("question_id", flat=True)
    )


def office_hours_of(user: "Any", *, now: Any) -> list[ExpertThread]:
    """Upcoming office hours the person sees (for My sessions). One query."""
    return list(
        ExpertThread.objects.visible_to(user)
        .filter(kind="office_hours", closed=False, ends_at__gt=now)
        .select_related("cohort", "host")
        .order_by("starts_at")
    )
