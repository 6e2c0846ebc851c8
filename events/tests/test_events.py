import math
import uuid

import pytest

from cohorts.actions import set_completed
from cohorts.models import Enrollment
from events.actions import (
    RESULT_TYPES,
    InvalidEvent,
    ObjectRef,
    new_event,
    record_event,
    record_events,
)
from events.models import Event, ObjectType, ResultKey, Verb
from events.xapi import ACTIVITY_TYPE_IRIS, RESULT_EXTENSION_IRIS, VERB_IRIS, statement_for
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase

BASE = "https://rapport.example.com"


class VocabularyTests(PersonaTestCase):
    def test_every_verb_object_type_and_result_key_maps_to_xapi(self) -> None:
        self.assertEqual(set(VERB_IRIS), set(Verb))
        self.assertEqual(set(ACTIVITY_TYPE_IRIS), set(ObjectType))
        self.assertEqual(set(RESULT_EXTENSION_IRIS) | {ResultKey.COMPLETION}, set(ResultKey))
        self.assertEqual(set(RESULT_TYPES), set(ResultKey))

    def test_enrolment_import_and_invitation_use_the_published_verbs(self) -> None:
        self.assertEqual(VERB_IRIS[Verb.REGISTERED], "http://adlnet.gov/expapi/verbs/registered")
        self.assertEqual(VERB_IRIS[Verb.IMPORTED], "http://adlnet.gov/expapi/verbs/imported")
        self.assertEqual(VERB_IRIS[Verb.INVITED], "http://activitystrea.ms/schema/1.0/invite")

    def _record(self, **overrides: object) -> Event:
        arguments: dict[str, object] = {
            "verb": Verb.VIEWED,
            "object_type": ObjectType.ACTIVITY,
            "object_id": self.first_activity().public_id,
            "cohort": self.cohort_a,
        }
        arguments.update(overrides)
        return record_event(self.alice, **arguments)  # type: ignore[arg-type]

    def test_a_sentence_as_verb_is_refused_and_nothing_is_written(self) -> None:
        with pytest.raises(InvalidEvent, match="event verb 'told her coach about"):
            self._record(verb="told her coach about the divorce")
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only

    def test_an_unknown_object_type_is_refused(self) -> None:
        with pytest.raises(InvalidEvent, match="event object type 'reflection'"):
            self._record(object_type="reflection")
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only

    def test_an_unknown_result_key_is_refused_even_with_a_number(self) -> None:
        with pytest.raises(InvalidEvent, match="result key 'I felt anxious all week'"):
            self._record(result={"I felt anxious all week": 1})
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only

    def test_free_text_as_a_result_value_is_refused(self) -> None:
        with pytest.raises(InvalidEvent, match="'position' must be a number"):
            self._record(result={"position": "I struggled with my manager"})
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only

    def test_each_result_key_takes_only_its_own_kind_of_value(self) -> None:
        refused = [
            {"completion": 1},  # a flag, not a number
            {"position": True},  # a number, not a flag
            {"position": math.nan},
            {"position": -3.0},
            {"created": 2.5},  # a count
            {"created": -1},
            {"errors": False},
        ]
        for result in refused:
            with self.subTest(result=result), pytest.raises(InvalidEvent):
                self._record(result=result)
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only
        event = self._record(result={"position": 12, "completion": False})
        self.assertEqual(event.result, {"position": 12.0, "completion": False})

    def test_a_context_reference_must_be_typed_and_a_uuid(self) -> None:
        with pytest.raises(InvalidEvent, match="parent type 'thread'"):
            self._record(parent=ObjectRef("thread", uuid.uuid4()))  # type: ignore[arg-type]
        with pytest.raises(InvalidEvent, match="grouping must be an ObjectRef"):
            self._record(grouping=("cohort", uuid.uuid4()))
        with pytest.raises(InvalidEvent, match="a person cannot be an event's parent"):
            self._record(parent=ObjectRef(ObjectType.PERSON, self.bob.public_id))
        with pytest.raises(InvalidEvent, match="object id must be a UUID"):
            self._record(object_id=str(uuid.uuid4()))
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only

    def test_an_event_without_a_cohort_belongs_to_the_actors_organisation(self) -> None:
        event = record_event(
            self.adam, verb=Verb.INVITED, object_type=ObjectType.PERSON, object_id=uuid.uuid4()
        )
        self.assertEqual(event.organization_id, self.org.pk)


