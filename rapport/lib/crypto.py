"""Confidential text at rest: authenticated encryption for what people write about themselves.

Reflections, planner and debrief answers, check-in notes and goals are stored encrypted with
Fernet (AES-128-CBC with an HMAC-SHA256 over it: a value cannot be read, or altered unnoticed,
without the key) through `django-fernet-encrypted-fields`. A raw dump of the database (the SQLite
file, `pg_dump`) holds only tokens (`gAAAAA…`).

**Keys.** As in that library, each key is derived (PBKDF2-HMAC-SHA256, 100,000 iterations) from
a secret and a salt: the secrets are `settings.SECRET_KEY` followed by
`settings.SECRET_KEY_FALLBACKS`, the salts `settings.SALT_KEY` (a string or a list; settings
read them from `DJANGO_SECRET_KEY`, `DJANGO_SECRET_KEY_FALLBACKS` and `RAPPORT_ENCRYPTION_SALT`).
New values are encrypted under the first secret and first salt; every other combination still
decrypts. **Rotation** is Django's own for the secret key: set the new `DJANGO_SECRET_KEY`, put
the old one in `DJANGO_SECRET_KEY_FALLBACKS`, run `manage.py reencrypt` (it re-encrypts every
confidential value under the new key, in batches, and can be stopped and run again: values
already under the new key are skipped), then drop the fallback. docs/deployment.md has the
steps.

**What differs from the library's own fields**, each for a reason:

- The derived keys are computed once per process per (secrets, salts), not once per field, and
  follow `override_settings` (`_fernet`). They are key material, never decrypted content:
  nothing decrypted is kept anywhere beyond the model instance that loaded it.
- Decryption happens only when a value comes from the database (`from_db_value`), never in
  `to_python`, so a form's cleaning never decrypts what a person typed and the field keeps no
  per-instance flag (the library's `_already_decrypted` is shared by every thread of a process).
- A stored token that no configured key opens raises `UndecryptableValue` instead of showing the
  token as if it were the text (the library's fallback): that is a lost key, and it must be
  loud. A stored value that is not a token at all (written before the field was encrypted) is
  returned as it is, and `manage.py reencrypt` encrypts it.
- An empty value is stored as "" (the library stores NULL, which a NOT NULL column refuses).

Encrypted columns cannot be searched or compared in SQL (each encryption of the same text
differs): filter on other columns.
"""

import base64
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from encrypted_fields.fields import EncryptedTextField

# Every Fernet token starts with version byte 0x80, base64-encoded: "gAAAAA".
TOKEN_PREFIX = "gAAAAA"
PBKDF2_ITERATIONS = 100_000  # as django-fernet-encrypted-fields derives them


class UndecryptableValue(Exception):
    """A stored confidential value that none of the configured keys decrypts: the secret key
    was changed without keeping the old one in `DJANGO_SECRET_KEY_FALLBACKS`, or the value was
    tampered with."""


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def key_material() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (secrets, salts) the keys come from, current first: `SECRET_KEY` then
    `SECRET_KEY_FALLBACKS`; `SALT_KEY` (a string or a list)."""
    secrets = (settings.SECRET_KEY, *_as_list(getattr(settings, "SECRET_KEY_FALLBACKS", [])))
    salts = tuple(_as_list(getattr(settings, "SALT_KEY", ""))) or ("rapport",)
    return secrets, salts


@lru_cache(maxsize=8)
def _derived_keys(secrets: tuple[str, ...], salts: tuple[str, ...]) -> tuple[Fernet, ...]:
    keys = []
    for secret in secrets:
        for salt in salts:
            kdf = PBKDF2HMAC(
                algorithm=hashes.SHA256(),
                length=32,
                salt=salt.encode("utf-8"),
                iterations=PBKDF2_ITERATIONS,
            )
            keys.append(Fernet(base64.urlsafe_b64encode(kdf.derive(secret.encode("utf-8")))))
    return tuple(keys)


def _fernet() -> tuple[Fernet, MultiFernet]:
    """(the current key, every key) for the configured settings."""
    keys = _derived_keys(*key_material())
    return keys[0], MultiFernet(list(keys))


def encrypt(text: str) -> str:
    """The Fernet token (ASCII text) of `text` under the current key; "" stays ""."""
    if not text:
        return ""
    current, _all = _fernet()
    return current.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    """The text of a stored value. A value that is not a token (written before encryption) is
    returned as it is. Raises `UndecryptableValue` for a token no configured key opens."""
    if not stored or not stored.startswith(TOKEN_PREFIX):
        return stored
    _current, every = _fernet()
    try:
        return every.decrypt(stored.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise UndecryptableValue(
            "A confidential value cannot be decrypted with the configured keys. If "
            "DJANGO_SECRET_KEY was changed, put the old key in DJANGO_SECRET_KEY_FALLBACKS."
        ) from None


def encrypt_bytes(data: bytes) -> bytes:
    """A file's bytes as a Fernet token under the current key (for confidential files at
    rest, such as a coaching message's attachments). About 4/3 of the size, plus 57 bytes."""
    current, _all = _fernet()
    return current.encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """The bytes `encrypt_bytes` stored, under any configured key. Raises
    `UndecryptableValue` for a token no configured key opens (a lost key, or tampering)."""
    _current, every = _fernet()
    try:
        return every.decrypt(token)
    except InvalidToken:
        raise UndecryptableValue(
            "A confidential file cannot be decrypted with the configured keys."
        ) from None


