"""Feedback between rounds: a learner asks peers of her cohort (and her coach) about one moment;
each answers with a strength and a growth edge as situation, behaviour, impact, or declines.
The rules, the pages, every bad input (refused with a clear message, nothing written, nothing
typed lost), notifications and events."""

import uuid
from datetime import timedelta
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments import actions
from assessments.access import feedback_peers_of
from assessments.models import (
    MAX_FEEDBACK_PEERS,
    MAX_OPEN_REQUESTS,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackState,
    Relation,
)
from assessments.tests.base import AssessmentTestCase
from events.models import Event, ObjectType, Verb
from moderation.actions import block_author
from notifications.models import Notification, NotificationKind
from organizations.models import Behaviour

FOCUS = "I ran my first skip-level meeting on Tuesday: how did I come across?"
WORDS = {
    "strength_situation": "The Tuesday skip-level with the Porto team",
    "strength_behaviour": "You asked each person what slows them down and wrote it on the board",
    "strength_impact": "Two people spoke up who never do in the all-hands",
    "edge_situation": "When Rui raised the rota problem",
    "edge_behaviour": "You moved on before he had finished his example",
    "edge_impact": "He went quiet for the rest of the hour; ask him back next time",
}


class FeedbackTestCase(AssessmentTestCase):
    def ask(
        self, learner: User, *peers: User, coach: bool = False, **extra: Any
    ) -> FeedbackRequest:
        """`learner` asks `peers` through the action (as the page does)."""
        seat = self.seat(learner)
        return actions.request_feedback(
            learner,
            seat=seat,
            focus=extra.pop("focus", FOCUS),
            behaviour=extra.pop("behaviour", None),
            peers=[self.seat(p) for p in peers],
            ask_coach=coach,
            due_on=extra.pop("due_on", None),
            today=timezone.localdate(),
        )

    def part(self, request: FeedbackRequest, writer: User) -> FeedbackAnswer:
        return FeedbackAnswer.objects.get(request=request, writer=writer)

    def give(self, request: FeedbackRequest, writer: User, **words: str) -> None:
        answer = FeedbackAnswer.objects.select_related("request__seat__cohort").get(
            request=request, writer=writer
        )
        actions.give_feedback(writer, answer=answer, comments={**WORDS, **words})

    def ask_url(self, learner: User) -> str:
        return reverse("assessments:feedback_ask", args=[self.seat(learner).public_id])

    def answer_url(self, answer: FeedbackAnswer) -> str:
        return reverse("assessments:feedback_answer", args=[answer.public_id])

    def request_url(self, request: FeedbackRequest) -> str:
        return reverse("assessments:feedback_request", args=[request.public_id])


class FeedbackRuleTests(FeedbackTestCase):
    """FeedbackRequest.visible_to and FeedbackAnswer.visible_to, persona by persona."""

    def setUp(self) -> None:
        self.request = self.ask(self.alice, self.bob, self.fay, coach=True)
        self.give(self.request, self.bob)

    def test_the_learner_sees_her_request_and_every_part_of_it(self) -> None:
        self.assertEqual(list(FeedbackRequest.objects.visible_to(self.alice)), [self.request])
        self.assertEqual(
            {a.writer for a in FeedbackAnswer.objects.visible_to(self.alice)},
            {self.bob, self.fay, self.carol},
        )

    def test_each_person_asked_sees_the_request_and_only_their_own_part(self) -> None:
        for person in (self.bob, self.fay):
            self.assertEqual(list(FeedbackRequest.objects.visible_to(person)), [self.request])
            self.assertEqual(
                [a.writer for a in FeedbackAnswer.objects.visible_to(person)], [person]
            )

    def test_the_coach_sees_her_own_part_and_the_others_only_once_shared(self) -> None:
        self.assertEqual(
            [a.writer for a in FeedbackAnswer.objects.visible_to(self.carol)], [self.carol]
        )
        actions.share_feedback_with_coach(self.alice, request=self.request, shared=True)
        # answered parts only: fay's waiting part is not an answer to read
        self.assertEqual(
            {a.writer for a in FeedbackAnswer.objects.visible_to(self.carol)},
            {self.carol, self.bob},
        )
        actions.share_feedback_with_coach(self.alice, request=self.request, shared=False)
        self.assertEqual(
            [a.writer for a in FeedbackAnswer.objects.visible_to(self.carol)], [self.carol]
        )

    def test_a_coach_not_asked_sees_nothing_until_it_is_shared(self) -> None:
        other = self.ask(self.alice, self.gina)
        self.give(other, self.gina)
        self.assertNotIn(other, FeedbackRequest.objects.visible_to(self.carol))
        actions.share_feedback_with_coach(self.alice, request=other, shared=True)
        self.assertIn(other, FeedbackRequest.objects.visible_to(self.carol))

    def test_nobody_else_sees_any_of_it(self) -> None:
        actions.share_feedback_with_coach(self.alice, request=self.request, shared=True)
        root = User.objects.create_superuser("root@northwind.example", "a-long-root-password")
        for person in (
            self.gina,
            self.hugo,
            self.dave,
            self.erin,
            self.dora,
            self.adam,
            self.oscar,
            root,
        ):
            self.assertFalse(FeedbackRequest.objects.visible_to(person).exists(), person)
            self.assertFalse(FeedbackAnswer.objects.visible_to(person).exists(), person)

    def test_peers_offered_are_the_cohorts_active_learners_but_herself_and_who_blocked_her(
        self,
    ) -> None:
        names = {s.user.email for s in feedback_peers_of(self.seat(self.alice))}
        self.assertEqual(
            names,
            {
                "bob@northwind.example",
                "fay@northwind.example",
                "gina@northwind.example",
                "hugo@northwind.example",
            },
        )
        from discussions.actions import community_thread, create_post

        post = create_post(community_thread(self.cohort_a), author=self.alice, body="Hello")
        block_author(post, blocker=self.hugo)
        self.assertNotIn(self.hugo, {s.user for s in feedback_peers_of(self.seat(self.alice))})


