"""Writes of the experts app: opening office hours or an ask-me-anything thread, asking a
question, upvoting and withdrawing a vote, answering in writing or live, closing a thread.
Each is atomic and records its event (the question by its opaque id: never its text, never
the answer)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort
from events.actions import record_event
from events.models import ObjectType, Verb
from experts.models import ExpertThread, Question, ThreadKind, Vote


def open_thread(
    host: User,
    *,
    cohort: Cohort,
    kind: ThreadKind | str,
    title: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    video_url: str = "",
) -> ExpertThread:
    """Open office hours (with `starts_at`/`ends_at`) or an ask-me-anything thread for
    `cohort`, answered by `host`. Precondition: the host may open one there
    (experts.access.hostable_cohorts) and the form checked the times. Office hours appear in
    the cohort's My sessions with an `.ics` invite."""
    is_office = kind == ThreadKind.OFFICE_HOURS
    return ExpertThread.objects.create(
        cohort=cohort,
        host=host,
        kind=kind,
        title=title,
        starts_at=starts_at if is_office else None,
        ends_at=ends_at if is_office else None,
        video_url=video_url,
    )


def ask_question(author: User, *, thread: ExpertThread, body: str, show_name: bool) -> Question:
    """A question in `thread` (precondition: experts.access.require_asker). `show_name` False
    hides the author from the cohort; the host and admins still know. Records `asked`."""
    with transaction.atomic():
        question = Question.objects.create(
            thread=thread, author=author, body=body, show_name=show_name
        )
        record_event(
            author,
            verb=Verb.ASKED,
            object_type=ObjectType.QUESTION,
            object_id=question.public_id,
            cohort=thread.cohort,
        )
    return question


def set_vote(voter: User, *, question: Question, up: bool) -> bool:
    """Upvote (`up`) or withdraw one's vote; one vote per person and question, whatever the
    clicks (the unique constraint `one_vote_per_person` settles a double click or two tabs).
    Keeps `Question.vote_count` in the same transaction. Returns whether anything changed;
    records `upvoted` for a new vote only. Precondition: experts.access.require_asker."""
    with transaction.atomic():
        if up:
            try:
                with transaction.atomic():
                    Vote.objects.create(question=question, user=voter)
            except IntegrityError:
                return False
            Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
            record_event(
                voter,
                verb=Verb.UPVOTED,
                object_type=ObjectType.QUESTION,
                object_id=question.public_id,
                cohort=question.thread.cohort,
            )
            return True
        deleted, _ = Vote.objects.filter(question=question, user=voter).delete()
        if deleted:
            Question.objects.filter(pk=question.pk, vote_count__gt=0).update(
                vote_count=F("vote_count") - 1
            )
        return bool(deleted)


def answer_question(question: Question, *, by: User, answer: str, live: bool) -> Question:
    """The host's written answer (`answer`, Markdown) and/or the mark that it was answered
    live at the office hour. An empty answer and `live` False undoes the answer. Records
    `answered` the first time it becomes answered. Precondition: experts.access.
    require_moderator."""
    with transaction.atomic():
        was_answered = question.is_answered
        question.answer = answer
        question.answered_live = live
        question.answered_at = timezone.now() if (answer or live) else None
        question.answered_by = by if answer else None
        question.save(update_fields=["answer", "answered_live", "answered_at", "answered_by"])
        if question.is_answered and not was_answered:
            record_event(
                by,
                verb=Verb.ANSWERED,
                object_type=ObjectType.QUESTION,
                object_id=question.public_id,
                cohort=question.thread.cohort,
            )
    return question


def close_thread(thread: ExpertThread, *, closed: bool = True) -> None:
    """Close a thread to new questions and votes (or open it again); what was asked and
    answered stays readable."""
    ExpertThread.objects.filter(pk=thread.pk).update(closed=closed, updated_at=timezone.now())
    thread.closed = closed


def hide_question(question: Question, *, by: User, reason: str, answer: bool = False) -> Question:
    """Hide a question (or, with `answer`, its written answer) from everyone but its author,
    who reads `reason`. For the moderation app, which checks that `by` moderates it and writes
    the audit log; hiding again only updates the reason. Raises ValueError for a blank reason
    (the moderation form requires one first)."""
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise ValueError("Say why it is hidden: its author will read it.")
    if answer:
        question.answer_hidden_at = question.answer_hidden_at or timezone.now()
        question.answer_hidden_reason = reason
        fields = ["answer_hidden_at", "answer_hidden_reason"]
    else:
        question.hidden_at = question.hidden_at or timezone.now()
        question.hidden_reason = reason
        fields = ["hidden_at", "hidden_reason"]
    question.save(update_fields=fields)
    return question


def unhide_question(question: Question, *, answer: bool = False) -> Question:
    """Show a hidden question (or its written answer) again: a hide that was a mistake. The
    moderation app checks who may and logs it."""
    if answer:
        question.answer_hidden_at, question.answer_hidden_reason = None, ""
        fields = ["answer_hidden_at", "answer_hidden_reason"]
    else:
        question.hidden_at, question.hidden_reason = None, ""
        fields = ["hidden_at", "hidden_reason"]
    question.save(update_fields=fields)
    return question
