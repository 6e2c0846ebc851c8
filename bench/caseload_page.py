#!/usr/bin/env python
"""Benchmark: a coach's caseload page with 300 learners, under concurrent load.

Seeds (once, then reused) an organisation with one coach whose caseload is `--learners` (300)
learners over three cohorts of a seven-week programme, among `--others` more learners coached by
other coaches, through the app's own actions; each of the coach's learners has progress, about
half a past session, a tenth a session marked missed, a fifth a check-in shared with the coach
and some a reflection shared with the coach, so every figure of the page and of "needs you now"
has rows behind it.

Then serves it with gunicorn (sync workers) or granian (WSGI), production settings and
persistent database connections, and loads with wrk on loopback at 8 connections:

- `hello`: the same server's hello-world view, the floor, in the same run;
- `caseload`: the coach's whole caseload (`/caseload/`), as the coach;
- `filtered`: the same page filtered to "needs you now" in one cohort.

Prints requests/s, p50/p95/p99, the ratio to hello-world, each page's queries and the load
average before and after (the helpers of bench/journey_pages.py); saves the figures to
bench/results/. It asserts nothing: read the figures (docs/performance.md).

    .venv/bin/python bench/caseload_page.py
    make bench-caseload

Needs `wrk` (Debian package `wrk`).
"""

import argparse
import json
import os
import random
import shutil
import signal
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.journey_pages import (  # noqa: E402
    bench_env,
    check_page,
    free_port,
    manage,
    print_figures,
    print_load,
    run_wrk,
    save_results,
    start_server,
)
from bench.thread_page import FIRST, LAST, seeded, setup_django  # noqa: E402

# Issue 9: query count constant at 300 learners; the page's share of hello-world is recorded.
COACH_EMAIL = "grace.mensah@bench.example"
ZONES = ("Europe/London", "Asia/Kolkata", "America/Lima", "Asia/Tokyo", "Africa/Lagos")


