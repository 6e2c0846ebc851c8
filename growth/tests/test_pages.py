"""The growth pages for their owner: each says "Only you can see this", saves what is typed,
answers bad input with a form error (400) that keeps the text and changes nothing, and makes
one row per submission however often it is sent."""

import uuid
from datetime import timedelta

from django.urls import reverse

from growth import actions
from growth.models import (
    Belief,
    Charter,
    ConversationDebrief,
    ConversationPlan,
    Goal,
    GoalStatus,
    GrowthProfile,
    MoodCheckIn,
    Routine,
    RoutineCheckIn,
)
from growth.tests.base import SECRET, GrowthTestCase
from organizations.models import Behaviour
from rapport.lib.timezones import local_today

ONLY_YOU = "Only you can see this."


class OwnPagesTests(GrowthTestCase):
    def test_every_page_about_my_items_says_only_i_can_see_it(self) -> None:
        ids = self.make_alices_items()
        self.client.force_login(self.alice)
        pages = [
            ("growth:index", []),
            ("growth:mindset", []),
            ("growth:charters", []),
            ("growth:conversations", []),
            ("growth:check_in", []),
            ("growth:goal", [ids["goal_id"]]),
            ("growth:belief", [ids["belief_id"]]),
            ("growth:charter", [ids["charter_id"]]),
            ("growth:conversation", [ids["plan_id"]]),
            ("growth:debrief", [ids["plan_id"]]),
        ]
        for name, args in pages:
            with self.subTest(name):
                response = self.client.get(reverse(name, args=args))
                self.assertContains(response, ONLY_YOU)

    def test_my_growth_shows_my_text_my_picks_and_my_goals(self) -> None:
        self.make_alices_items()
        actions.pick_behaviours(self.alice, behaviours=[self.behaviour])
        self.client.force_login(self.alice)
        response = self.client.get(reverse("growth:index"))
        self.assertContains(response, SECRET["wiifm"])
        self.assertContains(response, SECRET["goal"].replace("'", "&#39;"))
        self.assertContains(response, f'value="{self.behaviour.pk}" checked')
        self.assertContains(response, "Working on it")

    def test_the_leadership_model_is_the_default_communication_skills_one(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("growth:model"))
        for name in ("Listen fully", "Give effective feedback", "Build genuine relationships"):
            self.assertContains(response, name)
        self.assertContains(response, "Plays back what they heard")
        self.assertNotContains(response, "Import a leadership model")  # admins only


