"""A getter's SQL compiled once per process and re-run with each request's values.

Building a queryset and compiling it to SQL is most of what an ORM query costs on a journey
page (docs/performance.md): the seat query's SQL runs in under 0.1 ms, but Django spends about
a millisecond resolving its joins and listing the columns of four models, on every request,
for a statement that is the same for every learner. `CompiledQuery` keeps that statement.

How it stays the rule's statement, and never a way around `visible_to`:

- The queryset is always built by the getter's own function, `build(viewer, *values)`, through
  the model's `visible_to(viewer)` — once per *shape*, with stand-ins: a viewer with the real
  viewer's platform-superuser flag and organisation role (all a rule may branch on: it asks the
  kernel, `rapport.policy`), but made-up ids, and made-up values. Each made-up id or value is
  unique and big, so it is found again among the compiled parameters, and replaced there by
  the real one on each call; every other parameter is a constant of the rule.
- The shape is everything the statement's text depends on: the viewer's superuser flag and role,
  the kind of each value and the length of each tuple of values, the database connection.
  People without a role (anonymous, deactivated, no membership), a value that is None, a
  tuple with repeats or an empty one — whose statements differ in form — are not compiled:
  they take the ordinary ORM path, as does any queryset this cannot reproduce exactly
  (prefetches, annotations from known related objects, peer fetching).
- `CompiledRows` does the same for a `values_list` queryset (tuples, as the ORM gives them);
  a value may be a bool, which is part of the shape (the statement is the compile for that
  bool), or an `Offset`, the one value a queryset may inline into its SQL (`OFFSET n`), which
  the kept statement takes as a parameter instead, so that every page of a list shares one
  statement.
- `sql_with_params(viewer, *values)` gives what would run; `rapport/tests/test_compiled.py`
  and the getters' tests check that it equals a fresh compile of `build(viewer, *values)` for
  every persona.

Per connection (`connections[alias]` is per thread), so a statement never crosses databases
or threads, and the rows go through Django's own converters and related-object populators,
so the instances are those the ORM would have made. Holds SQL text and column lists, nothing
about a person.
"""

import re
import threading
import uuid
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

from rapport import policy

# Far above any real primary key, below 2**63 (PostgreSQL bigint, SQLite integer).
_FIRST_STAND_IN = 7_340_000_000_000_000_000
_VIEWER_ID, _VIEWER_ORGANIZATION_ID, _MEMBERSHIP_ORGANIZATION_ID = (
    _FIRST_STAND_IN,
    _FIRST_STAND_IN + 1,
    _FIRST_STAND_IN + 2,
)


class NotCompilable(Exception):
    """The queryset or the values cannot be re-run from a kept statement; use the ORM."""


@dataclass(frozen=True)
class _Slot:
    """Where a compiled parameter comes from: `source` picks the value (a function of the viewer
    and the values), `form` turns it into what the database driver expects."""

    source: Callable[[Any, tuple[Any, ...]], Any]
    form: Callable[[Any], Any]


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]  # constants, or None where a slot fills the parameter
    slots: dict[int, _Slot]
    model: type[Model]
    init_list: list[str]
    fields_start: int
    fields_end: int
    populators: list[Any]
    converters: dict[int, Any]
    annotations: dict[str, int]  # attribute name: its column, as the ORM sets them
    compiler: Any
    fetch_mode: Any
    db: str


def viewer_shape(viewer: Any) -> tuple[bool, str | None] | None:
    """What a `visible_to` rule may branch on about the viewer: (platform superuser, role).
    None for people with neither (anonymous, deactivated, without a membership)."""
    if viewer is None:
        return (False, None)
    superuser = policy.is_platform_superuser(viewer)
    role = policy.role_of(viewer)
    if not superuser and role is None:
        return None
    return (superuser, None if role is None else str(role))


