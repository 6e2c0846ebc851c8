"""Writes of the discussions domain: threads on first need, posts, edits, deletions, reactions,
drafts, read positions, and the moderation hooks (`hide_post`, `unhide_post`) that the
moderation app calls.

Each write is atomic and keyword-only after the object it acts on. Posts and reactions tell
the people concerned through `notifications.actions.notify` (reply, mention, circle, reaction),
never with the post's text. Preconditions are the
caller's (views load every object through `discussions.access`, so the person may see what they
act on); what a person may not do here raises `PostingError` with a sentence to show them, and
nothing changes.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, CircleMember
from cohorts.models import Cohort
from discussions.mentions import mentioned_names
from discussions.models import (
    MAX_POST_LENGTH,
    Draft,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    ReadPosition,
    Thread,
    ThreadKind,
)
from discussions.rendering import render_post_html
from events.actions import new_event, record_events
from events.models import ObjectType, Verb
from notifications.actions import notify, plan_notifications_by_kind, save_notifications
from notifications.models import Notification, NotificationKind
from programs.models import Activity, ActivityKind

if TYPE_CHECKING:
    from accounts.models import User
    from events.models import Event


class PostingError(Exception):
    """A write that cannot be done, with a message for the person (nothing was changed)."""


# -- threads -----------------------------------------------------------------------------------


def thread_for_activity(cohort: Cohort, *, activity_id: int) -> Thread:
    """The cohort's thread for a discussion-prompt activity, made the first time anyone needs
    it (idempotent under a double request: the unique constraint decides). Precondition: the
    activity is a discussion prompt of the cohort's programme."""
    thread = (
        Thread.objects.select_related("activity", "cohort")
        .filter(cohort=cohort, kind=ThreadKind.ACTIVITY, activity_id=activity_id)
        .first()
    )
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            thread = Thread(cohort=cohort, kind=ThreadKind.ACTIVITY, activity_id=activity_id)
            thread.save()
    except IntegrityError:
        thread = Thread.objects.get(
            cohort=cohort, kind=ThreadKind.ACTIVITY, activity_id=activity_id
        )
    return Thread.objects.select_related("activity", "cohort").get(pk=thread.pk)


def community_thread(cohort: Cohort) -> Thread:
    """The cohort's community space, made the first time anyone opens it."""
    thread, _ = Thread.objects.select_related("cohort").get_or_create(
        cohort=cohort,
        kind=ThreadKind.COMMUNITY,
        defaults={"organization_id": cohort.organization_id},
    )
    return thread


def circle_thread(circle: Circle) -> Thread:
    """A peer circle's own thread, made the first time anyone opens it (idempotent)."""
    try:
        with transaction.atomic():
            thread, _ = Thread.objects.get_or_create(
                circle=circle,
                kind=ThreadKind.CIRCLE,
                defaults={"cohort_id": circle.cohort_id, "organization_id": circle.organization_id},
            )
    except IntegrityError:  # a double request made it first
        thread = Thread.objects.get(circle=circle, kind=ThreadKind.CIRCLE)
    return thread


def ensure_prompt_threads(cohort: Cohort) -> list[Thread]:
    """A thread for every discussion prompt of the cohort's programme (for the demo and for
    admins setting a cohort up); returns them in programme order."""
    activities = Activity.objects.filter(
        week__program_id=cohort.program_id, kind=ActivityKind.DISCUSSION
    ).order_by("week__number", "position", "id")
    return [thread_for_activity(cohort, activity_id=a.pk) for a in activities]


# -- posts -------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise PostingError("Write something before you post.")
    if len(text) > MAX_POST_LENGTH:
        raise PostingError(
            f"A post can be at most {MAX_POST_LENGTH:,} characters; this one is {len(text):,}."
        )
    return text


