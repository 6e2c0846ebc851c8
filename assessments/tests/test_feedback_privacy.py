"""The feedback promise, surface by surface, as an adversary: what bob wrote for alice, and the
focus of her request, reach alice and bob only — never the other peer asked (fay), her coach
(carol, until alice shares), another learner, the admin, the designer or a platform superuser,
on any page, fragment, notification, email, export, event, xAPI statement or log line. The
text is encrypted at rest."""

import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from assessments import actions
from assessments.tests.test_feedback import WORDS, FeedbackTestCase
from assessments.tests.test_privacy import Capture
from events.models import Event
from events.xapi import statement_for
from notifications.models import Notification
from rapport.testing import raw_database_dump, without_noise

SECRET_FOCUS = "My first skip-level with the Porto team, how did I land"


class FeedbackPromiseTests(FeedbackTestCase):
    def setUp(self) -> None:
        self.log = Capture()
        logging.getLogger().addHandler(self.log)
        self.addCleanup(logging.getLogger().removeHandler, self.log)
        self.root = User.objects.create_superuser("root@northwind.example", "a-long-root-pass")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.force_login(self.alice)
            self.client.post(
                reverse("assessments:feedback_ask", args=[self.seat(self.alice).public_id]),
                {
                    "focus": SECRET_FOCUS,
                    "peers": [str(self.seat(p).public_id) for p in (self.bob, self.fay)],
                },
            )
            self.request = self.alice_request()
            self.client.force_login(self.bob)
            self.client.post(
                reverse(
                    "assessments:feedback_answer",
                    args=[self.part(self.request, self.bob).public_id],
                ),
                WORDS,
            )
        self.assertEqual(self.part(self.request, self.bob).state, "answered")

    def alice_request(self):  # type: ignore[no-untyped-def]
        from assessments.models import FeedbackRequest

        return FeedbackRequest.objects.get(seat__user=self.alice)

    def texts(self) -> list[str]:
        return [SECRET_FOCUS, *WORDS.values()]

    def assert_clean(self, text: str, where: str, *, focus_allowed: bool = False) -> None:
        clean = without_noise(text)
        for words in WORDS.values():
            self.assertNotIn(words, clean, where)
        if not focus_allowed:
            self.assertNotIn(SECRET_FOCUS, clean, where)

    def pages_of(self, person: User) -> dict[str, str]:
        """Every page of the assessments app the person can open, and their home, notifications
        and My data pages, the request and both parts tried directly."""
        self.client.force_login(person)
        urls = [
            reverse("home"),
            reverse("assessments:index"),
            reverse("assessments:growth"),
            reverse("assessments:feedback"),
            reverse("notifications:list"),
            reverse("accounts:my_data_readable"),
            reverse("accounts:my_data_export"),
            reverse("assessments:feedback_request", args=[self.request.public_id]),
        ]
        urls += [
            reverse("assessments:feedback_answer", args=[a.public_id])
            for a in self.request.answers.all()
        ]
        out = {}
        for url in urls:
            response = self.client.get(url, follow=True)
            out[url] = response.content.decode()
        return out

    def test_the_answer_reaches_alice_and_bob(self) -> None:
        for person in (self.alice, self.bob):
            pages = "\n".join(self.pages_of(person).values())
            for words in WORDS.values():
                self.assertIn(words, pages, person)

    def test_no_one_else_reads_the_answer_or_the_focus_anywhere(self) -> None:
        for person in (
            self.carol,
            self.gina,
            self.hugo,
            self.dave,
            self.adam,
            self.dora,
            self.oscar,
            self.root,
        ):
            for url, html in self.pages_of(person).items():
                self.assert_clean(html, f"{person.email} {url}")

    def test_the_other_peer_asked_reads_the_focus_but_not_the_answer(self) -> None:
        for url, html in self.pages_of(self.fay).items():
            self.assert_clean(html, f"fay {url}", focus_allowed=True)

    def test_the_coach_reads_it_only_while_alice_shares_it(self) -> None:
        actions.share_feedback_with_coach(self.alice, request=self.request, shared=True)
        pages = "\n".join(self.pages_of(self.carol).values())
        self.assertIn(WORDS["edge_behaviour"], pages)
        actions.share_feedback_with_coach(self.alice, request=self.request, shared=False)
        for url, html in self.pages_of(self.carol).items():
            self.assert_clean(html, f"carol {url}")

    def test_notifications_and_emails_carry_no_word(self) -> None:
        self.assertTrue(mail.outbox)
        for notification in Notification.objects.all():
            self.assert_clean(
                notification.headline + notification.place + notification.url, "notification"
            )
        for message in mail.outbox:
            bodies = [message.subject, message.body] + [
                str(alt[0]) for alt in getattr(message, "alternatives", [])
            ]
            for body in bodies:
                self.assert_clean(body, f"email to {message.to}")

    def test_events_and_statements_carry_no_word_and_do_not_tie_bob_to_alice(self) -> None:
        alice_ids = {
            str(self.alice.public_id),
            str(self.seat(self.alice).public_id),
            str(self.request.public_id),
        }
        for event in Event.objects.select_related("cohort"):
            statement = json.dumps(statement_for(event, base_url="https://rapport.example.com"))
            self.assert_clean(statement + json.dumps(event.result), "event")
            if event.actor_id == self.bob.pk:
                for needle in alice_ids:
                    self.assertNotIn(needle, statement)

    def test_exports_hold_only_what_each_person_may_read(self) -> None:
        for person, expected in ((self.alice, True), (self.bob, True)):
            self.client.force_login(person)
            data = self.client.get(reverse("accounts:my_data_export")).content.decode()
            self.assertEqual(WORDS["strength_impact"] in data, expected, person)
        self.client.force_login(self.bob)
        bobs = self.client.get(reverse("accounts:my_data_export")).content.decode()
        self.assertNotIn(SECRET_FOCUS, bobs)  # alice's words are not bob's data

    def test_no_log_line_holds_a_word(self) -> None:
        text = "\n".join(self.log.lines)
        for words in self.texts():
            self.assertNotIn(words, text)

    def test_the_studio_has_no_feedback_page(self) -> None:
        self.client.force_login(self.root)
        self.assertEqual(self.client.get("/studio/assessments/feedbackanswer/").status_code, 404)