def _stand_in_viewer(shape: tuple[bool, str | None]) -> Any:
    """An unsaved person with the shape's superuser flag and role and made-up ids."""
    user_model = get_user_model()
    superuser, role = shape
    viewer = user_model(pk=_VIEWER_ID, is_active=True, is_superuser=superuser)
    viewer.organization_id = _VIEWER_ORGANIZATION_ID
    relation = user_model._meta.get_field("membership")
    if role is None:
        relation.set_cached_value(viewer, None)  # type: ignore[union-attr]
    else:
        membership = relation.related_model(  # type: ignore[misc,operator]
            user_id=_VIEWER_ID, organization_id=_MEMBERSHIP_ORGANIZATION_ID, role=role
        )
        relation.set_cached_value(viewer, membership)  # type: ignore[union-attr]
        relation.remote_field.set_cached_value(membership, viewer)  # type: ignore[union-attr]
    return viewer


class Offset(int):
    """A whole number ≥ 0 that the queryset uses as a slice's start (`[offset : offset + n]`),
    which Django writes into the SQL's text (`OFFSET 3700`): the kept statement has a parameter
    there instead (`OFFSET %s`), so one statement serves every offset."""


def _value_shape(value: Any) -> Hashable:
    """A value's part of the shape; raises NotCompilable for values whose SQL differs in form."""
    if type(value) is Offset:
        if value < 0:
            raise NotCompilable("a negative offset")
        return "offset"
    if type(value) is bool:
        return ("bool", value)  # the statement is the compile for this value
    if type(value) is int:
        return "int"
    if type(value) is uuid.UUID:
        return "uuid"
    if isinstance(value, tuple):
        if not value or len(set(value)) != len(value):
            raise NotCompilable("an empty tuple or one with repeats")
        for item in value:
            if type(item) is not int:
                raise NotCompilable("tuples of whole numbers only")
        return (tuple, len(value))
    raise NotCompilable(f"values of type {type(value).__name__} are not compiled")


def _identity(value: Any) -> Any:
    return value


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _text(value: Any) -> str:
    return str(value)


def _viewer_id(viewer: Any, values: tuple[Any, ...]) -> Any:
    return viewer.pk


def _viewer_organization_id(viewer: Any, values: tuple[Any, ...]) -> Any:
    return viewer.organization_id


def _membership_organization_id(viewer: Any, values: tuple[Any, ...]) -> Any:
    return policy.membership_of(viewer).organization_id  # type: ignore[union-attr]


def _value(index: int, item: int | None = None) -> Callable[[Any, tuple[Any, ...]], Any]:
    if item is None:
        return lambda viewer, values: values[index]
    return lambda viewer, values: values[index][item]


@dataclass(frozen=True)
class _Prepared:
    """A queryset's compiled SQL with the made-up values found among its parameters."""

    queryset: Any
    compiler: Any
    sql: str
    params: tuple[Any, ...]  # constants, or None where a slot fills the parameter
    slots: dict[int, _Slot]


_PLACEHOLDER = re.compile(r"%%|%s")


