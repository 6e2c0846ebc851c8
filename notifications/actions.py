"""Writes of the notifications app: creating notifications (`notify`, called by the actions of
the apps above), reading them, and a person's email preferences and quiet hours.

Notifications are not learning state, so these actions record no `events` Event.
"""

import threading
import uuid
import weakref
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from itertools import count
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User, blockers_of
from notifications.models import (
    DEFAULT_EMAIL,
    EmailChoice,
    EmailPreference,
    Notification,
    NotificationKind,
    QuietHours,
    quiet_hours_end,
)
from rapport.compiled import NotCompilable, statement_cursor
from rapport.lib.text import single_line_problem

if TYPE_CHECKING:
    from notifications.models import NotificationQuerySet

BATCH_SIZE = 500  # rows per INSERT: under SQLite's parameter limit
MAX_PLACE = 200
MAX_LABEL = 150
MAX_URL = 500


class InvalidNotification(ValueError):
    """A notify() call outside the contract (unknown kind, a URL that is not a relative product
    path, an over-long or multi-line place or label). Raised before anything is written."""


def _user_ids(recipients: Iterable[User | int]) -> list[int]:
    """Recipient ids in first-seen order, without repeats."""
    seen: dict[int, None] = {}
    for recipient in recipients:
        pk = recipient.pk if isinstance(recipient, User) else int(recipient)
        seen.setdefault(pk, None)
    return list(seen)


