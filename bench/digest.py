#!/usr/bin/env python
"""Benchmark: a weekly notification digest for 100,000 learners through the task worker, and the
proof that killing the worker midway and restarting it sends nobody the same digest twice and
skips nobody.

Seeds (once, then reused) an organisation of N learners in a spread of time zones, each with two
reactions waiting for their weekly digest (reactions go to the weekly digest by default). Then,
twice on a fresh copy of that database:

1. **clean run** — W `manage.py db_worker` processes are started (already running, as in
   production) at the same moment as `plan_digests` (what `manage.py run_periodic` runs), which
   creates one DigestDelivery per learner and queues `send_digests` tasks chunk by chunk, so the
   workers send the first chunks over SMTP to a sink on loopback while the next are planned.
   Wall time from that moment to the last email accepted; the plan's own time and the first
   email's are printed too.
2. **kill run** — the same, but the workers are killed (SIGKILL, no chance to clean up) once a
   given share of emails has arrived; after the lease (RAPPORT_DIGEST_LEASE_SECONDS, set to 5 s
   here) fresh workers start and `plan_digests` runs again, and they finish the job.

After each run it checks, from what the SMTP server received, that every learner got exactly one
digest (counted per recipient, not per Message-ID), and from the database that every delivery is
marked sent and every notification belongs to one digest. Mail goes through Django's real SMTP
backend to an SMTP server on loopback in its own process (not the locmem or file backend): locmem
lives inside one process and dies with a killed worker, and the file backend would not exercise
the SMTP conversation whose acceptance is the moment a digest counts as sent. The server is
Postfix's smtp-sink when it is installed (`apt-get install postfix`), else aiosmtpd with a note
(`--sink aiosmtpd` asks for it); see "the SMTP sink" below.

    .venv/bin/python bench/digest.py                     # 100,000 learners, 2 workers
    .venv/bin/python bench/digest.py --learners 5000     # quicker
    .venv/bin/python bench/digest.py --learners 5000 --sink aiosmtpd
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


# -- the SMTP sink ------------------------------------------------------------------------------
#
# Two real SMTP servers on loopback, each in its own process, which answer "250" to every
# message and record what they received:
# - "smtp-sink": Postfix's test server (C; Debian package `postfix`, /usr/sbin/smtp-sink), which
#   appends every message with its envelope to a dump file (-D). A fifth to a third of aiosmtpd's
#   CPU a message (docs/performance.md, "Digest", round 5), which matters here because the sink
#   shares the machine's cores with the workers; in production the mail server is elsewhere.
# - "aiosmtpd": the Python server already in the venv (`bench/digest.py --sink PORT FILE`), used
#   when smtp-sink is not installed, or asked for.
# Either way the benchmark counts, per recipient, the Message-IDs the server received.

SINKS = ("smtp-sink", "aiosmtpd")
INSTALL_SMTP_SINK = (
    "Postfix's smtp-sink is not installed, so the SMTP sink is aiosmtpd (Python, in its own "
    "process), which takes three to five times more of the shared CPU a message. For the faster "
    'sink: `sudo apt-get install postfix` (Debian/Ubuntu; choose "No configuration", or run '
    "`sudo postfix stop` afterwards if it started a mail server on port 25)."
)
# Written by smtp-sink (-S) before each message in its dump file.
DUMP_MARKER = "@@smtp-sink-message@@"


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


def smtp_sink_binary() -> str | None:
    """The path of Postfix's smtp-sink, or None when it is not installed."""
    found = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
    return found if os.access(found, os.X_OK) else None


def choose_sink(requested: str) -> str:
    """`requested` ("smtp-sink" or "aiosmtpd"), or "aiosmtpd" with a printed note when
    smtp-sink was asked for and is not installed."""
    if requested == "smtp-sink" and smtp_sink_binary() is None:
        print(f"Note: {INSTALL_SMTP_SINK}", flush=True)
        return "aiosmtpd"
    return requested


