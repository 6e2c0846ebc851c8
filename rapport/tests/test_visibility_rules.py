"""Each model's `visible_to(user)` rule, persona by persona (docs/permissions.md, "Rows each person
can see"), and the one activity rule shared by the journey pages and media streaming."""

import contextlib
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.models import User
from cohorts.access import get_activity_in_seat, get_seat_for_user
from cohorts.actions import set_completed
from cohorts.models import ActivityProgress, Cohort, Enrollment
from events.models import Event
from organizations.models import Competency, Membership, Organization
from programs.access import get_activity_for_user
from programs.models import Activity, Program, Week
from rapport.testing import PersonaTestCase


class VisibleToTests(PersonaTestCase):
    def names(self, queryset: Any, attribute: str = "pk") -> set[Any]:
        return {getattr(row, attribute) for row in queryset}

    def test_cohorts_are_seen_by_those_enrolled_and_by_staff_of_their_organisation(self) -> None:
        expected = {
            self.alice: {"Cohort A"},
            self.bob: {"Cohort A"},
            self.carol: {"Cohort A"},
            self.dave: {"Cohort B"},
            self.erin: {"Cohort C"},
            self.dora: {"Cohort A", "Cohort B", "Cohort C"},
            self.adam: {"Cohort A", "Cohort B", "Cohort C"},
            self.oscar: {"Contoso cohort"},
        }
        for person, cohorts in expected.items():
            self.assertEqual(
                self.names(Cohort.objects.visible_to(person), "name"), cohorts, person.email
            )

    def test_programme_content_follows_the_programme(self) -> None:
        coaching = {"Coaching skills"}
        both = {"Coaching skills", "Presenting with confidence"}
        expected = {
            self.alice: coaching,
            self.carol: coaching,
            self.dave: coaching,
            self.erin: {"Presenting with confidence"},
            self.dora: both,
            self.adam: both,
            self.oscar: {"Other programme"},
        }
        for person, titles in expected.items():
            programs = Program.objects.visible_to(person)
            self.assertEqual(self.names(programs, "title"), titles, person.email)
            weeks = Week.objects.visible_to(person)
            self.assertEqual(
                {w.program.title for w in weeks.select_related("program")}, titles, person.email
            )
            activities = Activity.objects.visible_to(person).select_related("week__program")
            self.assertEqual({a.week.program.title for a in activities}, titles, person.email)
            self.assertEqual(
                activities.count(),
                Activity.objects.filter(week__program__in=programs).count(),
                person.email,
            )

    def test_competencies_are_shared_within_the_organisation(self) -> None:
        for person in (self.alice, self.erin, self.dora):
            self.assertEqual(
                set(Competency.objects.visible_to(person)),
                set(Competency.objects.filter(organization=self.org)),
            )
        self.assertEqual(
            set(Competency.objects.visible_to(self.oscar)),
            set(Competency.objects.filter(organization=self.other_org)),
        )

    def test_people_memberships_and_enrolments_are_for_admins_and_each_their_own(self) -> None:
        for person in (self.alice, self.carol, self.dora, self.oscar):
            self.assertEqual(list(User.objects.visible_to(person)), [person])
            self.assertEqual(
                [m.user for m in Membership.objects.visible_to(person)], [person], person.email
            )
            self.assertEqual(
                {e.user for e in Enrollment.objects.visible_to(person)} - {person}, set()
            )
            self.assertEqual(
                list(Organization.objects.visible_to(person)), [person.membership.organization]
            )
        org_people = set(User.objects.filter(membership__organization=self.org))
        self.assertEqual(set(User.objects.visible_to(self.adam)), org_people)
        self.assertEqual({m.user for m in Membership.objects.visible_to(self.adam)}, org_people)
        self.assertEqual(
            set(Enrollment.objects.visible_to(self.adam)),
            set(Enrollment.objects.filter(organization=self.org)),
        )

    def test_progress_is_seen_only_by_its_learner(self) -> None:
        alice = Enrollment.objects.get(user=self.alice)
        set_completed(alice, activity=self.first_activity())
        self.assertEqual(ActivityProgress.objects.visible_to(self.alice).count(), 1)
        for person in (self.bob, self.carol, self.dora, self.adam, self.oscar):
            self.assertFalse(ActivityProgress.objects.visible_to(person).exists(), person.email)

    def test_the_learning_record_is_for_platform_superusers_only(self) -> None:
        alice = Enrollment.objects.get(user=self.alice)
        set_completed(alice, activity=self.first_activity())
        for person in (self.alice, self.carol, self.dora, self.adam):
            self.assertFalse(Event.objects.visible_to(person).exists(), person.email)
        self.oscar.is_superuser = True
        self.assertTrue(Event.objects.visible_to(self.oscar).exists())

    def test_platform_superusers_see_every_organisation(self) -> None:
        root = User.objects.create_superuser("root@rapport.example", "a-long-root-password-1")
        for model in (Organization, Membership, Competency, Program, Week, Activity, Cohort):
            self.assertEqual(
                model.objects.visible_to(root).count(),  # type: ignore[attr-defined]
                model.objects.count(),  # type: ignore[attr-defined]
                model.__name__,
            )
        self.assertEqual(User.objects.visible_to(root).count(), User.objects.count())

    def test_anonymous_and_deactivated_people_and_those_without_a_membership_see_nothing(
        self,
    ) -> None:
        loner = User.objects.create_user("loner@northwind.example", "a-long-password-for-him")
        self.dave.is_active = False
        models = (
            Organization,
            Membership,
            Competency,
            Program,
            Week,
            Activity,
            Cohort,
            Enrollment,
            ActivityProgress,
            Event,
            User,
        )
        for person in (AnonymousUser(), self.dave, loner):
            for model in models:
                self.assertFalse(
                    model.objects.visible_to(person).exists(),  # type: ignore[attr-defined]
                    f"{person} {model.__name__}",
                )


class OneActivityRuleTests(PersonaTestCase):
    """Media streaming (programs.access) and the journey pages (cohorts.access) must agree on
    every activity for every persona: the same rule, reached two ways."""

    def reachable_through_seats(self, person: User) -> set[int]:
        found = set()
        for cohort in Cohort.objects.all():
            try:
                seat = get_seat_for_user(person, cohort.public_id)
            except Http404:
                continue
            for activity in Activity.objects.all():
                with contextlib.suppress(Http404):
                    found.add(get_activity_in_seat(seat, activity.public_id).pk)
        return found

    def streamable(self, person: User) -> set[int]:
        found = set()
        for activity in Activity.objects.all():
            with contextlib.suppress(Http404):
                found.add(get_activity_for_user(person, activity.public_id).pk)
        return found

    def test_media_and_journey_pages_agree_for_every_persona(self) -> None:
        people = (
            self.alice,
            self.bob,
            self.carol,
            self.dave,
            self.erin,
            self.dora,
            self.adam,
            self.oscar,
        )
        for person in people:
            self.assertEqual(
                self.streamable(person), self.reachable_through_seats(person), person.email
            )
        # and the rule is not trivially "everything": erin sees none of this programme
        self.assertFalse(
            self.streamable(self.erin) & {a.pk for a in Activity.objects.visible_to(self.alice)}
        )
