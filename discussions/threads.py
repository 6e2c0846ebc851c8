"""Read side of a thread: what the thread page and the activity page's panel show.

Every post comes through `Post.objects.visible_to(viewer)` (the one rule). A page is 50 top-level
posts with all their (visible) replies; the queries are fixed whatever the number of posts,
reactions and members (asserted in discussions/tests/test_thread_page.py): the moderator
check, the gate, the count, the page of posts, their replies, the reactions, the read position,
the drafts and the blocks (and one write, only when the page shows something newer than the
read position).
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from markupsafe import Markup

from accounts.models import blocked_names_of
from discussions.access import is_closed, thread_kind_label
from discussions.mentions import highlight_mentions
from discussions.models import (
    Draft,
    Post,
    Reaction,
    ReactionKind,
    ReadPosition,
    Thread,
    is_moderator,
)
from rapport.lib.markdown import render_untrusted_markdown

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 50


@dataclass(frozen=True)
class ReactionView:
    kind: str
    label: str
    count: int
    mine: bool


@dataclass
class PostView:
    """One post as a viewer sees it. `body_html` is empty for deleted posts (their text is
    gone) and for posts of someone the viewer blocked (collapsed: shown on request)."""

    post: Post
    label: str
    body_html: Markup
    is_mine: bool
    is_new: bool
    reactions: list[ReactionView]
    collapsed: bool = False
    replies: list["PostView"] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"post-{self.post.public_id}"


@dataclass
class ThreadPage:
    thread: Thread
    title: str
    viewer_is_moderator: bool
    gated: bool  # respond-before-reveal and the viewer has not posted yet
    closed: bool
    posts: list[PostView]
    page: int
    page_count: int
    total: int  # visible top-level posts
    new_count: int
    drafts: dict[str, str]
    first_new: str | None  # anchor of the first new post on this page

    @property
    def allows_pseudonyms(self) -> bool:
        return self.thread.allows_pseudonyms

    @property
    def pages(self) -> range:
        return range(1, self.page_count + 1)


def render_body(post: Post) -> Markup:
    """A post's sanitised HTML (mentions in bold); empty once it is deleted."""
    if post.is_deleted:
        return Markup("")
    return render_untrusted_markdown(post.body, transform=highlight_mentions)


def blocked_names(viewer: "User | Any") -> set[tuple[int, str]]:
    """Who the viewer blocked, as (person id, pseudonym or "" for the real name): posts shown
    under a blocked name are collapsed for the viewer, posts under another name are not (that
    would unmask a pseudonym: accounts.models.Block). One query."""
    return blocked_names_of(viewer)


def has_answered(thread: Thread, viewer: "User | Any") -> bool:
    return Post.objects.filter(thread=thread, author=viewer).exists()


