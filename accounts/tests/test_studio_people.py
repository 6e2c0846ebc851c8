"""The studio's People page (accounts/admin.py): organisation admins add and edit the people of
their organisation, and every write of a person or membership goes through organizations.actions."""

from typing import Any
from unittest import mock

from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.urls import reverse

from accounts.models import User
from organizations import actions
from organizations.models import Membership, Role
from rapport.studio_testing import StudioTestCase, changelist, management_form
from rapport.testing import PASSWORD, make_user


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
        response = self.client.post(reverse("studio:accounts_user_add"), data)
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
        response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        membership = Membership.objects.get(user__email="nell@northwind.example")
        self.assertEqual((membership.organization, membership.role), (self.org, Role.LEARNER))

    def test_the_people_pages_never_show_a_password_hash(self) -> None:
        self.client.force_login(self.adam)
        self.alice.refresh_from_db()
        for url in (
            changelist("accounts_user"),
            reverse("studio:accounts_user_change", args=[self.alice.pk]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, self.alice.password)
            self.assertNotContains(response, 'name="password"')

    def test_an_admin_cannot_open_another_organisations_person(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(
            reverse("studio:accounts_user_change", args=[self.oscar.pk]), follow=True
        )
        self.assertNotContains(response, "oscar@contoso.example")

    def test_an_admin_never_sees_a_superuser_of_the_installation(self) -> None:
        root = make_user(self.org, "root@northwind.example", role=Role.ADMIN)
        User.objects.filter(pk=root.pk).update(is_superuser=True)
        self.client.force_login(self.adam)
        self.assertNotContains(self.client.get(changelist("accounts_user")), root.email)
        response = self.client.get(reverse("studio:accounts_user_change", args=[root.pk]))
        self.assertEqual(response.status_code, 302)

    def test_an_admin_deactivates_rather_than_deletes(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(reverse("studio:accounts_user_delete", args=[self.bob.pk]))
        self.assertEqual(response.status_code, 403)

    def test_a_new_person_and_their_membership_are_made_by_add_member(self) -> None:
        self.client.force_login(self.adam)
        data = self.person_post("nia@northwind.example", role=Role.DESIGNER, region="Africa")
        with mock.patch("accounts.admin.add_member", wraps=actions.add_member) as add_member:
            response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        add_member.assert_called_once()
        nia = User.objects.get(email="nia@northwind.example")
        # The page goes on to the row the action saved.
        self.assertEqual(response["Location"], reverse("studio:accounts_user_changelist"))
        history = self.client.get(reverse("studio:accounts_user_history", args=[nia.pk]))
        self.assertContains(history, "Added.")
        self.assertEqual((nia.membership.role, nia.time_zone), (Role.DESIGNER, "Africa/Nairobi"))

    def test_a_person_added_in_the_studio_is_invited_by_email_naming_the_admin(self) -> None:
        self.client.force_login(self.adam)
        data = self.person_post("nia@northwind.example", role=Role.LEARNER)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual([m.to for m in mail.outbox], [["nia@northwind.example"]])
        self.assertIn("Adam has added you to Northwind Bio", mail.outbox[0].body)

    def test_an_address_already_in_use_is_a_form_error_whatever_its_case(self) -> None:
        self.client.force_login(self.adam)
        data = self.person_post("Alice@Northwind.example", role=Role.LEARNER)
        response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone in this organisation already has this email.")
        self.assertEqual(User.objects.filter(email__iexact="alice@northwind.example").count(), 1)

    def test_an_address_used_in_another_organisation_is_a_new_account_here(self) -> None:
        # Accounts are per organisation (docs/decisions/0006): nothing reveals Contoso's people.
        self.client.force_login(self.adam)
        data = self.person_post("Oscar@Contoso.example", role=Role.LEARNER)
        response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        accounts = User.objects.filter(email="oscar@contoso.example")
        self.assertEqual({u.membership.organization for u in accounts}, {self.org, self.other_org})

    def change_post(self, person: User, **changes: Any) -> dict[str, Any]:
        membership = person.membership
        data = {
            "email": person.email,
            "full_name": person.full_name,
            "time_zone": person.time_zone,
            "is_active": "on",
            **management_form("membership", total=1, initial=1),
            "membership-0-id": membership.pk,
            "membership-0-user": person.pk,
            "membership-0-role": membership.role,
            "membership-0-region": membership.region,
            "membership-0-function": membership.function,
            "membership-0-level": membership.level,
            "_save": "Save",
        }
        data.update(changes)
        return data

    def test_a_role_change_goes_through_change_role(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:accounts_user_change", args=[self.bob.pk])
        data = self.change_post(self.bob, **{"membership-0-role": Role.COACH})
        data["membership-0-region"] = "Asia"
        with mock.patch("accounts.admin.change_role", wraps=actions.change_role) as change_role:
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        change_role.assert_called_once()
        membership = Membership.objects.get(user=self.bob)
        self.assertEqual((membership.role, membership.region), (Role.COACH, "Asia"))

    def test_an_admin_makes_someone_a_sponsor_who_then_reads_the_dashboards_only(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:accounts_user_change", args=[self.bob.pk])
        self.assertContains(self.client.get(url), '<option value="sponsor">Programme sponsor')
        data = self.change_post(self.bob, **{"membership-0-role": Role.SPONSOR})
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(Membership.objects.get(user=self.bob).role, Role.SPONSOR)
        self.client.force_login(User.objects.get(pk=self.bob.pk))
        self.assertEqual(self.client.get(reverse("analytics:index")).status_code, 200)
        self.assertEqual(self.client.get(url).status_code, 302)  # the studio: not for him

    def test_unchecking_active_closes_the_account_through_deactivate_member(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:accounts_user_change", args=[self.bob.pk])
        data = self.change_post(self.bob, full_name="Bob Renamed")
        del data["is_active"]
        with mock.patch(
            "accounts.admin.deactivate_member", wraps=actions.deactivate_member
        ) as deactivate:
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        deactivate.assert_called_once()
        self.bob.refresh_from_db()
        self.assertEqual((self.bob.full_name, self.bob.is_active), ("Bob Renamed", False))

    def test_no_membership_is_added_to_an_existing_person_from_the_studio(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(reverse("studio:accounts_user_change", args=[self.bob.pk]))
        formset = response.context["inline_admin_formsets"][0].formset
        self.assertEqual(len(formset.forms), 1)  # the one they have; no empty row to fill

    def test_a_superuser_must_say_which_organisation_a_new_person_joins(self) -> None:
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        data = self.person_post("sam@contoso.example", role=Role.LEARNER)
        data["membership-MIN_NUM_FORMS"] = "1"
        response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(User.objects.filter(email="sam@contoso.example").exists())
        data["membership-0-organization"] = self.other_org.pk
        response = self.client.post(reverse("studio:accounts_user_add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Membership.objects.get(user__email="sam@contoso.example").organization, self.other_org
        )

    def test_sign_in_dates_are_labelled_with_the_admins_zone(self) -> None:
        make_user(
            self.org, "tokyo-admin@northwind.example", role=Role.ADMIN, time_zone="Asia/Tokyo"
        )
        self.client.login(username="tokyo-admin@northwind.example", password=PASSWORD)
        response = self.client.get(reverse("studio:accounts_user_change", args=[self.bob.pk]))
        self.assertContains(response, "(Asia/Tokyo)")
        self.assertContains(response, "Times are in Asia/Tokyo.")


class PeopleRefusalTests(StudioTestCase):
    """Adding someone whose address is taken in the organisation chosen is a clear error with
    nothing saved, on every path: add_member's AlreadyMembers never reaches the admin as a 500."""

    person_post = PeopleTests.person_post

    def superuser_post(self, email: str, organization_pk: int) -> dict[str, Any]:
        data = self.person_post(email, role=Role.LEARNER, organization=organization_pk)
        data["membership-MIN_NUM_FORMS"] = "1"
        return data

    def accounts(self, email: str) -> list[tuple[int | None, str]]:
        return sorted(
            User.objects.filter(email__iexact=email).values_list("organization_id", "full_name")
        )

    def test_a_superuser_adding_an_existing_person_gets_a_form_error(self) -> None:
        root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
        self.client.force_login(root)
        before = self.accounts("oscar@contoso.example")
        response = self.client.post(
            reverse("studio:accounts_user_add"),
            self.superuser_post("Oscar@Contoso.example", self.other_org.pk),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone in this organisation already has this email.")
        self.assertEqual(self.accounts("oscar@contoso.example"), before)
        # The same address in another organisation is another person, and is added.
        response = self.client.post(
            reverse("studio:accounts_user_add"),
            self.superuser_post("Oscar@Contoso.example", self.org.pk),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self.accounts("oscar@contoso.example")), 2)

    def test_someone_added_while_the_form_was_open_is_a_message_not_a_500(self) -> None:
        # The form's check passed; another admin adds the same address before the save.
        self.client.force_login(self.adam)

        def someone_else_first(organization: Any, **details: Any) -> Membership:
            make_user(self.org, "nadia@northwind.example")
            return actions.add_member(organization, **details)

        url = reverse("studio:accounts_user_add")
        with mock.patch("accounts.admin.add_member", side_effect=someone_else_first):
            response = self.client.post(
                url, self.person_post("nadia@northwind.example", role=Role.LEARNER)
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], url)
        page = self.client.get(url)
        self.assertContains(page, "it was added while you were filling in the form")
        self.assertEqual(self.accounts("nadia@northwind.example"), [])  # rolled back whole


class PersonTimeZoneTests(StudioTestCase):
    def test_the_time_zone_is_picked_from_the_grouped_list_not_typed(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("studio:accounts_user_add")
        page = self.client.get(url).content.decode()
        self.assertIn('<select name="time_zone"', page)
        self.assertIn('<optgroup label="Europe">', page)
        self.assertIn('<option value="Europe/London">London</option>', page)
        data = PeopleTests.person_post(self, "lola@northwind.example", role=Role.LEARNER)
        data["time_zone"] = "London"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("time_zone", response.context["adminform"].form.errors)
        self.assertFalse(User.objects.filter(email="lola@northwind.example").exists())
        data["time_zone"] = "Europe/London"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(
            User.objects.get(email="lola@northwind.example").time_zone, "Europe/London"
        )
