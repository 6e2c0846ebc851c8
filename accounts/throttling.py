"""Sign-in throttling with django-axes: after too many failed sign-ins for one email address from
one network address, that pair is locked out for a cool-off period (settings.AXES_*).

Locking the pair, not the address alone, means nobody can lock a colleague out from elsewhere;
locking it at all means 30 guesses then the right password still do not sign in. Choosing a new
password through the emailed link lifts the lock, since it proves the person owns the address.
"""

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email a sign-in attempt is counted against: trimmed and lower-cased, as
    accounts.backends.EmailBackend matches it, so "Ada@x" and "ada@x " count as one address."""
    # Axes' own backend names the field as the user model does ("email", a lazy string);
    # Django's failure signal passes what the caller gave ("username").
    given = {str(key): value for key, value in (credentials or {}).items()}
    raw = given.get("username") or given.get("email") or request.POST.get("username") or ""
    return str(raw).strip().lower()


def client_ip(request: HttpRequest) -> str:
    """The address a request came from. Behind the TLS proxy (DJANGO_BEHIND_TLS_PROXY) it is the
    last entry of X-Forwarded-For, the one our own proxy appended; entries before it are whatever
    the client sent and are not trusted."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def cool_off_minutes() -> int:
    """How long a lock lasts, in whole minutes (at least 1)."""
    cool_off = get_cool_off() or timedelta(0)
    return max(1, round(cool_off.total_seconds() / 60))


def locked_out_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many attempts to sign in with this email address. Try again in %(n)s minute, or "
        "choose a new password with “Forgotten your password?”.",
        "Too many attempts to sign in with this email address. Try again in %(n)s minutes, or "
        "choose a new password with “Forgotten your password?”.",
        minutes,
    ) % {"n": minutes}


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, saying why it refuses and for how long (429 Too Many Requests).
    Used for the product's sign-in and the studio's (AXES_LOCKOUT_CALLABLE)."""
    form = AuthenticationForm(request, initial={"username": sign_in_username(request, credentials)})
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "locked_out_message": locked_out_message(),
        },
        status=429,
    )


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' check, for sign-ins through a request (pages). Code that authenticates without one
    (management commands, tests) has no client to throttle, so the check does not apply."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, *args: Any, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def lift_sign_in_lock(email: str) -> None:
    """Forget the failed sign-ins for `email` from every network address. Called when the person
    chooses a new password through an emailed link, which proves they own the address."""
    reset(username=email.strip().lower())