class _Compiled(ABC):
    """What `CompiledQuery` and `CompiledRows` share: the shapes, the stand-ins, the kept
    statements per connection and shape, and the parameters of a call."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        self._statements: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def sql_with_params(
        self, viewer: Any, *values: Any, using: str = DEFAULT_DB_ALIAS
    ) -> tuple[str, tuple[Any, ...]] | None:
        """The statement and parameters a call would run, or None when it takes the ORM path."""
        statement = self._statement_for(viewer, values, using)
        if statement is None:
            return None
        return statement.sql, tuple(self._params(statement, viewer, values))

    def _fetch(self, statement: Any, viewer: Any, values: tuple[Any, ...], using: str) -> list[Any]:
        """The kept statement run with this call's viewer and values on `using`: its rows, as
        the database driver gives them (one query)."""
        with statement_cursor(connections[using]) as cursor:
            cursor.execute(statement.sql, self._params(statement, viewer, values))
            return cursor.fetchall()  # type: ignore[no-any-return]

    def _params(self, statement: Any, viewer: Any, values: tuple[Any, ...]) -> list[Any]:
        params = list(statement.params)
        for position, slot in statement.slots.items():
            params[position] = slot.form(slot.source(viewer, values))
        return params

    def _statement_for(self, viewer: Any, values: tuple[Any, ...], using: str) -> Any:
        shape_of_viewer = viewer_shape(viewer)
        if shape_of_viewer is None or (viewer is not None and not _has_ids(viewer)):
            return None
        try:
            shape = (shape_of_viewer, tuple(_value_shape(v) for v in values))
        except NotCompilable:
            return None
        connection = connections[using]
        with self._lock:
            kept = self._statements.setdefault(connection, {})
            if shape in kept:
                return kept[shape]
        try:
            statement = self._compile(viewer is not None, shape, using)
        except NotCompilable:
            statement = None
        with self._lock:
            kept[shape] = statement
        return statement

    @abstractmethod
    def _compile(self, has_viewer: bool, shape: Any, using: str) -> Any:
        """The statement for one shape (a `_Statement` or `_RowStatement`), compiled from the
        queryset `build` makes. Raises NotCompilable when the compile cannot be kept."""

    def _prepare(self, has_viewer: bool, shape: Any, using: str) -> _Prepared:
        """`build` run with stand-ins for the shape, compiled, and each stand-in found again
        among the parameters (an `Offset`'s in the SQL's `OFFSET`, made a parameter)."""
        shape_of_viewer, shapes_of_values = shape
        numbers = count(_FIRST_STAND_IN + 16)
        stand_in_values: list[Any] = []
        offsets: dict[int, int] = {}  # the stand-in: the value's index
        for index, kind in enumerate(shapes_of_values):
            if kind == "int":
                stand_in_values.append(next(numbers))
            elif kind == "offset":
                number = next(numbers)
                offsets[number] = index
                stand_in_values.append(number)
            elif kind == "uuid":
                stand_in_values.append(uuid.uuid4())
            elif kind[0] == "bool":
                stand_in_values.append(kind[1])
            else:
                stand_in_values.append(tuple(next(numbers) for _ in range(kind[1])))
        viewer = _stand_in_viewer(shape_of_viewer) if has_viewer else None
        queryset: Any = self.build(viewer, *stand_in_values).using(using)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except Exception as error:  # EmptyResultSet, FullResultSet: let the ORM decide
            raise NotCompilable(str(error)) from error
        params = tuple(params)
        if offsets:
            sql, params = _offsets_as_parameters(sql, params, offsets)
        sources: dict[Any, Callable[[Any, tuple[Any, ...]], Any]] = {}
        if has_viewer:
            sources[_VIEWER_ID] = _viewer_id
            sources[_VIEWER_ORGANIZATION_ID] = _viewer_organization_id
            sources[_MEMBERSHIP_ORGANIZATION_ID] = _membership_organization_id
        forms: dict[Any, Callable[[Any], Any]] = {}
        for index, value in enumerate(stand_in_values):
            if isinstance(value, bool):
                continue  # part of the shape, not a parameter
            if isinstance(value, tuple):
                for item_index, item in enumerate(value):
                    sources[item] = _value(index, item_index)
            elif isinstance(value, uuid.UUID):
                sources[value] = sources[value.hex] = sources[str(value)] = _value(index)
                forms[value.hex] = _hex
                forms[str(value)] = _text
            elif value in offsets:
                sources[_OffsetParameter(value)] = _offset_value(index)
            else:
                sources[value] = _value(index)
        slots: dict[int, _Slot] = {}
        constants: list[Any] = []
        for position, param in enumerate(params):
            source = sources.get(param) if isinstance(param, Hashable) else None
            if source is None:
                if (
                    isinstance(param, int) and not isinstance(param, bool)
                ) and param >= _FIRST_STAND_IN:
                    raise NotCompilable("a made-up id was transformed")
                constants.append(param)
                continue
            slots[position] = _Slot(source=source, form=forms.get(param, _identity))
            constants.append(None)
        # A made-up value that reached the SQL other than as a whole parameter (inlined, or
        # inside a pattern) cannot be replaced: leave such a queryset to the ORM.
        made_up = [str(n) for n in sources if type(n) is int or type(n) is _OffsetParameter]
        made_up += [f(v) for v in sources if isinstance(v, uuid.UUID) for f in (_hex, _text)]
        if any(text in sql for text in made_up) or any(
            isinstance(c, str) and any(text in c for text in made_up) for c in constants
        ):
            raise NotCompilable("a made-up value reached the SQL in another form")
        return _Prepared(queryset, compiler, sql, tuple(constants), slots)


class _OffsetParameter(int):
    """An `Offset`'s stand-in once it is a parameter of the kept statement (a type of its own,
    so that it is never taken for a made-up id used as a value)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is _OffsetParameter and int(self) == int(other)

    def __hash__(self) -> int:
        return hash(("offset", int(self)))


