"""Shared test personas and builders. Data is made through the apps' own actions where one exists.

The personas (healthchecks' Alice/Bob/Charlie idea):
    alice  learner in cohort A, coached by carol     bob    peer learner in cohort A
    carol  coach of cohort A                         dave   learner in cohort B (same org)
    dora   programme designer                        adam   organisation admin
    oscar  learner in another organisation's cohort
    erin   learner of the same organisation, enrolled in no cohort of this programme (only in
           cohort C of another of its programmes)
    fay    learner in cohort A, coached by carol, in another peer circle than alice and bob

Peer circles (published, coached by carol): circle_a holds alice and bob, circle_a2 holds fay.
"""

import gc
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from accounts.models import User
from circles.models import Circle, CircleMember, CircleState
from cohorts.actions import enroll
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.actions import add_member
from organizations.models import Competency, Organization, Role
from programs.models import Activity, ActivityKind, Program, Week

PASSWORD = "a-long-test-password-42"

# The smallest valid files of each container, for media fields in tests.
TINY_WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 60
TINY_VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"


# What changes on every response and can spell a short word or name by chance ("…5BoblcF…",
# "…pLATe…"): an inline chart's base64, CSRF tokens in forms and in htmx's headers, CSP nonces.
RANDOM_NOISE = re.compile(
    r'data:image/svg\+xml;base64,[^"]+|value="[A-Za-z0-9_\-]{20,}"|nonce="[^"]+"|'
    r'"X-CSRFToken": "[^"]+"'
)


def without_noise(text: str) -> str:
    """`text` (a page, a fragment) with `RANDOM_NOISE` taken out, for checks that a word or a
    name is absent: a random token must not make such a check fail by chance."""
    return RANDOM_NOISE.sub("", text)


def make_org(name: str = "Northwind Bio", slug: str | None = None) -> Organization:
    return Organization.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def make_user(
    org: Organization,
    email: str,
    *,
    role: Role = Role.LEARNER,
    name: str | None = None,
    time_zone: str = "Europe/London",
    **membership: Any,
) -> User:
    """A person with the test PASSWORD, added through organizations.actions.add_member."""
    return add_member(
        org,
        email=email,
        full_name=name or email.split("@")[0].title(),
        time_zone=time_zone,
        role=role,
        password=PASSWORD,
        **membership,
    ).user


def make_program(
    org: Organization, *, weeks: int = 2, per_week: int = 3, title: str = "Coaching skills"
) -> Program:
    """A programme whose every week cycles through all activity kinds."""
    program = Program.objects.create(organization=org, title=title, summary="Learn to coach.")
    competency, _ = Competency.objects.get_or_create(
        organization=org, framework="Communication skills", name="Listen fully"
    )
    kinds = list(ActivityKind)
    n = 0
    for number in range(1, weeks + 1):
        week = Week.objects.create(program=program, number=number, title=f"Week {number} theme")
        for position in range(per_week):
            kind = kinds[n % len(kinds)]
            n += 1
            make_activity(week, kind=kind, position=position, competencies=[competency])
    return program


def make_activity(
    week: Week, *, kind: ActivityKind, position: int = 0, competencies: Sequence[Competency] = ()
) -> Activity:
    activity = Activity(
        week=week,
        kind=kind,
        position=position,
        title=f"{kind.label} {week.number}.{position + 1}",
        summary=f"A {kind.label.lower()} about listening.",
        body="Notice **one** moment this week when you listened fully.",
        transcript="Full transcript." if kind in (ActivityKind.VIDEO, ActivityKind.AUDIO) else "",
    )
    if kind == ActivityKind.ELEARNING:
        activity.external_url = "https://learning.example.com/module/1"
    if kind == ActivityKind.LIVE_SESSION:
        # The last day of its week at noon UTC: for cohort A (in week 2) still ahead.
        activity.session_day = 7
        activity.session_time = time(12)
        activity.session_time_zone = "UTC"
        activity.duration_minutes = 60
        activity.external_url = "https://meet.example.com/rapport-1"
    if kind in (ActivityKind.VIDEO, ActivityKind.AUDIO):
        activity.media.save("clip.webm", ContentFile(TINY_WEBM), save=False)
        activity.captions.save("clip.vtt", ContentFile(TINY_VTT), save=False)
    activity.save()
    if competencies:
        activity.competencies.set(competencies)
    return activity


def make_circle(
    cohort: Cohort,
    members: Sequence[User],
    *,
    name: str = "Circle",
    coach: User | None = None,
    state: CircleState = CircleState.PUBLISHED,
) -> Circle:
    """A circle of `members` (each already enrolled in `cohort`), published by default."""
    circle = Circle.objects.create(cohort=cohort, name=name, coach=coach, state=state)
    seats = {e.user_id: e for e in Enrollment.objects.filter(cohort=cohort, user__in=members)}
    CircleMember.objects.bulk_create(
        CircleMember(
            circle=circle,
            organization_id=circle.organization_id,
            cohort_id=cohort.pk,
            user=user,
            enrollment=seats[user.pk],
        )
        for user in members
    )
    return circle


def make_cohort(program: Program, *, name: str = "Cohort", start: date | None = None) -> Cohort:
    return Cohort.objects.create(
        program=program, name=name, start_date=start or timezone.localdate() - timedelta(days=8)
    )


