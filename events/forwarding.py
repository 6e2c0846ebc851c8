"""Forwarding the learning record to a Learning Record Store as xAPI 1.0.3 statements.

How a statement travels (docs/architecture.md, "xAPI out"):

1. `events.actions.record_event`/`record_events` put each new event in the outbox
   (`PendingStatement`) in the transaction that records it, while an LRS is configured
   (`RAPPORT_XAPI_LRS_URL`); `manage.py forward_xapi --backfill` queues older events.
2. `forward_pending` (the task `events.tasks.forward_statements`, queued by `manage.py
   run_periodic`; or `manage.py forward_xapi`) claims a batch of due rows with one conditional
   UPDATE … RETURNING (the digest's pattern, `notifications.tasks._claim_digests`), so two
   workers never send the same rows at once, and POSTs them to `<LRS>/statements` with HTTP
   Basic auth and `X-Experience-API-Version: 1.0.3`.
3. Accepted (2xx): the rows are deleted. A statement's id is its event's public id, so a batch
   sent again — a worker killed after the LRS answered and before the delete, a lease that ran
   out — carries the same ids, which the LRS deduplicates: never the same statement twice with
   different ids.
4. Refused for good (400, 409, 413, 422): the batch is split in halves and each half sent
   again until the refused statement is alone; it then moves to `DeadStatement` with its status
   and a closed reason, and the rest go through. One bad statement never blocks the others.
5. Anything else (the LRS down or slow, a 5xx, 429, an auth failure): a few quick retries with
   exponential backoff and full jitter, then the batch is released with `next_attempt_at`
   pushed back exponentially (30 s doubling, at most an hour, jittered) and the run stops.

Nothing here logs or stores personal data: counts and HTTP statuses only.
"""

import enum
import itertools
import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from events.models import DeadReason, DeadStatement, Event, ObjectType, PendingStatement
from events.xapi import statement_for
from programs.models import Activity

if TYPE_CHECKING:
    # httpx is imported where a statement is sent, not when Django starts: every process
    # (web and task workers, each manage.py command) imported it through the tasks' module,
    # about 0.1 s of its start (docs/performance.md, "What a process pays at start").
    import httpx

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
# Statuses after which the same statement will be refused again: isolate it and set it aside.
DEAD_REASONS: dict[int, DeadReason] = {
    400: DeadReason.INVALID,
    409: DeadReason.CONFLICT,
    413: DeadReason.TOO_LARGE,
    422: DeadReason.UNPROCESSABLE,
}
# 4xx that say nothing about the statements (credentials, a wrong URL, throttling): retry later.
RETRYABLE_4XX = frozenset({401, 403, 404, 407, 408, 425, 429})
QUICK_RETRIES = 3  # attempts of one batch inside a run before it is released for later
QUICK_BASE_SECONDS = 0.5
QUICK_CAP_SECONDS = 8.0
LATER_BASE_SECONDS = 30.0
LATER_CAP_SECONDS = 3600.0
BACKFILL_CHUNK = 5000
# The event's own columns that events.xapi.statement_for reads.
STATEMENT_FIELDS = (
    "public_id",
    "verb",
    "object_type",
    "object_id",
    "actor",
    "cohort",
    "registration",
    "parent_type",
    "parent_id",
    "grouping_type",
    "grouping_id",
    "result",
    "timestamp",
)


@dataclass(frozen=True)
class LrsSettings:
    """Where and how to send: the statements resource's URL, Basic-auth credentials, statements
    per POST, one POST's timeout (seconds), a claim's lease (seconds), and the site's base URL
    that the statements' IRIs start with."""

    statements_url: str
    username: str
    password: str
    batch_size: int = 200
    timeout: float = 30.0
    lease_seconds: int = 300
    base_url: str = "http://127.0.0.1:8000"

    @classmethod
    def from_settings(cls) -> "LrsSettings | None":
        """The configured LRS (`RAPPORT_XAPI_*` settings), or None when `RAPPORT_XAPI_LRS_URL`
        is empty. Raises ValueError for a batch size or lease below 1 or 0."""
        url = getattr(settings, "RAPPORT_XAPI_LRS_URL", "")
        if not url:
            return None
        batch_size = int(settings.RAPPORT_XAPI_BATCH_SIZE)
        lease = int(settings.RAPPORT_XAPI_LEASE_SECONDS)
        if batch_size < 1 or lease < 0:
            raise ValueError("RAPPORT_XAPI_BATCH_SIZE must be 1 or more, the lease 0 or more")
        return cls(
            statements_url=url.rstrip("/") + "/statements",
            username=settings.RAPPORT_XAPI_LRS_USERNAME,
            password=settings.RAPPORT_XAPI_LRS_PASSWORD,
            batch_size=batch_size,
            timeout=float(settings.RAPPORT_XAPI_TIMEOUT_SECONDS),
            lease_seconds=lease,
            base_url=settings.RAPPORT_SITE_URL,
        )


