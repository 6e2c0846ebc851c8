import pytest

from cohorts.models import Enrollment
from events.actions import record_event
from events.models import Event, Verb
from events.xapi import VERB_IRIS, statement_for
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase


class EventTests(PersonaTestCase):
    def test_every_verb_maps_to_an_xapi_iri(self) -> None:
        self.assertEqual(set(VERB_IRIS), set(Verb))

    def test_a_statement_identifies_the_actor_without_personal_data(self) -> None:
        activity = self.first_activity(ActivityKind.VIDEO)
        event = record_event(
            self.alice,
            verb=Verb.PAUSED,
            object_type="activity",
            object_id=activity.public_id,
            cohort=self.cohort_a,
            result={"position": 12.5},
        )
        statement = statement_for(event, base_url="https://rapport.example.com/")
        self.assertEqual(statement["actor"]["account"]["name"], str(self.alice.public_id))
        self.assertEqual(statement["verb"]["id"], "https://w3id.org/xapi/video/verbs/paused")
        self.assertTrue(statement["object"]["id"].endswith(str(activity.public_id)))
        grouping = statement["context"]["contextActivities"]["grouping"][0]["id"]
        self.assertTrue(grouping.endswith(str(self.cohort_a.public_id)))
        self.assertEqual(
            statement["result"]["extensions"],
            {"https://rapport.example.com/xapi/result/position": 12.5},
        )
        text = repr(statement)
        for private in (self.alice.email, self.alice.full_name):
            self.assertNotIn(private, text)

    def test_completion_is_an_xapi_result(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        from cohorts.actions import set_completed

        set_completed(enrollment, activity=self.first_activity(ActivityKind.ARTICLE))
        event = Event.objects.get(verb=Verb.COMPLETED)
        statement = statement_for(event, base_url="https://rapport.example.com")
        self.assertEqual(statement["result"], {"completion": True})

    def test_events_refuse_free_text(self) -> None:
        with pytest.raises(TypeError):
            record_event(
                self.alice,
                verb=Verb.VIEWED,
                object_type="activity",
                object_id=self.first_activity().public_id,
                result={"note": "I struggled with my manager"},  # type: ignore[dict-item]
            )
        self.assertFalse(Event.objects.exists())
