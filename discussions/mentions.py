"""@mentions in posts: `@[Full Name]` names a person who can read the thread.

The brackets make a mention unambiguous whatever the name (spaces, accents, apostrophes). A
mention of someone who cannot read the thread (unknown, another cohort, another circle) is a
form error and nothing is posted (the text stays in the form and in the draft); a pseudonym
cannot be mentioned (that would tie it to a person). Rendered as bold `@Name`; the person is
notified through notifications.actions.notify, which drops anyone who blocked the author.
"""

import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Lower

from accounts.models import User
from circles.models import Circle, CircleMember
from cohorts.models import Enrollment
from discussions.models import Thread, ThreadKind

# `@[` + a name of 1 to 150 characters without brackets or line breaks + `]`.
MENTION = re.compile(r"@\[([^\[\]\n\r<>]{1,150})\]")
MAX_MENTIONS = 10


class MentionError(ValueError):
    """A mention that cannot be made, with the sentence to show on the form."""


def mentioned_names(body: str) -> list[str]:
    """The names mentioned in a post's source, in order, each once (compared without case)."""
    seen: dict[str, str] = {}
    for match in MENTION.finditer(body or ""):
        name = " ".join(match.group(1).split())
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def in_audience(thread: Thread, *, by_person: bool = False) -> Q:
    """The condition, on User, of being able to read the thread (Thread.visible_to, seen from
    the thread's side): a seat in its cohort, or for a circle thread being one of the circle's
    members or its coach; active, and of the thread's organisation (a seat left behind in an
    organisation the person has moved from counts for nothing).

    The same people either way; `by_person` changes only how the database finds them. False:
    the seats listed, then their people (`thread_audience`: right for walking the audience,
    `suggest_people`). True: each person found some other way has their seat checked
    (`EXISTS`, one index probe) — `resolve_mentions` finds people by name through the index on
    LOWER(full_name) and never walks the cohort's seats (docs/performance.md, round 7)."""
    if thread.kind == ThreadKind.CIRCLE:
        circle_id = thread.circle_id or 0
        members = CircleMember.objects.filter(circle_id=circle_id)
        if by_person:
            seated = Q(Exists(members.filter(user_id=OuterRef("pk")))) | Q(
                Exists(Circle.objects.filter(pk=circle_id, coach_id=OuterRef("pk")))
            )
        else:
            seated = Q(pk__in=members.values("user_id")) | Q(coached_circles=circle_id)
    else:
        seats = Enrollment.objects.filter(cohort_id=thread.cohort_id)
        if by_person:
            seated = Q(Exists(seats.filter(user_id=OuterRef("pk"))))
        else:
            seated = Q(pk__in=seats.values("user_id"))
    return seated & Q(is_active=True, organization_id=thread.organization_id)


def thread_audience(thread: Thread) -> Any:
    """The people who can read the thread (`in_audience`). A queryset of User."""
    return User.objects.filter(in_audience(thread))


MAX_SUGGESTIONS = 8


def suggest_people(thread: Thread, *, viewer: "User | Any", query: str) -> list[str]:
    """The names to offer as someone types `@query` in a post or reply box of `thread`: people
    of the thread's audience (`thread_audience`, the same rule a mention is checked against, so
    nobody else's name is ever offered) whose full name or one of its words starts with
    `query` (any case; an empty query offers the first names in alphabetical order), at most
    MAX_SUGGESTIONS, the viewer left out (a self-mention is ignored), each name once. One
    query, whatever the size of the cohort."""
    words = " ".join((query or "").split())
    people = thread_audience(thread).exclude(pk=getattr(viewer, "pk", None)).exclude(full_name="")
    if words:
        people = people.filter(
            Q(full_name__istartswith=words) | Q(full_name__icontains=" " + words)
        )
    names = people.order_by("full_name").values_list("full_name", flat=True).distinct()
    return list(names[:MAX_SUGGESTIONS])


def resolve_mentions(thread: Thread, body: str, *, author: "User | Any") -> list[User]:
    """The people a post mentions, or MentionError naming the first name nobody who can read
    the thread has (or a name two of them share). One query. Mentioning oneself is ignored."""
    names = mentioned_names(body)
    if not names:
        return []
    if len(names) > MAX_MENTIONS:
        raise MentionError(f"Mention at most {MAX_MENTIONS} people in one post.")
    # LOWER(full_name) IN (LOWER(%s), …): one search of accounts' index on LOWER(full_name)
    # (migration 0008), the database folding both sides the same way (SQLite: ASCII letters, as
    # its LIKE did for `iexact`; PostgreSQL: Unicode), then each person's seat checked — not the
    # cohort's 4,500 seats walked and each name compared.
    lowered = User.objects.alias(lowered_name=Lower("full_name"))
    matching = lowered.filter(
        in_audience(thread, by_person=True),
        lowered_name__in=[Lower(Value(name)) for name in names],
    )
    found: dict[str, list[User]] = {}
    for person in matching.only("id", "full_name", "public_id"):
        found.setdefault(person.full_name.casefold(), []).append(person)
    people: list[User] = []
    for name in names:
        matches = found.get(name.casefold(), [])
        if not matches:
            raise MentionError(
                f"Nobody called “{name}” can read this discussion, so they cannot be mentioned. "
                "Check the name, or take away the @[ ] around it."
            )
        if len(matches) > 1:
            raise MentionError(
                f"More than one person here is called “{name}”: say who you mean in words instead."
            )
        if matches[0].pk != getattr(author, "pk", None):
            people.append(matches[0])
    return people


def highlight_mentions(html: str) -> str:
    """Mentions as bold `@Name` in a post's HTML (before sanitising: the result goes through
    nh3 like the rest, so a mention inside an attribute cannot break out of it)."""
    return MENTION.sub(lambda m: f"<strong>@{m.group(1)}</strong>", html)
