"""Growth items are their author's alone: every other persona gets 404 on every URL of
alice's items (and on guessed ids), sees none of her text anywhere, and the text is encrypted
at rest. Her export gives it back; her erasure deletes it."""

import logging
import uuid

import pytest
from django.urls import reverse

from accounts.personal_data import sections
from events.models import Event
from growth import actions
from growth.models import Goal, MoodCheckIn
from growth.tests.base import SECRET, GrowthTestCase, make_items
from notifications.models import Notification
from organizations.actions import seed_default_framework
from organizations.models import Behaviour
from rapport.testing import make_org, make_user, raw_database_dump

ITEM_URLS = [
    ("growth:goal", "goal_id", "get"),
    ("growth:goal", "goal_id", "post"),
    ("growth:goal_delete", "goal_id", "post"),
    ("growth:belief", "belief_id", "get"),
    ("growth:belief", "belief_id", "post"),
    ("growth:belief_delete", "belief_id", "post"),
    ("growth:routine_new", "belief_id", "post"),
    ("growth:routine_check_in", "routine_id", "post"),
    ("growth:routine_delete", "routine_id", "post"),
    ("growth:charter", "charter_id", "get"),
    ("growth:charter", "charter_id", "post"),
    ("growth:charter_print", "charter_id", "get"),
    ("growth:charter_delete", "charter_id", "post"),
    ("growth:conversation", "plan_id", "get"),
    ("growth:conversation", "plan_id", "post"),
    ("growth:debrief", "plan_id", "get"),
    ("growth:debrief", "plan_id", "post"),
    ("growth:conversation_delete", "plan_id", "post"),
]
LIST_PAGES = [
    "growth:index",
    "growth:mindset",
    "growth:charters",
    "growth:conversations",
    "growth:check_in",
    "growth:model",
]


def _escaped(text: str) -> list[str]:
    return [text, text.replace("'", "&#39;"), text.replace("'", "&#x27;")]


class AdversaryTests(GrowthTestCase):
    def setUp(self) -> None:
        self.ids = self.make_alices_items()

    def assert_no_secret(self, content: str, who: str) -> None:
        for key, sentence in SECRET.items():
            for form in _escaped(sentence):
                self.assertNotIn(form, content, f"{who} saw alice's {key}")

    def test_every_other_persona_gets_404_on_alices_items_and_sees_none_of_her_text(self) -> None:
        events_before = Event.objects.count()
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("growth.test").debug("start")  # assertLogs needs one record
            for person in (self.bob, self.carol, self.dave, self.dora, self.adam, self.oscar):
                self.client.force_login(person)
                for name, param, method in ITEM_URLS:
                    url = reverse(name, kwargs={param: self.ids[param]})
                    send = self.client.post if method == "post" else self.client.get
                    data = {"title": "x", "done": "yes", "belief": "x", "team": "x", "subject": "x"}
                    response = send(url, data) if method == "post" else send(url)
                    self.assertEqual(response.status_code, 404, f"{person.email} {method} {name}")
                    self.assert_no_secret(response.content.decode(), person.email)
                for name in LIST_PAGES:
                    response = self.client.get(reverse(name))
                    self.assertEqual(response.status_code, 200, f"{person.email} {name}")
                    self.assert_no_secret(response.content.decode(), person.email)
                self.client.force_login(self.adam)
                trends = self.client.get(reverse("growth:trends"))
                self.assert_no_secret(trends.content.decode(), "adam on trends")
        self.assert_no_secret("\n".join(logs.output), "the log")
        # Nothing was changed by anyone: alice's items are all still there and untouched.
        self.assertEqual(Goal.objects.get(public_id=self.ids["goal_id"]).title, SECRET["goal"])
        self.assertEqual(Event.objects.count(), events_before)
        self.assertFalse(Notification.objects.exists())

    def test_guessed_ids_are_404(self) -> None:
        self.client.force_login(self.alice)
        for name, param, method in ITEM_URLS:
            url = reverse(name, kwargs={param: uuid.uuid4()})
            send = self.client.post if method == "post" else self.client.get
            self.assertEqual(send(url).status_code, 404, name)

    def test_the_studio_has_no_growth_page(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(reverse("admin:index"))
        self.assertNotContains(response, "/studio/growth/")

    def test_only_the_owner_may_link_a_behaviour_of_their_organisation(self) -> None:
        with self.assertRaises(ValueError):
            actions.create_goal(
                self.alice, submission=None, title="x", behaviour=self.foreign_behaviour
            )
        with self.assertRaises(ValueError):
            actions.pick_behaviours(self.alice, behaviours=[self.foreign_behaviour])


class PersonalDataTests(GrowthTestCase):
    def section(self):  # type: ignore[no-untyped-def]
        return next(s for s in sections() if s.key == "growth")

    def test_the_export_gives_back_alices_text_and_nobody_elses(self) -> None:
        self.make_alices_items()
        actions.create_goal(self.bob, submission=None, title="Bob's own goal")
        exported = self.section().export(self.alice)
        flat = repr(exported)
        for sentence in SECRET.values():
            self.assertIn(sentence, flat)
        self.assertNotIn("Bob's own goal", flat)
        kinds = {row["kind"] for row in exported}
        self.assertEqual(
            kinds,
            {
                "whats_in_it_for_me",
                "goal",
                "belief",
                "team_charter",
                "conversation_plan",
                "emotion_check_in",
            },
        )

    def test_erasure_deletes_every_row_and_is_idempotent(self) -> None:
        self.make_alices_items()
        actions.create_goal(self.bob, submission=None, title="Bob's own goal")
        erased = self.section().erase(self.alice)
        self.assertGreaterEqual(erased, 9)
        self.assertEqual(self.section().erase(self.alice), 0)
        self.assertEqual(self.section().export(self.alice), [])
        self.assertEqual(Goal.objects.get().owner, self.bob)
        self.assertFalse(MoodCheckIn.objects.filter(owner=self.alice).exists())


@pytest.mark.django_db(transaction=True)
def test_none_of_the_text_is_in_the_raw_database() -> None:
    org = make_org("Dump Test Org")
    seed_default_framework(org)
    alice = make_user(org, "dump-alice@example.com", name="Zebulon Quartermaine")
    make_items(alice, Behaviour.objects.filter(organization=org).first())
    dump = raw_database_dump()
    assert b"Zebulon Quartermaine" in dump  # the dump is real: plain columns show up in it
    assert b"gAAAAA" in dump  # the tokens are there instead of the text
    for key, sentence in SECRET.items():
        assert sentence.encode() not in dump, key
