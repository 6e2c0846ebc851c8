#!/usr/bin/env python
"""Where a weekly digest's CPU goes, in this process: `send_digests` over N planned digests,
with the mail server (an SMTP sink of `bench/digest.py`, `--sink smtp-sink|aiosmtpd`) in its own
process, so that the figure is the worker's own CPU (`time.process_time`), which the machine's
load changes little. The sink's CPU over the same sending is read from /proc.

Seeds `--learners` people as `bench/digest.py` does (in its own data directory, once), plans
their digests, sends them with one call of the task's function, and prints the CPU per digest.
What a worker process does once, whatever the number of digests (importing the URLconf behind
the first `reverse()`, compiling the templates), is done before the clock starts and printed
apart. `--profile N` prints the N costliest functions of a cProfile of the sending (CPU time,
cumulative) and each part's share. Every run starts from a fresh copy of the seeded database.

    .venv/bin/python bench/digest_calls.py --learners 1000 --profile 40
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.digest import (
    PLAN_AT,
    ROOT,
    SINKS,
    bench_env,
    choose_sink,
    free_port,
    process_cpu,
    received,
    setup_django,
    start_sink,
)

# Where each function's own time is counted, by the file it is in (first match wins).
PARTS = (
    ("socket waits (the sink's answers, the scheduler)", ("socket", "recv_into", "sendall")),
    ("Python's email package (building and writing the message)", ("/email/",)),
    ("smtplib and Django's SMTP backend", ("smtplib", "mail/backends")),
    ("Django's mail message", ("django/core/mail",)),
    ("templates (Jinja2, markupsafe)", ("jinja2", "markupsafe", "templates/")),
    ("database (Django ORM, sqlite3)", ("django/db", "sqlite3")),
)


def print_shares(stats: "pstats.Stats") -> None:
    """The profile's own time (tottime) summed by part (PARTS), with the rest as "other"."""
    totals: dict[str, float] = {}
    others: dict[str, float] = {}
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename}:{function}"
        part = next((name for name, keys in PARTS if any(k in where for k in keys)), "other")
        totals[part] = totals.get(part, 0.0) + row[2]
        if part == "other":
            others[where] = others.get(where, 0.0) + row[2]
    whole = sum(totals.values())
    for part, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{seconds:7.2f} s {seconds / whole:6.1%}  {part}")
    for where, seconds in sorted(others.items(), key=lambda item: -item[1])[:8]:
        print(f"          other: {seconds:5.2f} s  {where}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-digest-calls"))
    parser.add_argument("--sink", choices=SINKS, default="smtp-sink")
    args = parser.parse_args()
    args.sink = choose_sink(args.sink)

    base = Path(args.data_dir) / str(args.learners)
    (base / "seed").mkdir(parents=True, exist_ok=True)
    if not (base / "seed" / "seeded").exists():
        seeding = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from bench.digest import seed; "
                f"seed({args.learners})",
            ],
            cwd=ROOT,
            env=bench_env(base / "seed", free_port()),
            check=True,
        )
        assert seeding.returncode == 0
        (base / "seed" / "seeded").touch()
    run_dir = base / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    shutil.copy(base / "seed" / "rapport.sqlite3", run_dir / "rapport.sqlite3")
    port = free_port()
    env = bench_env(run_dir, port)
    sink, sink_file = start_sink(args.sink, port, run_dir, env)
    try:
        setup_django(env)
        from django.urls import reverse

        from accounts.emails import _environment, _text_environment
        from notifications.models import DigestDelivery
        from notifications.tasks import plan_digests, send_digests

        plan_digests(now=PLAN_AT)
        ids = list(DigestDelivery.objects.values_list("pk", flat=True))
        started = time.process_time()
        reverse("notifications:preferences")  # imports the URLconf, once per worker process
        env_ = _environment()
        for name in ("digest_subject.txt", "digest.txt"):
            _text_environment(env_).get_template(f"notifications/email/{name}")
        env_.get_template("notifications/email/digest.html")
        once = time.process_time() - started
        send = send_digests.func  # the task's function, called here rather than by a worker
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        sink_before = process_cpu(sink.pid)
        started = time.process_time()
        if profiler:
            profiler.enable()
        sent = send(delivery_ids=ids)
        if profiler:
            profiler.disable()
        cpu = time.process_time() - started
        time.sleep(0.3)  # the sink writes its last message
        sink_cpu = process_cpu(sink.pid) - sink_before
        rows = received(sink_file)
        load = os.getloadavg()
        print(
            f"{sent:,} digests sent ({len(rows):,} received by {args.sink}, "
            f"{len({r for r, _ in rows}):,} people); worker CPU {cpu:.2f} s, "
            f"{cpu / max(sent, 1) * 1000:.2f} ms a digest{' (under cProfile)' if profiler else ''}"
            f" (plus {once:.2f} s once per process); sink CPU {sink_cpu:.2f} s, "
            f"{sink_cpu / max(sent, 1) * 1000:.2f} ms a digest; load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(args.profile)
            print(out.getvalue())
            print_shares(stats)
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
