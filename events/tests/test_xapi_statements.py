"""What the forwarder sends: xAPI 1.0.3 statements validated by Ralph's models (`ralph-malph`),
with an account IFI, the programme and cohort in context, the enrolment as registration, no
text, a stable id, and the xAPI video profile for a video's played, paused and completed."""

import json
import uuid

import pytest
from django.urls import reverse
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.video.statements import VideoCompleted, VideoPaused, VideoPlayed

from cohorts.actions import save_media_position, set_completed
from cohorts.models import Enrollment
from events.actions import record_event
from events.forwarding import statements_for_events
from events.models import Event, ObjectType, Verb
from events.xapi import VIDEO_ACTIVITY_TYPE, VIDEO_PROFILE
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase

BASE = "https://rapport.example.com"
VIDEO_TIME = "https://w3id.org/xapi/video/extensions/time"
VIDEO_LENGTH = "https://w3id.org/xapi/video/extensions/length"
VIDEO_PROGRESS = "https://w3id.org/xapi/video/extensions/progress"


class StatementTests(PersonaTestCase):
    def setUp(self) -> None:
        self.seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)

    def _statement(self, event: Event) -> dict:
        [(pk, statement)] = statements_for_events([event.pk], base_url=BASE)
        self.assertEqual(pk, event.pk)
        BaseXapiStatement(**statement)  # valid xAPI 1.0.3, as Ralph reads it
        return statement

    def test_the_actor_is_an_opaque_account_never_an_email_or_a_name(self) -> None:
        set_completed(self.seat, activity=self.first_activity(ActivityKind.ARTICLE))
        event = Event.objects.get(verb=Verb.COMPLETED)
        statement = self._statement(event)
        self.assertEqual(
            statement["actor"],
            {
                "objectType": "Agent",
                "account": {"homePage": BASE, "name": str(self.alice.public_id)},
            },
        )
        text = json.dumps(statement)
        for personal in (self.alice.email, "alice", self.alice.get_full_name() or "Alice"):
            self.assertNotIn(personal, text)
        self.assertNotIn("mbox", text)

    def test_the_programme_and_cohort_are_in_context_with_the_enrolment_as_registration(
        self,
    ) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        set_completed(self.seat, activity=activity)
        statement = self._statement(Event.objects.get(verb=Verb.COMPLETED))
        context = statement["context"]
        self.assertEqual(context["registration"], str(self.seat.public_id))
        self.assertEqual(
            [a["id"] for a in context["contextActivities"]["grouping"]],
            [
                f"{BASE}/xapi/cohort/{self.cohort_a.public_id}",
                f"{BASE}/xapi/program/{self.program.public_id}",
            ],
        )
        self.assertEqual(statement["object"]["id"], f"{BASE}/xapi/activity/{activity.public_id}")

    def test_an_event_without_its_seat_gets_the_actors_enrolment_in_that_cohort(self) -> None:
        # A discussion post records the cohort but not the seat (its author may be the coach).
        event = record_event(
            self.bob,
            verb=Verb.COMMENTED,
            object_type=ObjectType.COHORT,
            object_id=self.cohort_a.public_id,
            cohort=self.cohort_a,
        )
        bob_seat = Enrollment.objects.get(user=self.bob, cohort=self.cohort_a)
        self.assertEqual(self._statement(event)["context"]["registration"], str(bob_seat.public_id))

    def test_an_event_outside_any_cohort_has_no_registration_nor_grouping(self) -> None:
        event = record_event(
            self.alice, verb=Verb.COMMITTED, object_type=ObjectType.GOAL, object_id=uuid.uuid4()
        )
        self.assertNotIn("context", self._statement(event))

    def test_the_id_is_the_events_public_id_and_the_statement_is_the_same_every_time(
        self,
    ) -> None:
        set_completed(self.seat, activity=self.first_activity(ActivityKind.ARTICLE))
        event = Event.objects.get(verb=Verb.COMPLETED)
        first = self._statement(event)
        self.assertEqual(first["id"], str(event.public_id))
        self.assertEqual(first, self._statement(event))
        self.assertEqual(first["version"], "1.0.3")

    def test_a_batch_costs_three_queries_whatever_its_size(self) -> None:
        activities = list(
            self.program.weeks.get(number=1).activities.all()  # type: ignore[attr-defined]
        )
        for activity in activities:
            set_completed(self.seat, activity=activity)
        for n in range(30):
            record_event(
                self.bob,
                verb=Verb.COMMENTED,
                object_type=ObjectType.ACTIVITY,
                object_id=activities[n % len(activities)].public_id,
                cohort=self.cohort_a,
            )
        ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
        for size in (2, len(ids)):
            # the events with actor, cohort, programme; the missing seats; the activities' kinds
            with self.assertNumQueries(3):
                pairs = statements_for_events(ids[-size:], base_url=BASE)
            self.assertEqual(len(pairs), size)


