"""`manage.py forward_xapi`: send the xAPI outbox to the configured Learning Record Store now,
queue the history (`--backfill`), or send dead statements again (`--requeue-dead`)."""

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from events.forwarding import LrsSettings, backfill, forward_pending, requeue_dead
from events.models import DeadStatement, PendingStatement


class Command(BaseCommand):
    help = "Send waiting xAPI statements to the LRS (RAPPORT_XAPI_LRS_URL) until none is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backfill",
            action="store_true",
            help="First queue every recorded event not yet waiting (an LRS configured late).",
        )
        parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="With --backfill: only events from this date."
        )
        parser.add_argument(
            "--requeue-dead", action="store_true", help="First put dead statements back."
        )
        parser.add_argument(
            "--max-batches", type=int, default=None, help="Stop after this many batches."
        )
        parser.add_argument(
            "--queue-only", action="store_true", help="Queue (--backfill, --requeue-dead) only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lrs = LrsSettings.from_settings()
        except ValueError as error:
            raise CommandError(str(error)) from None
        if lrs is None:
            raise CommandError(
                "No LRS is configured: set RAPPORT_XAPI_LRS_URL (docs/deployment.md)."
            )
        since = None
        if options["since"]:
            day = parse_date(options["since"]) if options["since"] else None
            if day is None:
                raise CommandError(f"--since {options['since']!r} is not a date (YYYY-MM-DD).")
            since = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        if since is not None and not options["backfill"]:
            raise CommandError("--since goes with --backfill.")
        if options["max_batches"] is not None and options["max_batches"] < 1:
            raise CommandError("--max-batches must be 1 or more.")
        if options["backfill"]:
            self.stdout.write(f"queued {backfill(since=since)} statement(s)")
        if options["requeue_dead"]:
            self.stdout.write(f"requeued {requeue_dead()} dead statement(s)")
        if options["queue_only"]:
            return
        report = forward_pending(max_batches=options["max_batches"])
        self.stdout.write(
            f"sent {report.sent}, dead {report.dead}, deferred {report.deferred} "
            f"in {report.posts} POST(s); waiting {PendingStatement.objects.count()}, "
            f"dead in all {DeadStatement.objects.count()}"
        )
