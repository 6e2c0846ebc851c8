#!/usr/bin/env python
"""Work per request of the thread benchmark that the machine's load changes little: CPU time,
Python calls and each query's time, in this process.

Uses the data that `bench/thread_page.py` seeded (run it with `--seed-only` first, or let this
seed it), signs the same learner in, and for the thread page and a reply measures, after
warming: the process CPU time of one request (`time.process_time`, min and median of
`--requests`), the Python calls one request makes (`sys.setprofile`, C functions included), and
the queries with their times. `--profile` prints the top of a cProfile of the thread page
(cumulative time), to see where the CPU goes.

    .venv/bin/python bench/thread_calls.py                     # the 1,000,000-post seed
    .venv/bin/python bench/thread_calls.py --profile 40        # and the 40 costliest functions

Every reply posted here goes to a post on page 1 of the thread, as the benchmark's do.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.journey_pages import ROOT, bench_env, manage
from bench.thread_page import prepare, seed, seeded, setup_django

WARM = 5


def cpu_ms(call: Any, requests: int) -> tuple[float, float]:
    """(min, median) process CPU milliseconds of `call()` over `requests` calls."""
    times = []
    for _ in range(requests):
        started = time.process_time()
        call()
        times.append((time.process_time() - started) * 1000)
    return min(times), statistics.median(times)


def python_calls(call: Any) -> int:
    """Python calls (Python and C functions) of one `call()`."""
    total = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal total
        if event in ("call", "c_call"):
            total += 1

    sys.setprofile(count)
    try:
        call()
    finally:
        sys.setprofile(None)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--thread-posts", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=4500)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--requests", type=int, default=20, help="requests timed per kind")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--profile-what", choices=["thread", "reply"], default="thread")
    parser.add_argument("--verbose", action="store_true", help="print every query")
    parser.add_argument("--sort", default="cumulative", help="cProfile's sort key")
    parser.add_argument("--save-page", default="", help="write the thread page's HTML here")
    args = parser.parse_args()

    backend = "postgresql" if args.database_url else "sqlite"
    data_dir = Path(args.data_dir or ROOT / "var" / "bench" / f"thread-{backend}-{args.posts}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, data_dir)
    manage(env, "migrate", "--no-input", "-v", "0")
    setup_django(env)
    if not seeded(data_dir):
        seed(args)
        (data_dir / "seeded.json").write_text(f'{{"posts": {args.posts}}}')
    manage(env, "collectstatic", "--no-input", "-v", "0")
    facts = prepare(args)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = str(facts["session"])
    client.cookies["csrftoken"] = str(facts["csrf_secret"])

    def thread() -> None:
        response = client.get(facts["thread_url"])
        assert response.status_code == 200, response.status_code

    def reply() -> None:
        response = client.post(facts["reply_url"], facts["reply_form"])
        assert response.status_code == 302, response.status_code

    print(
        f"Thread benchmark in-process — {backend}, {facts['posts']:,} posts, the thread "
        f"{facts['thread_posts']:,} ({facts['thread_top_posts']:,} top-level), page {facts['page']}"
    )
    if args.save_page:
        Path(args.save_page).write_bytes(client.get(facts["thread_url"]).content)
    for name, call in (("thread", thread), ("reply", reply)):
        for _ in range(WARM):
            call()
        low, median = cpu_ms(call, args.requests)
        calls = python_calls(call)
        with CaptureQueriesContext(connection) as queries:
            call()
        sql_ms = sum(float(q["time"]) * 1000 for q in queries.captured_queries)
        print(
            f"{name:<7} CPU {low:6.1f} ms min, {median:6.1f} ms median; {calls:>8,} Python calls; "
            f"{len(queries)} queries, {sql_ms:.1f} ms of SQL"
        )
        for q in queries.captured_queries if args.verbose else []:
            print(f"    {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            (thread if args.profile_what == "thread" else reply)()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
