"""A coach's private session notes, the action plan both people keep, and the follow-up a
coach is offered after a session (never sent by itself)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.personal_data import build_export
from coaching.models import ActionItem, Booking, Message, SessionNote
from coaching.tests.base import CoachingTestCase
from coaching.tests.talk_helpers import add_item
from events.models import Event, ObjectType, Verb
from growth.tests.base import make_items
from organizations.actions import seed_default_framework
from organizations.models import Behaviour, Role
from rapport.testing import make_user

NOTE = "Alice seemed tired; her team changes in March"


class SessionNoteTests(CoachingTestCase):
    def test_the_coach_writes_a_note_the_learner_never_sees(self) -> None:
        booking = self.book(self.alice)
        url = reverse("talk:note", args=[booking.public_id])
        session = reverse("coaching:session", args=[booking.public_id])
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(session), "Learner cannot see this")
        self.assertRedirects(self.client.post(url, {"body": NOTE}), session)
        self.assertContains(self.client.get(session), NOTE)
        self.client.post(url, {"body": NOTE + " (edited)"})
        self.assertEqual(SessionNote.objects.get().body, NOTE + " (edited)")
        # Alice: not on her page, not in its HTML, and she cannot write one.
        self.client.force_login(self.alice)
        page = self.client.get(session)
        self.assertNotContains(page, "Alice seemed tired")
        self.assertNotContains(page, "Private note")
        self.assertEqual(self.client.post(url, {"body": "mine"}).status_code, 403)
        for person in (self.bob, self.adam, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url, {"body": "x"}).status_code, 404)
        self.assertEqual(SessionNote.objects.get().body, NOTE + " (edited)")
        self.assertNotIn("tired", str(build_export(self.alice)))
        self.assertIn("tired", str(build_export(self.carol)))

    def test_a_note_that_is_too_long_is_refused_with_the_text_kept(self) -> None:
        booking = self.book(self.alice)
        self.client.force_login(self.carol)
        body = "Long " * 4_001
        response = self.client.post(reverse("talk:note", args=[booking.public_id]), {"body": body})
        self.assertContains(response, "Long Long", status_code=400)
        self.assertFalse(SessionNote.objects.exists())


class ActionPlanTests(CoachingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_default_framework(cls.org)

    def test_both_add_items_and_mark_them_done(self) -> None:
        behaviour = Behaviour.objects.filter(organization=self.org).first()
        plan = reverse("talk:plan", args=[self.alice.public_id])
        self.client.force_login(self.carol)
        response = self.client.post(
            plan, {"text": "Ask one open question a day", "behaviour": behaviour.pk}
        )
        self.assertRedirects(response, plan)
        self.assertNotContains(self.client.get(plan), "One of your goals")  # coaches link none
        self.client.force_login(self.alice)
        her_plan = reverse("talk:plan", args=[self.carol.public_id])
        goal = make_items(self.alice, None)["goal_id"]
        from growth.models import Goal

        goal_row = Goal.objects.get(public_id=goal)
        self.client.post(her_plan, {"text": "Prepare Monday's talk", "goal": goal_row.pk})
        page = self.client.get(her_plan)
        self.assertContains(page, "Ask one open question a day")
        self.assertContains(page, behaviour.text)
        items = list(ActionItem.objects.order_by("id"))
        self.assertEqual(items[1].goal, goal_row)
        response = self.client.post(
            reverse("talk:item_status", args=[items[0].public_id]), {"done": "1"}
        )
        self.assertRedirects(response, her_plan)
        self.assertTrue(ActionItem.objects.get(pk=items[0].pk).is_done)
        verbs = Event.objects.filter(object_type=ObjectType.ACTION_ITEM).values_list(
            "verb", flat=True
        )
        self.assertEqual(sorted(verbs), sorted([Verb.COMMITTED, Verb.COMMITTED, Verb.COMPLETED]))
        # The coach sees the goal's title the learner chose to link.
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(plan), "Goal: " + goal_row.title.split("'")[0])

    def test_a_goal_that_is_not_the_learners_is_refused(self) -> None:
        bobs_goal = make_items(self.bob, None)["goal_id"]
        from growth.models import Goal

        row = Goal.objects.get(public_id=bobs_goal)
        self.client.force_login(self.alice)
        url = reverse("talk:plan", args=[self.carol.public_id])
        response = self.client.post(url, {"text": "Borrowed goal", "goal": row.pk})
        self.assertContains(response, "Borrowed goal", status_code=400)
        self.assertFalse(ActionItem.objects.exists())

    def test_outsiders_get_404_and_bad_input_400(self) -> None:
        item = add_item(self.alice, self.carol)
        url = reverse("talk:item_status", args=[item.public_id])
        for person in (self.bob, self.dave, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url, {"done": "1"}).status_code, 404)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url, {"done": "maybe"}).status_code, 400)
        self.assertEqual(
            self.client.post(
                reverse("talk:plan", args=[self.carol.public_id]), {"text": ""}
            ).status_code,
            400,
        )
        self.assertFalse(ActionItem.objects.get().is_done)
        # A coach who took over does not see the earlier coach's plan.
        gina = make_user(self.org, "gina@northwind.example", role=Role.COACH)
        from cohorts.models import Enrollment

        Enrollment.objects.filter(user=self.alice).update(coach=gina)
        self.client.force_login(gina)
        page = self.client.get(reverse("talk:plan", args=[self.alice.public_id]))
        self.assertNotContains(page, "Ask one open question a day")
        self.client.force_login(self.carol)
        self.assertEqual(self.client.post(url, {"done": "1"}).status_code, 404)
        self.client.force_login(self.alice)  # hers to read; no longer to change
        self.assertEqual(self.client.post(url, {"done": "1"}).status_code, 403)

    def test_the_plan_page_makes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("talk:plan", args=[self.carol.public_id])
        add_item(self.alice, self.carol)

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(captured)

        few = count()
        behaviours = list(Behaviour.objects.filter(organization=self.org)[:5])
        for index in range(20):
            add_item(self.carol, self.alice, f"Item {index}", behaviour=behaviours[index % 5])
        self.assertEqual(count(), few)


class FollowUpTests(CoachingTestCase):
    def test_after_a_session_the_coach_gets_a_draft_to_edit_never_sent(self) -> None:
        booking = self.book(self.alice)
        add_item(self.carol, self.alice, "Try the listening exercise with Sam")
        url = reverse("talk:follow_up", args=[booking.public_id])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(url).status_code, 403)  # not over yet
        Booking.objects.filter(pk=booking.pk).update(
            starts_at=booking.starts_at - timedelta(days=10),
            ends_at=booking.ends_at - timedelta(days=10),
        )
        session = self.client.get(reverse("coaching:session", args=[booking.public_id]))
        self.assertContains(session, url)
        response = self.client.get(url)
        self.assertContains(response, "- Try the listening exercise with Sam")
        self.assertContains(response, "Thank you for our conversation")
        self.assertFalse(Message.objects.exists())  # a draft only
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)
