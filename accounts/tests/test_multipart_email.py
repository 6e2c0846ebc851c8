"""MultipartEmail builds a text + HTML email with the standard library's legacy MIME classes:
what a mail client reads from it (parsed back with `email.policy.default`) must be what
Django's own `EmailMultiAlternatives.message()` gives, and everything else must still take
Django's path."""

import email
import email.header
import email.message
import email.policy
import re
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from typing import Any
from unittest.mock import patch

from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives, mailers
from django.test import SimpleTestCase, override_settings

from accounts.emails import MultipartEmail, RenderedEmail, _Compat32, send_rendered
from accounts.tests.test_emails import _free_port

DIGEST_HEADERS = {
    "List-Unsubscribe": "<https://rapport.example.com/notifications/unsubscribe/abc/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Auto-Submitted": "auto-generated",
    "Message-ID": "<digest-1234@rapport.example.com>",
}


def make(
    *,
    subject: str = "Your weekly digest",
    text: str = "Hello Nell,\n\nTwo reactions.\n",
    html: str = "<p>Hello Nell,</p>\n<p>Two reactions.</p>\n",
    cls: type[EmailMultiAlternatives] = MultipartEmail,
    **kwargs: Any,
) -> EmailMultiAlternatives:
    kwargs.setdefault("to", ["nell@northwind.example"])
    kwargs.setdefault("from_email", "Rapport <rapport@rapport.example.com>")
    message = cls(subject=subject, body=text, **kwargs)
    message.attach_alternative(html, "text/html")
    return message


def raw(message: EmailMultiAlternatives) -> bytes:
    """The bytes Django's SMTP backend hands to smtplib."""
    return message.message(policy=email.policy.SMTP).as_bytes()


def django_raw(message: EmailMultiAlternatives) -> bytes:
    """The same email through Django's own path, as MultipartEmail made it before."""
    return EmailMultiAlternatives.message(
        message, policy=email.policy.SMTP.clone(max_line_length=998)
    ).as_bytes()


