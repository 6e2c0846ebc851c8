"""Getters for threads and posts, each built on a `visible_to(user)` queryset (the rules are in
discussions.models): what a person may not see raises Http404 (existence never leaks), what they
may see but not do raises PermissionDenied."""

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cohorts.access import CohortSeat
from cohorts.models import Cohort, Enrollment
from discussions import actions
from discussions.models import (
    Post,
    PostRevision,
    Thread,
    ThreadKind,
    coaches_thread_cohort,
    is_moderator,
)
from programs.models import Activity, ActivityKind
from programs.outline import OutlineActivity, outline_of
from rapport import policy
from rapport.compiled import CompiledQuery

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

# A cohort's threads take new posts until this many days after its last week ends.
GRACE_DAYS = 14


_THREAD_RELATED = ("cohort__program", "activity__week", "circle")


#: Top-level posts on a page of a thread (with their latest replies); `discussions.threads`
#: pages by it, and a page of one post's replies holds as many replies.
PAGE_SIZE = 50

#: A post's latest replies shown under it on the thread's page; the earlier ones are on the
#: post's own pages of replies (`discussions.threads.load_reply_page`). Without a bound, one
#: post with 32,089 replies made page 1 of its thread 49.6 MB (docs/performance.md).
REPLIES_SHOWN = 10


def _cohort_thread_query(user: "User | Any", thread_public_id: uuid.UUID) -> "QuerySet[Thread]":
    """A thread of the person's organisation, with their seat in its cohort (`seat_role`):
    `Thread.visible_to`'s rule for a cohort's thread, in the form `with_seat_of` gives it
    (get_thread_for_user). At most one row (`public_id` is unique), so `[:1]` without an
    ORDER BY."""
    membership = policy.membership_of(user)
    return (
        Thread.objects.select_related(*_THREAD_RELATED)
        .with_seat_of(user)
        .filter(organization_id=membership.organization_id, public_id=thread_public_id)  # type: ignore[union-attr]
        .order_by()[:1]
    )


def _cohort_thread_with_read_position_query(
    user: "User | Any", thread_public_id: uuid.UUID
) -> "QuerySet[Thread]":
    """`_cohort_thread_query` with the person's read position (`read_until`)."""
    membership = policy.membership_of(user)
    return (
        Thread.objects.select_related(*_THREAD_RELATED)
        .with_seat_of(user)
        .with_read_position_of(user)
        .filter(organization_id=membership.organization_id, public_id=thread_public_id)  # type: ignore[union-attr]
        .order_by()[:1]
    )


# The statements are the same for every person of a role: compiled once per process and role,
# re-run with the person's ids (rapport/compiled.py; building and compiling the queryset was
# most of the getter's cost on a thread page, docs/performance.md, round 5).
cohort_thread_query = CompiledQuery(_cohort_thread_query)
cohort_thread_with_read_position_query = CompiledQuery(_cohort_thread_with_read_position_query)


def get_thread_for_user(
    user: "User | Any", thread_public_id: uuid.UUID, *, with_read_position: bool = False
) -> Thread:
    """The thread if the person may read it (Thread.visible_to), with its cohort, programme
    and activity, and the person's seat in its cohort (`thread.seat_of`: their id and
    `EnrollmentRole` or None, which discussions.models.known_seat reads so that the page need
    not ask again whether they coach it); else 404. One query.

    A cohort's thread (a prompt's, the community space) is asked for in the form
    `Thread.with_seat_of` gives the rule — of their organisation, with a seat in its cohort —
    which costs a request a third of visible_to's subqueries to build (docs/performance.md).
    A circle's thread, and every thread for a platform superuser, through Thread.visible_to
    itself (one query more for a circle's).

    `with_read_position`: the person's read position comes in the same query
    (`thread.read_position_of`: their id and `seen_until` or None, which
    discussions.models.known_read_position reads), for the thread page.

    The cohort's-thread statement is compiled once per process and role
    (`cohort_thread_query`, rapport/compiled.py) and re-run with the person's ids."""
    if policy.is_platform_superuser(user):
        thread = None
    else:
        if policy.membership_of(user) is None:
            raise Http404("No such thread")
        query = (
            cohort_thread_with_read_position_query if with_read_position else cohort_thread_query
        )
        rows = query(user, thread_public_id)
        if not rows:
            raise Http404("No such thread")
        thread = rows[0]
        if thread.kind != ThreadKind.CIRCLE:
            if thread.seat_role is None:  # type: ignore[attr-defined]
                raise Http404("No such thread")
            return _with_known(thread, user, with_read_position)
    found = Thread.objects.visible_to(user).select_related(*_THREAD_RELATED).with_seat_of(user)
    if with_read_position:
        found = found.with_read_position_of(user)
    thread = found.filter(public_id=thread_public_id).first()
    if thread is None:
        raise Http404("No such thread")
    return _with_known(thread, user, with_read_position)


