#!/usr/bin/env python
"""Benchmark: xAPI statements per second to a real Ralph LRS on loopback, and the backlog drain
time for a day of events of 100,000 learners.

On a fresh SQLite database it seeds an organisation with a cohort of learners and records a
sample of a busy programme day's events through `events.actions.record_events` (so each one
lands in the outbox as in production), in this mix per learner-day (DAY_MIX below):

    2 viewed, 1 played, 1 paused, 2 progressed (a video, with its length), 1 completed
    (the video, played to its end), 0.2 commented  → 7.2 statements per learner per day

i.e. 720,000 statements for 100,000 learners. That mix is an assumption, stated so it can be
argued with: the journey benchmark's seed has 6.9 million events for 100,000 learners over a
year (about 19,000 a day on average), so 720,000 is a busy day, not an average one.

Then it drains the outbox twice, with one forwarder (`events.forwarding.forward_pending`, what
the task worker runs) in this process:

1. **Ralph** — to `ralph runserver -b fs` on a free loopback port (events/tests/ralph_lrs.py),
   timing each slice of the drain. Ralph's file backend checks every POST's ids against the
   whole file it has written, so its rate falls as the file grows: the slices show it.
2. **null LRS** — to an httpx MockTransport that accepts everything at once: Rapport's own
   cost per statement (claim, build, POST encoding, delete), the ceiling a fast LRS allows.

A full day (720,000) would take hours against Ralph's file backend on two shared cores, so the
drain time of a day is extrapolated from the measured sample — linearly from the null LRS's
rate and from Ralph's last slice (its slowest), and said so in the output. Results go to
bench/results/ (not committed).

    .venv/bin/python bench/xapi_forwarding.py                       # 20,000 statements
    .venv/bin/python bench/xapi_forwarding.py --statements 5000     # quicker
"""

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAY_MIX = {"viewed": 2, "played": 1, "paused": 1, "progressed": 2, "completed": 1, "commented": 0.2}
PER_LEARNER_DAY = sum(DAY_MIX.values())
LEARNERS_AT_SCALE = 100_000


def setup(folder: Path, batch_size: int) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="rapport.settings_test",
        RAPPORT_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        RAPPORT_XAPI_LRS_URL="http://127.0.0.1:9/xAPI",  # replaced once Ralph is up
        RAPPORT_XAPI_BATCH_SIZE=str(batch_size),
        RAPPORT_SITE_URL="https://rapport.example.com",
        RAPPORT_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(statements: int) -> int:
    """Learners enough for `statements` in DAY_MIX, each with a day of events; returns how many
    statements were queued."""
    from django.db import transaction

    from cohorts.actions import Seat, enroll_many
    from events.actions import new_event, record_events
    from events.models import ObjectType, PendingStatement, Verb
    from organizations.actions import NewPerson, add_members
    from programs.models import ActivityKind
    from rapport.testing import make_cohort, make_org, make_program

    learners = max(1, round(statements / PER_LEARNER_DAY))
    org = make_org("Bench xAPI")
    program = make_program(org, weeks=1, per_week=len(ActivityKind))
    cohort = make_cohort(program)
    activities = list(program.weeks.get().activities.order_by("position"))  # type: ignore[attr-defined]
    video = next(a for a in activities if a.kind == ActivityKind.VIDEO)
    with transaction.atomic():
        members = add_members(
            org,
            people=[
                NewPerson(email=f"learner{n}@bench.example", full_name=f"Learner {n}")
                for n in range(learners)
            ],
            invite=False,
        )
        seats = enroll_many(cohort, seats=[Seat(m.user.pk) for m in members])
    PendingStatement.objects.all().delete()  # only the day's events, not the enrolments
    batch: list = []

    def add(
        enrollment: object,
        verb: str,
        object_id: uuid.UUID,
        result: dict | None = None,
        *,
        seat: bool = True,
    ) -> None:
        batch.append(
            new_event(
                enrollment.user,  # type: ignore[attr-defined]
                verb=Verb(verb),
                object_type=ObjectType.ACTIVITY,
                object_id=object_id,
                cohort=cohort,
                registration=enrollment.public_id if seat else None,  # type: ignore[attr-defined]
                result=result,
            )
        )

    for n, (enrollment, _) in enumerate(seats):
        add(enrollment, "viewed", activities[n % len(activities)].public_id)
        add(enrollment, "viewed", video.public_id)
        add(enrollment, "played", video.public_id, {"position": 0.0})
        add(enrollment, "progressed", video.public_id, {"position": 15.0, "length": 60.0})
        add(enrollment, "paused", video.public_id, {"position": 20.0, "length": 60.0})
        add(enrollment, "progressed", video.public_id, {"position": 35.0, "length": 60.0})
        add(
            enrollment,
            "completed",
            video.public_id,
            {"completion": True, "position": 60.0, "length": 60.0},
        )
        if n % 5 == 0:
            add(
                enrollment, "commented", activities[0].public_id, seat=False
            )  # its seat found at send time
        if len(batch) >= 5000:
            with transaction.atomic():
                record_events(batch)
            batch.clear()
    with transaction.atomic():
        record_events(batch)
    return PendingStatement.objects.count()


