"""Background work of the notifications app: immediate emails and daily or weekly digests, sent
through Django's mail backend by the task worker (`manage.py db_worker`), never inside a person's
quiet hours in their own time zone.

Emails never contain text a person typed: only the notification's headline (the actor's label,
the kind, the place's title) and links. Every email carries a one-click unsubscribe link
(RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post` headers, and a link in the body).

Digests are exactly-once per person and period, whatever the worker does:
1. `plan_digests` (run by the periodic command) creates a `DigestDelivery` for each person whose
   digest is due (unique per person and period), PLAN_CHUNK people at a time: each chunk's
   transaction creates their deliveries, attaches their pending notifications to them and
   queues `send_digests` for them (in that transaction with the database task backend, else
   when it commits), so workers send the first chunks while the next are planned.
2. `send_digests` claims each delivery (a conditional UPDATE, so two tasks never both send it),
   sends it, and marks it sent at once.
3. A delivery whose task died (worker killed) is queued again by the next `plan_digests` once its
   lease (`RAPPORT_DIGEST_LEASE_SECONDS`, default 300) has passed; its notifications are already
   attached to it, so they are neither lost nor put in a second digest.
The only window for a repeat is a worker killed after the mail server accepted a message and
before the one-row UPDATE that marks it sent commits; such a repeat has the same Message-ID.
"""

import itertools
import smtplib
import string
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import mailers
from django.db import connections, router, transaction
from django.db.models import OuterRef, Q, Subquery
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from accounts.emails import MultipartEmail, RenderedEmail, render_email
from accounts.models import User
from notifications.models import (
    DIGEST_HOUR,
    DIGEST_WEEKDAY,
    DigestDelivery,
    EmailChoice,
    Notification,
    NotificationKind,
    headline,
    in_quiet_hours,
    quiet_hours_end,
)
from notifications.tokens import unsubscribe_token
from rapport.lib.timezones import get_zone

SEND_BATCH = 500  # deliveries or notifications per task
# Deliveries planned, committed and queued together by plan_digests: the workers start on the
# first chunk while the next ones are planned, and each chunk's transaction holds SQLite's
# write lock (which the workers' claims and marks wait for) for a fraction of a second.
PLAN_CHUNK = 1000


def lease_seconds() -> int:
    """How long a queued or claimed digest is left alone before it is queued again."""
    return int(getattr(settings, "RAPPORT_DIGEST_LEASE_SECONDS", 300))


def _site(path: str) -> str:
    return settings.RAPPORT_SITE_URL.rstrip("/") + path