def _with_known(thread: Thread, user: "User | Any", with_read_position: bool) -> Thread:
    """The thread with what came with it for this person: their seat, their read position."""
    thread.seat_of = (user.pk, thread.seat_role)  # type: ignore[attr-defined]
    if with_read_position:
        thread.read_position_of = (user.pk, thread.read_until)  # type: ignore[attr-defined]
    return thread


def get_post_for_user(user: "User | Any", post_public_id: uuid.UUID) -> Post:
    """The post if the person may see it (Post.visible_to: the thread, the
    respond-before-reveal gate, hidden posts), with its thread; else 404."""
    post = (
        Post.objects.visible_to(user)
        .select_related(
            "thread__cohort__program",
            "thread__activity__week",
            "thread__circle",
            "author",
            "parent",
        )
        .filter(public_id=post_public_id)
        .first()
    )
    if post is None:
        raise Http404("No such post")
    return post


# What a reply reads of the post it answers, and of that post's own parent (create_post,
# the view's refusal and the redirect's page): not its text, its author's row or the rest.
_PARENT_FIELDS = (
    "id",
    "public_id",
    "organization_id",
    "thread_id",
    "author_id",
    "parent_id",
    "created_at",
    "deleted_at",
    "hidden_at",
    "parent__id",
    "parent__public_id",
    "parent__organization_id",
    "parent__thread_id",
    "parent__author_id",
    "parent__parent_id",
    "parent__created_at",
    "parent__deleted_at",
    "parent__hidden_at",
)


