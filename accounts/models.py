import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport import policy
from rapport.lib.text import SingleLineCharField
from rapport.lib.timezones import is_valid_time_zone


def validate_time_zone(value: str) -> None:
    if not is_valid_time_zone(value):
        raise ValidationError(
            _("“%(value)s” is not a known time zone. Use an IANA name such as Europe/Paris."),
            params={"value": value},
            code="invalid_time_zone",
        )


class UserQuerySet(models.QuerySet["User"]):
    def with_emails(self, emails: "list[str] | tuple[str, ...]") -> "UserQuerySet":
        """Accounts whose address is one of `emails`, compared without regard to case. Written
        as LOWER(email) so the database uses the per-organisation unique index."""
        return self.alias(email_lower=Lower("email")).filter(
            email_lower__in=[email.strip().lower() for email in emails]
        )

    def visible_to(self, user: "User | Any") -> "UserQuerySet":
        """Organisation admins see the people of their organisation (they manage them); everyone
        else sees only themselves; platform superusers see everyone; anonymous people nobody."""
        if policy.is_platform_superuser(user):
            return self
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        if membership.role == policy.Role.ADMIN:
            return self.filter(membership__organization_id=membership.organization_id)
        return self.filter(pk=user.pk)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        """The platform account (outside every organisation) with this address, any case.

        An address is unique only within one organisation (docs/decisions/
        0006-accounts-per-organisation.md), so Django's own look-ups by "username"
        (createsuperuser, fixtures) mean the installation's operators; people of organisations
        sign in through accounts.backends.EmailBackend."""
        return self.get(email__iexact=username or "", organization__isnull=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account in one organisation. Sign-in is by email and password; what they may
    do comes from their membership.

    Accounts are per organisation (docs/decisions/0006-accounts-per-organisation.md): the same
    address in two organisations is two unrelated accounts, so nothing about one organisation's
    people can be learnt from another. `organization` is the tenant the account belongs to (the
    same as its membership's), null only for the installation's own operators. Addresses are
    stored in lower case and unique, without regard to case, within an organisation.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"))
    full_name = SingleLineCharField(_("full name"), max_length=150)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False,
        help_text=_(
            "Platform operators only. Designers and admins reach the studio through their role."
        ),
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                name="one_account_per_email_per_organisation",
                violation_error_message=_("Someone in this organisation already has this email."),
            ),
            # Operators have no organisation, and NULLs never clash in a unique index.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(organization__isnull=True),
                name="one_platform_account_per_email",
                violation_error_message=_("An operator already has this email."),
            ),
        ]
        # A mention names a person of the thread's organisation
        # (discussions.mentions.resolve_mentions): one index search for (organisation,
        # LOWER(full_name)) instead of walking a cohort's seats and comparing each name. The
        # organisation first, so that SQLite prefers it to the organisation's own index even
        # without ANALYZE statistics.
        indexes = [
            models.Index("organization", Lower("full_name"), name="user_org_full_name_lower")
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def validate_constraints(self, exclude: Any = None) -> None:
        """As Django's, but the organisation is always taken into account: no form types it,
        yet it decides whether an address is taken (forms that add people set it on the
        instance first), so a duplicate address is a form error rather than a database error."""
        if exclude and "email" not in exclude:
            exclude = set(exclude) - {"organization"}
        super().validate_constraints(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class BlockQuerySet(models.QuerySet["Block"]):
    def visible_to(self, user: "User | Any") -> "BlockQuerySet":
        """A person sees only the blocks they made themselves (their own "People you have
        blocked" list), in their current organisation: nobody, admins included, learns who
        blocked whom. Platform superusers see all; anonymous and deactivated people and those
        without a membership see none."""
        if policy.is_platform_superuser(user):
            return self
        membership = policy.membership_of(user)
        if membership is None:
            return self.none()
        return self.filter(blocker=user, organization_id=membership.organization_id)


class Block(models.Model):
    """`blocker` no longer wants to hear from `blocked`: the blocked person's posts are collapsed
    for the blocker, and they cannot mention or notify the blocker (`notifications.actions.notify`
    and the discussions' mention check ask `blocker_ids_of`). Both people belong to one
    organisation (`organization`, taken from the blocker in `save()`); nobody blocks themselves;
    one row per ordered pair and name. The blocked person is never told. `label()` is the name
    to show the blocker.

    A block is of a person *as the blocker knows them*: their real name (`blocked_label` blank)
    or one pseudonym. Posts, mentions and notifications under another name are not affected, on
    purpose: if blocking a pseudonym also folded the person's real-name posts (or a second
    block said "already blocked"), the blocker would learn who is behind the pseudonym. Abuse
    under a pseudonym is for the moderators (a report), who see the identity. Written by
    `moderation.actions.block_person` / `unblock_person`."""

    # Unblocking addresses the block, never the person: a block made under a pseudonym must
    # not put the person's own id on the blocker's page.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        editable=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    # The name the blocker knew them by: a pseudonym when blocked from a post written under one
    # (so their Settings never reveal who is behind it); blank means their real name.
    blocked_label = SingleLineCharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        constraints = [
            models.UniqueConstraint(
                fields=["blocker", "blocked", "blocked_label"],
                name="one_block_per_name",
                violation_error_message=_("You have already blocked this person."),
            ),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")),
                name="no_self_block",
                violation_error_message=_("You cannot block yourself."),
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Takes the organisation from the blocker; refuses (ValueError) a pair that spans two
        organisations or an operator without one, whoever writes it."""
        blocker_org = self.blocker.organization_id
        if blocker_org is None or blocker_org != self.blocked.organization_id:
            raise ValueError("A block joins two people of one organisation.")
        self.organization_id = blocker_org
        super().save(*args, **kwargs)

    def label(self) -> str:
        """The name to show the blocker: the pseudonym they blocked, or the person's name."""
        return self.blocked_label or str(self.blocked)

    def clean(self) -> None:
        """Both people must belong to the same organisation (a ValidationError otherwise)."""
        super().clean()
        if self.blocker.organization_id is None or (
            self.blocker.organization_id != self.blocked.organization_id
        ):
            raise ValidationError(_("You can only block people of your own organisation."))


def blocked_names_of(user: "User | Any") -> set[tuple[int, str]]:
    """The people `user` has blocked, each as (person id, name blocked: a pseudonym, or "" for
    their real name). A post whose (author id, pseudonym) is in the set is collapsed for
    `user`. One query; an empty set for anonymous people."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(blocked_names_rows(user))


def blocked_names_rows(user: "User | Any") -> "models.QuerySet[Any]":
    """`blocked_names_of`'s rows as a queryset: (blocked person's id, the name blocked), for a
    signed-in `user` (a thread page keeps it compiled: discussions.threads.blocked_names)."""
    return Block.objects.filter(blocker=user).values_list("blocked_id", "blocked_label")


def blocker_ids_of(user: "User | Any", *, label: str = "") -> set[int]:
    """The ids of the people who have blocked `user` under the name `label` (a pseudonym, or
    "" for their real name): `user`, acting under that name, may not notify them. One query; an
    empty set for anonymous people or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(blockers_of(user, label=label))


def blockers_of(user: "User | Any", *, label: str = "") -> "models.QuerySet[Any]":
    """`blocker_ids_of` as a queryset of ids (`blocker_id` values), to use as a subquery —
    `notifications.actions` leaves these people out in the same query that reads its
    recipients. Precondition: `user` is a saved, signed-in person."""
    return Block.objects.filter(blocked=user, blocked_label=label).values_list(
        "blocker_id", flat=True
    )


class ErasureRecordQuerySet(models.QuerySet["ErasureRecord"]):
    def visible_to(self, user: "User | Any") -> "ErasureRecordQuerySet":
        """Organisation admins see their organisation's records (as a count on their My data
        page); platform superusers see all; everyone else none. A record names nobody, so
        this rule only keeps one organisation's numbers from another."""
        if policy.is_platform_superuser(user):
            return self
        membership = policy.membership_of(user)
        if membership is None or membership.role != policy.Role.ADMIN:
            return self.none()
        return self.filter(organization_id=membership.organization_id)


class ErasureRecord(models.Model):
    """That an account was erased at its owner's request (GDPR article 17), and how much was
    removed: `counts` maps each personal-data section's key (`accounts.personal_data`) to the
    number of rows it deleted or anonymised. Written once by `accounts.erasure.erase_account`.

    It holds no name, address, identifier of the person or anything they wrote, and no link to
    the anonymised account: only the organisation, the time and the numbers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    erased_at = models.DateTimeField(default=timezone.now, editable=False)
    counts = models.JSONField(default=dict, editable=False)

    objects = ErasureRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure record")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure {self.public_id}"
