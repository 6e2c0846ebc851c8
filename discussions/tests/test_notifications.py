"""Posts and reactions tell the people concerned through notifications.actions.notify: replies,
mentions, reactions and circle posts, each person once, never with the post's text, never to
someone who blocked the author; and a notification's link respects the gate."""

from django.urls import reverse

from discussions import actions
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
