"""Writing many rows quickly: the demo seed's progress and events, millions at 100,000 learners.

`insert_rows` hands driver-ready values (made by `Params` exactly as Django's fields would store
them) to the driver: SQLite's `executemany` (about 25 µs a row all in, where `bulk_create` took
about 220 µs), or PostgreSQL's `COPY … FROM STDIN` through psycopg's `cursor.copy`, which streams
the rows in one command instead of one INSERT round trip per batch. `big_sqlite_cache` gives
SQLite the page cache a big load needs.
"""

import json
import os
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 1000  # rows per INSERT statement

DAY = 86_400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch(moment: datetime) -> int:
    """Whole seconds since the Unix epoch, for an aware datetime."""
    return int((moment - EPOCH).total_seconds())


class Params:
    """Python values -> the parameters this database's driver expects, exactly as Django's
    fields would store them (UUIDField, DateTimeField, JSONField), with as little work per
    value as possible: this runs tens of millions of times at benchmark scale. Times are whole
    seconds since the Unix epoch (UTC) until they are written.

    On SQLite and PostgreSQL the values are the text the database itself stores or parses:
    SQLite keeps UUIDs as 32 hex digits, times as "YYYY-MM-DD HH:MM:SS" (UTC) and JSON as its
    text; PostgreSQL's COPY parses the same text (with "+00" on times) into uuid, timestamptz and
    jsonb, which spares psycopg adapting tens of millions of Python objects one by one."""

    def __init__(self) -> None:
        self._sqlite = connection.vendor == "sqlite"
        self._text = connection.vendor in ("sqlite", "postgresql")
        self._zone = "" if self._sqlite else "+00"
        self._native_uuid = connection.features.has_native_uuid_field and not self._text
        # Ids need to be unique, not reproducible: a generator seeded by the system.
        self._bits = random.Random().getrandbits
        self._days: dict[int, str] = {}
        self._times: list[str] = []
        self._next_event_id: int | None = None
        self.empty = self.json({})
        self.completion = self.json({"completion": True})

    def event_uuids(self, count: int) -> list[object]:
        """Version 7 ids (RFC 9562, with a counter after the creation time): ascending, so
        each lands at the end of the unique index instead of somewhere in the middle."""
        if self._next_event_id is None:
            now_ms = int(datetime.now(UTC).timestamp() * 1000)
            counter = self._bits(56)  # a random start, with room to count up
            self._next_event_id = (
                now_ms << 80 | 0x7 << 76 | self._bits(12) << 64 | 0x2 << 62 | counter
            )
        first = self._next_event_id
        self._next_event_id = first + count
        if self._native_uuid:
            return [uuid.UUID(int=first + i) for i in range(count)]
        return [f"{first + i:032x}" for i in range(count)]

    def uuid(self, value: uuid.UUID) -> object:
        return value if self._native_uuid else value.hex

    def when(self, seconds: int) -> object:
        if not self._text:
            return connection.ops.adapt_datetimefield_value(EPOCH + timedelta(seconds=seconds))
        # What the SQLite backend stores for an aware datetime: "YYYY-MM-DD HH:MM:SS" in UTC;
        # PostgreSQL reads the same with its zone, "+00".
        day, second = divmod(seconds, DAY)
        if not self._times:
            self._times = [f" {h:02d}:{m:02d}:{s:02d}{self._zone}" for h in range(24)
                           for m in range(60) for s in range(60)]  # fmt: skip
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (EPOCH + timedelta(days=day)).date().isoformat()
        return text + self._times[second]

    def json(self, value: dict[str, Any]) -> object:
        if self._text:
            return json.dumps(value)  # what DjangoJSONEncoder writes for these plain values
        return connection.ops.adapt_json_value(value, None)

    def position(self, seconds: float) -> object:
        """The result of a media event; the same text json.dumps writes, without its cost."""
        if self._text:
            return f'{{"position": {seconds!r}}}'
        return self.json({"position": seconds})


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """INSERT rows of driver-ready values (see Params) with executemany, skipping model
    instances. A field the caller does not name gets what the ORM would give it (its default,
    now for auto_now fields, NULL, or the database default), so a field added to the model later
    does not break the seed. Returns the number of rows written."""
    meta = model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    filled: list[tuple[str, Callable[[], object]]] = []
    for name, f in fields.items():
        if f.primary_key or name in columns or f.has_db_default():
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            filled.append((name, _constant(f.get_db_prep_save(timezone.now(), connection))))
        elif f.has_default() and callable(f.default):
            filled.append((name, partial(_fresh_default, f)))
        elif f.has_default() or f.null:
            filled.append((name, _constant(f.get_db_prep_save(f.get_default(), connection))))
        else:
            raise ValueError(f"{meta.label}.{f.name} needs a value in the demo seed")
    names = [*columns, *(name for name, _ in filled)]
    quoted = ", ".join(connection.ops.quote_name(fields[name].column or name) for name in names)
    table = connection.ops.quote_name(meta.db_table)
    if connection.vendor == "postgresql":
        return _copy_rows(f"COPY {table} ({quoted}) FROM STDIN", rows, filled)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            if filled:
                batch = [(*row, *(make() for _, make in filled)) for row in batch]
            cursor.executemany(sql, batch)
    return len(rows)


def _copy_rows(
    sql: str,
    rows: Sequence[Sequence[Any]],
    filled: Sequence[tuple[str, Callable[[], object]]],
) -> int:
    """PostgreSQL: stream the rows with `COPY … FROM STDIN` (psycopg's `cursor.copy`), which
    adapts each value with the same dumpers as a query parameter (UUID, datetime, Jsonb). Inside
    the caller's transaction, like the INSERTs it replaces."""
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        if filled:
            for row in rows:
                write((*row, *(make() for _, make in filled)))
        else:
            for row in rows:
                write(row)
    return len(rows)


def _constant(value: object) -> Callable[[], object]:
    return lambda: value


def _fresh_default(f: "models.Field[Any, Any]") -> object:
    return f.get_db_prep_save(f.get_default(), connection)


@contextmanager
def big_sqlite_cache() -> Iterator[None]:
    """A large page cache while seeding. At 100,000 learners with a year of events the event
    table and its seven indexes grow to about 2.5 GB; with the default 64 MB cache every insert
    waits on page reads. SQLite only takes the memory it uses, and here at most a quarter of
    the machine's."""
    if connection.vendor != "sqlite":
        yield
        return
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: assume a modest machine
        memory = 4 * 1024**3
    kib = max(64_000, min(4 * 1024**2, memory // 4 // 1024))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{kib}")  # negative: KiB rather than pages
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
