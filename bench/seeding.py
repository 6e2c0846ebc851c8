#!/usr/bin/env python
"""Seeding a benchmark's database: the demo organisation at scale, timed, with one media cache.

Both `bench/journey_pages.py` and `bench/analytics.py` seed through `seed_timed`, so the two
take the same path on SQLite and PostgreSQL and report the same costs: wall seconds, this
process's CPU seconds and, on PostgreSQL, the CPU seconds of the connection's server backend
(read from /proc: the server runs on this machine), for the seed and for the `VACUUM ANALYZE`
that follows it on PostgreSQL. CPU seconds are what to compare on a shared machine: the load
inflates wall time many times over, CPU time much less.

`share_media_cache` points a data directory's `media/demo-cache` at one cache for every data
directory (`RAPPORT_DEMO_MEDIA_CACHE`, default `var/bench/demo-media-cache`), so a new data
directory does not render the demo media again (6½ minutes under load). The cached files are
named by a hash of everything that shapes them (demo/media.py), so sharing them is safe.

Run as a script (with the benchmark's environment: DJANGO_SETTINGS_MODULE, RAPPORT_VAR_DIR,
DATABASE_URL), it seeds and prints the costs as one JSON line:

    .venv/bin/python bench/seeding.py --learners 4500 --cohorts 1 --event-days 365
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from demo.seed import SeedOptions

ROOT = Path(__file__).resolve().parent.parent
MEDIA_CACHE_ENV = "RAPPORT_DEMO_MEDIA_CACHE"


def media_cache_dir() -> Path:
    """The one demo media cache for every benchmark data directory."""
    return Path(os.environ.get(MEDIA_CACHE_ENV) or ROOT / "var" / "bench" / "demo-media-cache")


def share_media_cache(media_root: Path, cache: Path | None = None) -> Path:
    """Make `media_root/demo-cache` a symbolic link to `cache` (default: media_cache_dir()).

    Files already rendered in that data directory's own cache move into the shared one (same
    name, same content: the names are content hashes) before the folder becomes the link.
    Returns the link. Idempotent."""
    cache = (cache or media_cache_dir()).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    media_root.mkdir(parents=True, exist_ok=True)
    link = media_root / "demo-cache"
    if link.is_symlink():
        if link.resolve() == cache:
            return link
        link.unlink()
    elif link.is_dir():
        for item in link.iterdir():
            if item.is_file() and not (cache / item.name).exists():
                os.replace(item, cache / item.name)
        for item in sorted(link.rglob("*"), reverse=True):  # whatever is left: scratch folders
            item.rmdir() if item.is_dir() else item.unlink()
        link.rmdir()
    link.symlink_to(cache, target_is_directory=True)
    return link


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine: read
    from /proc), or None on SQLite (whose work is this process's own CPU time) or when the
    server's processes are not readable."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return process_cpu(pid)


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of process `pid` so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(fn: Callable[[], object]) -> dict[str, float | None]:
    """Call `fn` once: {"wall_s", "cpu_s" (this process), "server_cpu_s" (PostgreSQL's
    backend for this connection, None on SQLite or if the connection changed)}."""
    from django.db import connection

    def pid() -> int | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return int(cursor.fetchone()[0])

    before_pid, server = pid(), backend_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = backend_cpu() if pid() == before_pid else None
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "server_cpu_s": None if server is None or after is None else round(after - server, 1),
    }


def ensure_database(database_url: str) -> bool:
    """Create the PostgreSQL database a benchmark's `--database-url` names when it does not
    exist yet (a new machine has only `test`, `root` and `postgres`), connecting to the server's
    `postgres` maintenance database with the same user, host and port. Returns True when it
    created it, False when it was there or the URL is not PostgreSQL. Raises psycopg's
    OperationalError when the server cannot be reached."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(database_url)
    if "postgresql" not in config["ENGINE"]:
        return False
    conninfo = psycopg.conninfo.make_conninfo(
        dbname="postgres",
        **{
            key: str(value)
            for key, value in (
                ("user", config.get("USER")),
                ("password", config.get("PASSWORD")),
                ("host", config.get("HOST")),
                ("port", config.get("PORT")),
            )
            if value
        },
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    return True


def vacuum_analyze() -> None:
    """PostgreSQL: fresh statistics and visibility map after a bulk load, as an operator would
    run; without them the first queries are planned blind. Nothing on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def seed_timed(options: "SeedOptions", *, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Seed the demo organisation with `options` (demo.seed.seed_demo, media from the shared
    cache) and, on PostgreSQL, VACUUM ANALYZE. Returns the costs: {"seed": measured(...),
    "vacuum": measured(...) or None, "counts": the seed's counts, "load": 1-minute load
    averages before and after}. Raises demo.seed.DemoExists if the demo is already there."""
    from django.conf import settings
    from django.db import connection

    from demo.seed import seed_demo

    share_media_cache(Path(settings.MEDIA_ROOT))
    load_before = os.getloadavg()[0]
    counts: dict[str, int] = {}

    def run() -> None:
        counts.update(seed_demo(options, log=log).counts)

    costs: dict[str, Any] = {"backend": connection.vendor, "seed": measured(run)}
    costs["vacuum"] = measured(vacuum_analyze) if connection.vendor == "postgresql" else None
    costs["counts"] = counts
    costs["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, required=True)
    parser.add_argument("--cohort-size", type=int, default=4500)
    parser.add_argument("--cohorts", type=int, default=None)
    parser.add_argument("--event-days", type=int, default=365)
    parser.add_argument("--short-media", action="store_true")
    args = parser.parse_args()
    # Run as a script, this folder comes first on the path, and bench/analytics.py would hide
    # the analytics app: the project's root instead.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != here)]
    import django

    django.setup()
    from demo.seed import SeedOptions

    costs = seed_timed(
        SeedOptions(
            learners=args.learners,
            cohort_size=args.cohort_size,
            cohorts=args.cohorts,
            event_days=args.event_days,
            short_media=args.short_media,
        ),
        log=lambda line: print("  " + line, flush=True),
    )
    print(json.dumps(costs), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
