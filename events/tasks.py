"""Background work of the events app: forwarding statements to the Learning Record Store."""

import logging
import time

from django.tasks import task
from django.utils import timezone

from events.forwarding import LrsSettings, forward_pending
from events.models import PendingStatement

logger = logging.getLogger(__name__)
RUN_SECONDS = 50  # one task's share of the worker, under run_periodic's usual minute


@task()
def forward_statements() -> dict[str, int]:
    """Send the outbox's due statements to the LRS for at most RUN_SECONDS
    (`events.forwarding.forward_pending`). Returns the run's counts (no personal data)."""
    return forward_pending(until=time.monotonic() + RUN_SECONDS).as_dict()


def queue_forwarding() -> bool:
    """Queue `forward_statements` when an LRS is configured and a statement is due; called by
    `manage.py run_periodic`. Returns whether a task was queued (one query). A misconfigured
    LRS (a batch size below 1) is logged and skipped, so the other periodic jobs still run."""
    try:
        lrs = LrsSettings.from_settings()
    except ValueError:
        logger.exception("xAPI forwarding is misconfigured")  # the other periodic jobs go on
        return False
    if lrs is None:
        return False
    if not PendingStatement.objects.filter(next_attempt_at__lte=timezone.now()).exists():
        return False
    forward_statements.enqueue()
    return True
