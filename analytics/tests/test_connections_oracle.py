"""`analytics.connections.for_cohort` reads each interaction as three integers (who, to
whom, the week) and counts first contacts and ties with numpy; the computation it replaced
streamed every reply and reaction into networkx. The
replaced one is kept here, unchanged, as the oracle: on a generated cohort (circles, several
regions and functions, replies and reactions over weeks before, during and after the programme,
self-replies, a coach and a learner of another cohort talking too) both give exactly the same
figures, week by week and under several thresholds. And the new one makes the same seven queries
whatever the number of interactions (the seventh reads answered feedback between rounds, which the
replaced one did not count: `FirstContactTests` checks it)."""

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import networkx as nx
from django.db.models import F, Max
from django.test import TestCase, override_settings
from django.utils import timezone

from analytics import connections
from analytics.connections import CohortConnections, ConnectionWeek, _people, _percent, _week
from circles.models import CircleMember, CircleState
from coaching.models import Booking, BookingStatus
from cohorts.actions import Seat, enroll, enroll_many
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from discussions.actions import community_thread, create_post, react
from discussions.models import Post, Reaction, ReactionKind
from programs.models import Week
from rapport import policy
from rapport.policy import Role
from rapport.testing import make_circle, make_cohort, make_org, make_program, make_user

START = date(2026, 9, 7)


def old_interactions(
    cohort: Cohort, learners: Iterable[int], last: int
) -> list[tuple[int, int, int]]:
    """The replaced `analytics.connections.interactions`, as it was."""
    seated = set(learners)
    found = []
    replies = (
        Post.objects.filter(thread__cohort=cohort, parent__isnull=False)
        .values_list("author_id", "parent__author_id", "created_at")
        .order_by()
    )
    reactions = (
        Reaction.objects.filter(post__thread__cohort=cohort)
        .values_list("user_id", "post__author_id", "created_at")
        .order_by()
    )
    for rows in (replies, reactions):
        for source, target, moment in rows.iterator(chunk_size=10_000):
            if source != target and source in seated and target in seated:
                found.append((source, target, _week(cohort, moment, last)))
    found.sort(key=lambda item: item[2])
    return found


def old_for_cohort(cohort: Cohort, *, now: datetime | None = None) -> CohortConnections:
    """The replaced `analytics.connections.for_cohort`, as it was (every interaction into a
    networkx graph, its reciprocity recomputed each week)."""
    now = now or timezone.now()
    seats = list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER).values_list(
            "user_id", F("user__membership__region"), F("user__membership__function")
        )
    )
    threshold = policy.min_group_size()
    size = len(seats)
    result = CohortConnections(cohort, size if size >= threshold else None, built_at=now)
    if result.learners is None:
        result.isolated = [user for user, _r, _f in seats]
        return result
    last = Week.objects.filter(program_id=cohort.program_id).aggregate(n=Max("number"))["n"] or 1
    region = {user: r for user, r, _f in seats}
    function = {user: f for user, _r, f in seats}
    circle_of = dict(
        CircleMember.objects.filter(cohort=cohort, circle__state=CircleState.PUBLISHED)
        .values_list("user_id", "circle_id")
        .order_by()
    )
    first_session: dict[int, int] = {}
    for learner, starts in (
        Booking.objects.filter(
            learner_id__in=region.keys(), status=BookingStatus.BOOKED, starts_at__lte=now
        )
        .values_list("learner_id", "starts_at")
        .order_by("starts_at")
    ):
        first_session.setdefault(learner, _week(cohort, starts, last))
    by_week: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for source, target, week in old_interactions(cohort, region.keys(), last):
        by_week[week].append((source, target))

    ties = nx.Graph()
    ties.add_nodes_from(region)
    directed = nx.DiGraph()
    directed.add_nodes_from(region)
    across_regions = across_functions = beyond = 0
    for number in range(1, last + 1):
        met: set[int] = set()
        new = 0
        for source, target in by_week.get(number, ()):
            directed.add_edge(source, target)
            if ties.has_edge(source, target):
                continue
            ties.add_edge(source, target)
            new += 1
            met.update((source, target))
            across_regions += region[source] != region[target]
            across_functions += function[source] != function[target]
            beyond += circle_of.get(source) is None or circle_of.get(source) != circle_of.get(
                target
            )
        isolated = nx.number_of_isolates(ties)
        connected = _people(size - isolated, size)
        total = ties.number_of_edges()
        shown = not connected.hidden
        result.weeks.append(
            ConnectionWeek(
                number=number,
                new_tie=_people(len(met), size),
                isolated=_people(isolated, size),
                coached=_people(sum(1 for w in first_session.values() if w <= number), size),
                ties=total if shown else None,
                new_ties=new if shown else None,
                per_learner=round(2 * total / size, 1) if shown else None,
                across_regions=_percent(across_regions, total) if shown else None,
                across_functions=_percent(across_functions, total) if shown else None,
                beyond_circle=_percent(beyond, total) if shown else None,
                reciprocity=round(100 * nx.overall_reciprocity(directed))
                if shown and directed.number_of_edges()
                else None,
            )
        )
    result.isolated = sorted(nx.isolates(ties))
    return result


