#!/usr/bin/env python
"""Posting a reply in the thread benchmark, in this process: its CPU, its Python calls (in all
and in each of its parts), its queries, and its write transaction — the statements inside it
and how long it holds SQLite's write lock (`BEGIN IMMEDIATE` to the end of `COMMIT`, wall
time) — which is what two gunicorn workers serialise on.

Uses the data `bench/thread_page.py` seeded (the same learner, thread, parent post and reply
with an @mention, posted as the benchmark posts it) and the same options as
`bench/thread_calls.py`:

    .venv/bin/python bench/reply_calls.py --data-dir /path/to/thread-1m --requests 20

Every reply posted here goes to a post on page 1 of the thread, as the benchmark's do.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.journey_pages import ROOT, bench_env, manage
from bench.thread_calls import WARM, cpu_ms, python_calls
from bench.thread_page import prepare, seed, seeded, setup_django

# The reply's parts, by module and function name (those that are not there are left out).
PARTS = (
    ("discussions.access", "get_thread_for_user"),
    ("discussions.access", "get_post_in_thread"),
    ("discussions.mentions", "resolve_mentions"),
    ("discussions.actions", "create_post"),
    ("discussions.actions", "_plan_post_notifications"),
    ("notifications.actions", "save_notifications"),
    ("discussions.threads", "page_of"),
)


def calls_by_part(call: Any) -> dict[str, int]:
    """Python calls (Python and C functions) made inside each of PARTS during one `call()`,
    each counted in every part it is inside."""
    import importlib

    codes: dict[Any, str] = {}
    for module, name in PARTS:
        function = getattr(importlib.import_module(module), name, None)
        if function is not None:
            codes[function.__code__] = name
    counts = dict.fromkeys(codes.values(), 0)
    active: list[tuple[FrameType, str]] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code in codes:
            active.append((frame, codes[frame.f_code]))
        if event in ("call", "c_call"):
            for _, name in active:
                counts[name] += 1
        elif event == "return" and active and active[-1][0] is frame:
            active.pop()

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--thread-posts", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=4500)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--requests", type=int, default=20, help="replies timed")
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
    facts = prepare(args)

    from django.db import connection
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = str(facts["session"])
    client.cookies["csrftoken"] = str(facts["csrf_secret"])

    def reply() -> None:
        response = client.post(facts["reply_url"], facts["reply_form"])
        assert response.status_code == 302, response.status_code

    # Every statement of a reply, and the wall time from BEGIN to the end of COMMIT.
    statements: list[str] = []
    held: list[float] = []
    began: list[float] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("BEGIN"):
            began.append(time.perf_counter())
        statements.append(sql)
        return execute(sql, params, many, context)

    commit = connection._commit  # type: ignore[attr-defined]

    def timed_commit() -> None:
        commit()
        if began:
            held.append((time.perf_counter() - began.pop()) * 1000)
            statements.append("COMMIT")

    connection._commit = timed_commit  # type: ignore[attr-defined]
    locked = [False, 0]  # inside BEGIN … COMMIT; Python calls made there

    def mark(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("BEGIN"):
            locked[0] = True
        return execute(sql, params, many, context)

    def count_locked(frame: FrameType, event: str, arg: object) -> None:
        if locked[0] and event in ("call", "c_call"):
            locked[1] += 1  # type: ignore[operator]

    def unlock() -> None:
        commit()
        locked[0] = False

    for _ in range(WARM):
        reply()
    low, median, _mean = cpu_ms(reply, args.requests)
    calls = python_calls(reply)
    parts = calls_by_part(reply)
    connection._commit = unlock  # type: ignore[attr-defined]
    with connection.execute_wrapper(mark):
        sys.setprofile(count_locked)
        try:
            reply()
        finally:
            sys.setprofile(None)
    connection._commit = timed_commit  # type: ignore[attr-defined]
    statements.clear()
    held.clear()
    with connection.execute_wrapper(watch):
        for _ in range(args.requests):
            statements.clear()
            reply()
    kinds = [sql.split()[0] for sql in statements]
    begin = kinds.index("BEGIN") if "BEGIN" in kinds else len(kinds)
    end = kinds.index("COMMIT", begin) if "COMMIT" in kinds[begin:] else len(kinds)
    transactions = kinds.count("BEGIN") + sum(
        1 for k in kinds[:begin] + kinds[end + 1 :] if k in ("INSERT", "UPDATE", "DELETE")
    )
    print(
        f"Reply in-process — {backend}, {facts['posts']:,} posts, the thread "
        f"{facts['thread_posts']:,}"
    )
    print(
        f"reply   CPU {low:6.1f} ms min, {median:6.1f} ms median; {calls:>8,} Python calls; "
        f"{len(statements) - kinds.count('BEGIN') - kinds.count('COMMIT')} queries "
        f"(BEGIN and COMMIT apart)"
    )
    print(
        f"  write transactions a reply: {transactions}; statements inside BEGIN … COMMIT: "
        f"{end - begin - 1} ({' '.join(kinds[begin + 1 : end])}); after the COMMIT: "
        f"{' '.join(kinds[end + 1 :]) or 'none'}"
    )
    print(f"  Python calls between BEGIN and COMMIT: {locked[1]:,}")
    print(
        f"  write lock held (BEGIN to the end of COMMIT, wall): {min(held):.2f} ms min, "
        f"{statistics.median(held):.2f} ms median of {len(held)}"
    )
    for name, count in parts.items():
        print(f"  {name:<26} {count:>7,} Python calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
