"""Seed the demo organisation: Northwind Biopharma running "Coaching for connection".

`seed_demo(SeedOptions(...))` is the one entry point (the management command and benchmarks call
it). It builds, in a single transaction:

- the organisation, its "Communication skills" competency model and the 7-week programme with
  generated media (demo.content, demo.media), every activity `full_clean()`-ed;
- cohorts of at most `cohort_size` learners starting on different Mondays, so that some are
  mid-programme, some just started and one has not started yet;
- learners from every region (demo.people), one coach per ~27 learners, a designer and
  an admin, all sharing DEMO_PASSWORD (hashed once: hashing per person would take hours at scale);
- progress spread across realistic states, each learner's `completed_count` equal to their
  completed rows, and the viewed/played/completed events that the progress implies;
- optionally (`event_days`), a history of events over the last N days for benchmarks.

Speed (measured on SQLite, two shared cores): people, memberships and enrollments go through
the write actions everyone else uses (organizations.actions.add_members,
cohorts.actions.enroll_many), which insert in bulk. The high-volume rows (progress and events,
millions at 100,000 learners) are written by `insert_rows`, which adapts values exactly as
Django's fields would and hands them to the driver's `executemany`: about 25 µs a row all in, where
`bulk_create` took about 220 µs. As `loaddata` does, SQLite's per-row foreign-key checks are off
during the load (they cost a third of the time) and all tables are checked once before commit.
Events are written in time order with ascending (version 7) ids, so their indexes fill front to
back. Result: 4,500 learners in about 10 s, 100,000 with a year of events in about 4 minutes.

Randomness comes from one `random.Random(options.seed)`, so the same options give the same
people and progress; only ids and password salt differ between runs. Last year's classmates
draw their journeys from a stream of their own (`classmates_rng`), so adding them changed no
draw of this year's learners.
"""

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from operator import itemgetter
from time import perf_counter
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from analytics.connections import rebuild_stale as rebuild_connections
from analytics.rollups import refresh as refresh_rollups
from analytics.snapshots import rebuild_for_cohorts
from cohorts.actions import (
    Seat,
    enroll_many,
    ensure_sessions,
    record_visit,
    save_media_position,
    set_completed,
)
from cohorts.models import ActivityProgress, Cohort, Enrollment, EnrollmentRole, ProgressState
from demo import content
from demo.assessments import PREVIOUS_COHORT_SIZE, previous_year_start, seed_assessments
from demo.bulk import (
    BATCH,
    DAY,
    Params,
    big_sqlite_cache,
    epoch,
    fresh_statistics,
    indexes_deferred,
    insert_rows,
)
from demo.caseload import seed_caseload
from demo.circles import seed_circle_conversation, seed_circles
from demo.coaching import seed_coaching, seed_group_session, seed_nudge
from demo.coaching_talk import seed_coaching_talk
from demo.design_review import seed_draft_review
from demo.discussions import seed_discussions
from demo.errors import DEMO_EXTRA_MISSING, MediaError
from demo.experts import seed_experts
from demo.feedback import seed_feedback
from demo.growth import seed_growth
from demo.moderation import seed_moderation
from demo.notifications import seed_notifications
from demo.people import DOMAIN, PeopleGenerator, Person
from demo.planner import (
    COMPLETED,
    LAUNCHED,
    PAUSED,
    PLAYED,
    VIEWED,
    WAKING_HOURS,
    Act,
    LearnerPlan,
    Planner,
    Step,
    StepEvent,
    utc_offset,
)
from demo.reflections import seed_reflections
from events.models import Event, Verb
from organizations.actions import NewPerson, add_members, seed_default_framework
from organizations.models import Competency, Membership, Organization, Role
from programs.models import Activity, ActivityKind, Program, Week

if TYPE_CHECKING:
    from demo.media import MediaAsset

DEMO_ORG_NAME = content.ORGANISATION_NAME
DEMO_ORG_SLUG = "northwind"
DEMO_PASSWORD = "rapport-demo"

LEARNER = Person(
    "Amara Okafor", f"learner@{DOMAIN}", "Europe/London", "Europe", "United Kingdom",
    "Medical Affairs", "First-line manager",
)  # fmt: skip
PEER = Person(
    "Rafael Costa", f"peer@{DOMAIN}", "America/Sao_Paulo", "Latin America", "Brazil",
    "Manufacturing", "Senior manager",
)  # fmt: skip
COACH = Person(
    "Grace Mensah", f"coach@{DOMAIN}", "Europe/London", "Europe", "United Kingdom",
    "Leadership Development", "Coach",
)  # fmt: skip
DESIGNER = Person(
    "Priya Nair", f"designer@{DOMAIN}", "Europe/London", "Europe", "United Kingdom",
    "Learning & Development", "",
)  # fmt: skip
ADMIN = Person(
    "Tom Becker", f"admin@{DOMAIN}", "Europe/Berlin", "Europe", "Germany", "HR", "",
)  # fmt: skip
EXPERT = Person(
    "Inès Duarte", f"expert@{DOMAIN}", "Europe/Lisbon", "Europe", "Portugal",
    "People & Culture", "Expert",
)  # fmt: skip
SPONSOR = Person(
    "Helena Virtanen", f"sponsor@{DOMAIN}", "Europe/Helsinki", "Europe", "Finland",
    "Executive Leadership", "",
)  # fmt: skip