def at(week: int, day: int = 1) -> datetime:
    moment = START + timedelta(days=7 * (week - 1) + day)
    return datetime(moment.year, moment.month, moment.day, 10, tzinfo=UTC)


def moment(rng: random.Random, weeks: int) -> datetime:
    """A time from a week before the start to two weeks after the end of the programme."""
    day = START + timedelta(days=rng.randrange(-7, 7 * (weeks + 2)))
    return datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC)


class GeneratedCohortTests(TestCase):
    """A generated cohort of 40 learners who talk at random (seeded), weeks 0 to 8 of a
    six-week programme, in the community thread."""

    WEEKS = 6

    @classmethod
    def setUpTestData(cls) -> None:
        rng = random.Random(10)
        cls.org = make_org()
        cls.program = make_program(cls.org, weeks=cls.WEEKS, per_week=1)
        cls.cohort = make_cohort(cls.program, start=START)
        regions = ("Europe", "Asia", "Americas")
        functions = ("Sales", "Finance")
        cls.people = [
            make_user(
                cls.org,
                f"g{n}@gen.example",
                region=rng.choice(regions),
                function=rng.choice(functions),
            )
            for n in range(40)
        ]
        enroll_many(cls.cohort, seats=[Seat(p.pk) for p in cls.people])
        cls.coach = coach = make_user(cls.org, "coach@gen.example", role=Role.COACH)
        enroll(coach, cohort=cls.cohort, role=EnrollmentRole.COACH)
        make_circle(cls.cohort, cls.people[:8], name="Harbour", coach=coach)
        make_circle(cls.cohort, cls.people[8:16], name="Summit", coach=coach)
        make_circle(cls.cohort, cls.people[16:22], name="Draft", state=CircleState.DRAFT)
        other = make_cohort(cls.program, name="Other", start=START)
        stranger = make_user(cls.org, "stranger@gen.example")
        enroll(stranger, cohort=other)
        cls.talkers = cls.people[:34]  # the last six say nothing
        thread = community_thread(cls.cohort)
        posts = [
            create_post(thread, author=p, body="Hello", now=moment(rng, cls.WEEKS))
            for p in cls.talkers[:12]
        ]
        for n in range(160):
            author = rng.choice([*cls.talkers, coach])
            parent = posts[n % len(posts)] if n % 5 == 0 else rng.choice(posts)
            when = moment(rng, cls.WEEKS)
            create_post(thread, author=author, body="Yes", parent=parent, now=when)
        # A stranger from another cohort replying, and the coach's own post replied to.
        create_post(thread, author=stranger, body="Hi", parent=posts[0], now=moment(rng, 6))
        coach_post = create_post(thread, author=coach, body="Welcome", now=moment(rng, 6))
        create_post(thread, author=cls.talkers[3], body="Thanks", parent=coach_post)
        kinds = list(ReactionKind.values)
        targets = list(Post.objects.filter(thread=thread).exclude(author=stranger))
        for _n in range(220):
            post = rng.choice(targets)
            user = rng.choice(cls.talkers)
            if user.pk != post.author_id:
                react(post, user=user, kind=rng.choice(kinds))
        for reaction in Reaction.objects.all():
            reaction.created_at = moment(rng, cls.WEEKS)
            reaction.save(update_fields=["created_at"])

    def assert_same(self, now: datetime) -> None:
        new = connections.for_cohort(self.cohort, now=now)
        old = old_for_cohort(self.cohort, now=now)
        self.assertEqual(new.learners, old.learners)
        self.assertEqual(len(new.weeks), self.WEEKS if old.learners is not None else 0)
        for new_week, old_week in zip(new.weeks, old.weeks, strict=True):
            self.assertEqual(new_week, old_week, f"week {old_week.number}")
        self.assertEqual(new.isolated, old.isolated)

    def test_it_gives_the_same_figures_as_the_computation_it_replaced(self) -> None:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        self.assert_same(now)
        result = connections.for_cohort(self.cohort, now=now)
        # The generated cohort exercises what is compared: weeks with ties shown, returned
        # interactions, and six silent learners.
        self.assertGreater(sum(1 for w in result.weeks if w.ties), 3)
        self.assertTrue(any(w.reciprocity for w in result.weeks))
        self.assertGreaterEqual(len(result.isolated), 6)

    def test_the_same_figures_under_other_thresholds(self) -> None:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        for threshold in (3, 10, 25, 41):
            with (
                self.subTest(threshold=threshold),
                override_settings(RAPPORT_MIN_GROUP_SIZE=threshold),
            ):
                self.assert_same(now)

    def test_the_same_figures_halfway_through(self) -> None:
        """Later interactions are still counted (the computation has no `now` for them), but
        coaching contacts are only those before `now`: both agree at any moment."""
        Booking.objects.create(
            organization=self.org,
            coach=self.coach,
            learner=self.people[1],
            starts_at=datetime(2026, 9, 15, 9, tzinfo=UTC),
            ends_at=datetime(2026, 9, 15, 10, tzinfo=UTC),
            status=BookingStatus.BOOKED,
        )
        self.assert_same(datetime(2026, 9, 28, tzinfo=UTC))

    def test_its_first_contacts_are_the_earliest_of_the_replaced_interactions(self) -> None:
        """The pairs grouped with numpy (`directed_pairs`) against the replaced read, pair by
        pair: the same directed pairs, each in the week of its earliest interaction."""
        learners = [p.pk for p in self.people]
        for last in (1, 3, self.WEEKS):
            expected: dict[tuple[int, int], int] = {}
            for source, target, week in old_interactions(self.cohort, learners, last):
                expected[source, target] = min(week, expected.get((source, target), week))
            with self.subTest(last=last):
                self.assertGreater(len(expected), 100)
                self.assertEqual(connections.first_contacts(self.cohort, learners, last), expected)

    def test_it_makes_seven_queries_whatever_the_number_of_interactions(self) -> None:
        # 1 the seats, 2 the programme's last week, 3 circle members, 4 coaching sessions,
        # 5 replies, 6 reactions, 7 feedback answers (one row of three integers each)
        with self.assertNumQueries(7):
            before = connections.for_cohort(self.cohort)
        thread = community_thread(self.cohort)
        post = Post.objects.filter(thread=thread, parent=None, author=self.people[0]).get()
        for n in range(60):
            create_post(thread, author=self.people[34 + n % 6], body="At last", parent=post)
        with self.assertNumQueries(7):
            after = connections.for_cohort(self.cohort)
        self.assertLess(len(after.isolated), len(before.isolated))


