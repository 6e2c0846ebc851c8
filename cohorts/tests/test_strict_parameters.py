"""Boolean and numeric request parameters are parsed strictly: nonsense is a 400 with a message
saying what is accepted, and nothing changes (no progress, no event)."""

from django.urls import reverse

from cohorts.models import ActivityProgress, Enrollment
from events.models import Event, Verb
from programs.models import Activity, ActivityKind
from rapport.testing import PersonaTestCase


class CompletedParameterTests(PersonaTestCase):
    def post(self, activity: Activity, data: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
        self.client.force_login(self.alice)
        url = reverse(
            "cohorts:activity_complete", args=[self.cohort_a.public_id, activity.public_id]
        )
        return self.client.post(url, data, **kwargs)

    def test_completed_banana_does_not_count_as_done(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        response = self.post(activity, {"completed": "banana"})
        self.assertContains(response, "“banana” is not a completion state", status_code=400)
        self.assertFalse(ActivityProgress.objects.exists())
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only
        self.assertEqual(
            Enrollment.objects.get(user=self.alice, cohort=self.cohort_a).completed_count, 0
        )

    def test_other_spellings_of_true_and_false_are_refused_too(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        for value in ("", "true", "yes", "2", "-1", "1.0", " 1"):
            response = self.post(activity, {"completed": value}, headers={"HX-Request": "true"})
            self.assertEqual(response.status_code, 400, value)
        self.assertFalse(ActivityProgress.objects.exists())

    def test_nonsense_cannot_undo_a_done_activity(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.assertEqual(self.post(activity, {"completed": "1"}).status_code, 302)
        self.assertEqual(self.post(activity, {"completed": "false"}).status_code, 400)
        progress = ActivityProgress.objects.get(activity=activity)
        self.assertTrue(progress.is_completed)

    def test_one_and_zero_still_mark_done_and_not_done(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.post(activity, {"completed": "1"})
        self.assertTrue(ActivityProgress.objects.get(activity=activity).is_completed)
        self.post(activity, {"completed": "0"})
        self.assertFalse(ActivityProgress.objects.get(activity=activity).is_completed)


class MediaPositionParameterTests(PersonaTestCase):
    def test_each_bad_value_gets_a_message_saying_what_is_accepted(self) -> None:
        activity = self.first_activity(ActivityKind.AUDIO)
        url = reverse("cohorts:media_position", args=[self.cohort_a.public_id, activity.public_id])
        self.client.force_login(self.alice)
        cases = {
            "banana": "must be a number of seconds",
            "inf": "must be a number of seconds",
            "-1": "greater than or equal to 0",
            "86401": "less than or equal to 86400",
        }
        for position, message in cases.items():
            response = self.client.post(url, {"position": position})
            self.assertEqual(response.status_code, 400, position)
            self.assertIn(message, response.json()["error"], position)
        response = self.client.post(url, {"position": "3", "event": "banana"})
        self.assertIn("“banana” is not an event", response.json()["error"])
        self.assertFalse(ActivityProgress.objects.exists())
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only
