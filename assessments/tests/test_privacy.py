"""The peers' promise, surface by surface: the learner learns whom she asked, never who answered
or who wrote what. An adversarial sweep looks for each peer's name, address and ids on every
surface the learner (or anyone else) can reach: her pages, notifications and emails, her export
and readable My data, the events and their xAPI statements, the studio, the coach's pages, the
other raters' exports and the logs. The comments are encrypted at rest."""

import json
import logging
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from assessments.models import Response, RoundKind
from assessments.tasks import send_round_notices
from assessments.tests.base import PEER_WORDS, AssessmentTestCase
from events.models import Event
from events.xapi import statement_for
from notifications.models import Notification
from organizations.actions import seed_default_framework
from rapport.testing import make_org, make_user, raw_database_dump, without_noise


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class PeerPromiseTests(AssessmentTestCase):
    def setUp(self) -> None:
        self.log = Capture()
        logging.getLogger().addHandler(self.log)
        self.addCleanup(logging.getLogger().removeHandler, self.log)
        self.peers = [self.bob, self.fay, self.gina, self.hugo]
        self.open_round(RoundKind.BASELINE)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.force_login(self.alice)
            self.client.post(
                reverse("assessments:peers", args=[self.seat(self.alice).public_id]),
                {"peers": [str(self.seat(p).public_id) for p in self.peers]},
            )
            send_round_notices()
            self.answer(self.alice, self.alice, RoundKind.BASELINE, score=2)
            for peer in self.peers:
                name = peer.email.split("@")[0]
                self.client.force_login(peer)
                self.client.post(
                    reverse(
                        "assessments:rate",
                        args=[
                            self.round_of(RoundKind.BASELINE).public_id,
                            self.seat(self.alice).public_id,
                        ],
                    ),
                    self.form_data("4", strength_behaviour=PEER_WORDS[name]),
                )
            self.answer(self.carol, self.alice, RoundKind.BASELINE, score=3, words="Coach words")
        self.assertEqual(Response.objects.count(), 6)
        self.close_round(RoundKind.BASELINE)

    # -- what to look for ----------------------------------------------------------------

    def identifiers(self, peer: User, *, names: bool = True) -> list[str]:
        found = [peer.email, str(peer.public_id), str(self.seat(peer).public_id)]
        found += [str(r.public_id) for r in Response.objects.filter(rater=peer)]
        if names:
            found.append(peer.full_name)
        return found

    def assert_no_peer(self, text: str, where: str, *, names: bool = True) -> None:
        clean = without_noise(text)
        for peer in self.peers:
            for needle in self.identifiers(peer, names=names):
                if " " in needle or "@" in needle or "-" in needle:
                    self.assertNotIn(needle, clean, f"{peer.email} on {where}")
                else:
                    self.assertIsNone(
                        re.search(rf"\b{re.escape(needle)}\b", clean), f"{needle} on {where}"
                    )

    def page(self, person: User, name: str, *args: Any) -> str:
        self.client.force_login(person)
        response = self.client.get(reverse(name, args=args))
        self.assertEqual(response.status_code, 200, name)
        return response.content.decode()

    # -- the learner's surfaces ---------------------------------------------------------

    def test_her_growth_page_shows_the_words_and_no_peer(self) -> None:
        html = self.page(self.alice, "assessments:growth")
        for words in PEER_WORDS.values():
            self.assertIn(words, html)
        self.assert_no_peer(html, "growth page")

    def test_her_lists_name_whom_she_asked_and_nothing_about_who_answered(self) -> None:
        for name, args in (
            ("assessments:index", ()),
            ("assessments:peers", (self.seat(self.alice).public_id,)),
        ):
            html = self.page(self.alice, name, *args)
            self.assert_no_peer(html, name, names=False)
            self.assertNotIn("answered", without_noise(html).split("Peers you asked")[-1][:400])

    def test_her_notifications_and_emails_name_no_peer(self) -> None:
        mine = Notification.objects.filter(recipient=self.alice)
        self.assertTrue(mine.exists())  # the round opened: she was told
        for notification in mine:
            self.assertIsNone(notification.actor_id)
            self.assert_no_peer(notification.headline + notification.url, "notification")
        self.assert_no_peer(self.page(self.alice, "notifications:list"), "notifications page")
        to_her = [m for m in mail.outbox if self.alice.email in m.to]
        self.assertTrue(to_her)
        for message in to_her:
            bodies = [message.subject, message.body] + [
                str(alt[0]) for alt in getattr(message, "alternatives", [])
            ]
            for body in bodies:
                self.assert_no_peer(body, "email")
                for words in PEER_WORDS.values():
                    self.assertNotIn(words, body)

    def test_her_export_names_the_peers_she_asked_only_where_she_asked_them(self) -> None:
        self.client.force_login(self.alice)
        data = json.loads(self.client.get(reverse("accounts:my_data_export")).content)
        section = next(s for s in data["sections"] if s["key"] == "assessments")
        received = [i for i in section["items"] if i["kind"] != "peer_asked"]
        self.assertTrue(any(i["kind"] == "received" for i in received))
        self.assert_no_peer(json.dumps(received), "export")
        self.assert_no_peer(json.dumps(data), "export", names=False)
        exported = json.dumps(received)
        for words in PEER_WORDS.values():
            self.assertIn(words, exported)  # what she received, without names
        readable = self.page(self.alice, "accounts:my_data_readable")
        self.assert_no_peer(readable, "readable My data", names=False)

    # -- everyone else's surfaces -------------------------------------------------------

    def test_no_event_ties_a_peer_to_the_learner(self) -> None:
        alice_ids = {str(self.alice.public_id), str(self.seat(self.alice).public_id)}
        for event in Event.objects.filter(actor__in=self.peers).select_related("cohort"):
            statement = json.dumps(statement_for(event, base_url="https://rapport.example.com"))
            for needle in alice_ids:
                self.assertNotIn(needle, statement)
            self.assertEqual(event.result, {})
        for event in Event.objects.filter(actor=self.alice).select_related("cohort"):
            statement = json.dumps(statement_for(event, base_url="https://rapport.example.com"))
            self.assert_no_peer(statement, "event", names=False)
        for event in Event.objects.all():
            for words in [*PEER_WORDS.values(), "Coach words"]:
                self.assertNotIn(words, json.dumps(event.result))

    def test_the_studio_has_no_assessment_page(self) -> None:
        self.client.force_login(self.adam)
        index = self.client.get("/studio/")
        self.assertNotContains(index, "/studio/assessments/")
        self.assertEqual(self.client.get("/studio/assessments/response/").status_code, 404)

    def test_the_coach_and_the_admin_read_no_peer_answer(self) -> None:
        for person in (self.carol, self.adam, self.dora):
            for name in ("assessments:index", "assessments:growth", "home"):
                html = self.page(person, name)
                for words in PEER_WORDS.values():
                    self.assertNotIn(words, html, f"{person.email} {name}")

    def test_a_raters_export_holds_their_own_words_only(self) -> None:
        self.client.force_login(self.bob)
        data = json.dumps(json.loads(self.client.get(reverse("accounts:my_data_export")).content))
        self.assertIn(PEER_WORDS["bob"], data)
        for name in ("fay", "gina", "hugo"):
            self.assertNotIn(PEER_WORDS[name], data)
        self.assertNotIn("Coach words", data)

    def test_no_log_line_holds_a_word_or_ties_a_peer_to_her(self) -> None:
        text = "\n".join(self.log.lines)
        for words in [*PEER_WORDS.values(), "Coach words"]:
            self.assertNotIn(words, text)