def _offset_value(index: int) -> Callable[[Any, tuple[Any, ...]], Any]:
    return lambda viewer, values: int(values[index])


_OFFSET = re.compile(r"\bOFFSET (\d+)\b")


def _offsets_as_parameters(
    sql: str, params: tuple[Any, ...], offsets: dict[int, int]
) -> tuple[str, tuple[Any, ...]]:
    """The SQL with each `OFFSET <stand-in>` made `OFFSET %s` and the stand-in (as an
    `_OffsetParameter`) put among the parameters where that placeholder falls. Raises
    NotCompilable when an offset's stand-in is not found that way (another backend's form)."""
    pieces: list[str] = []
    out: list[Any] = list(params)
    inserted = 0
    seen: set[int] = set()
    last = 0
    for found in _OFFSET.finditer(sql):
        number = int(found.group(1))
        if number not in offsets:
            continue
        before = sum(1 for m in _PLACEHOLDER.finditer(sql, 0, found.start()) if m[0] == "%s")
        out.insert(before + inserted, _OffsetParameter(number))
        inserted += 1
        seen.add(number)
        pieces.append(sql[last : found.start(1)])
        pieces.append("%s")
        last = found.end(1)
    if seen != set(offsets):
        raise NotCompilable("an offset is not in the SQL as OFFSET n")
    pieces.append(sql[last:])
    return "".join(pieces), tuple(out)


class CompiledQuery[M: Model](_Compiled):
    """`build(viewer, *values)` — a queryset built through the model's `visible_to` — compiled
    once per shape (see the module's docstring) and run with each call's viewer and values.

    `viewer` is a person (or None for a query that has no viewer); each value is an int, a UUID
    or a tuple of distinct ints. Calling returns the list of model instances the queryset would
    give, in the same order, with its select_related objects and its annotations attached
    (set as the ORM sets them); it makes one query.
    """

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        super().__init__(build)

    def __call__(self, viewer: Any, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        statement = self._statement_for(viewer, values, using)
        if statement is None:
            return list(self.build(viewer, *values).using(using))
        return self._instances(statement, self._fetch(statement, viewer, values, using))

    def _compile(self, has_viewer: bool, shape: Any, using: str) -> _Statement:
        prepared = self._prepare(has_viewer, shape, using)
        queryset, compiler = prepared.queryset, prepared.compiler
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or queryset._fetch_mode.track_peers
        ):
            raise NotCompilable("only plain model querysets are compiled")
        select, klass_info = compiler.select, compiler.klass_info
        if compiler.has_composite_fields([s[0] for s in select[0 : compiler.col_count]]):
            raise NotCompilable("composite keys are not compiled")
        fields = klass_info["select_fields"]
        fetch_mode = queryset._fetch_mode
        return _Statement(
            sql=prepared.sql,
            params=prepared.params,
            slots=prepared.slots,
            model=klass_info["model"],
            init_list=[s[0].target.attname for s in select[fields[0] : fields[-1] + 1]],
            fields_start=fields[0],
            fields_end=fields[-1] + 1,
            populators=get_related_populators(klass_info, select, using, fetch_mode),
            converters=compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]),
            annotations=dict(compiler.annotation_col_map or {}),
            compiler=compiler,
            fetch_mode=fetch_mode,
            db=using,
        )

    def _instances(self, statement: _Statement, rows: list[Any]) -> list[M]:
        if statement.converters:
            rows = list(statement.compiler.apply_converters(rows, statement.converters))
        objects: list[M] = []
        model, db, init_list = statement.model, statement.db, statement.init_list
        start, end = statement.fields_start, statement.fields_end
        annotations = statement.annotations.items()
        for row in rows:
            obj = model.from_db(db, init_list, row[start:end], fetch_mode=statement.fetch_mode)
            for populator in statement.populators:
                populator.populate(row, obj)
            for name, column in annotations:  # as ModelIterable sets a queryset's annotations
                setattr(obj, name, row[column])
            objects.append(obj)  # type: ignore[arg-type]
        return objects


