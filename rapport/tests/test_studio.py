"""The programme studio (the Django admin at /studio/), scoped to the person's own organisation."""

from typing import Any

from django.contrib.auth.hashers import is_password_usable
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cohorts.actions import enroll
from cohorts.models import Cohort, Enrollment
from organizations.models import Competency, Membership, Organization, Role
from programs.models import Activity, ActivityKind, Program, Week
from rapport.testing import PASSWORD, TINY_WEBM, PersonaTestCase, make_cohort, make_user

STUDIO = "/studio/"
SIGN_IN = "/studio/login/"


def changelist(model: str) -> str:
    return reverse(f"admin:{model}_changelist")


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class StudioTestCase(PersonaTestCase):
    olga: User  # a designer in the other organisation
    secret_activity: Activity  # an activity of the other organisation, with a telling title

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.olga = make_user(cls.other_org, "olga@contoso.example", role=Role.DESIGNER)
        cls.secret_activity = Activity.objects.filter(organization=cls.other_org).first()  # type: ignore[assignment]
        cls.secret_activity.title = "Contoso secret plan"
        cls.secret_activity.save()

    def own_weeks(self) -> set[int]:
        return set(Week.objects.filter(organization=self.org).values_list("pk", flat=True))

    def activity_post(self, activity: Activity, **changes: Any) -> dict[str, Any]:
        """Everything the activity form posts for `activity`, with `changes` applied."""
        data: dict[str, Any] = {
            "week": activity.week_id,
            "position": activity.position,
            "kind": activity.kind,
            "title": activity.title,
            "summary": activity.summary,
            "estimated_minutes": activity.estimated_minutes,
            "competencies": [c.pk for c in activity.competencies.all()] if activity.pk else [],
            "body": activity.body,
            "transcript": activity.transcript,
            "external_url": activity.external_url,
            "starts_at_0": "",
            "starts_at_1": "",
            "duration_minutes": activity.duration_minutes or "",
            "_save": "Save",
        }
        data.update(changes)
        return data


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
        response = self.client.post(reverse("admin:programs_program_add"), data)
        self.assertEqual(response.status_code, 302)
        program = Program.objects.get(title="Feedback that lands")
        self.assertEqual(program.organization, self.org)
        self.assertEqual(program.weeks.get().organization_id, self.org.pk)

    def test_another_organisations_programme_cannot_be_opened(self) -> None:
        other = Program.objects.get(title="Other programme")
        self.client.force_login(self.dora)
        response = self.client.get(
            reverse("admin:programs_program_change", args=[other.pk]), follow=True
        )
        self.assertNotContains(response, "Other programme")

    def test_a_duplicate_competency_is_a_form_error_not_a_crash(self) -> None:
        self.client.force_login(self.dora)
        data = {
            "name": "Listen fully",
            "framework": "Communication skills",
            "description": "",
            "behaviours": "",
            "position": "0",
            "_save": "Save",
        }
        response = self.client.post(reverse("admin:organizations_competency_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.non_field_errors())
        self.assertEqual(Competency.objects.filter(organization=self.org).count(), 1)

    def test_the_same_competency_name_is_fine_in_another_organisation(self) -> None:
        # Olga's organisation already has "Listen fully" too; uniqueness is per organisation.
        Competency.objects.filter(organization=self.org).delete()
        self.client.force_login(self.dora)
        data = {"name": "Listen fully", "framework": "Communication skills", "position": "0"}
        response = self.client.post(reverse("admin:organizations_competency_add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Competency.objects.filter(organization=self.org).exists())

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
            reverse("admin:programs_activity_change", args=[self.secret_activity.pk])
        )
        missing = self.client.get(reverse("admin:programs_activity_change", args=[999_999]))
        # Django's admin sends a missing object back to the index with a message.
        self.assertEqual(foreign.status_code, 302)
        self.assertEqual(foreign["Location"], missing["Location"])
        page = self.client.get(foreign["Location"])
        self.assertContains(page, "doesn\u2019t exist")
        self.assertNotContains(page, "Contoso secret plan")
        for name in ("delete", "history"):
            response = self.client.get(
                reverse(f"admin:programs_activity_{name}", args=[self.secret_activity.pk]),
                follow=True,
            )
            self.assertNotContains(response, "Contoso secret plan")

    def test_the_activity_form_offers_only_the_organisations_weeks_and_competencies(
        self,
    ) -> None:
        self.client.force_login(self.dora)
        form = self.client.get(reverse("admin:programs_activity_add")).context["adminform"].form
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
            reverse("admin:programs_activity_add"), self.activity_post(article)
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
            reverse("admin:programs_activity_add"), self.activity_post(video)
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
            reverse("admin:programs_activity_add"), self.activity_post(article)
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Activity.objects.get(title="A fresh article").organization, self.org)

    def _upload(self, upload: SimpleUploadedFile) -> Any:
        video = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.dora)
        url = reverse("admin:programs_activity_change", args=[video.pk])
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
        response = self.client.get(reverse("admin:programs_activity_change", args=[video.pk]))
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
        response = self.client.post(reverse("admin:programs_week_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Media: A video or podcast needs its media file.")
        self.assertFalse(Week.objects.filter(title="Week five").exists())


class CohortTests(StudioTestCase):
    def autocomplete(self, term: str, field: str = "user") -> Any:
        return self.client.get(
            "/studio/autocomplete/",
            {
                "app_label": "cohorts",
                "model_name": "enrollment",
                "field_name": field,
                "term": term,
            },
        )

    def test_the_people_autocomplete_never_offers_another_organisations_people(self) -> None:
        self.client.force_login(self.adam)
        own = set(
            Membership.objects.filter(organization=self.org).values_list("user_id", flat=True)
        )
        for field in ("user", "coach"):
            for term in ("", "o", "contoso", "oscar", "@"):
                with self.subTest(field=field, term=term):
                    response = self.autocomplete(term, field)
                    self.assertEqual(response.status_code, 200)
                    ids = {int(r["id"]) for r in response.json()["results"]}
                    self.assertLessEqual(ids, own)
                    self.assertNotIn(self.oscar.pk, ids)
        self.assertEqual(len(self.autocomplete("alice").json()["results"]), 1)

    def test_the_other_organisations_admin_gets_only_her_people(self) -> None:
        olive = make_user(self.other_org, "olive@contoso.example", role=Role.ADMIN)
        self.client.force_login(olive)
        ids = {int(r["id"]) for r in self.autocomplete("").json()["results"]}
        self.assertIn(self.oscar.pk, ids)
        self.assertNotIn(self.alice.pk, ids)

    def test_a_designer_cannot_search_people(self) -> None:
        self.client.force_login(self.dora)
        self.assertEqual(self.autocomplete("alice").status_code, 403)

    def _cohort_post(self, cohort: Cohort, **enrollment: Any) -> dict[str, Any]:
        return {
            "program": cohort.program_id,
            "name": cohort.name,
            "start_date": cohort.start_date.isoformat(),
            **management_form("enrollments", total=1),
            **{f"enrollments-0-{key}": value for key, value in enrollment.items()},
            "_save": "Save",
        }

    def test_an_admin_enrolls_someone_from_her_organisation(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("admin:cohorts_cohort_change", args=[self.cohort_b.pk])
        response = self.client.post(
            url,
            self._cohort_post(self.cohort_b, user=self.bob.pk, role="learner", coach=self.carol.pk),
        )
        self.assertEqual(response.status_code, 302)
        enrollment = Enrollment.objects.get(cohort=self.cohort_b, user=self.bob)
        self.assertEqual((enrollment.coach, enrollment.organization_id), (self.carol, self.org.pk))

    def test_an_admin_cannot_enroll_someone_from_another_organisation(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("admin:cohorts_cohort_change", args=[self.cohort_b.pk])
        response = self.client.post(
            url, self._cohort_post(self.cohort_b, user=self.oscar.pk, role="learner", coach="")
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Enrollment.objects.filter(cohort=self.cohort_b, user=self.oscar).exists())

    def test_enrolling_someone_twice_is_a_form_error(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("admin:cohorts_cohort_change", args=[self.cohort_a.pk])
        response = self.client.post(
            url, self._cohort_post(self.cohort_a, user=self.alice.pk, role="learner", coach="")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            Enrollment.objects.filter(cohort=self.cohort_a, user=self.alice).count(), 1
        )

    def test_a_designer_sees_the_cohort_without_the_people_inline(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(reverse("admin:cohorts_cohort_change", args=[self.cohort_a.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "2 learners, 1 coach")
        self.assertEqual(response.context["inline_admin_formsets"], [])
        self.assertNotContains(response, "alice@northwind.example")

    def test_a_designer_cannot_delete_a_cohort_people_are_enrolled_in(self) -> None:
        self.client.force_login(self.dora)
        url = reverse("admin:cohorts_cohort_delete", args=[self.cohort_a.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(Cohort.objects.filter(pk=self.cohort_a.pk).exists())

    def test_a_designer_creates_a_cohort_of_her_own_programme_only(self) -> None:
        other = Program.objects.get(title="Other programme")
        self.client.force_login(self.dora)
        data = {
            "program": other.pk,
            "name": "Smuggled",
            "start_date": "2030-01-07",
            **management_form("enrollments"),
        }
        response = self.client.post(reverse("admin:cohorts_cohort_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Cohort.objects.filter(name="Smuggled").exists())
        data["program"] = self.program.pk
        self.assertEqual(
            self.client.post(reverse("admin:cohorts_cohort_add"), data).status_code, 302
        )
        self.assertEqual(Cohort.objects.get(name="Smuggled").organization, self.org)


class PeopleTests(StudioTestCase):
    def person_post(self, email: str, **membership: Any) -> dict[str, Any]:
        return {
            "email": email,
            "full_name": "Nadia New",
            "time_zone": "Africa/Nairobi",
            "is_active": "on",
            **management_form("membership", total=1),
            **{f"membership-0-{key}": value for key, value in membership.items()},
            "_save": "Save",
        }

    def test_a_person_created_in_the_studio_joins_the_admins_organisation(self) -> None:
        self.client.force_login(self.adam)
        data = self.person_post(
            "Nadia@Northwind.example",
            role=Role.COACH,
            region="Africa",
            function="",
            level="",
            organization=self.other_org.pk,  # tampered in: the form has no such field
        )
        data["password"] = "chosen-by-the-admin-1"  # likewise ignored
        response = self.client.post(reverse("admin:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        nadia = User.objects.get(email="nadia@northwind.example")
        self.assertFalse(is_password_usable(nadia.password))
        self.assertEqual(
            (nadia.membership.organization, nadia.membership.role, nadia.membership.region),
            (self.org, Role.COACH, "Africa"),
        )

    def test_a_person_added_without_membership_details_still_joins_as_a_learner(self) -> None:
        self.client.force_login(self.adam)
        data = self.person_post("nell@northwind.example", role=Role.LEARNER)
        response = self.client.post(reverse("admin:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        membership = Membership.objects.get(user__email="nell@northwind.example")
        self.assertEqual((membership.organization, membership.role), (self.org, Role.LEARNER))

    def test_the_people_pages_never_show_a_password_hash(self) -> None:
        self.client.force_login(self.adam)
        self.alice.refresh_from_db()
        for url in (
            changelist("accounts_user"),
            reverse("admin:accounts_user_change", args=[self.alice.pk]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, self.alice.password)
            self.assertNotContains(response, 'name="password"')

    def test_an_admin_cannot_open_another_organisations_person(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(
            reverse("admin:accounts_user_change", args=[self.oscar.pk]), follow=True
        )
        self.assertNotContains(response, "oscar@contoso.example")

    def test_an_admin_never_sees_a_superuser_of_the_installation(self) -> None:
        root = make_user(self.org, "root@northwind.example", role=Role.ADMIN)
        User.objects.filter(pk=root.pk).update(is_superuser=True)
        self.client.force_login(self.adam)
        self.assertNotContains(self.client.get(changelist("accounts_user")), root.email)
        response = self.client.get(reverse("admin:accounts_user_change", args=[root.pk]))
        self.assertEqual(response.status_code, 302)

    def test_an_admin_deactivates_rather_than_deletes(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(reverse("admin:accounts_user_delete", args=[self.bob.pk]))
        self.assertEqual(response.status_code, 403)


class SuperuserTests(StudioTestCase):
    def test_a_superuser_sees_every_organisation_and_the_read_only_event_log(self) -> None:
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        programs = self.client.get(changelist("programs_program"))
        self.assertContains(programs, "Other programme")
        self.assertContains(programs, "Coaching skills")
        self.assertEqual(self.client.get(changelist("events_event")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:events_event_add")).status_code, 403)

    def test_a_superuser_chooses_the_organisation_of_a_new_programme(self) -> None:
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        data = {
            "organization": self.other_org.pk,
            "title": "Chosen",
            "summary": "",
            **management_form("weeks"),
        }
        response = self.client.post(reverse("admin:programs_program_add"), data)
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
