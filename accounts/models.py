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
