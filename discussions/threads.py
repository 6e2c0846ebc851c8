"""Read side of a thread: what the thread page and the activity page's panel show.

Every post comes through `Post.objects.visible_to(viewer)` (the one rule). A page is 50
top-level posts with each one's latest `REPLIES_SHOWN` (visible) replies, and a link to the
post's pages of replies (`load_reply_page`) for the earlier ones; the queries are fixed whatever
the number of posts, reactions and members (asserted in discussions/tests/test_thread_page.py):
the moderator check, the gate, the count, the page of posts with their replies, the reactions,
the read position, the drafts and the blocks (and one write, only when the page shows something
newer than the read position).
"""

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.dates import MONTHS_3
from markupsafe import Markup

from accounts.models import blocked_names_of, blocked_names_rows
from discussions.access import PAGE_SIZE, REPLIES_SHOWN, is_closed, thread_kind_label
from discussions.models import (
    Draft,
    Post,
    Reaction,
    ReactionKind,
    ReadPosition,
    Thread,
    author_label,
    coaches_thread_cohort,
    is_moderator,
    known_read_position,
    moderates_thread,
)
from discussions.rendering import render_post_html, stored_html
from programs.models import Activity
from rapport import policy
from rapport.compiled import CompiledRows, Offset
from rapport.jinja2 import url
from rapport.lib.timezones import get_zone

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

# Pages linked either side of the current one in a thread's page navigation.
PAGE_WINDOW = 2

#: How far a post's replies are counted for its "Show N earlier replies" link: a post with more
#: says "more than" (REPLY_COUNT_CAP - REPLIES_SHOWN), and the count reads at most this many.
REPLY_COUNT_CAP = 1000


class ReactionView(NamedTuple):
    """One kind of reaction under a post as the viewer sees it: its kind (`ReactionKind`), its
    label, how many gave it (`total`), whether the viewer did. A tuple, which the reactions'
    template unpacks in this order (`{% for kind, label, count, mine in reactions %}`): four a post,
    each field read without a lookup (docs/performance.md, round 5)."""

    kind: str
    label: str
    total: int  # not `count`, which would hide tuple.count
    mine: bool


# The columns of a post a thread page reads (PostRow's fields, in order): rows, not model
# instances, which cost twice as much to make (docs/performance.md, round 4).
_ROW_FIELDS = (
    "pk",
    "public_id",
    "author_id",
    "parent_id",
    "created_at",
    "edited_at",
    "deleted_at",
    "hidden_at",
    "hidden_reason",
    "pseudonym",
    "body",
    "body_html",
    "author__full_name",
    "author__email",
)


@dataclass(slots=True)
class PostRow:
    """What a thread page shows of a post, read with `values_list(*_ROW_FIELDS)` from a query
    through `Post.visible_in_thread` (the rule) rather than as a `Post`: the same field names
    as `Post` for what the templates read (`edited_at`, `deleted_at`, `hidden_at`,
    `hidden_reason`), and the author's name and email for `label_for`."""

    pk: int
    public_id: uuid.UUID
    author_id: int
    parent_id: int | None
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str
    pseudonym: str
    body: str
    body_html: str
    author_name: str
    author_email: str

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def label_for(self, viewer: "User | Any", *, moderator: bool = False) -> str:
        """`Post.label_for` for this row (the same rule: discussions.models.author_label)."""
        return author_label(
            pseudonym=self.pseudonym,
            full_name=self.author_name,
            fallback=self.author_email,
            mine=self.author_id == getattr(viewer, "pk", None),
            moderator=moderator,
        )


class PostLinks(NamedTuple):
    """The addresses a post's article links to (its edit, delete, history and reaction forms,
    and moderation's report and block pages), each made from the post's public id alone.
    A tuple: the article unpacks it in this order."""

    edit: str
    delete: str
    history: str
    react: str
    report: str
    block: str


# The views a post's article links to, each taking the post's public id.
_POST_VIEWS = {
    "edit": "discussions:edit",
    "delete": "discussions:delete",
    "history": "discussions:history",
    "react": "discussions:react",
    "report": "moderation:report",
    "block": "moderation:block",
}
_PLACEHOLDER = uuid.UUID(int=0)


def post_links_maker() -> Callable[[str], PostLinks]:
    """A function from a post's public id (as text) to its PostLinks: each view reversed once
    (for a placeholder id) and the id put in its place, rather than six reversals per post on a
    page of 78 posts. The URL patterns take the id as one `<uuid:…>` segment, so the answer is
    what `reverse` gives (discussions/tests/test_thread_fast_path.py)."""
    (e0, _, e1), (d0, _, d1), (h0, _, h1), (r0, _, r1), (p0, _, p1), (b0, _, b1) = (
        url(_POST_VIEWS[name], _PLACEHOLDER).partition(str(_PLACEHOLDER))
        for name in PostLinks._fields
    )

    def links(key: str) -> PostLinks:
        return PostLinks(
            f"{e0}{key}{e1}",
            f"{d0}{key}{d1}",
            f"{h0}{key}{h1}",
            f"{r0}{key}{r1}",
            f"{p0}{key}{p1}",
            f"{b0}{key}{b1}",
        )

    return links


