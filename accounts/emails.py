"""Emails that read correctly in every mail client: a plain-text part and an HTML part.

Each email is three templates, `<name>_subject.txt`, `<name>.txt` and `<name>.html`. The text
parts are rendered with autoescaping off (a name such as D'Arcy stays D'Arcy, not D&#39;Arcy)
and the HTML part with it on. Bodies are sent as 7bit or 8bit text, never quoted-printable: a
link is one unbroken line that can be copied from a terminal or a plain-text client.

`MultipartEmail` builds a text + HTML email with the standard library's legacy MIME classes
(`email.mime`, `email.policy.compat32`, a UTF-8 `Charset` without body encoding): about a
quarter of the CPU of Django's `EmailMessage.message()`, whose `email.policy.default` parses and
folds every header through `email.headerregistry` (docs/performance.md, "Digest", round 4). A
mail client reads the same thing (accounts/tests/test_multipart_email.py compares them):
non-ASCII subjects and display names in RFC 2047 encoded-words, IDN domains in punycode, Date
and Message-ID unless given, Bcc only in the envelope, `as_bytes()` lines ending in the given
policy's linesep (CRLF for Django's SMTP backend). Everything else takes Django's own path:
attachments and calendars (`send_rendered(calendar=...)`), a line break in any header (Django
raises ValueError, its BadHeaderError), an address not in its plain form or with a non-ASCII
local part, address-like extra headers, a body line over 998 bytes (quoted-printable there).
The object returned on the fast path is an `email.message.Message`, not the modern
`EmailMessage`: reparse its bytes to use `get_body()`.
"""

import email.policy
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.charset import Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import smtp
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.template import engines
from django.utils.encoding import punycode
from django.utils.timezone import get_current_timezone
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


# The header fields Django's path gives a meaning to (addresses, the MIME structure, one
# Subject): an extra header among these makes MultipartEmail take Django's path.
_DJANGO_HEADERS = frozenset(
    {
        "bcc",
        "cc",
        "content-transfer-encoding",
        "content-type",
        "from",
        "mime-version",
        "reply-to",
        "resent-bcc",
        "resent-cc",
        "resent-from",
        "resent-sender",
        "resent-to",
        "sender",
        "subject",
        "to",
    }
)

# UTF-8 bodies as they are (7bit or 8bit, never base64 or quoted-printable); header text that
# is not ASCII still goes in RFC 2047 encoded-words.
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = None  # type: ignore[assignment]  # None: neither base64 nor QP


class _Compat32(email.policy.Compat32):
    """`email.policy.compat32`, except that a header whose value is printable ASCII and fits on
    one line is written as it is, where compat32 wraps every value in an `email.header.Header`
    to fold it (about a third of a digest's CPU in the `email` package, docs/performance.md,
    "Digest", round 5). What compat32 writes for such a value is exactly that line
    (accounts/tests/test_multipart_email.py checks it against compat32 itself); anything else
    (non-ASCII, control characters, a line break, longer than `max_line_length`, a `Header`
    object) is folded by compat32."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()
            and len(name) + 2 + len(value) <= (self.max_line_length or MAX_LINE_LENGTH)
        ):
            return f"{name}: {value}{self.linesep}"
        folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]
        return folded


def _is_field_name(name: str) -> bool:
    """RFC 5322 §2.2: printable ASCII without a space or a colon."""
    return (
        bool(name) and name.isascii() and name.isprintable() and " " not in name and ":" not in name
    )


@lru_cache(maxsize=4)
def _compat32(linesep: str) -> _Compat32:
    """The policy of a legacy message whose lines end in `linesep`, made once per line ending."""
    return _Compat32(linesep=linesep, max_line_length=MAX_LINE_LENGTH)


@lru_cache(maxsize=1024)  # the From address is the same in every email
def _plain_address(value: str) -> str | None:
    """`value` ("addr@domain" or "Name <addr@domain>", the name quoted only if it must be) as
    an ASCII header value: the name in an encoded-word if it is not ASCII, the domain in IDNA
    (punycode). None for anything else (comments, a non-ASCII local part, a malformed address),
    which Django's path handles."""
    name, addr = parseaddr(value)
    if not addr or '"' in name or "\\" in name:
        return None
    if value not in (addr, f"{name} <{addr}>", f'"{name}" <{addr}>'):
        return None
    try:
        validate_email(addr)
        local, _, domain = addr.rpartition("@")
        if not local.isascii():
            return None
        domain = punycode(domain)
    except (ValidationError, UnicodeError):
        return None
    return formataddr((name, f"{local}@{domain}"), charset=_UTF8)


