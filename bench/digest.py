#!/usr/bin/env python
"""Benchmark: a weekly notification digest for 100,000 learners through the task worker, and the
proof that killing the worker midway and restarting it sends nobody the same digest twice and
skips nobody.

Seeds (once, then reused) an organisation of N learners in a spread of time zones, each with two
reactions waiting for their weekly digest (reactions go to the weekly digest by default). Then,
twice on a fresh copy of that database:

1. **clean run** — `plan_digests` (what `manage.py run_periodic` runs) creates one DigestDelivery
   per learner and queues `send_digests` tasks; W `manage.py db_worker --batch` processes send
   them over SMTP to a sink on loopback. Wall time from planning to the last email accepted.
2. **kill run** — the same, but the workers are killed (SIGKILL, no chance to clean up) once a
   given share of emails has arrived; then `plan_digests` runs again after the lease
   (RAPPORT_DIGEST_LEASE_SECONDS, set to 5 s here) and fresh workers finish the job.

After each run it checks, from what the SMTP server received, that every learner got exactly one
digest (counted per recipient, not per Message-ID), and from the database that every delivery is
marked sent and every notification belongs to one digest. Mail goes through Django's real SMTP
backend to an aiosmtpd server in its own process (not the locmem or file backend): locmem lives
inside one process and dies with a killed worker, and the file backend would not exercise the SMTP
conversation whose acceptance is the moment a digest counts as sent.

    .venv/bin/python bench/digest.py                     # 100,000 learners, 2 workers
    .venv/bin/python bench/digest.py --learners 5000     # quicker
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ZONES = [
    "America/Los_Angeles", "America/Lima", "America/Sao_Paulo", "Europe/London", "Europe/Paris",
    "Africa/Lagos", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "UTC",
]  # fmt: skip
# Wednesday 12:00 UTC: every zone above is past Monday 08:00 local in the same ISO week.
PLAN_AT = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
TARGET_SECONDS = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_env(data_dir: Path, smtp_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        RAPPORT_VAR_DIR=str(data_dir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        RAPPORT_DIGEST_LEASE_SECONDS="5",
        PYTHONPATH=str(ROOT),
        RAPPORT_LOG_LEVEL="WARNING",
    )
    env.pop("RAPPORT_EMAIL_CONSOLE", None)
    return env


# -- the SMTP sink (runs in its own process: `bench/digest.py --sink PORT FILE`) --------------


class _Sink:
    """Appends one line per accepted message: recipient, tab, Message-ID."""

    def __init__(self, path: str) -> None:
        self.out = open(path, "a", buffering=1)  # noqa: SIM115 - lives as long as the server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        message_id = ""
        for line in content.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        for rcpt in envelope.rcpt_tos:
            self.out.write(f"{rcpt}\t{message_id}\n")
        return "250 Message accepted"


def run_sink(port: int, path: str) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


def received(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        rcpt, _, message_id = line.partition("\t")
        rows.append((rcpt, message_id))
    return rows


def count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


# -- seeding and checking (in this process, through Django) -----------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(learners: int) -> float:
    from django.core.management import call_command

    from notifications.actions import notify
    from notifications.models import Notification, NotificationKind
    from organizations.actions import NewPerson, add_members
    from organizations.models import Organization

    call_command("migrate", "--no-input", verbosity=0)
    if Notification.objects.exists():
        print("Reusing the seeded data (delete the data directory to seed again).")
        return 0.0
    started = time.perf_counter()
    org = Organization.objects.create(name="Digest Bench", slug="digest-bench")
    ids: list[int] = []
    for start in range(0, learners, 5000):
        people = [
            NewPerson(
                email=f"learner{n}@bench.example",
                full_name=f"Learner {n}",
                time_zone=ZONES[n % len(ZONES)],
            )
            for n in range(start, min(start + 5000, learners))
        ]
        memberships = add_members(org, people=people, invite=False, password=None)
        ids.extend(m.user.pk for m in memberships)
    for place in ("Week 2 · What listening changed", "Week 3 · Giving feedback"):
        notify(
            kind=NotificationKind.REACTION,
            recipients=ids,
            actor=None,
            actor_label="A peer",
            place=place,
            url="/cohorts/",
        )
    return time.perf_counter() - started


def check(sink: Path, learners: int) -> dict[str, Any]:
    from notifications.models import DigestDelivery, Notification

    rows = received(sink)
    per_recipient = Counter(rcpt for rcpt, _ in rows)
    per_message_id = Counter(message_id for _, message_id in rows)
    return {
        "emails_received": len(rows),
        "distinct_recipients": len(per_recipient),
        "recipients_with_more_than_one": sum(1 for n in per_recipient.values() if n > 1),
        "recipients_with_none": learners - len(per_recipient),
        "repeated_message_ids": sum(1 for n in per_message_id.values() if n > 1),
        "deliveries": DigestDelivery.objects.count(),
        "deliveries_unsent": DigestDelivery.objects.filter(sent_at__isnull=True).count(),
        "notifications_without_digest": Notification.objects.filter(digest__isnull=True).count(),
    }


# -- one run --------------------------------------------------------------------------------


def start_workers(env: dict[str, str], count: int, log: Path) -> list[subprocess.Popen[bytes]]:
    argv = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--batch",
            "--interval", "0.05", "--no-startup-delay"]  # fmt: skip
    with log.open("ab") as out:
        return [
            subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=out) for _ in range(count)
        ]


def run(args: argparse.Namespace, base: Path, name: str, kill_at: float | None) -> dict[str, Any]:
    """Copy the seeded database, plan, send through the workers (killing them once if
    `kill_at`, a share of the learners), and check what arrived."""
    data_dir = base / name
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    shutil.copy(base / "seed" / "rapport.sqlite3", data_dir / "rapport.sqlite3")
    sink_file = data_dir / "received.tsv"
    port = free_port()
    env = bench_env(data_dir, port)
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port), str(sink_file)], cwd=ROOT, env=env
    )
    time.sleep(1.0)
    worker_log = data_dir / "workers.log"
    script = (
        "import json, sys\n"
        "from datetime import datetime\n"
        "import django; django.setup()\n"
        "from notifications.tasks import plan_digests\n"
        "print(json.dumps(plan_digests(now=datetime.fromisoformat(sys.argv[1]))))\n"
    )

    def plan(at: datetime) -> dict[str, int]:
        out = subprocess.run(
            [sys.executable, "-c", script, at.isoformat()],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))

    started = time.perf_counter()
    planned = plan(PLAN_AT)
    plan_seconds = time.perf_counter() - started
    workers = start_workers(env, args.workers, worker_log)
    killed_after = None
    replanned = {"requeued": 0}
    if kill_at is not None:
        goal = int(args.learners * kill_at)
        while count_lines(sink_file) < goal and any(w.poll() is None for w in workers):
            time.sleep(0.05)
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
        for worker in workers:
            worker.wait()
        killed_after = count_lines(sink_file)
        time.sleep(6)  # the lease (5 s) passes
        replanned = plan(PLAN_AT.replace(minute=5))
        workers = start_workers(env, args.workers, worker_log)
    for worker in workers:
        worker.wait()
    # As `run_periodic` would, every minute: queue again whatever is left (a task that failed).
    rounds = 0
    while count_lines(sink_file) < args.learners and rounds < 5:
        rounds += 1
        time.sleep(6)
        replanned["requeued"] += plan(PLAN_AT.replace(minute=10 + rounds))["requeued"]
        for worker in start_workers(env, args.workers, worker_log):
            worker.wait()
    wall = time.perf_counter() - started
    time.sleep(0.5)
    sink.send_signal(signal.SIGTERM)
    sink.wait(timeout=10)

    os.environ.update(env)
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = str(data_dir / "rapport.sqlite3")
    result = check(sink_file, args.learners)
    result.update(
        run=name,
        wall_seconds=round(wall, 1),
        plan_seconds=round(plan_seconds, 1),
        planned=planned["planned"],
        tasks=planned["tasks"],
        digests_per_second=round(result["emails_received"] / wall, 1),
    )
    result.update(requeued=replanned["requeued"], extra_rounds=rounds)
    if kill_at is not None:
        result.update(killed_after_emails=killed_after)
    return result


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        run_sink(int(sys.argv[2]), sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share sent before the kill")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-digest"))
    args = parser.parse_args()

    base = Path(args.data_dir) / str(args.learners)
    (base / "seed").mkdir(parents=True, exist_ok=True)
    setup_django(bench_env(base / "seed", 25))
    seed_seconds = seed(args.learners)
    from django.db import connections

    connections.close_all()
    print(f"Seeded {args.learners:,} learners in {seed_seconds:.0f} s" if seed_seconds else "")

    results = [run(args, base, "clean", None), run(args, base, "kill", args.kill_at)]
    ok = True
    for result in results:
        print(json.dumps(result, indent=2))
        exact = (
            result["recipients_with_more_than_one"] == 0
            and result["recipients_with_none"] == 0
            and result["deliveries_unsent"] == 0
            and result["notifications_without_digest"] == 0
        )
        fast = result["wall_seconds"] < TARGET_SECONDS
        print(
            f"{result['run']}: {result['emails_received']:,} digests in "
            f"{result['wall_seconds']} s ({result['digests_per_second']}/s) — exactly one each: "
            f"{'yes' if exact else 'NO'}; under {TARGET_SECONDS:.0f} s: {'yes' if fast else 'no'}"
        )
        ok = ok and exact
    return 0 if ok else 1


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    sys.exit(main())