def short_time(moment: datetime, zone: tzinfo) -> str:
    """A post's time as the page shows it, in the reader's zone: Django's `date_format` with
    "j M Y, H:i" ("3 Mar 2026, 09:05"), written directly because Django's formatter cost
    more than a post's text on a page of 78 posts. Months are Django's translated
    abbreviations, as `M` gives them. A page formats with `short_time_maker`."""
    return short_time_maker(zone)(moment)


def short_time_maker(zone: tzinfo) -> Callable[[datetime], str]:
    """`short_time` for one zone and the active language, with the twelve months translated
    once: a page of 78 posts translated a month name for each (a fifth of its loading)."""
    months = {number: str(name).title() for number, name in MONTHS_3.items()}

    def when(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return (
            f"{local.day} {months[local.month]} {local.year}, {local.hour:02d}:{local.minute:02d}"
        )

    return when


class PostView(NamedTuple):
    """One post as a viewer sees it. `body_html` is empty for deleted posts (their text is
    gone) and for posts of someone the viewer blocked (collapsed: shown on request). `key` is
    the post's public id as text, `anchor` its element's id (`post-<key>`), `when` its time
    for the reader (`short_time`), `iso` the same moment for `<time datetime>`, `counted`
    whether any reaction has a count, and `skip_to` the anchor its "Skip to the next post"
    link goes to: the next post at its level, after a post's last reply its parent's next,
    "write" after the page's last.

    A tuple, which the article's template (templates/discussions/_post.html) unpacks in this
    order: a page of 78 posts read each field of each post through Jinja's attribute lookup,
    two Python calls a field (docs/performance.md, round 5)."""

    post: PostRow
    label: str
    body_html: Markup
    is_mine: bool
    is_new: bool
    reactions: list[ReactionView]
    collapsed: bool
    replies: list["PostView"]
    key: str
    links: PostLinks
    when: str
    counted: bool
    iso: str
    anchor: str
    skip_to: str


class EarlierReplies(NamedTuple):
    """A post's replies that its thread page does not show (it shows the latest
    `REPLIES_SHOWN`): how many (`total`; with `more_than`, at least that many: the count stops
    at `REPLY_COUNT_CAP`), whether any is new to the reader since their last visit
    (`has_new`), and the address of the post's pages of replies (`url`)."""

    total: int  # not `count`, which would hide tuple.count
    has_new: bool
    url: str
    more_than: bool = False


class PostFormLinks(NamedTuple):
    """Where a page's post and reply forms send their text (`post`), save it as a draft while
    the person types (`draft`) and ask who can be mentioned (`people`)."""

    post: str
    draft: str
    people: str


class PostFormPlace:
    """What a page with post forms (ThreadPage, ReplyPage) gives its forms: the thread's form
    addresses, reversed once a page however many forms the page prints."""

    thread: Thread

    @cached_property
    def form_links(self) -> PostFormLinks:
        key = self.thread.public_id
        return PostFormLinks(
            url("discussions:post", key),
            url("discussions:draft", key),
            url("discussions:people", key),
        )


@dataclass
class ThreadPage(PostFormPlace):
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
    # Posts on the page with more replies than shown, by the post's public id.
    earlier_replies: dict[str, EarlierReplies] = field(default_factory=dict)

    @property
    def allows_pseudonyms(self) -> bool:
        return self.thread.allows_pseudonyms

    def reply_drafts(self, placed: str = "") -> dict[str, str]:
        """The viewer's unsent replies to the posts on this page, by the post's public id, for
        the script that moves the page's one reply form (`placed`: the post under which the
        form is already rendered, its draft in the box). Their own text, for them only."""
        return {
            pv.key: self.drafts[pv.key]
            for pv in self.posts
            if pv.key != placed and self.drafts.get(pv.key)
        }

    @property
    def pages(self) -> range:
        return range(1, self.page_count + 1)

    @property
    def page_links(self) -> list[int | None]:
        """`page_links(self.page, self.page_count)`."""
        return page_links(self.page, self.page_count)


def page_links(page: int, page_count: int) -> list[int | None]:
    """The pages a page navigation links to: the first, the last, and PAGE_WINDOW either side
    of `page`, None where pages are left out ("…"). A thread of 151 pages listed all 151, a
    long list to hear with a screen reader and a tenth of the page's HTML to make."""
    near = range(max(1, page - PAGE_WINDOW), min(page_count, page + PAGE_WINDOW) + 1)
    shown = sorted({1, page_count, *near})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def render_body(post: "Post | PostRow") -> Markup:
    """A post's sanitised HTML (mentions in bold); empty once it is deleted. The HTML stored
    when it was written (`Post.body_html`); rendered here only for a post that has none
    stored — a hidden post, which its author and the moderators still see."""
    if post.deleted_at is not None:
        return Markup("")
    if post.body_html:
        return stored_html(post.body_html)
    return Markup(render_post_html(post.body))  # sanitised by nh3 (render_post_html)


def blocked_names(viewer: "User | Any") -> set[tuple[int, str]]:
    """Who the viewer blocked, as (person id, pseudonym or "" for the real name): posts shown
    under a blocked name are collapsed for the viewer, posts under another name are not (that
    would unmask a pseudonym: accounts.models.Block). One query (`blocked_names_of`'s,
    kept compiled for a signed-in viewer: building it was a tenth of loading a page)."""
    if not getattr(viewer, "is_authenticated", False):
        return blocked_names_of(viewer)
    return set(blocked_names_query(viewer))


def has_answered(thread: Thread, viewer: "User | Any") -> bool:
    return Post.objects.filter(thread=thread, author=viewer).exists()


def _reactions(
    posts: "list[Post] | list[PostRow]", viewer: "User | Any"
) -> tuple[dict[int, list[ReactionView]], list[ReactionView]]:
    """Each post's reactions as the viewer sees them (by post id), and the one list of zero
    counts that every post nobody reacted to shares (so `shown is none` says nothing is
    counted). One query."""
    rows = _reaction_counts(Reaction.objects.filter(post_id__in=[p.pk for p in posts]), viewer)
    return _reaction_views(posts, rows)


def _reaction_views(
    posts: "list[Post] | list[PostRow]", rows: "Any"
) -> tuple[dict[int, list[ReactionView]], list[ReactionView]]:
    """`_reactions` from the rows of `_reaction_counts` (post id, kind, count, the viewer's):
    each reaction given made a `ReactionView` once, the others the kind's zero view."""
    labels = {kind: str(label) for kind, label in ReactionKind.choices}  # translated once
    # A post nobody reacted to (most on a page) shares one list of zero counts.
    none = [ReactionView(kind, label, 0, False) for kind, label in labels.items()]
    zeros = [(view.kind, view) for view in none]
    given: dict[int, dict[str, ReactionView]] = {}
    for post_id, kind, n, mine in rows:
        if post_id not in given:
            given[post_id] = {}
        given[post_id][kind] = ReactionView(kind, labels[kind], n, mine > 0)
    out: dict[int, list[ReactionView]] = {}
    for post in posts:
        shown = given.get(post.pk)
        out[post.pk] = [shown.get(kind, zero) for kind, zero in zeros] if shown else none
    return out, none


# The thread page's statements, each built by a function of the viewer and plain values (the
# thread's id and what the rule branches on), compiled once per process and shape and re-run
# with each page's values (rapport.compiled.CompiledRows): building and compiling these
# querysets was most of load_thread_page's CPU (docs/performance.md, round 6). The rule is
# `Post.visible_in_thread`, called by the builders as the page called it.


def _thread_stand_in(thread_id: int, respond_before_reveal: bool) -> Thread:
    """A thread with the id and the respond-before-reveal setting the rule reads
    (`Post.visible_in_thread` filters on the thread and branches on the setting), unsaved."""
    activity = Activity(respond_before_reveal=True) if respond_before_reveal else None
    return Thread(pk=thread_id, activity=activity)


def _page_ids(
    viewer: "User | Any",
    thread_id: int,
    respond_before_reveal: bool,
    sees_all: bool,
    answered: bool,
    sees_every_top: bool,
    offset: int,
) -> "QuerySet[Post, Any]":
    """The ids of a page's top-level posts (a subquery), from `offset`. When the viewer sees
    every top-level post (no hidden post of someone else's), the offset is walked in the
    thread's index alone instead of row by row (the same rows: nothing is filtered out)."""
    thread = _thread_stand_in(thread_id, respond_before_reveal)
    listed = (
        Post.objects.filter(thread=thread, parent__isnull=True)
        if sees_every_top
        else Post.objects.visible_in_thread(
            thread, viewer, sees_all=sees_all, answered=answered
        ).filter(parent__isnull=True)
    )
    return listed.order_by("created_at", "id").values("id")[offset : offset + PAGE_SIZE]


def _page_posts(
    viewer: "User | Any",
    thread_id: int,
    respond_before_reveal: bool,
    sees_all: bool,
    answered: bool,
    sees_every_top: bool,
    offset: int,
) -> "QuerySet[Post]":
    """A page's top-level posts and each one's latest replies, through the rule, oldest first.

    The rule's rows are taken by id from the page's ids and their latest replies' (a UNION ALL
    of a primary-key search and a search of the thread's `(thread, parent, created_at)`
    index), so the plan does not depend on the database's statistics: with `thread = ? AND
    (id IN … OR parent IN …)` SQLite walked the whole thread instead when its statistics gave
    the average thread's size (docs/performance.md, round 6).

    Each post's latest `REPLIES_SHOWN` replies and one more are taken by a search of its own
    replies, newest first, with a `LIMIT` (a subquery correlated with the page's post, so the
    database reads at most that many index entries a post); the one more says there are
    earlier replies and whether they hold something new. Each top-level row carries
    `replies_seen`, how many of its replies the viewer sees, counted up to `REPLY_COUNT_CAP`
    (the link's count: "more than …" beyond it). So a page is bounded, in what it reads as in
    what it shows, whatever the number of replies (docs/performance.md)."""
    thread = _thread_stand_in(thread_id, respond_before_reveal)
    ids = _page_ids(
        viewer, thread_id, respond_before_reveal, sees_all, answered, sees_every_top, offset
    )
    visible = Post.objects.visible_in_thread(thread, viewer, sees_all=sees_all, answered=answered)
    latest = (
        visible.filter(parent_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("id")[: REPLIES_SHOWN + 1]
    )
    latest_replies = (
        Post.objects.filter(pk__in=ids).filter(replies__in=Subquery(latest)).values("replies__id")
    )
    page = Post.objects.filter(pk__in=ids).values("id").union(latest_replies, all=True)
    counted = visible.filter(parent_id=OuterRef("id")).order_by().values("id")[:REPLY_COUNT_CAP]
    return (
        visible.filter(pk__in=page)
        .annotate(
            replies_seen=Case(
                When(parent__isnull=True, then=CappedCount(counted)), default=Value(0)
            )
        )
        .order_by("created_at", "id")
    )


class CappedCount(Subquery):
    """How many rows a sliced queryset has (`queryset[:cap]`): `SELECT COUNT(*)` over it, so the
    database stops reading at the cap. An integer; `cap` when there are at least `cap` rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def _page_rows_query(viewer: "User | Any", *values: Any) -> "QuerySet[Any]":
    """`_page_posts` as rows of `_ROW_FIELDS` (PostRow's fields), then `replies_seen`."""
    return _page_posts(viewer, *values).values_list(*_ROW_FIELDS, "replies_seen")


def _page_reactions_query(viewer: "User | Any", post_ids: tuple[int, ...]) -> "QuerySet[Any]":
    """The reactions to the posts `post_ids` — a page's, read through the rule by
    `page_rows_query`, padded by `padded_ids` — by post and kind: (post id, kind, how many,
    how many of them the viewer's). By id rather than with the page's statement as a subquery,
    which the database then ran a second time (0.61 against 0.24 ms on the benchmark's page:
    docs/performance.md, "Articles printed by shape")."""
    return _reaction_counts(Reaction.objects.filter(post_id__in=post_ids), viewer)


def padded_ids(ids: list[int]) -> tuple[int, ...]:
    """`ids` (distinct primary keys) and after them -1, -2, … (no row's key) up to a power of two
    of at least 16: a kept statement is compiled for each length of its tuple of ids
    (rapport.compiled), so pages share a handful of statements instead of one per count."""
    size = max(16, 1 << max(len(ids) - 1, 0).bit_length())
    return (*ids, *range(-1, -(size - len(ids)) - 1, -1))


def _reaction_counts(reactions: "QuerySet[Reaction]", viewer: "User | Any") -> "QuerySet[Any]":
    return (
        reactions.values("post_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user=viewer)))
        .order_by()
        .values_list("post_id", "kind", "n", "mine")
    )


def _hidden_of_others(viewer: "User | Any", thread_id: int, **posts: Any) -> "QuerySet[Any]":
    """How many of the thread's posts matching `posts` (field lookups) are hidden and not the
    viewer's: one row (the count) or none (0), on the small index of hidden posts."""
    return (
        Post.objects.filter(thread_id=thread_id, hidden_at__isnull=False, **posts)
        .exclude(author=viewer)
        .order_by()
        .values("thread_id")
        .annotate(n=Count("id"))
        .values_list("n")
    )


def _hidden_top_level_query(viewer: "User | Any", thread_id: int) -> "QuerySet[Any]":
    """`_hidden_of_others` for the thread's top-level posts."""
    return _hidden_of_others(viewer, thread_id, parent__isnull=True)


def _hidden_replies_query(viewer: "User | Any", thread_id: int, parent_id: int) -> "QuerySet[Any]":
    """`_hidden_of_others` for the replies to the post `parent_id`."""
    return _hidden_of_others(viewer, thread_id, parent_id=parent_id)


def _drafts_query(viewer: "User | Any", thread_id: int) -> "QuerySet[Any]":
    """The viewer's unsent texts in the thread: (key, body). Their own rows only."""
    return Draft.objects.filter(user=viewer, thread_id=thread_id).values_list("key", "body")


page_rows_query = CompiledRows(_page_rows_query)
page_reactions_query = CompiledRows(_page_reactions_query)
hidden_top_level_query = CompiledRows(_hidden_top_level_query)
hidden_replies_query = CompiledRows(_hidden_replies_query)
drafts_query = CompiledRows(_drafts_query)
blocked_names_query = CompiledRows(blocked_names_rows)


def _top_level_count(
    thread: Thread, viewer: "User | Any", *, sees_all: bool, answered: bool
) -> tuple[int, bool]:
    """How many top-level posts of the thread the viewer sees (visible_in_thread's rows), and
    whether they are all of its top-level posts. From the thread's counter: all of them for
    someone who sees all, none while gated (they have not posted), otherwise all but the
    hidden ones of other people (one query on the small index of hidden posts)."""

    def hidden() -> int:
        found = hidden_top_level_query(viewer, thread.pk)
        return found[0][0] if found else 0

    return _visible_count(
        thread.top_level_posts, hidden, thread, sees_all=sees_all, answered=answered
    )


def _visible_count(
    stored: int, hidden: Callable[[], int], thread: Thread, *, sees_all: bool, answered: bool
) -> tuple[int, bool]:
    """How many of `stored` rows (a counter of every row: `Thread.top_level_posts`,
    `Post.reply_count`) the viewer sees through `Post.visible_in_thread`, and whether they see
    all of them: all for someone who sees all, none while gated (they have not posted, so none
    is theirs), otherwise all but the hidden ones of other people (`hidden()`, one query)."""
    if sees_all:
        return stored, True
    if thread.respond_before_reveal and not answered:
        return 0, stored == 0
    taken = hidden()
    return max(stored - taken, 0), taken == 0


def _reply_total(
    post: Post, thread: Thread, viewer: "User | Any", *, sees_all: bool, answered: bool
) -> tuple[int, bool]:
    """How many replies to `post`, a top-level post of `thread`, the viewer sees
    (visible_in_thread's rows with `parent=post`), and whether they are all of its replies:
    `_top_level_count` for one post's replies, from `Post.reply_count` (at most one query, on
    the index of hidden posts)."""

    def hidden() -> int:
        found = hidden_replies_query(viewer, thread.pk, post.pk)
        return found[0][0] if found else 0

    return _visible_count(post.reply_count, hidden, thread, sees_all=sees_all, answered=answered)


def post_views_maker(
    viewer: "User | Any",
    *,
    moderator: bool,
    reactions: dict[int, list[ReactionView]],
    no_reactions: list[ReactionView],
    seen_until: datetime | None,
    replies_to: dict[int, list[PostRow]],
) -> tuple[Callable[[list[PostRow], str], list[PostView]], Callable[[], datetime | None]]:
    """What a page of posts (a thread's, or one post's replies) needs to turn its rows into
    `PostView`s for `viewer`: `views_of(rows, after)`, each view skipping to the next and the
    last to the anchor `after`, a post's replies (`replies_to`, by the post's id) nested in
    its view; and `newest()`, the time of the newest post made into a view so far (None before
    any). `reactions` are by post id (`_reaction_views`), `no_reactions` the list shared by
    posts nobody reacted to; a post is new when someone else wrote it after `seen_until`.
    Reads who the viewer blocked (one query)."""
    views = _PostViews(
        blocked_names(viewer),
        post_links_maker(),
        short_time_maker(get_zone(viewer.time_zone)),
        viewer.pk,
        moderator,
        reactions,
        no_reactions,
        seen_until,
        replies_to,
    )
    return views.views_of, views.newest_shown


class _PostViews:
    """`post_views_maker`'s two functions, as the methods of one object rather than closures:
    `views_of` and `view` call each other, and two closures that do are a reference cycle
    that holds the page's rows, reactions and views until the cyclic garbage collector runs
    (about 800 objects a thread page, and a collection of the young generation after nearly
    every page: docs/performance.md, "Garbage a page leaves"). An object whose methods call
    each other is freed by its reference count when the page is done."""

    __slots__ = (
        "blocked",
        "links",
        "moderator",
        "newest",
        "no_reactions",
        "reactions",
        "replies_to",
        "seen_until",
        "viewer_id",
        "when",
    )

    def __init__(
        self,
        blocked: set[tuple[int, str]],
        links: Callable[[str], PostLinks],
        when: Callable[[datetime], str],
        viewer_id: int | None,
        moderator: bool,
        reactions: dict[int, list[ReactionView]],
        no_reactions: list[ReactionView],
        seen_until: datetime | None,
        replies_to: dict[int, list[PostRow]],
    ) -> None:
        self.blocked = blocked
        self.links = links
        self.when = when
        self.viewer_id = viewer_id
        self.moderator = moderator
        self.reactions = reactions
        self.no_reactions = no_reactions
        self.seen_until = seen_until
        self.replies_to = replies_to
        self.newest: datetime | None = None

    def views_of(self, posts: list[PostRow], after: str) -> list[PostView]:
        """The posts' views in order, each skipping to the next, the last to `after`."""
        if not posts:
            return []
        anchors = [*(f"post-{post.public_id}" for post in posts[1:]), after]
        view = self.view
        return [view(post, skip_to) for post, skip_to in zip(posts, anchors, strict=True)]

    def view(self, post: PostRow, skip_to: str) -> PostView:
        """One post's view, its replies' views nested in it."""
        # PostView's fields in order (a tuple made positionally, 78 times a page).
        created_at = post.created_at
        is_mine = post.author_id == self.viewer_id
        newest = self.newest
        if newest is None or created_at > newest:
            self.newest = created_at
        key = str(post.public_id)
        shown = self.reactions[post.pk]
        replies_to = self.replies_to
        seen_until = self.seen_until
        return PostView(
            post,
            author_label(  # PostRow.label_for
                pseudonym=post.pseudonym,
                full_name=post.author_name,
                fallback=post.author_email,
                mine=is_mine,
                moderator=self.moderator,
            ),
            render_body(post),
            is_mine,
            not is_mine and seen_until is not None and created_at > seen_until,  # is_new
            shown,
            (post.author_id, post.pseudonym) in self.blocked,  # collapsed
            self.views_of(replies_to[post.pk], skip_to) if post.pk in replies_to else [],
            key,
            self.links(key),
            self.when(created_at),
            shown is not self.no_reactions,  # counted: someone reacted, a count is above 0
            created_at.isoformat(timespec="seconds"),
            f"post-{key}",  # anchor
            skip_to,
        )

    def newest_shown(self) -> datetime | None:
        """The time of the newest post made into a view so far (None before any)."""
        return self.newest


def load_thread_page(
    thread: Thread, *, viewer: "User | Any", page: int | None, today: date
) -> ThreadPage:
    """The page of a thread for a viewer who may read it (the caller loaded it through
    discussions.access). `page` None opens where they left off: the page of their first unread
    post. Marks what was shown as read."""
    # Whether they moderate, and whether they see every post (Post.visible_to's rule: a coach
    # seat, not an admin's role): from the seat that came with the thread when it did.
    moderator, sees_all, answered = _reader_of(thread, viewer)
    gated = thread.respond_before_reveal and not moderator and not answered
    # The read position came with the thread (the thread page's getter), or is asked here.
    known, seen_until = known_read_position(thread, viewer)
    if not known:
        position = ReadPosition.objects.filter(user=viewer, thread=thread).first()
        seen_until = position.seen_until if position else None
    total, sees_every_top = _top_level_count(thread, viewer, sees_all=sees_all, answered=answered)
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    if page is None:
        # The page of the first unread post: count the (few) posts after the read position.
        top = Post.objects.visible_in_thread(
            thread, viewer, sees_all=sees_all, answered=answered
        ).filter(parent__isnull=True)
        unseen = top.filter(created_at__gt=seen_until).count() if seen_until else total
        seen = total - unseen
        page = min(page_count, seen // PAGE_SIZE + 1) if seen < total else page_count
    page = min(max(page, 1), page_count)
    # The page's top-level posts and their replies in one query through the rule, as rows,
    # then their reactions, each a kept statement (`_page_posts`).
    shape = (
        thread.pk,
        thread.respond_before_reveal,
        sees_all,
        answered,
        sees_every_top,
        Offset((page - 1) * PAGE_SIZE),
    )
    rows: list[PostRow] = []
    top_posts: list[PostRow] = []
    replies: list[PostRow] = []
    reply_counts: dict[int, int] = {}
    for *fields, reply_count in page_rows_query(viewer, *shape):
        row = PostRow(*fields)
        rows.append(row)
        if row.parent_id is None:
            top_posts.append(row)
            reply_counts[row.pk] = reply_count
        else:
            replies.append(row)
    # Per top-level post with replies not shown: (how many, the newest of those not shown).
    earlier: dict[int, tuple[int, PostRow]] = {}
    if len(replies) > REPLIES_SHOWN:
        by_parent: dict[int, list[PostRow]] = {}
        for reply in replies:
            by_parent.setdefault(reply.parent_id, []).append(reply)  # type: ignore[arg-type]
        for parent_id, theirs in by_parent.items():
            if len(theirs) > REPLIES_SHOWN:  # oldest first: the first is the one more
                last_unshown = theirs[0]
                earlier[parent_id] = (reply_counts[parent_id] - REPLIES_SHOWN, last_unshown)
                rows.remove(last_unshown)
                replies.remove(last_unshown)
    reactions, no_reactions = _reaction_views(
        rows, page_reactions_query(viewer, padded_ids([row.pk for row in rows]))
    )
    replies_to: dict[int, list[PostRow]] = {}
    for reply in replies:
        replies_to.setdefault(reply.parent_id, []).append(reply)  # type: ignore[arg-type]
    views_of, newest_shown = post_views_maker(
        viewer,
        moderator=moderator,
        reactions=reactions,
        no_reactions=no_reactions,
        seen_until=seen_until,
        replies_to=replies_to,
    )
    viewer_id = viewer.pk
    ordered = views_of(top_posts, "write")
    all_views = [v for top_view in ordered for v in (top_view, *top_view.replies)]
    first_new = next((v.anchor for v in all_views if v.is_new), None)
    new_count = sum(1 for v in all_views if v.is_new)
    earlier_replies: dict[str, EarlierReplies] = {}
    unshown_new = False
    if earlier:
        by_pk = {row.pk: str(row.public_id) for row in top_posts}
        replies_url = url("discussions:replies", _PLACEHOLDER)
        for parent_id, (count, last_unshown) in earlier.items():
            # New as `PostView.is_new` is: someone else's, after the read position.
            has_new = (
                last_unshown.author_id != viewer_id
                and seen_until is not None
                and last_unshown.created_at > seen_until
            )
            unshown_new = unshown_new or has_new
            key = by_pk[parent_id]
            earlier_replies[key] = EarlierReplies(
                count,
                has_new,
                replies_url.replace(str(_PLACEHOLDER), key),
                count + REPLIES_SHOWN >= REPLY_COUNT_CAP,
            )
    # The read position moves on to the newest post shown, unless a post has new replies that
    # are not shown (they are on its pages of replies, which then mark them).
    newest = newest_shown()
    if newest is not None and not unshown_new and (seen_until is None or newest > seen_until):
        from discussions.actions import mark_read

        mark_read(thread, user=viewer, until=newest)  # only when this page moves it on
    drafts = dict(drafts_query(viewer, thread.pk))
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
        earlier_replies=earlier_replies,
    )


@dataclass
class ReplyPage(PostFormPlace):
    """A page of one top-level post's replies (`load_reply_page`): `post` is the post's view
    with this page's replies nested in it (oldest first, PAGE_SIZE a page), `total` how many
    replies the viewer sees, `thread_url` the post on its thread's page."""

    thread: Thread
    post: PostView
    viewer_is_moderator: bool
    closed: bool
    page: int
    page_count: int
    total: int
    new_count: int
    first_new: str | None
    drafts: dict[str, str]
    thread_url: str

    @property
    def allows_pseudonyms(self) -> bool:
        return self.thread.allows_pseudonyms

    @property
    def page_links(self) -> list[int | None]:
        return page_links(self.page, self.page_count)


def _row_of(post: Post) -> PostRow:
    """A loaded post (with its author) as the row a page shows."""
    return PostRow(
        post.pk,
        post.public_id,
        post.author_id,
        post.parent_id,
        post.created_at,
        post.edited_at,
        post.deleted_at,
        post.hidden_at,
        post.hidden_reason,
        post.pseudonym,
        post.body,
        post.body_html,
        post.author.full_name,
        post.author.email,
    )


def _reader_of(thread: Thread, viewer: "User | Any") -> tuple[bool, bool, bool]:
    """(moderates the thread, sees every post, has answered) for `Post.visible_in_thread`,
    decided as `load_thread_page` decides them."""
    moderator = moderates_thread(viewer, thread)
    membership = policy.membership_of(viewer)
    sees_all = (
        coaches_thread_cohort(viewer, thread)
        if membership is not None and membership.role == policy.Role.ADMIN
        else moderator
    )
    answered = thread.respond_before_reveal and not sees_all and has_answered(thread, viewer)
    return moderator, sees_all, answered


def load_reply_page(
    post: Post, *, viewer: "User | Any", page: int | None, today: date
) -> ReplyPage:
    """A page of the replies to `post`, a top-level post the viewer may see (the caller
    loaded it through discussions.access.get_post_for_user, with its thread and author),
    through `Post.visible_in_thread` (the rule): the thread page shows a post's latest
    `REPLIES_SHOWN` replies, and links here for all of them. `page` None opens at the first
    reply the viewer has not seen (the last page when they have seen them all). Marks what was
    shown as read. A fixed number of queries whatever the number of replies (the moderator
    check, the gate, the read position, the hidden replies of others, the page, the reactions,
    the blocks, the draft, the post's page of its thread; the unread replies' count without a
    `page`; one write when the read position moves on).

    What the database reads does not grow with the post's replies either, for page 1 (and
    grows with the offset alone for later pages): the total is the post's counter,
    `Post.reply_count`, less the hidden replies of other people (`_reply_total`, as the thread
    page counts its top-level posts); the opening page counts only the replies after the read
    position; and when the viewer sees every reply the offset is walked in the
    (thread, parent, created_at) index alone, the rule applied to the page's rows only
    (docs/performance.md, "A post's latest replies, and its pages of replies")."""
    thread = post.thread
    moderator, sees_all, answered = _reader_of(thread, viewer)
    position = ReadPosition.objects.filter(user=viewer, thread=thread).first()
    seen_until = position.seen_until if position else None
    total, sees_every = _reply_total(post, thread, viewer, sees_all=sees_all, answered=answered)
    visible = Post.objects.visible_in_thread(thread, viewer, sees_all=sees_all, answered=answered)
    replies = visible.filter(parent=post)
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    if page is None:
        # The page of the first unread reply: count the (few) replies after the read position.
        unseen = replies.filter(created_at__gt=seen_until).count() if seen_until else 0
        seen = total - unseen
        page = seen // PAGE_SIZE + 1 if seen < total else page_count
    page = min(max(page, 1), page_count)
    offset = (page - 1) * PAGE_SIZE
    if sees_every:
        # Nothing is filtered out: the offset is walked in the (thread, parent, created_at)
        # index alone (`_page_ids` for one post's replies), and the rule applied to the page's
        # rows, taken by id: with `parent = ?` in the outer query as well, SQLite searched
        # every reply of the post for the page's ids.
        ids = (
            Post.objects.filter(thread=thread, parent=post)
            .order_by("created_at", "id")
            .values("id")[offset : offset + PAGE_SIZE]
        )
        listed = visible.filter(pk__in=ids).order_by("created_at", "id")
    else:
        listed = replies.order_by("created_at", "id")[offset : offset + PAGE_SIZE]
    rows = [PostRow(*row) for row in listed.values_list(*_ROW_FIELDS)]
    top = _row_of(post)
    reactions, no_reactions = _reactions([top, *rows], viewer)
    views_of, _ = post_views_maker(
        viewer,
        moderator=moderator,
        reactions=reactions,
        no_reactions=no_reactions,
        seen_until=seen_until,
        replies_to={post.pk: rows} if rows else {},
    )
    (post_view,) = views_of([top], "write")
    first_new = next((v.anchor for v in post_view.replies if v.is_new), None)
    new_count = sum(1 for v in post_view.replies if v.is_new)
    newest = max((row.created_at for row in rows), default=None)
    if newest is not None and (seen_until is None or newest > seen_until):
        from discussions.actions import mark_read

        mark_read(thread, user=viewer, until=newest)  # only when this page moves it on
    key = str(post.public_id)
    drafts = dict(drafts_query(viewer, thread.pk))
    thread_url = url("discussions:thread", thread.public_id)
    return ReplyPage(
        thread=thread,
        post=post_view,
        viewer_is_moderator=moderator,
        closed=is_closed(thread, today=today),
        page=page,
        page_count=page_count,
        total=total,
        new_count=new_count,
        first_new=first_new,
        drafts={key: drafts[key]} if drafts.get(key) else {},
        thread_url=f"{thread_url}?page={page_of(post, viewer=viewer)}#post-{key}",
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


def _rule_for_post(post: Post, viewer: "User | Any") -> tuple[bool, bool]:
    """(sees every post, has answered) for `Post.visible_in_thread` when counting around a post
    the viewer may see, for `page_of` and `replies_page_of`: having written it is having
    answered. One query (whether they coach the cohort), two on a respond-before-reveal prompt
    for someone else's post."""
    thread = post.thread
    sees_all = coaches_thread_cohort(viewer, thread)
    answered = (
        thread.respond_before_reveal
        and not sees_all
        and (post.author_id == viewer.pk or has_answered(thread, viewer))
    )
    return sees_all, answered


def page_of(post: Post, *, viewer: "User | Any") -> int:
    """The page of the thread on which `post` (or, for a reply, its parent) is shown to the
    viewer, who may see it (the caller loaded it through discussions.access). Counts through
    `Post.visible_in_thread`, in the thread's index: two queries (whether they coach the
    cohort, the count), three on a respond-before-reveal prompt for someone else's post."""
    thread = post.thread
    top = post.parent or post
    sees_all, answered = _rule_for_post(post, viewer)
    before = (
        Post.objects.visible_in_thread(thread, viewer, sees_all=sees_all, answered=answered)
        .filter(parent__isnull=True, created_at__lte=top.created_at)  # a range of the index
        .exclude(created_at=top.created_at, id__gte=top.pk)
        .count()
    )
    return before // PAGE_SIZE + 1


def replies_page_of(post: Post, *, viewer: "User | Any") -> int | None:
    """Where the viewer finds `post`, a reply they may see (the caller loaded it through
    discussions.access): None when it is among its parent's latest `REPLIES_SHOWN` replies,
    shown on the thread's page (`page_of`); else the page of its parent's replies
    (`load_reply_page`) it is on.

    Counts only the replies later than it through `Post.visible_in_thread` (a range of the
    thread's (thread, parent, created_at) index: what decides its page), and takes the
    replies up to it from its parent's counter (`_reply_total`), so a reply near the end of
    16,000 is not found by counting all of them. Queries: whether they coach the cohort, the
    later replies (one more on a respond-before-reveal prompt); then, for a reply not among
    the latest, the parent's hidden replies of others (not for a coach), and the parent when
    it did not come with the post."""
    thread = post.thread
    sees_all, answered = _rule_for_post(post, viewer)
    later = (
        Post.objects.visible_in_thread(thread, viewer, sees_all=sees_all, answered=answered)
        .filter(parent_id=post.parent_id, created_at__gte=post.created_at)  # a range
        .exclude(created_at=post.created_at, id__lte=post.pk)
        .count()
    )
    if later < REPLIES_SHOWN:
        return None
    parent = post.parent
    if parent is None:  # not a reply: shown on its thread's page
        return None
    total, _ = _reply_total(parent, thread, viewer, sees_all=sees_all, answered=answered)
    up_to = total - later
    return (max(up_to, 1) - 1) // PAGE_SIZE + 1


def reactions_for(post: Post, viewer: "User | Any") -> list[ReactionView]:
    """One post's reactions as the viewer sees them (after a reaction, for htmx)."""
    return _reactions([post], viewer)[0][post.pk]


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
