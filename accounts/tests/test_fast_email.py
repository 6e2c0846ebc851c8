"""FastMultipartEmail writes the same email a mail client reads from MultipartEmail, and hands
anything it does not handle to MultipartEmail; rapport.mail.SMTPBackend prepares addresses as
Django's SMTP backend does."""

import email
import email.policy
from typing import Any

from django.core.mail import mailers
from django.test import SimpleTestCase, override_settings

from accounts.emails import FastMultipartEmail, MultipartEmail, _Flattened

HEADERS = {
    "List-Unsubscribe": "<https://rapport.example.com/notifications/unsubscribe/" + "t" * 150 + ">",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Auto-Submitted": "auto-generated",
    "Message-ID": "<digest-1234@rapport.example.com>",
}
TEXT = "Hello D'Arcy,\n\n- A peer reacted · Week 2\n  https://rapport.example.com/c/" + "x" * 200
HTML = "<p>Hello D&#39;Arcy,</p>\n<ul><li>A peer reacted · Week 2</li></ul>\n"


def build(cls: type[MultipartEmail], **overrides: object) -> MultipartEmail:
    arguments: dict[str, object] = {
        "subject": "Your weekly digest: 2 notifications",
        "body": TEXT,
        "from_email": "Rapport <rapport@example.com>",
        "to": ["darcy@northwind.example"],
        "headers": dict(HEADERS),
    }
    arguments.update(overrides)
    message = cls(**arguments)  # type: ignore[arg-type]
    message.attach_alternative(HTML, "text/html")
    return message


def read(message: MultipartEmail) -> email.message.EmailMessage:
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


class FastMultipartEmailTests(SimpleTestCase):
    def test_it_reads_as_the_standard_builder_does(self) -> None:
        fast, standard = read(build(FastMultipartEmail)), read(build(MultipartEmail))
        self.assertIsInstance(build(FastMultipartEmail).message(), _Flattened)
        for header in ("Subject", "From", "To", "Message-ID", "MIME-Version", *HEADERS):
            self.assertEqual(str(fast[header]), str(standard[header]), header)
        self.assertEqual(fast.get_content_type(), "multipart/alternative")
        self.assertTrue(fast["Date"])
        for kind in ("plain", "html"):
            ours, theirs = fast.get_body((kind,)), standard.get_body((kind,))
            assert ours is not None and theirs is not None
            self.assertEqual(ours.get_content(), theirs.get_content())
            self.assertEqual(ours["Content-Transfer-Encoding"], "8bit")  # "·" is not ASCII
            self.assertEqual(ours.get_content_charset(), "utf-8")
        self.assertEqual(fast.defects, [])

    def test_long_lines_stay_whole_and_ascii_bodies_are_7bit(self) -> None:
        message = build(FastMultipartEmail, body="See https://x.example/" + "y" * 300)
        raw = message.message().as_bytes()
        self.assertIn(b"https://x.example/" + b"y" * 300 + b"\r\n", raw)
        self.assertIn(b"Content-Transfer-Encoding: 7bit", raw)
        self.assertNotIn(b"quoted-printable", raw.lower())

    def test_what_it_does_not_handle_takes_the_standard_path(self) -> None:
        cases = {
            "a non-ASCII subject": {"subject": "Votre résumé"},
            "two recipients": {"to": ["a@x.example", "b@x.example"]},
            "a line over 998 characters": {"body": "z" * 1200},
            "a Reply-To": {"reply_to": ["coach@x.example"]},
        }
        for name, overrides in cases.items():
            with self.subTest(name):
                message = build(FastMultipartEmail, **overrides)
                self.assertNotIsInstance(message.message(), _Flattened)
                parsed = read(message)
                self.assertEqual(
                    str(parsed["Subject"]), str(read(build(MultipartEmail, **overrides))["Subject"])
                )

    def test_a_header_with_a_line_break_is_refused_as_before(self) -> None:
        message = build(FastMultipartEmail, subject="Hello\nBcc: everyone@x.example")
        with self.assertRaises(ValueError):
            message.message()


def backend(path: str) -> Any:
    """A fresh instance of the SMTP backend at `path`, as configured by MAILERS."""
    options = {"host": "127.0.0.1", "port": 25}
    with override_settings(MAILERS={"default": {"BACKEND": path, "OPTIONS": options}}):
        return mailers["default"]


class SMTPBackendAddressTests(SimpleTestCase):
    def test_addresses_are_prepared_as_djangos_backend_prepares_them(self) -> None:
        ours = backend("rapport.mail.SMTPBackend")
        django = backend("django.core.mail.backends.smtp.EmailBackend")
        self.assertEqual(type(ours).__module__, "rapport.mail")
        for address in (
            "learner12@bench.example",
            "o'brien+digest@north-wind.example.co.uk",
            "Rapport <rapport@example.com>",
            '"Dr. D\'Arcy" <darcy@example.com>',
            "person@bücher.example",
            "webmaster",
        ):
            with self.subTest(address):
                self.assertEqual(ours.prep_address(address), django.prep_address(address))

    def test_bad_addresses_fail_as_they_do_in_djangos_backend(self) -> None:
        ours = backend("rapport.mail.SMTPBackend")
        for address in ("a..b@example.com", "a@b@example.com", "x@example.com\nBcc: y@z", "a, b@c"):
            with self.subTest(address), self.assertRaises(ValueError):
                ours.prep_address(address)
