#!/usr/bin/env python
"""Benchmark: every learner page (This week, a week, the journey overview, an activity) at the
reference scale, under concurrent load.

Seeds (once, then reused) an organisation of 100,000 learners in cohorts of 4,500 with a year of
events, serves it with gunicorn (sync workers) or granian (WSGI), production settings and
persistent database connections, and loads it with wrk on loopback at 8 connections. The same
server's hello-world view is measured in the same run as the floor. Prints requests/s,
p50/p95/p99, the ratio to hello-world, the queries each page makes and the machine's load
average before and after. It asserts nothing: read the figures (docs/performance.md).
The seed goes through bench/seeding.py, which prints its wall and CPU seconds (this process's
and PostgreSQL's backend's) and takes the demo media from one cache for every data directory.

    .venv/bin/python bench/journey_pages.py                      # SQLite, 100,000 learners
    .venv/bin/python bench/journey_pages.py --learners 4500      # quicker
    .venv/bin/python bench/journey_pages.py --database-url postgres://postgres@127.0.0.1:5432/rapport_bench_journey
    .venv/bin/python bench/journey_pages.py --seed-only --database-url …   # seed, print its cost

Needs `wrk` (Debian package `wrk`).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Issue 6: each learner page at least 10% of the same run's hello-world, p95 under 50 ms at 8
# connections, and (issue 2) at most 10 queries.
TARGETS = {"rps_ratio": 0.10, "p95_ms": 50.0, "queries": 10}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_env(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        RAPPORT_VAR_DIR=str(data_dir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-" + "k" * 40,
        RAPPORT_EMAIL_CONSOLE="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PYTHONPATH=str(ROOT),
        RAPPORT_LOG_LEVEL="WARNING",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def manage(env: dict[str, str], *argv: str, check: bool = True) -> int:
    return subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, check=check
    ).returncode


def seed(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any] | None:
    """Seed through bench/seeding.py (a PostgreSQL seed ends with VACUUM ANALYZE) and return
    its costs (wall and CPU seconds), or None when the data directory's database is seeded."""
    manage(env, "migrate", "--no-input", "-v", "0")
    if manage(env, "seed_demo", "--check", check=False) == 0:
        print("Reusing the seeded data (delete the data directory to seed again).")
        return None
    # A small run is one full 4,500-learner cohort, rather than the demo's spread over weeks.
    one_cohort = ["--cohorts", "1"] if args.learners <= 4500 else []
    command = [
        sys.executable, str(ROOT / "bench" / "seeding.py"),
        *one_cohort,
        "--learners", str(args.learners),
        "--cohort-size", "4500",
        "--event-days", str(args.event_days),
    ]  # fmt: skip
    costs: dict[str, Any] | None = None
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as run:
        assert run.stdout is not None
        for line in run.stdout:  # its progress as it goes; the costs come last, as JSON
            if line.startswith("{"):
                costs = json.loads(line)
            else:
                print(line, end="", flush=True)
    if run.returncode != 0 or costs is None:
        raise SystemExit(f"seeding failed ({run.returncode})")
    return costs


def seed_summary(costs: dict[str, Any]) -> str:
    """One line: the seed's wall and CPU seconds, and the VACUUM ANALYZE's on PostgreSQL."""
    seed = costs["seed"]
    line = f"Seeded in {seed['wall_s']:.0f} s wall, {seed['cpu_s']:.0f} s CPU here"
    if seed["server_cpu_s"] is not None:
        line += f" and {seed['server_cpu_s']:.0f} s in PostgreSQL's backend"
    if costs.get("vacuum"):
        vacuum = costs["vacuum"]
        line += f"; VACUUM ANALYZE {vacuum['wall_s']:.0f} s wall"
        if vacuum["server_cpu_s"] is not None:
            line += f", {vacuum['server_cpu_s']:.0f} s backend CPU"
    return line + f" (1-min load {costs['load'][0]} before, {costs['load'][1]} after)"


