"""Peer circles of 5-7 learners in a cohort: formation, review, publication, each circle's page.

A `Circle` belongs to one cohort; its `CircleMember` rows are its learners (each through their
seat, `cohorts.Enrollment`). An admin forms circles as a *draft* (only admins see drafts), reviews
and adjusts them, then publishes them: from then on each member and the circle's coach see it.

Who sees which circle is `CircleQuerySet.visible_to`; who may read a circle's *thread* is
`circle_ids_of` (members and the circle's coach only: admins manage circles but do not read
their conversation, a rule enforced by discussions on top of this helper).
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.models import Organization, OrganizationScopedQuerySet
from rapport import policy
from rapport.lib.text import SingleLineCharField

if TYPE_CHECKING:
    from accounts.models import User

# Circle sizes (inclusive). A late joiner goes only into a circle with fewer than MAX_SIZE.
MIN_SIZE = 5
MAX_SIZE = 7


class CircleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CircleQuerySet(OrganizationScopedQuerySet["Circle"]):
    def published(self) -> "CircleQuerySet":
        return self.filter(state=CircleState.PUBLISHED)

    def visible_to(self, user: "User | Any") -> "CircleQuerySet":
        """Which circles a person sees (docs/permissions.md).

        - Organisation admins: every circle of their organisation, drafts included (they form,
          review and publish them; seeing a circle is not reading its thread).
        - Everyone else with a membership: *published* circles of their organisation that they
          are a member of, that they coach (`Circle.coach`), or of a cohort in which they hold a
          coach seat (an enrolled coach of the cohort sees all its circles).
        - Platform superusers: all. Anyone else (anonymous, deactivated, no membership): none.
        """
        mine: CircleQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.can_manage_people(user):
            return mine
        if policy.membership_of(user) is None:
            return mine  # already empty
        member = CircleMember.objects.filter(circle=OuterRef("pk"), user=user)
        coach_seat = Enrollment.objects.filter(
            cohort=OuterRef("cohort_id"), user=user, role=EnrollmentRole.COACH
        )
        return mine.published().filter(Q(coach=user) | Exists(member) | Exists(coach_seat))


class Circle(models.Model):
    """A small group of a cohort's learners who meet and talk through the programme.

    `coach` is one of the cohort's coaches (assigned at publication, balanced across them);
    `state` is draft until an admin publishes the cohort's circles. `organization` is the
    cohort's (set in `save`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="circles")
    name = SingleLineCharField(max_length=120)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_circles",
    )
    state = models.CharField(max_length=16, choices=CircleState.choices, default=CircleState.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CircleQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="unique_circle_name_per_cohort")
        ]
        indexes = [models.Index(fields=["cohort", "state"]), models.Index(fields=["coach"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.cohort.organization_id
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.state == CircleState.PUBLISHED


class CircleMemberQuerySet(OrganizationScopedQuerySet["CircleMember"]):
    def visible_to(self, user: "User | Any") -> "CircleMemberQuerySet":
        """The members of the circles the person sees (`CircleQuerySet.visible_to`): a member
        sees who else is in their circle, never the membership of another circle."""
        return self.filter(circle__in=Circle.objects.visible_to(user))


class CircleMember(models.Model):
    """A learner's place in a circle, through their seat in the circle's cohort.

    A learner is in at most one circle per cohort (`cohort` is the circle's, kept here for that
    constraint: `one_circle_per_cohort`). `organization` and `cohort` are set from the circle in
    `save`.

    `place` is the member's numbered place in the circle, 1 to MAX_SIZE, unique in the circle
    (`one_member_per_place`, `place_within_capacity`): the database itself holds a circle to
    MAX_SIZE placed members, so two placements racing for the last place cannot both win (the
    second insert fails and the action tries elsewhere). Every write of circles.actions gives a
    place; only a draft circle an admin overfilled by hand holds members without one (null),
    and publishing refuses such a circle.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    place = models.PositiveSmallIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = CircleMemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_membership_per_circle"),
            models.UniqueConstraint(fields=["cohort", "user"], name="one_circle_per_cohort"),
            models.UniqueConstraint(fields=["circle", "place"], name="one_member_per_place"),
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1, place__lte=MAX_SIZE),
                name="place_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["user", "circle"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.circle_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_id = self.circle.organization_id
        self.cohort_id = self.circle.cohort_id
        super().save(*args, **kwargs)


def circle_ids_of(user: "User | Any", cohort: Cohort | int | None = None) -> set[int]:
    """The ids of the published circles whose conversation the person may read: those they are a
    member of and those they coach (`Circle.coach`), in their current organisation, optionally
    of one cohort (a Cohort or its id). Admins get only the circles they belong to or coach like
    anyone else: managing circles is not reading their threads. One query; an empty set for
    anonymous people, deactivated accounts and people without a membership.

    This is the rule helper discussions builds circle-thread visibility on."""
    membership = policy.membership_of(user)
    if membership is None:
        return set()
    circles = Circle.objects.published().filter(organization_id=membership.organization_id)
    if cohort is not None:
        circles = circles.filter(cohort_id=cohort if isinstance(cohort, int) else cohort.pk)
    member = CircleMember.objects.filter(circle=OuterRef("pk"), user=user)
    return set(circles.filter(Q(coach=user) | Exists(member)).values_list("pk", flat=True))


class CircleFormationQuerySet(OrganizationScopedQuerySet["CircleFormation"]):
    def visible_to(self, user: "User | Any") -> "CircleFormationQuerySet":
        """How a cohort's circles were formed is for the organisation's admins (and platform
        superusers) only."""
        mine: CircleFormationQuerySet = self.in_organization_of(user)  # type: ignore[assignment]
        if policy.is_platform_superuser(user) or policy.can_manage_people(user):
            return mine
        return mine.none()


class CircleFormation(models.Model):
    """How a cohort's circles were formed: the attributes mixed (comma-separated names of
    `circles.roster.MixAttribute`), by whom and when, and when they were published (late
    joiners are placed only after that)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="circle_formation")
    mix = SingleLineCharField(max_length=120)
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    formed_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    objects = CircleFormationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Circles of {self.cohort_id} ({self.mix})"

    @property
    def mix_attributes(self) -> tuple[str, ...]:
        return tuple(name for name in self.mix.split(",") if name)
