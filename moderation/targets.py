"""What a report can be about, seen one way whatever it is: a discussion post, an expert
question, or an expert's written answer (every piece of text a person writes that others in
the cohort read; docs/permissions.md, "Moderation" lists the others and why they need none).

`Target` is the report's view of the reported text: who wrote it, in which cohort and
organisation (the moderators follow from those: `moderation.actions.moderator_ids_for`), its
text, where it is, whether it is hidden, and how to hide or show it again through the app
that owns it (discussions.actions, experts.actions). Adding a kind of reportable text is a new
`Target` constructor here and a foreign key on `Report`, never a second report model.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from discussions import actions as discussion_actions
from discussions.access import thread_kind_label
from discussions.models import Post
from experts import actions as expert_actions
from experts.models import Question

if TYPE_CHECKING:
    from accounts.models import User
    from moderation.models import Report

POST, QUESTION, ANSWER = "post", "question", "answer"


@dataclass(frozen=True)
class Target:
    """The reported text. `kind` is POST, QUESTION or ANSWER; `obj` the Post or Question;
    `public_id` the opaque id of that row; `body` the Markdown as written (shown sanitised);
    `place` where it is, as the product names it; `author_id` who wrote it (None once their
    account is gone); `cohort_id` the cohort whose coaches moderate it (None: admins only)."""

    kind: str
    obj: Post | Question
    public_id: uuid.UUID
    organization_id: int
    cohort_id: int | None
    author_id: int | None
    body: str
    created_at: datetime
    hidden_at: datetime | None
    hidden_reason: str
    deleted_at: datetime | None
    place: str

    @property
    def noun(self) -> str:
        """ "post", "question" or "answer", translated, for sentences."""
        return {POST: _("post"), QUESTION: _("question"), ANSWER: _("answer")}[self.kind]

    @property
    def report_filter(self) -> dict[str, Any]:
        """Report.objects.filter(**this): the reports of this very text."""
        if isinstance(self.obj, Post):
            return {"post": self.obj}
        return {"question": self.obj, "on_answer": self.kind == ANSWER}

    def author_label(self, viewer: "User | Any", *, moderator: bool = False) -> str:
        """The author's name as `viewer` may see it: a post's pseudonym for peers; a question's
        asker only when they chose to be named (moderators always know who asked); an
        answer's writer (the expert, named on the thread)."""
        if isinstance(self.obj, Post):
            return self.obj.label_for(viewer, moderator=moderator)
        question = self.obj
        if self.kind == ANSWER:
            writer = question.answered_by or question.thread.host
            return writer.full_name if writer else _("(removed)")
        if moderator or question.show_name or question.author_id == getattr(viewer, "pk", None):
            return question.author.full_name
        return _("A learner of the cohort")

    def author_url(self) -> str:
        """Where the author reads that their text was hidden, and why."""
        if isinstance(self.obj, Post):
            return reverse("discussions:post_link", args=[self.obj.public_id])
        thread_url = reverse("experts:thread", args=[self.obj.thread.public_id])
        return f"{thread_url}#q-{self.obj.public_id}"

    def hide(self, *, by: "User", reason: str) -> None:
        """Hide it from everyone but its author (who reads `reason`), through its own app."""
        if isinstance(self.obj, Post):
            discussion_actions.hide_post(self.obj, by=by, reason=reason)
        else:
            expert_actions.hide_question(self.obj, by=by, reason=reason, answer=self.kind == ANSWER)

    def unhide(self, *, by: "User") -> None:
        """Show it again, through its own app."""
        if isinstance(self.obj, Post):
            discussion_actions.unhide_post(self.obj, by=by)
        else:
            expert_actions.unhide_question(self.obj, answer=self.kind == ANSWER)


def post_target(post: Post) -> Target:
    """A discussion post as a report target (needs its thread loaded; no query with it)."""
    return Target(
        kind=POST,
        obj=post,
        public_id=post.public_id,
        organization_id=post.organization_id,
        cohort_id=post.thread.cohort_id,
        author_id=post.author_id,
        body=post.body,
        created_at=post.created_at,
        hidden_at=post.hidden_at,
        hidden_reason=post.hidden_reason,
        deleted_at=post.deleted_at,
        place=thread_kind_label(post.thread),
    )


def question_target(question: Question, *, answer: bool = False) -> Target:
    """An expert question, or (`answer`) its written answer, as a report target (needs its
    thread loaded)."""
    thread = question.thread
    place = _("%(kind)s “%(title)s”") % {"kind": thread.get_kind_display(), "title": thread.title}
    return Target(
        kind=ANSWER if answer else QUESTION,
        obj=question,
        public_id=question.public_id,
        organization_id=question.organization_id,
        cohort_id=thread.cohort_id,
        author_id=question.answer_author_id if answer else question.author_id,
        body=question.answer if answer else question.body,
        created_at=(question.answered_at or question.created_at) if answer else question.created_at,
        hidden_at=question.answer_hidden_at if answer else question.hidden_at,
        hidden_reason=question.answer_hidden_reason if answer else question.hidden_reason,
        deleted_at=None,
        place=place,
    )


def target_of(report: "Report") -> Target:
    """What the report is about."""
    if report.post is not None:
        return post_target(report.post)
    assert report.question is not None  # the report_has_one_target constraint
    return question_target(report.question, answer=report.on_answer)
