"""bench/seeding.py: one demo media cache for every benchmark data directory, and the costs a
seed reports (wall and CPU seconds, PostgreSQL's backend's too)."""

from pathlib import Path

import pytest
from django.db import connection

from bench.seeding import ensure_database, measured, share_media_cache


def test_two_data_directories_share_one_media_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = share_media_cache(tmp_path / "a" / "media", cache)
    second = share_media_cache(tmp_path / "b" / "media", cache)
    (first / "connection-first-0123.webm").write_bytes(b"rendered once")
    assert (second / "connection-first-0123.webm").read_bytes() == b"rendered once"
    assert first.is_symlink() and first.resolve() == cache.resolve()


def test_files_a_data_directory_rendered_itself_move_into_the_shared_cache(
    tmp_path: Path,
) -> None:
    own = tmp_path / "a" / "media" / "demo-cache"
    (own / "tmpscratch").mkdir(parents=True)  # a render that was interrupted
    (own / "tmpscratch" / "half.webm").write_bytes(b"half")
    (own / "calm-breathing-42.ogg").write_bytes(b"ogg")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "listening-practice-7.ogg").write_bytes(b"kept")
    link = share_media_cache(tmp_path / "a" / "media", tmp_path / "cache")
    assert link.is_symlink()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "calm-breathing-42.ogg",
        "listening-practice-7.ogg",
    ]
    assert (link / "calm-breathing-42.ogg").read_bytes() == b"ogg"


def test_sharing_again_is_harmless_and_a_stale_link_is_pointed_at_the_cache(
    tmp_path: Path,
) -> None:
    media = tmp_path / "media"
    share_media_cache(media, tmp_path / "old")
    link = share_media_cache(media, tmp_path / "cache")
    assert share_media_cache(media, tmp_path / "cache") == link
    assert link.resolve() == (tmp_path / "cache").resolve()


@pytest.mark.django_db
def test_a_measure_gives_wall_and_cpu_seconds_and_the_server_s_on_postgresql() -> None:
    def work() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    costs = measured(work)
    assert set(costs) == {"wall_s", "cpu_s", "server_cpu_s"}
    assert costs["wall_s"] is not None and costs["wall_s"] >= 0
    if connection.vendor == "postgresql":
        assert costs["server_cpu_s"] is not None and costs["server_cpu_s"] >= 0
    else:
        assert costs["server_cpu_s"] is None  # SQLite works in this process: cpu_s has it


def test_a_missing_postgresql_database_is_created_once_and_sqlite_is_left_alone(
    tmp_path: Path,
) -> None:
    """A new machine has no benchmark database: `--database-url` used to crash at migrate."""
    assert ensure_database(f"sqlite:///{tmp_path / 'bench.sqlite3'}") is False
    if connection.vendor != "postgresql":
        pytest.skip("the database server is PostgreSQL in CI's second run")
    import uuid

    import psycopg

    settings = connection.settings_dict
    name = f"rapport_bench_probe_{uuid.uuid4().hex[:8]}"
    url = (
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )
    try:
        assert ensure_database(url) is True
        assert ensure_database(url) is False  # there now: nothing done
    finally:
        with psycopg.connect(
            dbname="postgres",
            user=settings["USER"] or "postgres",
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
