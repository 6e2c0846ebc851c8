"""Emails that read correctly in every mail client: a plain-text part and an HTML part.

Each email is three templates, `<name>_subject.txt`, `<name>.txt` and `<name>.html`. The text
parts are rendered with autoescaping off (a name such as D'Arcy stays D'Arcy, not D&#39;Arcy)
and the HTML part with it on. Bodies are sent as 7bit or 8bit text, never quoted-printable: a
link is one unbroken line that can be copied from a terminal or a plain-text client.
"""

import email.policy
import uuid
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import formatdate, make_msgid
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template import engines
from jinja2 import Environment

# RFC 5322 allows lines of up to 998 characters. Python picks quoted-printable for any line
# over its default of 78, which splits a long link with "=" soft breaks.
MAX_LINE_LENGTH = 998


@dataclass(frozen=True)
class RenderedEmail:
    """An email ready to queue: plain strings, so it crosses the task queue as JSON."""

    subject: str
    text: str
    html: str


def _environment() -> Environment:
    backend: Any = engines["jinja2"]
    return backend.env


@lru_cache(maxsize=4)
def _text_environment(env: Environment) -> Environment:
    """`env` without autoescaping, made once per environment: an overlay has its own template
    cache, so a fresh one per email would compile the text templates for every message."""
    return env.overlay(autoescape=False)


def render_email(name: str, context: dict[str, Any]) -> RenderedEmail:
    """Render `<name>_subject.txt`, `<name>.txt` and `<name>.html` (template names without the
    suffix, e.g. "accounts/email/invitation"). The subject is joined onto one line."""
    env = _environment()
    text_env = _text_environment(env)
    subject = text_env.get_template(f"{name}_subject.txt").render(context)
    return RenderedEmail(
        subject=" ".join(subject.split()),
        text=text_env.get_template(f"{name}.txt").render(context),
        html=env.get_template(f"{name}.html").render(context),
    )


class MultipartEmail(EmailMultiAlternatives):
    """EmailMultiAlternatives whose bodies keep their lines whole (7bit for ASCII, else 8bit)."""

    def message(self, *, policy: Any = None) -> EmailMessage:
        policy = policy or email.policy.default
        return super().message(policy=policy.clone(max_line_length=MAX_LINE_LENGTH))


# Headers the fast builder writes itself; an email that sets one of them as an extra header
# takes the standard path, which knows how they combine.
_OWN_HEADERS = frozenset(
    ("from", "to", "cc", "reply-to", "date", "subject", "mime-version", "content-type",
     "content-transfer-encoding")
)  # fmt: skip


class _Flattened(Message):
    """A message already written out as bytes (CRLF line ends), with its top headers readable.
    What Django's SMTP backend asks of a message is `as_bytes()`."""

    def __init__(self, data: bytes, headers: list[tuple[str, str]]) -> None:
        super().__init__(policy=email.policy.compat32)
        self._data = data
        for name, value in headers:
            self[name] = value

    def as_bytes(self, unixfrom: bool = False, policy: Any = None) -> bytes:
        return self._data

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy: Any = None) -> str:
        return self._data.decode("utf-8")


def _part(content_type: str, body: str) -> bytes | None:
    """One text part, CRLF line ends, 7bit for ASCII else 8bit; None if a line is too long."""
    data = body.replace("\n", "\r\n").encode("utf-8")
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    if any(len(line) > MAX_LINE_LENGTH for line in data.split(b"\r\n")):
        return None
    cte = "7bit" if data.isascii() else "8bit"
    head = f'Content-Type: {content_type}; charset="utf-8"\r\nContent-Transfer-Encoding: {cte}'
    return head.encode("ascii") + b"\r\n\r\n" + data


class FastMultipartEmail(MultipartEmail):
    """A MultipartEmail (one text body, one HTML alternative) written out directly, for emails
    sent in bulk: the digest worker sends one per person, and Python's email package spends
    about 4 ms building and folding each message's headers (docs/performance.md).

    The result is the same MIME structure a mail client reads from MultipartEmail: a
    multipart/alternative with a text/plain and a text/html part, each UTF-8 in 7bit or 8bit
    (never quoted-printable), headers unfolded on one line each (RFC 5322 allows 998
    characters). Anything the direct writer does not handle — a non-ASCII or multi-line header,
    more than one recipient, Cc/Reply-To, attachments, an overlong line, a bare CR — goes
    through MultipartEmail.message unchanged, with its validation and errors.
    """

    def message(self, *, policy: Any = None) -> Message:  # type: ignore[override]
        direct = self._direct()
        return direct if direct is not None else super().message(policy=policy)

    def _direct(self) -> _Flattened | None:
        if (
            len(self.to) != 1
            or self.cc
            or self.bcc
            or self.reply_to
            or self.attachments
            or len(self.alternatives) != 1
            or self.alternatives[0][1] != "text/html"
            or self.content_subtype != "plain"
            or any(name.lower() in _OWN_HEADERS for name in self.extra_headers)
        ):
            return None
        message_id = self.extra_headers.get("Message-ID") or make_msgid(domain=DNS_NAME)
        headers = [
            ("Subject", str(self.subject)),
            ("From", str(self.from_email)),
            ("To", str(self.to[0])),
            ("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
            ("Message-ID", str(message_id)),
            *((str(k), str(v)) for k, v in self.extra_headers.items() if k != "Message-ID"),
        ]
        for _name, value in headers:
            if not value.isascii() or "\r" in value or "\n" in value or len(value) > 900:
                return None
        html = self.alternatives[0][0]
        text_part = _part("text/plain", str(self.body))
        html_part = _part("text/html", str(html))
        if text_part is None or html_part is None or "\r" in str(self.body) + str(html):
            return None
        boundary = f"=_{uuid.uuid4().hex}"
        marker = b"--" + boundary.encode("ascii")
        if marker in text_part or marker in html_part:
            return None
        head = "".join(f"{name}: {value}\r\n" for name, value in headers)
        head += f'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="{boundary}"'
        data = b"".join(
            (
                head.encode("ascii"),
                b"\r\n\r\n",
                marker, b"\r\n", text_part, b"\r\n",
                marker, b"\r\n", html_part, b"\r\n",
                marker, b"--\r\n",
            )
        )  # fmt: skip
        return _Flattened(data, headers)


def send_rendered(rendered: RenderedEmail, *, to: list[str]) -> int:
    """Send one rendered email now (call it from a task, not a request). Returns the number
    of messages sent (1), or raises the mail backend's error."""
    message = MultipartEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message.send()