def unsubscribe_link(user: User, kind: str) -> str:
    """The absolute one-click unsubscribe link for `user` and `kind` (a NotificationKind, or
    "daily"/"weekly" for every kind in that digest)."""
    return _site(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def _quiet(user: User) -> tuple[Any, Any]:
    hours = getattr(user, "quiet_hours", None)
    return (hours.start, hours.end) if hours is not None else (None, None)


def _send(
    rendered: RenderedEmail,
    *,
    to: str,
    unsubscribe: str,
    connection: Any,
    message_id: str | None = None,
) -> int:
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if message_id:
        headers["Message-ID"] = message_id
    message = MultipartEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    return int(connection.send_messages([message]) or 0)


def _send_retrying(rendered: RenderedEmail, *, connection: Any, **kwargs: Any) -> int:
    """`_send`, opening the connection again once if the server dropped it (a long batch on one
    connection can outlive the server's idle or session limits). A second failure raises."""
    try:
        return _send(rendered, connection=connection, **kwargs)
    except smtplib.SMTPServerDisconnected:
        connection.close()
        connection.open()
        return _send(rendered, connection=connection, **kwargs)


def _message_id(kind: str, public_id: Any) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<{kind}-{public_id}@{domain}>"


# -- immediate emails --------------------------------------------------------------------------


def queue_immediate_emails(notification_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Queue `send_immediate_emails` for these notifications, each at the end of its
    recipient's quiet hours when they are in them now (one task per distinct send time).
    Returns how many tasks were queued. Called by notify() when its transaction commits."""
    now = now or timezone.now()
    rows = Notification.objects.filter(pk__in=list(notification_ids)).select_related(
        "recipient__quiet_hours"
    )
    by_time: dict[datetime, list[int]] = defaultdict(list)
    for row in rows.only("pk", "recipient__time_zone", "recipient__quiet_hours"):
        start, end = _quiet(row.recipient)
        by_time[quiet_hours_end(start, end, row.recipient.time_zone, now)].append(row.pk)
    can_defer = send_immediate_emails.get_backend().supports_defer
    queued = 0
    for when, ids in by_time.items():
        if when > now and not can_defer:
            continue  # a backend without run_after: sweep_immediate_emails sends them later
        runner = (
            send_immediate_emails.using(run_after=when) if when > now else send_immediate_emails
        )
        for chunk in itertools.batched(ids, SEND_BATCH):
            runner.enqueue(notification_ids=list(chunk))
            queued += 1
    return queued


def sweep_immediate_emails(*, now: datetime | None = None, age_seconds: int = 600) -> int:
    """Queue again the immediate emails still unsent `age_seconds` after they were created (a
    task lost with a killed worker, or a task backend that cannot defer). Run by the periodic
    command; an email already sent is never sent twice (send_immediate_emails claims each).
    Returns how many tasks were queued."""
    now = now or timezone.now()
    pending = Notification.objects.filter(
        email=EmailChoice.IMMEDIATE,
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__lt=now - timedelta(seconds=age_seconds),
        created_at__gt=now - timedelta(days=7),
    ).values_list(
        "pk", "recipient__time_zone", "recipient__quiet_hours__start", "recipient__quiet_hours__end"
    )
    # People inside their quiet hours already have a task waiting for the end: not one more per
    # sweep. A sweep after the end picks up whatever that task did not send.
    ids = [
        pk
        for pk, zone, start, end in pending
        if not in_quiet_hours(start, end, now.astimezone(get_zone(zone)))
    ]
    return queue_immediate_emails(ids, now=now) if ids else 0


@task()
def send_immediate_emails(*, notification_ids: list[int]) -> int:
    """Email each of these notifications to its recipient, unless it was emailed already, read
    in the app meanwhile, or the recipient chose otherwise since. Anyone now inside their quiet
    hours is queued again for when they end. Returns how many emails were sent.

    Each notification is claimed (emailed_at set by a conditional UPDATE) before it is sent, so
    a repeated task never emails it twice."""
    now = timezone.now()
    rows = (
        Notification.objects.filter(
            pk__in=notification_ids,
            email=EmailChoice.IMMEDIATE,
            emailed_at__isnull=True,
            read_at__isnull=True,
            recipient__is_active=True,
        )
        .select_related("recipient__quiet_hours")
        .order_by("pk")
    )
    later: list[int] = []
    sent = 0
    connection = mailers["default"]
    for row in rows:
        user = row.recipient
        start, end = _quiet(user)
        if quiet_hours_end(start, end, user.time_zone, now) > now:
            later.append(row.pk)
            continue
        claimed = Notification.objects.filter(pk=row.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue
        unsubscribe = unsubscribe_link(user, row.kind)
        rendered = render_email(
            "notifications/email/notification",
            {
                "user": user,
                "notification": row,
                "link": _site(row.url),
                "preferences": _site(reverse("notifications:preferences")),
                "unsubscribe": unsubscribe,
                "kind_label": NotificationKind(row.kind).label,
            },
        )
        sent += _send(
            rendered,
            to=user.email,
            unsubscribe=unsubscribe,
            connection=connection,
            message_id=_message_id("notification", row.public_id),
        )
    if later:
        queue_immediate_emails(later, now=now)
    return sent


# -- digests -----------------------------------------------------------------------------------


def digest_period(cadence: str, local: datetime) -> str:
    """The period a digest sent at the local time `local` belongs to: "daily:2026-11-30" (the
    local date) or "weekly:2026-W49" (the ISO week)."""
    if cadence == EmailChoice.DAILY:
        return f"daily:{local.date().isoformat()}"
    year, week, _ = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def digest_due(cadence: str, local: datetime, start: Any, end: Any) -> bool:
    """Whether a person's digest of `cadence` may go out at their local time `local`: from
    DIGEST_HOUR on their local day (weekly: from that hour on DIGEST_WEEKDAY, any later day of
    the same ISO week), and never inside their quiet hours."""
    if in_quiet_hours(start, end, local):
        return False
    if cadence == EmailChoice.WEEKLY and local.weekday() < DIGEST_WEEKDAY:
        return False
    if cadence == EmailChoice.WEEKLY and local.weekday() > DIGEST_WEEKDAY:
        return True
    return local.time().replace(tzinfo=None) >= DIGEST_HOUR


def plan_digests(*, now: datetime | None = None) -> dict[str, int]:
    """Create the digests that are due now and queue them, and queue again any digest whose
    task died. Returns counts: {"planned": new deliveries, "requeued": …, "tasks": …}.

    Run by the periodic command (`manage.py run_periodic`). Safe to run at any moment and any
    number of times, concurrently too: a digest is unique per person and period, and each
    pending notification is attached to one digest, in the transaction that creates it.

    The deliveries are planned PLAN_CHUNK at a time, each chunk in its own transaction that
    creates them, attaches their notifications and queues their `send_digests` tasks (in the
    same transaction when the tasks are rows of the same database, else when it commits), so
    the workers send the first chunks while later ones are still being planned. A planner
    that dies between chunks leaves whole chunks behind, each queued; the next run plans the
    rest and creates nothing twice (a chunk's people have their digest, and their
    notifications are attached to it)."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            email__in=[EmailChoice.DAILY, EmailChoice.WEEKLY],
            emailed_at__isnull=True,
            digest__isnull=True,
            recipient__is_active=True,
        )
        .values_list(
            "recipient_id",
            "email",
            "organization_id",
            "recipient__time_zone",
            "recipient__quiet_hours__start",
            "recipient__quiet_hours__end",
        )
        .order_by()
        .distinct()
    )
    due: dict[str, list[tuple[int, int]]] = defaultdict(list)  # period → (recipient, org)
    for recipient_id, cadence, organization_id, zone, start, end in pending.iterator(2000):
        local = now.astimezone(get_zone(zone))
        if digest_due(cadence, local, start, end):
            due[digest_period(cadence, local)].append((recipient_id, organization_id))

    planned = tasks = 0
    for period, people in due.items():
        existing = set(
            DigestDelivery.objects.filter(period=period).values_list("recipient_id", flat=True)
        )
        fresh = [(pk, org) for pk, org in people if pk not in existing]
        for chunk in itertools.batched(fresh, PLAN_CHUNK):
            with transaction.atomic():
                ids = _plan_chunk(period, chunk, now=now)
                tasks += _queue_digests(ids)
            planned += len(ids)

    lease = now - timedelta(seconds=lease_seconds())
    stale = list(
        DigestDelivery.objects.unsent()
        .filter(Q(enqueued_at__lt=lease), Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for stale_ids in itertools.batched(stale, PLAN_CHUNK):
        with transaction.atomic():
            DigestDelivery.objects.filter(pk__in=stale_ids).update(enqueued_at=now)
            tasks += _queue_digests(stale_ids)
    return {"planned": planned, "requeued": len(stale), "tasks": tasks}


def _plan_chunk(period: str, people: Sequence[tuple[int, int]], *, now: datetime) -> list[int]:
    """In the caller's transaction: create the digests of `period`, queued at `now`, for
    `people` ((recipient, organisation) pairs who have none: one who has makes the INSERT fail
    on the unique constraint and the chunk roll back), and attach each one's pending
    notifications of the period's cadence to it. Returns the new deliveries' ids."""
    cadence = period.partition(":")[0]
    _insert_deliveries(period, people, enqueued_at=now)
    recipients = [pk for pk, _ in people]
    delivery = DigestDelivery.objects.filter(
        recipient_id=OuterRef("recipient_id"), period=period
    ).values("pk")[:1]
    Notification.objects.filter(
        email=cadence,
        emailed_at__isnull=True,
        digest__isnull=True,
        created_at__lte=now,
        recipient_id__in=recipients,
    ).update(digest=Subquery(delivery))
    return list(
        DigestDelivery.objects.filter(period=period, recipient_id__in=recipients)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _insert_deliveries(
    period: str, people: Sequence[tuple[int, int]], *, enqueued_at: datetime
) -> None:
    """INSERT one DigestDelivery of `period` for each (recipient, organisation) of `people`,
    with the values the model gives a new one (a fresh public_id, created now, unclaimed,
    unsent, count 0) and `enqueued_at`: one `executemany`. Plain SQL, as `bulk_create` spent
    0.2 ms of Python a row building its statement, four fifths of a plan's CPU."""
    connection = connections[DigestDelivery.objects.db]
    qn, ops = connection.ops.quote_name, connection.ops
    public_id = DigestDelivery._meta.get_field("public_id")
    columns = [
        "public_id",
        "organization_id",
        "recipient_id",
        "period",
        "created_at",
        "enqueued_at",
        "count",
    ]
    sql = (
        f"INSERT INTO {qn(DigestDelivery._meta.db_table)} ({', '.join(map(qn, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    created = ops.adapt_datetimefield_value(timezone.now())
    queued = ops.adapt_datetimefield_value(enqueued_at)
    rows = [
        (
            public_id.get_db_prep_value(uuid.uuid4(), connection),
            org,
            pk,
            period,
            created,
            queued,
            0,
        )
        for pk, org in people
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def tasks_share_the_transaction(task: Any = None) -> bool:
    """Whether queueing `task` (by default `send_immediate_emails`; every task of this app
    uses the default backend) writes a row in the notifications' database (django_tasks_db's
    backend), so that it can be part of their transaction."""
    if task is None:
        task = send_immediate_emails
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is a dependency of the project
        return False
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return router.db_for_write(DBTaskResult) == router.db_for_write(Notification)


def _queue_digests(ids: Sequence[int]) -> int:
    """Queue `send_digests` for these deliveries, SEND_BATCH a task, in the caller's transaction
    when the task backend writes its rows in the deliveries' database (so the tasks exist
    exactly when the deliveries do), else once it commits. Returns how many tasks."""
    chunks = [list(chunk) for chunk in itertools.batched(ids, SEND_BATCH)]
    if tasks_share_the_transaction(send_digests):
        for chunk in chunks:
            send_digests.enqueue(delivery_ids=chunk)
    else:
        transaction.on_commit(lambda: [send_digests.enqueue(delivery_ids=c) for c in chunks])
    return len(chunks)


# A digest's sections in this order: NotificationKind's (its `values` are worked out anew on each
# use).
_KINDS = tuple(NotificationKind.values)


class DigestRow(NamedTuple):
    """What a digest shows of one notification (never text a person typed: the headline is
    made of the actor's label, the kind and the place's title), loaded without a model."""

    digest_id: int
    kind: str
    actor_label: str
    place: str
    url: str


def _digest_rows(delivery_ids: Sequence[int]) -> dict[int, list[DigestRow]]:
    """The notifications of these deliveries, oldest first, by delivery: one query."""
    rows_of: dict[int, list[DigestRow]] = defaultdict(list)
    for row in (
        Notification.objects.filter(digest__in=delivery_ids)
        .order_by("created_at", "pk")
        .values_list("digest_id", "kind", "actor_label", "place", "url")
    ):
        rows_of[row[0]].append(DigestRow(*row))
    return rows_of


@lru_cache(maxsize=256)
def _kind_label(language: str | None, kind: str) -> str:
    """A kind's label (a section's heading) in `language`, the active one, memoised."""
    return str(NotificationKind(kind).label)


def _digest_sections(
    rows: Iterable[DigestRow], *, language: str | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(the kind's label, [(headline, url) of each notification]) for each kind among `rows`,
    in NotificationKind's order; each headline made once for both parts of the email."""
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(
            (headline(row.kind, row.actor_label, row.place, language=language), row.url)
        )
    return [(_kind_label(language, kind), by_kind[kind]) for kind in _KINDS if kind in by_kind]


def _digest_email(
    delivery: DigestDelivery,
    rows: Sequence[DigestRow],
    *,
    site: str,
    preferences: str,
    link_for: Callable[[User, str], str] = unsubscribe_link,
) -> tuple[RenderedEmail, str]:
    """The digest email of `delivery` listing `rows` (its notifications, oldest first), and its
    one-click unsubscribe link (made by `link_for`: `unsubscribe_link` or one of
    `unsubscribe_link_maker`)."""
    user = delivery.recipient
    cadence = delivery.period.partition(":")[0]
    unsubscribe = link_for(user, cadence)
    rendered = render_email(
        "notifications/email/digest",
        {
            "name": user.get_short_name(),
            "cadence": cadence,
            "count": len(rows),
            "sections": _digest_sections(rows, language=translation.get_language()),
            "site": site,
            "preferences": preferences,
            "unsubscribe": unsubscribe,
        },
    )
    return rendered, unsubscribe


# Characters of a signed token (URL-safe base64, ":" between its parts, "." before compressed
# data) that `reverse()` writes as they are.
_TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_:.")


def unsubscribe_link_maker() -> Callable[[User, str], str]:
    """`unsubscribe_link`, with the URL around the token reversed once (a worker makes one link
    per digest; `reverse()` was 40% of it) instead of once a link. A token with any other
    character (none is made) takes `unsubscribe_link` itself."""
    marker = "unsubscribe-token-marker"
    whole = _site(reverse("notifications:unsubscribe", args=[marker]))
    head, _, tail = whole.rpartition(marker)

    def link(user: User, kind: str) -> str:
        token = unsubscribe_token(user, kind)
        if not _TOKEN_CHARACTERS.issuperset(token):
            return unsubscribe_link(user, kind)
        return f"{head}{token}{tail}"

    return link


# Deliveries claimed per UPDATE in send_digests. A claim holds its deliveries for the lease
# while they wait their turn to be sent; 50 keeps that wait to 50 sends, well inside it.
CLAIM_BATCH = 50


def _claim_digests(ids: Sequence[int], *, now: datetime, lease: datetime) -> set[int]:
    """Claim these deliveries for this task in one statement, returning the ids it won: those
    unsent and not claimed within the lease. A conditional UPDATE … RETURNING (SQLite 3.35+,
    PostgreSQL), so two tasks can never both win one delivery. Django's update() cannot
    say which rows it changed, hence the SQL."""
    if not ids:
        return set()
    return _update_returning_ids(
        ids,
        set_claimed_at=now,
        condition="AND ({claimed_at} IS NULL OR {claimed_at} < %s)",
        condition_value=lease,
    )


def _renew_claims(ids: Sequence[int], *, claimed_at: datetime, now: datetime) -> set[int]:
    """Renew this task's claim on these deliveries: those still unsent whose claim is still the
    one this task made at `claimed_at` get `now` instead. Returns the ids renewed; one missing
    was taken over by another task after the lease (or sent), and this task must not send it.
    One conditional UPDATE … RETURNING, like `_claim_digests`."""
    if not ids:
        return set()
    return _update_returning_ids(
        ids, set_claimed_at=now, condition="AND {claimed_at} = %s", condition_value=claimed_at
    )


def _update_returning_ids(
    ids: Sequence[int], *, set_claimed_at: datetime, condition: str, condition_value: datetime
) -> set[int]:
    """`UPDATE digest deliveries SET claimed_at = set_claimed_at WHERE id IN ids AND sent_at IS
    NULL <condition> RETURNING id`: the ids this statement changed (SQLite 3.35+, PostgreSQL),
    for `_claim_digests` and `_renew_claims`. `condition` is SQL with one `%s` (bound to
    `condition_value`), naming the column as `{claimed_at}` (quoted by the database). Django's
    update() cannot say which rows it changed, hence the SQL."""
    connection = connections[DigestDelivery.objects.db]
    qn, ops = connection.ops.quote_name, connection.ops
    sql = (
        f"UPDATE {qn(DigestDelivery._meta.db_table)} SET {qn('claimed_at')} = %s "
        f"WHERE {qn('id')} IN ({', '.join(['%s'] * len(ids))}) AND {qn('sent_at')} IS NULL "
        f"{condition.format(claimed_at=qn('claimed_at'))} RETURNING {qn('id')}"
    )
    params = [
        ops.adapt_datetimefield_value(set_claimed_at),
        *ids,
        ops.adapt_datetimefield_value(condition_value),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _mark_sent(delivery_id: int, *, count: int) -> None:
    """Record one delivery as sent (with its number of notifications) the moment the mail server
    accepted it: one UPDATE in its own transaction, which closes the window for a repeat. Plain
    SQL, as the ORM spends ten times the statement itself building it, once per digest."""
    connection = connections[DigestDelivery.objects.db]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(DigestDelivery._meta.db_table)} SET {qn('sent_at')} = %s, "
        f"{qn('count')} = %s WHERE {qn('id')} = %s"
    )
    sent_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [sent_at, count, delivery_id])


# What send_digests reads of a delivery and its person: a whole User is twice the work to load.
_DIGEST_FIELDS = (
    "period",
    "public_id",
    "recipient__email",
    "recipient__full_name",
    "recipient__public_id",
    "recipient__time_zone",
    "recipient__is_active",
    "recipient__quiet_hours__start",
    "recipient__quiet_hours__end",
)


@task()
def send_digests(*, delivery_ids: list[int]) -> int:
    """Send each of these digests that nobody has sent, over one mail connection. Returns how
    many emails were sent.

    Deliveries are claimed CLAIM_BATCH at a time by a conditional UPDATE (unsent, and not
    claimed within the lease: `_claim_digests`) before their emails are built, and each is
    marked sent by a one-row UPDATE right after the mail server accepts it. Each claim carries
    the time it was made, and once half the lease has passed since, the batch's remaining
    claims are renewed before the next email (`_renew_claims`), so no other task can take over
    a delivery while this one may still send it, however slowly the mail server answers; a
    delivery whose claim was taken over meanwhile (after a full lease) is skipped. A digest whose
    notifications were all deleted is marked sent without an email. A person now in their
    quiet hours is left unclaimed and picked up by a later run."""
    now = timezone.now()
    lease = timedelta(seconds=lease_seconds())
    deliveries = [
        delivery
        for delivery in DigestDelivery.objects.unsent()
        .filter(pk__in=delivery_ids)
        .select_related("recipient__quiet_hours")
        .only(*_DIGEST_FIELDS)
        .order_by("pk")
        if not in_quiet_hours(
            *_quiet(delivery.recipient),
            now.astimezone(get_zone(delivery.recipient.time_zone)),
        )
    ]
    rows_of = _digest_rows([d.pk for d in deliveries])
    links = unsubscribe_link_maker()
    preferences = _site(reverse("notifications:preferences"))
    site = _site("")
    connection = mailers["default"]
    sent = 0
    opened = connection.open() if hasattr(connection, "open") else False
    try:
        for batch in itertools.batched(deliveries, CLAIM_BATCH):
            claimed_at = timezone.now()
            ids = [d.pk for d in batch]
            claimed = _claim_digests(ids, now=claimed_at, lease=claimed_at - lease)
            for index, delivery in enumerate(batch):
                if delivery.pk not in claimed:
                    continue
                moment = timezone.now()
                if moment - claimed_at > lease / 2:
                    claimed = _renew_claims(
                        [pk for pk in ids[index:] if pk in claimed],
                        claimed_at=claimed_at,
                        now=moment,
                    )
                    claimed_at = moment
                    if delivery.pk not in claimed:
                        continue
                rows = rows_of.get(delivery.pk, [])
                user = delivery.recipient
                if rows and user.is_active:
                    rendered, unsubscribe = _digest_email(
                        delivery,
                        rows,
                        site=site,
                        preferences=preferences,
                        link_for=links,
                    )
                    sent += _send_retrying(
                        rendered,
                        to=user.email,
                        unsubscribe=unsubscribe,
                        connection=connection,
                        message_id=_message_id("digest", delivery.public_id),
                    )
                _mark_sent(delivery.pk, count=len(rows))
    finally:
        if opened:
            connection.close()
    return sent
