"""The demo's notifications: what is waiting for the demo learner and coach when they sign in.

- Every learner of every cohort has the notice of their cohort's current week
  (cohorts.tasks.notify_new_weeks, exactly what the periodic job sends); the demo learner also
  has the earlier weeks' notices, read.
- The demo learner and coach hear about the conversations the demo seeded (demo.discussions):
  replies to their posts and reactions to them, with the time each happened, under the name the
  author posted as (a pseudonym stays a pseudonym). Only posts the person may read give rise to a
  notification: nobody hears of a post behind a respond-before-reveal gate they have not passed,
  since only their own posts are answered or reacted to.
- Notifications older than the learner's last visit are read; the newer ones are not. None of them
  is emailed: the demo starts with the inbox a person would have, not a burst of old emails.

discussions.actions notify as the demo's posts are written; those notifications are dated when
their post or reaction happened and marked as emailed then. The notifications are made here
only when none exist (a discussions app that does not notify).
"""

from datetime import UTC, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.urls import reverse

from accounts.models import User
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from cohorts.tasks import notify_new_weeks, week_notice_id
from discussions.actions import post_link
from discussions.models import Post, Reaction, ThreadKind
from notifications.actions import notify
from notifications.models import Notification, NotificationKind

CONVERSATION_KINDS = (NotificationKind.REPLY, NotificationKind.MENTION, NotificationKind.REACTION)


def _place(post: Post) -> str:
    thread = post.thread
    if thread.kind == ThreadKind.COMMUNITY:
        return "Community space"
    if thread.activity is not None:
        return f"Week {thread.activity.week.number} · {thread.activity.title}"[:200]
    return "Your circle"


def _label(post: Post) -> str:
    return post.pseudonym or post.author.full_name


def seed_notifications(cohort: Cohort, *, people: list[str], now: datetime) -> dict[str, int]:
    """New-week notices for every cohort, and conversation notifications in `cohort` for the
    people with these emails (the demo learner and coach). Returns counts by kind."""
    counts = {"new_week": notify_new_weeks(now=now)}
    Notification.objects.filter(kind=NotificationKind.NEW_WEEK).update(
        created_at=now, emailed_at=now
    )
    found = User.objects.filter(email__in=people, organization=cohort.organization)
    named = {u.pk: u for u in found}
    counts["earlier_weeks"] = _earlier_weeks(cohort, list(named), now=now)
    talk = Notification.objects.filter(
        organization=cohort.organization, kind__in=CONVERSATION_KINDS
    )
    if talk.exists():
        # discussions.actions notified as the demo's posts were written: date each notification
        # when its post or reaction happened, as already emailed, and read before the last visit.
        counts["conversation"] = _as_it_happened(talk)
        _read_before_last_visit(talk, now=now)
        return counts
    visible = Q(deleted_at__isnull=True, hidden_at__isnull=True)
    replies = (
        Post.objects.filter(visible, thread__cohort=cohort, parent__author_id__in=list(named))
        .exclude(author_id=F("parent__author_id"))
        .select_related("author", "parent", "thread__activity__week")
        .order_by("created_at")
    )
    made = 0
    for post in replies:
        made += _notify_at(
            post.created_at,
            kind=NotificationKind.REPLY,
            recipient=post.parent.author_id,  # type: ignore[union-attr]
            actor=post.author,
            label=_label(post),
            post=post,
        )
    counts["reply"] = made
    made = 0
    reactions = (
        Reaction.objects.filter(post__thread__cohort=cohort, post__author_id__in=list(named))
        .filter(post__deleted_at__isnull=True, post__hidden_at__isnull=True)
        .exclude(user_id=F("post__author_id"))
        .select_related("user", "post__author", "post__thread__activity__week")
        .order_by("created_at")
    )
    for reaction in reactions:
        made += _notify_at(
            reaction.created_at,
            kind=NotificationKind.REACTION,
            recipient=reaction.post.author_id,
            actor=reaction.user,
            label=reaction.user.full_name,
            post=reaction.post,
        )
    counts["reaction"] = made
    _read_before_last_visit(Notification.objects.filter(recipient__in=list(named)), now=now)
    return counts


def _read_before_last_visit(rows: "QuerySet[Notification]", *, now: datetime) -> None:
    """Read up to two days ago (the demo learner's last visit to the thread); newer is unread."""
    rows.filter(created_at__lt=now - timedelta(days=2), read_at__isnull=True).exclude(
        kind=NotificationKind.NEW_WEEK
    ).update(read_at=now - timedelta(days=2))


def _as_it_happened(rows: "QuerySet[Notification]") -> int:
    """Give each conversation notification the time of its post (a reaction's: the reaction's)
    and mark it emailed then, so the worker sends no email about the demo's past."""
    posts = {
        p.public_id: p
        for p in Post.objects.filter(public_id__in=rows.values("target_id")).only(
            "pk", "public_id", "created_at"
        )
    }
    reacted: dict[tuple[int, int | None], datetime] = {
        (r.post_id, r.user_id): r.created_at
        for r in Reaction.objects.filter(post__public_id__in=list(posts))
    }
    changed = 0
    for row in rows:
        post = posts.get(row.target_id) if row.target_id else None
        if post is None:
            continue
        when = post.created_at
        if row.kind == NotificationKind.REACTION:
            when = reacted.get((post.pk, row.actor_id), when)
        Notification.objects.filter(pk=row.pk).update(created_at=when, emailed_at=when)
        changed += 1
    return changed


def _earlier_weeks(cohort: Cohort, user_ids: list[int], *, now: datetime) -> int:
    """The notices of the weeks before the current one, each dated at the start of its week
    (UTC midnight: close enough for the demo) and read, as a learner who has been in the cohort
    since it started would have them. Only for the named people who learn in the cohort."""
    learners = list(
        Enrollment.objects.filter(
            cohort=cohort, user_id__in=user_ids, role=EnrollmentRole.LEARNER
        ).values_list("user_id", flat=True)
    )
    current = cohort.week_number_on(now.date())
    weeks = dict(cohort.program.weeks.values_list("number", "title"))
    made = 0
    for number in range(1, current):
        if number not in weeks:
            continue
        target = week_notice_id(cohort, number)
        made += notify(
            kind=NotificationKind.NEW_WEEK,
            recipients=learners,
            actor=None,
            actor_label="",
            place=f"{cohort.program.title} · Week {number}: {weeks[number]}"[:200],
            url=reverse("cohorts:week", args=[cohort.public_id, number]),
            target_id=target,
        )
        started = datetime.combine(cohort.week_starts_on(number), time(), tzinfo=UTC)
        Notification.objects.filter(target_id=target).update(
            created_at=started, emailed_at=started, read_at=started + timedelta(hours=9)
        )
    return made


def _notify_at(
    when: datetime,
    *,
    kind: NotificationKind,
    recipient: int,
    actor: User,
    label: str,
    post: Post,
) -> int:
    created = notify(
        kind=kind,
        recipients=[recipient],
        actor=actor,
        actor_label=label,
        place=_place(post),
        url=post_link(post),  # where the post is shown to the reader, as the app links it
        target_id=post.public_id,
    )
    # As it happened, and not emailed again now.
    Notification.objects.filter(recipient_id=recipient, target_id=post.public_id, kind=kind).update(
        created_at=when, emailed_at=when
    )
    return created