# A learner of last year's cohort: her rounds have all closed, so My growth over time shows
# the baseline, the end of the programme and a year later (demo/assessments.py).
ALUMNA = Person(
    "Mei Tanaka", f"alumni@{DOMAIN}", "Asia/Tokyo", "Asia Pacific", "Japan",
    "Commercial", "First-line manager",
)  # fmt: skip

# The fixed sign-ins the README and `make demo` print, as (role, email).
DEMO_SIGN_INS: tuple[tuple[str, str], ...] = (
    ("Learner", LEARNER.email),
    ("Peer learner", PEER.email),
    ("Coach", COACH.email),
    ("Programme designer", DESIGNER.email),
    ("Organisation admin", ADMIN.email),
    ("Expert", EXPERT.email),
    ("Programme sponsor", SPONSOR.email),
    ("Learner of last year's cohort", ALUMNA.email),
)
DEMO_NAMES = {
    p.email: p.full_name for p in (LEARNER, PEER, COACH, DESIGNER, ADMIN, EXPERT, SPONSOR, ALUMNA)
}


def sign_in_text(url: str) -> str:
    """The block `make demo` prints: where to go, who to sign in as, and the one password."""
    width = max(len(role) for role, _ in DEMO_SIGN_INS) + 2
    email_width = max(len(email) for _, email in DEMO_SIGN_INS) + 2
    lines = [f"Rapport demo: {url}", "", "Sign in as any of these people:"]
    lines += [
        f"  {role:<{width}}{email:<{email_width}}{DEMO_NAMES[email]}"
        for role, email in DEMO_SIGN_INS
    ]
    lines += ["", f"Password for all of them: {DEMO_PASSWORD}"]
    return "\n".join(lines)


LEARNERS_PER_COACH = 27
# Cohort n starts this many weeks from this week's Monday; the first (the demo learner's) is
# mid-programme, the second just started, the third starts next week, and so on.
START_WEEKS = (-3, -1, 1, -5, -2, 0, -6, -4, 2, -7, 3, -8)
CHUNK = 2000  # learners written per round trip: bounded memory at any scale
# Events a learner makes in a year, progress included: low, high, most common (mean 68).
HISTORY_PER_YEAR = (50.0, 100.0, 55.0)

Log = Callable[[str], None]
SEEDED_TABLES = [
    model._meta.db_table
    for model in (
        User, Membership, Competency, Program, Week, Activity, Activity.competencies.through,
        Cohort, Enrollment, ActivityProgress, Event,
    )
]  # fmt: skip


class DemoExists(Exception):
    """The demo organisation is already there; nothing was changed."""


@dataclass(frozen=True)
class SeedOptions:
    learners: int = 60
    cohort_size: int = 4500
    cohorts: int | None = None  # None: enough for cohort_size, and up to three to spread weeks
    event_days: int = 0
    short_media: bool = False  # tests: same media, under a third of the length
    seed: int = 7
    now: datetime | None = None

    def __post_init__(self) -> None:
        if self.learners < 2:
            raise ValueError("The demo needs at least 2 learners (the learner and the peer).")
        if self.cohort_size < 2:
            raise ValueError("A cohort holds at least 2 learners.")
        if self.cohorts is not None and self.cohorts < 1:
            raise ValueError("There is at least one cohort.")
        if not 0 <= self.event_days <= 3650:
            raise ValueError("event_days is between 0 and 3650.")


@dataclass
class SeedResult:
    organization: Organization
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class CohortPlan:
    number: int
    name: str
    start: date
    size: int


# ---------------------------------------------------------------------------------------------
# Public entry points


def demo_organization() -> Organization | None:
    return Organization.objects.filter(slug=DEMO_ORG_SLUG).first()


def seed_demo(options: SeedOptions | None = None, *, log: Log = lambda line: None) -> SeedResult:
    """Create the demo organisation and everything in it, in one transaction.

    Raises DemoExists, changing nothing, when it is already there (use reset_demo first).
    Media files are rendered (or taken from the cache) before the transaction opens.
    """
    options = options or SeedOptions()
    clock = _Clock(log)
    if demo_organization() is not None:
        raise DemoExists(f"The demo organisation “{DEMO_ORG_NAME}” already exists.")
    now = (options.now or timezone.now()).astimezone(UTC).replace(microsecond=0)
    keys = [spec.media for week in content.WEEKS for spec in week.activities if spec.media]
    assets = _build_media(keys, short=options.short_media)
    clock.lap(f"Media: {len(assets)} files ready")
    plans = plan_cohorts(options, today=now.date())
    # Like loaddata: SQLite checks each row's foreign keys as it goes, which costs a third of
    # the time at scale; checking them all once before committing takes a second.
    with big_sqlite_cache(), connection.constraint_checks_disabled(), transaction.atomic():
        if demo_organization() is not None:  # someone else got there first
            raise DemoExists(f"The demo organisation “{DEMO_ORG_NAME}” already exists.")
        seeder = _Seeder(options, now=now, clock=clock)
        organization = seeder.run(plans, assets)
        connection.check_constraints(table_names=SEEDED_TABLES)
    fresh_statistics()  # PostgreSQL: the rollups and snapshots below read what was just written
    # The dashboards read rollups: fold the seeded history in now, as run_periodic would.
    rolled = refresh_rollups(settle=timedelta(0))
    clock.lap(f"Rollups: {rolled.events:,} events into {rolled.rows:,} learner-weeks")
    rebuilt = rebuild_for_cohorts(rolled.cohorts, today=now.date())  # rounds open by `now`
    connected = rebuild_connections(rolled.cohorts)
    clock.lap(f"Dashboards: {rebuilt} solved; connections of {connected} cohorts")
    counts = seeder.counts
    clock.total(
        f"Seeded {counts['learners']:,} learners, {counts['progress']:,} progress rows and "
        f"{counts['events']:,} events"
    )
    return SeedResult(organization, counts, clock.elapsed())