@pytest.mark.django_db(transaction=True)
def test_the_focus_and_the_answers_are_encrypted_at_rest() -> None:
    from datetime import date

    from assessments.models import FeedbackAnswer, FeedbackRequest, Relation
    from cohorts.actions import enroll
    from cohorts.models import Enrollment
    from rapport.testing import make_cohort, make_org, make_program, make_user

    org = make_org("Dump Org")
    cohort = make_cohort(make_program(org))
    learner = make_user(org, "zed@example.com", name="Zebulon Quartermaine")
    peer = make_user(org, "pia@example.com", name="Pia Peer")
    enroll(learner, cohort=cohort)
    enroll(peer, cohort=cohort)
    request = actions.request_feedback(
        learner,
        seat=Enrollment.objects.get(user=learner),
        focus="The budget review with Lisbon",
        behaviour=None,
        peers=[Enrollment.objects.get(user=peer)],
        ask_coach=False,
        due_on=None,
        today=date.today(),
    )
    answer = FeedbackAnswer.objects.select_related("request__seat__cohort").get(request=request)
    actions.give_feedback(
        peer, answer=answer, comments={**WORDS, "edge_impact": "Quiet Rui in the rota talk"}
    )
    assert FeedbackAnswer.objects.get().edge_impact == "Quiet Rui in the rota talk"
    assert FeedbackRequest.objects.get().focus == "The budget review with Lisbon"
    assert FeedbackAnswer.objects.get().relation == Relation.PEER
    dump = raw_database_dump()
    assert b"Zebulon Quartermaine" in dump
    assert b"Lisbon" not in dump
    assert b"Quiet Rui" not in dump
