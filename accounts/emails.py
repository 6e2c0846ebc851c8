"""Emails that read correctly in every mail client: a plain-text part and an HTML part.

Each email is three templates, `<name>_subject.txt`, `<name>.txt` and `<name>.html`. The text
parts are rendered with autoescaping off (a name such as D'Arcy stays D'Arcy, not D&#39;Arcy)
and the HTML part with it on. Bodies are sent as 7bit or 8bit text, never quoted-printable: a
link is one unbroken line that can be copied from a terminal or a plain-text client.
"""

import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
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
