"""The studio's content pages: programmes, weeks and activities (programs/admin.py), and the
live-session times typed in the studio (an activity's default, a cohort's own session), which
are read in the designer's own time zone."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from cohorts.actions import ensure_sessions
from cohorts.models import CohortSession
from organizations.models import Competency, Role
from programs.models import Activity, ActivityKind, Program, Week
from rapport.studio_testing import StudioTestCase, changelist, management_form
from rapport.testing import TINY_WEBM, make_user


class ProgramTests(StudioTestCase):
    def test_a_new_programme_joins_the_designers_organisation_whatever_the_post_says(self) -> None:
        self.client.force_login(self.dora)
        data = {
            "title": "Feedback that lands",
            "summary": "Four weeks.",
            "organization": self.other_org.pk,  # tampered in: the form has no such field
            **management_form("weeks", total=1),
            "weeks-0-number": "1",
            "weeks-0-title": "Listening",
            "weeks-0-summary": "",
            "_save": "Save",
        }
        response = self.client.post(reverse("studio:programs_program_add"), data)
        self.assertEqual(response.status_code, 302)
        program = Program.objects.get(title="Feedback that lands")
        self.assertEqual(program.organization, self.org)
        self.assertEqual(program.weeks.get().organization_id, self.org.pk)

    def test_another_organisations_programme_cannot_be_opened(self) -> None:
        other = Program.objects.get(title="Other programme")
        self.client.force_login(self.dora)
        response = self.client.get(
            reverse("studio:programs_program_change", args=[other.pk]), follow=True
        )
        self.assertNotContains(response, "Other programme")

    def test_the_delete_action_ignores_another_organisations_programmes(self) -> None:
        other = Program.objects.get(title="Other programme")
        empty = Program.objects.create(organization=self.org, title="Abandoned draft")
        self.client.force_login(self.dora)
        response = self.client.post(
            changelist("programs_program"),
            {
                "action": "delete_selected",
                "_selected_action": [empty.pk, other.pk],
                "post": "yes",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Program.objects.filter(pk=empty.pk).exists())
        self.assertTrue(Program.objects.filter(pk=other.pk).exists())


class ActivityTests(StudioTestCase):
    def test_another_organisations_activity_looks_exactly_like_a_missing_one(self) -> None:
        self.client.force_login(self.dora)
        foreign = self.client.get(
            reverse("studio:programs_activity_change", args=[self.secret_activity.pk])
        )
        missing = self.client.get(reverse("studio:programs_activity_change", args=[999_999]))
        # Django's admin sends a missing object back to the index with a message.
        self.assertEqual(foreign.status_code, 302)
        self.assertEqual(foreign["Location"], missing["Location"])
        page = self.client.get(foreign["Location"])
        self.assertContains(page, "doesn\u2019t exist")
        self.assertNotContains(page, "Contoso secret plan")
        for name in ("delete", "history"):
            response = self.client.get(
                reverse(f"studio:programs_activity_{name}", args=[self.secret_activity.pk]),
                follow=True,
            )
            self.assertNotContains(response, "Contoso secret plan")

    def test_the_activity_form_offers_only_the_organisations_weeks_and_competencies(
        self,
    ) -> None:
        self.client.force_login(self.dora)
        form = self.client.get(reverse("studio:programs_activity_add")).context["adminform"].form
        self.assertEqual({w.pk for w in form.fields["week"].queryset}, self.own_weeks())
        self.assertEqual(
            {c.pk for c in form.fields["competencies"].queryset},
            set(Competency.objects.filter(organization=self.org).values_list("pk", flat=True)),
        )

    def test_a_tampered_week_from_another_organisation_is_refused(self) -> None:
        other_week = Week.objects.filter(organization=self.other_org).first()
        assert other_week is not None
        self.client.force_login(self.dora)
        article = Activity(week=other_week, kind=ActivityKind.ARTICLE, title="Sneaky")
        response = self.client.post(
            reverse("studio:programs_activity_add"), self.activity_post(article)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("week", response.context["adminform"].form.errors)
        self.assertFalse(Activity.objects.filter(title="Sneaky").exists())

    def test_a_video_without_media_gets_the_models_message(self) -> None:
        week = Week.objects.filter(organization=self.org).first()
        assert week is not None
        self.client.force_login(self.dora)
        video = Activity(week=week, kind=ActivityKind.VIDEO, title="No file yet")
        response = self.client.post(
            reverse("studio:programs_activity_add"), self.activity_post(video)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("media", response.context["adminform"].form.errors)
        self.assertFalse(Activity.objects.filter(title="No file yet").exists())

    def test_a_new_activity_is_saved_in_the_designers_organisation(self) -> None:
        week = Week.objects.filter(organization=self.org).first()
        assert week is not None
        self.client.force_login(self.dora)
        article = Activity(week=week, kind=ActivityKind.ARTICLE, title="A fresh article")
        response = self.client.post(
            reverse("studio:programs_activity_add"), self.activity_post(article)
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Activity.objects.get(title="A fresh article").organization, self.org)

    def _upload(self, upload: SimpleUploadedFile) -> Any:
        video = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.dora)
        url = reverse("studio:programs_activity_change", args=[video.pk])
        return video, self.client.post(
            url, self.activity_post(video, title="Renamed", media=upload)
        )

    def test_a_wrong_type_upload_is_a_form_error_and_changes_nothing(self) -> None:
        video, response = self._upload(
            SimpleUploadedFile("notes.txt", b"plain text", content_type="text/plain")
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("media", response.context["adminform"].form.errors)
        video.refresh_from_db()
        self.assertNotEqual(video.title, "Renamed")
        self.assertTrue(video.media.name.endswith(".webm"))

    def test_a_file_pretending_to_be_a_video_is_a_form_error(self) -> None:
        _, response = self._upload(SimpleUploadedFile("clip.webm", b"not really a video"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("media", response.context["adminform"].form.errors)

    @override_settings(RAPPORT_MAX_MEDIA_UPLOAD_MB=0)
    def test_an_oversize_upload_is_a_form_error_and_changes_nothing(self) -> None:
        video, response = self._upload(SimpleUploadedFile("bigger.webm", TINY_WEBM))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "the limit is 0 MB")
        video.refresh_from_db()
        self.assertNotEqual(video.title, "Renamed")
        self.assertNotIn("bigger", video.media.name)

    def test_the_current_media_links_to_the_access_checked_view(self) -> None:
        video = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.dora)
        response = self.client.get(reverse("studio:programs_activity_change", args=[video.pk]))
        self.assertContains(response, reverse("programs:media", args=[video.public_id]))
        self.assertNotContains(response, "/media-not-public/")

    def test_the_week_inline_shows_model_rules_for_fields_it_lacks_as_row_errors(self) -> None:
        self.client.force_login(self.dora)
        data = {
            "program": self.program.pk,
            "number": "5",
            "title": "Week five",
            "summary": "",
            **management_form("activities", total=1),
            "activities-0-position": "0",
            "activities-0-kind": ActivityKind.VIDEO,
            "activities-0-title": "A video from the inline",
            "activities-0-estimated_minutes": "5",
            "_save": "Save",
        }
        response = self.client.post(reverse("studio:programs_week_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Media: A video or podcast needs its media file.")
        self.assertFalse(Week.objects.filter(title="Week five").exists())


# Monday 29 March 2027 would also do; a Sunday start puts the night London's clocks go forward
# (28 March) inside the week, so a time that never happens there can be typed.
SESSION_WEEK_STARTS = date(2027, 3, 28)


class LiveSessionTimeZoneTests(StudioTestCase):
    """issue 6 §1, case studio-time-zone.md: a London designer typed 10:00 for a session after the
    clocks change and learners in London saw 11:00. The times typed in the studio — a live
    session's default time on the activity, and each cohort's own session on the cohort's page —
    are read in the designer's own zone, which the form names."""

    live: Activity

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.live = cls.first_activity_of(ActivityKind.LIVE_SESSION)
        # Cohort A's week of this session runs from Sunday 28 March to Saturday 3 April 2027.
        cls.cohort_a.start_date = SESSION_WEEK_STARTS - timedelta(weeks=cls.live.week.number - 1)
        cls.cohort_a.save()
        ensure_sessions(cls.cohort_a)

    @classmethod
    def first_activity_of(cls, kind: ActivityKind) -> Activity:
        return Activity.objects.filter(week__program=cls.program, kind=kind).order_by("id")[0]

    def session(self) -> CohortSession:
        return CohortSession.objects.get(cohort=self.cohort_a, activity=self.live)

    def cohort_url(self) -> str:
        return reverse("studio:cohorts_cohort_change", args=[self.cohort_a.pk])

    def type_start(self, designer: User, day: str, clock: str) -> Any:
        """`designer` moves cohort A's session to `day` at `clock` on the cohort's page."""
        self.client.force_login(designer)
        data = self.cohort_post(self.cohort_a, {self.live.pk: (day, clock)})
        return self.client.post(self.cohort_url(), data)

    def learner_sees(self) -> tuple[str, bytes]:
        """The activity page and the calendar invite, as alice (Europe/London) gets them."""
        self.client.force_login(self.alice)
        args = [self.cohort_a.public_id, self.live.public_id]
        page = self.client.get(reverse("cohorts:activity", args=args))
        invite = self.client.get(reverse("cohorts:activity_invite", args=args))
        return page.content.decode(), invite.content

    def invite_start(self, invite: bytes) -> datetime:
        event = next(c for c in Calendar.from_ical(invite).walk() if c.name == "VEVENT")
        start: datetime = event.decoded("dtstart")
        return start

    def test_a_london_designers_ten_oclock_after_the_clocks_change_is_ten_in_london(self) -> None:
        response = self.type_start(self.dora, "2027-04-01", "10:00")  # dora: Europe/London
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.session().starts_at, datetime(2027, 4, 1, 9, 0, tzinfo=UTC))

        page, invite = self.learner_sees()
        self.assertIn("Thursday 1 April 2027", page)
        self.assertIn("10:00 \N{EN DASH} 11:00", page)
        self.assertIn(b"DTSTART:20270401T090000Z", invite)
        self.assertEqual(self.invite_start(invite), datetime(2027, 4, 1, 9, 0, tzinfo=UTC))

    def test_a_new_york_designers_ten_oclock_is_ten_in_new_york(self) -> None:
        nadia = make_user(
            self.org, "nadia@northwind.example", role=Role.DESIGNER, time_zone="America/New_York"
        )
        response = self.type_start(nadia, "2027-04-01", "10:00")
        self.assertEqual(response.status_code, 302)
        # New York is on daylight time (UTC-4) from 14 March 2027.
        self.assertEqual(self.session().starts_at, datetime(2027, 4, 1, 14, 0, tzinfo=UTC))
        page, invite = self.learner_sees()
        self.assertIn("15:00 \N{EN DASH} 16:00", page)  # London is UTC+1 that day
        self.assertIn(b"DTSTART:20270401T140000Z", invite)

    def test_the_form_shows_the_stored_time_in_the_designers_zone_with_that_dates_offset(
        self,
    ) -> None:
        CohortSession.objects.filter(pk=self.session().pk).update(
            starts_at=datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
        )
        self.client.force_login(self.dora)
        response = self.client.get(self.cohort_url())
        self.assertContains(response, 'name="sessions-0-starts_at_0" value="2027-04-01"')
        self.assertContains(response, 'name="sessions-0-starts_at_1" value="10:00:00"')
        self.assertContains(response, "Times are in your own time zone, Europe/London:")
        self.assertContains(response, "UTC+01:00 on 1 April 2027")
        # The note is what the inputs' aria-describedby names, and what stops Django's own
        # warning (computed for today, in the browser) from being added.
        self.assertContains(response, 'id="id_sessions-0-starts_at_timezone_warning_helptext"')
        self.assertContains(
            response, 'aria-describedby="id_sessions-0-starts_at_timezone_warning_helptext'
        )
        self.assertContains(response, "help timezonewarning studio-zone")
        self.assertContains(response, "studio/zoned-datetime.js")

    def test_a_typed_date_that_fails_validation_is_shown_with_its_own_offset(self) -> None:
        # Both dates are outside the cohort's week, so refused; each keeps its own offset.
        response = self.type_start(self.dora, "2027-07-15", "18:30")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "UTC+01:00 on 15 July 2027")
        response = self.type_start(self.dora, "2027-01-15", "18:30")
        self.assertContains(response, "UTC+00:00 on 15 January 2027")

    def test_a_time_the_clocks_skip_is_a_form_error_not_a_guess(self) -> None:
        # 01:30 on 28 March 2027 never happens in London: the clocks go from 01:00 to 02:00.
        before = self.session().starts_at
        response = self.type_start(self.dora, "2027-03-28", "01:30")
        self.assertEqual(response.status_code, 200)
        formset = next(
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.model is CohortSession
        )
        self.assertIn(
            "interpreted in time zone Europe/London", str(formset.forms[0].errors["starts_at"])
        )
        self.assertEqual(self.session().starts_at, before)

    def test_a_new_activitys_session_time_is_read_in_the_designers_own_zone(self) -> None:
        nadia = make_user(
            self.org, "nadia@northwind.example", role=Role.DESIGNER, time_zone="America/New_York"
        )
        for designer, zone in ((self.dora, "Europe/London"), (nadia, "America/New_York")):
            self.client.force_login(designer)
            form = self.client.get(reverse("studio:programs_activity_add")).context["adminform"]
            self.assertEqual(form.form["session_time_zone"].value(), zone)

    def test_a_london_designers_default_of_ten_oclock_is_ten_in_london_in_the_cohorts_week(
        self,
    ) -> None:
        self.client.force_login(self.dora)
        url = reverse("studio:programs_activity_change", args=[self.live.pk])
        data = self.activity_post(
            self.live, session_day=5, session_time="10:00", session_time_zone="Europe/London"
        )
        self.assertEqual(self.client.post(url, data).status_code, 302)
        # Day 5 of the week that starts on Sunday 28 March is Thursday 1 April (UTC+1).
        self.assertEqual(self.session().starts_at, datetime(2027, 4, 1, 9, 0, tzinfo=UTC))
        page, _invite = self.learner_sees()
        self.assertIn("Thursday 1 April 2027", page)
        self.assertIn("10:00", page)


class StudioFormAccessibilityTests(StudioTestCase):
    def test_every_inline_input_has_a_label_naming_its_field(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(reverse("studio:programs_week_change", args=[self.week().pk]))
        for name in ("position", "kind", "title", "estimated_minutes"):
            with self.subTest(field=name):
                self.assertContains(
                    response, f'<label class="visually-hidden" for="id_activities-0-{name}">'
                )

    def test_file_inputs_are_labelled_by_their_fields_label(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(reverse("studio:programs_activity_add"))
        self.assertContains(response, 'for="id_media"')
        self.assertContains(response, 'id="id_media"')
        # Not grouped in a fieldset, whose legend would name no input.
        self.assertNotContains(response, "<legend>Media:</legend>")

    def test_competencies_are_checkboxes_not_the_two_box_filter(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(reverse("studio:programs_activity_add"))
        self.assertContains(response, 'type="checkbox" name="competencies"')
        self.assertNotContains(response, "SelectFilter2.js")

    def week(self) -> Week:
        return Week.objects.filter(program=self.program).order_by("number")[0]