def file_needs_reencryption(token: bytes) -> bool:
    """True for a confidential file's bytes (`encrypt_bytes`) that the current key does not
    open: a token under an older key, or something that is not a token under any key (the
    caller finds out which with `reencrypt_bytes`)."""
    current, _all = _fernet()
    try:
        current.decrypt(token)
    except InvalidToken:
        return True
    return False


def reencrypt_bytes(token: bytes) -> bytes:
    """A confidential file's bytes again, under the current key (Fernet's `rotate`: the
    token's original timestamp is kept). Raises `UndecryptableValue` for a token no configured
    key opens. The plain bytes exist only in this call's memory."""
    _current, every = _fernet()
    try:
        return every.rotate(token)
    except InvalidToken:
        raise UndecryptableValue(
            "A confidential file cannot be decrypted with the configured keys."
        ) from None


def needs_reencryption(stored: str) -> bool:
    """True for a stored value that is plain text, or a token under an older key."""
    if not stored:
        return False
    if not stored.startswith(TOKEN_PREFIX):
        return True
    current, _all = _fernet()
    try:
        current.decrypt(stored.encode("ascii"))
    except InvalidToken:
        return True
    return False


def reencrypt(stored: str) -> str:
    """The stored value again, under the current key (plain text is encrypted). Raises
    `UndecryptableValue` for a token no configured key opens."""
    return encrypt(decrypt(stored))


class ConfidentialTextField(EncryptedTextField):  # type: ignore[misc]
    """A `TextField` whose value is encrypted at rest (see the module docstring).

    Use it for every piece of text a person writes about themselves that the rules keep from
    others. `max_length` is enforced by forms and `full_clean`, counted in characters of the
    text, not of the token.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def get_prep_value(self, value: Any) -> Any:
        value = models.TextField.get_prep_value(self, value)
        if value is None:
            return None
        return encrypt(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return decrypt(value)

    def to_python(self, value: Any) -> Any:
        return models.TextField.to_python(self, value)

    def clean(self, value: Any, model_instance: Any) -> Any:
        return models.TextField.clean(self, value, model_instance)


class ConfidentialFileField(models.FileField):
    """A `FileField` whose stored file holds `encrypt_bytes(data)`, never the data itself.

    The field stores and serves bytes as any FileField does; encrypting on upload and
    decrypting on download stay with the code that does them (coaching.actions,
    coaching.talk_views). What the field adds is that `manage.py reencrypt` finds these files
    (`confidential_file_fields`) and rewrites them under the current key after a rotation.
    """


def confidential_file_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with `ConfidentialFileField`s, and their attribute names, in the
    order of the app registry."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, ConfidentialFileField)
        ]
        if names:
            found.append((model, names))
    return found


def confidential_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with confidential fields, and their attribute names, in the order
    of the app registry."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, ConfidentialTextField)
        ]
        if names:
            found.append((model, names))
    return found
