"""A person's questions and votes in experts' threads, and the threads they host, for their
export and erasure (`accounts.personal_data`)."""

from typing import Any

from django.db.models import F

from accounts.models import User
from accounts.personal_data import iso
from experts.models import ExpertThread, Question, Vote


def export_experts(user: User) -> list[dict[str, Any]]:
    """The questions the person asked (their text, whether their name showed, the answer they
    got), the questions they upvoted (by thread title only: others' words are theirs) and the
    threads they host. Three queries."""
    asked = [
        {
            "kind": "question",
            "thread": q.thread.title,
            "question": q.body,
            "name_shown": q.show_name,
            "votes": q.vote_count,
            "answer": q.answer,
            "answered_live": q.answered_live,
            "asked_at": iso(q.created_at),
        }
        for q in Question.objects.filter(author=user).select_related("thread").order_by("id")
    ]
    votes = [
        {"kind": "upvote", "thread": v.question.thread.title, "voted_at": iso(v.created_at)}
        for v in Vote.objects.filter(user=user).select_related("question__thread").order_by("id")
    ]
    hosted = [
        {
            "kind": "hosted",
            "title": t.title,
            "thread_kind": t.get_kind_display(),
            "starts_at": iso(t.starts_at),
            "ends_at": iso(t.ends_at),
            "video_link": t.video_url,
        }
        for t in ExpertThread.objects.filter(host=user).order_by("id")
    ]
    return asked + votes + hosted


def erase_experts(user: User) -> int:
    """Delete the person's questions (with their votes and answers) and withdraw their votes
    from others' questions (the counts go down). Threads they host stay for the cohort, with
    no host. Returns the rows deleted."""
    for question_id in Vote.objects.filter(user=user).values_list("question_id", flat=True):
        Question.objects.filter(pk=question_id, vote_count__gt=0).update(
            vote_count=F("vote_count") - 1
        )
    deleted = Vote.objects.filter(user=user).delete()[0]
    return deleted + Question.objects.filter(author=user).delete()[0]
