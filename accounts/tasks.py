"""Background work of the accounts app: sending email, so pages answer at once and an
unreachable mail server never becomes an error page."""

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.emails import RenderedEmail, render_email, send_rendered
from accounts.models import User
from accounts.tokens import invitation_token_generator


@task()
def send_email(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    calendar: str = "",
    calendar_method: str = "",
) -> int:
    """Send an email already rendered by the caller (accounts.emails.render_email), with an
    optional iTIP calendar message (accounts.emails.send_rendered)."""
    return send_rendered(
        RenderedEmail(subject=subject, text=text, html=html),
        to=to,
        calendar=calendar,
        calendar_method=calendar_method,
    )


def invitation_link(user: User) -> str:
    """The absolute link that lets `user` choose their first password (RAPPORT_SITE_URL)."""
    path = reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return settings.RAPPORT_SITE_URL.rstrip("/") + path


@task()
def send_invitations(*, user_ids: list[int], invited_by_id: int | None = None) -> int:
    """Email each of these people an invitation to choose a password. Returns how many were sent.

    Skips anyone who has meanwhile chosen a password or been deactivated, so a delayed or
    repeated task never invites twice. `invited_by_id` names the person the email says invited
    them. (Events are recorded by the domain action that added them, such as the CSV import:
    accounts sits below the events app and does not import it.)
    """
    inviter = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    sent = 0
    people = User.objects.filter(pk__in=user_ids, is_active=True).select_related(
        "membership__organization"
    )
    for user in people:
        if user.has_usable_password():
            continue
        membership = getattr(user, "membership", None)
        rendered = render_email(
            "accounts/email/invitation",
            {
                "user": user,
                "organization": membership.organization if membership else None,
                "link": invitation_link(user),
                "days": settings.RAPPORT_INVITATION_DAYS,
                "inviter": inviter,
            },
        )
        sent += send_rendered(rendered, to=[user.email])
    return sent
