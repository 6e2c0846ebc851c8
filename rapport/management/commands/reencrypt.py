"""`manage.py reencrypt [--batch-size N]`: every confidential value under the current key.

After a key rotation (a new `DJANGO_SECRET_KEY`, the old one in `DJANGO_SECRET_KEY_FALLBACKS`;
docs/deployment.md), this walks every model with a `rapport.lib.crypto.ConfidentialTextField`
in primary-key order, batch by batch, and rewrites each value that is plain text or a token
under an older key. Each batch is one transaction, and values already under the current key are
skipped, so the command can be stopped at any point and run again: it resumes where the work is
left. It reads the stored tokens as they are (no decrypted text is printed or logged) and
prints, per model, how many values it rewrote. A token that no configured key opens stops the
command with the model and row named, changing nothing in that batch.

Then it rewrites every confidential *file* (`rapport.lib.crypto.ConfidentialFileField`: a
coaching message's attachments) whose bytes the current key does not open, one file at a time
and atomically: the new token is written to a temporary file beside the old one, flushed to
disk (`fsync`), renamed over it (`os.replace`, atomic on POSIX) and the folder synced, so a
crash leaves either the old file or the new one, never half of either. Files already under the
current key are skipped, so this part too resumes where it stopped. A file that no configured
key opens stops the command with the model, row and field named; a file missing from storage is
counted and named, and the command goes on.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from rapport.lib.crypto import (
    UndecryptableValue,
    confidential_fields,
    confidential_file_fields,
    file_needs_reencryption,
    needs_reencryption,
    reencrypt,
    reencrypt_bytes,
)


class Command(BaseCommand):
    help = "Re-encrypt every confidential value under the current key (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            metavar="N",
            help="Rows per transaction (1 to 10000; default 500).",
        )

    def handle(self, *args: Any, batch_size: int = 500, **options: Any) -> None:
        if not 1 <= batch_size <= 10_000:
            raise CommandError("--batch-size must be between 1 and 10000.")
        total = 0
        for model, names in confidential_fields():
            rewritten = self._model(model, names, batch_size)
            total += rewritten
            self.stdout.write(f"{model._meta.label}: {rewritten} value(s) re-encrypted")
        files = missing = 0
        for model, names in confidential_file_fields():
            rewritten, absent = self._files(model, names, batch_size)
            files += rewritten
            missing += absent
            self.stdout.write(f"{model._meta.label}: {rewritten} file(s) re-encrypted")
        if missing:
            self.stderr.write(f"{missing} file(s) missing from storage (named above).")
        self.stdout.write(
            self.style.SUCCESS(f"Done: {total} value(s) and {files} file(s) re-encrypted.")
        )

    def _files(
        self, model: type[models.Model], names: list[str], batch_size: int
    ) -> tuple[int, int]:
        """Rewrite the model's confidential files under the current key, in primary-key order;
        returns (files rewritten, files missing)."""
        manager = model._base_manager
        rewritten = missing = 0
        last_pk: Any = None
        while True:
            rows = manager.order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.values("pk", *names)[:batch_size])
            if not batch:
                return rewritten, missing
            for row in batch:
                for name in names:
                    stored = row[name]
                    if not stored:
                        continue
                    storage = model._meta.get_field(name).storage  # type: ignore[union-attr]
                    try:
                        path = Path(storage.path(stored))
                    except NotImplementedError:
                        raise CommandError(
                            f"{model._meta.label}: its files are not on a local disk; "
                            "re-encrypt them with the storage's own tools."
                        ) from None
                    if not path.is_file():
                        missing += 1
                        self.stderr.write(f"{model._meta.label} row {row['pk']}, {name}: missing")
                        continue
                    try:
                        rewritten += rewrite_file(path)
                    except UndecryptableValue as error:
                        raise CommandError(
                            f"{model._meta.label} row {row['pk']}, file {name}: {error}"
                        ) from None
            last_pk = batch[-1]["pk"]

    def _model(self, model: type[models.Model], names: list[str], batch_size: int) -> int:
        manager = model._base_manager
        # Cast to a plain text column: the stored token, without the field's decryption.
        raw = {f"raw_{name}": Cast(name, models.TextField()) for name in names}
        rewritten = 0
        last_pk: Any = None
        while True:
            rows = manager.order_by("pk").annotate(**raw)
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.values("pk", *raw)[:batch_size])
            if not batch:
                return rewritten
            with transaction.atomic():
                for row in batch:
                    changes = {}
                    for name in names:
                        stored = row[f"raw_{name}"] or ""
                        if not needs_reencryption(stored):
                            continue
                        try:
                            token = reencrypt(stored)
                        except UndecryptableValue as error:
                            raise CommandError(
                                f"{model._meta.label} row {row['pk']}, field {name}: {error}"
                            ) from None
                        changes[name] = models.Value(token, output_field=models.TextField())
                    if changes:
                        manager.filter(pk=row["pk"]).update(**changes)
                        rewritten += len(changes)
            last_pk = batch[-1]["pk"]


def rewrite_file(path: Path) -> int:
    """Re-encrypt one confidential file under the current key, in place and atomically: the new
    token goes to a temporary file in the same folder, is fsynced, then renamed over `path`
    (and the folder fsynced, so the rename itself survives a crash). Returns 1 when the file was
    rewritten, 0 when it was already under the current key. Raises UndecryptableValue (nothing
    changed) for bytes no configured key opens."""
    token = path.read_bytes()
    if not file_needs_reencryption(token):
        return 0
    fresh = reencrypt_bytes(token)
    mode = path.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".reencrypt-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(fresh)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return 1