class StatementTests(PersonaTestCase):
    def test_a_statement_identifies_the_actor_without_personal_data(self) -> None:
        activity = self.first_activity(ActivityKind.VIDEO)
        event = record_event(
            self.alice,
            verb=Verb.PAUSED,
            object_type=ObjectType.ACTIVITY,
            object_id=activity.public_id,
            cohort=self.cohort_a,
            result={"position": 12.5},
        )
        statement = statement_for(event, base_url=BASE + "/")
        self.assertEqual(statement["actor"]["account"]["name"], str(self.alice.public_id))
        self.assertEqual(statement["verb"]["id"], "https://w3id.org/xapi/video/verbs/paused")
        self.assertEqual(statement["object"]["id"], f"{BASE}/xapi/activity/{activity.public_id}")
        grouping = statement["context"]["contextActivities"]["grouping"][0]["id"]
        self.assertEqual(grouping, f"{BASE}/xapi/cohort/{self.cohort_a.public_id}")
        self.assertEqual(
            statement["result"]["extensions"],
            {"https://w3id.org/xapi/video/extensions/time": 12.5},
        )
        text = repr(statement)
        for private in (self.alice.email, self.alice.full_name):
            self.assertNotIn(private, text)

    def test_the_context_carries_registration_parent_and_grouping(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        activity = self.first_activity(ActivityKind.DISCUSSION)
        circle = uuid.uuid4()
        event = record_event(
            self.alice,
            verb=Verb.VIEWED,
            object_type=ObjectType.ACTIVITY,
            object_id=activity.public_id,
            cohort=self.cohort_a,
            registration=enrollment.public_id,
            parent=ObjectRef(ObjectType.PROGRAM, self.program.public_id),
            grouping=ObjectRef(ObjectType.COHORT, circle),
        )
        context = statement_for(event, base_url=BASE)["context"]
        self.assertEqual(context["registration"], str(enrollment.public_id))
        self.assertEqual(
            context["contextActivities"]["parent"],
            [
                {
                    "objectType": "Activity",
                    "id": f"{BASE}/xapi/program/{self.program.public_id}",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/course"},
                }
            ],
        )
        grouping = [ref["id"] for ref in context["contextActivities"]["grouping"]]
        self.assertEqual(
            grouping,
            [
                f"{BASE}/xapi/cohort/{self.cohort_a.public_id}",
                f"{BASE}/xapi/program/{self.program.public_id}",  # the cohort's programme
                f"{BASE}/xapi/cohort/{circle}",
            ],
        )

    def test_an_invited_person_is_an_agent_known_only_by_an_opaque_id(self) -> None:
        event = record_event(
            self.adam,
            verb=Verb.INVITED,
            object_type=ObjectType.PERSON,
            object_id=self.bob.public_id,
            cohort=self.cohort_a,
        )
        statement = statement_for(event, base_url=BASE)
        self.assertEqual(
            statement["object"],
            {"objectType": "Agent", "account": {"homePage": BASE, "name": str(self.bob.public_id)}},
        )
        self.assertNotIn(self.bob.email, repr(statement))

    def test_an_import_reports_its_counts_as_extensions(self) -> None:
        event = record_event(
            self.adam,
            verb=Verb.IMPORTED,
            object_type=ObjectType.COHORT,
            object_id=self.cohort_a.public_id,
            cohort=self.cohort_a,
            result={"created": 3, "enrolled": 1, "errors": 0},
        )
        statement = statement_for(event, base_url=BASE)
        self.assertEqual(statement["verb"]["id"], "http://adlnet.gov/expapi/verbs/imported")
        self.assertEqual(
            statement["result"]["extensions"],
            {
                f"{BASE}/xapi/result/created": 3,
                f"{BASE}/xapi/result/enrolled": 1,
                f"{BASE}/xapi/result/errors": 0,
            },
        )

    def test_an_undone_completion_uses_the_deployments_own_verb(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        activity = self.first_activity(ActivityKind.ARTICLE)
        set_completed(enrollment, activity=activity)
        set_completed(enrollment, activity=activity, completed=False)
        event = Event.objects.get(verb=Verb.UNCOMPLETED)
        statement = statement_for(event, base_url=BASE)
        self.assertEqual(statement["verb"]["id"], f"{BASE}/xapi/verbs/uncompleted")
        self.assertEqual(statement["result"], {"completion": False})


class ActivityEventTests(PersonaTestCase):
    def test_completion_is_an_xapi_result_in_the_learners_registration(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        set_completed(enrollment, activity=self.first_activity(ActivityKind.ARTICLE))
        event = Event.objects.get(verb=Verb.COMPLETED)
        self.assertEqual(event.registration, enrollment.public_id)
        statement = statement_for(event, base_url=BASE)
        self.assertEqual(statement["result"], {"completion": True})
        self.assertEqual(statement["context"]["registration"], str(enrollment.public_id))

    def test_undoing_a_completion_records_one_event_and_a_second_click_none(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        activity = self.first_activity(ActivityKind.ARTICLE)
        set_completed(enrollment, activity=activity)
        set_completed(enrollment, activity=activity, completed=False)
        set_completed(enrollment, activity=activity, completed=False)
        verbs = list(
            Event.objects.exclude(verb=Verb.REGISTERED)
            .order_by("pk")
            .values_list("verb", flat=True)
        )
        self.assertEqual(verbs, [Verb.COMPLETED, Verb.UNCOMPLETED])


class BulkEventTests(PersonaTestCase):
    def test_many_checked_events_are_one_insert(self) -> None:
        enrollments = list(Enrollment.objects.filter(cohort=self.cohort_a).order_by("pk"))
        Event.objects.all().delete()  # the setup's own `registered` events
        events = [
            new_event(
                e.user_id,
                verb=Verb.REGISTERED,
                object_type=ObjectType.COHORT,
                object_id=self.cohort_a.public_id,
                cohort=self.cohort_a,
                registration=e.public_id,
            )
            for e in enrollments
        ]
        with self.assertNumQueries(1):
            record_events(events)
        saved = Event.objects.filter(verb=Verb.REGISTERED).order_by("pk")
        self.assertEqual(
            [(e.actor_id, e.registration, e.organization_id) for e in saved],
            [(e.user_id, e.public_id, self.org.pk) for e in enrollments],
        )

    def test_a_hand_made_event_outside_the_vocabulary_is_refused_in_bulk(self) -> None:
        good = new_event(
            self.alice,
            verb=Verb.VIEWED,
            object_type=ObjectType.ACTIVITY,
            object_id=uuid.uuid4(),
            cohort=self.cohort_a,
        )
        bad = Event(
            organization=self.org,
            actor=self.alice,
            verb="wrote about her panic attacks",
            object_type=ObjectType.ACTIVITY,
            object_id=uuid.uuid4(),
        )
        with pytest.raises(InvalidEvent, match="event verb"):
            record_events([good, bad])
        self.assertFalse(
            Event.objects.filter(actor=self.alice).exclude(verb=Verb.REGISTERED).exists()
        )

    def test_an_actor_given_by_id_needs_a_cohort(self) -> None:
        with pytest.raises(InvalidEvent, match="needs the actor"):
            new_event(
                self.alice.pk,
                verb=Verb.INVITED,
                object_type=ObjectType.PERSON,
                object_id=self.bob.public_id,
            )
