"""Thread pages and the writes people make on them: post, reply, edit, delete, react, save a
draft. Thin: load through discussions.access, validate with a form, call an action, render.

A form that cannot be accepted (empty, too long, an unknown mention, a closed cohort, a reply to
a deleted or hidden post) re-renders the thread with the message and the person's text kept
(and saved as their draft), status 400; nothing is posted."""

import uuid
from typing import Any, Literal

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from discussions import access, actions
from discussions.articles import article_printer
from discussions.forms import (
    DraftForm,
    EditForm,
    MentionQueryForm,
    PageForm,
    PostForm,
    ReactionForm,
)
from discussions.mentions import MentionError, resolve_mentions, suggest_people
from discussions.models import Post, Thread
from discussions.threads import (
    load_reply_page,
    load_thread_page,
    page_of,
    render_body,
    replies_page_of,
)
from rapport.lib.timezones import local_today

_MAX_PAGE = PageForm.base_fields["page"].max_value  # type: ignore[attr-defined]


def _today(request: HttpRequest) -> Any:
    return local_today(request.user.time_zone)  # type: ignore[union-attr]


def _errors(form: Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _post_url(post: Post, viewer: Any, *, page: int | None = None) -> str:
    """The address where `viewer` finds `post`: on its thread's page (`page`, when the caller
    knows it: `access.reply_page` for a reply just posted, the newest of its branch; else
    `page_of`, a query), or, for a reply older than its parent's latest `REPLIES_SHOWN`, on
    the parent's page of replies that holds it (`replies_page_of`, two or three queries)."""
    if page is None and post.parent_id is not None:
        replies_page = replies_page_of(post, viewer=viewer)
        if replies_page is not None:
            url = reverse("discussions:replies", args=[post.parent.public_id])  # type: ignore[union-attr]
            return f"{url}?page={replies_page}#post-{post.public_id}"
    if page is None:
        page = page_of(post, viewer=viewer)
    url = reverse("discussions:thread", args=[post.thread.public_id])
    return f"{url}?page={page}#post-{post.public_id}"


def _render_thread(
    request: HttpRequest,
    thread: Thread,
    *,
    page: int | None = None,
    form: PostForm | None = None,
    reply_form: PostForm | None = None,
    reply_to: str = "",
    status: int = 200,
) -> HttpResponse:
    view = load_thread_page(thread, viewer=request.user, page=page, today=_today(request))
    if form is None:
        form = PostForm(
            initial={"body": view.drafts.get("", "")}, allow_pseudonym=view.allows_pseudonyms
        )
    return render(
        request,
        "discussions/thread.html",
        {
            "view": view,
            "thread": thread,
            "form": form,
            "reply_form": reply_form,
            "reply_to": reply_to,
            "nav": "discussions",
            # The CSRF field once for the page's many forms (reactions, delete, reply).
            "csrf_field": csrf_input(request),
            "post_articles": article_printer,
        },
        status=status,
    )


@login_required
@require_GET
def thread_detail(request: HttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    thread = access.get_thread_for_user(request.user, thread_id, with_read_position=True)
    page = _plain_page(request)
    if page is not False:
        return _render_thread(request, thread, page=page)
    form = PageForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, form)
    reply = form.cleaned_data["reply"]
    return _render_thread(
        request, thread, page=form.cleaned_data["page"], reply_to=str(reply) if reply else ""
    )


def _plain_page(request: HttpRequest) -> int | Literal[False] | None:
    """The page a plain thread address asks for, without building a `PageForm`: `None` for no
    query at all, the number for `?page=N` alone with N in ASCII digits within `PageForm`'s
    limits; `False` for anything else (an empty or signed page, a `reply`, another
    parameter, a repeated one), which `PageForm` then cleans, errors included. Whatever it
    returns is what `PageForm` would clean `page` to (`reply` being absent)."""
    query = request.GET
    if not query:
        return None
    if len(query) != 1:
        return False
    values = query.getlist("page")
    if len(values) != 1:
        return False
    value = values[0]
    if not (len(value) <= 6 and value.isascii() and value.isdigit()):
        return False
    page = int(value)
    return page if 1 <= page <= _MAX_PAGE else False


@login_required
@require_GET
def community(request: HttpRequest, cohort_id: uuid.UUID) -> HttpResponse:
    """The cohort's community space: its thread (made the first time it is opened)."""
    thread = access.get_community_thread(request.user, cohort_id)
    return HttpResponseRedirect(reverse("discussions:thread", args=[thread.public_id]))


def _bad_request(request: HttpRequest, form: Form) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"status": 400, "title": "That request did not make sense", "message": _errors(form)},
        status=400,
    )


