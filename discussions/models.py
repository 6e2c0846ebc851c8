"""Threads per discussion prompt, circle and cohort community space: posts, replies, reactions,
drafts and read positions.

THE rule is `PostQuerySet.visible_to(user)` (docs/permissions.md, "Discussions"): every page,
fragment, notification link, count and export reaches posts through it, so the
respond-before-reveal gate and hidden posts are enforced in the query layer, not in templates.

- A thread is visible (`ThreadQuerySet.visible_to`) to the people with a seat (learner, coach or
  expert) in its cohort; a circle thread only to the members and the coach of its published
  circle. Designers
  and organisation admins do not read threads: a moderator reaches a reported post through the
  moderation queue (moderation's `Report.objects.visible_to`), and hides it through
  `discussions.actions.hide_post`.
- On a prompt set to *respond before you see others* (`Activity.respond_before_reveal`), a
  person sees other people's posts only once they have posted in that thread themselves
  (a post later deleted or hidden still counts: they answered); the cohort's moderators
  (`is_moderator`) are never gated.
- A hidden post is visible only to its author (with the reason) and the cohort's moderators.
- A deleted post stays in the thread as a tombstone, so replies stay readable; its text is
  never shown again (the page shows "This post was deleted").
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMember
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.models import Organization, OrganizationScopedQuerySet
from programs.models import Activity
from rapport import policy
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User

# The longest post, in characters of Markdown source.
MAX_POST_LENGTH = 10_000
# The longest pseudonym a person may post under.
MAX_PSEUDONYM_LENGTH = 40


def is_moderator(user: "User | Any", cohort: Cohort) -> bool:
    """Whether the person moderates the cohort's discussions: an enrolled coach of the cohort,
    or an admin (Role.ADMIN) of its organisation; platform superusers too. Costs one query for
    people who are not admins (their coach seat), none otherwise. Moderators are never gated by
    respond-before-reveal and see hidden posts (with their reason) in threads they can read;
    admins read no thread, and act on reported posts through the moderation queue."""
    if policy.is_platform_superuser(user):
        return True
    membership = policy.membership_of(user)
    if membership is None or membership.organization_id != cohort.organization_id:
        return False
    if membership.role == policy.Role.ADMIN:
        return True
    return Enrollment.objects.filter(user=user, cohort=cohort, role=EnrollmentRole.COACH).exists()


def _coached_cohorts(user: "User | Any") -> Any:
    """The ids of the cohorts the person coaches (as a subquery)."""
    return Enrollment.objects.filter(user=user, role=EnrollmentRole.COACH).values("cohort_id")


class ThreadKind(models.TextChoices):
    ACTIVITY = "activity", _("Discussion prompt")
    CIRCLE = "circle", _("Circle")
    COMMUNITY = "community", _("Community space")


class ThreadQuerySet(OrganizationScopedQuerySet["Thread"]):
    def visible_to(self, user: "User | Any") -> "ThreadQuerySet":
        """Threads of the person's organisation in a cohort where they have a seat (learner,
        coach or expert); a circle thread only when they are one of the circle's members or its
        coach. Designers and admins read no thread (moderation reaches reported posts another
        way); platform superusers all; anyone else none."""
        mine: ThreadQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.membership_of(user) is None:
            return mine
        seated = Enrollment.objects.filter(user=user).values("cohort_id")
        return mine.filter(
            (~Q(kind=ThreadKind.CIRCLE) & Q(cohort_id__in=seated))
            | Q(kind=ThreadKind.CIRCLE, circle_id__in=readable_circles(user))
        )

    def with_seat_of(self, user: "User | Any") -> "ThreadQuerySet":
        """Each thread with `seat_role`: the person's enrollment role in the thread's cohort
        (`EnrollmentRole`), None when they have no seat there. For a thread of a cohort (not a
        circle's) and a person who is not a platform superuser, `visible_to`'s rule is then
        "of their organisation, and `seat_role` is not None" (discussions.access
        .get_thread_for_user asks it that way: cheaper to build than visible_to's subqueries;
        discussions/tests/test_thread_fast_path.py compares the two for every persona)."""
        seat = Enrollment.objects.filter(user=user, cohort_id=OuterRef("cohort_id"))
        return self.annotate(seat_role=Subquery(seat.values("role")[:1]))

    def with_read_position_of(self, user: "User | Any") -> "ThreadQuerySet":
        """Each thread with `read_until`: how far the person has read it
        (`ReadPosition.seen_until`), None when they never opened it. Their own row only: the
        thread page reads it with the thread instead of in a query of its own."""
        position = ReadPosition.objects.filter(user=user, thread_id=OuterRef("pk"))
        return self.annotate(read_until=Subquery(position.values("seen_until")[:1]))


def readable_circles(user: "User | Any") -> Any:
    """The published circles whose thread the person reads (a subquery of ids): those they are a
    member of and those they coach, the rule of circles.models.circle_ids_of. Admins manage
    circles but read no circle's thread."""
    member = CircleMember.objects.filter(circle=OuterRef("pk"), user=user)
    return Circle.objects.published().filter(Q(coach=user) | Exists(member)).values("pk")


class Thread(models.Model):
    """Where a conversation happens: one per discussion-prompt activity and cohort, one per
    circle, and the cohort's community space. Created on first need
    (`discussions.actions.thread_for_activity`, `community_thread`, `circle_thread`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="threads")
    kind = models.CharField(max_length=16, choices=ThreadKind.choices)
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every top-level post ever made in the thread (deleted and hidden ones included: a deleted
    # post stays as a tombstone), kept by `discussions.actions.create_post` in the post's own
    # transaction. The thread page counts its pages from it instead of counting posts
    # (docs/performance.md); the viewer's hidden posts are taken off with one indexed query.
    top_level_posts = models.PositiveIntegerField(default=0, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "activity"],
                condition=Q(kind="activity"),
                name="one_thread_per_prompt_and_cohort",
            ),
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(kind="community"),
                name="one_community_space_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(kind="activity", activity__isnull=False)
                | (~Q(kind="activity") & Q(activity__isnull=True)),
                name="activity_threads_have_an_activity",
            ),
            models.UniqueConstraint(
                fields=["circle"], condition=Q(kind="circle"), name="one_thread_per_circle"
            ),
            models.CheckConstraint(
                condition=Q(kind="circle", circle__isnull=False)
                | (~Q(kind="circle") & Q(circle__isnull=True)),
                name="circle_threads_have_a_circle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} thread in {self.cohort_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)

    @property
    def is_community(self) -> bool:
        """The cohort's community space (templates ask this rather than compare kinds)."""
        return self.kind == ThreadKind.COMMUNITY

    @property
    def respond_before_reveal(self) -> bool:
        """Whether people must post before they see others' posts (the prompt's setting)."""
        return self.activity is not None and self.activity.respond_before_reveal

    @property
    def allows_pseudonyms(self) -> bool:
        """Whether people may post under a pseudonym here (the prompt's setting)."""
        return self.activity is not None and self.activity.allow_pseudonyms


class PostQuerySet(OrganizationScopedQuerySet["Post"]):
    def visible_to(self, user: "User | Any") -> "PostQuerySet":
        """THE rule for posts (the module's docstring says it in words):

        - the thread is visible (ThreadQuerySet.visible_to);
        - respond-before-reveal: on a gated prompt, someone else's post only once the person
          has posted in that thread (any post of theirs, even deleted or hidden), unless they
          coach the cohort;
        - hidden posts only to their author and to the cohort's coaches.

        Platform superusers see all. Used by every getter and page of this app, and by
        moderation and notifications for anything that shows or counts posts.
        """
        mine: PostQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.membership_of(user) is None:
            return mine
        coached = _coached_cohorts(user)
        answered = Post.objects.filter(thread_id=OuterRef("thread_id"), author=user)
        ungated = (
            Q(author=user)
            | Q(thread__activity__isnull=True)
            | Q(thread__activity__respond_before_reveal=False)
            | Q(thread__cohort_id__in=coached)
            | Exists(answered)
        )
        shown = Q(hidden_at__isnull=True) | Q(author=user) | Q(thread__cohort_id__in=coached)
        return mine.filter(thread__in=Thread.objects.visible_to(user)).filter(ungated, shown)

    def visible_in_thread(
        self, thread: "Thread", user: "User | Any", *, sees_all: bool, answered: bool
    ) -> "PostQuerySet":
        """`visible_to(user)` for the posts of one thread the person reads, in a form the
        database answers from the thread's index instead of row by row (the thread page's
        queries, docs/performance.md): the thread's visibility and the gate are decided here,
        once, not per post.

        Precondition: `thread` came through `discussions.access` (Thread.visible_to), and
        - `sees_all` is whether the rule lets the person see every post of the thread: a
          platform superuser, or a coach of the thread's cohort (`coaches_cohort`; not an admin
          without a coach seat, whom visible_to does not exempt);
        - `answered` is whether they have posted in the thread (`has_answered`), asked only
          on a respond-before-reveal prompt.

        The same rows as `visible_to(user).filter(thread=thread)` for every person
        (discussions/tests/test_visibility.py compares the two for every persona)."""
        posts = self.filter(thread=thread)
        if sees_all:
            return posts
        if thread.respond_before_reveal and not answered:
            # Gated: only their own posts, and having none is what "not answered" means.
            return posts.filter(author=user)
        return posts.filter(Q(hidden_at__isnull=True) | Q(author=user))


def known_seat(thread: "Thread", user: "User | Any") -> tuple[bool, str | None]:
    """Whether the person's seat in the thread's cohort is known without a query, and it (an
    `EnrollmentRole`, or None for no seat): known when the thread was loaded for this very
    person by discussions.access.get_thread_for_user (`ThreadQuerySet.with_seat_of`)."""
    seat = getattr(thread, "seat_of", None)
    if seat is None or seat[0] != getattr(user, "pk", None):
        return False, None
    return True, seat[1]


def known_read_position(thread: "Thread", user: "User | Any") -> tuple[bool, Any]:
    """Whether the person's read position in the thread is known without a query, and it (the
    `seen_until` datetime, or None when they never opened it): known when the thread was
    loaded for this very person by discussions.access.get_thread_for_user with
    `with_read_position` (`ThreadQuerySet.with_read_position_of`)."""
    known = getattr(thread, "read_position_of", None)
    if known is None or known[0] != getattr(user, "pk", None):
        return False, None
    return True, known[1]


def coaches_thread_cohort(user: "User | Any", thread: "Thread") -> bool:
    """`coaches_cohort(user, thread.cohort_id)`, without its query when the person's seat came
    with the thread (`known_seat`)."""
    known, role = known_seat(thread, user)
    if known and not policy.is_platform_superuser(user):
        return role == EnrollmentRole.COACH
    return coaches_cohort(user, thread.cohort_id)


def moderates_thread(user: "User | Any", thread: "Thread") -> bool:
    """`is_moderator(user, thread.cohort)`, without its query when the person's seat came with
    the thread (`known_seat`)."""
    known, role = known_seat(thread, user)
    membership = policy.membership_of(user)
    if (
        known
        and membership is not None
        and membership.role != policy.Role.ADMIN
        and membership.organization_id == thread.cohort.organization_id
        and not policy.is_platform_superuser(user)
    ):
        return role == EnrollmentRole.COACH
    return is_moderator(user, thread.cohort)


def coaches_cohort(user: "User | Any", cohort_id: int) -> bool:
    """Whether `Post.visible_to` lets the person see every post of the cohort's threads: a
    platform superuser, or someone with a coach seat in the cohort. One query (none for a
    superuser). Unlike `is_moderator`, an organisation admin without a coach seat is not
    exempt: admins reach posts through the moderation queue."""
    if policy.is_platform_superuser(user):
        return True
    return Enrollment.objects.filter(
        user=user, cohort_id=cohort_id, role=EnrollmentRole.COACH
    ).exists()


class Post(models.Model):
    """One post or reply in a thread. `body` is the Markdown source (sanitised when rendered,
    never trusted); `pseudonym` is the name shown to peers when the prompt allows one (blank:
    the author's real name), the real author kept for moderators only.

    A deleted post (`deleted_at`) keeps its row so replies stay readable; its text is never
    shown again. A hidden post (`hidden_at`, set by moderators through
    `discussions.actions.hide_post`) is seen only by its author, with `hidden_reason`, and by
    the cohort's moderators."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(max_length=MAX_POST_LENGTH)
    # `body` rendered and sanitised (`discussions.threads.render_post_html`), written with it by
    # every action that changes it, so that a page does not render Markdown for each post it
    # shows. Empty for a deleted or erased post (like `body`) and while a post is hidden (its
    # author and the moderators then see it rendered on the fly).
    body_html = models.TextField(blank=True, default="", editable=False)
    pseudonym = SingleLineCharField(max_length=MAX_PSEUDONYM_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = SingleLineCharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Every reply ever made to this post, when it is a top-level post (deleted and hidden
    # replies included: their rows stay), kept by `discussions.actions.create_post` in the
    # reply's own transaction, like `Thread.top_level_posts`: its pages of replies count their
    # pages from it instead of counting replies (`discussions.threads.load_reply_page`,
    # docs/performance.md). 0 on a reply. A database default too, so rows inserted without it
    # (bench/thread_page.py's seed) start at 0.
    reply_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "parent", "created_at"]),
            models.Index(fields=["thread", "author"]),
            # The few hidden posts of a thread, which the page takes off its top-level count.
            models.Index(
                fields=["thread", "parent"],
                condition=Q(hidden_at__isnull=False),
                name="discussions_post_hidden",
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.thread.organization_id
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def label_for(self, viewer: "User | Any", *, moderator: bool = False) -> str:
        """The name to show `viewer` for this post's author: the pseudonym for peers, the real
        name (with the pseudonym) for the author and moderators (`author_label`)."""
        return author_label(
            pseudonym=self.pseudonym,
            full_name=self.author.full_name,
            fallback=str(self.author),
            mine=self.author_id == getattr(viewer, "pk", None),
            moderator=moderator,
        )

    @property
    def public_label(self) -> str:
        """The name peers see: the pseudonym, or the author's real name."""
        return self.pseudonym or self.author.full_name or str(self.author)


def author_label(
    *, pseudonym: str, full_name: str, fallback: str, mine: bool, moderator: bool
) -> str:
    """THE rule for the name a post's author is shown under (`Post.label_for`, and the thread
    page, which reads posts as rows): without a pseudonym the author's `full_name` (or
    `fallback`, their email, when they have none); with one, the pseudonym for peers and the
    pseudonym with the real name for the author (`mine`) and for moderators."""
    if not pseudonym:
        return full_name or fallback
    if moderator or mine:
        return f"{pseudonym} ({full_name})"
    return pseudonym


class PostRevisionQuerySet(OrganizationScopedQuerySet["PostRevision"]):
    def visible_to(self, user: "User | Any") -> "PostRevisionQuerySet":
        """A post's earlier versions: its author's, and the cohort's moderators' (coaches) for
        posts they can see."""
        mine: PostRevisionQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.membership_of(user) is None:
            return mine
        visible = Post.objects.visible_to(user)
        return mine.filter(post__in=visible).filter(
            Q(post__author=user) | Q(post__thread__cohort_id__in=_coached_cohorts(user))
        )


class PostRevision(models.Model):
    """A post's text before an edit, kept so that the history can be read by the author and
    the cohort's moderators."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=MAX_POST_LENGTH)
    created_at = models.DateTimeField(help_text=_("When this text was written."))
    replaced_at = models.DateTimeField(auto_now_add=True)

    objects = PostRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["post", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of {self.post_id} at {self.replaced_at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.post.organization_id
        super().save(*args, **kwargs)


class ReactionKind(models.TextChoices):
    """The small, warm vocabulary people answer a post with, instead of likes."""

    THANKS = "thanks", _("Thank you")
    RELATE = "relate", _("I relate")
    HELPED = "helped", _("This helped me")
    THINK = "think", _("Made me think")


class ReactionQuerySet(OrganizationScopedQuerySet["Reaction"]):
    def visible_to(self, user: "User | Any") -> "ReactionQuerySet":
        """Reactions on the posts the person can see (Post.visible_to)."""
        mine: ReactionQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.membership_of(user) is None:
            return mine
        return mine.filter(post__in=Post.objects.visible_to(user))


class Reaction(models.Model):
    """One person's reaction of one kind to one post (at most one of each kind)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReactionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "kind"], name="one_reaction_of_a_kind_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.post.organization_id
        super().save(*args, **kwargs)


class OwnRowQuerySet[M: models.Model](OrganizationScopedQuerySet[M]):
    def visible_to(self, user: "User | Any") -> "OwnRowQuerySet[M]":
        """A person's own rows only (in their current organisation); platform superusers all."""
        mine: OwnRowQuerySet[M] = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.membership_of(user) is None:
            return mine
        return mine.filter(user=user)  # type: ignore[return-value]


class Draft(models.Model):
    """What someone is typing in a thread, saved as they type so that nothing is lost: one per
    person, thread and place (`key`: "" for a new post, the parent post's public id for a
    reply). Cleared when the post is sent. Only its author ever sees it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    key = SingleLineCharField(max_length=36, blank=True)
    body = models.TextField(max_length=MAX_POST_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnRowQuerySet["Draft"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread", "key"], name="one_draft_per_place")
        ]

    def __str__(self) -> str:
        return f"Draft by {self.user_id} in {self.thread_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.thread.organization_id
        super().save(*args, **kwargs)


class ReadPosition(models.Model):
    """How far someone has read a thread: the newest post's time they have been shown
    (`seen_until`), so the next visit marks what is new and opens where they left off."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    seen_until = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnRowQuerySet["ReadPosition"].as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="one_read_position")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} until {self.seen_until}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.thread.organization_id
        super().save(*args, **kwargs)