def parse(data: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def addresses(parsed: EmailMessage, header: str) -> list[tuple[str, str, str]]:
    value = parsed[header]
    if value is None:
        return []
    return [(a.display_name, a.username, a.domain) for a in value.addresses]


def reading(data: bytes) -> dict[str, Any]:
    """What a mail client reads: headers decoded, addresses split, each part's type, transfer
    encoding, charset and text."""
    parsed = parse(data)
    parts = []
    for part in parsed.walk():
        if part.is_multipart():
            parts.append((part.get_content_type(),))
        else:
            parts.append(
                (
                    part.get_content_type(),
                    part["Content-Transfer-Encoding"],
                    part.get_content_charset(),
                    part.get_content(),
                )
            )
    return {
        "subject": str(parsed["Subject"]),
        "from": addresses(parsed, "From"),
        "to": addresses(parsed, "To"),
        "cc": addresses(parsed, "Cc"),
        "reply-to": addresses(parsed, "Reply-To"),
        "bcc": parsed["Bcc"],
        "headers": {k: str(parsed[k]) for k in DIGEST_HEADERS if k != "Message-ID"},
        "parts": parts,
        "defects": [d for part in parsed.walk() for d in part.defects],
    }


class LegacyPathTests(SimpleTestCase):
    def test_a_text_and_html_email_is_built_with_the_legacy_mime_classes(self) -> None:
        message = make().message(policy=email.policy.SMTP)
        self.assertIsInstance(message, MIMEMultipart)
        self.assertEqual(message.get_content_type(), "multipart/alternative")

    def test_it_reads_as_djangos_own_message_does(self) -> None:
        cases: list[dict[str, Any]] = [
            {},
            {"headers": DIGEST_HEADERS},
            {"subject": "Ton résumé de la semaine — 2 réactions", "text": "Grüße, Zoë\n"},
            {"subject": "A long subject " * 12, "html": "<p>é</p>"},
            {"to": ["Zoë Ünal <zoe@northwind.example>"]},
            {"to": ["zoe@bücher.example", "Zoë <z@bücher.example>"]},
            {"to": ['"D\'Arcy, Smith" <darcy@northwind.example>', "D'Arcy <d@x.example>"]},
            {"to": ["Zoë Ünal " * 8 + "<zoe@northwind.example>"]},
            {"from_email": "Équipe Rapport <rapport@rapport.example.com>"},
            {"cc": ["coach@northwind.example"], "reply_to": ["Coach <c@northwind.example>"]},
            {"text": "https://rapport.example.com/" + "a" * 960 + "\n", "html": "x" * 998},
            {"text": "no final line break", "html": "<p>CRLF</p>\r\n<p>lines</p>\r\n"},
            {"text": "From the start of a line\n.\n..\n"},
            {"subject": "An ASCII subject longer than a line " * 30},
            {"subject": "Zoë " * 300, "to": ["Zoë Ünal <zoe@bücher.example>"]},
            {"headers": {**DIGEST_HEADERS, "List-Unsubscribe": "<https://x.example/u/a:b,c/>"}},
        ]
        for case in cases:
            with self.subTest(case=case):
                ours = raw(make(**case))
                self.assertIsInstance(make(**case).message(), MIMEMultipart)
                self.assertEqual(reading(ours), reading(django_raw(make(**case))))
                self.assertEqual(reading(ours)["defects"], [])

    def test_non_ascii_headers_go_in_encoded_words_and_idn_domains_in_punycode(self) -> None:
        data = raw(
            make(
                subject="Résumé",
                to=["Zoë Ünal <zoe@bücher.example>"],
                from_email="Équipe <rapport@rapport.example.com>",
            )
        )
        self.assertTrue(data.isascii() or b"\r\n\r\n" in data)
        head = data.split(b"\r\n\r\n", 1)[0]
        self.assertTrue(head.isascii(), head)
        self.assertRegex(head, rb"Subject: =\?utf-8\?[bq]\?")
        self.assertIn(b"@xn--bcher-kva.example>", head)
        parsed = parse(data)
        self.assertEqual(parsed["Subject"], "Résumé")
        self.assertEqual(addresses(parsed, "To"), [("Zoë Ünal", "zoe", "xn--bcher-kva.example")])
        self.assertEqual(parsed["From"].addresses[0].display_name, "Équipe")

    def test_a_long_non_ascii_subject_is_encoded_words_of_at_most_75_characters(self) -> None:
        subject = (
            "Votre résumé de la semaine : 3 réponses dans le cercle Amande — Aïcha, Łukasz, "
            "Zoë et Kofi ont réagi à votre message sur la délégation"
        )
        data = raw(make(subject=subject))
        head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
        words = re.findall(r"=\?utf-8\?[bq]\?[^?]*\?=", head)
        self.assertGreater(len(words), 1)
        self.assertTrue(all(len(word) <= 75 for word in words), words)  # RFC 2047 section 2
        self.assertEqual(parse(data)["Subject"], subject)

    def test_extra_headers_date_and_message_id(self) -> None:
        parsed = parse(raw(make(headers=DIGEST_HEADERS, reply_to=["r@northwind.example"])))
        for name, value in DIGEST_HEADERS.items():
            self.assertEqual(parsed.get_all(name), [value])
        self.assertEqual(parsed["Reply-To"], "r@northwind.example")
        self.assertIsNotNone(parsed["Date"].datetime)
        parsed = parse(raw(make()))
        self.assertRegex(parsed["Message-ID"], r"^<[^<>@\s]+@[^<>@\s]+>$")
        self.assertIsNotNone(parsed["Date"].datetime)
        self.assertEqual(parsed["Date"].datetime.utcoffset().total_seconds(), 0)

    def test_plain_headers_are_written_exactly_as_compat32_writes_them(self) -> None:
        ours = _Compat32(linesep="\r\n", max_line_length=998)
        theirs = email.policy.compat32.clone(linesep="\r\n", max_line_length=998)
        values = [
            "",
            "Your weekly digest: 2 notifications",
            "  leading, trailing and  double  spaces  ",
            "<https://rapport.example.com/notifications/unsubscribe/eyJ1Ijo:1vB2:ab_c-d/>",
            'multipart/alternative; boundary="=_0123abcd"',
            "List-Unsubscribe=One-Click",
            "a" * 989,  # "Subject: " + 989 = 998, the longest line written as it is
            "a" * 990,  # one over: compat32 folds (here: splits) it
            "word " * 250,
            "tab\there",
            "vertical\x0btab",
            "Zoë",
            "=?utf-8?b?Wm/Dqw==?=",
        ]
        for value in values:
            with self.subTest(value=value[:40]):
                self.assertEqual(ours.fold("Subject", value), theirs.fold("Subject", value))
                self.assertEqual(
                    ours.fold_binary("Subject", value), theirs.fold_binary("Subject", value)
                )

    def test_a_plain_digest_writes_no_header_objects_and_a_non_ascii_one_still_does(self) -> None:
        real = email.header.Header.encode
        with patch.object(email.header.Header, "encode", autospec=True, side_effect=real) as enc:
            data = raw(make(headers=DIGEST_HEADERS))
            self.assertEqual(enc.call_count, 0)
            self.assertEqual(parse(data)["Subject"], "Your weekly digest")
            data = raw(make(subject="Résumé", to=["Zoë <zoe@northwind.example>"]))
            self.assertGreater(enc.call_count, 0)  # RFC 2047 encoded-words
        self.assertEqual(parse(data)["Subject"], "Résumé")
        self.assertEqual(addresses(parse(data), "To"), [("Zoë", "zoe", "northwind.example")])

    def test_text_parts_do_not_parse_their_content_type_again(self) -> None:
        with patch.object(email.message.Message, "set_charset", autospec=True) as set_charset:
            data = make(text="Grüße\n", html="<p>plain</p>\n").message().as_bytes()
        set_charset.assert_not_called()
        plain, rich = [part for part in parse(data).walk() if not part.is_multipart()]
        self.assertEqual(
            (plain["Content-Type"], plain["Content-Transfer-Encoding"], plain.get_content()),
            ('text/plain; charset="utf-8"', "8bit", "Grüße\n"),
        )
        self.assertEqual(
            (rich["Content-Type"], rich["Content-Transfer-Encoding"], rich.get_content()),
            ('text/html; charset="utf-8"', "7bit", "<p>plain</p>\n"),
        )

    def test_a_long_signed_link_header_stays_on_one_line(self) -> None:
        link = "<https://rapport.example.com/notifications/unsubscribe/" + "abc:def," * 12 + "/>"
        data = raw(make(headers={"List-Unsubscribe": link}))
        self.assertIn(f"\r\nList-Unsubscribe: {link}\r\n".encode(), data)
        self.assertEqual(parse(data)["List-Unsubscribe"], link)

    def test_bcc_is_a_recipient_but_never_a_header(self) -> None:
        message = make(bcc=["hidden@northwind.example"], cc=["c@northwind.example"])
        self.assertNotIn(b"hidden", raw(message))
        self.assertIn("hidden@northwind.example", message.recipients())
        with self.assertRaisesMessage(ValueError, "Bcc is not a valid email header"):
            make(headers={"Bcc": "hidden@northwind.example"}).message()

    def test_a_line_break_in_any_header_raises_as_django_does(self) -> None:
        for case in [
            {"subject": "Hello\nBcc: victim@example.com"},
            {"subject": "folded\n continuation"},
            {"to": ["nell@northwind.example\nBcc: victim@example.com"]},
            {"from_email": "rapport@rapport.example.com\r\nBcc: victim@example.com"},
            {"reply_to": ["r@northwind.example\nX-Evil: 1"]},
            {"headers": {"List-Unsubscribe": "<https://x/>\r\nBcc: victim@example.com"}},
        ]:
            with self.subTest(case=case):
                with self.assertRaises(ValueError) as ours:
                    raw(make(**case))
                with self.assertRaises(ValueError) as django:
                    raw(make(cls=EmailMultiAlternatives, **case))
                self.assertEqual(str(ours.exception), str(django.exception))

    def test_bodies_are_7bit_or_8bit_with_whole_lines_and_crlf_for_smtp(self) -> None:
        link = "https://rapport.example.com/" + "a" * 970
        self.assertEqual(len(link), 998)
        data = raw(make(text=f"Grüße\n{link}\n", html=f"<p>\n{link}\n</p>\n"))
        self.assertNotIn(b"quoted-printable", data.lower())
        self.assertNotIn(b"base64", data.lower())
        self.assertIn(f"\r\n{link}\r\n".encode(), data)
        self.assertIn(b"Content-Transfer-Encoding: 8bit", data)
        self.assertIn(b"Content-Transfer-Encoding: 7bit", data)
        self.assertNotRegex(data, rb"[^\r]\n", "every line ends in CRLF")
        self.assertTrue(data.endswith(b"\r\n"))
        # Without a policy (the locmem backend, tests), lines end in LF as in Django's path.
        self.assertNotIn(b"\r", make().message().as_bytes())

    def test_a_line_over_998_bytes_takes_djangos_path(self) -> None:
        text = "https://rapport.example.com/" + "a" * 971 + "\n"
        message = make(text=text)
        self.assertNotIsInstance(message.message(), MIMEMultipart)
        self.assertEqual(
            reading(raw(message)), reading(raw(make(cls=EmailMultiAlternatives, text=text)))
        )

    def test_what_the_legacy_classes_cannot_build_as_django_does_takes_djangos_path(self) -> None:
        for case in [
            {"to": ["zoë@northwind.example"]},  # a non-ASCII local part
            {"to": ["Smith, John <john@northwind.example>"]},
            {"to": ["nell@northwind.example (Nell)"]},
            {"headers": {"X-Note": "café"}},
            {"headers": {"Sender": "s@northwind.example"}},
        ]:
            with self.subTest(case=case):
                self.assertNotIsInstance(make(**case).message(), MIMEMultipart)
        with_file = make()
        with_file.attach("notes.txt", "hello", "text/plain")
        self.assertNotIsInstance(with_file.message(), MIMEMultipart)


class _Envelopes:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


class SmtpTests(SimpleTestCase):
    """Through Django's SMTP backend to a real SMTP server on loopback."""

    def setUp(self) -> None:
        self.sink = _Envelopes()
        controller = Controller(self.sink, hostname="127.0.0.1", port=_free_port())
        controller.start()
        self.addCleanup(controller.stop)
        options = {"host": "127.0.0.1", "port": controller.port, "timeout": 10}
        setting = override_settings(
            MAILERS={
                "default": {
                    "BACKEND": "accounts.emails.SMTPEmailBackend",
                    "OPTIONS": options,
                }
            }
        )
        setting.enable()
        self.addCleanup(setting.disable)

    def test_the_server_receives_crlf_lines_and_bcc_only_in_the_envelope(self) -> None:
        sent = mailers["default"].send_messages(
            [make(subject="Zoë", bcc=["hidden@northwind.example"], headers=DIGEST_HEADERS)]
        )
        self.assertEqual(sent, 1)
        [(rcpt, data)] = self.sink.received
        self.assertEqual(rcpt, ["nell@northwind.example", "hidden@northwind.example"])
        self.assertNotIn(b"hidden", data)
        self.assertNotRegex(data, rb"[^\r]\n")
        parsed = parse(data)
        self.assertEqual(parsed["Subject"], "Zoë")
        self.assertEqual(parsed["Message-ID"], DIGEST_HEADERS["Message-ID"])

    def test_header_injection_sends_nothing(self) -> None:
        with self.assertRaises(ValueError):
            mailers["default"].send_messages([make(subject="Hi\nBcc: victim@example.com")])
        self.assertEqual(self.sink.received, [])

    def test_a_calendar_invitation_keeps_its_alternative_and_attachment(self) -> None:
        calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
        rendered = RenderedEmail(subject="Session", text="Hello\n", html="<p>Hello</p>\n")
        send_rendered(
            rendered, to=["nell@northwind.example"], calendar=calendar, calendar_method="REQUEST"
        )
        [(_, data)] = self.sink.received
        parsed = parse(data)
        self.assertEqual(parsed.get_content_type(), "multipart/mixed")
        types = [part.get_content_type() for part in parsed.walk()]
        self.assertEqual(
            types,
            [
                "multipart/mixed",
                "multipart/alternative",
                "text/plain",
                "text/html",
                "text/calendar",
                "application/ics",
            ],
        )
        invite = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
        self.assertEqual(invite.get_param("method"), "REQUEST")
        self.assertEqual(invite.get_content().replace("\r\n", "\n"), calendar.replace("\r\n", "\n"))
        [attachment] = list(parsed.iter_attachments())
        self.assertEqual(attachment.get_filename(), "invite.ics")
        self.assertEqual(attachment.get_content(), calendar.encode())
        self.assertIsNone(re.search(rb"quoted-printable", data, re.I))


#: A backend that never connects: every option given, as Django asks when MAILERS is set.
_OFFLINE: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 1,
    "username": "",
    "password": "",
    "use_tls": False,
    "use_ssl": False,
    "timeout": 1,
    "ssl_keyfile": "",
    "ssl_certfile": "",
}