@pytest.mark.django_db(transaction=True)
def test_the_comments_are_encrypted_at_rest() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from assessments import actions
    from assessments.access import get_task
    from assessments.models import AssessmentRound
    from assessments.tasks import schedule_rounds
    from cohorts.actions import enroll
    from cohorts.models import EnrollmentRole
    from organizations.models import Behaviour, Role
    from rapport.testing import make_cohort, make_program

    org = make_org("Dump Org")
    seed_default_framework(org)
    cohort = make_cohort(make_program(org))
    learner = make_user(org, "zed@example.com", name="Zebulon Quartermaine")
    enroll(learner, cohort=cohort)
    schedule_rounds()
    today = timezone.localdate()
    AssessmentRound.objects.filter(cohort=cohort, kind="baseline").update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
    )
    round_ = AssessmentRound.objects.get(cohort=cohort, kind="baseline")
    coach = make_user(org, "coach@example.com", role=Role.COACH)
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    seat = cohort.enrollments.get(user=learner)
    seat.coach = coach
    seat.save()
    task = get_task(coach, round_.public_id, seat.public_id, today=today)
    behaviours = list(Behaviour.objects.filter(organization=org))
    actions.submit_response(
        coach,
        task=task,
        scores={b.pk: 3 for b in behaviours},
        behaviours=behaviours,
        comments={"strength_situation": "The quarterly review with the Lisbon team"},
        today=today,
    )
    dump = raw_database_dump()
    assert b"Zebulon Quartermaine" in dump
    assert b"Lisbon team" not in dump