def drain(client: object | None, slice_size: int) -> dict:
    """Forward until the outbox is empty, timing each `slice_size` statements."""
    from events.forwarding import forward_pending
    from events.models import DeadStatement, PendingStatement

    total = PendingStatement.objects.count()
    slices = []
    sent = posts = 0
    started = time.perf_counter()
    while PendingStatement.objects.exists():
        t0 = time.perf_counter()
        report = forward_pending(
            client=client,  # type: ignore[arg-type]
            max_batches=max(1, slice_size // int(os.environ["RAPPORT_XAPI_BATCH_SIZE"])),
        )
        if report.deferred or (report.sent == 0 and report.dead == 0):
            raise SystemExit(f"the LRS stopped taking statements: {report.as_dict()}")
        elapsed = time.perf_counter() - t0
        sent += report.sent
        posts += report.posts
        slices.append(
            {
                "up_to": sent,
                "statements": report.sent,
                "per_second": round(report.sent / elapsed, 1),
            }
        )
    seconds = time.perf_counter() - started
    return {
        "statements": total,
        "sent": sent,
        "dead": DeadStatement.objects.count(),
        "posts": posts,
        "seconds": round(seconds, 2),
        "per_second": round(sent / seconds, 1),
        "slices": slices,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=20_000, help="sample size")
    parser.add_argument("--batch-size", type=int, default=200, help="statements per POST")
    parser.add_argument("--slice", type=int, default=2000, help="statements per timed slice")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rapport-bench-xapi-") as tmp:
        folder = Path(tmp)
        setup(folder, args.batch_size)
        from collections import Counter

        import httpx
        from django.test import override_settings

        from events.models import PendingStatement
        from events.tests.ralph_lrs import PASSWORD, USERNAME, RalphLRS

        t0 = time.perf_counter()
        queued = seed(args.statements)
        day_ids = list(PendingStatement.objects.values_list("event_id", flat=True))
        print(f"seeded {queued:,} statements in {time.perf_counter() - t0:.1f} s", flush=True)
        load_before = os.getloadavg()[0]
        with (
            RalphLRS(folder / "ralph") as lrs,
            override_settings(
                RAPPORT_XAPI_LRS_URL=lrs.url,
                RAPPORT_XAPI_LRS_USERNAME=USERNAME,
                RAPPORT_XAPI_LRS_PASSWORD=PASSWORD,
            ),
        ):
            ralph = drain(None, args.slice)
            stored = Counter(s["id"] for s in lrs.statements())
            ralph["stored_once"] = len(stored) == queued and max(stored.values()) == 1
        print(f"Ralph (fs): {ralph['per_second']:,} statements/s overall", flush=True)

        def accept(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json=[])

        # The same day's statements again, to an LRS that costs nothing.
        PendingStatement.objects.bulk_create(
            [PendingStatement(event_id=pk) for pk in day_ids], batch_size=1000
        )
        null = drain(httpx.Client(transport=httpx.MockTransport(accept)), args.slice)
        print(f"null LRS: {null['per_second']:,} statements/s", flush=True)
        load_after = os.getloadavg()[0]

    day = round(LEARNERS_AT_SCALE * PER_LEARNER_DAY)
    full = [s for s in ralph["slices"] if s["statements"] >= args.slice // 2] or ralph["slices"]
    last_ralph = full[-1]["per_second"]
    # Ralph's file backend reads everything it stored on each POST (its duplicate check), so
    # the time per statement grows with the file: fit seconds-per-statement = a + b * stored
    # (least squares over the full slices) and integrate it to a day's count.
    points = [(s["up_to"] - s["statements"] / 2, 1 / s["per_second"]) for s in full]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points) or 1.0
    b = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    a = mean_y - b * mean_x
    ralph_day_seconds = a * day + b * day * day / 2
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "sample_statements": queued,
        "batch_size": args.batch_size,
        "load_1min_before_after": [round(load_before, 1), round(load_after, 1)],
        "ralph_fs": ralph,
        "null_lrs": null,
        "day_statements_100k_learners": day,
        "extrapolated_drain_minutes": {
            "null_lrs": round(day / null["per_second"] / 60, 1),
            "ralph_fs_at_its_last_slice_rate": round(day / last_ralph / 60, 1),
            "ralph_fs_with_its_measured_slowdown": round(ralph_day_seconds / 60, 1),
        },
        "ralph_fs_fit_seconds_per_statement": {"a": a, "b_per_stored": b},
        "extrapolated": True,
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"xapi-forwarding-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
