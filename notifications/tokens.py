"""The token in a one-click unsubscribe link: which person, which kind of notification.

Signed with the site's secret key and a salt of its own, so it cannot be forged or reused as any
other kind of token. It does not expire: an unsubscribe link in an old email must still work
(RFC 8058 expects the link in the List-Unsubscribe header to keep working). It names the person
by their opaque `public_id`, never their address.
"""

import uuid
from dataclasses import dataclass

from django.core import signing

from accounts.models import User
from notifications.models import EmailChoice, NotificationKind

SALT = "rapport.notifications.unsubscribe"


# What a link may stop: one kind, or every kind that goes into the daily or weekly digest.
SCOPES = frozenset({*NotificationKind.values, EmailChoice.DAILY, EmailChoice.WEEKLY})


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid token says: the person (by public_id) and the scope to stop emailing (a
    NotificationKind value, or "daily"/"weekly" for a digest's kinds)."""

    user_public_id: uuid.UUID
    scope: str


def unsubscribe_token(user: User, scope: str) -> str:
    """A URL-safe signed token for `user` and `scope` (see SCOPES). Raises ValueError for an
    unknown scope."""
    if scope not in SCOPES:
        raise ValueError(f"not an unsubscribe scope: {scope!r}")
    return signing.dumps({"u": user.public_id.hex, "k": str(scope)}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """What `token` says, or None if it was not made by `unsubscribe_token` with this site's key
    (tampered, truncated, made up, or naming an unknown kind)."""
    try:
        data = signing.loads(token, salt=SALT)
        user_public_id, scope = uuid.UUID(hex=data["u"]), data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Unsubscribe(user_public_id, scope) if scope in SCOPES else None