class GoalTests(GrowthTestCase):
    def post_goal(self, **data: object) -> object:
        return self.client.post(reverse("growth:goal_new"), data)

    def test_a_goal_is_saved_once_however_often_the_form_is_sent(self) -> None:
        self.client.force_login(self.alice)
        submission = str(uuid.uuid4())
        data = {"submission": submission, "title": "Listen first", "behaviour": self.behaviour.pk}
        for _ in range(3):
            response = self.post_goal(**data)
            self.assertRedirects(response, reverse("growth:index"))
        goal = Goal.objects.get(owner=self.alice)
        self.assertEqual(goal.title, "Listen first")
        self.assertEqual(goal.behaviour, self.behaviour)

    def test_another_organisations_behaviour_is_refused_and_the_text_kept(self) -> None:
        self.client.force_login(self.alice)
        response = self.post_goal(
            submission=str(uuid.uuid4()), title="Keep me", behaviour=self.foreign_behaviour.pk
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose a behaviour from the list.", status_code=400)
        self.assertContains(response, "Keep me", status_code=400)
        self.assertFalse(Goal.objects.exists())

    def test_oversize_and_invalid_values_are_form_errors(self) -> None:
        self.client.force_login(self.alice)
        cases = [
            {"title": "x" * 201},
            {"title": ""},
            {"title": "ok", "target_date": "next tuesday"},
            {"title": "ok", "behaviour": "not-a-number"},
            {"title": "ok", "submission": "not-a-uuid"},
        ]
        for data in cases:
            with self.subTest(data):
                response = self.post_goal(**data)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Goal.objects.exists())

    def test_editing_a_goal_changes_its_status_and_refuses_an_unknown_one(self) -> None:
        goal, _ = actions.create_goal(self.alice, submission=None, title="Ask before advising")
        self.client.force_login(self.alice)
        url = reverse("growth:goal", args=[goal.public_id])
        response = self.client.post(url, {"title": "Ask first", "status": "done-ish"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Ask first", status_code=400)
        goal.refresh_from_db()
        self.assertEqual(goal.title, "Ask before advising")
        response = self.client.post(url, {"title": "Ask first", "status": GoalStatus.ACHIEVED})
        self.assertRedirects(response, reverse("growth:index"))
        goal.refresh_from_db()
        self.assertEqual((goal.title, goal.status), ("Ask first", GoalStatus.ACHIEVED))

    def test_deleting_a_goal_twice_is_a_404_the_second_time(self) -> None:
        goal, _ = actions.create_goal(self.alice, submission=None, title="One")
        self.client.force_login(self.alice)
        url = reverse("growth:goal_delete", args=[goal.public_id])
        self.assertRedirects(self.client.post(url), reverse("growth:index"))
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertFalse(Goal.objects.exists())

    def test_whats_in_it_for_me_and_picks(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("growth:whats_in_it"), {"text": "x" * 2001})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(GrowthProfile.objects.exists())
        self.client.post(reverse("growth:whats_in_it"), {"text": "Calmer Mondays"})
        self.assertEqual(GrowthProfile.objects.get().whats_in_it_for_me, "Calmer Mondays")
        picks = list(Behaviour.objects.filter(organization=self.org)[:2])
        response = self.client.post(reverse("growth:picks"), {"behaviours": [b.pk for b in picks]})
        self.assertRedirects(response, reverse("growth:index"))
        self.assertEqual(set(GrowthProfile.objects.get().behaviours.all()), set(picks))
        response = self.client.post(
            reverse("growth:picks"), {"behaviours": [self.foreign_behaviour.pk]}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(GrowthProfile.objects.get().behaviours.all()), set(picks))


class MindsetTests(GrowthTestCase):
    def setUp(self) -> None:
        self.belief, _ = actions.create_belief(
            self.alice, submission=None, belief="I must answer at once", principle="Calm first"
        )
        self.routine, _ = actions.add_routine(
            self.alice, belief=self.belief, submission=None, text="Breathe before replying"
        )
        self.client.force_login(self.alice)

    def test_a_check_in_is_one_tap_and_a_second_tap_changes_the_answer(self) -> None:
        url = reverse("growth:routine_check_in", args=[self.routine.public_id])
        response = self.client.post(url, {"done": "yes"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Done on 1 of the last 7 days")
        self.assertContains(response, "data-announce")
        response = self.client.post(url, {"done": "no", "note": "Long day"})
        self.assertRedirects(response, reverse("growth:mindset"))
        check_in = RoutineCheckIn.objects.get()
        self.assertEqual((check_in.done, check_in.note), (False, "Long day"))
        self.assertEqual(check_in.period, local_today(self.alice.time_zone))

    def test_a_bad_check_in_is_refused_with_a_message_and_keeps_the_note(self) -> None:
        url = reverse("growth:routine_check_in", args=[self.routine.public_id])
        response = self.client.post(
            url, {"done": "maybe", "note": "kept words"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose “Did it” or “Not today”.", status_code=400)
        self.assertContains(response, "kept words", status_code=400)
        self.assertFalse(RoutineCheckIn.objects.exists())
        # Without JavaScript the whole page comes back, with the message on that routine.
        response = self.client.post(url, {"note": "still kept"})
        self.assertContains(response, "Choose “Did it” or “Not today”.", status_code=400)
        self.assertContains(response, "still kept", status_code=400)
        self.assertFalse(RoutineCheckIn.objects.exists())

    def test_streaks_are_gentle(self) -> None:
        today = local_today(self.alice.time_zone)
        for days_ago in (0, 2, 5, 20):
            actions.check_in_routine(
                self.alice,
                routine=self.routine,
                period=today - timedelta(days=days_ago),
                done=days_ago != 2,
            )
        response = self.client.get(reverse("growth:mindset"))
        self.assertContains(response, "Done on 2 of the last 7 days")
        text = response.content.decode().lower()
        for harsh in ("missed", "broken", "streak lost", "failed", "notice--error"):
            self.assertNotIn(harsh, text)

    def test_a_weekly_routine_counts_weeks(self) -> None:
        weekly, _ = actions.add_routine(
            self.alice,
            belief=self.belief,
            submission=None,
            text="Walk-and-talk 1:1",
            cadence="weekly",
        )
        url = reverse("growth:routine_check_in", args=[weekly.public_id])
        self.client.post(url, {"done": "yes"})
        self.client.post(url, {"done": "yes"})
        self.assertEqual(RoutineCheckIn.objects.filter(routine=weekly).count(), 1)
        self.assertEqual(RoutineCheckIn.objects.get(routine=weekly).period.weekday(), 0)
        self.assertContains(
            self.client.get(reverse("growth:mindset")), "Done in 1 of the last 4 weeks"
        )

    def test_a_routine_needs_text_and_a_known_cadence(self) -> None:
        url = reverse("growth:routine_new", args=[self.belief.public_id])
        response = self.client.post(url, {"text": "Daily walk", "cadence": "hourly"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose every day or every week.", status_code=400)
        self.assertContains(response, "Daily walk", status_code=400)
        self.assertEqual(Routine.objects.count(), 1)

    def test_deleting_a_belief_deletes_its_routines(self) -> None:
        url = reverse("growth:belief_delete", args=[self.belief.public_id])
        self.assertRedirects(self.client.post(url), reverse("growth:mindset"))
        self.assertFalse(Belief.objects.exists())
        self.assertFalse(Routine.objects.exists())


class CharterAndConversationTests(GrowthTestCase):
    def test_a_charter_is_drafted_once_and_printed(self) -> None:
        self.client.force_login(self.alice)
        data = {
            "submission": str(uuid.uuid4()),
            "team": "Harbour crew",
            "how_we_meet": "Cameras on",
            "feedback": "Soon and kind",
        }
        first = self.client.post(reverse("growth:charters"), data)
        second = self.client.post(reverse("growth:charters"), data)
        charter = Charter.objects.get()
        self.assertEqual(first["Location"], second["Location"])
        response = self.client.get(reverse("growth:charter_print", args=[charter.public_id]))
        self.assertContains(response, "Harbour crew")
        self.assertContains(response, "How we give feedback")
        self.assertNotContains(response, "Our attention")  # empty sections are left out
        self.assertContains(response, "charter-print.css")

    def test_the_charter_page_offers_suggestions(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("growth:charters"))
        self.assertContains(response, "Notifications off and other windows closed")
        self.assertContains(response, "data-suggest-for")

    def test_a_charter_without_a_team_is_refused_and_keeps_the_text(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("growth:charters"), {"team": "", "how_we_meet": "Keep this"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Keep this", status_code=400)
        self.assertFalse(Charter.objects.exists())

    def _plan_the_late_reports(self, *, times: int = 1) -> ConversationPlan:
        """Alice plans a conversation through the page, sending the same form `times` times;
        the plan made."""
        self.client.force_login(self.alice)
        data = {
            "submission": str(uuid.uuid4()),
            "subject": "The late reports",
            "purpose": "Get us back in step",
            "planned_for": "2027-01-12",
        }
        for _ in range(times):
            self.client.post(reverse("growth:conversations"), data)
        return ConversationPlan.objects.get()

    def test_a_plan_submitted_twice_is_one_plan_and_its_debrief_links_back(self) -> None:
        plan = self._plan_the_late_reports(times=2)
        url = reverse("growth:debrief", args=[plan.public_id])
        response = self.client.post(url, {"what_happened": "We talked", "next_time": "x" * 2001})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "We talked", status_code=400)
        self.assertFalse(ConversationDebrief.objects.exists())
        response = self.client.post(url, {"what_happened": "We talked"})
        self.assertRedirects(response, reverse("growth:conversation", args=[plan.public_id]))
        self.client.post(url, {"what_happened": "We talked, calmly"})
        self.assertEqual(ConversationDebrief.objects.get().what_happened, "We talked, calmly")
        page = self.client.get(reverse("growth:conversation", args=[plan.public_id]))
        self.assertContains(page, "We talked, calmly")
        self.assertContains(page, "Edit the debrief")

    def test_a_behaviour_id_no_database_can_hold_is_a_form_error(self) -> None:
        actions.pick_behaviours(self.alice, behaviours=[self.behaviour])
        self.client.force_login(self.alice)
        response = self.client.post(reverse("growth:picks"), {"behaviours": "9" * 30})
        self.assertContains(response, "Choose behaviours from the list.", status_code=400)
        self.assertEqual(list(GrowthProfile.objects.get().behaviours.all()), [self.behaviour])

    def test_a_plan_not_yet_debriefed_opens_with_the_way_to_debrief_it(self) -> None:
        plan = self._plan_the_late_reports()
        page = self.client.get(reverse("growth:conversation", args=[plan.public_id]))
        self.assertContains(page, "The late reports")
        self.assertContains(page, reverse("growth:debrief", args=[plan.public_id]))


class MoodTests(GrowthTestCase):
    def test_a_check_in_takes_two_taps_and_shows_in_my_trend(self) -> None:
        self.client.force_login(self.alice)
        data = {"submission": str(uuid.uuid4()), "feeling": "4", "energy": "2", "word": "busy"}
        self.assertRedirects(
            self.client.post(reverse("growth:check_in"), data), reverse("growth:check_in")
        )
        self.client.post(reverse("growth:check_in"), data)  # a double click
        mood = MoodCheckIn.objects.get()
        self.assertEqual((mood.feeling, mood.energy, mood.word), (4, 2, "busy"))
        response = self.client.get(reverse("growth:check_in"))
        self.assertContains(response, "<td>4.0</td><td>2.0</td>", html=False)
        self.assertContains(response, "<polyline")

    def test_values_off_the_scale_are_refused(self) -> None:
        self.client.force_login(self.alice)
        for feeling, energy in (("0", "3"), ("6", "3"), ("3", "x"), ("", "3")):
            response = self.client.post(
                reverse("growth:check_in"), {"feeling": feeling, "energy": energy, "note": "kept"}
            )
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "kept", status_code=400)
        self.assertFalse(MoodCheckIn.objects.exists())
