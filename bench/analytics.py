#!/usr/bin/env python
"""Benchmark: the analytics at the reference scale (docs/performance.md, "Analytics").

Seeds (once, then reused) the demo organisation at `--learners` (default 100,000) in cohorts of
4,500 with `--event-days` of history (default 540: about 10,000,000 events), through
`demo.seed.seed_demo`, which ends by folding every event into the rollup (timed: the full
refresh). Then, in one process and one run:

1. the programme dashboard (`analytics:dashboard`) for all cohorts, the 4,500-learner cohort,
   and one region of it: `--requests` requests each through Django's test client, p50/p95, the
   queries each makes, and the ratio to `healthz` measured in the same run;
   (the queries each page makes are asserted in analytics/tests/test_dashboard.py: five);
2. the rollup refresh for one day of events of every learner (`--day-events` per learner,
   written in bulk as the demo writes events): events per second and wall time;
3. connection analytics for the 4,500-learner cohort with `--interactions` replies and
   reactions (written in bulk once): `analytics.connections.for_cohort`, p50/max of
   `--connection-runs` runs, wall and CPU time (this process's, and on PostgreSQL the server
   backend's too, read from /proc), interleaved with the computation it replaced (kept in
   analytics/tests/test_connections_oracle.py as the tests' oracle) for a same-run ratio.

`--only` runs some of the three (the seed is made or reused first whatever). Each part also
reports the CPU time it took, since on a shared machine the wall time mostly measures the
other processes. It asserts nothing: read the figures against the targets it prints.

    .venv/bin/python bench/analytics.py                               # SQLite, 100,000 learners
    .venv/bin/python bench/analytics.py --learners 20000 --event-days 60   # quicker
    .venv/bin/python bench/analytics.py --database-url postgres://postgres@127.0.0.1:5432/rapport_analytics
    .venv/bin/python bench/analytics.py --learners 9001 --event-days 7 --only connections
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.seeding import backend_cpu  # noqa: E402  (needs ROOT on the path)

# Issue 10: a cohort dashboard p95 < 300 ms over 10,000,000 events; a day of 100,000 learners'
# events rolled up in < 60 s; connections of 4,500 learners and 200,000 interactions in < 2 s.
TARGETS = {"dashboard_p95_ms": 300.0, "refresh_day_s": 60.0, "connections_s": 2.0}
COHORT = 4500


def setup(args: argparse.Namespace) -> Path:
    backend = "postgres" if args.database_url else "sqlite"
    data_dir = Path(
        args.data_dir or ROOT / "var" / "bench" / f"analytics-{backend}-{args.learners}"
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        RAPPORT_VAR_DIR=str(data_dir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-" + "k" * 40,
        RAPPORT_EMAIL_CONSOLE="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        RAPPORT_LOG_LEVEL="WARNING",
    )
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return data_dir


def seed(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Seed through bench/seeding.py, the journey bench's path (on PostgreSQL: the big tables
    loaded without their indexes, then VACUUM ANALYZE), once per data directory."""
    marker = data_dir / "seeded.json"
    if marker.is_file():
        return dict(json.loads(marker.read_text()))
    from bench.seeding import seed_timed
    from demo.seed import SeedOptions

    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(line)
        print("  " + line, flush=True)

    costs = seed_timed(
        SeedOptions(
            learners=args.learners, cohort_size=COHORT, event_days=args.event_days, short_media=True
        ),
        log=log,
    )
    rollup = next((line for line in lines if line.startswith("Rollups:")), "")
    info = {"seed_s": costs["seed"]["wall_s"], "full_refresh": rollup, "costs": costs}
    marker.write_text(json.dumps(info))
    return info


