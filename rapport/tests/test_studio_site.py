"""The studio as a site (rapport/studio.py): who gets in, how it runs in each person's own time
zone, and what every page shares. The pages themselves are tested with their apps
(*/tests/test_studio_*.py)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from accounts.models import User
from cohorts.actions import enroll
from organizations.models import Organization
from programs.models import Activity, ActivityKind, Program, Week
from rapport.studio import StudioSite, offset_label, studio_site, zone_note
from rapport.studio_testing import SIGN_IN, STUDIO, StudioTestCase, changelist, management_form
from rapport.testing import PASSWORD, make_cohort, make_user


class StudioSiteTests(StudioTestCase):
    def test_the_studio_is_its_own_admin_site_and_djangos_default_one_is_untouched(self) -> None:
        self.assertIsInstance(studio_site, StudioSite)
        self.assertIsNot(studio_site, admin.site)
        self.assertEqual(resolve(STUDIO).namespace, "studio")
        # Nothing was patched onto Django's default site, and none of our models are on it.
        self.assertIs(admin.site.has_permission.__func__, AdminSite.has_permission)  # type: ignore[attr-defined]
        for model in (User, Organization, Program, Week, Activity):
            with self.subTest(model=model.__name__):
                self.assertTrue(studio_site.is_registered(model))
                self.assertFalse(admin.site.is_registered(model))

    def test_a_list_filtered_by_hand_with_a_number_no_id_can_be_finds_nothing(self) -> None:
        self.client.force_login(self.adam)
        too_big = "9" * 30
        for url, lookup in (
            (changelist("cohorts_enrollment"), "cohort"),
            (changelist("programs_activity"), "week"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url, {lookup: too_big})
                self.assertEqual(response.status_code, 200)

    def test_every_page_says_which_time_zone_its_times_are_in(self) -> None:
        self.client.force_login(self.dora)
        for url in (STUDIO, changelist("programs_activity")):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Times are in Europe/London.")


class ZoneNoteTests(SimpleTestCase):
    london = ZoneInfo("Europe/London")
    november = date(2026, 11, 29)

    def test_the_offset_is_the_one_on_the_date_entered_not_today(self) -> None:
        note = zone_note(self.london, datetime(2027, 4, 1, 10, 0), self.november)
        self.assertEqual(note.zone, "Europe/London")
        self.assertEqual(note.offset, "UTC+01:00 on 1 April 2027")
        winter = zone_note(self.london, datetime(2027, 1, 10, 10, 0), self.november)
        self.assertEqual(winter.offset, "UTC+00:00 on 10 January 2027")

    def test_with_no_date_it_gives_todays_offset_and_the_next_change(self) -> None:
        note = zone_note(self.london, None, self.november)
        self.assertEqual(note.offset, "UTC+00:00 today, UTC+01:00 from 28 March 2027")
        self.assertEqual(note.undated, note.offset)
        self.assertEqual(note.dated_pattern, "%(offset)s on %(date)s")

    def test_a_zone_without_daylight_saving_has_one_offset(self) -> None:
        note = zone_note(ZoneInfo("Asia/Tokyo"), None, self.november)
        self.assertEqual(note.offset, "UTC+09:00")

    def test_negative_and_part_hour_offsets(self) -> None:
        new_york = zone_note(ZoneInfo("America/New_York"), datetime(2027, 4, 1, 10), self.november)
        self.assertEqual(new_york.offset, "UTC\N{MINUS SIGN}04:00 on 1 April 2027")
        kathmandu = ZoneInfo("Asia/Kathmandu").utcoffset(datetime(2027, 1, 1))
        self.assertEqual(offset_label(kathmandu), "UTC+05:45")


class WhoGetsInTests(StudioTestCase):
    def test_a_designer_opens_the_studio_and_the_content_pages(self) -> None:
        self.client.force_login(self.dora)
        for url in (
            STUDIO,
            changelist("programs_program"),
            changelist("programs_week"),
            changelist("programs_activity"),
            changelist("organizations_competency"),
            changelist("cohorts_cohort"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_designer_sees_only_her_organisations_rows(self) -> None:
        self.client.force_login(self.dora)
        programs = self.client.get(changelist("programs_program"))
        self.assertContains(programs, "Coaching skills")
        activities = self.client.get(changelist("programs_activity"))
        cohorts = self.client.get(changelist("cohorts_cohort"))
        self.assertContains(cohorts, "Cohort A")
        for response in (programs, activities, cohorts, self.client.get(STUDIO)):
            # Neither in the rows nor in the filter sidebar.
            self.assertNotContains(response, "Other programme")
            self.assertNotContains(response, "Contoso")
        self.assertEqual(
            {a.pk for a in activities.context["cl"].result_list},
            set(Activity.objects.filter(organization=self.org).values_list("pk", flat=True)),
        )

    def test_the_other_organisations_designer_sees_only_hers(self) -> None:
        self.client.force_login(self.olga)
        response = self.client.get(changelist("programs_program"))
        self.assertContains(response, "Other programme")
        self.assertNotContains(response, "Coaching skills")

    def test_a_designer_cannot_open_people_enrollments_events_or_organisations(self) -> None:
        self.client.force_login(self.dora)
        for model in (
            "accounts_user",
            "cohorts_enrollment",
            "events_event",
            "organizations_organization",
        ):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(changelist(model)).status_code, 403)
        index = self.client.get(STUDIO)
        self.assertNotContains(index, changelist("accounts_user"))
        self.assertNotContains(index, changelist("events_event"))

    def test_an_admin_manages_her_organisations_people_only(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(changelist("accounts_user"))
        self.assertContains(response, "alice@northwind.example")
        self.assertNotContains(response, "oscar@contoso.example")
        self.assertEqual(self.client.get(changelist("cohorts_enrollment")).status_code, 200)
        # Events stay with superusers, even for an admin.
        self.assertEqual(self.client.get(changelist("events_event")).status_code, 403)

    def test_learners_coaches_and_other_orgs_learners_are_sent_to_the_studio_sign_in(self) -> None:
        for person in (self.alice, self.carol, self.oscar):
            with self.subTest(person=person.email):
                self.client.force_login(person)
                for url in (STUDIO, changelist("programs_program")):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(SIGN_IN))
                page = self.client.get(changelist("programs_program"), follow=True)
                self.assertContains(page, "not authorized")
                self.assertNotContains(page, "Coaching skills")
                self.assertNotContains(page, "Other programme")

    def test_anonymous_people_are_sent_to_the_studio_sign_in(self) -> None:
        response = self.client.get(changelist("programs_activity"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(SIGN_IN))

    def test_is_staff_alone_does_not_open_the_studio(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(is_staff=True)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(STUDIO).status_code, 302)

    def test_the_studio_sign_in_lets_in_designers_and_turns_learners_away(self) -> None:
        response = self.client.post(
            f"{SIGN_IN}?next={STUDIO}", {"username": self.dora.email, "password": PASSWORD}
        )
        self.assertRedirects(response, STUDIO)
        self.client.logout()

        response = self.client.post(SIGN_IN, {"username": self.alice.email, "password": PASSWORD})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["form"].is_valid())
        self.assertNotIn("_auth_user_id", self.client.session)


class SuperuserTests(StudioTestCase):
    def test_a_superuser_sees_every_organisation_and_the_read_only_event_log(self) -> None:
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        programs = self.client.get(changelist("programs_program"))
        self.assertContains(programs, "Other programme")
        self.assertContains(programs, "Coaching skills")
        self.assertEqual(self.client.get(changelist("events_event")).status_code, 200)
        self.assertEqual(self.client.get(reverse("studio:events_event_add")).status_code, 403)

    def test_a_superuser_chooses_the_organisation_of_a_new_programme(self) -> None:
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        data = {
            "organization": self.other_org.pk,
            "title": "Chosen",
            "summary": "",
            **management_form("weeks"),
        }
        response = self.client.post(reverse("studio:programs_program_add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Program.objects.get(title="Chosen").organization, self.other_org)


class QueryCountTests(StudioTestCase):
    """Changelist pages make the same number of queries for 3 rows as for 30."""

    def add_programmes(self, organization: Organization, count: int) -> None:
        for n in range(count):
            program = Program.objects.create(organization=organization, title=f"Extra {n}")
            week = Week.objects.create(program=program, number=1, title="Only week")
            Activity.objects.create(week=week, kind=ActivityKind.ARTICLE, title=f"Read {n}")
            cohort = make_cohort(program, name=f"Extra cohort {n}")
            learner = make_user(organization, f"extra-{program.pk}@northwind.example")
            enroll(learner, cohort=cohort, coach=self.carol)

    def count_queries(self, url: str) -> int:
        self.client.get(url)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_changelists_do_not_grow_with_rows(self) -> None:
        self.client.force_login(self.adam)
        urls = [
            changelist("programs_program"),
            changelist("programs_week"),
            changelist("programs_activity"),
            changelist("cohorts_cohort"),
            changelist("cohorts_enrollment"),
            changelist("accounts_user"),
        ]
        self.add_programmes(self.org, 3)
        few = [self.count_queries(url) for url in urls]
        self.add_programmes(self.org, 27)
        many = [self.count_queries(url) for url in urls]
        self.assertEqual(dict(zip(urls, few, strict=True)), dict(zip(urls, many, strict=True)))