def backoff_seconds(
    attempt: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
    Jitter"): a uniform draw in [0, min(cap, base * 2^attempt)] seconds, attempt from 0."""
    ceiling = min(cap, base * (2 ** min(attempt, 32)))
    return (rng or random).uniform(0, ceiling)


# -- the outbox --------------------------------------------------------------------------------


def claim(limit: int, *, now: datetime, lease_seconds: int) -> list[int]:
    """Claim up to `limit` due rows of the outbox (oldest event first) for this worker in one
    statement, returning their event ids in order: rows whose `next_attempt_at` has come and
    that nobody claimed within the lease. A conditional UPDATE … RETURNING (SQLite 3.35+,
    PostgreSQL), whose outer condition is checked again on each row it updates, so two workers
    never both win a row."""
    connection = connections[PendingStatement.objects.db]
    qn, ops = connection.ops.quote_name, connection.ops
    table = qn(PendingStatement._meta.db_table)
    event_id, claimed_at = qn("event_id"), qn("claimed_at")
    free = f"({claimed_at} IS NULL OR {claimed_at} < %s)"
    sql = (
        f"UPDATE {table} SET {claimed_at} = %s WHERE {event_id} IN ("
        f"SELECT {event_id} FROM {table} WHERE {qn('next_attempt_at')} <= %s AND {free} "
        f"ORDER BY {event_id} LIMIT %s) AND {free} RETURNING {event_id}"
    )
    stamp = ops.adapt_datetimefield_value(now)
    lease = ops.adapt_datetimefield_value(now - timedelta(seconds=lease_seconds))
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, stamp, lease, limit, lease])
        return sorted(row[0] for row in cursor.fetchall())


def _mark_sent(event_ids: Sequence[int]) -> None:
    PendingStatement.objects.filter(event_id__in=event_ids).delete()


def _mark_dead(refused: Sequence[tuple[int, int]], *, attempts: dict[int, int]) -> None:
    now = timezone.now()
    with transaction.atomic():
        DeadStatement.objects.bulk_create(
            [
                DeadStatement(
                    event_id=event_id,
                    status=status,
                    reason=DEAD_REASONS.get(status, DeadReason.REFUSED),
                    attempts=attempts.get(event_id, 0) + 1,
                    failed_at=now,
                )
                for event_id, status in refused
            ],
            ignore_conflicts=True,
        )
        PendingStatement.objects.filter(event_id__in=[pk for pk, _ in refused]).delete()


def _release(event_ids: Sequence[int], *, attempts: int, rng: random.Random) -> datetime:
    """Give the rows back for a later run, after an exponential, jittered wait."""
    wait = backoff_seconds(attempts, base=LATER_BASE_SECONDS, cap=LATER_CAP_SECONDS, rng=rng)
    later = timezone.now() + timedelta(seconds=wait)
    PendingStatement.objects.filter(event_id__in=event_ids).update(
        claimed_at=None, attempts=F("attempts") + 1, next_attempt_at=later
    )
    return later


# -- statements of a batch ---------------------------------------------------------------------


