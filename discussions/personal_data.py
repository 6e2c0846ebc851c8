"""What a person wrote and did in discussions, for their export and erasure
(`accounts.personal_data`): their posts and replies with earlier versions, drafts, the
reactions they gave and how far they have read. Never what others wrote."""

from typing import Any

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import iso, label_of
from discussions.actions import place_of
from discussions.models import Draft, Post, PostRevision, Reaction, ReactionKind, ReadPosition

# What `place_of` reads of a thread, fetched with the row.
_THREAD = ("thread__activity__week", "thread__circle", "thread__cohort")


def export_discussions(user: User) -> list[dict[str, Any]]:
    """Rows with a `type`: each post or reply the person wrote (where, its text and pseudonym,
    when written, edited, deleted, whether moderators hid it and the reason they gave the
    author), the earlier versions of their edited posts, their drafts, the reactions they gave
    (which kind, on which post by its opaque id: never its author) and their read positions.
    Five queries."""
    rows: list[dict[str, Any]] = [
        {
            "type": "reply" if post.parent_id else "post",
            "id": str(post.public_id),
            "place": place_of(post.thread),
            "text": post.body,
            "pseudonym": post.pseudonym,
            "created_at": iso(post.created_at),
            "edited_at": iso(post.edited_at),
            "deleted_at": iso(post.deleted_at),
            "hidden_reason": post.hidden_reason if post.hidden_at else "",
        }
        for post in Post.objects.filter(author=user).select_related(*_THREAD)
    ]
    rows += [
        {
            "type": "earlier version",
            "post": str(revision.post.public_id),
            "text": revision.body,
            "written_at": iso(revision.created_at),
            "replaced_at": iso(revision.replaced_at),
        }
        for revision in PostRevision.objects.filter(post__author=user)
        .select_related("post")
        .order_by("post_id", "created_at", "id")
    ]
    rows += [
        {
            "type": "draft",
            "place": place_of(draft.thread),
            "text": draft.body,
            "updated_at": iso(draft.updated_at),
        }
        for draft in Draft.objects.filter(user=user).select_related(*_THREAD).order_by("id")
    ]
    rows += [
        {
            "type": "reaction",
            "reaction": label_of(ReactionKind, reaction.kind),
            "post": str(reaction.post.public_id),
            "place": place_of(reaction.post.thread),
            "created_at": iso(reaction.created_at),
        }
        for reaction in Reaction.objects.filter(user=user)
        .select_related("post", *(f"post__{path}" for path in _THREAD))
        .order_by("created_at", "id")
    ]
    rows += [
        {
            "type": "read position",
            "place": place_of(position.thread),
            "seen_until": iso(position.seen_until),
        }
        for position in ReadPosition.objects.filter(user=user)
        .select_related(*_THREAD)
        .order_by("id")
    ]
    return rows


def erase_discussions(user: User) -> int:
    """Every post and reply of the person becomes "This post was deleted", as
    `discussions.actions.delete_post` leaves it (text, its stored HTML and pseudonym emptied,
    earlier versions and the reactions on it deleted), so replies by others keep their place;
    their drafts, the reactions they gave and their read positions are deleted. Statements
    about their posts stay in the event log, anonymous (`events.personal_data`). Returns the
    rows changed or deleted."""
    count = PostRevision.objects.filter(post__author=user).delete()[0]
    count += Reaction.objects.filter(post__author=user).delete()[0]
    count += Reaction.objects.filter(user=user).delete()[0]
    count += Draft.objects.filter(user=user).delete()[0]
    count += ReadPosition.objects.filter(user=user).delete()[0]
    count += Post.objects.filter(author=user).update(
        body="",
        body_html="",
        pseudonym="",
        deleted_at=Coalesce("deleted_at", Value(timezone.now())),
    )
    return count
