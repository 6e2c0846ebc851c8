#!/usr/bin/env python
"""Work per request that the machine's load does not change: Python calls and queries.

Wall-clock figures on a shared machine measure the other tenants as much as the page. This
counts, for each learner page of `bench/journey_pages.py` (same seeded data, same signed-in
learner), the Python function calls (C functions included) one request makes, with
`sys.setprofile`, through Django's test client in this process after warming every cache.
The count is the same on a quiet and a busy machine, so it shows whether a change made a
page cheaper while others are running tests (docs/performance.md). It also prints each page's
process CPU time (`time.process_time`, min and median of `--cpu-requests`: the load changes it
less than wall time, and the minimum least), and `--profile N` the N costliest functions of one
page (`--page`) under cProfile.

    .venv/bin/python bench/request_calls.py                      # SQLite, 100,000 learners
    .venv/bin/python bench/request_calls.py --learners 4500      # a smaller seeded copy
    .venv/bin/python bench/request_calls.py --database-url postgres://postgres@127.0.0.1:5432/rapport_bench
    .venv/bin/python bench/request_calls.py --profile 40 --page activity   # and where it goes

Seeds first if the data directory is empty, as `journey_pages.py` does.
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

from bench.journey_pages import ROOT, bench_env, manage, prepare_in_process, seed

WARM = 10  # requests before counting: session, outline and progress rows cached


def calls_per_request(get: Any, url: str, requests: int) -> float:
    """Mean Python calls (Python and C functions) of `get(url)` over `requests` requests."""
    for _ in range(WARM):
        get(url)
    total = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal total
        if event == "call" or event == "c_call":
            total += 1

    sys.setprofile(count)
    try:
        for _ in range(requests):
            get(url)
    finally:
        sys.setprofile(None)
    return total / requests


def cpu_ms(get: Any, url: str, requests: int) -> tuple[float, float]:
    """(min, median) process CPU milliseconds of one `get(url)` over `requests` requests."""
    times = []
    for _ in range(requests):
        started = time.process_time()
        get(url)
        times.append((time.process_time() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--event-days", type=int, default=365)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--requests", type=int, default=20, help="requests counted per page")
    parser.add_argument("--cpu-requests", type=int, default=200, help="requests timed per page")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--page", default="this_week", help="the page --profile profiles")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--profile-file", default="", help="also save the profile's stats here")
    args = parser.parse_args()

    backend = "postgresql" if args.database_url else "sqlite"
    data_dir = Path(args.data_dir or ROOT / "var" / "bench" / f"{backend}-{args.learners}")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args, data_dir)
    seed(args, env)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    facts = prepare_in_process(env)

    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = str(facts["session"])
    print(f"Python calls per request — {backend}, {facts['learners']:,} learners")
    pages: dict[str, str] = facts["pages"]  # type: ignore[assignment]
    for name, url in pages.items():
        calls = calls_per_request(client.get, url, args.requests)
        low, median = cpu_ms(client.get, url, args.cpu_requests)
        queries = facts["queries"][name]  # type: ignore[index]
        print(
            f"{name:<11} {calls:>9,.0f} calls {queries:>4} queries   "
            f"CPU {low:5.2f} ms min {median:5.2f} ms median"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(100):
            client.get(pages[args.page])
        profiler.disable()
        if args.profile_file:
            profiler.dump_stats(args.profile_file)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
        print(f"cProfile of 100 requests of {args.page}")
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
