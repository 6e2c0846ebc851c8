"""Placing people in published circles records one `joined` event each (actor the learner,
object the circle, their seat the registration): at publication, for a late joiner, and for a
move into a published circle. Drafts record nothing; events carry ids only."""

from django.urls import reverse

from circles import actions
from circles.models import Circle, CircleMember, CircleState
from circles.roster import load_people
from circles.tests.test_pages import add_learners
from cohorts.actions import enroll
from cohorts.models import Enrollment, EnrollmentRole
from events.models import Event, ObjectType, Verb
from events.xapi import statement_for
from rapport.testing import PersonaTestCase, make_cohort


class CirclePlacementEventTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cohort = make_cohort(cls.program, name="Cohort D")
        enroll(cls.carol, cohort=cls.cohort, role=EnrollmentRole.COACH)
        add_learners(cls, cls.cohort, 20)

    def url(self, name: str) -> str:
        return reverse(f"circles:{name}", args=[self.cohort.public_id])

    def form(self) -> None:
        self.client.force_login(self.adam)
        self.client.post(self.url("form"), {"mix": ["region", "function"]})

    def joined(self) -> list[Event]:
        return list(Event.objects.filter(verb=Verb.JOINED, cohort=self.cohort))

    def test_forming_drafts_records_nothing_and_publishing_one_event_per_member(self) -> None:
        self.form()
        self.assertEqual(self.joined(), [])
        self.client.post(self.url("publish"))
        events = self.joined()
        self.assertEqual(len(events), 20)
        members = {
            (m.user_id, m.circle.public_id, m.enrollment.public_id)
            for m in CircleMember.objects.filter(cohort=self.cohort).select_related(
                "circle", "enrollment"
            )
        }
        self.assertEqual({(e.actor_id, e.object_id, e.registration) for e in events}, members)
        for event in events:
            self.assertEqual(event.object_type, ObjectType.CIRCLE)
            self.assertEqual(event.result, {})
            self.assertEqual(event.organization_id, self.org.pk)

    def test_a_late_joiner_placed_records_that_they_joined(self) -> None:
        self.form()
        self.client.post(self.url("publish"))
        before = len(self.joined())
        with self.captureOnCommitCallbacks(execute=True):
            (late,) = add_learners(self, self.cohort, 1, start=100)
        circle = CircleMember.objects.get(user=late).circle
        event = Event.objects.get(verb=Verb.JOINED, actor=late)
        self.assertEqual(event.object_id, circle.public_id)
        self.assertEqual(
            event.registration, Enrollment.objects.get(user=late, cohort=self.cohort).public_id
        )
        self.assertEqual(len(self.joined()), before + 1)
        # Placing again does nothing and records nothing.
        actions.place_late_joiner(Enrollment.objects.get(user=late, cohort=self.cohort))
        self.assertEqual(len(self.joined()), before + 1)

    def test_a_move_into_a_published_circle_is_recorded_and_a_draft_move_is_not(self) -> None:
        self.form()
        first, second = Circle.objects.filter(cohort=self.cohort).order_by("pk")[:2]
        mover = CircleMember.objects.filter(circle=first).first()
        people = load_people(self.cohort)
        actions.move_person(
            self.cohort, person=people[mover.user_id], to=second, by=self.adam, people=people
        )
        self.assertEqual(self.joined(), [])
        Circle.objects.filter(pk=first.pk).update(state=CircleState.PUBLISHED)
        first.refresh_from_db()
        actions.move_person(
            self.cohort, person=people[mover.user_id], to=first, by=self.adam, people=people
        )
        (event,) = self.joined()
        self.assertEqual((event.actor_id, event.object_id), (mover.user_id, first.public_id))

    def test_the_event_is_an_xapi_join_of_a_group(self) -> None:
        self.form()
        self.client.post(self.url("publish"))
        event = self.joined()[0]
        statement = statement_for(event, base_url="https://rapport.example.com")
        self.assertEqual(statement["verb"]["id"], "http://activitystrea.ms/schema/1.0/join")
        self.assertEqual(
            statement["object"]["definition"]["type"], "http://activitystrea.ms/schema/1.0/group"
        )
        self.assertIn(str(event.object_id), statement["object"]["id"])
        self.assertEqual(statement["context"]["registration"], str(event.registration))

    def test_a_publication_dated_in_the_past_dates_its_events(self) -> None:
        from datetime import UTC, datetime

        self.form()
        when = datetime(2026, 3, 2, tzinfo=UTC)
        actions.publish(
            self.cohort,
            by=self.adam,
            people=load_people(self.cohort),
            notify_members=False,
            at=when,
        )
        self.assertEqual({e.timestamp for e in self.joined()}, {when})