class PersonaTestCase(TestCase):
    """Two organisations, two cohorts, every role. Cohort A is in its second week."""

    org: Organization
    other_org: Organization
    program: Program
    cohort_a: Cohort
    cohort_b: Cohort
    other_cohort: Cohort
    second_program: Program
    cohort_c: Cohort
    alice: User
    bob: User
    carol: User
    dave: User
    dora: User
    adam: User
    oscar: User
    erin: User
    fay: User
    circle_a: Circle
    circle_a2: Circle

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org()
        cls.program = make_program(cls.org, weeks=2, per_week=4)
        cls.cohort_a = make_cohort(cls.program, name="Cohort A")
        cls.cohort_b = make_cohort(cls.program, name="Cohort B")
        cls.alice = make_user(cls.org, "alice@northwind.example", region="Europe")
        cls.bob = make_user(cls.org, "bob@northwind.example", time_zone="Asia/Tokyo")
        cls.carol = make_user(cls.org, "carol@northwind.example", role=Role.COACH)
        cls.dave = make_user(cls.org, "dave@northwind.example", time_zone="America/Lima")
        cls.dora = make_user(cls.org, "dora@northwind.example", role=Role.DESIGNER)
        cls.adam = make_user(cls.org, "adam@northwind.example", role=Role.ADMIN)
        enroll(cls.carol, cohort=cls.cohort_a, role=EnrollmentRole.COACH)
        enroll(cls.alice, cohort=cls.cohort_a, coach=cls.carol)
        enroll(cls.bob, cohort=cls.cohort_a, coach=cls.carol)
        enroll(cls.dave, cohort=cls.cohort_b)
        cls.second_program = make_program(
            cls.org, weeks=1, per_week=2, title="Presenting with confidence"
        )
        cls.cohort_c = make_cohort(cls.second_program, name="Cohort C")
        cls.erin = make_user(cls.org, "erin@northwind.example")
        enroll(cls.erin, cohort=cls.cohort_c)

        cls.other_org = make_org("Contoso Health")
        other_program = make_program(cls.other_org, title="Other programme")
        cls.other_cohort = make_cohort(other_program, name="Contoso cohort")
        cls.oscar = make_user(cls.other_org, "oscar@contoso.example")
        enroll(cls.oscar, cohort=cls.other_cohort)

        cls.fay = make_user(cls.org, "fay@northwind.example", time_zone="Africa/Nairobi")
        enroll(cls.fay, cohort=cls.cohort_a, coach=cls.carol)
        cls.circle_a = make_circle(
            cls.cohort_a, [cls.alice, cls.bob], name="Circle Lisbon", coach=cls.carol
        )
        cls.circle_a2 = make_circle(cls.cohort_a, [cls.fay], name="Circle Nairobi", coach=cls.carol)

    def first_activity(self, kind: ActivityKind | None = None) -> Activity:
        qs = Activity.objects.filter(week__program=self.program).order_by(
            "week__number", "position"
        )
        if kind is not None:
            qs = qs.filter(kind=kind)
        return qs.first()  # type: ignore[return-value]


def sqlite_steps(call: Callable[[], object]) -> int:
    """SQLite's virtual-machine steps, in thousands, that `call()` takes on the default
    connection: how much it reads, a measure the machine's load does not change. SQLite only
    (its progress handler); the connection must be open."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    raw = connection.connection
    raw.set_progress_handler(count, 1000)
    try:
        call()
    finally:
        raw.set_progress_handler(None, 1000)
    return steps


def cyclic_garbage(call: Callable[[], object]) -> Counter[str]:
    """The objects `call()` leaves for the cyclic garbage collector (reference cycles that no
    reference count frees), counted by type name (`module.QualifiedName`). The collector is
    paused during the call, so everything the call made is in the young generation, which alone
    is then collected, its garbage kept aside (`gc.DEBUG_SAVEALL`) and released."""
    gc.collect(0)
    enabled = gc.isenabled()
    gc.disable()
    try:
        call()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect(0)
        return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()


def raw_database_dump() -> bytes:
    """The whole test database as raw bytes, as someone holding a backup would read it.

    SQLite: the database file and its write-ahead log, read from disk; PostgreSQL: the output of
    `pg_dump` for the test database. Only committed rows are in either, so call it from a test
    marked `@pytest.mark.django_db(transaction=True)` (or a `TransactionTestCase`). Used by the
    tests that prove confidential text is encrypted at rest (`rapport/lib/crypto.py`).
    Raises RuntimeError for another database engine.
    """
    import os
    import subprocess
    from pathlib import Path

    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = Path(settings_dict["NAME"])
        return b"".join(
            candidate.read_bytes()
            for candidate in (path, path.with_name(path.name + "-wal"))
            if candidate.exists()
        )
    if connection.vendor == "postgresql":
        command = ["pg_dump", "--no-owner", "--dbname", str(settings_dict["NAME"])]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings_dict.get(key):
                command += [option, str(settings_dict[key])]
        env = {**os.environ, "PGPASSWORD": str(settings_dict.get("PASSWORD") or "")}
        return subprocess.run(command, check=True, capture_output=True, env=env).stdout
    raise RuntimeError(f"raw_database_dump does not know the {connection.vendor} engine")
