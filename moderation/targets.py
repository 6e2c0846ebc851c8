"""What a report can be about, seen one way whatever it is: a discussion post, an expert
question, an expert's written answer, or a journal entry its author shared with their circle or
cohort (every piece of text a person writes that a group in the cohort reads;
docs/permissions.md, "Moderation" lists the others and why they need none).

`Target` is the report's view of the reported text: who wrote it, in which cohort and
organisation (the moderators follow from those: `moderation.actions.moderator_ids_for`), its
text, where it is, whether it is hidden, and how to hide or show it again through the app
that owns it (discussions.actions, experts.actions, reflections.actions). Adding a kind of
reportable text is a new `Target` constructor here and a foreign key on `Report`, never a
second report model.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from markupsafe import Markup

from discussions import actions as discussion_actions
from discussions.access import thread_kind_label
from discussions.models import Post
from experts import actions as expert_actions
from experts.models import Question
from rapport.lib.markdown import render_untrusted_markdown
from reflections import actions as reflection_actions
from reflections.models import Entry, Visibility

if TYPE_CHECKING:
    from accounts.models import User
    from moderation.models import Report

POST, QUESTION, ANSWER, ENTRY = "post", "question", "answer", "entry"


def capital_first(label: str) -> str:
    """`label` with its first letter a capital and the rest as written (unlike str.capitalize,
    which would lower "Circle Lisbon" to "circle lisbon"), for a label that begins a line."""
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class Target:
    """The reported text. `kind` is POST, QUESTION, ANSWER or ENTRY; `obj` the Post, Question
    or Entry (None for an entry its author has deleted since); `public_id` the opaque id of
    that row; `body` the text as written (Markdown for posts and questions, plain lines for an
    entry: `body_html` shows either sanitised); `place` where it is, as the product names it;
    `author_id` who wrote it (None once their account is gone); `cohort_id` the cohort whose
    coaches moderate it (None: admins only). `unavailable`, when not empty, says why the text
    is no longer the moderators' to read (an entry made private, narrowed to the author's coach,
    or deleted): `body` is then empty and it cannot be hidden."""

    kind: str
    obj: Post | Question | Entry | None
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
    unavailable: str = ""

    @property
    def noun(self) -> str:
        """ "post", "question", "answer" or "journal entry", translated, for sentences."""
        return {
            POST: _("post"),
            QUESTION: _("question"),
            ANSWER: _("answer"),
            ENTRY: _("journal entry"),
        }[self.kind]

    @property
    def place_label(self) -> str:
        """`place` standing on its own (the line above a page's heading, a list's value, a
        table cell, one part of a "·" line), its first letter a capital as every heading and
        label in the product: "The journal shared with Circle Lisbon". `place` itself stays
        as it is for sentences ("your report in the journal shared with …")."""
        return capital_first(self.place)

    @property
    def report_filter(self) -> dict[str, Any]:
        """Report.objects.filter(**this): the reports of this very text (for an entry deleted
        since, every report left without a text: callers narrow it to one report)."""
        if isinstance(self.obj, Post):
            return {"post": self.obj}
        if isinstance(self.obj, Question):
            return {"question": self.obj, "on_answer": self.kind == ANSWER}
        if self.obj is None:
            return {"entry__isnull": True, "post__isnull": True, "question__isnull": True}
        return {"entry": self.obj}

    def body_html(self) -> Markup:
        """The text, sanitised, for the moderators and the reporter: a post's or question's
        Markdown rendered inert; an entry's answers under their prompts, as its readers see
        them (line breaks kept, never Markdown; the prompts in bold, not headings, as the
        quote sits under whatever heading its page has). Empty when `unavailable`."""
        if self.unavailable:
            return Markup("")
        if isinstance(self.obj, Entry):
            return Markup(  # each prompt and answer escaped by format_html_join
                format_html_join(
                    "",
                    '<p><strong>{}</strong></p><p class="preserve-lines">{}</p>',
                    self.obj.answers(),
                )
            )
        return render_untrusted_markdown(self.body)

    def author_label(self, viewer: "User | Any", *, moderator: bool = False) -> str:
        """The author's name as `viewer` may see it: a post's pseudonym for peers; a question's
        asker only when they chose to be named (moderators always know who asked); an
        answer's writer (the expert, named on the thread)."""
        if isinstance(self.obj, Post):
            return self.obj.label_for(viewer, moderator=moderator)
        if isinstance(self.obj, Entry):
            return self.obj.author.full_name or self.obj.author.email  # named to its readers
        if self.obj is None:
            return _("(removed)")
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
        if isinstance(self.obj, Entry):
            return reverse("reflections:entry", args=[self.obj.public_id])
        assert isinstance(self.obj, Question)
        thread_url = reverse("experts:thread", args=[self.obj.thread.public_id])
        return f"{thread_url}#q-{self.obj.public_id}"

    def hide(self, *, by: "User", reason: str) -> None:
        """Hide it from everyone but its author (who reads `reason`), through its own app."""
        if isinstance(self.obj, Post):
            discussion_actions.hide_post(self.obj, by=by, reason=reason)
        elif isinstance(self.obj, Entry):
            reflection_actions.hide_entry(self.obj, reason=reason)
        else:
            assert isinstance(self.obj, Question)
            expert_actions.hide_question(self.obj, by=by, reason=reason, answer=self.kind == ANSWER)

    def unhide(self, *, by: "User") -> None:
        """Show it again, through its own app."""
        if isinstance(self.obj, Post):
            discussion_actions.unhide_post(self.obj, by=by)
        elif isinstance(self.obj, Entry):
            reflection_actions.unhide_entry(self.obj)
        else:
            assert isinstance(self.obj, Question)
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


