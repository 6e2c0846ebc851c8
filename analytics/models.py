"""Analytics' own tables: rollups of the learning record, kept by the task worker.

Nothing here is a person's content: each row counts what one learner did in one programme week
of one cohort, so the dashboards read a few thousand rows instead of millions of events. Only
`analytics.dashboard` reads them, and only through `rapport.policy.suppress_small_groups`: no
page shows a row.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from organizations.models import Organization, OrganizationScopedQuerySet
from rapport import policy

if TYPE_CHECKING:
    from accounts.models import User


class LearnerWeekQuerySet(OrganizationScopedQuerySet["LearnerWeek"]):
    def visible_to(self, user: "User | Any") -> "LearnerWeekQuerySet":
        """Rows about one person's activity: platform superusers only. Admins see them only as
        suppressed aggregates (`analytics.dashboard`), never row by row."""
        if policy.is_platform_superuser(user):
            return self
        return self.none()


class LearnerWeek(models.Model):
    """What one learner did in one programme week of one cohort (`Cohort.week_number_on` the
    UTC date of each event; week 0 is before the start).

    `events` counts every event of theirs in the cohort that week; `completions` the activities
    marked done less those marked not done; `video`, `audio`, `article` and `elearning` the
    events about an activity of that kind (plays, views, launches); `posts` their posts and
    replies. A row exists only for a week the learner did something: it is the "active" flag.
    Written only by `analytics.rollups.refresh`.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    week = models.PositiveSmallIntegerField()
    events = models.PositiveIntegerField(default=0)
    completions = models.IntegerField(default=0)
    video = models.PositiveIntegerField(default=0)
    audio = models.PositiveIntegerField(default=0)
    article = models.PositiveIntegerField(default=0)
    elearning = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)

    objects = LearnerWeekQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner", "week"], name="one_rollup_per_learner_week"
            )
        ]
        indexes = [models.Index(fields=["learner"])]

    def __str__(self) -> str:
        return f"{self.cohort_id}/{self.learner_id}/week {self.week}"


class RollupName(models.TextChoices):
    """The rollups that keep a high-water mark."""

    LEARNER_WEEK = "learner_week", "learner weeks"


class RollupMarkQuerySet(models.QuerySet["RollupMark"]):
    def visible_to(self, user: "User | Any") -> "RollupMarkQuerySet":
        """The refresh's bookkeeping: platform superusers only."""
        return self if policy.is_platform_superuser(user) else self.none()


class RollupMark(models.Model):
    """The high-water mark of a rollup: the largest `events.Event` id already counted.

    Advanced in the same transaction as the counts it covers, so a refresh killed midway
    leaves both as they were and the next run starts where the last committed batch ended.
    """

    name = models.CharField(max_length=40, unique=True, choices=RollupName.choices)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RollupMarkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"


class DashboardSnapshotQuerySet(OrganizationScopedQuerySet["DashboardSnapshot"]):
    def visible_to(self, user: "User | Any") -> "DashboardSnapshotQuerySet":
        """Platform superusers only: admins read a snapshot through their dashboard pages."""
        return self if policy.is_platform_superuser(user) else self.none()


class DashboardSnapshot(models.Model):
    """A programme dashboard's solved cells (`analytics.snapshots`): only counts that passed
    the small-group rule, by measure and group, as JSON; rebuilt after each rollup refresh
    that touched the programme's cohorts."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    objects = DashboardSnapshotQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.program_id} @ {self.built_at:%Y-%m-%d %H:%M}"


class ConnectionSnapshotQuerySet(OrganizationScopedQuerySet["ConnectionSnapshot"]):
    def visible_to(self, user: "User | Any") -> "ConnectionSnapshotQuerySet":
        """Platform superusers only: admins read the aggregates through the connections page,
        a coach the members of their own circles through the "not yet connected" page."""
        return self if policy.is_platform_superuser(user) else self.none()


class ConnectionSnapshot(models.Model):
    """A cohort's connections week by week as the page shows them (counts through the
    small-group rule), and the ids of its learners with no tie yet (for their circles'
    coaches only), computed by the worker (`analytics.connections.rebuild`) so that no page
    reads every reply and reaction of a cohort."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.OneToOneField("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    objects = ConnectionSnapshotQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.cohort_id} @ {self.built_at:%Y-%m-%d %H:%M}"
