"""Getters for people. A person's own account is `request.user`; who sees whom is
accounts.models.UserQuerySet.visible_to."""

from accounts.models import User, UserQuerySet


def accounts_for_password_reset(email: str) -> UserQuerySet:
    """The active accounts with this email (case-insensitive), for the password reset form.

    The one lookup made for someone who is not signed in, by design: the reset page answers the
    same whether or not any account matches, and the email goes only to the address itself, so
    nothing about the account leaks to whoever typed it. Accounts are per organisation, so
    there may be several (one per organisation); each email names its organisation.
    """
    return User.objects.with_emails([email]).filter(is_active=True).select_related("organization")
