"""The notification pages: the list, opening one, marking all read, the header badge and the
preferences page — each person's own, with strict input and constant query counts."""

from datetime import UTC, datetime, time

from django.urls import reverse

from notifications.actions import notify
from notifications.models import EmailPreference, Notification, NotificationKind, QuietHours
from notifications.tests.helpers import notify_one
from rapport.testing import PersonaTestCase


def many(recipient_ids: list[int], actor: object, n: int) -> None:
    for i in range(n):
        notify(
            kind=NotificationKind.REACTION,
            recipients=recipient_ids,
            actor=actor,  # type: ignore[arg-type]
            actor_label=f"Peer {i}",
            place=f"Week {i}",
            url="/cohorts/",
        )


class ListPageTests(PersonaTestCase):
    def test_it_lists_my_notifications_newest_first_with_unread_marked(self) -> None:
        older = notify_one(self.alice, actor=self.bob, place="Older place")
        notify_one(self.alice, actor=self.carol, actor_label="Carol", kind="mention")
        older.read_at = older.created_at
        older.save()
        self.client.force_login(self.alice)
        response = self.client.get(reverse("notifications:list"))
        body = response.content.decode()
        self.assertLess(body.index("Carol mentioned you"), body.index("Older place"))
        self.assertEqual(body.count("notification--unread"), 1)
        self.assertContains(response, "Mark all as read")

    def test_times_are_written_as_on_every_other_page_in_my_zone(self) -> None:
        note = notify_one(self.alice, actor=self.bob)
        Notification.objects.filter(pk=note.pk).update(
            created_at=datetime(2026, 11, 30, 9, 13, tzinfo=UTC)
        )
        self.alice.time_zone = "Asia/Tokyo"
        self.alice.save(update_fields=["time_zone"])
        self.client.force_login(self.alice)
        response = self.client.get(reverse("notifications:list"))
        self.assertContains(response, ">30 Nov 2026, 18:13</time>")
        self.assertNotContains(response, "a.m.")

    def test_the_list_makes_the_same_queries_for_3_or_60_notifications(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("notifications:list")
        many([self.alice.pk], self.bob, 3)
        self.client.get(url)  # the session is now in the cache
        # user+membership, COUNT for the paginator, the page of notifications
        with self.assertNumQueries(3):
            self.client.get(url)
        many([self.alice.pk], self.bob, 57)
        with self.assertNumQueries(3):
            response = self.client.get(url, {"page": 2})
        self.assertContains(response, "Page 2 of 3")

    def test_a_bad_page_parameter_is_a_400_and_a_page_past_the_end_shows_the_last(self) -> None:
        self.client.force_login(self.alice)
        for bad in ("x", "0", "-1", "1.5"):
            response = self.client.get(reverse("notifications:list"), {"page": bad})
            self.assertEqual(response.status_code, 400, bad)
        self.assertEqual(
            self.client.get(reverse("notifications:list"), {"page": 99}).status_code, 200
        )

    def test_opening_marks_read_and_goes_to_its_page(self) -> None:
        notification = notify_one(self.alice, actor=self.bob, url="/cohorts/somewhere/")
        self.client.force_login(self.alice)
        response = self.client.post(reverse("notifications:open", args=[notification.public_id]))
        self.assertRedirects(response, "/cohorts/somewhere/", fetch_redirect_response=False)
        notification.refresh_from_db()
        self.assertIsNotNone(notification.read_at)

    def test_opening_someone_elses_is_a_404_and_a_get_changes_nothing(self) -> None:
        notification = notify_one(self.alice, actor=self.bob)
        url = reverse("notifications:open", args=[notification.public_id])
        for person in (self.bob, self.carol, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 405)
        notification.refresh_from_db()
        self.assertIsNone(notification.read_at)

    def test_mark_all_read_touches_only_mine(self) -> None:
        many([self.alice.pk, self.carol.pk], self.bob, 3)
        self.client.force_login(self.alice)
        response = self.client.post(reverse("notifications:read_all"), follow=True)
        self.assertContains(response, "All your notifications are marked read.")
        self.assertFalse(Notification.objects.filter(recipient=self.alice, read_at=None).exists())
        self.assertEqual(Notification.objects.filter(recipient=self.carol, read_at=None).count(), 3)

    def test_the_badge_counts_my_unread_in_one_query(self) -> None:
        many([self.alice.pk, self.carol.pk], self.bob, 4)
        self.client.force_login(self.alice)
        self.client.get(reverse("notifications:badge"))  # the session is now in the cache
        with self.assertNumQueries(2):  # user+membership (the session is cached), COUNT
            response = self.client.get(reverse("notifications:badge"))
        self.assertContains(response, '4<span class="visually-hidden"> unread</span>')
        self.client.force_login(self.dave)
        self.assertEqual(self.client.get(reverse("notifications:badge")).content.strip(), b"")

    def test_every_page_links_to_notifications_and_loads_the_badge(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("accounts:profile"))
        self.assertContains(response, f'href="{reverse("notifications:list")}"')
        self.assertContains(response, f'data-hx-get="{reverse("notifications:badge")}"')


class PreferencesPageTests(PersonaTestCase):
    def form(self, **overrides: str) -> dict[str, str]:
        data = {f"email_{kind}": "immediate" for kind in NotificationKind.values}
        data |= {"quiet_start": "", "quiet_end": ""}
        data.update(overrides)
        return data

    def test_it_shows_the_defaults_and_makes_constant_queries(self) -> None:
        self.client.force_login(self.alice)
        self.client.get(reverse("notifications:preferences"))  # the session is now cached
        # user+membership, quiet hours, preferences
        with self.assertNumQueries(3):
            response = self.client.get(reverse("notifications:preferences"))
        self.assertContains(
            response, 'name="email_reaction" value="weekly" id="id_email_reaction_2" checked'
        )
        self.assertContains(
            response, 'name="email_reply" value="immediate" id="id_email_reply_0" checked'
        )
        self.assertContains(response, "Europe/London")

    def test_saving_stores_choices_and_quiet_hours(self) -> None:
        self.client.force_login(self.alice)
        data = self.form(email_reaction="never", quiet_start="22:00", quiet_end="07:30")
        response = self.client.post(reverse("notifications:preferences"), data, follow=True)
        self.assertContains(response, "Your notification preferences are saved.")
        self.assertEqual(
            EmailPreference.objects.get(user=self.alice, kind="reaction").email, "never"
        )
        hours = QuietHours.objects.get(user=self.alice)
        self.assertEqual((hours.start, hours.end), (time(22), time(7, 30)))
        response = self.client.post(reverse("notifications:preferences"), self.form())
        self.assertFalse(QuietHours.objects.filter(user=self.alice).exists())

    def test_bad_input_is_a_400_that_says_why_and_changes_nothing(self) -> None:
        self.client.force_login(self.alice)
        cases = {
            "email_reply": ("sometimes", "is not a choice"),
            "quiet_start": ("25:00", "Enter a time"),
        }
        for field, (value, message) in cases.items():
            response = self.client.post(
                reverse("notifications:preferences"), self.form(**{field: value})
            )
            self.assertContains(response, message, status_code=400)
        response = self.client.post(
            reverse("notifications:preferences"), self.form(quiet_start="22:00")
        )
        self.assertContains(response, "both a start and an end", status_code=400)
        response = self.client.post(
            reverse("notifications:preferences"), self.form(quiet_start="22:00", quiet_end="22:00")
        )
        self.assertContains(response, "cannot start and end at the same time", status_code=400)
        data = self.form()
        del data["email_mention"]
        response = self.client.post(reverse("notifications:preferences"), data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(EmailPreference.objects.exists())
        self.assertFalse(QuietHours.objects.exists())

    def test_each_person_is_offered_only_the_kinds_that_can_reach_them(self) -> None:
        """A learner was offered "Reflections your learners share with you" and "Requests for a
        change of coach (admins)", which never reach her."""
        shared = NotificationKind.SHARED_WITH_YOU.label
        request = NotificationKind.COACH_REQUEST.label
        offered = {}
        for person in (self.alice, self.carol, self.adam):
            self.client.force_login(person)
            offered[person.email] = self.client.get(reverse("notifications:preferences"))
        learner, coach, admin = offered.values()
        self.assertNotContains(learner, 'name="email_shared_with_you"')
        self.assertNotContains(learner, shared)
        self.assertNotContains(learner, 'name="email_coach_request"')
        self.assertNotContains(learner, request)
        # A learner is told of a new coach (coaching.actions tells learners and coaches).
        self.assertContains(learner, 'name="email_coach_match"')
        self.assertContains(learner, 'name="email_reply"')
        self.assertContains(coach, 'name="email_shared_with_you"')
        self.assertNotContains(coach, 'name="email_coach_request"')
        self.assertContains(admin, 'name="email_shared_with_you"')
        self.assertContains(admin, 'name="email_coach_request"')

    def test_a_posted_kind_that_is_not_offered_is_ignored_and_saved_choices_are_kept(
        self,
    ) -> None:
        EmailPreference.objects.create(
            user=self.alice,
            kind=NotificationKind.SHARED_WITH_YOU,
            email="weekly",
            organization_id=self.org.pk,
        )
        self.client.force_login(self.alice)
        data = self.form(email_reaction="never", email_shared_with_you="never")
        data["email_coach_request"] = "not even a choice"
        response = self.client.post(reverse("notifications:preferences"), data, follow=True)
        self.assertContains(response, "Your notification preferences are saved.")
        mine = dict(EmailPreference.objects.filter(user=self.alice).values_list("kind", "email"))
        self.assertEqual(mine["reaction"], "never")
        self.assertEqual(mine["shared_with_you"], "weekly")  # kept, not offered, not changed
        self.assertNotIn("coach_request", mine)
