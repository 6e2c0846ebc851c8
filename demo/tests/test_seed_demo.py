"""`manage.py seed_demo`: a complete, consistent demo organisation that is safe to run twice.

Media is rendered once per test session (short versions, cached under MEDIA_ROOT/demo-cache);
one test renders a full-length podcast to check the real thing. PBKDF2 is swapped for MD5 here
only because the seed hashes the shared password once per run and the tests seed several times.
"""

import io
import math
import re
import struct
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q
from django.test import TestCase, override_settings

from accounts.models import User
from coaching.models import Booking
from cohorts.actions import enroll_many
from cohorts.models import (
    ActivityProgress,
    Cohort,
    CohortSession,
    Enrollment,
    EnrollmentRole,
    ProgressState,
)
from demo import content
from demo.assessments import PREVIOUS_COHORT_SIZE, PREVIOUS_PEERS
from demo.content.specs import ActivitySpec
from demo.errors import MediaError
from demo.media import build_media, measured_seconds
from demo.people import PeopleGenerator
from demo.seed import (
    DEMO_PASSWORD,
    DEMO_SIGN_INS,
    SeedOptions,
    _Seeder,
    classmates_rng,
    plan_cohorts,
    reset_demo,
    seed_demo,
)
from events.models import Event, Verb
from notifications.models import Notification
from organizations.actions import add_members
from organizations.models import Competency, Membership, Organization, Role
from programs.models import Activity, ActivityKind

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NOW = datetime(2026, 3, 18, 10, 30, tzinfo=UTC)  # a Wednesday


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _ogg_seconds(data: bytes) -> float:
    """Length of an Ogg Opus file: the last page's granule position (48 kHz samples) minus the
    pre-skip in the OpusHead header, read straight from the bytes."""
    last_page = data.rindex(b"OggS")
    granule = struct.unpack_from("<q", data, last_page + 6)[0]
    head = data.index(b"OpusHead")
    pre_skip = struct.unpack_from("<H", data, head + 10)[0]
    return (granule - pre_skip) / 48_000


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class SeededDemoTests(TestCase):
    organization: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        result = seed_demo(SeedOptions(learners=40, short_media=True, now=NOW))
        cls.organization = result.organization
        cls.counts = result.counts

    def learners(self) -> "list[Enrollment]":
        return list(
            Enrollment.objects.filter(organization=self.organization, role=EnrollmentRole.LEARNER)
        )

    def test_a_report_waits_for_the_coach_and_the_admin_and_one_was_answered(self) -> None:
        from accounts.models import Block, User
        from moderation.access import moderation_queue, reports_made_by

        people = {
            u.email.split("@")[0]: u for u in User.objects.filter(organization=self.organization)
        }
        for role in ("coach", "admin"):
            queue = list(moderation_queue(people[role]))
            self.assertEqual(
                [r.get_reason_display() for r in queue],
                [
                    "Uses someone's vulnerability against them",
                    "Shares something told in confidence",
                ],
                role,
            )
        answered = list(reports_made_by(people["learner"]))
        self.assertEqual([r.state for r in answered], ["actioned"])
        self.assertIn("noticeboard", answered[0].outcome_note)
        self.assertEqual(Block.objects.filter(blocker=people["learner"]).count(), 1)

    def test_a_journal_entry_a_circle_mate_reported_waits_in_the_coachs_queue_page(self) -> None:
        from django.urls import reverse
        from django.utils.html import escape

        from circles.models import CircleMember
        from demo.moderation import OVERSHARE_DETAILS, OVERSHARE_TITLE
        from moderation.access import reports_made_by
        from moderation.models import Report, ReportReason, ReportState

        report = Report.objects.select_related("entry__author", "reporter").get(
            organization=self.organization, entry__isnull=False
        )
        entry = report.entry
        assert entry is not None
        self.assertEqual(entry.title, OVERSHARE_TITLE)
        self.assertEqual(
            (report.state, report.reason, report.details),
            (ReportState.OPEN, ReportReason.CONFIDENCE, OVERSHARE_DETAILS),
        )
        self.assertTrue(entry.is_shared_with_a_group)
        self.assertEqual(entry.visibility, "circle")
        # Two learners of the same circle, neither the demo learner nor her peer.
        demo_people = {"learner@northwind.example", "peer@northwind.example"}
        self.assertNotIn(entry.author.email, demo_people)
        self.assertNotIn(report.reporter.email, demo_people)
        self.assertTrue(
            CircleMember.objects.filter(circle=entry.circle, user=report.reporter).exists()
        )

        coach = User.objects.get(email="coach@northwind.example")
        self.client.force_login(coach)
        page = self.client.get(reverse("moderation:queue")).content.decode()
        self.assertIn("Shares something told in confidence", page)
        self.assertIn(f'data-report="{report.public_id}"', page)
        self.assertIn("Stefan from packaging", page)
        assert entry.circle is not None
        self.assertIn(escape(entry.circle.name), page)

        # The reporter has her own report and nothing else: not the queue, not the other
        # open report.
        self.client.force_login(report.reporter)
        self.assertEqual(list(reports_made_by(report.reporter)), [report])
        self.assertEqual(self.client.get(reverse("moderation:queue")).status_code, 403)
        other = Report.objects.get(organization=self.organization, post__isnull=False, state="open")
        detail = reverse("moderation:report_detail", args=[other.public_id])
        self.assertEqual(self.client.get(detail).status_code, 404)
        mine = self.client.get(reverse("moderation:mine")).content.decode()
        self.assertIn(str(report.public_id), mine)
        self.assertNotIn(str(other.public_id), mine)

    def test_it_builds_the_seven_week_programme_with_every_kind_of_activity(self) -> None:
        activities = Activity.objects.filter(
            organization=self.organization, week__program__title=content.PROGRAMME_TITLE
        )
        self.assertGreaterEqual(activities.count(), 20)
        self.assertEqual(set(activities.values_list("kind", flat=True)), set(ActivityKind.values))
        weeks = activities.values("week__number").annotate(n=Count("id"))
        self.assertEqual(sorted(w["week__number"] for w in weeks), list(range(1, 8)))
        self.assertTrue(all(3 <= w["n"] <= 5 for w in weeks))

    def test_a_draft_programme_shows_the_design_review_its_planted_findings(self) -> None:
        from demo.design_review import DRAFT_TITLE
        from design_review.review import review_activities

        draft = Activity.objects.filter(week__program__title=DRAFT_TITLE).select_related("week")
        codes = sorted(i.finding.code for r in review_activities(list(draft), []) for i in r.items)
        self.assertEqual(codes, ["audience-mismatch", "blame", "compare", "idiom", "urgency"])

    def test_every_activity_passes_the_model_validation(self) -> None:
        for activity in Activity.objects.filter(
            organization=self.organization, week__program__title=content.PROGRAMME_TITLE
        ):
            with self.subTest(activity=activity.title):
                activity.full_clean()

    def test_articles_and_instructions_have_substance(self) -> None:
        for activity in Activity.objects.filter(
            organization=self.organization, week__program__title=content.PROGRAMME_TITLE
        ):
            with self.subTest(activity=activity.title):
                paragraphs = [p for p in activity.body.split("\n\n") if p.strip()]
                self.assertGreaterEqual(len(paragraphs), 2)
                if activity.kind == ActivityKind.MISSION:
                    self.assertIn("## Reflection", activity.body)
                    self.assertGreaterEqual(activity.body.count("?"), 3)

    def test_every_activity_maps_to_the_communication_skills_model(self) -> None:
        competencies = Competency.objects.filter(organization=self.organization)
        self.assertEqual(
            [c.name for c in competencies],
            [
                "Listen fully",
                "Give effective feedback",
                "Manage conflict constructively",
                "Communicate clearly",
                "Build genuine relationships",
            ],
        )
        self.assertTrue(all(c.framework == "Communication skills" for c in competencies))
        self.assertTrue(all(len(c.behaviour_list()) == 3 for c in competencies))
        unmapped = Activity.objects.filter(
            organization=self.organization,
            week__program__title=content.PROGRAMME_TITLE,
            competencies=None,
        )
        self.assertFalse(unmapped.exists())
        used = Competency.objects.filter(activities__organization=self.organization).distinct()
        self.assertEqual(used.count(), 5)

    def test_media_are_real_webm_and_ogg_files_with_webvtt_captions(self) -> None:
        media = Activity.objects.filter(
            organization=self.organization, kind__in=[ActivityKind.VIDEO, ActivityKind.AUDIO]
        )
        self.assertEqual(media.count(), 4)
        for activity in media:
            with self.subTest(activity=activity.title):
                with activity.media.open("rb") as file:
                    data = file.read()
                self.assertGreater(len(data), 20_000)
                if activity.kind == ActivityKind.VIDEO:
                    self.assertTrue(data.startswith(bytes.fromhex("1A45DFA3")))
                    self.assertIn(b"webm", data[:64])
                    self.assertIn(b"V_VP8", data[:4096])
                    self.assertIn(b"A_OPUS", data[:4096])
                else:
                    self.assertTrue(data.startswith(b"OggS"))
                    self.assertIn(b"OpusHead", data[:128])
                with activity.captions.open("rb") as file:
                    captions = file.read().decode()
                self.assertTrue(captions.startswith("WEBVTT"))
                self.assertRegex(captions, r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}")
                self.assertIn("There", activity.transcript)  # "There is no narration..."

    def test_media_play_as_long_as_their_captions_transcript_and_stated_minutes(self) -> None:
        media = Activity.objects.filter(
            organization=self.organization, kind__in=[ActivityKind.VIDEO, ActivityKind.AUDIO]
        )
        for activity in media:
            with self.subTest(activity=activity.title):
                seconds = measured_seconds(Path(activity.media.path))
                self.assertEqual(activity.estimated_minutes, math.ceil(seconds / 60))
                with activity.captions.open("rb") as file:
                    captions = file.read().decode()
                ends = [
                    int(h) * 3600 + int(m) * 60 + float(s)
                    for h, m, s in re.findall(r"--> (\d\d):(\d\d):(\d\d\.\d{3})", captions)
                ]
                self.assertAlmostEqual(max(ends), seconds, delta=0.5)
                stamps = re.findall(r"^(\d+):(\d\d)  ", activity.transcript, re.MULTILINE)
                self.assertLess(max(int(m) * 60 + int(s) for m, s in stamps), seconds)
                furthest = ActivityProgress.objects.filter(activity=activity).aggregate(
                    furthest=Max("position_seconds")
                )["furthest"]
                self.assertLessEqual(furthest or 0, seconds)

    def test_learners_span_regions_time_zones_functions_and_levels(self) -> None:
        learners = Membership.objects.filter(organization=self.organization, role=Role.LEARNER)
        self.assertEqual(learners.count(), 40 + PREVIOUS_COHORT_SIZE)  # and last year's cohort
        self.assertGreaterEqual(learners.values("region").distinct().count(), 6)
        self.assertGreaterEqual(learners.values("user__time_zone").distinct().count(), 6)
        self.assertGreaterEqual(learners.values("function").distinct().count(), 5)
        self.assertEqual(learners.values("level").distinct().count(), 3)
        emails = list(learners.values_list("user__email", flat=True))
        pattern = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+\.\d+@northwind\.example$")
        fixed = {email for _, email in DEMO_SIGN_INS}
        generated = [email for email in emails if email not in fixed]
        self.assertTrue(all(pattern.match(email) for email in generated), generated[:5])

    def test_every_learner_has_a_coach_who_coaches_their_cohort(self) -> None:
        enrollments = Enrollment.objects.filter(
            organization=self.organization, role=EnrollmentRole.LEARNER
        )
        self.assertFalse(enrollments.filter(coach=None).exists())
        for enrollment in enrollments:
            self.assertTrue(
                Enrollment.objects.filter(
                    cohort=enrollment.cohort_id, user=enrollment.coach_id, role=EnrollmentRole.COACH
                ).exists()
            )
        coaches = Membership.objects.filter(organization=self.organization, role=Role.COACH)
        self.assertGreaterEqual(coaches.count(), 3)

    def test_cohorts_start_on_different_dates_so_learners_are_in_different_weeks(self) -> None:
        cohorts = list(Cohort.objects.filter(organization=self.organization))
        self.assertGreaterEqual(len(cohorts), 2)
        weeks = {cohort.week_number_on(NOW.date()) for cohort in cohorts}
        self.assertGreaterEqual(len(weeks), 2)
        self.assertIn(4, weeks)  # the demo learner's cohort, mid-programme

    def test_each_cohort_has_its_live_sessions_inside_its_own_weeks(self) -> None:
        """Fault case live-session-per-cohort.md: a later cohort's session is in its own week."""
        cohorts = list(Cohort.objects.filter(organization=self.organization))
        live = Activity.objects.filter(
            organization=self.organization, kind=ActivityKind.LIVE_SESSION
        ).select_related("week")
        self.assertGreaterEqual(live.count(), 1)
        for cohort in cohorts:
            for activity in live:
                session = CohortSession.objects.get(cohort=cohort, activity=activity)
                first = cohort.week_starts_on(activity.week.number)
                self.assertLessEqual(first, session.starts_at.date(), cohort.name)
                self.assertLessEqual(session.starts_at.date(), first + timedelta(days=6))
        starts = {s.starts_at for s in CohortSession.objects.filter(cohort__in=cohorts)}
        self.assertGreater(len(starts), live.count())  # cohorts meet at different times

    def test_completed_count_matches_the_completed_progress_rows(self) -> None:
        mismatched = Enrollment.objects.filter(organization=self.organization).annotate(
            done=Count("progress", filter=Q(progress__state=ProgressState.COMPLETED))
        )
        self.assertFalse(mismatched.exclude(done=F("completed_count")).exists())
        self.assertGreater(self.counts["completed"], 0)

    def test_progress_is_spread_across_states(self) -> None:
        counts = [e.completed_count for e in self.learners()]
        self.assertIn(0, counts)
        self.assertGreater(len(set(counts)), 4)
        started_media = ActivityProgress.objects.filter(
            enrollment__organization=self.organization,
            state=ProgressState.STARTED,
            activity__kind__in=[ActivityKind.VIDEO, ActivityKind.AUDIO],
            position_seconds__gt=0,
        )
        self.assertTrue(started_media.exists())
        future = ActivityProgress.objects.filter(
            enrollment__organization=self.organization, started_at__gt=NOW
        )
        self.assertFalse(future.exists())

    def test_every_progress_row_has_its_events(self) -> None:
        progress = ActivityProgress.objects.filter(enrollment__organization=self.organization)
        events = Event.objects.filter(organization=self.organization)
        self.assertEqual(events.filter(verb=Verb.VIEWED).count(), progress.count())
        done = progress.filter(state=ProgressState.COMPLETED)
        self.assertEqual(events.filter(verb=Verb.COMPLETED).count(), done.count())
        pairs = set(done.values_list("enrollment__user_id", "activity__public_id"))
        completed = set(events.filter(verb=Verb.COMPLETED).values_list("actor_id", "object_id"))
        self.assertEqual(pairs, completed)
        media = progress.filter(activity__kind__in=[ActivityKind.VIDEO, ActivityKind.AUDIO])
        self.assertEqual(events.filter(verb=Verb.PLAYED).count(), media.count())
        self.assertFalse(events.filter(timestamp__gt=NOW).exists())

    def test_the_learner_has_growth_items_and_the_admin_sees_trends_that_pass(self) -> None:
        from accounts.models import User
        from growth import aggregates
        from growth.access import my_growth
        from growth.mindset import mindset_page
        from rapport.lib.timezones import local_today

        amara = User.objects.get(email="learner@northwind.example")
        page = my_growth(amara)
        self.assertEqual(len(page.goals), 3)
        self.assertEqual(len(page.picked), 2)
        self.assertTrue(all(g.behaviour is not None for g in page.goals))
        today = local_today(amara.time_zone, NOW)
        beliefs = mindset_page(amara, today=today)
        self.assertEqual(len(beliefs), 2)
        self.assertTrue(
            any(m.state == "done" for b in beliefs for r in b.routines for m in r.marks)
        )
        admin = User.objects.get(email="admin@northwind.example")
        weeks = aggregates.by_week(admin, today=local_today(admin.time_zone, NOW))
        self.assertTrue(any(week.people is not None for week in weeks))
        coach = User.objects.get(email="coach@northwind.example")
        self.assertEqual(my_growth(coach).goals, [])  # nobody else sees Amara's

    def test_the_demo_sign_ins_work_with_the_shared_password(self) -> None:
        roles = {
            "learner@northwind.example": Role.LEARNER,
            "peer@northwind.example": Role.LEARNER,
            "coach@northwind.example": Role.COACH,
            "designer@northwind.example": Role.DESIGNER,
            "admin@northwind.example": Role.ADMIN,
            "expert@northwind.example": Role.EXPERT,
            "sponsor@northwind.example": Role.SPONSOR,
            "alumni@northwind.example": Role.LEARNER,
        }
        self.assertEqual([email for _, email in DEMO_SIGN_INS], list(roles))
        for email, role in roles.items():
            with self.subTest(email=email):
                user = authenticate(username=email, password=DEMO_PASSWORD)
                self.assertIsNotNone(user)
                assert user is not None
                self.assertEqual(user.membership.role, role)
                self.assertEqual(user.membership.organization, self.organization)
                self.assertIsNone(authenticate(username=email, password="wrong-password"))

    def test_the_demo_learner_is_mid_programme_with_the_demo_coach(self) -> None:
        amara = Enrollment.objects.select_related("user", "coach", "cohort").get(
            user__email="learner@northwind.example"
        )
        self.assertEqual(amara.user.full_name, "Amara Okafor")
        self.assertEqual(amara.user.time_zone, "Europe/London")
        self.assertEqual(amara.coach.email, "coach@northwind.example")
        self.assertEqual(amara.cohort.week_number_on(NOW.date()), 4)
        self.assertGreater(amara.completed_count, 8)
        resume = amara.progress.get(state=ProgressState.STARTED)
        self.assertEqual(resume.activity.kind, ActivityKind.AUDIO)
        self.assertGreater(resume.position_seconds, 0)
        peer = Enrollment.objects.get(user__email="peer@northwind.example")
        self.assertEqual(peer.cohort_id, amara.cohort_id)
        self.assertEqual(peer.coach_id, amara.coach_id)

    def test_the_demo_coach_has_availability_and_sessions_booked_this_week(self) -> None:
        from coaching.access import bookings_of, coaches_of, free_slots

        grace = User.objects.get(email="coach@northwind.example")
        amara = User.objects.get(email="learner@northwind.example")
        sessions = list(bookings_of(grace, now=NOW))
        self.assertEqual(len(sessions), 4)
        self.assertTrue(all(b.starts_at < NOW + timedelta(days=7) for b in sessions))
        self.assertIn(amara, [b.learner for b in sessions])
        self.assertEqual(len(list(bookings_of(amara, now=NOW))), 1)
        self.assertEqual(coaches_of(amara), [grace])
        self.assertTrue(free_slots(amara, grace, now=NOW))
        self.assertTrue(all(b.video_url.startswith("https://") for b in sessions))

    def test_the_demo_learner_sees_her_baseline_and_when_the_end_round_opens(self) -> None:
        from assessments.access import tasks_of
        from assessments.models import AssessmentRound, RoundKind
        from assessments.report import growth_report
        from assessments.tasks import round_dates

        amara = User.objects.get(email="learner@northwind.example")
        (report,) = growth_report(amara, today=NOW.date())
        baseline, end, later = report.columns
        self.assertTrue(baseline.closed and baseline.peers_shown)
        self.assertFalse(end.opened or later.opened)
        self.assertEqual(baseline.peers_answered, 5)
        self.assertEqual(baseline.coach_name, "Grace Mensah")
        self.assertEqual(len(baseline.peers_observed.strengths), 5)
        listen, *_ = report.competencies
        cell = listen.rows[0].cells[0]
        self.assertIsNotNone(cell.peer_mean)
        self.assertGreater(cell.self_score, cell.peer_mean)  # she sees herself a little higher
        # Her cohort is mid-programme: its end round keeps its scheduled date, in the last week.
        seat = Enrollment.objects.get(user=amara, role=EnrollmentRole.LEARNER)
        scheduled = round_dates(seat.cohort.start_date, len(content.WEEKS))[1]
        end_round = AssessmentRound.objects.get(cohort=seat.cohort, kind=RoundKind.END)
        self.assertEqual(end_round.opens_on, scheduled.opens_on)
        self.assertGreater(end_round.opens_on, NOW.date())
        rafael = User.objects.get(email="peer@northwind.example")
        self.assertEqual(tasks_of(rafael, today=NOW.date()), [])  # baseline closed, end to come
        grace = User.objects.get(email="coach@northwind.example")
        waiting = [t for t in tasks_of(grace, today=NOW.date()) if not t.answered]
        self.assertTrue(waiting)
        self.assertTrue(all(t.round.kind == "year_later" for t in waiting))

    def test_last_years_learner_sees_her_growth_from_baseline_to_end_and_a_year_on(self) -> None:
        from assessments.report import growth_report

        mei = User.objects.get(email="alumni@northwind.example")
        (report,) = growth_report(mei, today=NOW.date())
        self.assertTrue(report.seat.cohort.name.startswith("Cohort 2025"))
        activities = sum(len(week.activities) for week in content.WEEKS)
        self.assertEqual(report.seat.completed_count, activities - 3)  # all but the last three
        baseline, end, later = report.columns
        self.assertTrue(baseline.closed and end.closed and later.opened)
        for column in (baseline, end):
            self.assertTrue(column.peers_shown)
            self.assertEqual(column.peers_answered, 4)
        self.assertTrue(later.self_done and later.coach_done)
        self.assertEqual(len(end.peers_observed.strengths), 2)
        self.assertEqual(len(end.coach_observed.edges), 1)
        # Others saw her grow from the baseline to the end of the programme.
        means = [
            (row.cells[0].peer_mean, row.cells[1].peer_mean)
            for block in report.competencies
            for row in block.rows
        ]
        self.assertGreater(
            sum(e for _b, e in means if e is not None), sum(b for b, _e in means if b is not None)
        )

    def test_the_demo_learner_asked_for_feedback_and_the_peer_has_one_to_answer(self) -> None:
        from assessments.access import (
            feedback_asked_of,
            feedback_requests_of,
            feedback_shared_with,
        )

        amara = User.objects.get(email="learner@northwind.example")
        rafael = User.objects.get(email="peer@northwind.example")
        grace = User.objects.get(email="coach@northwind.example")
        older, newer = sorted(feedback_requests_of(amara), key=lambda r: r.created_at)
        states = sorted(a.state for a in older.visible_answers)  # type: ignore[attr-defined]
        self.assertEqual(states, ["answered", "answered", "answered", "declined"])
        self.assertTrue(
            all(
                a.strength_behaviour and a.edge_impact
                for a in older.visible_answers
                if a.state == "answered"
            )
        )  # type: ignore[attr-defined]
        self.assertLess(older.created_at, NOW)
        waiting = [a for a in feedback_asked_of(rafael) if a.state == "waiting"]
        self.assertEqual([a.request for a in waiting], [newer])
        self.assertEqual([r.pk for r in feedback_shared_with(grace)], [older.pk])
        self.assertTrue(
            Notification.objects.filter(
                recipient=rafael, kind="feedback_asked", read_at__isnull=True
            ).exists()
        )
        self.assertFalse(
            Notification.objects.filter(
                kind__startswith="feedback", emailed_at__isnull=True
            ).exists()
        )

    def test_the_admin_dashboard_shows_last_years_capability_change(self) -> None:
        from analytics import dashboard as boards
        from analytics.snapshots import board_for
        from programs.models import Program

        program = Program.objects.get(organization=self.organization, title=content.PROGRAMME_TITLE)
        cohorts = list(Cohort.objects.filter(program=program))
        board = board_for(program, cohorts)
        view = board.view(boards.Filters())
        shown = {(line.later, line.group): line.change for line in view.capability}
        for key in [(later, group) for later in ("end", "year_later") for group in
                    ("self", "coach", "peers")]:  # fmt: skip
            self.assertTrue(shown[key].shown, key)
        # Peers and the coach see more growth than learners see in themselves.
        self.assertGreater(shown["end", "coach"].mean, shown["end", "self"].mean)
        previous = next(c for c in cohorts if c.name.startswith("Cohort 2025"))
        current = [c for c in cohorts if c != previous]
        rows = {row.cohort: row for row in view.cohorts}
        self.assertTrue(all(c.shown for _label, cells in rows[previous].changes for c in cells))
        for cohort in current:  # their end rounds are still to come
            self.assertTrue(all(c.not_yet for _label, cells in rows[cohort].changes for c in cells))
        # Within last year's cohort, small groups are suppressed.
        hidden = 0
        for attribute, _label in boards.ATTRIBUTES:
            for value in board.values[attribute]:
                filters = boards.Filters(cohort=previous, attribute=attribute, value=value)
                part = board.view(filters)
                hidden += part.size is None or any(
                    line.change.stats_hidden for line in part.capability
                )
        self.assertGreater(hidden, 3)

    def test_last_years_cohort_has_its_three_rounds_answered(self) -> None:
        from assessments.models import AssessmentRound, Response

        previous = Cohort.objects.get(
            organization=self.organization, name__startswith="Cohort 2025"
        )
        rounds = AssessmentRound.objects.filter(cohort=previous)
        self.assertEqual(rounds.count(), 3)
        for round_ in rounds:
            self.assertLessEqual(round_.opens_on, NOW.date())
            self.assertGreaterEqual(Response.objects.filter(round=round_).count(), 12 * 4)

    def test_last_years_peers_and_ratings_follow_the_seats_order_on_every_database(self) -> None:
        # Each learner of last year asked the next PREVIOUS_PEERS seats by id, and the seeded
        # ratings were drawn seat by seat in that order. Unordered, the seats came back in
        # PostgreSQL's heap order, where the seats updated by the journeys (completed_count)
        # had moved to the end: other pairs and other draws than on SQLite, so small groups
        # (and what the dashboards hide) differed by database.
        from assessments.models import PeerInvitation

        previous = Cohort.objects.get(
            organization=self.organization, name__startswith="Cohort 2025"
        )
        seats = list(
            Enrollment.objects.filter(cohort=previous, role=EnrollmentRole.LEARNER)
            .order_by("pk")
            .values_list("pk", "user_id")
        )
        asked: defaultdict[int, set[int]] = defaultdict(set)
        for subject_id, rater_id in PeerInvitation.objects.filter(
            subject__cohort=previous
        ).values_list("subject_id", "rater_id"):
            asked[subject_id].add(rater_id)
        for n, (seat, _user) in enumerate(seats):
            following = {seats[(n + k) % len(seats)][1] for k in range(1, PREVIOUS_PEERS + 1)}
            self.assertEqual(asked[seat], following, n)

    def test_last_years_cohort_took_the_journey_not_only_its_alumna(self) -> None:
        previous = Cohort.objects.get(
            organization=self.organization, name__startswith="Cohort 2025"
        )
        seats = Enrollment.objects.filter(cohort=previous, role=EnrollmentRole.LEARNER)
        took_part = seats.filter(completed_count__gt=0).count()
        self.assertGreaterEqual(took_part, 20, "a finished cohort, not one person")
        self.assertLess(took_part, seats.count() + 1)
        with_progress = (
            ActivityProgress.objects.filter(enrollment__cohort=previous)
            .values("enrollment")
            .distinct()
            .count()
        )
        self.assertEqual(with_progress, took_part)
        # Their history lies inside their own cohort's weeks, a year ago.
        last = previous.week_starts_on(len(content.WEEKS)) + timedelta(days=7)
        latest = ActivityProgress.objects.filter(enrollment__cohort=previous).latest("started_at")
        self.assertLess(latest.started_at.date(), last + timedelta(days=1))

    def test_the_demo_coach_has_a_circle_session_this_week_with_the_learners_circle(
        self,
    ) -> None:
        from coaching.access import group_sessions_of

        grace = User.objects.get(email="coach@northwind.example")
        amara = User.objects.get(email="learner@northwind.example")
        [session] = list(group_sessions_of(grace, now=NOW))
        self.assertEqual(list(group_sessions_of(amara, now=NOW)), [session])
        self.assertLess(session.starts_at, NOW + timedelta(days=7))
        self.assertTrue(session.circle.members.filter(user=amara).exists())
        self.assertEqual(
            session.invitees.count(), session.circle.members.count()
        )  # every member invited
        self.assertFalse(
            any(
                b.starts_at < session.ends_at and session.starts_at < b.ends_at
                for b in Booking.objects.filter(coach=grace)
            )
        )

    def test_the_demo_coach_has_threads_notes_and_an_action_plan(self) -> None:
        from coaching.access import get_pair, unread_counts_for_coach, unread_total
        from coaching.models import ActionItem, SessionNote

        grace = User.objects.get(email="coach@northwind.example")
        amara = User.objects.get(email="learner@northwind.example")
        self.assertEqual(len(unread_counts_for_coach(grace)), 2)  # two learners waiting
        self.assertEqual(unread_total(amara), 1)
        pair = get_pair(amara, grace.public_id)
        self.assertTrue(pair.can_write)
        assert pair.conversation is not None
        self.assertEqual(pair.conversation.messages.count(), 8)
        self.assertTrue(pair.conversation.messages.filter(attachments__isnull=False).exists())
        self.assertTrue(pair.conversation.messages.filter(activity__isnull=False).exists())
        notes = SessionNote.objects.filter(coach=grace, booking__learner=amara)
        self.assertEqual(notes.count(), 2)
        self.assertTrue(all(n.booking.ends_at < NOW for n in notes))
        items = ActionItem.objects.filter(conversation=pair.conversation)
        self.assertEqual(items.count(), 4)
        self.assertEqual(items.filter(done_at__isnull=False).count(), 2)
        self.assertTrue(items.filter(goal__owner=amara).exists())
        self.assertFalse(items.filter(behaviour__isnull=True).exists())

    def test_the_demo_coach_has_someone_for_each_reason_in_needs_you_now(self) -> None:
        from coaching.access import open_change_requests
        from coaching.caseload import Reason, caseload_of
        from coaching.models import MatchProposal

        grace = User.objects.get(email="coach@northwind.example")
        caseload = caseload_of(grace, now=NOW)
        reasons = {reason for row in caseload.needs_you for reason in row.reasons}
        self.assertEqual(reasons, set(Reason))
        self.assertGreater(caseload.health.people, 3)
        tom = User.objects.get(email="admin@northwind.example")
        requests = open_change_requests(tom)
        self.assertEqual(len(requests), 1)
        self.assertNotEqual(requests[0].coach_at_request, grace)  # never about the demo coach
        self.assertEqual(MatchProposal.objects.visible_to(tom).count(), 1)

    def test_the_demo_coach_has_a_nudge_scheduled_for_tomorrow(self) -> None:
        from coaching.access import nudges_of

        grace = User.objects.get(email="coach@northwind.example")
        [nudge] = list(nudges_of(grace))
        self.assertEqual(nudge.status, "scheduled")
        self.assertTrue(NOW < nudge.send_at < NOW + timedelta(days=2))
        self.assertGreater(nudge.recipients.count(), 0)
        self.assertIn("{first_name}", nudge.body)

    def test_the_expert_has_office_hours_with_upvoted_questions_from_the_cohort(self) -> None:
        from coaching.calendar import my_calendar
        from experts.access import office_hours_of, questions_of

        ines = User.objects.get(email="expert@northwind.example")
        amara = User.objects.get(email="learner@northwind.example")
        [thread] = office_hours_of(amara, now=NOW)
        self.assertEqual(thread.host, ines)
        self.assertLess(thread.starts_at, NOW + timedelta(days=7))
        questions = questions_of(thread)
        self.assertGreaterEqual(len(questions), 5)
        self.assertTrue(all(q.vote_count > 0 for q in questions))
        self.assertIn(amara, [q.author for q in questions])
        self.assertIn(thread.title, [e.title for e in my_calendar(amara, now=NOW)])

    def test_the_sponsor_sees_the_programmes_figures_and_nobodys_name_or_words(self) -> None:
        from django.urls import reverse

        from demo.seed import DEMO_NAMES

        helena = User.objects.get(email="sponsor@northwind.example")
        self.assertEqual(helena.membership.role, Role.SPONSOR)
        self.assertFalse(Enrollment.objects.filter(user=helena).exists())
        self.client.force_login(helena)
        home = self.client.get(reverse("home"))
        self.assertContains(home, content.PROGRAMME_TITLE)
        self.assertContains(home, "<dt>Enrolled</dt>")  # the seed solved the snapshot
        self.assertNotContains(home, "No figures yet")
        cohort = Cohort.objects.filter(organization=self.organization).order_by("start_date")[0]
        program_id = cohort.program.public_id
        pages = [
            home,
            self.client.get(reverse("analytics:dashboard", args=[program_id])),
            self.client.get(reverse("analytics:dashboard_csv", args=[program_id])),
            self.client.get(reverse("analytics:connections", args=[program_id])),
        ]
        learner_names = User.objects.filter(
            enrollments__cohort__organization=self.organization
        ).values_list("full_name", flat=True)
        for page in pages:
            self.assertEqual(page.status_code, 200)
            body = page.content.decode()
            for email, name in DEMO_NAMES.items():
                if email != helena.email:
                    self.assertNotIn(name, body)
            for name in learner_names:
                self.assertNotIn(name, body)

    def test_nobody_in_the_demo_is_a_platform_operator(self) -> None:
        # Designers and admins reach the studio through their role, not through is_staff.
        self.assertFalse(User.objects.filter(is_staff=True).exists())
        self.assertFalse(User.objects.filter(is_superuser=True).exists())
        staff_roles = Membership.objects.filter(
            organization=self.organization, role__in=[Role.DESIGNER, Role.ADMIN]
        )
        self.assertEqual(
            set(staff_roles.values_list("user__email", flat=True)),
            {"designer@northwind.example", "admin@northwind.example"},
        )

    def test_a_second_run_changes_nothing(self) -> None:
        before = (User.objects.count(), Event.objects.count(), ActivityProgress.objects.count())
        output = _run("--learners", "10", "--short-media")
        self.assertIn("already exists; nothing changed", output)
        after = (User.objects.count(), Event.objects.count(), ActivityProgress.objects.count())
        self.assertEqual(before, after)

    def test_check_says_the_demo_exists(self) -> None:
        # Last year's cohort of the programme (demo.assessments) is the fourth.
        self.assertIn(f"exists: {40 + PREVIOUS_COHORT_SIZE} learners in 4 cohorts", _run("--check"))

    def test_show_sign_ins_prints_the_url_the_people_and_the_password(self) -> None:
        users = User.objects.count()
        output = _run("--show-sign-ins", "--url", "http://demo.example:8000/")
        self.assertTrue(output.startswith("Rapport demo: http://demo.example:8000/"))
        for role, email in DEMO_SIGN_INS:
            self.assertRegex(output, rf"{role}\s+{re.escape(email)}")
        self.assertTrue(output.rstrip().endswith(f"Password for all of them: {DEMO_PASSWORD}"))
        self.assertEqual(User.objects.count(), users)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class SeedLifecycleTests(TestCase):
    def test_check_exits_with_status_one_before_seeding(self) -> None:
        with pytest.raises(CommandError) as raised:
            _run("--check")
        assert raised.value.returncode == 1
        self.assertFalse(Organization.objects.exists())

    def test_the_command_seeds_then_reset_starts_again(self) -> None:
        output = _run("--learners", "12", "--short-media")
        self.assertIn("Seeded 12 learners", output)
        self.assertIn("learner@northwind.example", output)  # the sign-ins follow
        first_ids = set(User.objects.values_list("pk", flat=True))
        old_files = [Path(activity.media.path) for activity in Activity.objects.exclude(media="")]
        self.assertEqual(len(old_files), 4)

        with self.captureOnCommitCallbacks(execute=True):  # files go once the delete commits
            output = _run("--reset", "--learners", "15", "--short-media")
        self.assertIn("deleted", output)
        self.assertEqual(Organization.objects.count(), 1)
        self.assertFalse(User.objects.filter(pk__in=first_ids).exists())
        self.assertEqual(
            Enrollment.objects.filter(role=EnrollmentRole.LEARNER).count(),
            15 + PREVIOUS_COHORT_SIZE,
        )
        self.assertFalse(any(path.exists() for path in old_files))

    def test_reset_removes_the_people_and_leaves_other_organisations_alone(self) -> None:
        other = Organization.objects.create(name="Contoso", slug="contoso")
        outsider = User.objects.create_user("someone@contoso.example", "a-long-password-1")
        Membership.objects.create(organization=other, user=outsider)
        seed_demo(SeedOptions(learners=6, short_media=True, now=NOW))
        self.assertTrue(reset_demo())
        self.assertEqual(list(Organization.objects.all()), [other])
        self.assertEqual(list(User.objects.all()), [outsider])
        self.assertFalse(Event.objects.exists())
        self.assertFalse(reset_demo())

    def test_event_history_spreads_events_over_the_requested_days(self) -> None:
        # Just after midnight UTC, when the Americas' evening is still "yesterday" there.
        early = NOW.replace(hour=1, minute=10)
        result = seed_demo(SeedOptions(learners=12, short_media=True, event_days=120, now=early))
        events = Event.objects.filter(organization=result.organization)
        progress_events = ActivityProgress.objects.count() * 2
        self.assertGreater(events.count(), progress_events)
        # The rate is of the 12 learners asked for: last year's cohort (PREVIOUS_COHORT_SIZE
        # more people, seeded for the year-later assessments) and the staff are not among them.
        last_year = Cohort.objects.order_by("start_date").first()
        theirs = events.filter(
            actor__enrollments__role=EnrollmentRole.LEARNER,
        ).exclude(actor__enrollments__cohort=last_year)
        self.assertEqual(
            theirs.values("actor").distinct().count(),
            Enrollment.objects.filter(role=EnrollmentRole.LEARNER)
            .exclude(cohort=last_year)
            .values("user")
            .distinct()
            .count(),
        )
        per_learner_per_year = theirs.distinct().count() / 12 * 365 / 120
        # Up to 140: in a 12-learner demo, the community's twelve hellos (demo.discussions,
        # HELLOS) are one comment from nearly every learner, about 3 a year each over 120 days.
        self.assertTrue(40 <= per_learner_per_year <= 140, per_learner_per_year)
        oldest = events.order_by("timestamp").first()
        assert oldest is not None
        self.assertLess(oldest.timestamp, early - timedelta(days=90))
        self.assertFalse(events.filter(timestamp__gt=early).exists())
        # Before a learner's cohort started, their activity is not attributed to the cohort
        # (their registration for it, made before it starts, is).
        self.assertTrue(events.filter(cohort=None).exists())
        activity = events.exclude(verb=Verb.REGISTERED)
        self.assertFalse(activity.filter(timestamp__lt=F("cohort__start_date")).exists())
        self.assertEqual(
            events.filter(verb=Verb.REGISTERED).count(),
            Enrollment.objects.filter(organization=result.organization).count(),
        )

    def test_bad_options_get_a_clear_message(self) -> None:
        with pytest.raises(CommandError, match="at least 2"):
            _run("--learners", "1")


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class SeedWritePathTests(TestCase):
    def test_last_years_classmates_draw_from_a_stream_of_their_own(self) -> None:
        # The seeder's shared stream is where it was before their journeys were planned, so
        # adding them moved no later draw (this year's people, progress and events, whatever
        # is seeded after them); their own stream is the same on every run.
        shared: list[bool] = []
        journeys = _Seeder._classmates_journeys

        def spy(seeder: _Seeder, *args: Any) -> None:
            before = seeder.rng.getstate()
            journeys(seeder, *args)
            shared.append(seeder.rng.getstate() == before)

        with mock.patch.object(_Seeder, "_classmates_journeys", spy):
            seed_demo(SeedOptions(learners=6, short_media=True, now=NOW))
        self.assertEqual(shared, [True])
        previous = Cohort.objects.get(name__startswith="Cohort 2025")
        self.assertGreater(ActivityProgress.objects.filter(enrollment__cohort=previous).count(), 0)
        self.assertEqual(classmates_rng(7).random(), classmates_rng(7).random())
        self.assertNotEqual(classmates_rng(7).random(), classmates_rng(8).random())

    def test_memberships_and_enrolments_are_made_only_by_the_write_actions(self) -> None:
        with (
            mock.patch("demo.seed.add_members", wraps=add_members) as adding,
            mock.patch("demo.seed.enroll_many", wraps=enroll_many) as enrolling,
        ):
            organization = seed_demo(
                SeedOptions(learners=6, short_media=True, now=NOW)
            ).organization
        added = sum(len(call.kwargs["people"]) for call in adding.call_args_list)
        seated = sum(len(call.kwargs["seats"]) for call in enrolling.call_args_list)
        self.assertEqual(Membership.objects.filter(organization=organization).count(), added)
        self.assertEqual(Enrollment.objects.filter(organization=organization).count(), seated)
        # The demo's people sign in with the shared password: nobody is sent an invitation.
        self.assertFalse(any(call.kwargs["invite"] for call in adding.call_args_list))


