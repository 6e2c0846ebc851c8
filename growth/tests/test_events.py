"""Each growth write records one event naming the item by its opaque id: never its text, never
how the person said they felt, and once per submission however often it is sent."""

import uuid

from events.models import Event, ObjectType, Verb
from events.xapi import statement_for
from growth import actions
from growth.models import GoalStatus
from growth.tests.base import SECRET, GrowthTestCase
from rapport.lib.timezones import local_today


class GrowthEventTests(GrowthTestCase):
    def test_each_write_records_one_event_without_text_or_scores(self) -> None:
        ids = self.make_alices_items()
        events = list(
            Event.objects.filter(actor=self.alice).exclude(verb=Verb.REGISTERED).order_by("id")
        )
        self.assertEqual(
            [(e.verb, e.object_type) for e in events],
            [
                (Verb.COMMITTED, ObjectType.GOAL),
                (Verb.PRACTISED, ObjectType.ROUTINE),
                (Verb.PLANNED, ObjectType.CONVERSATION),
                (Verb.REFLECTED, ObjectType.CONVERSATION),
                (Verb.CHECKED_IN, ObjectType.CHECK_IN),
            ],
        )
        self.assertEqual(events[0].object_id, ids["goal_id"])
        self.assertEqual(events[1].result, {"completion": True})
        self.assertEqual(events[4].result, {})  # no feeling, no energy
        for event in events:
            statement = repr(statement_for(event, base_url="https://rapport.example.com"))
            for sentence in SECRET.values():
                self.assertNotIn(sentence, statement)

    def test_a_resent_form_records_nothing_more_and_an_achieved_goal_records_once(self) -> None:
        submission = uuid.uuid4()
        goal, _ = actions.create_goal(self.alice, submission=submission, title="Listen")
        actions.create_goal(self.alice, submission=submission, title="Listen")
        day = local_today(self.alice.time_zone)
        mood = uuid.uuid4()
        actions.record_mood(self.alice, submission=mood, day=day, feeling=3, energy=3)
        actions.record_mood(self.alice, submission=mood, day=day, feeling=3, energy=3)
        actions.update_row(goal, status=GoalStatus.ACHIEVED)
        actions.update_row(goal, status=GoalStatus.ACHIEVED)
        verbs = list(
            Event.objects.filter(actor=self.alice)
            .exclude(verb=Verb.REGISTERED)
            .values_list("verb", flat=True)
        )
        self.assertEqual(sorted(verbs), sorted([Verb.COMMITTED, Verb.CHECKED_IN, Verb.ACHIEVED]))
