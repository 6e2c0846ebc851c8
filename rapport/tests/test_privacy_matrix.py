"""Adversarial access tests: every persona tries every product URL of cohort A.

The URL list is read from the URL configuration itself, so a new endpoint is covered the day it
is added (and this test fails until it knows how to fill the endpoint's parameters).
"""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cohorts.actions import set_completed
from cohorts.models import ActivityProgress, Enrollment
from events.models import Event
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase

PRODUCT_NAMESPACES = {"cohorts", "programs"}
POST_ONLY = {"cohorts:activity_complete", "cohorts:media_position"}
ADMIN_ONLY = {"cohorts:import"}


def _named_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _named_patterns(entry, entry.namespace or namespace)
        elif entry.name and namespace in PRODUCT_NAMESPACES:
            yield f"{namespace}:{entry.name}", entry


class PrivacyMatrixTests(PersonaTestCase):
    # The kind of activity each endpoint is for; the rest use a video.
    ACTIVITY_KIND_FOR = {
        "cohorts:activity_launch": ActivityKind.ELEARNING,
        "cohorts:activity_invite": ActivityKind.LIVE_SESSION,
    }

    def sample_kwargs(self, name: str, pattern: URLPattern) -> dict[str, object]:
        activity = self.first_activity(self.ACTIVITY_KIND_FOR.get(name, ActivityKind.VIDEO))
        values = {"cohort_id": self.cohort_a.public_id, "number": 1}
        names = set(pattern.pattern.converters)
        values["activity_id"] = activity.public_id
        unknown = names - set(values)
        self.assertFalse(unknown, f"{pattern}: add sample values for {unknown} to this test")
        return {name: values[name] for name in names}

    def urls(self) -> list[tuple[str, str]]:
        found = []
        for name, pattern in _named_patterns(get_resolver()):
            found.append((name, reverse(name, kwargs=self.sample_kwargs(name, pattern))))
        self.assertGreaterEqual(len(found), 9)
        return found

    def request(self, name: str, url: str):  # type: ignore[no-untyped-def]
        return self.client.post(url) if name in POST_ONLY else self.client.get(url)

    def test_anonymous_people_are_sent_to_sign_in_everywhere(self) -> None:
        for name, url in self.urls():
            response = self.request(name, url)
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("accounts:login"), response["Location"], name)

    def test_people_outside_the_cohort_get_404_everywhere(self) -> None:
        # dave learns in cohort B of the same organisation; oscar is in another organisation.
        for person in (self.dave, self.oscar):
            self.client.force_login(person)
            for name, url in self.urls():
                if name.startswith("programs:") and person == self.dave:
                    continue  # the same programme's media is his to see through cohort B
                response = self.request(name, url)
                self.assertEqual(response.status_code, 404, f"{person.email} {name}")
        self.assertFalse(ActivityProgress.objects.exists())
        self.assertFalse(Event.objects.exists())

    def test_only_learners_write_and_only_admins_import(self) -> None:
        for person in (self.carol, self.dora, self.adam, self.alice):
            self.client.force_login(person)
            for name, url in self.urls():
                status = self.request(name, url).status_code
                if name in POST_ONLY:
                    # an empty POST is a bad request for the learner, forbidden for others
                    expected = {200, 302, 400} if person == self.alice else {403}
                elif name in ADMIN_ONLY:
                    expected = {200} if person == self.adam else {403}
                else:
                    expected = {200, 302}
                self.assertIn(status, expected, f"{person.email} {name}")

    def test_a_learner_never_sees_a_peers_progress(self) -> None:
        alice = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        for activity in self.program.weeks.get(number=2).activities.all():
            set_completed(alice, activity=activity)
        self.client.force_login(self.bob)
        for name, url in self.urls():
            if name in POST_ONLY or name in ADMIN_ONLY or name.startswith("programs:"):
                continue
            response = self.request(name, url)
            self.assertNotContains(response, "✓ Done", status_code=response.status_code)
            self.assertNotContains(response, "4 of 4 done", status_code=response.status_code)

    def test_staff_previews_show_no_ones_progress(self) -> None:
        alice = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        for activity in self.program.weeks.get(number=2).activities.all():
            set_completed(alice, activity=activity)
        for person in (self.carol, self.dora, self.adam):
            self.client.force_login(person)
            for name in ("cohorts:this_week", "cohorts:journey"):
                response = self.client.get(reverse(name, args=[self.cohort_a.public_id]))
                self.assertNotContains(response, "done")