def test_cohort_plans_cap_the_size_and_spread_the_start_dates() -> None:
    wednesday = date(2026, 3, 18)
    plans = plan_cohorts(SeedOptions(learners=60), today=wednesday)
    assert [p.size for p in plans] == [20, 20, 20]
    assert [p.start for p in plans] == [date(2026, 2, 23), date(2026, 3, 9), date(2026, 3, 23)]
    big = plan_cohorts(SeedOptions(learners=100_000, cohort_size=4500), today=wednesday)
    assert len(big) == 23
    assert sum(p.size for p in big) == 100_000
    assert [p.size for p in big[:22]] == [4500] * 22  # the reference 4,500-learner cohort
    assert big[-1].size == 1000
    assert len({p.start for p in big}) == 12
    one = plan_cohorts(SeedOptions(learners=4500, cohorts=1), today=wednesday)
    assert [p.size for p in one] == [4500]


def test_people_are_deterministic_diverse_and_have_ascii_emails() -> None:
    first = list(PeopleGenerator(7).people(200))
    assert first == list(PeopleGenerator(7).people(200))
    assert first != list(PeopleGenerator(8).people(200))
    assert len({p.email for p in first}) == 200
    assert all(p.email.isascii() for p in first)
    assert len({p.region for p in first[:30]}) >= 8
    assert any(not p.full_name.isascii() for p in first)  # names keep their accents


