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
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