def _post_in_thread_query(*, sees_all: bool, gated: bool, answered: bool) -> CompiledQuery[Post]:
    """`get_post_in_thread`'s statement for one branch of `Post.visible_in_thread` (the
    viewer sees every post; a respond-before-reveal prompt they have or have not answered;
    any other thread), compiled once per process and role and re-run with the thread's id and
    the post's public id. The row carries `top_level_before`: how many top-level posts the
    viewer sees before the one the reply goes under (the post, or its parent for a reply to
    a reply), counted as `discussions.threads.page_of` counts them once the viewer has posted
    in the thread — the redirect's page, without a query of its own."""

    def build(user: "User | Any", thread_id: int, post_public_id: uuid.UUID) -> "QuerySet[Post]":
        thread = Thread(pk=thread_id)
        if gated:
            thread.activity = Activity(respond_before_reveal=True)
        top_at = Coalesce(F("parent__created_at"), F("created_at"))
        top_pk = Coalesce(F("parent_id"), F("id"))
        before = (
            Post.objects.visible_in_thread(thread, user, sees_all=sees_all, answered=True)
            .filter(parent__isnull=True, created_at__lte=OuterRef("top_at"))  # an index range
            .exclude(created_at=OuterRef("top_at"), id__gte=OuterRef("top_pk"))
            .order_by()
            .values("thread_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            Post.objects.visible_in_thread(thread, user, sees_all=sees_all, answered=answered)
            .select_related("parent")
            .only(*_PARENT_FIELDS)
            .filter(public_id=post_public_id)
            .annotate(top_at=top_at, top_pk=top_pk)
            .annotate(top_level_before=Coalesce(Subquery(before), 0))
            .order_by()[:1]
        )

    return CompiledQuery(build)


_POST_IN_THREAD = {
    (sees_all, gated, answered): _post_in_thread_query(
        sees_all=sees_all, gated=gated, answered=answered
    )
    for sees_all, gated, answered in (
        (True, False, False),
        (False, True, False),
        (False, False, False),
    )
}


def get_post_in_thread(user: "User | Any", thread: Thread, post_public_id: uuid.UUID) -> Post:
    """A post of `thread` if the person may see it, else 404: the post to reply to. The same
    rule as get_post_for_user (`Post.visible_in_thread` returns visible_to's rows) in the
    thread's own index, without visible_to's subqueries: one query (whether they coach the
    cohort came with the thread), two on a respond-before-reveal prompt (whether they have
    answered). Precondition: `thread` came from get_thread_for_user. A post of another thread
    is a 404 like an unknown one.

    The post has the fields a reply needs (ids, author id, times, deleted and hidden; its text
    and its author's row are deferred), its parent's the same, and `top_level_before` (see
    `_post_in_thread_query`): `reply_page(post)` is the page the reply will be on."""
    sees_all = coaches_thread_cohort(user, thread)
    gated = thread.respond_before_reveal and not sees_all
    answered = gated and Post.objects.filter(thread=thread, author=user).exists()
    # An answered prompt shows what any other thread shows: one statement for both.
    query = _POST_IN_THREAD[(sees_all, gated and not answered, False)]
    rows = query(user, thread.pk, post_public_id)
    if not rows:
        raise Http404("No such post")
    post = rows[0]
    post.thread = thread
    return post


def reply_page(post: Post) -> int:
    """The page of the thread a reply to `post` (from get_post_in_thread) is shown on, for the
    person who posted it: `discussions.threads.page_of` of the reply, from the count that came
    with the post."""
    return post.top_level_before // PAGE_SIZE + 1  # type: ignore[attr-defined]


def get_thread_of_post(user: "User | Any", post_public_id: uuid.UUID) -> Thread:
    """The thread a post is in, when the person reads that thread but may not see the post
    itself yet (respond-before-reveal, or hidden): a notification's link then opens the thread,
    which says why. 404 when the thread is not theirs."""
    thread = (
        Thread.objects.visible_to(user)
        .filter(posts__public_id=post_public_id)
        .select_related("cohort__program", "activity__week", "circle")
        .first()
    )
    if thread is None:
        raise Http404("No such post")
    return thread


def get_own_post(user: "User | Any", post_public_id: uuid.UUID) -> Post:
    """A post the person wrote, to edit or delete: 404 when they cannot see it, 403 when it is
    someone else's."""
    post = get_post_for_user(user, post_public_id)
    if post.author_id != user.pk:
        raise PermissionDenied("Only the person who wrote a post can change it")
    return post


def get_prompt_thread(seat: CohortSeat, activity: OutlineActivity) -> Thread | None:
    """The seat's cohort's thread for a discussion prompt (made on first need), or None for
    people previewing without a seat (designers and admins read no thread) and for other
    kinds. Precondition: `activity` came from cohorts.access.get_activity_in_seat, so the seat
    may see it; a seat in the cohort is exactly what Thread.visible_to asks for."""
    if seat.enrollment is None or activity.kind != ActivityKind.DISCUSSION:
        return None
    return actions.thread_for_activity(seat.cohort, activity_id=activity.pk)


def get_community_thread(user: "User | Any", cohort_public_id: uuid.UUID) -> Thread:
    """The community space of a cohort the person has a seat in (made on first need), else
    404 — designers and admins preview journeys but read no thread."""
    enrollment = (
        Enrollment.objects.visible_to(user)
        .select_related("cohort__program")
        .filter(user=user, cohort__public_id=cohort_public_id)
        .first()
    )
    if enrollment is None:
        raise Http404("No such cohort")
    thread = actions.community_thread(enrollment.cohort)
    thread.cohort = enrollment.cohort
    return thread


def get_circle_thread(user: "User | Any", circle: Any) -> Thread | None:
    """The circle's thread if the person reads it (a member or the circle's coach, of a
    published circle: Thread.visible_to), made on first need; None for anyone else — an admin
    may open a circle's page to manage it but does not read its conversation. One query once
    the thread exists for its readers (two for anyone else). Precondition: `circle` came from
    circles.access.get_circle_for_user."""
    readable = Thread.objects.visible_to(user).select_related("cohort__program", "circle")
    thread = readable.filter(kind=ThreadKind.CIRCLE, circle=circle).first()
    if thread is None and Thread.objects.filter(kind=ThreadKind.CIRCLE, circle=circle).exists():
        return None  # there is a thread, and it is not theirs to read
    if thread is None:  # the first visit: make it, then ask the rule again
        made = actions.circle_thread(circle)
        thread = readable.filter(pk=made.pk).first()
    return thread


def closes_on(cohort: Cohort) -> date:
    """The last day a cohort's threads take posts: GRACE_DAYS after its last week ends (the
    programme outline is cached, so usually no query)."""
    weeks = max(len(outline_of(cohort.program).weeks), 1)
    return cohort.week_ends_on(weeks) + timedelta(days=GRACE_DAYS)


def is_closed(thread: Thread, *, today: date) -> bool:
    """Whether the thread no longer takes posts, replies or reactions on the person's local
    `today`: its cohort ended more than GRACE_DAYS ago."""
    return today > closes_on(thread.cohort)


def check_can_post(thread: Thread, *, today: date) -> None:
    """PermissionDenied when the thread is closed (the page says so and offers no form)."""
    if is_closed(thread, today=today):
        raise PermissionDenied("This cohort has ended; its discussions are read-only now")


def thread_kind_label(thread: Thread) -> str:
    """How a thread is named where it is listed."""
    if thread.kind == ThreadKind.ACTIVITY and thread.activity is not None:
        return thread.activity.title
    if thread.kind == ThreadKind.CIRCLE and thread.circle is not None:
        return thread.circle.name
    return str(ThreadKind(thread.kind).label)


def get_post_history(user: "User | Any", post_public_id: uuid.UUID) -> tuple[Post, list[Any]]:
    """A post and its earlier versions, newest first, for its author and the cohort's
    moderators (PostRevision.visible_to); 404 for anyone else, who may see the post but not
    what it said before."""
    post = get_post_for_user(user, post_public_id)
    revisions = list(PostRevision.objects.visible_to(user).filter(post=post))
    if post.author_id != user.pk and not is_moderator(user, post.thread.cohort):
        raise Http404("No such history")
    return post, revisions