def create_post(
    thread: Thread,
    *,
    author: "User",
    body: str,
    parent: Post | None = None,
    pseudonym: str = "",
    mentioned: "Sequence[User]" = (),
    now: datetime | None = None,
) -> Post:
    """Post in a thread, or reply to a post of it. Clears the author's draft for that place.

    Refuses (PostingError): an empty or oversize body, a reply to a deleted or hidden post or
    to a post of another thread, a reply to a reply (one level of replies), a pseudonym where
    the prompt does not allow one. Precondition: the author may see the thread and the parent
    (the caller loaded them through discussions.access) and may post in it (not closed).
    """
    text = _clean_body(body)
    if pseudonym and not thread.allows_pseudonyms:
        raise PostingError("This prompt does not allow pseudonyms.")
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise PostingError("That post is in another thread.")
        if parent.is_deleted:
            raise PostingError("That post was deleted, so it can no longer be replied to.")
        if parent.is_hidden:
            raise PostingError("That post was hidden by a moderator and cannot be replied to.")
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep: answer in the same branch
    post = Post(
        thread=thread,
        author=author,
        parent=parent,
        body=text,
        body_html=render_post_html(text),
        pseudonym=pseudonym.strip(),
    )
    # Who is told, and the event, are made before the transaction: with SQLite's write lock
    # taken at its start (BEGIN IMMEDIATE), the transaction holds only the writes
    # (docs/performance.md, rounds 2 and 6).
    told = _plan_post_notifications(post, parent=parent, mentioned=mentioned)
    event = _post_event(post)
    with transaction.atomic():
        if now is not None:
            post.created_at = now
        post.save()
        if now is not None:  # auto_now_add ignores a value set before the first save
            Post.objects.filter(pk=post.pk).update(created_at=now)
            post.created_at = now
        if parent is None:  # the thread page's count of top-level posts, in this transaction
            Thread.objects.filter(pk=thread.pk).update(top_level_posts=F("top_level_posts") + 1)
        else:  # its parent's count of replies, for its pages of replies, likewise
            Post.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
        Draft.objects.filter(
            user=author, thread=thread, key=str(parent.public_id) if parent else ""
        ).delete()
        save_notifications(told)
        event.timestamp = post.created_at  # when it was posted (the demo writes its past)
        record_events([event])
    return post


def _post_event(post: Post) -> "Event":
    """The `commented` event of a post or reply (unsaved: `create_post` saves it in the post's
    transaction, one per post). Its object is where the post was made — the prompt (an
    activity) or, for the community space and circles, the cohort — never the post itself: the
    record says who took part where, so it can never tie a pseudonymous post to its author, and
    it holds no text."""
    thread = post.thread
    if thread.activity_id is not None:
        object_type, object_id = ObjectType.ACTIVITY, thread.activity.public_id  # type: ignore[union-attr]
    else:
        object_type, object_id = ObjectType.COHORT, thread.cohort.public_id
    return new_event(
        post.author,
        verb=Verb.COMMENTED,
        object_type=object_type,
        object_id=object_id,
        cohort=thread.cohort,
    )


def place_of(thread: Thread) -> str:
    """Where a thread is, as notifications name it: programme content or names an admin gave
    (the prompt's week and title, the circle's name, the cohort's community space), never
    anything a learner typed."""
    if thread.kind == ThreadKind.ACTIVITY and thread.activity is not None:
        return f"Week {thread.activity.week.number} · {thread.activity.title}"
    if thread.kind == ThreadKind.CIRCLE and thread.circle is not None:
        # Circles are named "Circle Almond" when formed; an admin may rename one "Lisbon".
        name = thread.circle.name
        return name if name.casefold().startswith("circle") else f"Circle {name}"
    return f"Community space · {thread.cohort.name}"


def post_link(post: Post) -> str:
    """The relative URL that opens a post for whoever follows it (its own access rules apply)."""
    return reverse("discussions:post_link", args=[post.public_id])


