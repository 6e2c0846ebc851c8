"""Missions and the reflection journal (issue 8): what a learner writes about their own
experience, private by default and shared at the level they choose (`rapport.policy.Visibility`).

THE rule is `EntryQuerySet.visible_to(user)` (docs/permissions.md, "Reflections"): the journal,
an entry's page, "Shared with me", the circle panel and every count reach entries through it.

- The author always sees their own entries.
- `coach`: the coach of the author's seat in the entry's cohort (`Enrollment.coach`), for as
  long as they are that coach.
- `circle`: the members and the coach of the published circle named on the entry, for as long
  as the author is still one of its members.
- `cohort`: everyone with a seat (learner, coach, expert) in the entry's cohort.
- Nobody else: not the organisation's admins or designers, not platform superusers (what a
  person writes about themselves is never an operator's to read).
- An entry hidden by the moderators (`hidden_at`: someone reported it and a moderator agreed,
  through `moderation`) is its author's alone, whatever it is shared at, until a moderator shows
  it again; the author reads the reason (`hidden_reason`).

A mission plan, a draft and the access log are their author's alone. Every piece of text a
person types here is a `ConfidentialTextField`, encrypted at rest.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, CircleMember, CircleState
from cohorts.models import Cohort, Enrollment
from organizations.models import Organization, OrganizationScopedQuerySet
from programs.models import Activity
from rapport import policy
from rapport.lib.crypto import ConfidentialTextField
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User

# The longest answer to one prompt, in characters.
MAX_ANSWER_LENGTH = 5_000
# The longest free entry's title and mission plan's "with whom".
MAX_TITLE_LENGTH = 200
MAX_WITH_WHOM_LENGTH = 300

Visibility = policy.Visibility
# The levels a journal entry may be shared at (the organisation level is not offered here).
ENTRY_VISIBILITIES = (Visibility.PRIVATE, Visibility.COACH, Visibility.CIRCLE, Visibility.COHORT)
# The levels at which an entry is read by a group, and so may be reported to the moderators
# (`moderation.targets.entry_target`). An entry shared with the author's coach only is a
# one-to-one confidence, like a coaching message: it is not reportable (docs/permissions.md).
GROUP_VISIBILITIES = (Visibility.CIRCLE, Visibility.COHORT)
# The longest reason a moderator gives for hiding an entry (the author reads it).
MAX_HIDDEN_REASON_LENGTH = 500


class EntryKind(models.TextChoices):
    """Where a journal entry comes from."""

    MISSION = "mission", _("Mission reflection")
    EXPERIENCE = "experience", _("Connected to my experience")
    FREE = "free", _("Journal entry")


def _own_rows(queryset: Any, user: "User | Any", field: str) -> Any:
    """Rows whose `field` is the person, in their current organisation; none for anyone else
    (no platform superuser reads another person's plans, drafts or access log)."""
    membership = policy.membership_of(user)
    if membership is None:
        return queryset.none()
    return queryset.filter(organization_id=membership.organization_id, **{field: user})


class EntryQuerySet(OrganizationScopedQuerySet["Entry"]):
    def visible_to(self, user: "User | Any") -> "EntryQuerySet":
        """THE rule for journal entries (the module's docstring says it in words). Built in one
        query with subqueries; no platform-superuser exception."""
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        mine = self.filter(organization_id=membership.organization_id)
        seated = Enrollment.objects.filter(user=user).values("cohort_id")
        viewer_in_circle = CircleMember.objects.filter(circle=OuterRef("circle_id"), user=user)
        author_in_circle = CircleMember.objects.filter(
            circle=OuterRef("circle_id"), user=OuterRef("author_id")
        )
        circle = (
            Q(visibility=Visibility.CIRCLE, circle__state=CircleState.PUBLISHED)
            & (Q(circle__coach=user) | Exists(viewer_in_circle))
            & Exists(author_in_circle)
        )
        shared = (
            Q(visibility=Visibility.COACH, enrollment__coach=user)
            | circle
            | Q(visibility=Visibility.COHORT, cohort_id__in=seated)
        )
        return mine.filter(Q(author=user) | (Q(hidden_at__isnull=True) & shared))

    def shared_with(self, user: "User | Any") -> "EntryQuerySet":
        """What others shared that the person may read (their own entries left out)."""
        return self.visible_to(user).exclude(author=user)


class Entry(models.Model):
    """One journal entry: a mission reflection (the four prompts), a reflection connecting an
    activity to the person's own experience, or a free entry (a title and a body).

    `enrollment` is the author's seat: it names the cohort (whose people a `cohort` entry is
    shared with) and the coach (`Enrollment.coach`). `circle` is set exactly when the entry is
    shared with a circle. `shared_at` is when it was last shared beyond its author.
    `hidden_at` is set while the moderators hide it (then only its author reads it, with
    `hidden_reason`; written by `reflections.actions.hide_entry` for the moderation app)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    visibility = models.CharField(
        max_length=16,
        choices=[(v.value, v.label) for v in ENTRY_VISIBILITIES],
        default=Visibility.PRIVATE,
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title: str = ConfidentialTextField(max_length=MAX_TITLE_LENGTH, blank=True)  # type: ignore[assignment]
    body: str = ConfidentialTextField(max_length=MAX_ANSWER_LENGTH, blank=True)  # type: ignore[assignment]
    happened: str = ConfidentialTextField(max_length=MAX_ANSWER_LENGTH, blank=True)  # type: ignore[assignment]
    noticed: str = ConfidentialTextField(max_length=MAX_ANSWER_LENGTH, blank=True)  # type: ignore[assignment]
    learned: str = ConfidentialTextField(max_length=MAX_ANSWER_LENGTH, blank=True)  # type: ignore[assignment]
    next_step: str = ConfidentialTextField(max_length=MAX_ANSWER_LENGTH, blank=True)  # type: ignore[assignment]
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = SingleLineCharField(max_length=MAX_HIDDEN_REASON_LENGTH, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "entries"
        constraints = [
            # One mission reflection and one "connect it" reflection per seat and activity:
            # a second submit edits the first.
            models.UniqueConstraint(
                fields=["enrollment", "activity", "kind"],
                condition=Q(activity__isnull=False),
                name="one_reflection_per_activity_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="free", activity__isnull=True)
                | (~Q(kind="free") & Q(activity__isnull=False)),
                name="entries_on_activities_have_one",
            ),
            models.CheckConstraint(
                condition=Q(visibility="circle", circle__isnull=False)
                | (~Q(visibility="circle") & Q(circle__isnull=True)),
                name="circle_entries_name_their_circle",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["cohort", "visibility"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)

    @property
    def is_shared(self) -> bool:
        return self.visibility != Visibility.PRIVATE

    @property
    def is_shared_with_a_group(self) -> bool:
        """Shared with a circle or the cohort: read by a group, and so reportable."""
        return self.visibility in GROUP_VISIBILITIES

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def heading(self) -> str:
        """What the entry is called: the activity's title (programme content) for reflections
        on an activity, the author's own title for a free entry (confidential: shown only to
        people who may read the entry)."""
        if self.activity_id is not None:
            return self.activity.title  # type: ignore[union-attr]
        return self.title or str(_("Untitled entry"))

    @property
    def public_heading(self) -> str:
        """A name for the entry that holds nothing the author typed (for notifications and
        the access log's rows seen by others): the activity's title or "A journal entry"."""
        if self.activity_id is not None:
            return self.activity.title  # type: ignore[union-attr]
        return str(_("A journal entry"))

    def answers(self) -> list[tuple[str, str]]:
        """(prompt, answer) pairs to show, in order, empty answers left out."""
        pairs = (
            [
                (str(_("What happened")), self.happened),
                (str(_("What I noticed in myself")), self.noticed),
                (str(_("What I learned")), self.learned),
                (str(_("What I will do next")), self.next_step),
            ]
            if self.kind == EntryKind.MISSION
            else [(str(_("My reflection")), self.body)]
        )
        return [(prompt, text) for prompt, text in pairs if text]


class MissionPlanQuerySet(OrganizationScopedQuerySet["MissionPlan"]):
    def visible_to(self, user: "User | Any") -> "MissionPlanQuerySet":
        """A mission plan is its author's alone."""
        return _own_rows(self, user, "author")  # type: ignore[no-any-return]


class MissionPlan(models.Model):
    """A learner's plan for an offline mission: when (`planned_for`, stored in UTC, typed in
    `time_zone`), with whom (a description, never a person picked from the organisation) and
    what they will try. `reminded_at` is set once the reminder went out (exactly once per planned
    time: moving the time re-arms it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    planned_for = models.DateTimeField()
    time_zone = SingleLineCharField(max_length=64)
    with_whom: str = ConfidentialTextField(max_length=MAX_WITH_WHOM_LENGTH, blank=True)  # type: ignore[assignment]
    what_i_will_try: str = ConfidentialTextField(max_length=MAX_ANSWER_LENGTH)  # type: ignore[assignment]
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MissionPlanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "activity"], name="one_plan_per_mission")
        ]
        indexes = [
            models.Index(
                fields=["planned_for"],
                condition=Q(reminded_at__isnull=True),
                name="mission_reminder_due",
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.enrollment.organization_id
        super().save(*args, **kwargs)


class EntryViewQuerySet(OrganizationScopedQuerySet["EntryView"]):
    def visible_to(self, user: "User | Any") -> "EntryViewQuerySet":
        """The access log is the author's: views of their own entries, nobody else's."""
        return _own_rows(self, user, "entry__author")  # type: ignore[no-any-return]


class EntryView(models.Model):
    """Someone other than the author opened a shared entry (viewer, entry, when; no text)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EntryViewQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["entry", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} viewed {self.entry_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.entry.organization_id
        super().save(*args, **kwargs)


class JournalDraftQuerySet(OrganizationScopedQuerySet["JournalDraft"]):
    def visible_to(self, user: "User | Any") -> "JournalDraftQuerySet":
        """A draft is its author's alone."""
        return _own_rows(self, user, "user")  # type: ignore[no-any-return]


class JournalDraft(models.Model):
    """What someone is typing in one of this app's forms, saved as they type: one per person
    and place (`key`, see reflections.forms.DRAFT_KEY), the form's fields as a JSON object,
    encrypted. Cleared when the form is saved."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = SingleLineCharField(max_length=100)
    fields: str = ConfidentialTextField(max_length=60_000, blank=True)  # type: ignore[assignment]
    updated_at = models.DateTimeField(auto_now=True)

    objects = JournalDraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_journal_draft_per_place")
        ]

    def __str__(self) -> str:
        return f"Draft {self.key} of {self.user_id}"