def _check_text(value: str, what: str, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise InvalidNotification(f"{what} must be a string, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise InvalidNotification(f"{what} is required")
    if len(value) > limit:
        raise InvalidNotification(f"{what} is longer than {limit} characters")
    if problem := single_line_problem(value):
        raise InvalidNotification(f"{what}: {problem}")
    return value


def _check_url(url: str) -> str:
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//"):
        raise InvalidNotification(
            f"url must be a relative product path such as /cohorts/…: {url!r}"
        )
    if len(url) > MAX_URL or any(c.isspace() or ord(c) < 32 for c in url) or "\\" in url:
        raise InvalidNotification(f"url is not a clean path of at most {MAX_URL} characters")
    return url


def notify(
    *,
    kind: NotificationKind | str,
    recipients: Iterable[User | int],
    actor: User | None,
    actor_label: str,
    place: str,
    url: str,
    target_id: uuid.UUID | None = None,
    pseudonymous: bool = False,
) -> int:
    """Tell each recipient that `actor` did something of `kind` in `place`. Returns how many
    notifications were created: `save_notifications(plan_notifications(...))`, whose
    arguments, rules and errors are plan_notifications'."""
    return save_notifications(
        plan_notifications(
            kind=kind,
            recipients=recipients,
            actor=actor,
            actor_label=actor_label,
            place=place,
            url=url,
            target_id=target_id,
            pseudonymous=pseudonymous,
        )
    )


def plan_notifications(
    *,
    kind: NotificationKind | str,
    recipients: Iterable[User | int],
    actor: User | None,
    actor_label: str,
    place: str,
    url: str,
    target_id: uuid.UUID | None = None,
    pseudonymous: bool = False,
) -> list[Notification]:
    """The notifications `notify` would create, unsaved: the reads (who may receive them, who
    blocked the actor, their email choices) without the write, so that a caller can make them
    before its own write transaction and keep that transaction, which holds SQLite's write
    lock, to its inserts (`save_notifications`; docs/performance.md, posting a reply).

    - `recipients`: Users or user ids, in any number; repeats count once. The actor is dropped,
      as is anyone who blocked the actor (`accounts.Block`), anyone deactivated, and anyone of
      another organisation than the actor's.
    - `actor_label`: the name to show — a pseudonym when the actor posted under one (the real
      name is never looked up when a label is given). Blank for system notices (a new week).
    - `place`: the title of where it happened ("Week 2 · What listening changed", "Circle
      Lisbon"). Never text a person typed: post bodies are never copied into notifications or
      their emails.
    - `url`: the relative product URL that shows it (its own access rules apply when opened).
    - `target_id`: the post's public_id, or None.
    - `pseudonymous`: True when `actor_label` is a pseudonym. Blocks are per name, so then only
      the people who blocked that pseudonym are dropped (never those who blocked the person's
      real name: their silence would tie the pseudonym to the person), and vice versa.

    One query (none when nobody is listed): the recipients who may receive it, less those who
    blocked the actor, with their email choice for the kind, their time zone and their quiet
    hours (which `save_notifications` uses to queue an immediate email without reading them
    again). Raises InvalidNotification for arguments outside this contract, before anything is
    written. `plan_notifications_by_kind` plans several kinds of one event with the same query.
    """
    return plan_notifications_by_kind(
        audiences=[(kind, recipients)],
        actor=actor,
        actor_label=actor_label,
        place=place,
        url=url,
        target_id=target_id,
        pseudonymous=pseudonymous,
    )


def plan_notifications_by_kind(
    *,
    audiences: Sequence[tuple[NotificationKind | str, Iterable[User | int]]],
    actor: User | None,
    actor_label: str,
    place: str,
    url: str,
    target_id: uuid.UUID | None = None,
    pseudonymous: bool = False,
) -> list[Notification]:
    """`plan_notifications` for several kinds of one event (a reply that also mentions people:
    the parent's author about the reply, the people named about the mention), with one query
    in all: the recipients of every kind who may receive (less those who blocked the actor),
    with their email choice for each of those kinds and their time zone and quiet hours.

    `audiences`: (kind, recipients) pairs, each read as `plan_notifications` reads its `kind`
    and `recipients`; the rows come kind by kind in that order, each kind's recipients in
    first-seen order. A person listed under two kinds gets both (the caller decides who hears
    of what: discussions tells each person once, under the most specific kind). The other
    arguments, rules and errors are `plan_notifications'` — every audience's kind is checked
    before any query is made.
    """
    wanted: list[tuple[NotificationKind, list[int]]] = []
    for kind, recipients in audiences:
        try:
            checked = NotificationKind(kind)
        except ValueError:
            raise InvalidNotification(f"unknown notification kind {kind!r}") from None
        ids = [pk for pk in _user_ids(recipients) if actor is None or pk != actor.pk]
        wanted.append((checked, ids))
    actor_label = _check_text(actor_label, "actor_label", MAX_LABEL, required=False)
    place = _check_text(place, "place", MAX_PLACE, required=True)
    url = _check_url(url)
    if target_id is not None and not isinstance(target_id, uuid.UUID):
        raise InvalidNotification("target_id must be a UUID (a public_id) or None")

    everyone = _user_ids(pk for _, ids in wanted for pk in ids)
    if not everyone:
        return []
    # One query for everyone of every kind: who may receive (active, of the actor's
    # organisation, not blocking the actor under this name — blocks are per name,
    # accounts.models.Block: a pseudonym silences only that pseudonym), each kind's email
    # choice, and the time zone and quiet hours that say when an immediate email may go.
    # Compiled once per shape (kinds, number of recipients, with or without an actor).
    kinds = tuple(dict.fromkeys(kind for kind, ids in wanted if ids))
    label = actor_label if pseudonymous else ""
    found = {pk: facts for pk, *facts in _PLAN.rows(kinds, tuple(everyone), actor, label)}
    column = {kind: 4 + n for n, kind in enumerate(kinds)}
    # When an immediate email may go (now, or the end of the recipient's quiet hours), worked
    # out here so that save_notifications does nothing but write under the write lock.
    now = timezone.now()
    send_at: dict[int, datetime] = {}
    rows = []
    for kind, ids in wanted:
        for pk in ids:
            facts = found.get(pk)
            if facts is None:
                continue
            row = Notification(
                organization_id=facts[0],
                recipient_id=pk,
                kind=kind,
                actor=actor,
                actor_label=actor_label,
                place=place,
                url=url,
                target_id=target_id,
                email=facts[column[kind]] or DEFAULT_EMAIL[kind],
            )
            if row.email == EmailChoice.IMMEDIATE and pk not in send_at:
                send_at[pk] = quiet_hours_end(facts[2], facts[3], facts[1], now)
            row._send_at = (send_at.get(pk), now)  # type: ignore[attr-defined]
            rows.append(row)
    return rows


def _plan_queryset(
    kinds: tuple[str, ...], ids: tuple[int, ...], actor: User | None, label: str
) -> "QuerySet[Any]":
    """The plan's query, as `plan_notifications_by_kind` reads it: for each of `ids` who may
    receive (active, of an organisation — the actor's when there is one — and not among those
    who blocked `actor` under the name `label`), (pk, organization_id, time_zone, quiet hours'
    start, their end, then the email choice of each of `kinds`, None where they chose
    nothing)."""
    people = User.objects.filter(pk__in=ids, is_active=True, organization__isnull=False)
    if actor is not None:
        people = people.filter(organization_id=actor.organization_id).exclude(
            pk__in=blockers_of(actor, label=label)
        )
    choices = {
        f"email_{n}": Subquery(
            EmailPreference.objects.filter(user_id=OuterRef("pk"), kind=kind).values("email")[:1]
        )
        for n, kind in enumerate(kinds)
    }
    return people.annotate(**choices).values_list(
        "pk", "organization_id", "time_zone", "quiet_hours__start", "quiet_hours__end", *choices
    )


# Far above any real id, below 2**63, and apart from rapport.compiled's stand-ins.
_FIRST_STAND_IN = 7_350_000_000_000_000_000


def _id_at(n: int) -> Callable[[tuple[int, ...], User | None, str], int]:
    def source(ids: tuple[int, ...], actor: User | None, label: str) -> int:
        return ids[n]

    return source


@dataclass(frozen=True)
class _PlanStatement:
    sql: str
    params: tuple[Any, ...]  # constants, or None where a slot fills the parameter
    slots: dict[int, Callable[[tuple[int, ...], User | None, str], Any]]
    converters: dict[int, Any]
    compiler: Any


class _CompiledPlan:
    """`_plan_queryset` compiled once per shape — (kinds, number of recipients, whether there
    is an actor) and the connection — and re-run with each call's recipient ids, actor (its id
    and organisation) and label: building and compiling it was most of a reply's plan
    (5,600 Python calls, docs/performance.md round 7). rapport.compiled's way, for rows
    (`CompiledQuery` makes model instances): the queryset is built by `_plan_queryset` itself
    with made-up values, unique and big (a made-up label), which are found again among the
    compiled parameters and replaced there on each call; every other parameter is a constant of
    the rule. Anything else (a repeated id, an actor without an id or organisation, a made-up
    value that reached the SQL other than as a whole parameter) takes the ORM path. The rows go
    through Django's own converters (SQLite's times), as `values_list` gives them."""

    def __init__(self) -> None:
        self._statements: weakref.WeakKeyDictionary[Any, dict[Hashable, _PlanStatement | None]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def rows(
        self,
        kinds: tuple[str, ...],
        ids: tuple[int, ...],
        actor: User | None,
        label: str,
        *,
        using: str | None = None,
    ) -> list[tuple[Any, ...]]:
        """`_plan_queryset(kinds, ids, actor, label)`'s rows, as a list of tuples. One query."""
        using = using or router.db_for_read(User)
        statement = self._statement_for(kinds, ids, actor, using)
        if statement is None:
            return list(_plan_queryset(kinds, ids, actor, label).using(using))
        params = self._params(statement, ids, actor, label)
        with statement_cursor(connections[using]) as cursor:
            cursor.execute(statement.sql, params)
            rows = cursor.fetchall()
        if statement.converters:
            rows = statement.compiler.apply_converters(rows, statement.converters)
        return [tuple(row) for row in rows]

    def sql_with_params(
        self,
        kinds: tuple[str, ...],
        ids: tuple[int, ...],
        actor: User | None,
        label: str,
        *,
        using: str = DEFAULT_DB_ALIAS,
    ) -> tuple[str, tuple[Any, ...]] | None:
        """The statement and parameters a call would run, or None when it takes the ORM path."""
        statement = self._statement_for(kinds, ids, actor, using)
        if statement is None:
            return None
        return statement.sql, tuple(self._params(statement, ids, actor, label))

    @staticmethod
    def _params(
        statement: _PlanStatement, ids: tuple[int, ...], actor: User | None, label: str
    ) -> list[Any]:
        params = list(statement.params)
        for position, source in statement.slots.items():
            params[position] = source(ids, actor, label)
        return params

    def _statement_for(
        self, kinds: tuple[str, ...], ids: tuple[int, ...], actor: User | None, using: str
    ) -> _PlanStatement | None:
        if not ids or len(set(ids)) != len(ids):
            return None
        if actor is not None and (actor.pk is None or actor.organization_id is None):
            return None
        shape = (kinds, len(ids), actor is not None)
        connection = connections[using]
        with self._lock:
            kept = self._statements.setdefault(connection, {})
            if shape in kept:
                return kept[shape]
        try:
            statement: _PlanStatement | None = self._compile(shape, using)
        except NotCompilable:
            statement = None
        with self._lock:
            kept[shape] = statement
        return statement

    @staticmethod
    def _compile(shape: tuple[tuple[str, ...], int, bool], using: str) -> _PlanStatement:
        kinds, size, has_actor = shape
        numbers = count(_FIRST_STAND_IN)
        ids = tuple(next(numbers) for _ in range(size))
        sources: dict[Any, Callable[[tuple[int, ...], User | None, str], Any]] = {
            made_up: _id_at(n) for n, made_up in enumerate(ids)
        }
        actor = None
        label = f"rapport-stand-in-label-{uuid.uuid4().hex}"
        sources[label] = lambda ids, actor, label: label
        if has_actor:
            actor = User(pk=next(numbers))
            actor.organization_id = next(numbers)
            sources[actor.pk] = lambda ids, actor, label: actor.pk  # type: ignore[union-attr]
            sources[actor.organization_id] = lambda ids, actor, label: actor.organization_id  # type: ignore[union-attr]
        queryset: Any = _plan_queryset(kinds, ids, actor, label).using(using)
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if list(queryset._fields) != names:
            raise NotCompilable("the rows' columns are not in the order asked")
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except Exception as error:  # EmptyResultSet, FullResultSet: let the ORM decide
            raise NotCompilable(str(error)) from error
        slots: dict[int, Callable[[tuple[int, ...], User | None, str], Any]] = {}
        constants: list[Any] = []
        for position, param in enumerate(params):
            source = sources.get(param) if isinstance(param, Hashable) else None
            if source is None:
                if isinstance(param, int) and param >= _FIRST_STAND_IN:
                    raise NotCompilable("a made-up id was transformed")
                constants.append(param)
                continue
            slots[position] = source
            constants.append(None)
        made_up = [str(value) for value in sources]
        if any(text in sql for text in made_up) or any(
            isinstance(c, str) and any(text in c for text in made_up) for c in constants
        ):
            raise NotCompilable("a made-up value reached the SQL in another form")
        # Every made-up value must be found again (the label only with an actor: it is the
        # blocks' name), or a call would run with a stand-in's value.
        required = set(ids) | ({actor.pk, actor.organization_id, label} if actor else set())
        if not required <= {params[position] for position in slots}:
            raise NotCompilable("a made-up value is missing from the parameters")
        columns = [s[0] for s in compiler.select[0 : compiler.col_count]]
        return _PlanStatement(
            sql=sql,
            params=tuple(constants),
            slots=slots,
            converters=compiler.get_converters(columns),
            compiler=compiler,
        )


_PLAN = _CompiledPlan()


def save_notifications(rows: list[Notification]) -> int:
    """Insert notifications that `plan_notifications` made (of any kinds, in one bulk insert)
    and queue one email task per send time for those whose recipients want them immediately
    (notifications.tasks.send_immediate_emails: now, or when the recipient's quiet hours end,
    as the plan worked out from the time zone and quiet hours it read). Returns how many were
    saved.

    With the database task backend on the notifications' own database (production's), the
    task rows are inserted here, in the caller's transaction: they exist exactly when the
    notifications do, and a post takes SQLite's write lock once instead of a second time after
    its commit (docs/performance.md, round 6). With any other backend (a broker, or the
    immediate backend of the tests) the tasks are queued when the transaction commits, so no
    email is ever sent about notifications that were rolled back. Rows made some other way
    (without the plan's send time) are queued by `notifications.tasks.queue_immediate_emails`
    after the commit, which reads the quiet hours itself."""
    if not rows:
        return 0
    # No savepoint inside a caller's transaction (a post's): an error here undoes the caller's
    # whole transaction anyway, and a savepoint is two statements more under its write lock.
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        immediate = [row for row in rows if row.email == EmailChoice.IMMEDIATE]
        if not immediate:
            return len(rows)
        planned: list[tuple[datetime | None, datetime | None]] = [
            getattr(row, "_send_at", (None, None)) for row in immediate
        ]
        known = [(when, at) for when, at in planned if when is not None and at is not None]
        if len(known) != len(planned):
            ids = [row.pk for row in immediate]
            transaction.on_commit(lambda: _queue_immediate(ids))
            return len(rows)
        now = max(at for _, at in known)
        by_time: dict[datetime, list[int]] = defaultdict(list)
        for row, (when, _) in zip(immediate, known, strict=True):
            by_time[when].append(row.pk)
        from notifications.tasks import tasks_share_the_transaction

        if tasks_share_the_transaction():
            enqueue_immediate_emails(by_time, now=now)
        else:
            transaction.on_commit(lambda: enqueue_immediate_emails(by_time, now=now))
    return len(rows)


def enqueue_immediate_emails(by_time: dict[datetime, list[int]], *, now: datetime) -> int:
    """Queue `send_immediate_emails` for notification ids grouped by when they may be sent
    (`quiet_hours_end` of their recipient at `now`): one task per send time and SEND_BATCH
    ids, deferred to the end of the quiet hours. A backend that cannot defer gets only the
    ones due now (the periodic sweep queues the others once their quiet hours are over), as in
    `notifications.tasks.queue_immediate_emails`. Returns how many tasks were queued."""
    import itertools

    from notifications.tasks import SEND_BATCH, send_immediate_emails

    can_defer = send_immediate_emails.get_backend().supports_defer
    queued = 0
    for when, ids in by_time.items():
        if when > now and not can_defer:
            continue
        runner = (
            send_immediate_emails.using(run_after=when) if when > now else send_immediate_emails
        )
        for chunk in itertools.batched(ids, SEND_BATCH):
            runner.enqueue(notification_ids=list(chunk))
            queued += 1
    return queued


def _queue_immediate(notification_ids: list[int]) -> None:
    from notifications.tasks import queue_immediate_emails

    queue_immediate_emails(notification_ids)


def mark_read(notification: Notification) -> bool:
    """Mark one notification (already loaded through notifications.access) read. Returns
    whether it was unread. Idempotent."""
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(updated)


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` read. Returns how many changed."""
    mine: NotificationQuerySet = Notification.objects.visible_to(user)
    return mine.unread().update(read_at=timezone.now())


def _organization_id(user: User) -> int:
    if user.organization_id is None:
        raise ValueError("Only people of an organisation have notification preferences.")
    return user.organization_id


def email_choices_of(user: User) -> dict[str, str]:
    """The person's email choice for every kind: their stored choice or the kind's default."""
    stored = dict(
        EmailPreference.objects.visible_to(user).values_list("kind", "email")  # one query
    )
    return {kind: stored.get(kind, DEFAULT_EMAIL[kind]) for kind in NotificationKind.values}


@transaction.atomic
def set_email_preferences(user: User, *, choices: dict[str, str]) -> int:
    """Store the person's email choice for each kind in `choices` (kind → EmailChoice value).
    Applies to notifications created from now on. Returns how many kinds changed. Raises
    ValueError for an unknown kind or choice, before writing anything."""
    for kind, choice in choices.items():
        NotificationKind(kind)
        EmailChoice(choice)
    current = email_choices_of(user)
    changed = {kind: choice for kind, choice in choices.items() if current[kind] != choice}
    for kind, choice in changed.items():
        EmailPreference.objects.update_or_create(
            user=user,
            kind=kind,
            defaults={"email": choice, "organization_id": _organization_id(user)},
        )
    return len(changed)


def kinds_in_scope(user: User, scope: str) -> list[str]:
    """The kinds an unsubscribe `scope` stands for: the kind itself, or for "daily"/"weekly"
    every kind the person now receives in that digest."""
    if scope in NotificationKind.values:
        return [scope]
    return [kind for kind, choice in email_choices_of(user).items() if choice == scope]


def unsubscribe(user: User, *, scope: str) -> int:
    """Stop emails for `user` in `scope` (a kind, or "daily"/"weekly": the kinds of that
    digest) — the one-click unsubscribe link. Returns how many kinds changed; a second click
    changes nothing. In-app notifications continue."""
    kinds = kinds_in_scope(user, scope)
    return set_email_preferences(user, choices=dict.fromkeys(kinds, EmailChoice.NEVER))


@transaction.atomic
def set_quiet_hours(user: User, *, start: time | None, end: time | None) -> None:
    """Set (both times) or clear (both None) the person's quiet hours, in their local time.
    Raises ValueError for one time without the other or an empty span."""
    if (start is None) != (end is None):
        raise ValueError("Quiet hours need both a start and an end.")
    if start is None or end is None:
        QuietHours.objects.filter(user=user).delete()
        return
    if start == end:
        raise ValueError("Quiet hours cannot start and end at the same time.")
    QuietHours.objects.update_or_create(
        user=user,
        defaults={"start": start, "end": end, "organization_id": _organization_id(user)},
    )