def _text_part(body: str, subtype: str) -> MIMENonMultipart | None:
    """A text/`subtype` UTF-8 part whose lines go out whole (7bit if ASCII, else 8bit), ending
    with a line break as Django's `set_content` makes it; None if a line is over 998 bytes (or
    the text cannot be encoded), which Django's path sends quoted-printable.

    The part is what `MIMEText(body, subtype, _UTF8)` (`set_payload` with our Charset) makes,
    written without `set_charset`, which parses the Content-Type header it has just written
    to set the charset parameter again (a tenth of a digest's CPU in the `email` package):
    the payload is the UTF-8 bytes kept as `set_payload` keeps them (an ASCII string with
    surrogate escapes, which `BytesGenerator` writes back as the bytes), and the transfer
    encoding is what `email.encoders.encode_7or8bit` picks for them."""
    if not body.endswith(("\n", "\r")):
        body += "\n"
    try:
        data = body.encode("utf-8")
    except UnicodeError:
        return None
    if any(len(line) > MAX_LINE_LENGTH for line in data.splitlines()):
        return None
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    del part["MIME-Version"]  # the top level says it
    part["Content-Transfer-Encoding"] = "7bit" if data.isascii() else "8bit"
    part.set_payload(data.decode("ascii", "surrogateescape"))
    return part


class MultipartEmail(EmailMultiAlternatives):
    """EmailMultiAlternatives whose bodies keep their lines whole (7bit for ASCII, else 8bit),
    built through the standard library's legacy MIME classes when it is a plain text + HTML
    email (see the module docstring), through Django's own path otherwise."""

    # The override widens Django's return type (email.message.EmailMessage) to its base class,
    # Message: what Django's own backends use of it (as_bytes, as_string, items) both have.
    def message(self, *, policy: Any = None) -> Message:  # type: ignore[override]
        """The email as a standard-library message whose `as_bytes()` ends lines with
        `policy.linesep` (Django's SMTP backend passes `email.policy.SMTP`: CRLF).

        A text + HTML email with plain headers comes back as an `email.mime` multipart
        (`email.message.Message` under `email.policy.compat32`); anything else (attachments,
        a calendar or other alternative, a header with a line break, an address that is not
        in its plain form, a line over 998 bytes...) goes through Django's
        `EmailMultiAlternatives.message()`, which also raises Django's errors (ValueError, alias
        BadHeaderError, for a line break in a header; for a Bcc header)."""
        policy = policy or email.policy.default
        fast = self._legacy_message(policy)
        if fast is not None:
            return fast
        return super().message(policy=policy.clone(max_line_length=MAX_LINE_LENGTH))

    def _legacy_message(self, policy: Any) -> Message | None:
        """The text + HTML email built with `email.mime`, or None when it is not one the
        legacy classes build exactly as Django's path would."""
        if self.attachments or len(self.alternatives) != 1:
            return None
        html, mimetype = self.alternatives[0]
        if mimetype != "text/html" or not isinstance(html, str):
            return None
        if (self.encoding or settings.DEFAULT_CHARSET).lower() not in ("utf-8", "utf8"):
            return None
        text = self.body
        if not isinstance(text, str) or not text:
            return None
        subject = str(self.subject)
        extra = self.extra_headers
        if any(name.lower() in _DJANGO_HEADERS for name in extra):
            return None
        values = [subject, *extra.values()]
        if not all(isinstance(value, str) for value in values) or any(
            "\n" in value or "\r" in value for value in values
        ):
            return None  # Django's path raises its own error for a line break
        if not all(value.isascii() and _is_field_name(name) for name, value in extra.items()):
            return None
        addresses: dict[str, str] = {}
        for header, values in (
            ("From", [str(self.from_email)]),
            ("To", self.to),
            ("Cc", self.cc),
            ("Reply-To", self.reply_to),
        ):
            formatted = [_plain_address(str(value)) for value in values]
            if any(value is None for value in formatted):
                return None
            if formatted:
                addresses[header] = ", ".join(value or "" for value in formatted)
        plain, rich = _text_part(text, "plain"), _text_part(html, "html")
        if plain is None or rich is None:
            return None

        # A boundary of our own, so the generator does not compile a regular expression per
        # email to check its random one against the text; ours is checked here instead.
        boundary = f"=_{uuid.uuid4().hex}"
        if boundary in text or boundary in html:
            return None
        message = MIMEMultipart(
            "alternative",
            boundary=boundary,
            _subparts=[plain, rich],
            policy=_compat32(policy.linesep),
        )
        # A non-ASCII subject goes as RFC 2047 encoded-words of at most 75 characters each
        # (RFC 2047 section 2), folded onto continuation lines; other headers are never folded
        # before 998 (a signed link in List-Unsubscribe has colons a fold would split at).
        message["Subject"] = (
            subject if subject.isascii() else Header(subject, _UTF8, 75, "Subject").encode()
        )
        for header, value in addresses.items():
            message[header] = value
        names = {name.lower() for name in extra}
        if "date" not in names:
            zone = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
            message["Date"] = format_datetime(datetime.now(zone))
        if "message-id" not in names:
            message["Message-ID"] = make_msgid(domain=DNS_NAME)
        for name, value in extra.items():
            message[name] = value
        return message


