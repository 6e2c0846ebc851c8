"""The one write path for people: adding members, changing roles, closing accounts."""

from django.contrib.auth.hashers import is_password_usable
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from organizations.actions import (
    AlreadyMembers,
    NewPerson,
    add_member,
    add_members,
    change_role,
    deactivate_member,
)
from organizations.models import Membership, Role
from rapport.testing import PASSWORD, PersonaTestCase


def people(count: int, *, start: int = 0) -> list[NewPerson]:
    return [
        NewPerson(email=f"p{n}@northwind.example", full_name=f"P {n}", time_zone="Pacific/Fiji")
        for n in range(start, start + count)
    ]


class AddMemberTests(PersonaTestCase):
    def test_it_creates_the_account_and_its_membership_with_the_address_in_lower_case(
        self,
    ) -> None:
        membership = add_member(
            self.org,
            email=" Nia@Northwind.Example ",
            full_name="Nia Okafor",
            time_zone="Africa/Lagos",
            role=Role.COACH,
            region="EMEA",
        )
        user = User.objects.get(pk=membership.user_id)
        self.assertEqual(user.email, "nia@northwind.example")
        self.assertEqual((user.full_name, user.time_zone), ("Nia Okafor", "Africa/Lagos"))
        self.assertEqual((membership.organization, membership.role), (self.org, Role.COACH))
        self.assertEqual(membership.region, "EMEA")

    def test_people_added_without_a_password_cannot_sign_in_with_one(self) -> None:
        user = add_member(self.org, email="nia@northwind.example", full_name="Nia").user
        user.refresh_from_db()
        self.assertFalse(is_password_usable(user.password))

    def test_a_given_password_works_for_signing_in(self) -> None:
        add_member(self.org, email="nia@northwind.example", full_name="Nia", password=PASSWORD)
        self.assertTrue(
            self.client.login(username="nia@northwind.example", password=PASSWORD),
        )

    def test_an_address_already_in_the_organisation_in_another_case_is_refused(self) -> None:
        before = User.objects.count()
        with self.assertRaises(AlreadyMembers) as caught:
            add_members(
                self.org,
                people=[
                    NewPerson(email="new@northwind.example", full_name="New"),
                    NewPerson(email="ALICE@northwind.example", full_name="Alice again"),
                ],
            )
        self.assertEqual(caught.exception.emails, ["alice@northwind.example"])
        self.assertEqual(User.objects.count(), before, "nothing is written")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.full_name, "Alice")

    def test_the_same_address_twice_in_one_call_is_refused(self) -> None:
        with self.assertRaises(AlreadyMembers) as caught:
            add_members(
                self.org,
                people=[
                    NewPerson(email="twin@northwind.example", full_name="One"),
                    NewPerson(email="Twin@northwind.example", full_name="Two"),
                ],
            )
        self.assertEqual(caught.exception.emails, ["twin@northwind.example"])
        self.assertFalse(User.objects.filter(email="twin@northwind.example").exists())

    def test_adding_many_takes_the_same_queries_for_10_or_300_people(self) -> None:
        # 1 addresses already taken, 2 insert people, 3 insert memberships.
        with self.assertNumQueries(3):
            add_members(self.org, people=people(10))
        with CaptureQueriesContext(connection) as queries:
            memberships = add_members(self.org, people=people(300, start=100))
        self.assertEqual(len(queries.captured_queries), 3)
        self.assertEqual(len(memberships), 300)
        self.assertEqual(
            Membership.objects.filter(
                organization=self.org, user__time_zone="Pacific/Fiji"
            ).count(),
            310,
        )


class ChangeRoleTests(PersonaTestCase):
    def test_a_learner_made_designer_opens_the_studio(self) -> None:
        self.client.force_login(self.alice)
        self.assertNotEqual(self.client.get(reverse("admin:index")).status_code, 200)
        change_role(self.alice.membership, role=Role.DESIGNER)
        self.alice.membership.refresh_from_db()
        self.assertEqual(self.alice.membership.role, Role.DESIGNER)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)


class DeactivateMemberTests(PersonaTestCase):
    def test_a_deactivated_member_is_signed_out_and_cannot_sign_in_again(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)
        deactivate_member(self.alice.membership)
        response = self.client.get(reverse("accounts:profile"))
        self.assertRedirects(response, reverse("accounts:login") + "?next=/accounts/settings/")
        self.assertFalse(self.client.login(username="alice@northwind.example", password=PASSWORD))
        self.assertTrue(Membership.objects.filter(user=self.alice).exists(), "the place stays")
