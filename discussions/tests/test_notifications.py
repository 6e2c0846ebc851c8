"""Posts and reactions tell the people concerned through notifications.actions.notify: replies,
mentions, reactions and circle posts, each person once, never with the post's text, never to
someone who blocked the author; and a notification's link respects the gate."""

from django.test import SimpleTestCase
from django.urls import reverse

from discussions import actions
from discussions.models import PostRevision
from discussions.tests.test_thread_page import ThreadTestCase
from notifications.models import Notification, NotificationKind

SECRET = "my sister's diagnosis"


class NotificationTests(ThreadTestCase):
    def kinds_for(self, person: object) -> list[str]:
        return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))

    def test_a_reply_tells_the_parents_author_and_a_mention_the_person_mentioned(self) -> None:
        first = actions.create_post(self.community, author=self.alice, body="Hello " + SECRET)
        actions.create_post(
            self.community,
            author=self.bob,
            body=f"@[Alice] @[Carol] thinking of you, {SECRET}",
            parent=first,
            mentioned=[self.alice, self.carol],
        )
        self.assertEqual(self.kinds_for(self.alice), [NotificationKind.REPLY])  # once
        self.assertEqual(self.kinds_for(self.carol), [NotificationKind.MENTION])
        self.assertEqual(self.kinds_for(self.bob), [])
        for row in Notification.objects.all():
            for value in (row.actor_label, row.place, row.url, row.headline):
                self.assertNotIn("sister", value)
            self.assertEqual(row.place, f"Community space · {self.cohort_a.name}")

    def test_a_pseudonymous_reply_is_announced_under_its_pseudonym(self) -> None:
        mine = actions.create_post(self.thread, author=self.alice, body="My answer")
        actions.create_post(
            self.thread, author=self.bob, body="Thank you", parent=mine, pseudonym="Quiet Owl"
        )
        note = Notification.objects.get(recipient=self.alice)
        self.assertEqual(note.actor_label, "Quiet Owl")
        self.assertNotIn("Bob", note.headline)
        self.assertIn(self.prompt.title, note.place)

    def test_a_reaction_tells_the_author_once(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Hello")
        for _ in range(2):
            actions.react(post, user=self.alice, kind="thanks")
        self.assertEqual(self.kinds_for(self.bob), [NotificationKind.REACTION])

    def test_a_circle_post_tells_its_members_and_coach(self) -> None:
        thread = actions.circle_thread(self.circle_a)
        actions.create_post(thread, author=self.alice, body="Check-in: " + SECRET)
        self.assertEqual(self.kinds_for(self.bob), [NotificationKind.CIRCLE])
        self.assertEqual(self.kinds_for(self.carol), [NotificationKind.CIRCLE])
        for person in (self.alice, self.fay, self.dave, self.adam):
            self.assertEqual(self.kinds_for(person), [], person.email)

    def test_nobody_hears_from_someone_they_blocked(self) -> None:
        from accounts.models import Block

        first = actions.create_post(self.community, author=self.alice, body="Hello")
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        actions.create_post(
            self.community, author=self.bob, body="@[Alice]", parent=first, mentioned=[self.alice]
        )
        actions.react(first, user=self.bob, kind="relate")
        self.assertEqual(self.kinds_for(self.alice), [])

    def test_a_block_of_a_pseudonym_silences_that_pseudonym_only(self) -> None:
        from accounts.models import Block

        mine = actions.create_post(self.thread, author=self.alice, body="My answer")
        Block.objects.create(blocker=self.alice, blocked=self.bob, blocked_label="Quiet Owl")
        actions.create_post(
            self.thread, author=self.bob, body="Thank you", parent=mine, pseudonym="Quiet Owl"
        )
        self.assertEqual(self.kinds_for(self.alice), [])
        # As himself Bob still reaches her: silence there would unmask Quiet Owl.
        actions.create_post(self.thread, author=self.bob, body="Me too", parent=mine)
        self.assertEqual(self.kinds_for(self.alice), [NotificationKind.REPLY])

    def test_a_notifications_link_opens_the_thread_for_a_gated_reader(self) -> None:
        post = actions.create_post(
            self.thread, author=self.bob, body="@[Alice] what do you think?", mentioned=[self.alice]
        )
        note = Notification.objects.get(recipient=self.alice)
        self.client.force_login(self.alice)
        response = self.client.get(note.url)
        self.assertRedirects(response, self.thread_url(), fetch_redirect_response=False)
        page = self.client.get(response["Location"])
        self.assertNotContains(page, "what do you think")
        actions.create_post(self.thread, author=self.alice, body="Mine")
        response = self.client.get(note.url)
        self.assertIn(f"#post-{post.public_id}", response["Location"])
        self.client.force_login(self.dave)
        self.assertEqual(self.client.get(note.url).status_code, 404)
        self.assertEqual(note.url, reverse("discussions:post_link", args=[post.public_id]))


class EditMentionTests(ThreadTestCase):
    """A mention added by an edit tells the newly mentioned people, by the rules of posting."""

    def edit(self, person: object, post: object, body: str) -> object:
        self.client.force_login(person)
        return self.client.post(
            reverse("discussions:edit", args=[post.public_id]),  # type: ignore[attr-defined]
            {"body": body},
        )

    def mentions_for(self, person: object) -> int:
        return Notification.objects.filter(recipient=person, kind=NotificationKind.MENTION).count()

    def test_an_edit_tells_only_the_people_it_newly_mentions(self) -> None:
        post = actions.create_post(
            self.community, author=self.bob, body="Hello @[Alice]", mentioned=[self.alice]
        )
        response = self.edit(self.bob, post, "Hello @[Alice] and @[Carol], " + SECRET)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.mentions_for(self.alice), 1)  # told when posted, not again
        self.assertEqual(self.mentions_for(self.carol), 1)
        note = Notification.objects.get(recipient=self.carol)
        self.assertEqual(note.target_id, post.public_id)
        self.assertEqual(note.actor_label, self.bob.full_name)
        for value in (note.actor_label, note.place, note.url, note.headline):
            self.assertNotIn("sister", value)

    def test_taking_a_mention_out_and_putting_it_back_tells_nobody_twice(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Hello")
        self.edit(self.bob, post, "Hello @[Carol]")
        self.edit(self.bob, post, "Hello")
        self.edit(self.bob, post, "Hello again @[carol]")
        self.assertEqual(self.mentions_for(self.carol), 1)
        self.assertEqual(PostRevision.objects.filter(post=post).count(), 3)

    def test_an_edit_cannot_mention_someone_who_cannot_read_the_thread(self) -> None:
        post = actions.create_post(self.community, author=self.bob, body="Hello")
        response = self.edit(self.bob, post, "Hello @[Dave]")  # cohort B
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "can read this discussion", status_code=400)
        self.assertContains(response, "Hello @[Dave]", status_code=400)  # the text is kept
        post.refresh_from_db()
        self.assertEqual(post.body, "Hello")
        self.assertEqual(Notification.objects.count(), 0)

    def test_an_edit_in_a_circle_thread_cannot_mention_another_circle(self) -> None:
        thread = actions.circle_thread(self.circle_a)
        post = actions.create_post(thread, author=self.alice, body="Check-in")
        Notification.objects.all().delete()
        response = self.edit(self.alice, post, "Check-in @[Fay]")  # circle_a2
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.mentions_for(self.fay), 0)

    def test_an_edit_does_not_tell_someone_who_blocked_the_author(self) -> None:
        from accounts.models import Block

        post = actions.create_post(self.community, author=self.bob, body="Hello")
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.edit(self.bob, post, "Hello @[Alice] @[Carol]")
        self.assertEqual(self.mentions_for(self.alice), 0)
        self.assertEqual(self.mentions_for(self.carol), 1)

    def test_a_pseudonymous_post_edited_announces_its_pseudonym(self) -> None:
        actions.create_post(self.thread, author=self.alice, body="My answer")
        post = actions.create_post(self.thread, author=self.bob, body="Mine", pseudonym="Quiet Owl")
        self.edit(self.bob, post, "Mine, and @[Alice] said it well")
        note = Notification.objects.get(recipient=self.alice, kind=NotificationKind.MENTION)
        self.assertEqual(note.actor_label, "Quiet Owl")
        self.assertNotIn("Bob", note.headline)

    def test_the_same_text_again_tells_nobody(self) -> None:
        post = actions.create_post(
            self.community, author=self.bob, body="Hi @[Carol]", mentioned=[self.carol]
        )
        Notification.objects.all().delete()
        actions.edit_post(post, by=self.bob, body="Hi @[Carol]", mentioned=[self.carol])
        self.assertEqual(Notification.objects.count(), 0)


class PlaceTests(SimpleTestCase):
    def test_a_circle_is_named_once(self) -> None:
        from circles.models import Circle
        from discussions.actions import place_of
        from discussions.models import Thread, ThreadKind

        for name, place in (("Circle Almond", "Circle Almond"), ("Lisbon", "Circle Lisbon")):
            thread = Thread(kind=ThreadKind.CIRCLE, circle=Circle(name=name))
            self.assertEqual(place_of(thread), place)