class FirstContactTests(TestCase):
    """The read: one entry per directed pair, in the week of its first contact, the week
    worked out in SQL exactly as `_week` does in Python, to the microsecond around midnight."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_org()
        cls.program = make_program(cls.org, weeks=3, per_week=1)
        cls.cohort = make_cohort(cls.program, start=START)
        cls.a, cls.b, cls.c = (make_user(cls.org, f"{n}@gen.example") for n in "abc")
        enroll_many(cls.cohort, seats=[Seat(p.pk) for p in (cls.a, cls.b, cls.c)])
        cls.thread = community_thread(cls.cohort)

    def test_it_reads_one_row_per_pair_in_the_week_of_their_first_contact(self) -> None:
        post = create_post(self.thread, author=self.a, body="Hello", now=at(3))
        for week in (3, 2, 3, 2):
            create_post(self.thread, author=self.b, body="Yes", parent=post, now=at(week))
        react(post, user=self.c, kind="thanks")
        Reaction.objects.update(created_at=at(3))
        reply = create_post(self.thread, author=self.c, body="And", parent=post, now=at(3, 5))
        react(reply, user=self.a, kind="thanks")  # a→c in week 3 too
        create_post(self.thread, author=self.a, body="Me", parent=post, now=at(1))  # self
        learners = [self.a.pk, self.b.pk, self.c.pk]
        first = connections.first_contacts(self.cohort, learners, 3)
        self.assertEqual(
            first,
            {(self.b.pk, self.a.pk): 2, (self.c.pk, self.a.pk): 3, (self.a.pk, self.c.pk): 3},
        )
        # Only the people asked about are kept.
        self.assertEqual(
            connections.first_contacts(self.cohort, [self.a.pk, self.b.pk], 3),
            {(self.b.pk, self.a.pk): 2},
        )

    def test_answered_feedback_between_rounds_makes_a_tie_and_a_declined_one_does_not(
        self,
    ) -> None:
        from assessments import actions as assessments
        from assessments.models import FeedbackAnswer

        seat = Enrollment.objects.get(cohort=self.cohort, user=self.a)
        peers = list(Enrollment.objects.filter(cohort=self.cohort, user__in=[self.b, self.c]))
        request = assessments.request_feedback(
            self.a,
            seat=seat,
            focus="My first skip-level meeting",
            behaviour=None,
            peers=peers,
            ask_coach=False,
            due_on=None,
            today=START,
        )
        learners = [self.a.pk, self.b.pk, self.c.pk]
        self.assertEqual(connections.first_contacts(self.cohort, learners, 3), {})  # asked only
        b_part = FeedbackAnswer.objects.get(request=request, writer=self.b)
        c_part = FeedbackAnswer.objects.get(request=request, writer=self.c)
        parts = dict.fromkeys(assessments.SBI_FIELDS, "Specific and kind")
        assessments.give_feedback(self.b, answer=b_part, comments=parts)
        assessments.decline_feedback(self.c, answer=c_part)
        FeedbackAnswer.objects.filter(pk=b_part.pk).update(answered_at=at(2))
        self.assertEqual(
            connections.first_contacts(self.cohort, learners, 3), {(self.b.pk, self.a.pk): 2}
        )

    def test_its_weeks_in_sql_are_the_weeks_in_python(self) -> None:
        post = create_post(self.thread, author=self.a, body="Hello")
        tick = timedelta(microseconds=1)
        moments = [datetime(2026, 8, 8, 23, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)]
        for days in range(0, 7 * 11, 7):
            midnight = datetime.combine(START + timedelta(days=days), time(), tzinfo=UTC)
            moments += [midnight - tick, midnight, midnight + tick]
        for moment_ in moments:
            create_post(self.thread, author=self.b, body="Yes", parent=post, now=moment_)
        for last in range(1, 11):  # week_of's tree of CASEs at every depth to four
            rows = (
                Post.objects.filter(parent=post)
                .annotate(week=connections.week_of(self.cohort, "created_at", last))
                .values_list("created_at", "week")
            )
            self.assertEqual(len(rows), len(moments))
            for created_at, week in rows:
                with self.subTest(last=last, moment=created_at):
                    self.assertEqual(week, _week(self.cohort, created_at, last))
