import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.erasure import CONFIRMATION_PHRASE, erase_person
from accounts.forms import ChoosePasswordForm, EraseAccountForm, ProfileForm
from accounts.models import Block, ErasureRecord, User
from accounts.personal_data import build_export, sections
from accounts.tokens import invitation_token_generator
from rapport import policy
from rapport.lib.timezones import is_valid_time_zone

# The session key that carries an erasure's counts to the confirmation page, after sign-out.
ERASED_SESSION_KEY = "erasure_counts"


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "nav": "profile",
            # "People you have blocked": the person's own blocks (Block.visible_to).
            "blocks": Block.objects.visible_to(request.user)
            .select_related("blocked")
            .order_by("-created_at", "-id"),
        },
        status=400 if form.errors else 200,
    )


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The page an invitation link opens: the person chooses their first password and is
    signed in. The link works once (choosing a password changes what its token hashes) and for
    RAPPORT_INVITATION_DAYS; a used or expired link shows how to get a fresh one.

    As with password reset, the token moves from the URL into the session before the form is
    shown, so it never leaks through the Referer header.
    """

    token_generator = invitation_token_generator
    form_class = ChoosePasswordForm
    template_name = "accounts/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "accounts.backends.EmailBackend"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome to Rapport. Your password is set."))
        return response


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """My data: what Rapport holds about the person (the sections, by title), the two ways to
    read it (JSON download, readable page) and the way to erase the account. Organisation
    admins also see how many accounts of their organisation were erased (a count; the records
    name nobody)."""
    user: User = request.user  # type: ignore[assignment]
    erased_count = (
        ErasureRecord.objects.visible_to(user).count() if policy.can_manage_people(user) else None
    )
    return render(
        request,
        "accounts/my_data.html",
        {"sections": sections(), "erased_count": erased_count, "nav": "profile"},
    )


@never_cache
@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Everything about the person as a JSON file to download (`accounts.personal_data`
    describes the shape). Their own data only; never cached anywhere."""
    user: User = request.user  # type: ignore[assignment]
    body = json.dumps(build_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"rapport-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# An ISO 8601 date-time as exports write it (`accounts.personal_data.iso`, or `isoformat()`).
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")


def _readable(value: Any, zone: ZoneInfo) -> Any:
    """The export with its date-times (any value that is a whole ISO 8601 date-time with its
    offset, whatever section wrote it) shown as people read them, in the person's own time
    zone ("30 Nov 2026, 14:05"); everything else as it is."""
    if isinstance(value, dict):
        return {k: _readable(v, zone) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(item, zone) for item in value]
    if isinstance(value, str) and _ISO_DATE_TIME.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return date_format(moment.astimezone(zone), "j M Y, H:i")
    return value


@never_cache
@login_required
@require_GET
def my_data_readable(request: HttpRequest) -> HttpResponse:
    """The same export as a page to read or print, date-times in the person's own zone."""
    user: User = request.user  # type: ignore[assignment]
    zone = ZoneInfo(user.time_zone) if is_valid_time_zone(user.time_zone) else ZoneInfo("UTC")
    export = build_export(user)
    export["sections"] = _readable(export["sections"], zone)
    return render(
        request,
        "accounts/my_data_export.html",
        {"export": export, "time_zone": zone.key, "nav": "profile"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request: HttpRequest) -> HttpResponse:
    """The erasure page: what will happen, then the password and the typed confirmation. On
    success everything is erased in one transaction (`accounts.erasure.erase_person`), the
    person is signed out and sent to the confirmation page; a wrong password or phrase is a
    form error (400) and nothing changes."""
    user: User = request.user  # type: ignore[assignment]
    form = EraseAccountForm(
        user, request.POST if request.method == "POST" else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        record = erase_person(user)
        logout(request)
        # Numbers only: what each section removed (none when it was already erased).
        request.session[ERASED_SESSION_KEY] = record.counts if record is not None else {}
        return redirect("accounts:erased")
    return render(
        request,
        "accounts/my_data_erase.html",
        {
            "form": form,
            "sections": sections(),
            "phrase": CONFIRMATION_PHRASE,
            "nav": "profile",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    """The confirmation after an erasure, in the signed-out session the erasure left. Anyone
    else is sent on: signed-in people to My data, others to sign in."""
    if ERASED_SESSION_KEY not in request.session:
        if request.user.is_authenticated:
            return redirect("accounts:my_data")
        return redirect("accounts:login")
    counts = request.session[ERASED_SESSION_KEY]
    titles = {section.key: section.title for section in sections()}
    removed = [(titles.get(key, key), count) for key, count in counts.items() if count]
    return render(request, "accounts/my_data_erased.html", {"removed": removed})
