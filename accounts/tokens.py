"""The token in an invitation link: works once, expires, and is useless for a password reset.

Like Django's password-reset token it hashes the account's password hash and last sign-in, so it
stops working as soon as the person chooses a password (or signs in). Its own salt keeps the two
kinds of link apart, and its own lifetime (RAPPORT_INVITATION_DAYS) is longer than a reset
link's, because an invitation may wait in an inbox over a holiday.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "rapport.accounts.tokens.InvitationTokenGenerator"

    @staticmethod
    def lifetime_seconds() -> int:
        return int(settings.RAPPORT_INVITATION_DAYS) * 24 * 60 * 60

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        """True if `token` was made for `user` in its current state, within the lifetime."""
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= self.lifetime_seconds()


invitation_token_generator = InvitationTokenGenerator()