def _plan_post_notifications(
    post: Post, *, parent: Post | None, mentioned: "Sequence[User]"
) -> "list[Notification]":
    """The notifications of a new post (not saved yet: `save_notifications` does, in the
    post's transaction): the parent's author about a reply, the people mentioned, and (in a
    circle thread) the circle's members and coach: each person once, the most specific kind
    first. No text of the post goes into a notification; plan_notifications_by_kind drops the
    author and anyone who blocked them, and plans every kind with one query (compiled once per
    shape: notifications.actions, docs/performance.md round 7)."""
    thread = post.thread
    audiences: list[tuple[NotificationKind, list[int]]] = []
    told: set[int] = {post.author_id}
    if parent is not None and parent.author_id not in told:
        audiences.append((NotificationKind.REPLY, [parent.author_id]))
        told.add(parent.author_id)
    mention_ids = [person.pk for person in mentioned if person.pk not in told]
    if mention_ids:
        audiences.append((NotificationKind.MENTION, mention_ids))
        told.update(mention_ids)
    if thread.kind == ThreadKind.CIRCLE and thread.circle_id is not None:
        circle = Circle.objects.only("coach_id").get(pk=thread.circle_id)
        members = set(
            CircleMember.objects.filter(circle_id=thread.circle_id).values_list(
                "user_id", flat=True
            )
        )
        if circle.coach_id:
            members.add(circle.coach_id)
        others = sorted(members - told)
        if others:
            audiences.append((NotificationKind.CIRCLE, others))
    if not audiences:
        return []
    # Every kind in one plan: one query (recipients less blockers, with email choices and quiet
    # hours), not one a kind.
    return plan_notifications_by_kind(
        audiences=audiences,
        actor=post.author,
        actor_label=post.public_label,
        place=place_of(thread),
        url=post_link(post),
        target_id=post.public_id,
        pseudonymous=bool(post.pseudonym),
    )


def edit_post(post: Post, *, by: "User", body: str, mentioned: "Sequence[User]" = ()) -> Post:
    """Change a post's text, keeping the old text as a PostRevision; marks it edited. Only its
    author may edit it, and not once it is deleted or hidden (PostingError). The same text
    again changes nothing.

    `mentioned` is the people the new text mentions (`discussions.mentions.resolve_mentions`,
    which the caller ran: each can read the thread). Those whom no earlier version of the post
    mentioned (its text before this edit and its kept revisions, compared by name without
    case) get a mention notification, under the post's public label, in the edit's transaction;
    someone mentioned before is never told twice, however often the mention is taken out and
    put back. notify drops anyone who blocked the author, as for a new post."""
    if post.author_id != by.pk:
        raise PostingError("Only the person who wrote a post can edit it.")
    if post.is_deleted:
        raise PostingError("This post was deleted.")
    if post.is_hidden:
        raise PostingError("A moderator hid this post, so it cannot be edited.")
    text = _clean_body(body)
    if text == post.body:
        return post
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        PostRevision.objects.create(
            post=locked, body=locked.body, created_at=locked.edited_at or locked.created_at
        )
        earlier = [
            locked.body,
            *PostRevision.objects.filter(post=locked).values_list("body", flat=True),
        ]
        post.body = text
        post.body_html = render_post_html(text)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        newly = _newly_mentioned(mentioned, earlier=earlier)
        if newly:
            notify(
                kind=NotificationKind.MENTION,
                recipients=newly,
                actor=post.author,
                actor_label=post.public_label,
                place=place_of(post.thread),
                url=post_link(post),
                target_id=post.public_id,
                pseudonymous=bool(post.pseudonym),
            )
    return post


def _newly_mentioned(mentioned: "Sequence[User]", *, earlier: "Sequence[str]") -> list[int]:
    """Ids of the people in `mentioned` whose name no text in `earlier` mentions."""
    before = {name.casefold() for body in earlier for name in mentioned_names(body)}
    return [
        person.pk
        for person in mentioned
        if " ".join(person.full_name.split()).casefold() not in before
    ]


def delete_post(post: Post, *, by: "User") -> Post:
    """Delete one's own post: it stays as "This post was deleted" so replies stay readable;
    its text and earlier versions are erased. Deleting twice changes nothing."""
    if post.author_id != by.pk:
        raise PostingError("Only the person who wrote a post can delete it.")
    if post.is_deleted:
        return post
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.body = ""
        post.body_html = ""
        post.save(update_fields=["deleted_at", "body", "body_html"])
        PostRevision.objects.filter(post=post).delete()
        Reaction.objects.filter(post=post).delete()
    return post


