import re
from typing import Any

from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from rapport.testing import PASSWORD, PersonaTestCase, make_user


class SignInTests(PersonaTestCase):
    def test_a_learner_signs_in_with_their_email_in_any_case(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "ALICE@Northwind.example", "password": PASSWORD}
        )
        self.assertRedirects(response, "/", target_status_code=302)

    def test_a_wrong_password_gets_a_clear_message(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "alice@northwind.example", "password": "nope"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "correct email")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_sign_in_without_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            reverse("accounts:login"), {"username": "alice@northwind.example", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)

    def test_sign_out(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("accounts:login"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_open_redirect_after_sign_in_is_ignored(self) -> None:
        response = self.client.post(
            reverse("accounts:login") + "?next=https://evil.example/",
            {
                "username": "alice@northwind.example",
                "password": PASSWORD,
                "next": "https://evil.example/",
            },
        )
        self.assertNotIn("evil.example", response["Location"])


class PasswordResetTests(PersonaTestCase):
    def test_the_whole_reset_flow_through_the_task_queue(self) -> None:
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "alice@northwind.example"}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@northwind.example"])
        self.assertIn("Hello Alice", message.body)
        self.assertNotIn("&amp;", message.body)
        link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body)
        assert link is not None
        form = self.client.get(link.group(1), follow=True)
        self.assertContains(form, "Choose a new password")
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "a-fresh-password-77", "new_password2": "a-fresh-password-77"},
        )
        self.assertRedirects(done, reverse("accounts:password_reset_complete"))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("a-fresh-password-77"))

    def test_an_unknown_email_reveals_nothing(self) -> None:
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "nobody@northwind.example"}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)

    def test_a_malformed_email_gets_a_message(self) -> None:
        response = self.client.post(reverse("accounts:password_reset"), {"email": "not an email"})
        self.assertContains(response, "valid email")

    def test_a_tampered_link_says_it_expired(self) -> None:
        response = self.client.get("/accounts/password/reset/MQ/bad-token/", follow=True)
        self.assertContains(response, "expired")


class ProfileTests(PersonaTestCase):
    def test_a_learner_changes_their_time_zone(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("accounts:profile"), {"full_name": "Alice A.", "time_zone": "Asia/Kolkata"}
        )
        self.assertRedirects(response, reverse("accounts:profile"))
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.time_zone, "Asia/Kolkata")

    def test_an_unknown_time_zone_is_refused_and_changes_nothing(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("accounts:profile"), {"full_name": "Alice", "time_zone": "Mars/Olympus"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "not one of the available choices", status_code=400)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.time_zone, "Europe/London")

    def test_the_settings_page_needs_sign_in(self) -> None:
        response = self.client.get(reverse("accounts:profile"))
        self.assertEqual(response.status_code, 302)


class FirstPasswordTests(PersonaTestCase):
    def test_an_imported_person_without_a_password_can_choose_one(self) -> None:
        self.alice.set_unusable_password()
        self.alice.save()
        self.client.post(reverse("accounts:password_reset"), {"email": "alice@northwind.example"})
        self.assertEqual(len(mail.outbox), 1)

    def test_a_deactivated_person_gets_no_email(self) -> None:
        self.alice.is_active = False
        self.alice.save()
        self.client.post(reverse("accounts:password_reset"), {"email": "alice@northwind.example"})
        self.assertEqual(len(mail.outbox), 0)


class AccountsPerOrganisationSignInTests(PersonaTestCase):
    """The same address in two organisations is two accounts (docs/decisions/0006-…)."""

    def setUp(self) -> None:
        # Alice also learns with Contoso, under the same address.
        self.contoso_alice = make_user(self.other_org, "Alice@Northwind.example", name="Alice C")
        self.contoso_alice.set_password("contoso-password-1")
        self.contoso_alice.save()

    def sign_in(self, password: str, **extra: str) -> Any:
        return self.client.post(
            reverse("accounts:login"),
            {"username": "alice@northwind.example", "password": password, **extra},
        )

    def test_the_password_decides_which_account_opens(self) -> None:
        self.sign_in("contoso-password-1")
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.contoso_alice.pk)
        self.client.logout()
        self.sign_in(PASSWORD)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.pk)

    def test_a_wrong_password_reveals_no_organisation(self) -> None:
        response = self.sign_in("nope")
        self.assertContains(response, "correct email")
        self.assertNotContains(response, "Contoso")
        self.assertNotContains(response, "Northwind Bio")

    def test_one_password_for_both_asks_which_organisation(self) -> None:
        self.contoso_alice.set_password(PASSWORD)
        self.contoso_alice.save()
        response = self.sign_in(PASSWORD)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertContains(response, "several organisations")
        self.assertContains(response, '<option value="contoso-health">Contoso Health</option>')
        self.sign_in(PASSWORD, organization="contoso-health")
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.contoso_alice.pk)

    def test_a_reset_request_emails_each_account_naming_its_organisation(self) -> None:
        self.client.post(reverse("accounts:password_reset"), {"email": "ALICE@northwind.example"})
        self.assertEqual(len(mail.outbox), 2)
        bodies = sorted(message.body for message in mail.outbox)
        self.assertIn("at Contoso Health", bodies[0])
        self.assertIn("at Northwind Bio", bodies[1])

    def test_an_address_is_unique_within_one_organisation_whatever_its_case(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create(email="ALICE@northwind.example", organization=self.org)


class StudioPeopleAddressTests(PersonaTestCase):
    """The studio's People page applies the same rule: an address is unique within the
    organisation, whatever its case, and says nothing about other organisations."""

    def add_person(self, email: str) -> Any:
        self.client.force_login(self.adam)
        return self.client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": email,
                "full_name": "Someone",
                "time_zone": "UTC",
                "is_active": "on",
                "membership-TOTAL_FORMS": "1",
                "membership-INITIAL_FORMS": "0",
                "membership-MIN_NUM_FORMS": "0",
                "membership-MAX_NUM_FORMS": "1000",
                "membership-0-role": "learner",
                "_save": "Save",
            },
        )

    def test_an_address_already_in_the_organisation_in_another_case_is_a_form_error(
        self,
    ) -> None:
        response = self.add_person("ALICE@Northwind.example")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone in this organisation already has this email.")
        self.assertEqual(User.objects.filter(email__iexact="alice@northwind.example").count(), 1)

    def test_an_address_used_in_another_organisation_is_a_new_account_here(self) -> None:
        response = self.add_person("oscar@contoso.example")
        self.assertEqual(response.status_code, 302)
        ours = User.objects.get(email="oscar@contoso.example", organization=self.org)
        self.assertNotEqual(ours.pk, self.oscar.pk)
        self.assertEqual(ours.membership.organization, self.org)