def _build_media(keys: Sequence[str], *, short: bool) -> dict[str, "MediaAsset"]:
    """The demo's media files by key. Imported here, not at the top, so that the sign-ins and
    --check work without the `demo` extra; seeding without it raises MediaError saying how to
    install it."""
    try:
        from demo.media import build_all
    except ImportError as error:
        raise MediaError(DEMO_EXTRA_MISSING.format(name=error.name)) from error
    return build_all(keys, short=short)


def reset_demo(*, log: Log = lambda line: None) -> bool:
    """Delete the demo organisation, its people and its media files. False if there was none.

    The big tables go first with one DELETE each, so that the cascade from the organisation
    only has small ones left to walk. As in seed_demo, SQLite's row-by-row foreign-key checks
    are off (they also stop it emptying a table in one step) and every table is checked once
    before the transaction commits.
    """
    organization = demo_organization()
    if organization is None:
        return False
    clock = _Clock(log)
    activities = Activity.objects.filter(organization=organization)
    files = [name for pair in activities.values_list("media", "captions") for name in pair if name]
    with connection.constraint_checks_disabled(), transaction.atomic():
        user_ids = list(
            Membership.objects.filter(organization=organization).values_list("user_id", flat=True)
        )
        events = Event.objects.filter(organization=organization)
        if not Event.objects.exclude(organization=organization).exists():
            # A DELETE without WHERE lets SQLite drop the table's pages at once instead of
            # unpicking seven indexes row by row: 10 s rather than 3 min at 100,000 people.
            events = Event.objects.all()
        events.delete()
        ActivityProgress.objects.filter(enrollment__organization=organization).delete()
        Enrollment.objects.filter(organization=organization).delete()
        # Cohorts protect their programme, so they go before the organisation's cascade.
        Cohort.objects.filter(organization=organization).delete()
        organization.delete()
        for start in range(0, len(user_ids), 5000):
            User.objects.filter(pk__in=user_ids[start : start + 5000]).delete()
        connection.check_constraints()  # nothing may still point at what was deleted
        transaction.on_commit(lambda: _delete_files(files))
    clock.lap(f"Deleted the demo organisation and {len(user_ids):,} people")
    return True


