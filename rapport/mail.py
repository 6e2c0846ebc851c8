"""Rapport's SMTP mail backend: Django's, with a cheaper address check for bulk sending.

Django's SMTP backend parses both addresses of every message with the email package's full
RFC 5322 header parser (`prep_address`): about half a millisecond a message, a quarter of the
digest worker's own time per digest (docs/performance.md). Most addresses are plain ASCII
addr-specs (`local@domain`, dot-atoms on both sides), for which that parser returns the address
unchanged; this backend recognises exactly those with a regular expression and hands every other
address (display names, quoted local parts, non-ASCII, anything malformed) to Django's parser,
with its errors. The site's own sender address, a setting, is parsed once per process.
"""

import re
from typing import Any

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

# RFC 5322 dot-atom text on both sides of the @, ASCII only: what `prep_address` returns as is.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


class SMTPBackend(DjangoSMTPBackend):
    """`django.core.mail.backends.smtp.EmailBackend` whose `prep_address` takes a shortcut for
    plain addresses (same result, same errors for everything else)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sender_addresses: dict[tuple[str, bool], str] = {}

    def prep_address(self, address: Any, force_ascii: bool = True) -> str:
        if isinstance(address, str) and _PLAIN_ADDRESS.fullmatch(address):
            return address
        if address in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL):
            key = (address, force_ascii)
            if key not in self._sender_addresses:
                self._sender_addresses[key] = str(super().prep_address(address, force_ascii))
            return self._sender_addresses[key]
        return str(super().prep_address(address, force_ascii))
