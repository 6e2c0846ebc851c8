"""Loading the big tables without their indexes and foreign keys (demo.bulk.indexes_deferred).

The PostgreSQL tests run in CI's PostgreSQL pass (or locally with DATABASE_URL=postgres://…);
on SQLite `indexes_deferred` does nothing, which the last tests check. Whatever the database,
a seed must leave exactly the migrated schema: every index and constraint, by name and by
definition.
"""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from cohorts.models import ActivityProgress
from demo.bulk import Params, indexes_deferred, insert_rows
from demo.seed import SeedOptions, seed_demo
from events.models import Event, ObjectType, Verb
from organizations.models import Organization

NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="what it drops and builds again is PostgreSQL's"
)
EVENT_COLUMNS = [
    "public_id", "organization_id", "actor_id", "verb", "object_type", "object_id", "result",
    "timestamp",
]  # fmt: skip


def schema() -> dict[str, set[tuple[str, str]]]:
    """Every table's indexes and constraints as (name, definition), from the catalogue."""
    tables: dict[str, set[tuple[str, str]]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
                  AND conrelid <> 0
                UNION ALL
                SELECT indrelid::regclass::text, indexrelid::regclass::text,
                       pg_get_indexdef(indexrelid)
                FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid
                WHERE relnamespace = current_schema()::regnamespace
                """
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name, coalesce(sql, '') FROM sqlite_master "
                "WHERE type IN ('table', 'index', 'trigger')"
            )
        for table, name, definition in cursor.fetchall():
            tables.setdefault(table, set()).add((name, definition))
    return tables


def event_rows(organization: Organization, actor_id: int, *, count: int = 3) -> list[tuple]:
    params = Params()
    return [
        (uid, organization.pk, actor_id, Verb.VIEWED, ObjectType.ACTIVITY, uid, params.empty,
         params.when(1_770_000_000 + n))
        for n, uid in enumerate(params.event_uuids(count))
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_seed_leaves_exactly_the_migrated_schema() -> None:
    migrated = schema()
    with CaptureQueriesContext(connection) as queries:
        seed_demo(SeedOptions(learners=12, short_media=True, event_days=30, now=NOW))
    assert Event.objects.count() > 12 * 30 // 7  # the history was written
    assert schema() == migrated
    if connection.vendor == "postgresql":  # and the big tables were loaded without them
        statements = [query["sql"] for query in queries.captured_queries]
        for table in (Event._meta.db_table, ActivityProgress._meta.db_table):
            assert any(
                sql.startswith(f'ALTER TABLE "{table}" DROP CONSTRAINT') for sql in statements
            )
            assert any(
                sql.startswith(f'ALTER TABLE "{table}" ADD CONSTRAINT') for sql in statements
            )


@on_postgresql
@pytest.mark.django_db
def test_inside_the_load_only_the_primary_key_is_left_and_everything_comes_back() -> None:
    migrated = schema()
    table = Event._meta.db_table
    with transaction.atomic(), indexes_deferred(Event) as taken:
        left = schema()[table]
        [deferred] = taken
    assert {name for name, _ in left} == {f"{table}_pkey"}
    # What it took off is what the migrations made: the foreign keys, the unique public_id
    # and the other indexes (on the time, the organisation, cohort-verb-time, actor-time).
    assert {name for name, _ in deferred.foreign_keys} == {
        name for name, definition in migrated[table] if definition.startswith("FOREIGN KEY")
    }
    assert [sql for _, sql in deferred.unique] == ["UNIQUE (public_id)"]
    assert {name for name, _ in deferred.indexes} == {
        name for name, definition in migrated[table] if definition.startswith("CREATE INDEX")
    }
    assert len(deferred.indexes) == 4
    assert schema() == migrated


@on_postgresql
@pytest.mark.django_db
def test_a_unique_index_another_table_refers_to_stays() -> None:
    """It could not be dropped while referred to: a foreign key to events_event(public_id)
    keeps that unique constraint on the table through the load."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bulk_load_probe (event uuid REFERENCES events_event (public_id))"
        )
    with transaction.atomic(), indexes_deferred(Event) as [deferred]:
        left = {definition for _, definition in schema()[Event._meta.db_table]}
    assert "UNIQUE (public_id)" in left
    assert deferred.unique == ()
    assert deferred.foreign_keys  # the rest still goes


@on_postgresql
@pytest.mark.django_db
def test_a_row_pointing_at_nobody_fails_the_load_and_changes_nothing() -> None:
    migrated = schema()
    organization = Organization.objects.create(name="Acme", slug="acme")
    with pytest.raises(IntegrityError), transaction.atomic(), indexes_deferred(Event):
        insert_rows(Event, EVENT_COLUMNS, event_rows(organization, actor_id=987_654_321))
    assert not Event.objects.exists()
    assert schema() == migrated


@on_postgresql
@pytest.mark.django_db
def test_a_duplicate_row_fails_the_load_and_changes_nothing(django_user_model) -> None:  # type: ignore[no-untyped-def]
    migrated = schema()
    organization = Organization.objects.create(name="Acme", slug="acme")
    user = django_user_model.objects.create_user(email="a@example.com", password="x")
    rows = event_rows(organization, user.pk, count=2)
    rows[1] = (rows[0][0], *rows[1][1:])  # the same public_id twice
    with pytest.raises(IntegrityError), transaction.atomic(), indexes_deferred(Event):
        insert_rows(Event, EVENT_COLUMNS, rows)
    assert not Event.objects.exists()
    assert schema() == migrated


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_work_outside_a_transaction() -> None:
    migrated = schema()
    with pytest.raises(RuntimeError, match="transaction"), indexes_deferred(Event):
        pass
    assert schema() == migrated


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the other databases")
@pytest.mark.django_db
def test_on_other_databases_it_changes_nothing(django_user_model) -> None:  # type: ignore[no-untyped-def]
    migrated = schema()
    organization = Organization.objects.create(name="Acme", slug="acme")
    user = django_user_model.objects.create_user(email="a@example.com", password="x")
    with transaction.atomic(), indexes_deferred(Event) as taken:
        assert taken == []
        assert schema() == migrated
        insert_rows(Event, EVENT_COLUMNS, event_rows(organization, user.pk))
    assert Event.objects.count() == 3
    assert schema() == migrated
