"""Database triggers that keep `Program.outline_token` honest (see programs/outline.py).

Any insert, update or delete of a programme's weeks, activities or activity competencies, and
any change to a competency, gives the programmes concerned a new random token — the old and the
new programme when a week or an activity moves. Because the database does it, no write path can
forget: model saves, `QuerySet.update`, `bulk_create`, raw SQL and data migrations all count.
A trigger on the programme row itself draws a new token on every update of that row, so saving a
`Program` instance read before an edit can never put the old token back.

The triggers are (re)installed after every `migrate` (programs/signals.py), because SQLite drops a
table's triggers when a schema change rebuilds the table; the same step gives every programme a
new token, so even a data migration that ran while a trigger was missing cannot leave an outline
stale. SQLite and PostgreSQL are supported; on another database `install` raises.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

# Tables and columns, as Django names them for programs.Week, programs.Activity,
# Activity.competencies and organizations.Competency.
PROGRAM = "programs_program"
WEEK = "programs_week"
ACTIVITY = "programs_activity"
ACTIVITY_COMPETENCIES = "programs_activity_competencies"
COMPETENCY = "organizations_competency"

TABLES = (PROGRAM, WEEK, ACTIVITY, ACTIVITY_COMPETENCIES, COMPETENCY)

_SQLITE_TOKEN = "lower(hex(randomblob(16)))"  # a UUID as Django stores it on SQLite
_POSTGRES_TOKEN = "gen_random_uuid()"

# (trigger name, table, event, the programmes concerned as SQL over OLD/NEW)
_PROGRAMS_OF_WEEKS = f"SELECT program_id FROM {WEEK} WHERE id IN ({{weeks}})"
_PROGRAMS_OF_ACTIVITY = (
    f"SELECT w.program_id FROM {WEEK} w JOIN {ACTIVITY} a ON a.week_id = w.id "
    "WHERE a.id = {activity}"
)
_PROGRAMS_OF_COMPETENCY = (
    f"SELECT w.program_id FROM {WEEK} w JOIN {ACTIVITY} a ON a.week_id = w.id "
    f"JOIN {ACTIVITY_COMPETENCIES} ac ON ac.activity_id = a.id WHERE ac.competency_id = {{c}}"
)
CONTENT_TRIGGERS: tuple[tuple[str, str, str, str], ...] = (
    ("rapport_outline_week_insert", WEEK, "INSERT", "NEW.program_id"),
    ("rapport_outline_week_update", WEEK, "UPDATE", "OLD.program_id, NEW.program_id"),
    ("rapport_outline_week_delete", WEEK, "DELETE", "OLD.program_id"),
    (
        "rapport_outline_activity_insert",
        ACTIVITY,
        "INSERT",
        _PROGRAMS_OF_WEEKS.format(weeks="NEW.week_id"),
    ),
    (
        "rapport_outline_activity_update",
        ACTIVITY,
        "UPDATE",
        _PROGRAMS_OF_WEEKS.format(weeks="OLD.week_id, NEW.week_id"),
    ),
    (
        "rapport_outline_activity_delete",
        ACTIVITY,
        "DELETE",
        _PROGRAMS_OF_WEEKS.format(weeks="OLD.week_id"),
    ),
    (
        "rapport_outline_link_insert",
        ACTIVITY_COMPETENCIES,
        "INSERT",
        _PROGRAMS_OF_ACTIVITY.format(activity="NEW.activity_id"),
    ),
    (
        "rapport_outline_link_update",
        ACTIVITY_COMPETENCIES,
        "UPDATE",
        _PROGRAMS_OF_ACTIVITY.format(activity="OLD.activity_id")
        + " UNION "
        + _PROGRAMS_OF_ACTIVITY.format(activity="NEW.activity_id"),
    ),
    (
        "rapport_outline_link_delete",
        ACTIVITY_COMPETENCIES,
        "DELETE",
        _PROGRAMS_OF_ACTIVITY.format(activity="OLD.activity_id"),
    ),
    (
        "rapport_outline_competency_update",
        COMPETENCY,
        "UPDATE",
        _PROGRAMS_OF_COMPETENCY.format(c="NEW.id"),
    ),
)
PROGRAM_TRIGGER = "rapport_outline_program_update"
TRIGGER_NAMES = (*(name for name, *_ in CONTENT_TRIGGERS), PROGRAM_TRIGGER)


def _sqlite_statements() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES]
    for name, table, event, programs in CONTENT_TRIGGERS:
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
            f"UPDATE {PROGRAM} SET outline_token = {_SQLITE_TOKEN} WHERE id IN ({programs}); END"
        )
    # SQLite cannot assign NEW in a BEFORE trigger; the nested update does not fire this
    # trigger again (recursive_triggers is off, SQLite's default, which Django keeps).
    statements.append(
        f"CREATE TRIGGER {PROGRAM_TRIGGER} AFTER UPDATE ON {PROGRAM} FOR EACH ROW BEGIN "
        f"UPDATE {PROGRAM} SET outline_token = {_SQLITE_TOKEN} WHERE id = NEW.id; END"
    )
    return statements


def _postgres_statements() -> list[str]:
    statements = []
    for name, table, event, programs in CONTENT_TRIGGERS:
        row = "OLD" if event == "DELETE" else "NEW"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE {PROGRAM} SET outline_token = {_POSTGRES_TOKEN} WHERE id IN ({programs}); "
            f"RETURN {row}; END $$",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    statements += [
        f"DROP TRIGGER IF EXISTS {PROGRAM_TRIGGER} ON {PROGRAM}",
        f"CREATE OR REPLACE FUNCTION {PROGRAM_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN NEW.outline_token := {_POSTGRES_TOKEN}; RETURN NEW; END $$",
        f"CREATE TRIGGER {PROGRAM_TRIGGER} BEFORE UPDATE ON {PROGRAM} "
        f"FOR EACH ROW EXECUTE FUNCTION {PROGRAM_TRIGGER}()",
    ]
    return statements


def install(connection: BaseDatabaseWrapper) -> bool:
    """Create (or replace) the triggers and give every programme a new token, so no outline
    cached before can be served again. Returns False, doing nothing, while the tables do not
    all exist yet (a partial migrate). Raises NotImplementedError on other databases."""
    if connection.vendor == "sqlite":
        statements = _sqlite_statements()
    elif connection.vendor == "postgresql":
        statements = _postgres_statements()
    else:
        raise NotImplementedError(f"outline triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if not set(TABLES) <= existing:
            return False
        for statement in statements:
            cursor.execute(statement)
        # Through the programme trigger: every row draws its own token.
        cursor.execute(f"UPDATE {PROGRAM} SET outline_token = outline_token")
    return True


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (those present; the others are skipped). `migrate` calls this before it
    runs (programs/signals.py): SQLite alters a table by rebuilding and renaming it, and refuses
    the rename while a trigger names the old table ("error in trigger …: no such table"). The
    `install` after `migrate` puts them back and renews every token, so nothing written while
    they were away can leave an outline stale. Raises NotImplementedError on other databases."""
    if connection.vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES]
    elif connection.vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, *_ in CONTENT_TRIGGERS
        ]
        statements.append(f"DROP TRIGGER IF EXISTS {PROGRAM_TRIGGER} ON {PROGRAM}")
    else:
        raise NotImplementedError(f"outline triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for statement in statements:
            table = statement.rsplit(" ON ", 1)[1] if " ON " in statement else None
            if table is None or table in existing:
                cursor.execute(statement)


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the outline triggers present in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()} & set(TRIGGER_NAMES)