# -- moderation hooks --------------------------------------------------------------------------


def hide_post(post: Post, *, by: "User", reason: str) -> Post:
    """Hide a post from everyone but its author (who sees `reason`) and the cohort's
    moderators. For the moderation app, which checks that `by` moderates the cohort
    (`discussions.models.is_moderator`) and writes its audit log. Hiding a hidden post again
    only updates the reason. Its stored HTML is cleared while it is hidden (the few who still
    see it get it rendered on the fly: discussions.threads.render_body)."""
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise PostingError("Say why the post is hidden: its author will read it.")
    post.hidden_at = post.hidden_at or timezone.now()
    post.hidden_reason = reason
    post.hidden_by = by
    post.body_html = ""
    post.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "body_html"])
    return post


def unhide_post(post: Post, *, by: "User") -> Post:
    """Show a hidden post again (the moderation app checks `by` and logs it), with its HTML
    stored again."""
    post.hidden_at = None
    post.hidden_reason = ""
    post.hidden_by = None
    post.body_html = "" if post.is_deleted else render_post_html(post.body)
    post.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "body_html"])
    return post


# -- reactions ---------------------------------------------------------------------------------


def react(post: Post, *, user: "User", kind: str, on: bool = True) -> bool:
    """Add (`on`) or take back one's reaction of `kind` to a post. Idempotent: reacting twice
    with the same kind changes nothing. Returns True when something changed. Refuses an unknown
    kind, one's own post, a deleted or hidden post (PostingError)."""
    if kind not in ReactionKind.values:
        raise PostingError("That is not one of the reactions you can give.")
    if post.is_deleted or post.is_hidden:
        raise PostingError("You can no longer react to this post.")
    if post.author_id == user.pk:
        raise PostingError("You cannot react to your own post.")
    if not on:
        deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        return bool(deleted)
    try:
        with transaction.atomic():
            _, created = Reaction.objects.get_or_create(
                post=post,
                user=user,
                kind=kind,
                defaults={"organization_id": post.organization_id},
            )
            if created:
                notify(
                    kind=NotificationKind.REACTION,
                    recipients=[post.author_id],
                    actor=user,
                    actor_label=user.full_name or str(user),
                    place=place_of(post.thread),
                    url=post_link(post),
                    target_id=post.public_id,
                )
    except IntegrityError:  # a double click raced us: the reaction is there
        return False
    return created


# -- drafts and read positions -----------------------------------------------------------------


def save_draft(thread: Thread, *, user: "User", key: str, body: str) -> Draft | None:
    """Keep what the person is typing (an empty text removes the draft). Bodies are cut at the
    post limit plus a little, so a draft never loses what the form will refuse with a message."""
    text = (body or "")[: MAX_POST_LENGTH + 1000]
    if not text.strip():
        Draft.objects.filter(user=user, thread=thread, key=key).delete()
        return None
    draft, _ = Draft.objects.update_or_create(
        user=user,
        thread=thread,
        key=key,
        defaults={"body": text, "organization_id": thread.organization_id},
    )
    return draft


def drafts_of(user: "User", thread: Thread) -> dict[str, str]:
    """The person's drafts in a thread, by place ("" for a new post, a parent's public id)."""
    return dict(Draft.objects.filter(user=user, thread=thread).values_list("key", "body"))


def mark_read(thread: Thread, *, user: "User", until: datetime | None) -> None:
    """Remember that the person has been shown the thread's posts up to `until` (never moves
    backwards). None (nothing shown) changes nothing."""
    if until is None:
        return
    updated = ReadPosition.objects.filter(user=user, thread=thread, seen_until__lt=until).update(
        seen_until=until, updated_at=timezone.now()
    )
    if not updated:
        ReadPosition.objects.get_or_create(
            user=user,
            thread=thread,
            defaults={"seen_until": until, "organization_id": thread.organization_id},
        )