class AskingTests(FeedbackTestCase):
    def post_ask(self, **data: Any) -> Any:
        self.client.force_login(self.alice)
        payload = {
            "focus": FOCUS,
            "peers": [str(self.seat(self.bob).public_id), str(self.seat(self.fay).public_id)],
        }
        payload.update(data)
        return self.client.post(self.ask_url(self.alice), payload)

    def test_a_learner_asks_two_peers_and_her_coach_and_they_are_told(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(self.ask_url(self.alice))
        self.assertContains(page, "Ask my coach, Carol, too")
        self.assertContains(page, "only if you choose to share it")
        behaviour = Behaviour.objects.filter(organization=self.org).first()
        assert behaviour is not None
        due = timezone.localdate() + timedelta(days=5)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_ask(
                behaviour=str(behaviour.public_id), ask_coach="on", due_on=due.isoformat()
            )
        request = FeedbackRequest.objects.get()
        self.assertRedirects(response, self.request_url(request))
        self.assertEqual(request.focus, FOCUS)
        self.assertEqual(request.behaviour, behaviour)
        self.assertEqual(request.due_on, due)
        self.assertFalse(request.shared_with_coach)
        parts = {a.writer: a.relation for a in request.answers.all()}
        self.assertEqual(
            parts, {self.bob: Relation.PEER, self.fay: Relation.PEER, self.carol: Relation.COACH}
        )
        told = Notification.objects.filter(kind=NotificationKind.FEEDBACK_ASKED)
        self.assertEqual({n.recipient for n in told}, {self.bob, self.fay, self.carol})
        for notification in told:
            self.assertEqual(notification.actor, self.alice)
            self.assertIn("Feedback between rounds", notification.place)
            self.assertNotIn("skip-level", notification.headline + notification.url)
            self.assertEqual(
                notification.url, self.answer_url(self.part(request, notification.recipient))
            )
        for message in mail.outbox:
            self.assertNotIn("skip-level", message.body)
        event = Event.objects.get(verb=Verb.ASKED, object_type=ObjectType.FEEDBACK_REQUEST)
        self.assertEqual((event.actor, event.object_id), (self.alice, request.public_id))
        self.assertEqual(event.result, {})

    def test_someone_outside_the_cohort_herself_or_a_tampered_id_is_a_form_error(self) -> None:
        for outsider in (
            self.seat(self.dave, self.cohort_b).public_id,
            self.seat(self.oscar, self.other_cohort).public_id,
            self.seat(self.alice).public_id,
            self.seat(self.carol).public_id,
            uuid.uuid4(),
        ):
            response = self.post_ask(peers=[str(outsider)])
            self.assertContains(
                response, "You can only ask learners of your own cohort", status_code=400
            )
            self.assertContains(response, "skip-level meeting", status_code=400)  # kept
        response = self.post_ask(peers=["not-a-uuid"])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(FeedbackRequest.objects.exists())
        self.assertFalse(Notification.objects.filter(kind=NotificationKind.FEEDBACK_ASKED).exists())

    def test_bad_input_is_refused_with_a_message_and_everything_typed_is_kept(self) -> None:
        today = timezone.localdate()
        cases: list[tuple[dict[str, Any], str]] = [
            ({"focus": ""}, "Say what you would like feedback on"),
            ({"focus": "x" * 301}, "Keep it to 300 characters"),
            ({"peers": []}, "Choose at least one peer"),
            ({"due_on": (today - timedelta(days=1)).isoformat()}, "Choose today or a later day"),
            ({"due_on": (today + timedelta(days=200)).isoformat()}, "within the next 90 days"),
            ({"due_on": "next tuesday"}, "Enter a date such as"),
            ({"behaviour": str(uuid.uuid4())}, "Choose a behaviour from the list"),
        ]
        for data, message in cases:
            response = self.post_ask(**data)
            self.assertContains(response, message, status_code=400)
            if "focus" not in data:
                self.assertContains(response, "skip-level meeting", status_code=400)
            if data.get("peers") != []:
                self.assertContains(response, "checked", status_code=400)  # peers stay ticked
        self.assertFalse(FeedbackRequest.objects.exists())

    def test_too_many_peers_or_open_requests_are_refused(self) -> None:
        from cohorts.actions import enroll
        from rapport.testing import make_user

        extra = []
        for n in range(MAX_FEEDBACK_PEERS):
            person = make_user(self.org, f"extra{n}@northwind.example", name=f"Extra {n}")
            enroll(person, cohort=self.cohort_a, coach=self.carol)
            extra.append(str(self.seat(person).public_id))
        response = self.post_ask(peers=[*extra, str(self.seat(self.bob).public_id)])
        self.assertContains(response, "Ask up to 6 peers at a time", status_code=400)
        for n in range(MAX_OPEN_REQUESTS):
            self.ask(self.alice, self.bob, focus=f"{FOCUS} ({n + 1})")
        response = self.post_ask()
        self.assertContains(response, "requests open", status_code=400)
        self.assertContains(response, "skip-level meeting", status_code=400)
        self.assertEqual(FeedbackRequest.objects.count(), MAX_OPEN_REQUESTS)

    def test_find_searches_her_cohort_and_keeps_what_she_wrote(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            self.ask_url(self.alice),
            {
                "focus": FOCUS,
                "q": "gin",
                "find": "1",
                "peers": [str(self.seat(self.bob).public_id)],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gina Marsh")
        self.assertContains(response, "skip-level meeting")
        self.assertNotContains(response, "field-error")
        html = response.content.decode()
        bob = str(self.seat(self.bob).public_id)
        self.assertIn(f'value="{bob}" id="peer-{bob}" checked', html)
        # Nobody outside her cohort is ever found.
        for query in ("dave", "oscar", "erin", "alice"):
            found = self.client.post(self.ask_url(self.alice), {"q": query, "find": "1"})
            self.assertNotContains(found, f"{query.title()}<", status_code=200)
        self.assertFalse(FeedbackRequest.objects.exists())

    def test_sending_the_same_request_again_asks_nobody_twice(self) -> None:
        # Back after "Send my request", then Send again: the form is posted a second time.
        with self.captureOnCommitCallbacks(execute=True):
            first = self.post_ask()
        request = FeedbackRequest.objects.get()
        self.assertRedirects(first, self.request_url(request))
        with self.captureOnCommitCallbacks(execute=True):
            again = self.post_ask()
        self.assertRedirects(again, self.request_url(request), fetch_redirect_response=False)
        self.assertEqual(FeedbackRequest.objects.count(), 1)
        self.assertEqual(FeedbackAnswer.objects.count(), 2)
        told = Notification.objects.filter(kind=NotificationKind.FEEDBACK_ASKED)
        self.assertEqual(sorted(n.recipient.pk for n in told), sorted([self.bob.pk, self.fay.pk]))
        self.assertEqual(Event.objects.filter(verb=Verb.ASKED).count(), 1)
        page = self.client.get(self.request_url(request))
        self.assertContains(page, "You had already sent this request")
        # A different question, or other people, is a new request.
        self.post_ask(focus=FOCUS + " And the follow-up?")
        self.post_ask(peers=[str(self.seat(self.bob).public_id)])
        self.assertEqual(FeedbackRequest.objects.count(), 3)
        # Once the first is closed, asking it again is a new request too.
        request.closed_at = timezone.now()
        request.save(update_fields=["closed_at"])
        self.post_ask()
        self.assertEqual(FeedbackRequest.objects.count(), 4)

    def test_find_counts_only_the_names_it_adds(self) -> None:
        self.client.force_login(self.alice)
        # Bob is in her circle, so already listed; Gina is found by the search.
        bob = self.client.post(self.ask_url(self.alice), {"q": "bob", "find": "1"})
        self.assertContains(bob, "1 person found, already listed above.")
        gina = self.client.post(self.ask_url(self.alice), {"q": "gin", "find": "1"})
        self.assertContains(gina, "1 person found")
        self.assertNotContains(gina, "already listed")

    def test_her_circle_is_offered_first_and_not_the_whole_cohort(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(self.ask_url(self.alice))
        self.assertContains(page, "Bob")  # circle Lisbon
        self.assertNotContains(page, "Gina Marsh")  # same cohort, other circle: by search

    def test_someone_elses_seat_is_404(self) -> None:
        for person in (self.bob, self.carol, self.dave, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.ask_url(self.alice)).status_code, 404)


class AnsweringTests(FeedbackTestCase):
    def setUp(self) -> None:
        self.request = self.ask(self.alice, self.bob, self.fay)
        self.bobs = self.part(self.request, self.bob)

    def test_the_form_names_who_will_read_it_and_the_answer_reaches_her(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(self.answer_url(self.bobs))
        self.assertContains(page, FOCUS)
        self.assertContains(page, "Alice, who asked, reads it with your name")
        self.assertContains(page, "Their coach, Carol, reads it only if Alice chooses to share")
        self.assertContains(page, "not shared")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.answer_url(self.bobs), WORDS)
        self.assertRedirects(response, reverse("assessments:feedback"))
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, FeedbackState.ANSWERED)
        self.assertEqual(self.bobs.edge_impact, WORDS["edge_impact"])
        told = Notification.objects.get(kind=NotificationKind.FEEDBACK_GIVEN)
        self.assertEqual((told.recipient, told.actor), (self.alice, self.bob))
        self.assertEqual(told.url, self.request_url(self.request))
        event = Event.objects.get(verb=Verb.GAVE_FEEDBACK)
        self.assertEqual(event.object_type, ObjectType.FEEDBACK_ANSWER)
        self.assertEqual(event.object_id, self.bobs.public_id)
        self.client.force_login(self.alice)
        mine = self.client.get(self.request_url(self.request))
        self.assertContains(mine, "Bob")
        for words in WORDS.values():
            self.assertContains(mine, words)

    def test_a_missing_or_long_part_is_refused_and_nothing_typed_is_lost(self) -> None:
        self.client.force_login(self.bob)
        missing = {**WORDS, "edge_behaviour": ""}
        response = self.client.post(self.answer_url(self.bobs), missing)
        self.assertContains(response, "Describe what they said or did, or did not", status_code=400)
        for words in (WORDS["strength_behaviour"], WORDS["edge_impact"]):
            self.assertContains(response, words, status_code=400)
        long = self.client.post(self.answer_url(self.bobs), {**WORDS, "strength_impact": "x" * 601})
        self.assertContains(long, "Keep it to 600 characters", status_code=400)
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, FeedbackState.WAITING)
        self.assertEqual(self.bobs.strength_behaviour, "")

    def test_sending_twice_is_refused_and_changes_nothing(self) -> None:
        self.client.force_login(self.bob)
        self.client.post(self.answer_url(self.bobs), WORDS)
        again = self.client.post(
            self.answer_url(self.bobs), {**WORDS, "strength_behaviour": "A second try"}
        )
        self.assertContains(again, "already sent your feedback", status_code=400)
        self.assertContains(again, "A second try", status_code=400)  # shown back, not saved
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.strength_behaviour, WORDS["strength_behaviour"])
        self.assertEqual(Event.objects.filter(verb=Verb.GAVE_FEEDBACK).count(), 1)
        self.assertEqual(
            Notification.objects.filter(kind=NotificationKind.FEEDBACK_GIVEN).count(), 1
        )
        declined = self.client.post(
            reverse("assessments:feedback_decline", args=[self.bobs.public_id])
        )
        self.assertContains(declined, "already sent your feedback", status_code=400)

    def test_a_withdrawn_request_takes_no_answer_and_shows_back_what_was_typed(self) -> None:
        actions.close_feedback_request(self.alice, request=self.request)
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.answer_url(self.bobs)), "This request was closed")
        response = self.client.post(self.answer_url(self.bobs), WORDS)
        self.assertContains(response, "closed by the person who asked", status_code=400)
        self.assertContains(response, WORDS["edge_behaviour"], status_code=400)
        decline = self.client.post(
            reverse("assessments:feedback_decline", args=[self.bobs.public_id])
        )
        self.assertContains(decline, "closed by the person who asked", status_code=400)
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, FeedbackState.WAITING)
        self.assertFalse(Event.objects.filter(verb=Verb.GAVE_FEEDBACK).exists())

    def test_a_part_asked_of_someone_else_cannot_be_answered(self) -> None:
        url = self.answer_url(self.bobs)
        decline = reverse("assessments:feedback_decline", args=[self.bobs.public_id])
        self.client.force_login(self.alice)  # she sees the part, it is not hers: 403
        self.assertEqual(self.client.post(url, WORDS).status_code, 403)
        for person in (
            self.fay,
            self.carol,
            self.gina,
            self.dave,
            self.adam,
            self.dora,
            self.oscar,
        ):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
            self.assertEqual(self.client.post(url, WORDS).status_code, 404, person)
            self.assertEqual(self.client.post(decline).status_code, 404, person)
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, FeedbackState.WAITING)

    def test_declining_shows_on_her_page_without_a_reason(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("assessments:feedback_decline", args=[self.bobs.public_id])
        )
        self.assertRedirects(response, reverse("assessments:feedback"))
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.state, FeedbackState.DECLINED)
        self.assertTrue(Event.objects.filter(verb=Verb.DECLINED, actor=self.bob).exists())
        again = self.client.post(self.answer_url(self.bobs), WORDS)
        self.assertContains(again, "You declined this request", status_code=400)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.request_url(self.request)), "Not this time")

    def test_the_learner_shares_with_her_coach_and_stops(self) -> None:
        self.give(self.request, self.bob)
        share = reverse("assessments:feedback_share", args=[self.request.public_id])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.request_url(self.request)).status_code, 404)
        self.client.force_login(self.alice)
        for bad in ({}, {"shared": "yes"}, {"shared": "2"}):
            self.assertEqual(self.client.post(share, bad).status_code, 400)
        self.assertRedirects(
            self.client.post(share, {"shared": "1"}), self.request_url(self.request)
        )
        self.assertTrue(
            Event.objects.filter(verb=Verb.SHARED, object_id=self.request.public_id).exists()
        )
        self.client.force_login(self.carol)
        page = self.client.get(self.request_url(self.request))
        self.assertContains(page, WORDS["strength_behaviour"])
        self.assertContains(page, "shared this request with you")
        self.assertEqual(self.client.post(share, {"shared": "0"}).status_code, 403)
        self.assertContains(self.client.get(reverse("assessments:feedback")), "Alice's request")
        self.client.force_login(self.alice)
        self.client.post(share, {"shared": "0"})
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.request_url(self.request)).status_code, 404)

    def test_someone_asked_is_sent_from_the_request_to_their_own_part(self) -> None:
        self.client.force_login(self.bob)
        self.assertRedirects(
            self.client.get(self.request_url(self.request)), self.answer_url(self.bobs)
        )
        close = reverse("assessments:feedback_close", args=[self.request.public_id])
        self.assertEqual(self.client.post(close).status_code, 403)
        self.assertIsNone(FeedbackRequest.objects.get().closed_at)

    def test_closing_is_the_learners_and_idempotent(self) -> None:
        close = reverse("assessments:feedback_close", args=[self.request.public_id])
        self.client.force_login(self.alice)
        self.assertRedirects(self.client.post(close), self.request_url(self.request))
        first = FeedbackRequest.objects.get().closed_at
        self.assertIsNotNone(first)
        self.client.post(close)
        self.assertEqual(FeedbackRequest.objects.get().closed_at, first)
        self.client.force_login(self.bob)
        hub = self.client.get(reverse("assessments:feedback"))
        self.assertContains(hub, "Alice closed this request")

    def test_the_hub_lists_what_is_asked_of_each_person(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(
            self.client.get(reverse("assessments:feedback")), "Alice asked for your feedback"
        )
        self.client.force_login(self.alice)
        hub = self.client.get(reverse("assessments:feedback"))
        self.assertContains(hub, "0 of 2 answered")
        self.assertContains(hub, "skip-level")
        for person in (self.gina, self.carol, self.adam, self.dora):
            self.client.force_login(person)
            self.assertNotContains(self.client.get(reverse("assessments:feedback")), "skip-level")
