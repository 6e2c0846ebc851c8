"""Writing many rows quickly: the demo seed's progress and events, millions at 100,000 learners.

`insert_rows` hands driver-ready values (made by `Params` exactly as Django's fields would store
them) to the driver: SQLite's `executemany` (about 25 µs a row all in, where `bulk_create` took
about 220 µs), or PostgreSQL's `COPY … FROM STDIN` through psycopg's `cursor.copy`, which streams
the rows in one command instead of one INSERT round trip per batch. `big_sqlite_cache` gives
SQLite the page cache a big load needs; `indexes_deferred` has PostgreSQL load the biggest
tables without their secondary indexes and foreign keys, and build them once at the end.
"""

import json
import os
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class DeferredSchema:
    """What `indexes_deferred` takes off a table and puts back: the SQL that re-creates each
    index and constraint, read from PostgreSQL's catalogue (so nothing a migration added can
    be forgotten), in the order to run it."""

    table: str
    indexes: tuple[tuple[str, str], ...]  # (name, CREATE INDEX …)
    unique: tuple[tuple[str, str], ...]  # (name, UNIQUE (…)): constraints that own an index
    foreign_keys: tuple[tuple[str, str], ...]  # (name, FOREIGN KEY … REFERENCES …)

    def drop_sql(self) -> list[str]:
        table = connection.ops.quote_name(self.table)
        quote = connection.ops.quote_name
        return [
            *(f"ALTER TABLE {table} DROP CONSTRAINT {quote(n)}" for n, _ in self.foreign_keys),
            *(f"ALTER TABLE {table} DROP CONSTRAINT {quote(n)}" for n, _ in self.unique),
            *(f"DROP INDEX {quote(n)}" for n, _ in self.indexes),
        ]

    def create_sql(self) -> list[str]:
        """Indexes and unique constraints first (building a unique index checks every row),
        foreign keys last: adding one checks the whole table in one join instead of one
        lookup per row, and can use the referenced tables' indexes."""
        table = connection.ops.quote_name(self.table)
        quote = connection.ops.quote_name
        return [
            *(sql for _, sql in self.indexes),
            *(f"ALTER TABLE {table} ADD CONSTRAINT {quote(n)} {sql}" for n, sql in self.unique),
            *(
                f"ALTER TABLE {table} ADD CONSTRAINT {quote(n)} {sql}"
                for n, sql in self.foreign_keys
            ),
        ]


def deferrable_schema(model: type[models.Model]) -> DeferredSchema:
    """PostgreSQL: `model`'s secondary indexes, unique constraints and foreign keys, from the
    catalogue. Kept on the table: its primary key, check constraints (cheap per row), and any
    unique index another table's foreign key refers to (it cannot be dropped while referred
    to)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u')
              AND c.conindid NOT IN (
                SELECT r.conindid FROM pg_constraint r
                WHERE r.confrelid = %s::regclass AND r.contype = 'f')
            ORDER BY c.conname
            """,
            [table, table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND i.indexrelid NOT IN (
                SELECT c.conindid FROM pg_constraint c
                WHERE c.conrelid = %s::regclass OR c.confrelid = %s::regclass)
            ORDER BY 1
            """,
            [table, table, table],
        )
        indexes = cursor.fetchall()
    return DeferredSchema(
        table=table,
        indexes=tuple((name, sql) for name, sql in indexes),
        unique=tuple((name, sql) for name, kind, sql in constraints if kind == "u"),
        foreign_keys=tuple((name, sql) for name, kind, sql in constraints if kind == "f"),
    )


@contextmanager
def indexes_deferred(*tables: type[models.Model]) -> Iterator[list[DeferredSchema]]:
    """PostgreSQL: load the given models' tables without their secondary indexes, unique
    constraints and foreign keys (see `deferrable_schema`), and build them all again on the
    way out — what pg_restore does, for the same reason. Every row then costs one heap write
    instead of one per index, and no foreign-key check is queued per row (Django's foreign keys
    are DEFERRABLE INITIALLY DEFERRED: PostgreSQL queues a check for every inserted row and
    runs them one by one at commit, about 12 minutes for the 7.7 million rows of the
    100,000-learner seed). Re-adding a foreign key checks the whole table in one join, and
    building a unique index checks uniqueness, so a bad row still fails the load:
    IntegrityError, and the caller's transaction rolls everything back, the schema included.

    Must run inside a transaction (DDL is transactional in PostgreSQL; RuntimeError if not).
    The foreign-key checks already queued in it run on the way in and on the way out (a table
    with checks pending cannot be altered). Queries on these tables while inside are not
    indexed: keep them few. Yields what was taken off (an empty list on other databases,
    where it does nothing); the tables are ANALYZEd after. The SQL to build again is read from
    the catalogue, so the schema afterwards is the migrated one, names included
    (demo/tests/test_bulk_load.py checks it).
    """
    if connection.vendor != "postgresql":
        yield []
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_deferred needs a transaction (transaction.atomic)")
    schemas = [deferrable_schema(model) for model in tables]
    with connection.cursor() as cursor:
        _run_pending_checks(cursor)  # a table with checks queued cannot be altered
        for schema in schemas:
            for sql in schema.drop_sql():
                cursor.execute(sql)
    yield schemas
    with connection.cursor() as cursor:
        _run_pending_checks(cursor)
        # Memory for sorting index keys: this transaction only (the server's default, 64 MB,
        # spills a 7-million-row sort to disk).
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for schema in schemas:
            for sql in schema.create_sql():
                cursor.execute(sql)
        cursor.execute("SET LOCAL maintenance_work_mem TO DEFAULT")
        # Statistics for the loaded rows (a sample: seconds), so that the rest of the caller's
        # transaction is planned for millions of rows, not for the empty tables of a migrate.
        names = ", ".join(connection.ops.quote_name(schema.table) for schema in schemas)
        cursor.execute(f"ANALYZE {names}")


def _run_pending_checks(cursor: Any) -> None:
    """Run the deferred constraint checks queued so far in this transaction, then defer again,
    as Django's constraints are by default (what its check_constraints does on PostgreSQL)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def fresh_statistics() -> None:
    """PostgreSQL: ANALYZE every table (a sample of each: seconds), after a load wrote most of
    the database's rows, so that what runs next is planned for them; autovacuum would get
    there in its own time, after the first queries were planned for empty tables (a join
    over circle members took 25 s a query that way). Nothing on other databases."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
