"""The registry of personal data: what each app holds about a person, to export and to erase.

A person may download everything Rapport holds about them and may erase their account (GDPR
articles 15, 17 and 20: access, erasure, portability). `accounts` owns the person but cannot
import the apps above it, so each app that stores something about a person registers a
`PersonalDataSection` in its `AppConfig.ready()`:

    register_personal_data(
        "reflections",
        title=_("Reflections"),
        export=export_reflections,   # (user) -> list of JSON-serialisable dicts, their own rows
        erase=erase_reflections,     # (user) -> number of rows deleted or anonymised
    )

- `export(user)` returns the person's own data only, decrypted and readable (text, dates as ISO
  8601 strings, choices as their labels), never another person's text or identity beyond what
  that person shared with them.
- `erase(user)` deletes the person's personal content, or anonymises rows that others' content
  depends on (a reply's parent keeps its place as "deleted"); counts that analytics keep stay as
  anonymous numbers. It runs inside the erasure's transaction and must be idempotent.

The export page and the erasure (`accounts.erasure`) walk `sections()` in `order`.

**The export's shape** (`build_export`, served as JSON by `accounts:my_data_export` and read
as a page by `accounts:my_data_readable`), version `EXPORT_VERSION`:

    {"format": "rapport.personal-data", "version": 1, "exported_at": "<ISO 8601, UTC>",
     "person": {"full_name": ..., "email": ..., "organisation": ... or null},
     "sections": [{"key": ..., "title": ..., "items": [{...}, ...]}, ...]}

A new key inside an item is a compatible change; removing or renaming one, or changing a
value's type, is a new `version`. `accounts/tests/test_my_data.py` pins the item keys of
every section.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from accounts.models import User

ExportFn = Callable[["User"], list[dict[str, Any]]]
EraseFn = Callable[["User"], int]


@dataclass(frozen=True)
class PersonalDataSection:
    """One app's part of a person's data: `key` (a slug, unique), `title` (shown as a heading
    in the readable export), `export` and `erase` as the module docstring describes, `order`
    (ascending, ties by key)."""

    key: str
    title: "str | Promise"
    export: ExportFn
    erase: EraseFn
    order: int = 100


_SECTIONS: dict[str, PersonalDataSection] = {}


def register_personal_data(
    key: str, *, title: "str | Promise", export: ExportFn, erase: EraseFn, order: int = 100
) -> None:
    """Add (or, on a repeated `ready()`, replace) the section `key`."""
    _SECTIONS[key] = PersonalDataSection(key, title, export, erase, order)


def sections() -> list[PersonalDataSection]:
    """Every registered section, by `order` then `key`."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


EXPORT_FORMAT = "rapport.personal-data"
EXPORT_VERSION = 1


def iso(value: "datetime | date | None") -> str | None:
    """A date-time as ISO 8601 in UTC (a date as YYYY-MM-DD); None stays None. For exports."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def label_of(choices: type[models.Choices], value: str) -> str:
    """A stored choice as its label (the value itself if it is no longer a choice)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def build_export(user: "User") -> dict[str, Any]:
    """Everything Rapport holds about `user`, in the shape the module docstring describes:
    every registered section's `export(user)` in order. Each section makes a fixed number of
    queries whatever the amount of data (tested per section)."""
    organization = getattr(user, "organization", None)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso(timezone.now()),
        "person": {
            "full_name": user.full_name,
            "email": user.email,
            "organisation": organization.name if organization is not None else None,
        },
        "sections": [
            {"key": section.key, "title": str(section.title), "items": section.export(user)}
            for section in sections()
        ],
    }


# -- the account itself ------------------------------------------------------------------------

# What an erased account shows wherever it still appears (a tombstone, an old notification).
ERASED_NAME = "Erased account"
# A reserved top-level domain (RFC 2606): mail to it goes nowhere.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def is_erased(user: "User") -> bool:
    """True once `user`'s account has been erased (its address is the erased placeholder)."""
    return user.email.endswith("@" + ERASED_EMAIL_DOMAIN)


def export_account(user: "User") -> list[dict[str, Any]]:
    """The account: name, address, time zone, when it was made and last signed in. No query."""
    return [
        {
            "full_name": user.full_name,
            "email": user.email,
            "time_zone": user.time_zone,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        }
    ]


def anonymise_account(user: "User") -> int:
    """Anonymise the account row, which stays so that what others wrote keeps its shape and
    anonymous counts still count: the name becomes "Erased account", the address a unique
    placeholder at a non-routable domain, the password unusable, the time zone UTC; it is
    inactive, holds no staff rights or groups, and gets a new `public_id`, so statements
    already forwarded to a Learning Record Store under the old one no longer link to it.
    The sign-in throttle's records of failed attempts under the address, and background tasks
    whose arguments hold it, are deleted.
    Returns 1, or 0 for an account already erased."""
    if is_erased(user):
        return 0
    from axes.models import AccessAttempt, AccessFailureLog
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from django_tasks_db.models import DBTaskResult

    # django-axes keeps failed sign-ins by address (accounts.throttling): those go too, and so
    # do queued or finished background tasks whose arguments hold the address (a password
    # reset email): an erased account is sent nothing more.
    AccessAttempt.objects.filter(username=user.email).delete()
    AccessFailureLog.objects.filter(username=user.email).delete()
    DBTaskResult.objects.annotate(arguments=Cast("args_kwargs", TextField())).filter(
        arguments__contains=user.email
    ).delete()
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = ERASED_NAME
    user.time_zone = "UTC"
    user.public_id = uuid.uuid4()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "full_name",
            "time_zone",
            "public_id",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
            "password",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    return 1