def prepare_in_process(env: dict[str, str]) -> dict[str, object]:
    """Sign the demo learner in (a real session row) and count each page's queries."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from cohorts.models import Enrollment, EnrollmentRole
    from events.models import Event
    from programs.models import Activity, ActivityKind

    user = User.objects.get(email="learner@northwind.example")
    enrollment = Enrollment.objects.select_related("cohort").get(
        user=user, role=EnrollmentRole.LEARNER
    )
    cohort = enrollment.cohort
    activity = (
        Activity.objects.filter(week__program_id=cohort.program_id, kind=ActivityKind.AUDIO)
        .order_by("week__number")
        .first()
    )
    assert activity is not None, "the demo programme has a podcast"
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    pages = {
        "hello": "/bench/hello",
        "this_week": reverse("cohorts:this_week", args=[cohort.public_id]),
        "week": reverse("cohorts:week", args=[cohort.public_id, activity.week.number]),
        "journey": reverse("cohorts:journey", args=[cohort.public_id]),
        "activity": reverse("cohorts:activity", args=[cohort.public_id, activity.public_id]),
    }
    client = Client()
    client.cookies["sessionid"] = session.session_key or ""
    queries: dict[str, int] = {}
    for name, url in pages.items():
        client.get(url)  # warm the session cache and the learner's progress row
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(ctx.captured_queries)
    return {
        "session": session.session_key,
        "pages": pages,
        "queries": queries,
        "learners": User.objects.filter(membership__role="learner").count(),
        "cohort_learners": Enrollment.objects.filter(
            cohort=cohort, role=EnrollmentRole.LEARNER
        ).count(),
        "events": Event.objects.count(),
        "vendor": connection.vendor,
    }


def server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "granian":
        # Over WSGI, not ASGI: Django's ASGI path costs ~2.6 ms a request on these machines.
        return [
            str(Path(sys.executable).parent / "granian"),
            "--interface", "wsgi",
            "--host", "127.0.0.1",
            "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", "2",
            "--log-level", "warning",
            "--no-access-log",
            "rapport.wsgi:application",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn", "rapport.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--log-level", "warning",
    ]  # fmt: skip


def start_server(
    env: dict[str, str], port: int, workers: int, kind: str
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        server_command(kind, port, workers),
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120  # a busy machine starts workers slowly
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello", timeout=10):
                return server
        except OSError:  # refused, reset or timed out (URLError is an OSError): not up yet
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"{kind} did not start within 120 s")


def check_page(port: int, url: str, session: str) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{url}", headers={"Cookie": f"sessionid={session}"}
    )
    for _ in range(20):  # warm every worker's caches
        with urllib.request.urlopen(request, timeout=60) as response:  # a cold worker is slow
            if response.status != 200 or response.url.endswith("/sign-in/"):
                raise SystemExit(f"{url} answered {response.status} at {response.url}")


def run_wrk(
    port: int, url: str, session: str, args: argparse.Namespace, *, script: Path | None = None
) -> dict[str, float]:
    """wrk's figures for one URL (`script`: a Lua script of its own, ending with what
    bench/wrk_report.lua does; the default is a GET with the session cookie)."""
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(args.connections),
            "-d",
            f"{args.duration}s",
            "--latency",
            "-s",
            str(script or ROOT / "bench" / "wrk_report.lua"),
            "-H",
            f"Cookie: sessionid={session}",
            f"http://127.0.0.1:{port}{url}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    return json.loads(line)  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--event-days", type=int, default=365)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (or find the seeded data) and stop"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.seed_only:
        raise SystemExit("wrk is needed: apt-get install wrk")

    backend = "postgresql" if args.database_url else "sqlite"
    data_dir = Path(args.data_dir or ROOT / "var" / "bench" / f"{backend}-{args.learners}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, data_dir)
    if args.database_url:
        sys.path.insert(0, str(ROOT))
        from bench.seeding import ensure_database

        if ensure_database(args.database_url):
            print(f"Created the database {args.database_url}")
    seed_costs = seed(args, env)
    if args.seed_only:
        print(seed_summary(seed_costs) if seed_costs else "Already seeded")
        return 0
    manage(env, "collectstatic", "--no-input", "-v", "0")
    facts = prepare_in_process(env)

    port = free_port()
    server = start_server(env, port, args.workers, args.server)
    results: dict[str, dict[str, float]] = {}
    load_before = os.getloadavg()
    try:
        for name, url in facts["pages"].items():  # type: ignore[attr-defined]
            check_page(port, url, str(facts["session"]))
            load = os.getloadavg()[0]  # other work on the machine, just before this page's load
            results[name] = run_wrk(port, url, str(facts["session"]), args)
            results[name]["load_1min_before"] = load
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    load_after = os.getloadavg()
    print()
    print(
        f"Rapport journey pages — {backend}, {facts['learners']:,} learners "
        f"({facts['cohort_learners']:,} in the measured cohort), {facts['events']:,} events; "
        f"{args.server} {args.workers} workers; wrk {args.connections} connections x "
        f"{args.duration}s; {os.cpu_count()} cores"
    )
    if seed_costs:
        print(seed_summary(seed_costs))
    print_load(load_before, load_after)

    def verdict(name: str, figures: dict[str, float], ratio: float, queries: int) -> str:
        if name == "hello":
            return ""
        met = (
            ratio >= TARGETS["rps_ratio"]
            and figures["p95_ms"] < TARGETS["p95_ms"]
            and queries <= TARGETS["queries"]
            and figures["non_2xx"] == 0
        )
        return (
            "meets targets"
            if met
            else f"MISSES a target (≥{TARGETS['rps_ratio']:.0%} of hello, "
            f"p95<{TARGETS['p95_ms']:.0f} ms, ≤{TARGETS['queries']} queries)"
        )

    print_figures(results, facts["queries"], verdict, label="page")  # type: ignore[arg-type]

    save_results(
        "journey_pages",
        {
            "backend": backend,
            "args": vars(args),
            "facts": facts,
            "seed": seed_costs,
            "results": results,
            "load": {"before": load_before, "after": load_after},
        },
    )
    return 0


def print_figures(
    results: dict[str, dict[str, float]],
    queries: dict[str, int],
    verdict: "Callable[[str, dict[str, float], float, int], str]",
    *,
    label: str,
) -> None:
    """One line per measured URL: req/s, p50/p95/p99 in ms, the ratio to the run's `hello`,
    its queries and `verdict(name, figures, ratio, queries)` (the targets met or missed)."""
    hello = results["hello"]["rps"]
    header = (
        f"{label:<11} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'/hello':>7} {'queries':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    for name, figures in results.items():
        ratio = figures["rps"] / hello if hello else 0.0
        print(
            f"{name:<11} {figures['rps']:>8.0f} {figures['p50_ms']:>8.1f} "
            f"{figures['p95_ms']:>8.1f} {figures['p99_ms']:>8.1f} {ratio:>6.1%} "
            f"{queries[name]:>8}  {verdict(name, figures, ratio, queries[name])}"
        )
        if figures["errors"] or figures["non_2xx"]:
            print(f"  ! {figures['errors']} socket errors, {figures['non_2xx']} answers ≥ 400")


def print_load(before: tuple[float, ...], after: tuple[float, ...]) -> None:
    """The machine's load average before and after a run: its figures are read beside it."""
    print(
        "Load average (1, 5, 15 min): before "
        + ", ".join(f"{x:.2f}" for x in before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in after)
        + " (the run's own server and wrk count in it)"
    )


def save_results(name: str, record: dict[str, Any]) -> Path:
    """Keep a run's figures as bench/results/<name>-<backend>-<UTC time>.json (not committed)."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"{name}-{record['backend']}-{stamp}.json"
    path.write_text(json.dumps(record, indent=2, default=str))
    return path


if __name__ == "__main__":
    sys.exit(main())