class VideoProfileTests(PersonaTestCase):
    """https://w3id.org/xapi/video: Ralph's models of the profile's statements check the
    activity type, the profile in context category, the playhead (`time`), and for paused and
    completed the media's length and the progress."""

    def setUp(self) -> None:
        self.seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.video = self.first_activity(ActivityKind.VIDEO)

    def _last(self, verb: Verb) -> dict:
        event = Event.objects.filter(verb=verb).order_by("-pk").first()
        [(_, statement)] = statements_for_events([event.pk], base_url=BASE)
        return statement

    def test_played_paused_and_completed_of_a_video_meet_the_video_profile(self) -> None:
        save_media_position(
            self.seat, activity=self.video, position=0.0, verb=Verb.PLAYED, length=120.0
        )
        save_media_position(
            self.seat, activity=self.video, position=30.0, verb=Verb.PAUSED, length=120.0
        )
        save_media_position(
            self.seat, activity=self.video, position=120.0, verb=Verb.PROGRESSED, length=120.0
        )
        set_completed(self.seat, activity=self.video, position=120.0, length=120.0)

        played = self._last(Verb.PLAYED)
        VideoPlayed(**played)
        paused = self._last(Verb.PAUSED)
        VideoPaused(**paused)
        completed = self._last(Verb.COMPLETED)
        VideoCompleted(**completed)

        for statement in (played, paused, completed):
            self.assertEqual(statement["object"]["definition"]["type"], VIDEO_ACTIVITY_TYPE)
            category = statement["context"]["contextActivities"]["category"]
            self.assertEqual(category[0]["id"], VIDEO_PROFILE)
        self.assertEqual(paused["result"]["extensions"][VIDEO_TIME], 30.0)
        self.assertEqual(paused["result"]["extensions"][VIDEO_PROGRESS], 0.25)
        self.assertEqual(paused["context"]["extensions"][VIDEO_LENGTH], 120.0)
        self.assertIs(completed["result"]["completion"], True)
        self.assertEqual(completed["result"]["extensions"][VIDEO_PROGRESS], 1.0)
        # One sitting: the statements share the profile's session id.
        session = "https://w3id.org/xapi/video/extensions/session-id"
        self.assertEqual(
            {s["context"]["extensions"][session] for s in (played, paused, completed)},
            {played["context"]["extensions"][session]},
        )

    def test_a_video_marked_done_by_hand_is_a_plain_statement_not_a_broken_profile_one(
        self,
    ) -> None:
        set_completed(self.seat, activity=self.video)  # no playhead, no length
        completed = self._last(Verb.COMPLETED)
        BaseXapiStatement(**completed)
        self.assertNotIn("category", completed.get("context", {}).get("contextActivities", {}))
        with pytest.raises(ValidationError):
            VideoCompleted(**completed)

    def test_a_podcast_is_not_claimed_as_a_video(self) -> None:
        podcast = self.first_activity(ActivityKind.AUDIO)
        save_media_position(
            self.seat, activity=podcast, position=10.0, verb=Verb.PAUSED, length=60.0
        )
        paused = self._last(Verb.PAUSED)
        BaseXapiStatement(**paused)
        self.assertNotEqual(paused["object"].get("definition", {}).get("type"), VIDEO_ACTIVITY_TYPE)
        self.assertEqual(paused["context"]["extensions"][VIDEO_LENGTH], 60.0)

    def test_the_player_sends_the_length_and_the_end_carries_it_into_completed(self) -> None:
        self.client.force_login(self.alice)
        url = reverse(
            "cohorts:media_position", args=[self.cohort_a.public_id, self.video.public_id]
        )
        response = self.client.post(url, {"position": "95.5", "event": "ended", "length": "95.5"})
        self.assertEqual(response.status_code, 200)
        VideoCompleted(**self._last(Verb.COMPLETED))
        response = self.client.post(url, {"position": "3", "event": "pause", "length": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("length", response.json()["fields"])