def start_sink(kind: str, port: int, data_dir: Path, env: dict[str, str]) -> tuple[Any, Path]:
    """Start the SMTP sink `kind` on 127.0.0.1:`port` and wait until it accepts connections.
    Returns the process and the file in which it records what it receives (read it with
    `received`, count it with `Counted`)."""
    if kind == "aiosmtpd":
        path = data_dir / "received.tsv"
        argv = [sys.executable, __file__, "--sink", str(port), str(path)]
    else:
        # smtp-sink refuses to run as root without -u; the user it switches to then writes the
        # dump, so the dump's directory is open to it.
        folder = data_dir / "smtp-sink"
        folder.mkdir(exist_ok=True)
        path = folder / "dump"
        argv = [str(smtp_sink_binary()), "-D", str(path), "-S", DUMP_MARKER + "\\n"]
        if os.geteuid() == 0:
            folder.chmod(0o777)
            argv += ["-u", "nobody"]
        argv += [f"127.0.0.1:{port}", "256"]
    process = subprocess.Popen(argv, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the {kind} SMTP sink did not start") from None
            time.sleep(0.05)
    return process, path


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the running process `pid` (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def received(path: Path) -> list[tuple[str, str]]:
    """(recipient, Message-ID) for every recipient of every message the sink received."""
    if not path.exists():
        return []
    if path.name != "dump":
        rows = []
        for line in path.read_text().splitlines():
            rcpt, _, message_id = line.partition("\t")
            rows.append((rcpt, message_id))
        return rows
    # smtp-sink's dump: each message is the marker line, its "X-Rcpt-Args: <address>" lines
    # (one per RCPT TO), a Received header, then the message as received (header, blank line,
    # body) and a blank line.
    rows = []
    with path.open("rb") as dump:
        for record in dump.read().split(DUMP_MARKER.encode() + b"\n")[1:]:
            head = record.split(b"\n\n", 1)[0].decode("utf-8", "replace")
            rcpts = [
                line.split(":", 1)[1].strip().split()[0].strip("<>")
                for line in head.split("\n")
                if line.startswith("X-Rcpt-Args:")
            ]
            message_id = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in head.split("\n")
                    if line.lower().startswith("message-id:")
                ),
                "",
            )
            rows.extend((rcpt, message_id) for rcpt in rcpts)
    return rows


class Counted:
    """How many messages the sink has received so far, reading only what was added to its
    file since the last call (the dump grows by a few kilobytes a message)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.count = 0
        self.tail = b""
        self.needle = (DUMP_MARKER + "\n").encode() if path.name == "dump" else b"\n"

    def __call__(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            data = handle.read()
        self.offset += len(data)
        chunk = self.tail + data
        self.count += chunk.count(self.needle)
        # A needle split across two reads is counted on the next one.
        keep = len(self.needle) - 1
        self.tail = chunk[-keep:] if keep else b""
        return self.count


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


def wait_cpu(process: "subprocess.Popen[bytes]") -> float:
    """Wait for `process` to end and return the CPU seconds (user + system) it used."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return float(usage.ru_utime + usage.ru_stime)


def start_workers(env: dict[str, str], count: int, log: Path) -> list[subprocess.Popen[bytes]]:
    """`count` long-running `db_worker` processes (not `--batch`: planning is chunked, so the
    queue may be empty for a moment between two chunks), stopped by `stop_workers`."""
    argv = [sys.executable, "manage.py", "db_worker", "--queue-name", "*",
            "--interval", "0.05", "--no-startup-delay"]  # fmt: skip
    with log.open("ab") as out:
        return [
            subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=out) for _ in range(count)
        ]


def stop_workers(workers: list["subprocess.Popen[bytes]"], sig: int = signal.SIGTERM) -> float:
    """Stop the workers (SIGTERM: each finishes its task; SIGKILL: at once) and return the CPU
    seconds they used."""
    for worker in workers:
        worker.send_signal(sig)
    return sum(wait_cpu(worker) for worker in workers)