@login_required
@require_POST
def post_create(request: HttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    thread = access.get_thread_for_user(request.user, thread_id)
    form = PostForm(request.POST, allow_pseudonym=thread.allows_pseudonyms)
    is_reply = bool(request.POST.get("parent"))

    def refuse(message: str | None = None, *, box_gone: bool = False) -> HttpResponse:
        """Show the thread again with the problem and the person's text, in the box it was
        typed in (or the new-post box when the post replied to is gone), kept as a draft."""
        if message:
            form.add_error(None, message)
        reply_key = str(form.cleaned_data.get("parent") or "") if is_reply else ""
        in_reply_box = bool(reply_key) and not box_gone
        draft_key = reply_key if in_reply_box else ""
        actions.save_draft(
            thread,
            user=request.user,  # type: ignore[arg-type]
            key=draft_key,
            body=request.POST.get("body", ""),
        )
        return _render_thread(
            request,
            thread,
            form=None if in_reply_box else form,
            reply_form=form if in_reply_box else None,
            reply_to=draft_key,
            status=400,
        )

    if not form.is_valid():
        return refuse()
    if access.is_closed(thread, today=_today(request)):
        return refuse("This cohort has ended, so its discussions are read-only now.")
    parent = None
    if form.cleaned_data["parent"]:
        try:
            parent = access.get_post_in_thread(request.user, thread, form.cleaned_data["parent"])
        except Http404:
            return refuse(
                "That post is not there any more, so it cannot be replied to.", box_gone=True
            )
    try:
        mentioned = resolve_mentions(thread, form.cleaned_data["body"], author=request.user)
        post = actions.create_post(
            thread,
            author=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
            parent=parent,
            pseudonym=form.cleaned_data.get("pseudonym") or "",
            mentioned=mentioned,
        )
    except MentionError as error:
        return refuse(str(error))
    except actions.PostingError as error:
        gone = parent is not None and (parent.is_deleted or parent.is_hidden)
        return refuse(str(error), box_gone=gone)
    # A reply's page is counted with its parent (one query fewer); a new post's, after it.
    page = access.reply_page(parent) if parent is not None else None
    return HttpResponseRedirect(_post_url(post, request.user, page=page))


@login_required
@require_GET
def post_link(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    """A post's permanent address (notifications link here): the page of the thread it is on,
    for this person; the thread itself when they may not see the post yet (it then says why)."""
    try:
        post = access.get_post_for_user(request.user, post_id)
    except Http404:
        thread = access.get_thread_of_post(request.user, post_id)
        return HttpResponseRedirect(reverse("discussions:thread", args=[thread.public_id]))
    return HttpResponseRedirect(_post_url(post, request.user))


@login_required
@require_GET
def post_replies(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    """A post's pages of replies (`?page=N`; absent: the first the person has not read): all
    of them, where the thread page shows the latest `REPLIES_SHOWN`. 404 for a post the person
    may not see; a reply's address leads to where that reply is shown."""
    post = access.get_post_for_user(request.user, post_id)
    if post.parent_id is not None:
        return HttpResponseRedirect(_post_url(post, request.user))
    form = PageForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, form)
    view = load_reply_page(
        post, viewer=request.user, page=form.cleaned_data["page"], today=_today(request)
    )
    return render(
        request,
        "discussions/replies.html",
        {
            "view": view,
            "thread": post.thread,
            "nav": "discussions",
            "csrf_field": csrf_input(request),
            "post_articles": article_printer,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    post = access.get_own_post(request.user, post_id)
    if post.is_deleted or post.is_hidden:
        raise Http404("This post can no longer be edited")
    form = EditForm(request.POST or None, initial={"body": post.body})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                mentioned = resolve_mentions(
                    post.thread, form.cleaned_data["body"], author=request.user
                )
                actions.edit_post(
                    post,
                    by=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["body"],
                    mentioned=mentioned,
                )
            except (actions.PostingError, MentionError) as error:
                form.add_error("body", str(error))
            else:
                return HttpResponseRedirect(_post_url(post, request.user))
        status = 400
    return render(
        request,
        "discussions/edit.html",
        {"post": post, "form": form, "thread": post.thread, "nav": "discussions"},
        status=status,
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    post = access.get_own_post(request.user, post_id)
    actions.delete_post(post, by=request.user)  # type: ignore[arg-type]
    return HttpResponseRedirect(_post_url(post, request.user))


@login_required
@require_GET
def post_history(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    post, revisions = access.get_post_history(request.user, post_id)
    return render(
        request,
        "discussions/history.html",
        {
            "post": post,
            "thread": post.thread,
            "current_html": render_body(post),
            "revisions": [(r, _render_revision(r.body)) for r in revisions],
            "nav": "discussions",
        },
    )


def _render_revision(body: str) -> Any:
    from discussions.mentions import highlight_mentions
    from rapport.lib.markdown import render_untrusted_markdown

    return render_untrusted_markdown(body, transform=highlight_mentions)


@login_required
@require_POST
def post_react(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    post = access.get_post_for_user(request.user, post_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, form)
    if access.is_closed(post.thread, today=_today(request)):
        return _refused(request, "This cohort has ended, so its discussions are read-only now.")
    try:
        actions.react(
            post,
            user=request.user,  # type: ignore[arg-type]
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["on"],
        )
    except actions.PostingError as error:
        return _refused(request, str(error))
    if request.htmx:  # type: ignore[attr-defined]
        from discussions.threads import reactions_for

        return render(
            request,
            "discussions/reactions_fragment.html",
            {
                "post": post,
                "reactions": reactions_for(post, request.user),
                "focus": form.cleaned_data["kind"],  # the button just pressed keeps focus
            },
        )
    return HttpResponseRedirect(_post_url(post, request.user))


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"status": 400, "title": "That could not be done", "message": message},
        status=400,
    )


@login_required
@require_POST
def draft_save(request: HttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    """Keep what the person is typing (sent by static/js/discussions.js as they type)."""
    thread = access.get_thread_for_user(request.user, thread_id)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _errors(form)}, status=400)
    draft = actions.save_draft(
        thread,
        user=request.user,  # type: ignore[arg-type]
        key=form.cleaned_data["key"],
        body=form.cleaned_data["body"],
    )
    return JsonResponse({"saved": draft is not None})


@login_required
@require_GET
def mention_suggestions(request: HttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    """The names to offer as someone types `@…` in the thread's post box (static/js/mentions.js):
    `{"people": ["Amara Okafor", …]}`, only people who can read the thread
    (`discussions.mentions.suggest_people`); 404 for a thread the person cannot see, 400 with
    `{"error": …}` for a query that is not a name. Never cached: it is per person."""
    thread = access.get_thread_for_user(request.user, thread_id)
    form = MentionQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": _errors(form)}, status=400)
    names = suggest_people(thread, viewer=request.user, query=form.cleaned_data["q"])
    response = JsonResponse({"people": names})
    response["Cache-Control"] = "private, no-store"
    return response
