"""`manage.py reencrypt [--batch-size N]`: every confidential value under the current key.

After a key rotation (a new `DJANGO_SECRET_KEY`, the old one in `DJANGO_SECRET_KEY_FALLBACKS`;
docs/deployment.md), this walks every model with a `rapport.lib.crypto.ConfidentialTextField`
in primary-key order, batch by batch, and rewrites each value that is plain text or a token
under an older key. Each batch is one transaction, and values already under the current key are
skipped, so the command can be stopped at any point and run again: it resumes where the work is
left. It reads the stored tokens as they are (no decrypted text is printed or logged) and
prints, per model, how many values it rewrote. A token that no configured key opens stops the
command with the model and row named, changing nothing in that batch.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from rapport.lib.crypto import (
    UndecryptableValue,
    confidential_fields,
    needs_reencryption,
    reencrypt,
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
        self.stdout.write(self.style.SUCCESS(f"Done: {total} value(s) re-encrypted."))

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