@dataclass(frozen=True)
class _RowStatement:
    sql: str
    params: tuple[Any, ...]
    slots: dict[int, _Slot]
    col_count: int | None  # the row's columns when the SQL selects more (ordering), else None
    # Each converted column: (its position, its converters, the expression, whether None
    # converts to None so that a NULL needs no call).
    converters: tuple[tuple[int, tuple[Any, ...], Any, bool], ...]
    connection: Any


class CompiledRows(_Compiled):
    """`build(viewer, *values)` — a `values_list(...)` queryset built through the model's rule
    — compiled once per shape (see the module's docstring) and run with each call's viewer
    and values. Values may also be bools (part of the shape) and one or more `Offset`s.

    Calling returns the list of tuples the queryset would give, in the same order, each column
    converted by the ORM's own converters; it makes one query. Flat and named lists, and
    querysets with composite keys, take the ORM path."""

    def __call__(
        self, viewer: Any, *values: Any, using: str = DEFAULT_DB_ALIAS
    ) -> list[tuple[Any, ...]]:
        statement: _RowStatement | None = self._statement_for(viewer, values, using)
        if statement is None:
            return list(self.build(viewer, *values).using(using))
        rows = self._fetch(statement, viewer, values, using)
        if statement.col_count is not None:
            rows = [row[: statement.col_count] for row in rows]
        if not statement.converters:
            return [tuple(row) for row in rows]
        connection = statement.connection
        out: list[tuple[Any, ...]] = []
        for row in rows:
            values_of_row = list(row)
            for position, converters, expression, keeps_none in statement.converters:
                value = values_of_row[position]
                if value is None and keeps_none:
                    continue
                for converter in converters:
                    value = converter(value, expression, connection)
                values_of_row[position] = value
            out.append(tuple(values_of_row))
        return out

    def _compile(self, has_viewer: bool, shape: Any, using: str) -> _RowStatement:
        prepared = self._prepare(has_viewer, shape, using)
        queryset, compiler = prepared.queryset, prepared.compiler
        if queryset._iterable_class is not ValuesListIterable or queryset._prefetch_related_lookups:
            raise NotCompilable("only values_list querysets of tuples are compiled")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise NotCompilable("composite keys are not compiled")
        connection = connections[using]
        converters = []
        for position, (functions, expression) in compiler.get_converters(fields).items():
            try:  # the ORM's converters are pure functions of the value
                keeps_none = all(f(None, expression, connection) is None for f in functions)
            except Exception:
                keeps_none = False
            converters.append((position, tuple(functions), expression, keeps_none))
        return _RowStatement(
            sql=prepared.sql,
            params=prepared.params,
            slots=prepared.slots,
            col_count=compiler.col_count if compiler.has_extra_select else None,
            converters=tuple(converters),
            connection=connection,
        )


def statement_cursor(connection: Any) -> Any:
    """A Django cursor (logged and counted like any other) for a kept statement.

    On PostgreSQL with `prepare_threshold` set in the database's OPTIONS (rapport/settings.py:
    DATABASE_PREPARE_THRESHOLD), a server-binding cursor, so that psycopg prepares the statement
    on the connection once it has run that many times: the same text for every request, where
    PostgreSQL spent five to ten times the statement's execution planning it anew on every page
    (docs/performance.md, round 5). Django's own cursors bind on the client and never prepare,
    so the setting changes nothing else. Elsewhere, Django's ordinary cursor."""
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    if connection.vendor != "postgresql" or threshold is None:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))  # type: ignore[call-arg]


def _has_ids(viewer: Any) -> bool:
    """The viewer's ids that a rule may use are real values (None changes the SQL's form)."""
    if getattr(viewer, "pk", None) is None:
        return False
    if getattr(viewer, "organization_id", None) is None:
        return False
    membership = policy.membership_of(viewer)
    return membership is None or membership.organization_id is not None
