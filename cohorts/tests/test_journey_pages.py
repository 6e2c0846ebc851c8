from datetime import UTC, date, datetime, timedelta
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cohorts.actions import ensure_session, set_completed
from cohorts.models import ActivityProgress, Cohort, Enrollment
from events.models import Event, Verb
from programs.models import ActivityKind, Week
from rapport.lib import timezones
from rapport.testing import PersonaTestCase, without_noise


class ThisWeekTests(PersonaTestCase):
    def url(self, cohort=None):  # type: ignore[no-untyped-def]
        return reverse("cohorts:this_week", args=[(cohort or self.cohort_a).public_id])

    def test_a_learner_sees_the_current_week_of_their_cohort(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "Week 2")
        self.assertContains(response, 'data-testid="week-progress"')
        self.assertContains(response, "0 of 4 done")
        self.assertContains(response, "Up next")
        self.assertContains(response, "Carol")  # their coach

    def test_progress_counts_completed_activities(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        week_two = self.program.weeks.get(number=2).activities.first()
        set_completed(enrollment, activity=week_two)
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "1 of 4 done")
        self.assertContains(response, "1 of 8 done")

    def this_week_at(self, instant: datetime, person: User, cohort: Cohort) -> str:
        self.client.force_login(person)
        with mock.patch.object(timezones.timezone, "now", return_value=instant):
            return self.client.get(self.url(cohort)).content.decode()

    def test_the_week_follows_the_learners_own_time_zone(self) -> None:
        # 20:00 UTC on 2 March is already 3 March in Tokyo: a cohort that started on 24 February
        # is in its second week for Bob (Tokyo) although UTC still says the first.
        self.cohort_a.start_date = date(2026, 2, 24)
        self.cohort_a.save()
        page = self.this_week_at(datetime(2026, 3, 2, 20, tzinfo=UTC), self.bob, self.cohort_a)
        self.assertIn("Discussion prompt 2.1", page)
        self.assertNotIn("Video 1.1", page)

    def test_the_week_starts_later_for_a_learner_west_of_utc(self) -> None:
        # 03:00 UTC on 2 March is still 1 March in Lima: a cohort that started on 23 February is
        # in its second week in UTC but still in its first for Dave.
        self.cohort_b.start_date = date(2026, 2, 23)
        self.cohort_b.save()
        page = self.this_week_at(datetime(2026, 3, 2, 3, tzinfo=UTC), self.dave, self.cohort_b)
        self.assertIn("Video 1.1", page)
        self.assertNotIn("Discussion prompt 2.1", page)

    def test_before_the_start_learners_get_a_welcome_and_week_one(self) -> None:
        self.cohort_b.start_date = timezone.localdate() + timedelta(days=10)
        self.cohort_b.save()
        self.client.force_login(self.dave)
        response = self.client.get(self.url(self.cohort_b))
        self.assertContains(response, "Welcome")
        self.assertContains(response, "Week 1")

    def test_after_the_end_the_last_week_stays_open(self) -> None:
        self.cohort_b.start_date = timezone.localdate() - timedelta(days=60)
        self.cohort_b.save()
        self.client.force_login(self.dave)
        response = self.client.get(self.url(self.cohort_b))
        self.assertContains(response, "end of the programme weeks")
        self.assertContains(response, "Week 2")

    def test_progress_never_shames(self) -> None:
        self.client.force_login(self.alice)
        body = without_noise(self.client.get(self.url()).content.decode()).lower()
        for word in ("behind", "overdue", "failed", "late"):
            self.assertNotIn(word, body)

    def test_the_coach_and_staff_preview_without_progress(self) -> None:
        for person in (self.carol, self.dora, self.adam):
            self.client.force_login(person)
            response = self.client.get(self.url())
            self.assertContains(response, "previewing this journey", msg_prefix=person.email)
            self.assertNotContains(response, 'data-testid="week-progress"')

    def test_outsiders_get_404(self) -> None:
        for person in (self.dave, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url()).status_code, 404, person.email)

    def test_anonymous_people_are_sent_to_sign_in(self) -> None:
        response = self.client.get(self.url())
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url()}")

    def test_a_tampered_uuid_is_404(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/cohorts/not-a-uuid/").status_code, 404)
        bogus = str(self.cohort_a.public_id)[:-4] + "0000"
        self.assertEqual(self.client.get(f"/cohorts/{bogus}/").status_code, 404)


class HomeTests(PersonaTestCase):
    def test_a_learner_with_one_cohort_goes_straight_to_this_week(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertRedirects(response, reverse("cohorts:this_week", args=[self.cohort_a.public_id]))

    def test_an_admin_sees_the_organisations_cohorts_only(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get("/")
        self.assertContains(response, "Cohort A")
        self.assertContains(response, "Cohort B")
        self.assertContains(response, "Import learners")
        self.assertNotContains(response, "Contoso")

    def test_a_designer_gets_the_studio_but_not_import(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get("/")
        self.assertContains(response, "Open the studio")
        self.assertNotContains(response, "Import learners")

    def test_a_coach_sees_the_cohorts_they_coach(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get("/")
        self.assertContains(response, "Cohort A")
        self.assertNotContains(response, "Cohort B")


class JourneyAndWeekTests(PersonaTestCase):
    def test_the_overview_lists_every_week_and_activity(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("cohorts:journey", args=[self.cohort_a.public_id]))
        self.assertContains(response, "Week 1 theme")
        self.assertContains(response, "Week 2 theme")
        self.assertContains(response, 'data-status="current"')
        self.assertContains(response, 'data-testid="journey-progress"')

    def test_a_week_page_shows_its_activities(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("cohorts:week", args=[self.cohort_a.public_id, 1]))
        self.assertContains(response, "Video 1.1")
        self.assertNotContains(response, "Discussion prompt 2.1")

    def test_an_unknown_week_is_404(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("cohorts:week", args=[self.cohort_a.public_id, 9]))
        self.assertEqual(response.status_code, 404)

    def test_outsiders_get_404(self) -> None:
        for person in (self.dave, self.oscar):
            self.client.force_login(person)
            for name, args in (("journey", []), ("week", [1])):
                response = self.client.get(
                    reverse(f"cohorts:{name}", args=[self.cohort_a.public_id, *args])
                )
                self.assertEqual(response.status_code, 404, (person.email, name))


class ActivityPageTests(PersonaTestCase):
    def url(self, activity, name="activity"):  # type: ignore[no-untyped-def]
        return reverse(f"cohorts:{name}", args=[self.cohort_a.public_id, activity.public_id])

    def test_every_kind_of_activity_renders(self) -> None:
        self.client.force_login(self.alice)
        for kind in ActivityKind:
            activity = self.first_activity(kind)
            if activity is None:
                continue
            response = self.client.get(self.url(activity))
            self.assertContains(response, activity.title, msg_prefix=kind)

    def test_opening_an_activity_marks_it_started_and_records_a_view(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        self.client.get(self.url(activity))
        progress = ActivityProgress.objects.get(enrollment__user=self.alice, activity=activity)
        self.assertEqual(progress.state, "started")
        event = Event.objects.get(actor=self.alice, verb=Verb.VIEWED)
        self.assertEqual(event.object_id, activity.public_id)
        self.assertEqual(event.cohort, self.cohort_a)

    def test_the_article_is_markdown_and_sanitised(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        activity.body = "Hello **world** <script>alert(1)</script> [x](javascript:alert(1))"
        activity.save()
        self.client.force_login(self.alice)
        response = self.client.get(self.url(activity))
        self.assertContains(response, "<strong>world</strong>", html=False)
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, 'href="javascript:')

    def test_media_has_a_player_with_captions_transcript_and_resume_position(self) -> None:
        activity = self.first_activity(ActivityKind.VIDEO)
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        ActivityProgress.objects.create(
            enrollment=enrollment, activity=activity, position_seconds=42.5
        )
        self.client.force_login(self.alice)
        response = self.client.get(self.url(activity))
        self.assertContains(response, 'id="media-player"')
        self.assertContains(response, 'data-resume-position="42.5"')
        self.assertContains(response, '<track kind="captions"')
        self.assertContains(response, "Transcript")

    def test_a_live_session_shows_the_learners_local_time_and_an_invite(self) -> None:
        activity = self.first_activity(ActivityKind.LIVE_SESSION)
        self.client.force_login(self.bob)  # Asia/Tokyo
        response = self.client.get(self.url(activity))
        self.assertContains(response, "Asia/Tokyo".replace("_", " "))
        session = ensure_session(self.cohort_a, activity)
        local = session.starts_at.astimezone(timezone.get_fixed_timezone(9 * 60))
        self.assertContains(response, local.strftime("%H:%M"))
        invite = self.client.get(self.url(activity, "activity_invite"))
        self.assertEqual(invite["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn(b"BEGIN:VEVENT", invite.content)
        self.assertIn(b"DTSTART", invite.content)

    def test_the_invite_is_only_for_live_sessions(self) -> None:
        self.client.force_login(self.alice)
        article = self.first_activity(ActivityKind.ARTICLE)
        self.assertEqual(self.client.get(self.url(article, "activity_invite")).status_code, 404)

    def test_e_learning_launch_redirects_to_the_designers_link_and_records_it(self) -> None:
        activity = self.first_activity(ActivityKind.ELEARNING)
        self.client.force_login(self.alice)
        response = self.client.get(self.url(activity, "activity_launch"))
        self.assertRedirects(response, activity.external_url, fetch_redirect_response=False)
        self.assertTrue(Event.objects.filter(actor=self.alice, verb=Verb.LAUNCHED).exists())

    def test_an_activity_of_another_programme_is_404_even_with_a_valid_cohort(self) -> None:
        other = self.other_cohort.program.weeks.first().activities.first()
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url(other)).status_code, 404)

    def test_outsiders_get_404_on_every_activity_endpoint(self) -> None:
        activity = self.first_activity(ActivityKind.LIVE_SESSION)
        for person in (self.dave, self.oscar):
            self.client.force_login(person)
            for name in ("activity", "activity_invite", "activity_launch"):
                self.assertEqual(self.client.get(self.url(activity, name)).status_code, 404)
            for name in ("activity_complete", "media_position"):
                self.assertEqual(self.client.post(self.url(activity, name)).status_code, 404)
        self.assertFalse(ActivityProgress.objects.filter(activity=activity).exists())


class CompletionTests(PersonaTestCase):
    def url(self, activity, name="activity_complete"):  # type: ignore[no-untyped-def]
        return reverse(f"cohorts:{name}", args=[self.cohort_a.public_id, activity.public_id])

    def test_completing_updates_progress_once_and_records_an_event(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        self.client.post(self.url(activity))
        self.client.post(self.url(activity))  # a double click changes nothing
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.assertEqual(enrollment.completed_count, 1)
        self.assertEqual(Event.objects.filter(actor=self.alice, verb=Verb.COMPLETED).count(), 1)
        event = Event.objects.get(actor=self.alice, verb=Verb.COMPLETED)
        self.assertEqual(event.result, {"completion": True})

    def test_htmx_gets_the_fragment(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        response = self.client.post(self.url(activity), headers={"HX-Request": "true"})
        self.assertContains(response, 'data-testid="completion-state"')
        self.assertContains(response, "Done")
        self.assertNotContains(response, "<html")

    def test_undo_marks_it_not_done(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        self.client.post(self.url(activity))
        self.client.post(self.url(activity), {"completed": "0"})
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.assertEqual(enrollment.completed_count, 0)

    def test_only_learners_record_progress(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        for person in (self.carol, self.dora, self.adam):
            self.client.force_login(person)
            self.assertEqual(self.client.post(self.url(activity)).status_code, 403)
        self.assertFalse(ActivityProgress.objects.exists())

    def test_get_is_not_allowed(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url(activity)).status_code, 405)

    def test_a_post_without_csrf_token_is_refused_and_changes_nothing(self) -> None:
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        activity = self.first_activity(ActivityKind.ARTICLE)
        response = client.post(self.url(activity))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "form expired", status_code=403)
        self.assertFalse(ActivityProgress.objects.exists())


class MediaPositionTests(PersonaTestCase):
    def url(self, activity):  # type: ignore[no-untyped-def]
        return reverse("cohorts:media_position", args=[self.cohort_a.public_id, activity.public_id])

    def test_the_position_is_saved_with_an_event(self) -> None:
        activity = self.first_activity(ActivityKind.AUDIO)
        self.client.force_login(self.alice)
        response = self.client.post(self.url(activity), {"position": "12.34", "event": "pause"})
        self.assertEqual(response.json(), {"position": 12.34, "completed": False})
        progress = ActivityProgress.objects.get(activity=activity)
        self.assertEqual(progress.position_seconds, 12.34)
        self.assertEqual(Event.objects.get(verb=Verb.PAUSED).result, {"position": 12.3})

    def test_bad_positions_are_rejected_and_change_nothing(self) -> None:
        activity = self.first_activity(ActivityKind.AUDIO)
        self.client.force_login(self.alice)
        for bad in ({"position": "abc"}, {"position": "-5"}, {"position": "nan"},
                    {"position": "1e309"}, {}, {"position": "3", "event": "explode"}):  # fmt: skip
            response = self.client.post(self.url(activity), bad)
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn("error", response.json())
        self.assertFalse(ActivityProgress.objects.exists())
        self.assertFalse(Event.objects.exclude(verb=Verb.REGISTERED).exists())  # setup's seats only

    def test_non_media_activities_have_no_position(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url(activity), {"position": "3"}).status_code, 400)


@override_settings(RAPPORT_MAX_MEDIA_UPLOAD_MB=500)
class MediaFileTests(PersonaTestCase):
    def test_media_streams_with_range_support_to_people_who_may_see_it(self) -> None:
        activity = self.first_activity(ActivityKind.VIDEO)
        url = reverse("programs:media", args=[activity.public_id])
        self.client.force_login(self.alice)
        whole = self.client.get(url)
        self.assertEqual(whole.status_code, 200)
        self.assertEqual(whole["Accept-Ranges"], "bytes")
        ranged = self.client.get(url, headers={"Range": "bytes=0-3"})
        self.assertEqual(ranged.status_code, 206)
        self.assertEqual(b"".join(ranged.streaming_content), b"\x1a\x45\xdf\xa3")
        self.assertTrue(ranged["Content-Range"].startswith("bytes 0-3/"))
        self.assertEqual(self.client.get(url, headers={"Range": "bytes=999999-"}).status_code, 416)
        self.assertEqual(self.client.get(url, headers={"Range": "bytes=abc"}).status_code, 416)

    def test_captions_are_served_as_webvtt(self) -> None:
        activity = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.carol)
        response = self.client.get(reverse("programs:captions", args=[activity.public_id]))
        self.assertEqual(response["Content-Type"], "text/vtt")

    def test_outsiders_get_404(self) -> None:
        activity = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.oscar)
        self.assertEqual(
            self.client.get(reverse("programs:media", args=[activity.public_id])).status_code, 404
        )
        self.client.force_login(self.dave)  # another cohort running the same programme may see it
        self.assertEqual(
            self.client.get(reverse("programs:media", args=[activity.public_id])).status_code, 200
        )
        self.client.logout()
        self.assertEqual(
            self.client.get(reverse("programs:media", args=[activity.public_id])).status_code, 302
        )

    def test_an_activity_without_that_file_is_404(self) -> None:
        activity = self.first_activity(ActivityKind.ARTICLE)
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.get(reverse("programs:media", args=[activity.public_id])).status_code, 404
        )


class PastLiveSessionTests(PersonaTestCase):
    def test_a_past_session_says_it_took_place_and_offers_no_invite_button(self) -> None:
        activity = self.first_activity(ActivityKind.LIVE_SESSION)
        session = ensure_session(self.cohort_a, activity)
        session.starts_at = timezone.now() - timedelta(days=2)
        session.save()
        self.client.force_login(self.alice)
        response = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id])
        )
        self.assertContains(response, "has taken place")
        self.assertNotContains(response, "Add to calendar")


class ProgrammeGrowsTests(PersonaTestCase):
    def test_a_week_added_after_the_cohort_was_made_shows_up(self) -> None:
        # The cohort has run past its two weeks; the designer then adds a third.
        self.cohort_b.start_date = timezone.localdate() - timedelta(days=60)
        self.cohort_b.save()
        Week.objects.create(program=self.program, number=3, title="A week added later")
        self.client.force_login(self.dave)
        response = self.client.get(reverse("cohorts:this_week", args=[self.cohort_b.public_id]))
        self.assertContains(response, "Week 3: A week added later")