def test_the_content_is_original_and_complete() -> None:
    activities = [a for week in content.WEEKS for a in week.activities]
    assert 24 <= len(activities) <= 28
    assert {a.kind for a in activities} == set(ActivityKind)
    names = {c.name for c in content.COMPETENCIES}
    assert all(set(a.competencies) <= names for a in activities)
    assert all(a.media in {"", *content.VIDEO_SCRIPTS, "calm-breathing", "listening-practice"}
               for a in activities)  # fmt: skip
    # Judging phrasing has no place in a question to a learner.
    for activity in activities:
        for phrase in ("you should", "why didn't you", "failed to", "obviously"):
            assert phrase not in activity.body.lower(), (activity.title, phrase)


@pytest.mark.django_db
def test_the_full_length_podcast_is_a_real_ogg_opus_file() -> None:
    asset = build_media("calm-breathing")
    data = asset.path.read_bytes()
    assert data.startswith(b"OggS")
    assert len(data) > 150_000
    assert 45 <= _ogg_seconds(data) <= 90
    assert abs(_ogg_seconds(data) - asset.duration) < 0.5
    assert asset.captions.startswith("WEBVTT")
    assert "breathe in" in asset.captions and "Breathe out" in asset.transcript


@pytest.mark.django_db
def test_media_that_does_not_play_as_long_as_its_captions_is_refused() -> None:
    asset = build_media("listening-practice", short=True)
    assert measured_seconds(asset.path, expected=asset.duration) == asset.duration
    with pytest.raises(MediaError, match="plays for"):
        measured_seconds(asset.path, expected=asset.duration + 5)


def test_a_media_activity_takes_its_minutes_from_its_file_and_only_it() -> None:
    with pytest.raises(ValueError, match="takes its minutes from its file"):
        ActivitySpec(ActivityKind.VIDEO, "Film", "", "", 3, (), media="connection-first")
    with pytest.raises(ValueError, match="takes its minutes from its file"):
        ActivitySpec(ActivityKind.ARTICLE, "Text", "", "", None, ())
