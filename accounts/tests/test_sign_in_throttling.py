"""Sign-in throttling: guessing stops working, honest messages, the reset flow still works."""

import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import client_ip
from rapport.testing import PASSWORD, PersonaTestCase

ALICE = "alice@northwind.example"
LIMIT = settings.AXES_FAILURE_LIMIT


class SignInThrottlingTests(PersonaTestCase):
    def sign_in(
        self, password: str, *, email: str = ALICE, client: Client | None = None, url: str = ""
    ):  # type: ignore[no-untyped-def]
        return (client or self.client).post(
            url or reverse("accounts:login"), {"username": email, "password": password}
        )

    def fail_sign_in(self, times: int, **kwargs: object) -> None:
        for _ in range(times):
            self.sign_in("not-the-password", **kwargs)  # type: ignore[arg-type]

    def assert_signed_in(self, client: Client | None = None) -> None:
        self.assertIn("_auth_user_id", (client or self.client).session)

    def assert_not_signed_in(self, client: Client | None = None) -> None:
        self.assertNotIn("_auth_user_id", (client or self.client).session)

    def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(self) -> None:
        self.fail_sign_in(30)
        response = self.sign_in(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assert_not_signed_in()

    def test_the_lockout_says_why_and_for_how_long(self) -> None:
        self.fail_sign_in(LIMIT)
        response = self.sign_in(PASSWORD)
        self.assertContains(
            response, "Too many attempts to sign in with this email address.", status_code=429
        )
        self.assertContains(response, "Try again in 15 minutes", status_code=429)
        self.assertContains(response, "Forgotten your password?", status_code=429)

    def test_a_few_mistakes_then_the_right_password_signs_in_and_clears_the_count(self) -> None:
        self.fail_sign_in(LIMIT - 1)
        self.assertEqual(self.sign_in(PASSWORD).status_code, 302)
        self.assert_signed_in()
        self.assertFalse(AccessAttempt.objects.filter(username=ALICE).exists())

    def test_wrong_passwords_below_the_limit_get_the_usual_message(self) -> None:
        response = self.sign_in("not-the-password")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Too many attempts")

    def test_letter_case_and_spaces_do_not_reset_the_count(self) -> None:
        for variant in ("ALICE@northwind.example", " alice@Northwind.example "):
            self.fail_sign_in(LIMIT // 2 + 1, email=variant)
        self.assertEqual(self.sign_in(PASSWORD).status_code, 429)

    def test_the_lock_is_for_that_address_from_that_network_only(self) -> None:
        self.fail_sign_in(30)
        elsewhere = Client(REMOTE_ADDR="198.51.100.7")
        self.assertEqual(self.sign_in(PASSWORD, client=elsewhere).status_code, 302)
        self.assert_signed_in(elsewhere)
        colleague = self.sign_in(PASSWORD, email="bob@northwind.example")
        self.assertEqual(colleague.status_code, 302)

    def test_the_lock_lifts_after_the_cool_off(self) -> None:
        self.fail_sign_in(LIMIT)
        self.assertEqual(self.sign_in(PASSWORD).status_code, 429)
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
        )
        self.assertEqual(self.sign_in(PASSWORD).status_code, 302)
        self.assert_signed_in()

    def test_the_studio_sign_in_is_throttled_too(self) -> None:
        studio = reverse("admin:login")
        self.fail_sign_in(30, url=studio)
        response = self.sign_in(PASSWORD, email="dora@northwind.example", url=studio)
        self.assertEqual(response.status_code, 302)  # someone else: not locked
        self.client.logout()
        self.fail_sign_in(30, email="dora@northwind.example", url=studio)
        response = self.sign_in(PASSWORD, email="dora@northwind.example", url=studio)
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assert_not_signed_in()

    def test_the_reset_flow_works_while_locked_out_and_lifts_the_lock(self) -> None:
        self.fail_sign_in(30)
        response = self.client.post(reverse("accounts:password_reset"), {"email": ALICE})
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
        assert link is not None
        form = self.client.get(link.group(1), follow=True)
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "a-fresh-password-77", "new_password2": "a-fresh-password-77"},
        )
        self.assertRedirects(done, reverse("accounts:password_reset_complete"))
        self.assertEqual(self.sign_in("a-fresh-password-77").status_code, 302)
        self.assert_signed_in()


class ClientAddressTests(PersonaTestCase):
    def request(self, **meta: str):  # type: ignore[no-untyped-def]
        from django.test import RequestFactory

        return RequestFactory().get("/", **meta)

    def test_without_a_proxy_the_forwarded_header_is_ignored(self) -> None:
        with self.settings(SECURE_PROXY_SSL_HEADER=None):
            request = self.request(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
            self.assertEqual(client_ip(request), "203.0.113.5")

    def test_behind_the_proxy_only_the_hop_it_added_counts(self) -> None:
        with self.settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
            # The client claims 10.0.0.1; our proxy appended the address it really came from.
            request = self.request(
                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.20"
            )
            self.assertEqual(client_ip(request), "198.51.100.20")