def send_rendered(
    rendered: RenderedEmail, *, to: list[str], calendar: str = "", calendar_method: str = ""
) -> int:
    """Send one rendered email now (call it from a task, not a request). Returns the number
    of messages sent (1), or raises the mail backend's error.

    `calendar` (with `calendar_method`, "REQUEST" or "CANCEL") is an iTIP message
    (rapport.lib.calendar.scheduling_message): it goes in as a third alternative,
    `text/calendar; method=…` (iMIP, RFC 6047 §2.4), which calendar programs act on, and as an
    `invite.ics` attachment for those that only offer attachments."""
    message = MultipartEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(rendered.html, "text/html")
    if calendar:
        if calendar_method not in ("REQUEST", "CANCEL"):
            raise ValueError(f"unsupported calendar method {calendar_method!r}")
        message.attach_alternative(
            calendar, f"text/calendar; method={calendar_method}; charset=utf-8"
        )
        message.attach("invite.ics", calendar, "application/ics")
    return message.send()


class SMTPEmailBackend(smtp.EmailBackend):
    """Django's SMTP backend (`django.core.mail.backends.smtp.EmailBackend`, unchanged on the
    wire) that parses each envelope address once per open backend instead of once per message.

    Django's `prep_address` runs the full RFC 5322 address parser of `email.headerregistry` on
    the From address and every recipient of every message: about a fifth of a digest's worker
    CPU, half of it the same From address each time (docs/performance.md, digest round 5). A
    task sends a batch through one backend, so the From is parsed once a batch. The memo keeps
    at most `ADDRESS_MEMO` addresses and only successful answers: an invalid address raises
    Django's ValueError every time it is sent."""

    ADDRESS_MEMO = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple[str, bool], str] = {}

    def prep_address(self, address: Any, force_ascii: bool = True) -> str:
        key = (str(address), force_ascii)
        if (known := self._addresses.get(key)) is not None:
            return known
        parsed: str = super().prep_address(address, force_ascii)
        if len(self._addresses) >= self.ADDRESS_MEMO:
            self._addresses.clear()
        self._addresses[key] = parsed
        return parsed
