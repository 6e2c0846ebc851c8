"""Posting is recorded in the learning record: one `commented` event per post or reply, about
where it was made (the prompt, or the cohort for the community space and circles), never about
the post itself, so that the record holds no text and never ties a pseudonym to a person."""

from discussions import actions
from discussions.tests.test_thread_page import ThreadTestCase
from events.models import Event, ObjectType, Verb


class PostingEventTests(ThreadTestCase):
    def test_a_post_and_a_reply_each_record_commented_on_the_prompt(self) -> None:
        first = actions.create_post(self.thread, author=self.alice, body="My answer")
        actions.create_post(self.thread, author=self.bob, body="Thanks", parent=first)
        events = Event.objects.filter(verb=Verb.COMMENTED).order_by("pk")
        self.assertEqual(
            [(e.actor_id, e.object_type, e.object_id) for e in events],
            [
                (self.alice.pk, ObjectType.ACTIVITY, self.prompt.public_id),
                (self.bob.pk, ObjectType.ACTIVITY, self.prompt.public_id),
            ],
        )
        self.assertTrue(all(e.cohort_id == self.cohort_a.pk for e in events))

    def test_community_and_circle_posts_are_recorded_on_the_cohort(self) -> None:
        actions.create_post(self.community, author=self.alice, body="Hello all")
        actions.create_post(actions.circle_thread(self.circle_a), author=self.bob, body="Hi")
        objects = set(
            Event.objects.filter(verb=Verb.COMMENTED).values_list("object_type", "object_id")
        )
        self.assertEqual(objects, {(ObjectType.COHORT, self.cohort_a.public_id)})

    def test_a_pseudonymous_post_is_never_named_in_the_record(self) -> None:
        post = actions.create_post(
            self.thread, author=self.bob, body="Under a pseudonym", pseudonym="Quiet Owl"
        )
        event = Event.objects.get(verb=Verb.COMMENTED)
        self.assertNotEqual(event.object_id, post.public_id)
        self.assertIsNone(event.parent_id)
        self.assertIsNone(event.grouping_id)
        self.assertNotIn("Quiet Owl", str(event.result))
