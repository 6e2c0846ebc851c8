"""Missions: plan (in the learner's own time zone) → do → reflect, the reminder at the planned
time (exactly once), and the confidentiality of everything typed (at rest, in the export)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import sections
from events.models import Event, Verb
from notifications.models import Notification, NotificationKind
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase, raw_database_dump
from reflections.models import Entry, EntryView, JournalDraft, MissionPlan
from reflections.tasks import send_mission_reminders
from reflections.tests.helpers import free_entry, mission_reflection

PLAN_SECRET = "Ask Priya how the reorganisation really landed for her"


class MissionFlowTests(PersonaTestCase):
    def setUp(self) -> None:
        self.mission = self.first_activity(ActivityKind.MISSION)
        self.args = [self.cohort_a.public_id, self.mission.public_id]
        self.page = reverse("cohorts:activity", args=self.args)

    def plan(self, when: str, **extra: str):  # type: ignore[no-untyped-def]
        self.client.force_login(self.alice)
        data = {"planned_for": when, "with_whom": "Someone in my team", **extra}
        data.setdefault("what_i_will_try", PLAN_SECRET)
        return self.client.post(reverse("reflections:plan", args=self.args), data)

    def local(self, delta: timedelta) -> str:
        """A wall time in alice's zone (Europe/London), as a datetime-local input sends it."""
        return (
            (timezone.now() + delta)
            .astimezone(ZoneInfo("Europe/London"))
            .strftime("%Y-%m-%dT%H:%M")
        )

    def test_the_mission_page_walks_plan_do_reflect(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(self.page)
        self.assertContains(page, "Plan, do, reflect")
        self.assertContains(page, 'aria-current="step"')
        self.assertContains(page, "In your own time zone, Europe/London")
        response = self.plan(self.local(timedelta(days=2)))
        self.assertRedirects(response, self.page + "#mission", fetch_redirect_response=False)
        page = self.client.get(self.page)
        self.assertContains(page, "Planned for")
        self.assertContains(page, PLAN_SECRET)  # editable
        journal = self.client.get(reverse("reflections:journal"))
        self.assertContains(journal, "Missions you planned")
        self.assertContains(journal, self.mission.title)
        self.assertEqual(Event.objects.filter(verb=Verb.PLANNED, actor=self.alice).count(), 1)
        response = self.client.post(
            reverse("reflections:reflect", args=self.args),
            {"happened": "We talked for twenty minutes.", "learned": "Silence helps."},
        )
        entry = Entry.objects.get(author=self.alice, kind="mission")
        self.assertRedirects(response, reverse("reflections:entry", args=[entry.public_id]))
        self.assertContains(self.client.get(self.page), "You reflected on this mission.")

    def test_the_time_is_read_in_the_learners_own_zone(self) -> None:
        self.bob.refresh_from_db()  # Asia/Tokyo
        self.client.force_login(self.bob)
        when = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("Asia/Tokyo"))
        typed = when.strftime("%Y-%m-%dT%H:%M")
        self.client.post(
            reverse("reflections:plan", args=self.args),
            {"planned_for": typed, "with_whom": "A peer", "what_i_will_try": "Listen"},
        )
        plan = MissionPlan.objects.get(author=self.bob)
        expected = datetime.strptime(typed, "%Y-%m-%dT%H:%M").replace(tzinfo=ZoneInfo("Asia/Tokyo"))
        self.assertEqual(plan.planned_for, expected)
        self.assertEqual(plan.time_zone, "Asia/Tokyo")

    def test_a_plan_submitted_twice_is_one_plan(self) -> None:
        when = self.local(timedelta(days=2))
        self.plan(when)
        self.plan(when)
        self.assertEqual(MissionPlan.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.PLANNED).count(), 1)

    def test_a_time_that_has_passed_is_refused_and_the_text_kept(self) -> None:
        response = self.plan(self.local(-timedelta(hours=2)))
        self.assertContains(response, "That time has passed", status_code=400)
        self.assertContains(response, PLAN_SECRET, status_code=400)
        self.assertFalse(MissionPlan.objects.exists())
        draft = JournalDraft.objects.get(user=self.alice)
        self.assertEqual(json.loads(draft.fields)["what_i_will_try"], PLAN_SECRET)

    def test_bad_plans_are_refused(self) -> None:
        for when, extra in (
            ("", {}),
            ("tomorrow", {}),
            ("2026-13-45T25:00", {}),
            (self.local(timedelta(days=1)), {"what_i_will_try": ""}),
            (self.local(timedelta(days=1)), {"with_whom": "x" * 301}),
            (self.local(timedelta(days=1)), {"what_i_will_try": "x" * 5001}),
        ):
            self.assertEqual(self.plan(when, **extra).status_code, 400, (when, extra))
        self.assertFalse(MissionPlan.objects.exists())

    def test_a_reflection_with_no_answer_is_refused(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("reflections:reflect", args=self.args), {"happened": "  "}
        )
        self.assertContains(response, "Answer at least one", status_code=400)
        self.assertFalse(Entry.objects.exists())

    def test_a_refused_reflection_sent_after_one_was_saved_keeps_its_text(self) -> None:
        # Two tabs: the reflection was saved in one; the other sends a refused rewrite.
        self.client.force_login(self.alice)
        url = reverse("reflections:reflect", args=self.args)
        self.client.post(url, {"happened": "We talked.", "visibility": "private"})
        response = self.client.post(
            url, {"happened": "x" * 5001, "learned": "Silence helps, and a second question."}
        )
        self.assertContains(response, "Silence helps, and a second question.", status_code=400)
        self.assertEqual(Entry.objects.get(author=self.alice).happened, "We talked.")

    def test_only_the_cohorts_learners_plan_and_other_kinds_are_not_missions(self) -> None:
        for person in (self.carol, self.dora):  # the coach; a designer previewing
            self.client.force_login(person)
            url = reverse("reflections:plan", args=self.args)
            self.assertEqual(self.client.post(url, {}).status_code, 403, person)
        for person in (self.dave, self.oscar, self.erin):
            self.client.force_login(person)
            url = reverse("reflections:plan", args=self.args)
            self.assertEqual(self.client.post(url, {}).status_code, 404, person)
        video = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.alice)
        url = reverse("reflections:mission", args=[self.cohort_a.public_id, video.public_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(MissionPlan.objects.exists())


class ReminderTests(PersonaTestCase):
    def setUp(self) -> None:
        from reflections.actions import plan_mission
        from reflections.tests.helpers import outline, seat_of

        self.mission = self.first_activity(ActivityKind.MISSION)
        self.when = timezone.now() + timedelta(hours=3)
        self.plan, _ = plan_mission(
            seat_of(self.alice, self.cohort_a),
            activity=outline(self.alice, self.cohort_a, self.mission),
            planned_for=self.when,
            time_zone="Europe/London",
            with_whom="A new colleague",
            what_i_will_try=PLAN_SECRET,
        )

    def test_the_reminder_comes_at_the_planned_time_exactly_once(self) -> None:
        self.assertEqual(send_mission_reminders(now=self.when - timedelta(minutes=1)), 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_mission_reminders(now=self.when), 1)
        self.assertEqual(send_mission_reminders(now=self.when + timedelta(minutes=5)), 0)
        note = Notification.objects.get(recipient=self.alice)
        self.assertEqual(note.kind, NotificationKind.MISSION_REMINDER)
        self.assertEqual(note.place, self.mission.title)
        self.assertTrue(note.url.endswith("#mission"))
        for message in mail.outbox:
            self.assertNotIn(PLAN_SECRET, message.body)

    def test_moving_the_time_rearms_the_reminder(self) -> None:
        from reflections.actions import plan_mission
        from reflections.tests.helpers import outline, seat_of

        send_mission_reminders(now=self.when)
        later = self.when + timedelta(days=1)
        plan_mission(
            seat_of(self.alice, self.cohort_a),
            activity=outline(self.alice, self.cohort_a, self.mission),
            planned_for=later,
            time_zone="Europe/London",
            with_whom="A new colleague",
            what_i_will_try=PLAN_SECRET,
        )
        self.assertEqual(send_mission_reminders(now=later), 1)
        self.assertEqual(Notification.objects.filter(recipient=self.alice).count(), 2)

    def test_no_reminder_once_reflected(self) -> None:
        mission_reflection(self.alice, self.cohort_a, self.mission, happened="Done early.")
        self.assertEqual(send_mission_reminders(now=self.when), 0)
        self.assertIsNotNone(MissionPlan.objects.get().reminded_at)

    def test_run_periodic_sends_the_reminders(self) -> None:
        self.plan.planned_for = timezone.now() - timedelta(minutes=1)
        self.plan.save()
        call_command("run_periodic", verbosity=0)
        self.assertEqual(Notification.objects.filter(kind="mission_reminder").count(), 1)


class PersonalDataTests(PersonaTestCase):
    def test_export_and_erase_cover_the_journal(self) -> None:
        section = next(s for s in sections() if s.key == "reflections")
        entry = free_entry(self.alice, self.cohort_a, body="Mine to keep", visibility="coach")
        free_entry(self.bob, self.cohort_a, body="Bob's thoughts", visibility="cohort")
        EntryView.objects.create(entry=entry, viewer=self.carol)
        rows = section.export(self.alice)
        text = json.dumps(rows)
        self.assertIn("Mine to keep", text)
        self.assertNotIn("Bob's thoughts", text)
        self.assertIn("Carol", text)
        self.assertGreaterEqual(section.erase(self.alice), 2)
        self.assertFalse(Entry.objects.filter(author=self.alice).exists())
        self.assertEqual(section.erase(self.alice), 0)
        self.assertTrue(Entry.objects.filter(author=self.bob).exists())


SENTENCES = (
    "Cardamom-lighthouse: I realised I interrupt when I am anxious",
    "Velvet-harbour plan: walk with Tomasz after standup",
    "Juniper-kettle draft that I never sent",
)


@pytest.mark.django_db(transaction=True)
def test_nothing_typed_is_in_a_raw_dump_of_the_database() -> None:
    from cohorts.actions import enroll
    from rapport.testing import make_cohort, make_org, make_program, make_user
    from reflections.actions import plan_mission, save_draft, write_entry
    from reflections.tests.helpers import outline, seat_of

    org = make_org("Dump Test Org")
    program = make_program(org, weeks=1, per_week=7)
    cohort = make_cohort(program)
    learner = make_user(org, "learner@dump.example")
    enroll(learner, cohort=cohort)
    mission = program.weeks.get().activities.get(kind=ActivityKind.MISSION)
    seat = seat_of(learner, cohort)
    write_entry(seat, kind="free", title="Cardamom title", body=SENTENCES[0])
    plan_mission(
        seat,
        activity=outline(learner, cohort, mission),
        planned_for=timezone.now() + timedelta(days=1),
        time_zone="UTC",
        with_whom="Tomasz",
        what_i_will_try=SENTENCES[1],
    )
    save_draft(learner, key="new", fields={"body": SENTENCES[2]})
    dump = raw_database_dump()
    assert b"Dump Test Org" in dump  # the dump is real
    for sentence in (*SENTENCES, "Cardamom title"):
        assert sentence.encode() not in dump, sentence