class EnvelopeAddressMemoTests(SimpleTestCase):
    """`SMTPEmailBackend.prep_address`: Django's answer, parsed once per backend; failures are
    never remembered."""

    def test_the_same_answers_as_djangos_backend_and_the_parser_runs_once_per_address(
        self,
    ) -> None:
        from django.core.mail.backends import smtp

        from accounts.emails import SMTPEmailBackend

        ours = SMTPEmailBackend(**_OFFLINE)
        django_backend = smtp.EmailBackend(**_OFFLINE)
        addresses = [
            "Rapport <rapport@northwind.example>",
            "amara.okafor@northwind.example",
            "Zoë Müller <zoe@bücher.example>",
            '"Okafor, Amara" <amara@northwind.example>',
        ]
        with patch.object(
            smtp.AddressHeader, "value_parser", wraps=smtp.AddressHeader.value_parser
        ) as parser:
            for _ in range(3):
                for address in addresses:
                    for force_ascii in (True, False):
                        self.assertEqual(
                            ours.prep_address(address, force_ascii),
                            django_backend.prep_address(address, force_ascii),
                        )
        # Django's backend parsed 3 times 4 times 2 times; ours once per (address, force_ascii).
        self.assertEqual(parser.call_count, 24 + 8)

    def test_an_invalid_address_is_refused_every_time(self) -> None:
        from accounts.emails import SMTPEmailBackend

        backend = SMTPEmailBackend(**_OFFLINE)
        for _ in range(2):
            with self.assertRaises(ValueError):
                backend.prep_address("someone@example.com\r\nBcc: victim@example.com")
            with self.assertRaises(ValueError):
                backend.prep_address("one@example.com, two@example.com")

    def test_the_memo_stays_small(self) -> None:
        from accounts.emails import SMTPEmailBackend

        backend = SMTPEmailBackend(**_OFFLINE)
        for n in range(1000):
            self.assertEqual(
                backend.prep_address(f"learner{n}@northwind.example"),
                f"learner{n}@northwind.example",
            )
        self.assertLessEqual(len(backend._addresses), SMTPEmailBackend.ADDRESS_MEMO)
