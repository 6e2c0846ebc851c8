"""Playing a video or podcast to the end marks it done, as "Mark as done" would."""

from django.urls import reverse

from cohorts.models import ActivityProgress, Enrollment
from events.models import Event, Verb
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase


class MediaEndedTests(PersonaTestCase):
    def post(self, activity, **data: str):  # type: ignore[no-untyped-def]
        url = reverse("cohorts:media_position", args=[self.cohort_a.public_id, activity.public_id])
        return self.client.post(url, data)

    def test_the_ended_event_marks_the_activity_done(self) -> None:
        for kind in (ActivityKind.AUDIO, ActivityKind.VIDEO):
            activity = self.first_activity(kind)
            self.client.force_login(self.alice)
            response = self.post(activity, position="183.2", event="ended")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json(), {"position": 183.2, "completed": True})
            progress = ActivityProgress.objects.get(activity=activity, enrollment__user=self.alice)
            self.assertTrue(progress.is_completed)
            completed = Event.objects.filter(verb=Verb.COMPLETED, object_id=activity.public_id)
            self.assertEqual(completed.count(), 1)
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.assertEqual(enrollment.completed_count, 2)

    def test_ending_twice_counts_once(self) -> None:
        activity = self.first_activity(ActivityKind.AUDIO)
        self.client.force_login(self.alice)
        self.post(activity, position="10", event="ended")
        self.post(activity, position="10", event="ended")
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.assertEqual(enrollment.completed_count, 1)
        self.assertEqual(Event.objects.filter(verb=Verb.COMPLETED).count(), 1)

    def test_pausing_does_not_mark_it_done(self) -> None:
        activity = self.first_activity(ActivityKind.AUDIO)
        self.client.force_login(self.alice)
        self.assertEqual(
            self.post(activity, position="10", event="pause").json()["completed"], False
        )
        self.assertFalse(ActivityProgress.objects.get(activity=activity).is_completed)

    def test_only_the_learner_can_end_it(self) -> None:
        activity = self.first_activity(ActivityKind.AUDIO)
        self.client.force_login(self.carol)
        self.assertEqual(self.post(activity, position="10", event="ended").status_code, 403)
        self.assertFalse(ActivityProgress.objects.exists())