def timed(fn: Any, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def cpu_timed(fn: Any) -> tuple[float, float, float | None]:
    """One call of `fn`: (wall seconds, this process's CPU seconds, the backend's or None)."""
    server = backend_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = backend_cpu()
    return wall, cpu, None if server is None or after is None else after - server


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def dashboards(args: argparse.Namespace) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from cohorts.models import Cohort
    from demo.seed import demo_organization
    from events.models import Event
    from organizations.models import Membership, Role

    org = demo_organization()
    assert org is not None
    admin = Membership.objects.filter(organization=org, role=Role.ADMIN).select_related("user")[0]
    cohort = Cohort.objects.filter(organization=org, enrollments__isnull=False).distinct()
    main = max(cohort, key=lambda c: c.enrollments.count())
    region = main.enrollments.filter(role="learner").values_list(
        "user__membership__region", flat=True
    )[0]
    client = Client()
    client.force_login(admin.user)
    url = reverse("analytics:dashboard", args=[main.program.public_id])
    events = Event.objects.count()
    print(f"  {events:,} events; the cohort {main.name!r} has {main.enrollments.count():,} seats")
    results: dict[str, Any] = {"events": events}
    hello = timed(lambda: client.get("/healthz"), args.requests)
    for name, query in (
        ("all cohorts", {}),
        ("the cohort", {"cohort": str(main.public_id)}),
        ("one region of it", {"cohort": str(main.public_id), "group": f"region:{region}"}),
    ):
        response = client.get(url, query)  # warm (the first view may solve the snapshot)
        assert response.status_code == 200, response.status_code
        cpu = time.process_time()
        times = timed(lambda q=query: client.get(url, q), args.requests)
        cpu = time.process_time() - cpu
        results[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95(times), 1),
            "cpu_ms_mean": round(1000 * cpu / args.requests, 1),
            "ratio_to_healthz": round(statistics.median(times) / statistics.median(hello), 1),
        }
        print(f"  dashboard, {name}: {results[name]}", flush=True)
    results["healthz_p50_ms"] = round(statistics.median(hello), 2)
    return results


def day_refresh(args: argparse.Namespace) -> dict[str, Any]:
    """Write one day of events for every learner (after the history), then time the refresh."""
    from django.db import transaction

    from analytics.rollups import refresh
    from cohorts.models import Enrollment
    from demo.bulk import Params, epoch, insert_rows
    from demo.seed import demo_organization
    from events.models import Event, ObjectType, Verb
    from programs.models import Activity

    org = demo_organization()
    assert org is not None
    seats = list(
        Enrollment.objects.filter(organization=org, role="learner").values_list(
            "user_id", "cohort_id", "public_id"
        )
    )
    activities = list(Activity.objects.filter(organization=org).values_list("public_id", flat=True))
    rng = random.Random(3)
    params = Params()
    day = epoch(datetime.now(UTC).replace(hour=0, minute=0, second=0) - timedelta(days=1))
    verbs = (Verb.VIEWED, Verb.PLAYED, Verb.PROGRESSED, Verb.COMPLETED, Verb.LAUNCHED)
    rows: list[tuple[Any, ...]] = []
    for user_id, cohort_id, registration in seats:
        for _ in range(args.day_events):
            rows.append(
                (
                    params.event_uuids(1)[0],
                    org.pk,
                    user_id,
                    rng.choice(verbs),
                    ObjectType.ACTIVITY,
                    params.uuid(rng.choice(activities)),
                    cohort_id,
                    params.uuid(registration),
                    params.empty,
                    params.when(day + rng.randrange(86_400)),
                )
            )
    columns = [
        "public_id", "organization_id", "actor_id", "verb", "object_type", "object_id",
        "cohort_id", "registration", "result", "timestamp",
    ]  # fmt: skip
    with transaction.atomic():
        insert_rows(Event, columns, rows)
    server = backend_cpu()
    start, cpu = time.perf_counter(), time.process_time()
    report = refresh(settle=timedelta(0))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = backend_cpu()
    result = {
        "learners": len(seats),
        "events": report.events,
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "server_cpu_s": None if server is None or after is None else round(after - server, 1),
        "events_per_s": round(report.events / seconds) if seconds else None,
        "learner_weeks": report.rows,
    }
    print(f"  refresh of a day: {result}", flush=True)
    assert Event.objects.exists()
    return result


