"""Emails as a mail client reads them: sent through a real SMTP server on loopback, parsed from
the raw bytes, with a text part that is not HTML-escaped and links that survive copying."""

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from unittest.mock import patch

from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from accounts.tasks import invitation_link, send_invitations
from accounts.tokens import invitation_token_generator
from organizations.actions import NewPerson, add_member, add_members
from rapport.testing import PersonaTestCase


class _Inbox:
    """aiosmtpd handler: keeps the raw bytes of each message it receives."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.original_content or envelope.content)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[_Inbox]:
    """A real SMTP server on a free loopback port, with Rapport's SMTP backend (Django's, with
    its envelope addresses memoised) pointed at it."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        mailers = {
            "default": {
                "BACKEND": "accounts.emails.SMTPEmailBackend",
                "OPTIONS": {
                    "host": "127.0.0.1",
                    "port": controller.port,
                    "use_tls": False,
                    "timeout": 10,
                },
            }
        }
        with override_settings(MAILERS=mailers):
            yield inbox
    finally:
        controller.stop()


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    """(text, html) as a mail client shows them, after undoing any transfer encoding."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both a text and an HTML part"
    # Sent over SMTP, lines end in CRLF; a client shows them as line breaks.
    return (
        text.get_content().replace("\r\n", "\n"),
        html.get_content().replace("\r\n", "\n"),
    )


def path_in(text: str, prefix: str) -> str:
    """The path of the one link starting with `prefix` in a text part, as a person would copy
    it: the whole line it is on."""
    match = re.search(rf"^https?://[^/\s]+({re.escape(prefix)}\S*)$", text, re.M)
    assert match is not None, f"no {prefix} link on a line of its own in:\n{text}"
    return match.group(1)


class PasswordResetEmailTests(PersonaTestCase):
    def test_the_reset_email_reads_correctly_as_text_and_html_and_its_link_works(self) -> None:
        self.alice.full_name = "D'Arcy <Alice> Smith-Ünal"
        self.alice.save()
        with smtp_server() as inbox:
            self.client.post(
                reverse("accounts:password_reset"), {"email": "alice@northwind.example"}
            )
        self.assertEqual(len(inbox.messages), 1)
        raw = inbox.messages[0]
        self.assertNotIn(b"quoted-printable", raw.lower())
        message = parse(raw)
        self.assertEqual(message.get_content_type(), "multipart/alternative")
        self.assertEqual(message["To"], "alice@northwind.example")
        text, html = parts(message)
        self.assertIn("Hello D'Arcy,", text)
        self.assertNotIn("&#39;", text)
        self.assertNotIn("&", text)
        self.assertIn("Hello D&#39;Arcy,", html)
        path = path_in(text, "/accounts/password/reset/")
        self.assertIn(f'href="http://testserver{path}"', html)
        form = self.client.get(path, follow=True)
        self.assertContains(form, "Choose a new password")

    def test_a_long_link_is_never_split_across_lines(self) -> None:
        with (
            smtp_server() as inbox,
            override_settings(ALLOWED_HOSTS=["a-very-long-host-name.rapport.example.com"]),
        ):
            self.client.post(
                reverse("accounts:password_reset"),
                {"email": "alice@northwind.example"},
                HTTP_HOST="a-very-long-host-name.rapport.example.com",
            )
        raw = inbox.messages[0].decode()
        link = re.search(r"http://a-very-long-host-name\S+", raw)
        assert link is not None
        self.assertGreater(len(link.group(0)), 78, "long enough to have been folded before")
        self.assertTrue(link.group(0).endswith("/"), link.group(0))


class FirstPasswordPageTests(PersonaTestCase):
    def test_the_password_rules_are_a_list_not_literal_tags(self) -> None:
        link = invitation_link(self.new_person())
        response = self.client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
        self.assertContains(response, '<ul class="help-list"><li>')
        self.assertContains(response, "Your password must contain at least 8 characters.")
        self.assertNotContains(response, "&lt;li&gt;")
        self.assertNotContains(response, "&lt;ul&gt;")

    def new_person(self) -> Any:
        return add_member(
            self.org, email="nell@northwind.example", full_name="Nell", invite=False
        ).user


@override_settings(RAPPORT_SITE_URL="https://rapport.example.com")
class InvitationTests(PersonaTestCase):
    def invite(self) -> tuple[str, str]:
        """Add Nell without a password, commit, and return the invitation's (text, html) as
        received by a real SMTP server."""
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            add_member(
                self.org,
                email="Nell@Northwind.example",
                full_name="Nell O'Brien",
                invited_by=self.adam,
            )
        self.assertEqual(len(inbox.messages), 1)
        message = parse(inbox.messages[0])
        self.assertEqual(message["To"], "nell@northwind.example")
        self.assertIn("Northwind Bio", message["Subject"])
        return parts(message)

    def test_a_person_added_without_a_password_is_emailed_an_invitation(self) -> None:
        text, html = self.invite()
        self.assertIn("Hello Nell,", text)
        self.assertIn("Adam has added you to Northwind Bio", text)
        self.assertIn("within 14 days", text)
        path = path_in(text, "/accounts/welcome/")
        self.assertIn(f'href="https://rapport.example.com{path}"', html)

    def test_the_link_lets_them_choose_a_password_and_signs_them_in(self) -> None:
        text, _ = self.invite()
        page = self.client.get(path_in(text, "/accounts/welcome/"), follow=True)
        self.assertContains(page, "Welcome to Rapport")
        self.assertContains(page, "nell@northwind.example")
        response = self.client.post(
            page.redirect_chain[-1][0],
            {"new_password1": "a-fresh-password-77", "new_password2": "a-fresh-password-77"},
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        nell = User.objects.get(email="nell@northwind.example")
        self.assertEqual(int(self.client.session["_auth_user_id"]), nell.pk)
        self.assertTrue(nell.check_password("a-fresh-password-77"))

    def test_the_link_works_only_once(self) -> None:
        text, _ = self.invite()
        path = path_in(text, "/accounts/welcome/")
        page = self.client.get(path, follow=True)
        self.client.post(
            page.redirect_chain[-1][0],
            {"new_password1": "a-fresh-password-77", "new_password2": "a-fresh-password-77"},
        )
        self.client.logout()
        again = self.client.get(path, follow=True)
        self.assertContains(again, "This invitation link has expired")
        self.assertNotContains(again, "new_password1")

    def test_the_link_expires_after_the_configured_days(self) -> None:
        text, _ = self.invite()
        path = path_in(text, "/accounts/welcome/")
        later = invitation_token_generator._now() + timedelta(days=14, minutes=1)
        with patch.object(invitation_token_generator, "_now", return_value=later):
            response = self.client.get(path, follow=True)
        self.assertContains(response, "This invitation link has expired")
        with (
            override_settings(RAPPORT_INVITATION_DAYS=15),
            patch.object(invitation_token_generator, "_now", return_value=later),
        ):
            self.assertContains(self.client.get(path, follow=True), "Welcome to Rapport")

    def test_an_invitation_link_is_not_a_password_reset_link(self) -> None:
        text, _ = self.invite()
        uid, token = path_in(text, "/accounts/welcome/").strip("/").split("/")[-2:]
        response = self.client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
        self.assertContains(response, "expired")

    def test_nothing_is_sent_when_the_transaction_rolls_back(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            add_member(self.org, email="nell@northwind.example", full_name="Nell")
        self.assertEqual(len(callbacks), 1, "queued for after the commit")
        self.assertEqual(len(mail.outbox), 0)

    def test_people_given_a_password_or_added_with_invite_off_get_no_email(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            add_member(
                self.org, email="pat@northwind.example", full_name="Pat", password="x-long-pass-9"
            )
            add_member(self.org, email="quinn@northwind.example", full_name="Quinn", invite=False)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_person_who_chose_a_password_meanwhile_is_not_invited_again(self) -> None:
        nell = add_member(
            self.org, email="nell@northwind.example", full_name="Nell", invite=False
        ).user
        nell.set_password("a-fresh-password-77")
        nell.save()
        self.assertEqual(send_invitations.call(user_ids=[nell.pk]), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_large_import_queues_one_task_per_200_people(self) -> None:
        people = [
            NewPerson(email=f"p{n}@northwind.example", full_name=f"P {n}") for n in range(450)
        ]
        with (
            patch("organizations.actions.send_invitations") as task,
            self.captureOnCommitCallbacks(execute=True),
        ):
            add_members(self.org, people=people)
        enqueue = task.enqueue
        self.assertEqual(
            [len(c.kwargs["user_ids"]) for c in enqueue.call_args_list], [200, 200, 50]
        )