def run(args: argparse.Namespace, base: Path, name: str, kill_at: float | None) -> dict[str, Any]:
    """Copy the seeded database, then plan and send at once — the workers already running, as
    in production, so they send the first chunks while the planner plans the next ones —
    killing the workers once if `kill_at` (a share of the learners), and check what arrived."""
    data_dir = base / name
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    shutil.copy(base / "seed" / "rapport.sqlite3", data_dir / "rapport.sqlite3")
    port = free_port()
    env = bench_env(data_dir, port)
    sink, sink_file = start_sink(args.sink, port, data_dir, env)
    count = Counted(sink_file)
    worker_log = data_dir / "workers.log"
    script = (
        "import json, sys\n"
        "from datetime import datetime\n"
        "import django; django.setup()\n"
        "from notifications.tasks import plan_digests\n"
        "print(json.dumps(plan_digests(now=datetime.fromisoformat(sys.argv[1]))))\n"
    )

    def plan(at: datetime) -> "subprocess.Popen[str]":
        return subprocess.Popen(
            [sys.executable, "-c", script, at.isoformat()],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def planned_counts(planner: "subprocess.Popen[str]") -> dict[str, int]:
        out, _ = planner.communicate()
        if planner.returncode:
            raise RuntimeError(f"plan_digests failed ({planner.returncode})")
        return dict(json.loads(out.strip().splitlines()[-1]))

    started = time.perf_counter()
    workers = start_workers(env, args.workers, worker_log)
    planner: subprocess.Popen[str] | None = plan(PLAN_AT)
    planned: dict[str, int] | None = None
    plan_seconds = first_email = None
    killed_after = None
    worker_cpu = 0.0
    requeued = rounds = 0
    goal = args.learners if kill_at is None else int(args.learners * kill_at)
    progress, progress_at, shown = 0, time.perf_counter(), 0.0
    while True:
        received_now = count()
        moment = time.perf_counter()
        if moment - shown >= 5:
            print(f"  {name}: {moment - started:6.1f} s, {received_now:,} emails", flush=True)
            shown = moment
        if first_email is None and received_now:
            first_email = moment - started
        if planner is not None and planner.poll() is not None:
            counts = planned_counts(planner)
            planner, progress_at = None, moment  # a stall is counted from the plan's end
            if planned is None:
                planned, plan_seconds = counts, moment - started
            else:
                requeued += counts["requeued"]
        if received_now >= goal:
            if kill_at is None or killed_after is not None:
                break
            worker_cpu += stop_workers(workers, signal.SIGKILL)
            killed_after = count()
            time.sleep(6)  # the lease (5 s) passes
            if planner is not None:  # the first plan, long over by now
                planned, plan_seconds = planned_counts(planner), time.perf_counter() - started
            workers = start_workers(env, args.workers, worker_log)
            planner = plan(PLAN_AT.replace(minute=5))
            goal = args.learners
            continue
        if received_now > progress:
            progress, progress_at = received_now, moment
        elif moment - progress_at > 8 and planner is None:
            if rounds >= 5:
                break
            # As `run_periodic` would, every minute: queue again whatever is stuck.
            rounds += 1
            planner = plan(PLAN_AT.replace(minute=10 + rounds))
        time.sleep(0.02)
    wall = time.perf_counter() - started
    if planner is not None:
        requeued += planned_counts(planner)["requeued"]
    assert planned is not None
    worker_cpu += stop_workers(workers)
    time.sleep(0.5)
    sink_cpu = process_cpu(sink.pid)
    sink.send_signal(signal.SIGTERM)
    sink.wait(timeout=10)

    os.environ.update(env)
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = str(data_dir / "rapport.sqlite3")
    result = check(sink_file, args.learners)
    result.update(
        run=name,
        sink=args.sink,
        wall_seconds=round(wall, 1),
        plan_seconds=round(plan_seconds or wall, 1),
        first_email_seconds=round(first_email or wall, 1),
        planned=planned["planned"],
        tasks=planned["tasks"],
        digests_per_second=round(result["emails_received"] / wall, 1),
        worker_cpu_ms_per_digest=round(worker_cpu / max(result["emails_received"], 1) * 1000, 2),
        sink_cpu_ms_per_digest=round(sink_cpu / max(result["emails_received"], 1) * 1000, 2),
    )
    result.update(requeued=requeued, extra_rounds=rounds)
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
    parser.add_argument(
        "--sink",
        choices=SINKS,
        default="smtp-sink",
        help="the SMTP server on loopback (smtp-sink falls back to aiosmtpd if not installed)",
    )
    args = parser.parse_args()
    args.sink = choose_sink(args.sink)

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
