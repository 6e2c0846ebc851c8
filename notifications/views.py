"""Notification pages: the list (newest first, paginated), opening one (marks it read), marking
all read, the header badge fragment, preferences, and the public one-click unsubscribe.
Thin: load through access, validate with a form, call an action, render."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from notifications import actions
from notifications.access import (
    get_notification_for_user,
    get_unsubscriber,
    notifications_for_user,
    unread_count_for_user,
)
from notifications.forms import PageForm, PreferencesForm
from notifications.models import NotificationKind, QuietHours, kinds_for_role
from rapport import policy

PER_PAGE = 20


def _bad_request(request: HttpRequest, form: Form) -> HttpResponse:
    """400 with what was wrong (nothing was changed)."""
    message = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(
        request,
        "error.html",
        {"status": 400, "title": _("That request did not make sense"), "message": message},
        status=400,
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, 20 a page, unread ones marked. Queries: the count, the page
    (with nothing joined: a notification carries its own label and place)."""
    form = PageForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, form)
    paginator = Paginator(notifications_for_user(request.user), PER_PAGE)
    page = paginator.get_page(form.cleaned_data["page"])
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "notifications": list(page.object_list),
            "unread": sum(1 for n in page.object_list if n.is_unread),
            "nav": "notifications",
        },
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = get_notification_for_user(request.user, notification_id)
    actions.mark_read(notification)
    return redirect(notification.url)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    changed = actions.mark_all_read(request.user)  # type: ignore[arg-type]
    if changed:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("notifications:list")


@login_required
@require_GET
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the header link (an htmx fragment; one COUNT query)."""
    return render(
        request,
        "notifications/_badge.html",
        {"unread": unread_count_for_user(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Per kind: email immediately, in a daily or weekly digest, or never; and quiet hours."""
    user: User = request.user  # type: ignore[assignment]
    hours = QuietHours.objects.visible_to(user).first()
    # Only the kinds that can reach this person (by their role in the organisation).
    membership = policy.membership_of(user)
    kinds = kinds_for_role(membership.role if membership is not None else None)
    initial: dict[str, object] = {
        f"email_{kind}": choice for kind, choice in actions.email_choices_of(user).items()
    }
    if hours is not None:
        initial |= {"quiet_start": hours.start, "quiet_end": hours.end}
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial=initial, kinds=kinds)
        if form.is_valid():
            actions.set_email_preferences(user, choices=form.choices())
            actions.set_quiet_hours(
                user, start=form.cleaned_data["quiet_start"], end=form.cleaned_data["quiet_end"]
            )
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
        status = 400
    else:
        form = PreferencesForm(initial=initial, kinds=kinds)
        status = 200
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "nav": "notifications", "time_zone": user.time_zone},
        status=status,
    )


def _scope_label(scope: str) -> str:
    if scope in NotificationKind.values:
        return str(NotificationKind(scope).label)
    return _("Your daily digest") if scope == "daily" else _("Your weekly digest")


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe. The signed token names the person and what to stop; GET shows a
    confirmation page (link scanners follow GETs, so a GET changes nothing), POST stops those
    emails without sign-in. A bad token is a 400 page; nothing about anyone is shown."""
    target = get_unsubscriber(token)
    if target is None:
        return render(
            request,
            "error.html",
            {
                "status": 400,
                "title": _("This unsubscribe link does not work"),
                "message": _(
                    "The link is incomplete or was changed. Copy the whole link from the email, "
                    "or sign in and change your notification preferences."
                ),
            },
            status=400,
        )
    user, found = target
    label = _scope_label(found.scope)
    if request.method == "POST":
        actions.unsubscribe(user, scope=found.scope)
        return render(request, "notifications/unsubscribed.html", {"label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label, "token": token})
