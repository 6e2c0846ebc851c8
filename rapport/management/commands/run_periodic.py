"""`manage.py run_periodic [--every SECONDS]`: the periodic jobs, once or in a loop.

- New weeks: each learner hears when their cohort's week starts in their own time zone
  (cohorts.tasks.notify_new_weeks), once per week.
- Digests: the daily and weekly digests that are due, and any a dead worker left unsent
  (notifications.tasks.plan_digests); the task worker (`manage.py db_worker`) sends them.
- Immediate emails a lost task left unsent (notifications.tasks.sweep_immediate_emails).
- Mission reminders: each learner hears at the time they planned a mission
  (reflections.tasks.send_mission_reminders), once per planned time.
- Coaching-session reminders, a day ahead, once per booking (coaching.tasks.send_reminders).
- The dashboards' rollups: the learning record's new events folded into them
  (analytics.rollups.refresh), after a high-water mark, in batches that commit with it; then
  the dashboards of the programmes they touched are solved again (analytics.snapshots), and
  the connections of the cohorts they touched or whose snapshot is an hour old
  (analytics.connections.rebuild_stale).
- xAPI statements waiting for the Learning Record Store, when one is configured
  (events.tasks.queue_forwarding queues events.tasks.forward_statements for the task worker).
- Assessment rounds: each cohort's three rounds scheduled from its dates, and the notices when
  a round opens and before it closes (assessments.tasks.schedule_rounds, send_round_notices).
- Coaches' nudges at the time they chose, once each (coaching.tasks.send_due_nudges).

Every job is idempotent, so running this more often, twice at once, or after a crash sends
nobody anything twice. It lives in the project (above every app) because it calls into cohorts
and notifications. `make demo` runs it with `--every 60`; production runs it from cron or as a
service (docs/deployment.md).
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from analytics.connections import rebuild_stale as rebuild_connections
from analytics.rollups import refresh as refresh_rollups
from analytics.snapshots import rebuild_for_cohorts
from assessments.tasks import schedule_rounds, send_round_notices
from coaching.tasks import send_due_nudges, send_reminders
from cohorts.tasks import notify_new_weeks
from events.tasks import queue_forwarding
from notifications.tasks import plan_digests, sweep_immediate_emails
from reflections.tasks import send_mission_reminders


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (new-week notices, digests, unsent emails, mission and session "
        "reminders) "
        "once or every N s."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Repeat every SECONDS (at least 10) until stopped; without it, run once.",
        )

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        if every and every < 10:
            self.stderr.write("--every must be at least 10 seconds.")
            raise SystemExit(2)
        while True:
            weeks = notify_new_weeks()
            digests = plan_digests()
            swept = sweep_immediate_emails()
            reminders = send_mission_reminders()
            sessions = send_reminders()
            rollup = refresh_rollups()
            rebuilt = rebuild_for_cohorts(rollup.cohorts)
            connected = rebuild_connections(rollup.cohorts)
            xapi = queue_forwarding()
            rounds = schedule_rounds()
            round_notices = send_round_notices()
            nudges = send_due_nudges()
            if options.get("verbosity", 1) >= 1:
                self.stdout.write(
                    f"new-week notices {weeks}, digests planned {digests['planned']}, "
                    f"requeued {digests['requeued']}, immediate emails requeued {swept}, "
                    f"mission reminders {reminders}, session reminders {sessions}, "
                    f"events rolled up {rollup.events}, dashboards rebuilt {rebuilt}, "
                    f"cohorts' connections rebuilt {connected}, "
                    f"xAPI forwarding {'queued' if xapi else 'idle'}, "
                    f"assessment rounds scheduled {rounds}, assessment notices {round_notices}, "
                    f"nudges {nudges}"
                )
            if not every:
                return
            time.sleep(every)