def statements_for_events(event_ids: Sequence[int], *, base_url: str) -> list[tuple[int, dict]]:
    """The statements of these events, in id order, as (event id, statement) pairs. Three
    queries whatever the batch size: the events with their actor, cohort and programme; the
    enrolment (xAPI registration) of each actor in their event's cohort where the event does
    not name one (a discussion post); and the kind of each activity they are about (a video's
    statements follow the xAPI video profile)."""
    events = list(
        Event.objects.filter(pk__in=event_ids)
        .select_related("actor", "cohort__program")
        # Only what a statement reads: a person's or a cohort's other columns cost time to
        # convert for every event, and hold nothing a statement may carry anyway.
        .only(
            *STATEMENT_FIELDS, "actor__public_id", "cohort__public_id", "cohort__program__public_id"
        )
        .order_by("pk")
    )
    missing = [e.pk for e in events if e.registration is None and e.cohort_id is not None]
    seats: dict[int, uuid.UUID] = {}
    if missing:
        # The actor's seat in the event's cohort, joined through the relations (events sits
        # below cohorts: it never imports cohorts).
        seats = dict(
            Event.objects.filter(pk__in=missing, cohort__enrollments__user=F("actor"))
            .values_list("pk", "cohort__enrollments__public_id")
            .order_by()
        )
    activity_ids = {e.object_id for e in events if e.object_type == ObjectType.ACTIVITY}
    kinds: dict[uuid.UUID, str] = {}
    if activity_ids:
        kinds = dict(
            Activity.objects.filter(public_id__in=activity_ids).values_list("public_id", "kind")
        )
    return [
        (
            event.pk,
            statement_for(
                event,
                base_url=base_url,
                registration=seats.get(event.pk),
                activity_kind=kinds.get(event.object_id),
            ),
        )
        for event in events
    ]


# -- sending -----------------------------------------------------------------------------------


class Outcome(enum.Enum):
    SENT = "sent"
    REFUSED = "refused"  # this exact content will be refused again
    RETRY = "retry"  # the LRS could not take it now


@dataclass
class ForwardReport:
    """What one run did: statements accepted, set aside (dead), given back for later, POSTs."""

    sent: int = 0
    dead: int = 0
    deferred: int = 0
    posts: int = 0
    statuses: dict[int, int] = field(default_factory=dict)  # HTTP status → how many answers

    def as_dict(self) -> dict[str, int]:
        """Counts only, for logs and the task's result."""
        return {
            "sent": self.sent,
            "dead": self.dead,
            "deferred": self.deferred,
            "posts": self.posts,
        }


