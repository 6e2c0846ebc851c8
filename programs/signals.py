"""Keep programme outlines fresh: after every `migrate`, (re)install the database triggers that
give a programme a new outline token whenever its content changes (programs/outline_triggers.py).
Before `migrate` they are dropped, so that SQLite can rebuild the tables they name (an added
field on `Activity` rebuilds `programs_activity`); the reinstall renews every token.

There are no model-signal receivers on purpose: `QuerySet.update`, `bulk_create`, raw SQL and
data migrations send no signals, and the triggers see them all.
"""

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver

from programs import outline_triggers


@receiver(post_migrate)
def _install_outline_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if sender.name == "programs":
        outline_triggers.install(connections[using])


@receiver(pre_migrate)
def _drop_outline_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if sender.name == "programs":
        outline_triggers.uninstall(connections[using])
