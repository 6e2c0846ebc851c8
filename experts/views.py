"""Experts pages: the threads of one's cohorts, opening office hours or an ask-me-anything
thread, one thread with its questions (ask, upvote, answer), and an office hour's `.ics`.

Thin: load through experts.access (404 for what a person may not see, 403 for what they may
see but not do), validate with a form, call experts.actions, render or redirect.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts import actions
from experts.access import (
    get_question_for_user,
    get_thread_for_user,
    hostable_cohorts,
    may_ask,
    my_votes,
    questions_of,
    require_asker,
    require_moderator,
    threads_of,
)
from experts.forms import AnswerForm, CloseForm, QuestionForm, ThreadForm, VoteForm
from experts.models import ExpertThread, Question
from rapport.lib.calendar import session_invite
from rapport.lib.markdown import render_untrusted_markdown
from rapport.lib.timezones import local_today


@login_required
@require_GET
def threads(request: HttpRequest) -> HttpResponse:
    """Office hours and ask-me-anything threads of the person's cohorts."""
    user: Any = request.user
    return render(
        request,
        "experts/threads.html",
        {
            "threads": threads_of(user),
            "can_host": bool(hostable_cohorts(user)),
            "zone": user.time_zone,
            "nav": "experts",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest) -> HttpResponse:
    """An expert (in a cohort where they hold an expert's seat) or an admin opens office hours
    or an ask-me-anything thread; 403 for anyone else. A refused form is a 400 with what was
    typed."""
    user: Any = request.user
    cohorts = hostable_cohorts(user)
    if not cohorts:
        raise PermissionDenied("Only experts and admins open office hours")
    if request.method == "POST":
        form = ThreadForm(request.POST, host=user, cohorts=cohorts)
        if form.is_valid():
            data = form.cleaned_data
            thread = actions.open_thread(
                user,
                cohort=data["cohort"],
                kind=data["kind"],
                title=data["title"],
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                video_url=data["video_url"],
            )
            messages.success(request, _("Open. The cohort can ask and upvote questions now."))
            return redirect("experts:thread", expert_thread_id=thread.public_id)
        status = 400
    else:
        form = ThreadForm(host=user, cohorts=cohorts, initial={"day": local_today(user.time_zone)})
        status = 200
    return render(request, "experts/new.html", {"form": form, "nav": "experts"}, status=status)


def _thread_page(
    request: HttpRequest,
    thread: ExpertThread,
    *,
    form: QuestionForm | None = None,
    answer_forms: dict[int, AnswerForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    moderator = thread.is_moderator(user)
    questions = questions_of(thread)
    mine = my_votes(user, thread)
    rows = [
        {
            "question": q,
            **_text_of(q, user),
            "voted": q.pk in mine,
            "mine": q.author_id == user.pk,
            "name": q.author.full_name if (q.show_name or moderator) else "",
            "answer_form": (answer_forms or {}).get(q.pk)
            or (
                AnswerForm(
                    initial={"answer": q.answer, "live": q.answered_live},
                    auto_id=f"answer-{q.public_id}-%s",
                )
                if moderator
                else None
            ),
        }
        for q in questions
    ]
    return render(
        request,
        "experts/thread.html",
        {
            "thread": thread,
            "rows": rows,
            "moderator": moderator,
            "can_ask": may_ask(user, thread),
            "form": form or QuestionForm(),
            "zone": user.time_zone,
            "nav": "experts",
        },
        status=status,
    )


def _text_of(question: Question, user: Any) -> dict[str, Any]:
    """The question's and answer's text as this reader may see it, and what they may report.

    Hidden by a moderator: its author reads it with the reason (`*_hidden_reason`), everyone
    else reads that it was hidden (`*_hidden`), never the text. Reporting (moderation's
    forms): anyone who sees the thread, for a question or written answer that is not theirs
    and not hidden."""
    asked, answered = question.author_id == user.pk, question.answer_author_id == user.pk
    body_hidden = question.hidden_at is not None
    answer_hidden = bool(question.answer) and question.answer_hidden_at is not None
    return {
        "body": "" if body_hidden and not asked else render_untrusted_markdown(question.body),
        "body_hidden": body_hidden,
        "body_hidden_reason": question.hidden_reason if body_hidden and asked else "",
        "answer": (
            render_untrusted_markdown(question.answer)
            if question.answer and (answered or not answer_hidden)
            else ""
        ),
        "answer_hidden": answer_hidden,
        "answer_hidden_reason": question.answer_hidden_reason if answer_hidden and answered else "",
        "may_report": not asked and not body_hidden,
        "may_report_answer": bool(question.answer) and not answered and not answer_hidden,
    }


@login_required
@require_GET
def thread(request: HttpRequest, expert_thread_id: uuid.UUID) -> HttpResponse:
    """One thread for the people of its cohort and the organisation's admins (404 for anyone
    else): its questions, most upvoted first, and the forms each person may use. A fixed
    number of queries whatever the number of questions."""
    return _thread_page(request, get_thread_for_user(request.user, expert_thread_id))


@login_required
@require_POST
def ask(request: HttpRequest, expert_thread_id: uuid.UUID) -> HttpResponse:
    """A learner of the cohort asks (403 for anyone else who sees the thread, or once it is
    closed); an empty or too long question is a 400 that keeps the text."""
    user: Any = request.user
    thread = get_thread_for_user(user, expert_thread_id)
    require_asker(user, thread)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, thread, form=form, status=400)
    question = actions.ask_question(
        user,
        thread=thread,
        body=form.cleaned_data["body"],
        show_name=form.cleaned_data["show_name"],
    )
    messages.success(request, _("Asked. Others in your cohort can upvote it now."))
    return redirect(reverse("experts:thread", args=[thread.public_id]) + f"#q-{question.public_id}")


@login_required
@require_POST
def vote(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    """Upvote (`up=1`) or withdraw one's vote (`up=0`), once per person; a learner's own
    question cannot be upvoted by its author (403, as anyone who may not ask). Anything else
    than 1 or 0 is a 400 and changes nothing."""
    user: Any = request.user
    question = get_question_for_user(user, question_id)
    require_asker(user, question.thread)
    if question.author_id == user.pk:
        raise PermissionDenied("One does not upvote one's own question")
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("up must be 1 (upvote) or 0 (withdraw your vote)")
    actions.set_vote(user, question=question, up=form.cleaned_data["up"])
    return redirect(
        reverse("experts:thread", args=[question.thread.public_id]) + f"#q-{question.public_id}"
    )


@login_required
@require_POST
def answer(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    """The host (or an admin) answers in writing and/or marks it answered live (403 for
    anyone else who sees it). A too long answer is a 400 that keeps the text."""
    user: Any = request.user
    question = get_question_for_user(user, question_id)
    thread = question.thread
    require_moderator(user, thread)
    form = AnswerForm(request.POST, auto_id=f"answer-{question.public_id}-%s")
    if not form.is_valid():
        return _thread_page(request, thread, answer_forms={question.pk: form}, status=400)
    actions.answer_question(
        question,
        by=user,
        answer=form.cleaned_data["answer"].strip(),
        live=form.cleaned_data["live"],
    )
    messages.success(request, _("Saved. Everyone in the cohort can read it now."))
    return redirect(reverse("experts:thread", args=[thread.public_id]) + f"#q-{question.public_id}")


@login_required
@require_POST
def close(request: HttpRequest, expert_thread_id: uuid.UUID) -> HttpResponse:
    """The host (or an admin) closes the thread to new questions and votes (`closed=1`) or
    opens it again (`closed=0`)."""
    user: Any = request.user
    thread = get_thread_for_user(user, expert_thread_id)
    require_moderator(user, thread)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("closed must be 1 (close) or 0 (open again)")
    actions.close_thread(thread, closed=form.cleaned_data["closed"])
    return redirect("experts:thread", expert_thread_id=thread.public_id)


@login_required
@require_GET
def invite(request: HttpRequest, expert_thread_id: uuid.UUID) -> HttpResponse:
    """An office hour as an iCalendar file (PUBLISH: one file for the whole cohort); its UID is
    stable and its SEQUENCE grows with a change, so importing it again updates the entry. 404
    for an ask-me-anything thread (it has no time)."""
    thread = get_thread_for_user(request.user, expert_thread_id)
    if not thread.is_office_hours or thread.starts_at is None or thread.ends_at is None:
        raise Http404("Not office hours")
    page = request.build_absolute_uri(reverse("experts:thread", args=[thread.public_id]))
    ics = session_invite(
        uid=thread.ical_uid,
        sequence=thread.sequence,
        last_modified=thread.updated_at,
        title=thread.title,
        description=_("Office hours on Rapport. Ask and upvote questions ahead: %(url)s")
        % {"url": page},
        starts_at=thread.starts_at,
        ends_at=thread.ends_at,
        url=thread.video_url,
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rapport-office-hours.ics"'
    return response
