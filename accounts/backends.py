from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from rapport.compiled import CompiledQuery


class SeveralAccounts(Exception):
    """The address and password open accounts in more than one organisation: the person must
    say which. Carries those organisations (only ones whose password was just proven)."""

    def __init__(self, organizations: list[Any]) -> None:
        super().__init__("several accounts match")
        self.organizations = organizations


class EmailBackend(ModelBackend):
    """Sign-in by email (any case) and password, across per-organisation accounts.

    The same address may have an account in several organisations
    (docs/decisions/0006-accounts-per-organisation.md). Sign-in tries the password against each
    active account with that address and returns the one it opens; if it opens several, it
    raises SeveralAccounts unless `organization` (a slug) picks one. A wrong password reveals
    nothing about which organisations know the address.

    `get_user` loads the membership and organisation with the user: nearly every page asks for
    them, so this saves one query on every request.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        organization: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = (username or kwargs.get("email") or "").strip()
        if not email or password is None:
            return None
        candidates = list(
            User._default_manager.with_emails([email])  # type: ignore[attr-defined]
            .select_related("organization")
            .order_by("pk")
        )
        if organization:
            candidates = [
                u for u in candidates if u.organization and u.organization.slug == organization
            ]
        if not candidates:
            # Hash anyway, so an unknown address takes as long as a wrong password.
            User().set_password(password)
            return None
        opened = [
            user
            for user in candidates
            if user.check_password(password) and self.user_can_authenticate(user)
        ]
        if len(opened) > 1:
            raise SeveralAccounts([user.organization for user in opened])
        return opened[0] if opened else None

    def get_user(self, user_id: Any) -> User | None:
        found = signed_in_query(None, user_id)
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


def _signed_in_query(viewer: None, user_id: int) -> QuerySet[User]:
    return User._default_manager.select_related("membership__organization").filter(pk=user_id)


# Every request loads the signed-in person: the statement is compiled once per process
# (rapport/compiled.py) and re-run with the id from the session.
signed_in_query = CompiledQuery(_signed_in_query)