def entry_place(entry: Entry) -> str:
    """Where a shared entry is read, naming the group (never anything its author typed): its
    circle, or its cohort (also for an entry no longer shared with a group)."""
    if entry.visibility == Visibility.CIRCLE and entry.circle is not None:
        return _("the journal shared with %(group)s") % {"group": entry.circle.name}
    return _("the journal shared with %(group)s") % {"group": entry.cohort.name}


def entry_target(entry: Entry) -> Target:
    """A journal entry as a report target (needs its author, cohort and circle loaded; no query
    with them). Its text is the moderators' to read only while its author shares it with a
    group (circle or cohort); narrowed to the coach or made private, it is `unavailable`."""
    shared = entry.is_shared_with_a_group
    return Target(
        kind=ENTRY,
        obj=entry,
        public_id=entry.public_id,
        organization_id=entry.organization_id,
        cohort_id=entry.cohort_id,
        author_id=entry.author_id,
        body="\n\n".join(text for _prompt, text in entry.answers()) if shared else "",
        created_at=entry.shared_at or entry.created_at,
        hidden_at=entry.hidden_at,
        hidden_reason=entry.hidden_reason,
        deleted_at=None,
        place=entry_place(entry),
        unavailable=""
        if shared
        else _(
            "Its author no longer shares this entry with a group, so the moderators no longer "
            "read it. Nothing is left to hide; you can dismiss the report."
        ),
    )


def deleted_entry_target(report: "Report") -> Target:
    """What is left of a reported entry its author has deleted since: nothing but the facts
    the report kept (its organisation, cohort and author)."""
    return Target(
        kind=ENTRY,
        obj=None,
        public_id=report.public_id,
        organization_id=report.organization_id,
        cohort_id=report.cohort_id,
        author_id=report.author_id,
        body="",
        created_at=report.created_at,
        hidden_at=None,
        hidden_reason="",
        deleted_at=None,
        place=_("a journal entry its author has since deleted"),
        unavailable=_(
            "Its author has deleted this entry: nothing is left to hide. You can dismiss the "
            "report."
        ),
    )


def target_of(report: "Report") -> Target:
    """What the report is about."""
    if report.post_id is not None:
        return post_target(report.post)  # type: ignore[arg-type]
    if report.question_id is not None:
        return question_target(report.question, answer=report.on_answer)  # type: ignore[arg-type]
    # The report_has_one_target constraint: an entry, or none once its author deleted it.
    if report.entry_id is not None:
        return entry_target(report.entry)  # type: ignore[arg-type]
    return deleted_entry_target(report)