def connections(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Replies and reactions among the 4,500-learner cohort (once), then for_cohort timed."""
    from django.db import transaction
    from django.utils import timezone

    from analytics.connections import for_cohort
    from cohorts.models import Cohort
    from demo.bulk import Params, epoch, insert_rows
    from demo.seed import demo_organization
    from discussions.actions import community_thread
    from discussions.models import Post, Reaction, ReactionKind

    org = demo_organization()
    assert org is not None
    main = max(Cohort.objects.filter(organization=org), key=lambda c: c.enrollments.count())
    marker = data_dir / "interactions.json"
    if not marker.is_file():
        rng = random.Random(5)
        params = Params()
        learners = list(main.enrollments.filter(role="learner").values_list("user_id", flat=True))
        thread = community_thread(main)
        start = epoch(datetime.combine(main.start_date, datetime.min.time(), tzinfo=UTC))
        span = max(86_400, epoch(timezone.now()) - start)
        tops = args.interactions // 10
        replies = args.interactions // 2 - tops
        reactions = args.interactions - replies
        columns = [
            "public_id", "organization_id", "thread_id", "author_id", "body", "created_at",
            "pseudonym", "hidden_reason",
        ]  # fmt: skip
        with transaction.atomic():
            when = params.when
            insert_rows(
                Post,
                columns,
                [
                    (
                        params.event_uuids(1)[0],
                        org.pk,
                        thread.pk,
                        rng.choice(learners),
                        "A thought.",
                        when(start + rng.randrange(span)),
                        "",
                        "",
                    )
                    for _ in range(tops)
                ],
            )
            top_ids = list(Post.objects.filter(thread=thread).values_list("id", flat=True))
            insert_rows(
                Post,
                [*columns, "parent_id"],
                [
                    (
                        params.event_uuids(1)[0],
                        org.pk,
                        thread.pk,
                        rng.choice(learners),
                        "Yes.",
                        when(start + rng.randrange(span)),
                        "",
                        "",
                        rng.choice(top_ids),
                    )
                    for _ in range(replies)
                ],
            )
            post_ids = list(Post.objects.filter(thread=thread).values_list("id", flat=True))
            seen: set[tuple[int, int, str]] = set()
            rows: list[tuple[Any, ...]] = []
            kinds = list(ReactionKind.values)
            while len(rows) < reactions:
                key = (rng.choice(post_ids), rng.choice(learners), rng.choice(kinds))
                if key not in seen:
                    seen.add(key)
                    rows.append(
                        (org.pk, key[0], key[1], key[2], params.when(start + rng.randrange(span)))
                    )
            insert_rows(
                Reaction, ["organization_id", "post_id", "user_id", "kind", "created_at"], rows
            )
        marker.write_text(json.dumps({"interactions": replies + reactions}))
    from analytics.tests.test_connections_oracle import old_for_cohort

    seated = main.enrollments.filter(role="learner").count()
    runs: dict[str, list[tuple[float, float, float | None]]] = {"now": [], "replaced": []}
    for _ in range(args.connection_runs):  # interleaved, so both see the same machine
        runs["now"].append(cpu_timed(lambda: for_cohort(main)))
        if args.compare_replaced:
            runs["replaced"].append(cpu_timed(lambda: old_for_cohort(main)))
    if args.compare_replaced:
        assert for_cohort(main).weeks == old_for_cohort(main).weeks, "the two disagree"

    def summary(times: list[tuple[float, float, float | None]]) -> dict[str, Any]:
        servers = [server for _w, _c, server in times if server is not None]
        return {
            "wall_p50_s": round(statistics.median(w for w, _c, _s in times), 3),
            "wall_max_s": round(max(w for w, _c, _s in times), 3),
            "cpu_p50_s": round(statistics.median(c for _w, c, _s in times), 3),
            "server_cpu_p50_s": round(statistics.median(servers), 3) if servers else None,
        }

    result: dict[str, Any] = {
        "learners": seated,
        "interactions": json.loads(marker.read_text())["interactions"],
        "runs": args.connection_runs,
        "for_cohort": summary(runs["now"]),
    }
    if args.compare_replaced:
        result["replaced"] = summary(runs["replaced"])
        result["cpu_ratio_replaced_to_now"] = round(
            result["replaced"]["cpu_p50_s"] / result["for_cohort"]["cpu_p50_s"], 1
        )
    print(f"  connections: {result}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--event-days", type=int, default=540)
    parser.add_argument("--day-events", type=int, default=5, help="events per learner in the day")
    parser.add_argument("--interactions", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--connection-runs", type=int, default=5)
    parser.add_argument(
        "--compare-replaced",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time the connections computation that for_cohort replaced (the oracle)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("dashboards", "refresh", "connections"),
        default=("dashboards", "refresh", "connections"),
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    load = os.getloadavg()
    data_dir = setup(args)
    info = seed(args, data_dir)
    print(f"seed: {info}", flush=True)
    results: dict[str, Any] = {"seed": info}
    parts = {
        "dashboards": lambda: dashboards(args),
        "refresh": lambda: day_refresh(args),
        "connections": lambda: connections(args, data_dir),
    }
    for name, part in parts.items():
        if name in args.only:
            cpu = time.process_time()
            results[name] = part()
            results[name]["cpu_s_of_the_part"] = round(time.process_time() - cpu, 1)
    results.update(
        targets=TARGETS,
        load_before=[round(x, 2) for x in load],
        load_after=[round(x, 2) for x in os.getloadavg()],
    )
    print(json.dumps(results, indent=2))
    (data_dir / "results.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