def _reactions(posts: list[Post], viewer: "User | Any") -> dict[int, list[ReactionView]]:
    rows = (
        Reaction.objects.filter(post_id__in=[p.pk for p in posts])
        .values("post_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user=viewer)))
        .order_by()
    )
    counts: dict[int, dict[str, tuple[int, bool]]] = {}
    for row in rows:
        counts.setdefault(row["post_id"], {})[row["kind"]] = (row["n"], row["mine"] > 0)
    out: dict[int, list[ReactionView]] = {}
    for post in posts:
        mine = counts.get(post.pk, {})
        out[post.pk] = [
            ReactionView(kind, str(label), *mine.get(kind, (0, False)))
            for kind, label in ReactionKind.choices
        ]
    return out


def load_thread_page(
    thread: Thread, *, viewer: "User | Any", page: int | None, today: date
) -> ThreadPage:
    """The page of a thread for a viewer who may read it (the caller loaded it through
    discussions.access). `page` None opens where they left off: the page of their first unread
    post. Marks what was shown as read."""
    moderator = is_moderator(viewer, thread.cohort)
    gated = thread.respond_before_reveal and not moderator and not has_answered(thread, viewer)
    visible = Post.objects.visible_to(viewer).filter(thread=thread)
    position = ReadPosition.objects.filter(user=viewer, thread=thread).first()
    seen_until: datetime | None = position.seen_until if position else None
    top = visible.filter(parent__isnull=True)
    counts = top.aggregate(
        total=Count("id"),
        seen=Count("id", filter=Q(created_at__lte=seen_until)) if seen_until else Count("id"),
    )
    total = counts["total"]
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    if page is None:
        seen = counts["seen"] if seen_until else 0
        page = min(page_count, seen // PAGE_SIZE + 1) if seen < total else page_count
    page = min(max(page, 1), page_count)
    top_posts = list(
        top.select_related("author").order_by("created_at", "id")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    replies = list(
        visible.filter(parent__in=[p.pk for p in top_posts])
        .select_related("author")
        .order_by("created_at", "id")
    )
    reactions = _reactions(top_posts + replies, viewer)
    blocked = blocked_names(viewer)
    newest: datetime | None = None

    def view(post: Post) -> PostView:
        nonlocal newest
        is_mine = post.author_id == viewer.pk
        if newest is None or post.created_at > newest:
            newest = post.created_at
        return PostView(
            post=post,
            label=post.label_for(viewer, moderator=moderator),
            body_html=render_body(post),
            is_mine=is_mine,
            is_new=(
                not is_mine
                and position is not None
                and seen_until is not None
                and post.created_at > seen_until
            ),
            reactions=reactions[post.pk],
            collapsed=(post.author_id, post.pseudonym) in blocked,
        )

    views = {post.pk: view(post) for post in top_posts}
    for reply in replies:
        views[reply.parent_id].replies.append(view(reply))  # type: ignore[index]
    ordered = list(views.values())
    all_views = [v for top_view in ordered for v in (top_view, *top_view.replies)]
    first_new = next((v.anchor for v in all_views if v.is_new), None)
    new_count = sum(1 for v in all_views if v.is_new)
    if newest is not None and (seen_until is None or newest > seen_until):
        from discussions.actions import mark_read

        mark_read(thread, user=viewer, until=newest)  # only when this page moves it on
    drafts = dict(Draft.objects.filter(user=viewer, thread=thread).values_list("key", "body"))
    return ThreadPage(
        thread=thread,
        title=thread_kind_label(thread),
        viewer_is_moderator=moderator,
        gated=gated,
        closed=is_closed(thread, today=today),
        posts=ordered,
        page=page,
        page_count=page_count,
        total=total,
        new_count=new_count,
        drafts=drafts,
        first_new=first_new,
    )


@dataclass(frozen=True)
class PromptSummary:
    """What the activity page shows of a prompt's thread: counts, and whether the viewer must
    answer first."""

    thread: Thread
    gated: bool
    answered: bool
    post_count: int  # posts the viewer can see, replies included
    new_count: int


def prompt_summary(thread: Thread, *, viewer: "User | Any") -> PromptSummary:
    """Counts for the activity page's and the circle page's panels: two queries (three or four
    on a respond-before-reveal prompt) whatever the thread's size."""
    # Only a gated prompt needs to know whether the viewer answered (one or two queries more).
    answered = thread.respond_before_reveal and has_answered(thread, viewer)
    gated = (
        thread.respond_before_reveal and not answered and not is_moderator(viewer, thread.cohort)
    )
    position = ReadPosition.objects.filter(user=viewer, thread=thread).first()
    visible = Post.objects.visible_to(viewer).filter(thread=thread, deleted_at__isnull=True)
    new_filter = ~Q(author=viewer)
    if position is not None:
        new_filter &= Q(created_at__gt=position.seen_until)
    counts = visible.aggregate(total=Count("id"), new=Count("id", filter=new_filter))
    return PromptSummary(
        thread=thread,
        gated=gated,
        answered=answered,
        post_count=counts["total"],
        new_count=counts["new"],
    )


def page_of(post: Post, *, viewer: "User | Any") -> int:
    """The page of the thread on which `post` (or, for a reply, its parent) is shown to the
    viewer. One query."""
    top = post.parent or post
    before = (
        Post.objects.visible_to(viewer)
        .filter(thread_id=post.thread_id, parent__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, id__lt=top.pk))
        .count()
    )
    return before // PAGE_SIZE + 1


def reactions_for(post: Post, viewer: "User | Any") -> list[ReactionView]:
    """One post's reactions as the viewer sees them (after a reaction, for htmx)."""
    return _reactions([post], viewer)[post.pk]


@dataclass(frozen=True)
class WaitingPost:
    """A post in a thread the coach looks after that nobody has replied to yet."""

    post: Post
    label: str  # the author as a moderator sees them (pseudonym with the real name)
    place: str
    url: str


WAITING_LIMIT = 20


def waiting_for_reply(coach: "User | Any", *, limit: int = WAITING_LIMIT) -> list[WaitingPost]:
    """Posts in the threads of the cohorts the person coaches (prompts, community spaces) and of
    the circles they coach that have no reply yet, oldest first: the coach's
    "waiting for a reply" list. Not their own posts, nor deleted or hidden ones. One query,
    through Post.visible_to (so a coach sees what their seat lets them see, and nothing else)."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from cohorts.models import Enrollment, EnrollmentRole

    coached = Enrollment.objects.filter(user=coach, role=EnrollmentRole.COACH).values("cohort_id")
    replies = Post.objects.filter(parent=OuterRef("pk"), deleted_at__isnull=True)
    posts = (
        Post.objects.visible_to(coach)
        .filter(
            parent__isnull=True,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .filter(Q(thread__cohort_id__in=coached) | Q(thread__circle__coach=coach))
        .exclude(author=coach)
        .filter(~Exists(replies))
        .select_related("author", "thread__activity", "thread__cohort", "thread__circle")
        .order_by("created_at", "id")[:limit]
    )
    return [
        WaitingPost(
            post=post,
            label=post.label_for(coach, moderator=True),
            place=f"{thread_kind_label(post.thread)} · {post.thread.cohort.name}",
            url=reverse("discussions:thread", args=[post.thread.public_id])
            + f"#post-{post.public_id}",
        )
        for post in posts
    ]
