"""Single-line text: names, titles, regions and every other one-line field a person types.

A value like "Ana⏎Silva" (a quoted spreadsheet cell spread over two lines) breaks email
greetings, and a browser's text box silently drops the line break when the person next saves it.
So every single-line value passes the same rule wherever it enters (CSV import, the studio,
Settings, a later API):

- **Whitespace-like control characters are normalised**: a run of line breaks (CR, LF, NEL,
  U+2028, U+2029), tabs, vertical tabs and form feeds, with any spaces around it, becomes one
  space; the value is then trimmed. "Ana\\r\\nSilva" is stored as "Ana Silva".
- **Invisible zero-width characters with no meaning in one line are removed**: the zero width
  space (U+200B), word joiner (U+2060) and byte-order mark (U+FEFF), which copy and paste from
  office documents leaves behind. The joiners that scripts and emoji need (U+200C, U+200D) and
  the left-to-right/right-to-left marks (U+200E, U+200F, U+061C) are kept.
- **Everything else that is a control is rejected** with a message naming the character and
  where it is: the other C0 controls (U+0000 to U+001F), DEL, the C1 controls (U+0080 to
  U+009F), and the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066
  to U+2069), which reorder how text is displayed and can disguise a name ("Trojan Source",
  CVE-2021-42574).

Use `SingleLineCharField` for every `CharField` a person types (a system-wide test checks that
each one carries `validate_single_line`). It normalises in `to_python`, so model forms, the admin
and `full_clean` store the normalised value, and its validator rejects the rest. Code that writes
without `full_clean` (bulk imports) calls `clean_single_line` or `single_line_problem` itself.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Line breaks and tabs: what a spreadsheet cell or a paste can carry that means "a gap".
_WHITESPACE_CONTROLS = "\t\n\x0b\x0c\r\x85\u2028\u2029"
_WHITESPACE_RUN = re.compile(
    f"[ {_WHITESPACE_CONTROLS}]*[{_WHITESPACE_CONTROLS}][ {_WHITESPACE_CONTROLS}]*"
)
_REMOVED_INVISIBLES = re.compile("[\u200b\u2060\ufeff]")
_REJECTED = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
# Anything normalise_single_line would change or validate_single_line would reject.
_NOT_SINGLE_LINE = re.compile(
    f"[{_WHITESPACE_CONTROLS}\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"
    "\u202a-\u202e\u2066-\u2069]"
)


def normalise_single_line(value: str) -> str:
    """Turn runs of line breaks and tabs (with the spaces around them) into one space, remove
    the meaningless zero-width characters, and trim. Rejected controls are left in place for
    the validator to report. Idempotent; a value without control characters is returned as is
    apart from trimming."""
    if not _NOT_SINGLE_LINE.search(value):
        return value.strip()
    value = _REMOVED_INVISIBLES.sub("", value)
    return _WHITESPACE_RUN.sub(" ", value).strip()


def _describe(character: str) -> str:
    name = unicodedata.name(character, "")
    if not name:
        name = {"\x85": "NEXT LINE"}.get(character, _("control character"))
    return f"U+{ord(character):04X} {name}"


def single_line_problem(value: str) -> str | None:
    """Why `value` cannot be stored in a single-line field as it is, or None if it can.

    The message names the first offending character (code point and Unicode name) and its
    position, counted from 1, so the person can find it. It reports line breaks and tabs too:
    call `normalise_single_line` first to accept those.
    """
    match = _NOT_SINGLE_LINE.search(value)
    if match is None:
        return None
    character = match.group()
    position = match.start() + 1
    if character in _WHITESPACE_CONTROLS:
        return _(
            "This must be a single line: it contains a line break or tab (%(character)s) at "
            "character %(position)d."
        ) % {"character": _describe(character), "position": position}
    return _(
        "This contains an invisible control character (%(character)s) at character "
        "%(position)d. Remove it (retyping the text usually does) and try again."
    ) % {"character": _describe(character), "position": position}


@deconstructible
class SingleLineValidator:
    """Rejects line breaks, tabs, control characters and bidirectional overrides (code
    `single_line`). A class rather than a function so that migrations can name it."""

    code = "single_line"

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        if problem := single_line_problem(value):
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(SingleLineValidator)


validate_single_line = SingleLineValidator()


def clean_single_line(value: str) -> str:
    """The normalised value, or ValidationError (code `single_line`) for what is rejected."""
    value = normalise_single_line(value)
    validate_single_line(value)
    return value


class SingleLineFormField(forms.CharField):
    """A form's text box for a single-line value: normalises before the other checks, so a
    pasted tab becomes a space and the length limit counts what will be stored."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_single_line(value) if isinstance(value, str) else value


class SingleLineCharField(models.CharField):
    """A `CharField` for one line of text a person types: normalised in `to_python` (so
    `full_clean` and model forms store "Ana Silva", not "Ana⏎Silva") and validated by
    `validate_single_line`. Bulk writes that skip `full_clean` must use `clean_single_line`."""

    default_validators = [validate_single_line]

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_single_line(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        if not self.choices:
            kwargs.setdefault("form_class", SingleLineFormField)
        return super().formfield(**kwargs)


def scrub_single_line(value: str) -> str:
    """For data migrations only: normalise, then drop whatever would be rejected, because
    stored rows cannot be sent back to whoever typed them. Returns a value that validates."""
    return _REJECTED.sub("", normalise_single_line(value)).strip()


def scrub_stored_values(model: type[models.Model], field_names: Sequence[str]) -> int:
    """For data migrations: rewrite stored values of `field_names` with `scrub_single_line`,
    so rows saved before the rule existed validate (and a browser cannot alter them on the next
    save). Reads the rows once in batches; writes only the changed ones. Returns their number."""
    changed: list[models.Model] = []
    rows = model._default_manager.only("pk", *field_names).order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        dirty = False
        for name in field_names:
            value = getattr(row, name)
            if isinstance(value, str) and _NOT_SINGLE_LINE.search(value):
                setattr(row, name, scrub_single_line(value))
                dirty = True
        if dirty:
            changed.append(row)
    model._default_manager.bulk_update(changed, list(field_names), batch_size=500)
    return len(changed)