class Forwarder:
    """Sends claimed batches to one LRS. `client` is an httpx.Client (a test gives one on a
    MockTransport); `sleep` and `rng` are injectable so tests never wait on the clock."""

    def __init__(
        self,
        lrs: LrsSettings,
        *,
        client: "httpx.Client | None" = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        import httpx

        self.lrs = lrs
        self.client = client or httpx.Client(timeout=lrs.timeout)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.report = ForwardReport()

    def _post(self, statements: list[dict]) -> int | None:
        """POST a list of statements; the HTTP status, or None when no answer came."""
        import httpx

        self.report.posts += 1
        try:
            response = self.client.post(
                self.lrs.statements_url,
                json=statements,
                auth=(self.lrs.username, self.lrs.password),
                headers={"X-Experience-API-Version": XAPI_VERSION},
                timeout=self.lrs.timeout,
            )
        except httpx.HTTPError as error:
            logger.warning("xAPI: no answer from the LRS (%s)", type(error).__name__)
            return None
        status = response.status_code
        self.report.statuses[status] = self.report.statuses.get(status, 0) + 1
        return status

    @staticmethod
    def _outcome(status: int | None) -> Outcome:
        if status is not None and 200 <= status < 300:
            return Outcome.SENT
        if status is not None and 400 <= status < 500 and status not in RETRYABLE_4XX:
            return Outcome.REFUSED
        return Outcome.RETRY

    def _send(
        self, batch: list[tuple[int, dict]]
    ) -> tuple[list[int], list[tuple[int, int]], list[int]]:
        """Send a batch, splitting it on a refusal: (accepted ids, [(refused id, status)],
        ids to retry later)."""
        status: int | None = None
        for attempt in range(QUICK_RETRIES):
            status = self._post([statement for _, statement in batch])
            outcome = self._outcome(status)
            if outcome != Outcome.RETRY:
                break
            if attempt + 1 < QUICK_RETRIES:
                self.sleep(
                    backoff_seconds(
                        attempt, base=QUICK_BASE_SECONDS, cap=QUICK_CAP_SECONDS, rng=self.rng
                    )
                )
        ids = [pk for pk, _ in batch]
        if outcome == Outcome.SENT:
            return ids, [], []
        if outcome == Outcome.RETRY:
            return [], [], ids
        assert status is not None
        if len(batch) == 1:
            return [], [(ids[0], status)], []
        middle = len(batch) // 2
        sent, dead, later = self._send(batch[:middle])
        if later:  # the LRS went away meanwhile: keep the other half for later too
            return sent, dead, later + [pk for pk, _ in batch[middle:]]
        sent2, dead2, later2 = self._send(batch[middle:])
        return sent + sent2, dead + dead2, later2

    def run(self, *, max_batches: int | None = None, until: float | None = None) -> ForwardReport:
        """Claim and send batches until nothing is due, the LRS stops answering, `max_batches`
        were sent or the monotonic clock passes `until`. Returns the counts."""
        batches = 0
        while max_batches is None or batches < max_batches:
            if until is not None and time.monotonic() >= until:
                break
            ids = claim(
                self.lrs.batch_size, now=timezone.now(), lease_seconds=self.lrs.lease_seconds
            )
            if not ids:
                break
            batches += 1
            attempts = dict(
                PendingStatement.objects.filter(event_id__in=ids).values_list(
                    "event_id", "attempts"
                )
            )
            pairs = statements_for_events(ids, base_url=self.lrs.base_url)
            built = {pk for pk, _ in pairs}
            gone = [pk for pk in ids if pk not in built]  # events deleted meanwhile
            if gone:
                _mark_sent(gone)
            sent, dead, later = self._send(pairs)
            if sent:
                _mark_sent(sent)
                self.report.sent += len(sent)
            if dead:
                _mark_dead(dead, attempts=attempts)
                self.report.dead += len(dead)
                logger.warning("xAPI: the LRS refused %d statement(s) for good", len(dead))
            if later:
                most = max((attempts.get(pk, 0) for pk in later), default=0)
                _release(later, attempts=most, rng=self.rng)
                self.report.deferred += len(later)
                break
        return self.report


def forward_pending(
    *,
    max_batches: int | None = None,
    until: float | None = None,
    client: "httpx.Client | None" = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> ForwardReport:
    """Send what is due in the outbox to the configured LRS (see the module's docstring);
    an empty report when no LRS is configured. Safe to run any number of times at once."""
    lrs = LrsSettings.from_settings()
    if lrs is None:
        return ForwardReport()
    forwarder = Forwarder(lrs, client=client, sleep=sleep, rng=rng)
    try:
        report = forwarder.run(max_batches=max_batches, until=until)
    finally:
        if client is None:
            forwarder.client.close()
    if report.posts:
        logger.info("xAPI: %s", report.as_dict())
    return report


# -- operations --------------------------------------------------------------------------------


def backfill(*, since: datetime | None = None) -> int:
    """Queue every event (from `since`, if given) that is neither waiting nor dead: for an LRS
    configured after events were recorded, or a new one. Events the LRS already holds are sent
    again with the same ids, which it deduplicates. Returns how many were queued; one read and
    one insert per BACKFILL_CHUNK events."""
    events = Event.objects.order_by("pk")
    if since is not None:
        events = events.filter(timestamp__gte=since)
    waiting = set(PendingStatement.objects.values_list("event_id", flat=True))
    waiting |= set(DeadStatement.objects.values_list("event_id", flat=True))
    queued = 0
    for chunk in itertools.batched(
        events.values_list("pk", flat=True).iterator(BACKFILL_CHUNK), BACKFILL_CHUNK
    ):
        fresh = [PendingStatement(event_id=pk) for pk in chunk if pk not in waiting]
        PendingStatement.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
        queued += len(fresh)
    return queued


def requeue_dead(event_ids: Sequence[int] | None = None) -> int:
    """Put dead statements (these, or all) back in the outbox, once the cause is fixed (the LRS's
    rules, the site URL). Returns how many; one transaction."""
    with transaction.atomic():
        dead = DeadStatement.objects.all()
        if event_ids is not None:
            dead = dead.filter(event_id__in=event_ids)
        ids = list(dead.values_list("event_id", flat=True))
        PendingStatement.objects.bulk_create(
            [PendingStatement(event_id=pk) for pk in ids], batch_size=500, ignore_conflicts=True
        )
        DeadStatement.objects.filter(event_id__in=ids).delete()
    return len(ids)