def seed(args: argparse.Namespace) -> float:
    """People, cohorts, seats, sessions, check-ins and shared reflections, through actions."""
    from django.utils import timezone

    from coaching.models import Booking, BookingStatus
    from cohorts.actions import Seat, enroll_many, set_completed
    from cohorts.models import EnrollmentRole
    from growth.actions import record_mood
    from organizations.actions import NewPerson, add_members
    from organizations.models import Role
    from programs.models import Activity
    from rapport.lib.timezones import local_today
    from rapport.testing import make_cohort, make_org, make_program
    from reflections.actions import write_entry
    from reflections.models import EntryKind

    started = time.perf_counter()
    rng = random.Random(9)
    org = make_org("Tailspin Care", slug="tailspin-caseload-bench")
    program = make_program(org, weeks=7, per_week=4, title="Leading with curiosity")
    today = timezone.localdate()
    cohorts = [
        make_cohort(program, name=f"Cohort {name}", start=today - timedelta(days=days))
        for name, days in (("Spring", 8), ("Summer", 22), ("Autumn", 36))
    ]
    coaches = add_members(
        org,
        people=[NewPerson(email=COACH_EMAIL, full_name="Grace Mensah")]
        + [
            NewPerson(email=f"coach{i}@bench.example", full_name=f"Coach {LAST[i]}")
            for i in range(4)
        ],
        role=Role.COACH,
        invite=False,
    )
    coach, others = coaches[0], coaches[1:]
    total = args.learners + args.others
    people = add_members(
        org,
        people=[
            NewPerson(
                email=f"learner{i}@bench.example",
                full_name=f"{FIRST[i % 26]} {LAST[(i // 26) % 26]} {i}",
                time_zone=ZONES[i % len(ZONES)],
            )
            for i in range(total)
        ],
        invite=False,
    )
    for n, cohort in enumerate(cohorts):
        enroll_many(cohort, seats=[Seat(c.user_id, EnrollmentRole.COACH) for c in coaches])
        mine = people[: args.learners][n :: len(cohorts)]
        theirs = people[args.learners :][n :: len(cohorts)]
        enroll_many(cohort, seats=[Seat(m.user_id, coach_id=coach.user_id) for m in mine])
        enroll_many(
            cohort,
            seats=[
                Seat(m.user_id, coach_id=others[i % len(others)].user_id)
                for i, m in enumerate(theirs)
            ],
        )
    activities = list(Activity.objects.filter(week__program=program).order_by("pk"))
    now = timezone.now()
    for i, member in enumerate(people[: args.learners]):
        user = member.user
        seat = user.enrollments.get()
        for activity in activities[: rng.randint(0, 10)]:
            set_completed(seat, activity=activity)
        if i % 2 == 0:
            # One hour apart: a coach holds one session at a time.
            starts = (now - timedelta(hours=3 + i)).replace(minute=0, second=0, microsecond=0)
            missed = i % 10 == 0
            Booking.objects.create(
                coach_id=coach.user_id,
                learner=user,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
                status=BookingStatus.MISSED if missed else BookingStatus.BOOKED,
                booked_by=user,
            )
        if i % 5 == 0:
            record_mood(
                user,
                submission=uuid.uuid4(),
                day=local_today(user.time_zone),
                feeling=rng.randint(1, 5),
                energy=rng.randint(1, 5),
                shared_with_coach=True,
            )
        if i % 7 == 0:
            write_entry(
                seat,
                kind=EntryKind.FREE,
                title="What I noticed this week",
                body="I asked one more question before answering, and the meeting changed.",
                visibility="coach",
            )
    print(f"  seeded {total:,} learners: {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


def prepare() -> dict[str, Any]:
    """Sign the coach in (a real session row) and count the queries of each measured page."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from coaching.access import caseload_seats

    user = User.objects.get(email=COACH_EMAIL)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    seats = list(caseload_seats(user).select_related("cohort"))
    cohort = seats[0].cohort
    urls = {
        "caseload": reverse("caseload:index"),
        "filtered": reverse("caseload:index") + f"?cohort={cohort.public_id}&status=needs",
    }
    client = Client()
    client.cookies["sessionid"] = session.session_key or ""
    queries = {"hello": 0}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(ctx.captured_queries)
    return {
        "session": session.session_key,
        "urls": urls,
        "queries": queries,
        "caseload": len(seats),
        "learners": User.objects.filter(membership__role="learner").count(),
        "vendor": connection.vendor,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=300, help="in the coach's caseload")
    parser.add_argument("--others", type=int, default=2700, help="coached by other coaches")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    backend = "postgresql" if args.database_url else "sqlite"
    data_dir = Path(args.data_dir or ROOT / "var" / "bench" / f"caseload-{backend}-{args.learners}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, data_dir)
    manage(env, "migrate", "--no-input", "-v", "0")
    setup_django(env)
    seed_seconds = 0.0
    if seeded(data_dir):
        print("Reusing the seeded data (delete the data directory to seed again).")
    else:
        print(f"Seeding a caseload of {args.learners} in {data_dir} …", flush=True)
        seed_seconds = seed(args)
        (data_dir / "seeded.json").write_text(
            json.dumps({"learners": args.learners, "seconds": round(seed_seconds)})
        )
    manage(env, "collectstatic", "--no-input", "-v", "0")
    facts = prepare()

    from django.db import connections

    connections.close_all()  # the server's workers open their own
    port = free_port()
    server = start_server(env, port, args.workers, args.server)
    results: dict[str, dict[str, float]] = {}
    load_before = os.getloadavg()
    try:
        check_page(port, "/bench/hello", str(facts["session"]))
        for url in facts["urls"].values():
            check_page(port, url, str(facts["session"]))
        for name, url in (("hello", "/bench/hello"), *facts["urls"].items()):
            load = os.getloadavg()[0]
            results[name] = run_wrk(port, url, str(facts["session"]), args)
            results[name]["load_1min_before"] = load
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    load_after = os.getloadavg()

    print()
    print(
        f"Rapport caseload page — {backend}, a caseload of {facts['caseload']} learners among "
        f"{facts['learners']:,}; {args.server} {args.workers} workers; wrk "
        f"{args.connections} connections x {args.duration}s; {os.cpu_count()} cores"
    )
    if seed_seconds:
        print(f"Seeded in {seed_seconds:.0f} s")
    print_load(load_before, load_after)
    print_figures(results, facts["queries"], lambda *_: "", label="page")
    save_results(
        "caseload_page",
        {
            "backend": backend,
            "args": vars(args),
            "facts": facts,
            "results": results,
            "load": {"before": load_before, "after": load_after},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