def plan_cohorts(options: SeedOptions, *, today: date) -> list[CohortPlan]:
    """Start dates from START_WEEKS. At scale, cohorts are full (cohort_size each, the rest in
    the last one), so the reference 4,500-learner cohort exists; a small demo is spread evenly
    over a few cohorts so that several weeks show."""
    needed = math.ceil(options.learners / options.cohort_size)
    spread = min(3, max(1, options.learners // 10))
    count = max(needed, options.cohorts if options.cohorts is not None else spread)
    if needed > 1 and count == needed:
        sizes = [options.cohort_size] * (count - 1)
        sizes.append(options.learners - sum(sizes))
    else:
        base, extra = divmod(options.learners, count)
        sizes = [base + (1 if index < extra else 0) for index in range(count)]
    monday = today - timedelta(days=today.weekday())
    plans = []
    for index in range(count):
        start = monday + timedelta(weeks=START_WEEKS[index % len(START_WEEKS)])
        name = f"Cohort {index + 1} · {start.day} {start:%b %Y}"
        plans.append(CohortPlan(index + 1, name, start, sizes[index]))
    return plans


# ---------------------------------------------------------------------------------------------
# Timing and progress lines


class _Clock:
    def __init__(self, log: Log) -> None:
        self._log = log
        self._start = self._last = perf_counter()

    def elapsed(self) -> float:
        return perf_counter() - self._start

    def lap(self, message: str) -> None:
        now = perf_counter()
        self._log(f"{message} ({now - self._last:.1f} s)")
        self._last = now

    def total(self, message: str) -> None:
        self._log(f"{message} in {self.elapsed():.1f} s")


def _delete_files(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


@dataclass(frozen=True)
class _Job:
    cohort: Cohort
    plan: CohortPlan
    coach_ids: list[int]
    first: int  # index in the cohort of the chunk's first learner
    size: int


# ---------------------------------------------------------------------------------------------
# The seeder


class _Seeder:
    def __init__(self, options: SeedOptions, *, now: datetime, clock: _Clock) -> None:
        self.options = options
        self.now_aware = now
        self.now = epoch(now)
        self.clock = clock
        self.rng = random.Random(options.seed)
        self.people = PeopleGenerator(options.seed)
        self.params = Params()
        self.counts: dict[str, int] = dict.fromkeys(
            ("learners", "coaches", "staff", "cohorts", "progress", "completed", "events"), 0
        )

    # -- content ------------------------------------------------------------------------------

    def run(self, plans: list[CohortPlan], assets: dict[str, "MediaAsset"]) -> Organization:
        self.organization = Organization.objects.create(name=DEMO_ORG_NAME, slug=DEMO_ORG_SLUG)
        competencies = self._competencies()
        program = self._programme(competencies, assets)
        self.clock.lap(f"Programme: {len(content.WEEKS)} weeks, {len(self.acts)} activities")
        cohorts = [
            Cohort.objects.create(program=program, name=plan.name, start_date=plan.start)
            for plan in plans
        ]
        self.counts["cohorts"] = len(cohorts)
        for cohort in cohorts:
            ensure_sessions(cohort)  # each cohort's live sessions, in its own weeks
        self._staff()
        [expert] = self._add_people(
            [EXPERT], Role.EXPERT, joined=self.now_aware - timedelta(days=60)
        )
        enroll_many(cohorts[0], seats=[Seat(user_id=expert.pk, role=EnrollmentRole.EXPERT)])
        self._date_registrations(cohorts[0], [expert.pk], self.now_aware - timedelta(60))
        coaches = self._coaches(cohorts, plans)
        self.clock.lap(f"Cohorts: {len(cohorts)}; coaches: {self.counts['coaches']:,}; staff: 3")
        # PostgreSQL writes the learners' progress and events (millions of rows) without those
        # tables' indexes and foreign keys, and builds them once after (demo.bulk).
        with indexes_deferred(ActivityProgress, Event):
            self._learners(cohorts, plans, coaches)
            self.clock.lap("Learners seeded; building their tables' indexes and foreign keys")
        self.clock.lap("Indexes and foreign keys of progress and events built")
        talk = seed_discussions(
            cohorts[0],
            learner=LEARNER.email,
            peer=PEER.email,
            coach=COACH.email,
            now=self.now_aware,
        )
        self.clock.lap(f"Discussions: {talk['threads']} threads, {talk['posts']} posts")
        heard = seed_notifications(
            cohorts[0], people=[LEARNER.email, COACH.email], now=self.now_aware
        )
        self.clock.lap(f"Notifications: {sum(heard.values()):,}")
        circles = seed_circles(
            self.organization, admin_email=ADMIN.email, today=self.now_aware.date()
        )
        self.clock.lap(f"Peer circles: {circles} published")
        check_ins = seed_circle_conversation(
            self.organization, learner_email=LEARNER.email, now=self.now_aware
        )
        self.clock.lap(f"Circle check-ins: {check_ins}")
        journals = seed_reflections(
            cohorts[0],
            learner=LEARNER.email,
            peer=PEER.email,
            coach=COACH.email,
            now=self.now_aware,
        )
        self.clock.lap(f"Journals: {journals['entries']} entries, {journals['views']} views")
        # After the circles: one of the reports is about an entry shared with a circle.
        safety = seed_moderation(
            cohorts[0],
            learner=LEARNER.email,
            peer=PEER.email,
            coach=COACH.email,
            now=self.now_aware,
        )
        self.clock.lap(f"Moderation: {safety['reports']} reports, {safety['blocks']} block")
        grown = seed_growth(cohorts[0], learner=LEARNER.email, now=self.now_aware)
        self.clock.lap(
            f"Growth: {grown['goals']} goals, {grown['routine_check_ins']} routine check-ins, "
            f"{grown['mood_check_ins']:,} emotion check-ins"
        )
        sessions = seed_coaching(
            cohorts[0], learner=LEARNER.email, coach=COACH.email, now=self.now_aware
        )
        self.clock.lap(f"Coaching: {sessions['sessions']} sessions booked this week")
        circle_sessions = seed_group_session(
            cohorts[0], learner=LEARNER.email, coach=COACH.email, now=self.now_aware
        )
        self.clock.lap(f"Coaching: {circle_sessions} circle session this week")
        talk = seed_coaching_talk(
            cohorts[0], learner=LEARNER.email, coach=COACH.email, now=self.now_aware
        )
        self.clock.lap(
            f"Coaching messages: {talk['conversations']} threads, {talk['messages']} messages, "
            f"{talk['notes']} session notes, {talk['items']} action plan items"
        )
        caseload = seed_caseload(
            cohorts, learner=LEARNER.email, coach=COACH.email, admin=ADMIN.email, now=self.now_aware
        )
        self.clock.lap(
            f"Caseload: {caseload['missed']} missed session, {caseload['low_energy']} shared "
            f"low-energy check-in, {caseload['requests']} change-of-coach request, "
            f"{caseload['proposals']} match proposal"
        )
        previous = self._previous_year_cohort(program, coach=COACH.email)
        self._share_password()  # after last year's cohort: its Mei Tanaka signs in too
        rated = seed_assessments(
            cohorts[0],
            previous=previous,
            learner=LEARNER.email,
            peer=PEER.email,
            coach=COACH.email,
            alumna=ALUMNA.email,
            now=self.now_aware,
        )
        self.clock.lap(
            f"Assessments: {rated['responses']} answers, {rated['peers_asked']} peers asked"
        )
        self._feedback(cohorts[0])
        drafted = seed_draft_review(self.organization)
        self.clock.lap(f"Design review: a draft programme of {drafted['activities']} activities")
        nudged = seed_nudge(cohorts[0], coach=COACH.email, now=self.now_aware)
        self.clock.lap(f"Coaching: a nudge scheduled for tomorrow to {nudged} learners")
        experts = seed_experts(
            cohorts[0], expert=EXPERT.email, learner=LEARNER.email, now=self.now_aware
        )
        self.clock.lap(
            f"Experts: {experts['threads']} office hours, {experts['questions']} questions, "
            f"{experts['votes']} upvotes"
        )
        return self.organization

    def _feedback(self, cohort: Cohort) -> None:
        """Feedback between rounds (demo.feedback): kept apart from the rounds' seeding."""
        asked = seed_feedback(
            cohort, learner=LEARNER.email, peer=PEER.email, coach=COACH.email, now=self.now_aware
        )
        self.clock.lap(
            f"Feedback between rounds: {asked['requests']} requests, {asked['answers']} "
            f"answers, {asked['waiting']} waiting"
        )

    def _previous_year_cohort(self, program: Program, *, coach: str) -> Cohort:
        """Last year's cohort of the programme (PREVIOUS_COHORT_SIZE learners, coached by the
        demo coach), started so that its year-later assessment round is open now; its people
        are added and seated through the same write actions as everyone else's."""
        start = previous_year_start(self.now_aware.date(), len(self.weeks))
        cohort = Cohort.objects.create(
            program=program, name=f"Cohort 2025 · {start.day} {start:%b %Y}", start_date=start
        )
        ensure_sessions(cohort)
        joined = datetime.combine(start, time(9), tzinfo=UTC) - timedelta(days=14)
        classmates = list(self.people.people(PREVIOUS_COHORT_SIZE - 1))
        users = self._add_people([ALUMNA, *classmates], Role.LEARNER, joined=joined)
        grace = User.objects.get(email=coach)
        enroll_many(cohort, seats=[Seat(user_id=grace.pk, role=EnrollmentRole.COACH)])
        enroll_many(
            cohort,
            seats=[Seat(u.pk, EnrollmentRole.LEARNER, grace.pk) for u in users],
        )
        self._date_registrations(cohort, [grace.pk, *(u.pk for u in users)], joined)
        self._alumna_journey(program, cohort, users[0])
        self._classmates_journeys(cohort, users[1:], classmates)
        self.counts["cohorts"] += 1
        return cohort

    def _classmates_journeys(
        self, cohort: Cohort, users: Sequence[User], people: Sequence[Person]
    ) -> None:
        """Mei's classmates of last year took the whole journey as this year's learners take
        it (the same Planner: most finish most of it, some fall away after a few weeks), so
        the dashboards' year-over-year funnel shows a finished cohort, not one person. Their
        plans draw from a stream of their own (`classmates_rng`), so this year's people,
        progress and events are exactly what they would be without them."""
        seats = {
            e.user_id: e
            for e in Enrollment.objects.filter(cohort=cohort, user__in=users).order_by("pk")
        }
        enrollments = [seats[user.pk] for user in users]
        start = epoch(datetime.combine(cohort.start_date, time(), tzinfo=UTC))
        planner = Planner(classmates_rng(self.options.seed), self.weeks, self.now)
        reached = len(self.weeks)
        plans = [self._plan(planner, start, reached, person) for person in people]
        self._progress_and_events(cohort, enrollments, plans, people, history=False)

    def _alumna_journey(self, program: Program, cohort: Cohort, alumna: User) -> None:
        """Mei Tanaka finished last year's journey but for the closing week's last three
        activities: each opened, played to its end if it is a video or a podcast, and completed
        through the actions a learner's clicks go through, then dated on a weekday of its own
        week of her cohort (progress rows and their events)."""
        seat = Enrollment.objects.select_related("user").get(cohort=cohort, user=alumna)
        activities = list(
            Activity.objects.filter(week__program=program)
            .select_related("week")
            .order_by("week__number", "position", "pk")
        )
        media = (ActivityKind.VIDEO, ActivityKind.AUDIO)
        for n, activity in enumerate(activities[:-3]):
            record_visit(seat, activity=activity)
            if activity.kind in media:
                save_media_position(seat, activity=activity, position=0.0, verb=Verb.PLAYED)
            set_completed(seat, activity=activity)
            day = cohort.week_starts_on(activity.week.number) + timedelta(days=n % 5)
            when = datetime.combine(day, time(7 + n % 3, 30), tzinfo=UTC)
            ActivityProgress.objects.filter(enrollment=seat, activity=activity).update(
                started_at=when, updated_at=when, completed_at=when
            )
            Event.objects.filter(actor=alumna, object_id=activity.public_id).update(timestamp=when)

    def _competencies(self) -> dict[str, Competency]:
        # The default leadership model, as every new organisation gets it.
        seed_default_framework(self.organization)
        return {c.name: c for c in Competency.objects.filter(organization=self.organization)}

    def _programme(
        self,
        competencies: dict[str, Competency],
        assets: dict[str, "MediaAsset"],
    ) -> Program:
        program = Program.objects.create(
            organization=self.organization,
            title=content.PROGRAMME_TITLE,
            summary=content.PROGRAMME_SUMMARY,
        )
        self.acts: list[Act] = []
        self.weeks: list[list[Act]] = []
        for spec in content.WEEKS:
            week = Week.objects.create(
                program=program, number=spec.number, title=spec.title, summary=spec.summary
            )
            acts = []
            for position, activity_spec in enumerate(spec.activities):
                activity = self._activity(week, position, activity_spec, assets)
                activity.competencies.set([competencies[n] for n in activity_spec.competencies])
                seconds = assets[activity_spec.media].duration if activity_spec.media else 0.0
                acts.append(self._act(activity, spec.number, seconds))
            self.weeks.append(acts)
            self.acts += acts
        return program

    def _activity(
        self,
        week: Week,
        position: int,
        spec: content.ActivitySpec,
        assets: dict[str, "MediaAsset"],
    ) -> Activity:
        asset = assets[spec.media] if spec.media else None
        minutes = asset.minutes if asset is not None else spec.minutes
        assert minutes is not None  # ActivitySpec: only a media activity leaves it to its file
        activity = Activity(
            organization_id=week.organization_id,
            week=week,
            position=position,
            kind=spec.kind,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            estimated_minutes=minutes,
            external_url=spec.external_url,
        )
        if spec.session is not None:
            # The same day and hour of each cohort's week; every cohort gets its own session.
            activity.session_day = spec.session.day + 1
            activity.session_time = time(spec.session.hour_utc)
            activity.session_time_zone = "UTC"
            activity.duration_minutes = spec.session.minutes
        if asset is not None:
            with asset.path.open("rb") as media_file:
                activity.media.save(asset.filename, File(media_file), save=False)
            vtt_name = asset.filename.rsplit(".", 1)[0] + ".vtt"
            activity.captions.save(vtt_name, ContentFile(asset.captions.encode()), save=False)
            activity.transcript = asset.transcript
        activity.full_clean()  # the same checks as the programme studio
        activity.save()
        return activity

    def _act(self, activity: Activity, week: int, media_seconds: float) -> Act:
        return Act(
            pk=activity.pk,
            object_id=self.params.uuid(activity.public_id),
            kind=activity.kind,
            week=week,
            media_seconds=media_seconds,
            minutes=activity.duration_minutes or activity.estimated_minutes,
            session_offset=(
                (week - 1) * 7 * DAY
                + (activity.session_day - 1) * DAY
                + activity.session_time.hour * 3600
                + activity.session_time.minute * 60
                if activity.session_day and activity.session_time
                else None
            ),
        )

    # -- people -------------------------------------------------------------------------------

    def _add_people(self, people: Sequence[Person], role: Role, *, joined: datetime) -> list[User]:
        """Accounts and memberships through organizations.actions.add_members, the one path by
        which anyone joins an organisation. No invitations: the demo's people sign in with
        DEMO_PASSWORD, which _share_password gives them all at the end."""
        memberships = add_members(
            self.organization,
            people=[
                NewPerson(
                    email=p.email,
                    full_name=p.full_name,
                    time_zone=p.time_zone,
                    region=p.region,
                    function=p.function,
                    level=p.level,
                )
                for p in people
            ],
            role=role,
            joined=joined,
            invite=False,
        )
        return [membership.user for membership in memberships]

    def _share_password(self) -> None:
        """DEMO_PASSWORD for everyone: one hash and one UPDATE. PBKDF2 takes about a second by
        design per hash, so a password per add_members call would cost a second per chunk."""
        User.objects.filter(membership__organization=self.organization).update(
            password=make_password(DEMO_PASSWORD)
        )

    def _staff(self) -> None:
        joined = self.now_aware - timedelta(days=120)
        for person, role in ((DESIGNER, Role.DESIGNER), (ADMIN, Role.ADMIN)):
            # Their role opens the programme studio; is_staff is for platform operators only.
            self._add_people([person], role, joined=joined)
        # The executive who funds the programme: its dashboards, never a person's row.
        self._add_people([SPONSOR], Role.SPONSOR, joined=joined)
        self.counts["staff"] = 3

    def _coaches(self, cohorts: list[Cohort], plans: list[CohortPlan]) -> dict[int, list[int]]:
        """Coach user ids per cohort, about one per LEARNERS_PER_COACH learners and at least
        three in all; the named demo coach is the first coach of the first cohort."""
        wanted = [max(1, round(plan.size / LEARNERS_PER_COACH)) for plan in plans]
        wanted[0] += max(0, 3 - sum(wanted))
        people = [COACH, *(_as_coach(p) for p in self.people.people(sum(wanted) - 1))]
        users = self._add_people(people, Role.COACH, joined=self.now_aware - timedelta(days=90))
        remaining = iter(users)
        by_cohort: dict[int, list[int]] = {}
        for cohort, count in zip(cohorts, wanted, strict=True):
            by_cohort[cohort.pk] = [user.pk for user in islice(remaining, count)]
            seats = [Seat(user_id=pk, role=EnrollmentRole.COACH) for pk in by_cohort[cohort.pk]]
            enroll_many(cohort, seats=seats)
            self._date_registrations(cohort, by_cohort[cohort.pk], self.now_aware - timedelta(90))
        self.counts["coaches"] = len(users)
        return by_cohort

    def _reached(self, cohort: Cohort) -> int:
        return min(cohort.week_number_on(self.now_aware.date()), len(self.weeks))

    def _learners(
        self, cohorts: list[Cohort], plans: list[CohortPlan], coaches: dict[int, list[int]]
    ) -> None:
        for cohort, plan in zip(cohorts, plans, strict=True):
            for first in range(0, plan.size, CHUNK):
                job = _Job(cohort, plan, coaches[cohort.pk], first, min(CHUNK, plan.size - first))
                self._chunk(job)
            self.clock.lap(
                f"{cohort.name}: {plan.size:,} learners in week {self._reached(cohort)}; "
                f"{self.counts['progress']:,} progress rows and {self.counts['events']:,} events "
                "so far"
            )

    def _chunk(self, job: "_Job") -> None:
        """Up to CHUNK learners of one cohort: people, enrollments, progress and events, each
        written with one batched INSERT per table."""
        cohort = job.cohort
        start = epoch(datetime.combine(cohort.start_date, time(), tzinfo=UTC))
        reached = self._reached(cohort)
        people = list(self.people.people(job.size))
        if job.plan.number == 1 and job.first == 0:
            people[:2] = [LEARNER, PEER][: job.size]
        users = self._add_people(people, Role.LEARNER, joined=self._joined(cohort))
        planner = Planner(self.rng, self.weeks, self.now)
        plans = [self._plan(planner, start, reached, person) for person in people]
        # Consecutive learners share a coach, so the demo learner and peer have the same one.
        per_coach = math.ceil(job.plan.size / len(job.coach_ids))
        seats = [
            Seat(
                user_id=user.pk,
                role=EnrollmentRole.LEARNER,
                coach_id=job.coach_ids[(job.first + index) // per_coach],
            )
            for index, user in enumerate(users)
        ]
        enrollments = [enrollment for enrollment, _ in enroll_many(cohort, seats=seats)]
        self._date_registrations(cohort, [user.pk for user in users], self._joined(cohort))
        self._progress_and_events(cohort, enrollments, plans, people)
        self.counts["learners"] += len(users)
        self.counts["completed"] += sum(plan.completed for plan in plans)

    def _progress_and_events(
        self,
        cohort: Cohort,
        enrollments: Sequence[Enrollment],
        plans: Sequence[LearnerPlan],
        people: Sequence[Person],
        *,
        history: bool = True,
    ) -> None:
        """The planned journeys of these learners of `cohort` (one LearnerPlan per
        enrollment, in order): their progress rows and the events their clicks would have
        recorded, with `history` the returning visits of the last `event_days` too; one
        batched INSERT per table."""
        p = self.params
        start = epoch(datetime.combine(cohort.start_date, time(), tzinfo=UTC))
        self._set_completed_counts(enrollments, plans)
        progress: list[tuple[Any, ...]] = []
        events: list[tuple[int, int, str, object, object]] = []  # (time, actor, verb, ...)
        for enrollment, plan, person in zip(enrollments, plans, people, strict=True):
            actor = enrollment.user_id
            count = 0
            for step in plan.steps:
                step_events = self._step_events(step)
                count += len(step_events)
                events += [(t, actor, verb, obj, result) for t, verb, obj, result in step_events]
                last = max(t for t, *_ in step_events)
                state = ProgressState.COMPLETED if step.completed else ProgressState.STARTED
                progress.append(
                    (enrollment.pk, step.act.pk, state, step.position, p.when(step.at),
                     p.when(last), p.when(last) if step.completed else None)
                )  # fmt: skip
            if history and self.options.event_days:
                events += self._history(person, plan, count, actor)
        self.counts["progress"] += insert_rows(
            ActivityProgress,
            ("enrollment_id", "activity_id", "state", "position_seconds", "started_at",
             "updated_at", "completed_at"),
            progress,
        )  # fmt: skip
        # In time order, so that the time-keyed indexes are filled front to back.
        events.sort(key=itemgetter(0))
        org, cohort_id, when = self.organization.pk, cohort.pk, p.when
        rows = [
            (uid, org, actor, verb, "activity", obj, cohort_id if t >= start else None, result,
             when(t))
            for uid, (t, actor, verb, obj, result) in zip(
                p.event_uuids(len(events)), events, strict=True
            )
        ]  # fmt: skip
        self.counts["events"] += insert_rows(
            Event,
            ("public_id", "organization_id", "actor_id", "verb", "object_type", "object_id",
             "cohort_id", "result", "timestamp"),
            rows,
        )  # fmt: skip

    def _set_completed_counts(
        self, enrollments: Sequence[Enrollment], plans: Sequence[LearnerPlan]
    ) -> None:
        """Each learner's denormalised count of completed activities, as set_completed keeps it:
        one UPDATE per distinct count (at most one per activity) and BATCH learners."""
        by_count: dict[int, list[int]] = defaultdict(list)
        for enrollment, plan in zip(enrollments, plans, strict=True):
            if plan.completed:
                by_count[plan.completed].append(enrollment.pk)
        for count, pks in by_count.items():
            for first in range(0, len(pks), BATCH):
                Enrollment.objects.filter(pk__in=pks[first : first + BATCH]).update(
                    completed_count=count
                )

    def _date_registrations(self, cohort: Cohort, user_ids: list[int], when: datetime) -> None:
        """Date the `registered` events enroll_many wrote (stamped with the real clock) at the
        simulated enrolment time, so the demo's history never has events after its `now`."""
        Event.objects.filter(verb=Verb.REGISTERED, cohort=cohort, actor_id__in=user_ids).update(
            timestamp=when
        )

    def _joined(self, cohort: Cohort) -> datetime:
        """Imported two weeks before their cohort starts, or before their event history."""
        days = 14 + self.options.event_days
        joined = datetime.combine(cohort.start_date, time(9), tzinfo=UTC) - timedelta(days=days)
        return min(self.now_aware, joined)

    def _plan(self, planner: Planner, start: int, reached: int, person: Person) -> LearnerPlan:
        offset = utc_offset(person.time_zone, self.now_aware.date())
        if person is LEARNER:
            return planner.showcase(start, reached, offset)
        profile = "catching_up" if person is PEER else None
        return planner.plan(start, reached, offset, profile)

    # -- progress and events ------------------------------------------------------------------

    def _step_events(self, step: Step) -> list[StepEvent]:
        """The events cohorts.actions would have recorded for this progress."""
        p, act, at = self.params, step.act, step.at
        events: list[StepEvent] = [(at, VIEWED, act.object_id, p.empty)]
        if act.media_seconds:
            events.append((at + 4, PLAYED, act.object_id, p.position(0.0)))
            if not step.completed:
                paused = at + 4 + int(step.position)
                events.append((paused, PAUSED, act.object_id, p.position(step.position)))
        elif act.kind == ActivityKind.ELEARNING:
            events.append((at + 20, LAUNCHED, act.object_id, p.empty))
        if step.completed:
            if step.ends is not None:
                finished = step.ends
            else:
                finished = at + int(act.media_seconds or act.minutes * 60)
            events.append((min(finished, self.now), COMPLETED, act.object_id, p.completion))
        return events

    def _history(
        self, person: Person, plan: LearnerPlan, already: int, actor: int
    ) -> list[tuple[int, int, str, object, object]]:
        """Returning to resources over the last `event_days` days: viewing, replaying and, for
        what they finished, completing again. Weekends are quieter; hours are the learner's own.
        """
        rng, p, days = self.rng, self.params, self.options.event_days
        count = round(rng.triangular(*HISTORY_PER_YEAR) * days / 365) - already
        if count <= 0:
            return []
        random_ = rng.random
        offset = utc_offset(person.time_zone, self.now_aware.date())
        today = self.now - self.now % DAY
        low, high = WAKING_HOURS
        finished = {step.act.pk for step in plan.steps if step.completed}
        acts, n_acts, now = self.acts, len(self.acts), self.now
        events: list[tuple[int, int, str, object, object]] = []
        for _ in range(count):
            day = today - int(random_() * days) * DAY
            if (day // DAY + 3) % 7 >= 5 and random_() < 0.6:  # 1 Jan 1970 was a Thursday
                day = today - int(random_() * days) * DAY
            moment = day + low + int(random_() * (high - low)) - offset
            while moment > now:  # waking hours in the Americas can fall on tomorrow in UTC
                moment -= DAY
            act = acts[int(random_() * n_acts)]
            chance = random_()
            if chance < 0.15 and act.pk in finished:
                events.append((moment, actor, COMPLETED, act.object_id, p.completion))
            elif chance < 0.55 and act.media_seconds:
                position = p.position(round(random_() * act.media_seconds, 1))
                events.append((moment, actor, PLAYED, act.object_id, position))
            else:
                events.append((moment, actor, VIEWED, act.object_id, p.empty))
        return events


def classmates_rng(seed: int) -> random.Random:
    """The random stream of last year's classmates' journeys: derived from the seed alone
    (a string seed is hashed the same way on every run and platform), and apart from the
    seeder's shared `random.Random(seed)`, whose draws it leaves untouched."""
    return random.Random(f"{seed}-classmates")


def _as_coach(person: Person) -> Person:
    return Person(
        person.full_name, person.email, person.time_zone, person.region, person.country,
        "Leadership Development", "Coach",
    )  # fmt: skip
